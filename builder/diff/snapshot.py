"""A course as plain, comparable data: what `course diff` and the version rule compare.

`snapshot(project)` turns a loaded `Project` into nested dicts and lists of strings and
numbers (JSON-able, so the version rule can cache the snapshot of a past revision): the
course's version and module order, each module with its objectives, activities and lessons,
each lesson as sections under its headings, every quiz item with its key, the help lines of
every region, the session plans, course pages and the glossary. Every item carries its source
position (`where`, "path:line") so that a report can point at it.

Nothing here reads files or runs git: that is `builder.diff.revisions`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from builder.model.blocks import filter_editions
from builder.model.project import Document, Lesson, Module, Project
from builder.model.schema import Node, Plan, Resource
from builder.model.texts import fenced_lines

FORMAT = 2
LETTERS = "ABCDEFGHIJ"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

Snap = dict[str, Any]


def where(node: Node, field: str | None = None) -> str:
    w = node.where(field)
    return f"{w.path}:{w.line}"


def sections(body: str) -> list[dict[str, str]]:
    """A Markdown body as sections: the text under each heading (the opening has heading "")."""
    lines = body.split("\n")
    fenced = fenced_lines(lines)
    out: list[dict[str, str]] = [{"heading": "", "text": ""}]
    buf: list[str] = []
    for i, line in enumerate(lines):
        m = _HEADING.match(line) if i not in fenced else None
        if m:
            out[-1]["text"] = " ".join(" ".join(buf).split())
            out.append({"heading": m.group(2).strip(), "text": ""})
            buf = []
        else:
            buf.append(line)
    out[-1]["text"] = " ".join(" ".join(buf).split())
    return [s for s in out if s["heading"] or s["text"]]


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def edition_bodies(body: str, editions: list[str]) -> dict[str, str]:
    """A digest of the body as each edition reads it ("": with every `!!! edition` block left
    out), so that a comparison can tell which editions a change reaches."""
    return {e: _digest(filter_editions(body, e)) for e in ["", *editions]}


def _document(doc: Document, editions: list[str]) -> Snap:
    return {"path": doc.path, "slug": doc.slug, "title": doc.title, "duration": doc.meta.duration,
            "objectives": list(doc.meta.objectives), "summary": _words(doc.meta.summary),
            "sections": sections(doc.body), "where": f"{doc.path}:1",
            "editions": list(getattr(doc.meta, "editions", [])), "bodies": edition_bodies(doc.body, editions)}


def _lesson(module: Module, position: int, lesson: Lesson, editions: list[str]) -> Snap:
    out = _document(lesson, editions)
    out.update({"module": module.id, "position": position})
    return out


def _activity(act: Any) -> Snap:
    parts = [act.instructions, act.scenario or "", *act.prompts, *act.roles, *act.observer_checklist, *act.materials]
    return {"id": act.id, "kind": act.kind, "title": act.title, "duration": act.duration,
            "objectives": list(act.objectives), "text": _words(" ".join(parts)), "where": where(act),
            "editions": list(getattr(act, "editions", []))}


def _edition_ids(project: Project) -> list[str]:
    return [e.id for e in getattr(project.course, "editions", [])]


def _module(project: Project, position: int, m: Module) -> Snap:
    notes = m.data.facilitator_notes
    note_text = " ".join(x for x in (notes.preparation, notes.timing, notes.sensitive_moments, notes.disclosure) if x)
    return {
        "id": m.id, "folder": m.folder, "number": m.number, "position": position, "title": m.title,
        "summary": _words(m.data.summary), "duration": m.data.duration, "where": where(m.data),
        "objectives": [{"id": o.id, "text": _words(o.text), "module": m.id, "where": where(o)} for o in m.objectives],
        "activities": [dict(_activity(a), module=m.id) for a in m.data.activities],
        "key_points": [_words(k) for k in m.data.key_points],
        "facilitator_notes": _words(note_text),
        "lessons": [_lesson(m, i, lesson, _edition_ids(project)) for i, lesson in enumerate(m.lessons, 1)],
    }


def question_key(q: Any) -> dict[str, Any]:
    """What a correct answer is, in words an answer key prints: letters and texts of correct
    options, true/false, accepted answers, matching pairs, the order; None for reflections."""
    t = q.type
    if t in ("single", "multiple"):
        correct = [(LETTERS[i], _words(o.text)) for i, o in enumerate(q.options) if o.correct]
        return {"letters": [c[0] for c in correct], "texts": [c[1] for c in correct],
                "text": "; ".join(f"{letter}: {text}" for letter, text in correct)}
    if t == "true_false":
        return {"text": "True" if q.answer else "False"}
    if t == "short_answer":
        accepted = sorted(_words(a) for a in q.accepted)
        return {"text": " | ".join(accepted) + (" (case matters)" if q.case_sensitive else "")}
    if t == "matching":  # pairs are a set: their order in the file is not part of the key
        return {"text": "; ".join(sorted(f"{_words(p.left)} = {_words(p.right)}" for p in q.pairs))}
    if t == "ordering":
        return {"text": " > ".join(_words(i) for i in q.items)}
    return {"text": ""}


def _question(m: Module, q: Any) -> Snap:
    options: list[Snap] = []
    if q.type in ("single", "multiple"):
        options = [{"letter": LETTERS[i], "text": _words(o.text), "correct": o.correct,
                    "feedback": _words(o.feedback)} for i, o in enumerate(q.options)]
    feedback = {"general": _words(q.feedback.general), "correct": _words(q.feedback.correct),
                "incorrect": _words(q.feedback.incorrect)}
    if q.type == "true_false":
        feedback.update({"if true": _words(q.feedback_true), "if false": _words(q.feedback_false)})
    if q.type == "reflection":
        feedback["model answer"] = _words(q.model_answer)
    if q.type == "matching":
        options = [{"letter": str(i), "text": f"{_words(p.left)} = {_words(p.right)}", "correct": True,
                    "feedback": ""} for i, p in enumerate(q.pairs, 1)]
    if q.type == "ordering":
        options = [{"letter": str(i), "text": _words(x), "correct": True, "feedback": ""}
                   for i, x in enumerate(q.items, 1)]
    return {"id": q.id, "module": m.id, "type": q.type, "stem": _words(q.stem), "options": options,
            "key": question_key(q), "feedback": {k: v for k, v in feedback.items() if v},
            "objectives": list(q.objectives), "points": q.points, "scenario": q.scenario or "",
            "where": where(q), "editions": list(getattr(q, "editions", []))}


def _contact(c: Any) -> str:
    return f"{c.kind} {c.value}" + (f" ({c.label})" if c.label else "")


def _resource(r: Resource) -> Snap:
    return {"id": r.id, "name": r.name, "crisis": r.crisis, "group": r.group,
            "contacts": [_contact(c) for c in r.contacts], "hours": _words(r.hours),
            "languages": list(r.languages), "who_for": _words(r.who_for), "notes": _words(r.notes),
            "source": r.source or "", "verification": r.verification,
            "checked_on": r.checked_on.isoformat() if r.checked_on else "", "where": where(r)}


def _plan(project: Project, plan: Plan) -> Snap:
    rows = []
    total = 0
    for s in plan.sessions:
        rows.append(f"{s.title}" + (f" (starts {s.start})" if s.start else ""))
        for slot in s.slots:
            what = slot.slot + (f" {slot.module}" if slot.module else "") + (f" {slot.form}" if slot.form else "")
            rows.append(f"{s.title}: {what}, {slot.minutes} min" + (f": {_words(slot.title)}" if slot.title else ""))
            total += slot.minutes
    return {"id": plan.id, "title": plan.title, "summary": _words(plan.summary), "rows": rows, "minutes": total,
            "where": where(plan)}


def snapshot(project: Project) -> Snap:
    """The comparable content of a loaded project (see the module docstring)."""
    course = project.course
    modules = [_module(project, i, m) for i, m in enumerate(project.modules, 1)]
    questions = [_question(m, q) for m in project.modules for q in m.questions]
    help_lines = {code: {"name": region.name, "emergency": region.emergency, "where": where(region),
                         "lines": [_resource(r) for r in region.resources]}
                  for code, region in sorted(project.resources.regions.items())}
    pages = [dict(_document(p, _edition_ids(project)), audience=project.page_audience.get(p.path, "all"))
             for p in project.pages]
    editions = [{"id": e.id, "title": e.title, "audience": _words(e.audience),
                 "vocabulary": dict(sorted(e.vocabulary.items())), "where": where(e)}
                for e in getattr(course, "editions", [])]
    return {
        "format": FORMAT,
        "course": {"id": course.id, "title": course.title, "version": course.version,
                   "language": course.language, "modules": [m["id"] for m in modules],
                   "outcomes": [_words(o) for o in course.outcomes], "where": where(course),
                   "version_where": where(course, "version"), "editions": editions},
        "modules": modules,
        "questions": questions,
        "help": help_lines,
        "timetable": [_plan(project, p) for p in course.timetable],
        "pages": pages,
        "glossary": [{"term": t.term, "definition": _words(t.definition), "where": where(t)}
                     for t in project.glossary.terms],
    }
