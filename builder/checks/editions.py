"""Edition checks (docs/editions.md): names, terms, blocks, and what each edition keeps.

Every edition is held to the course's rules: in no edition may a module lose every lesson,
an objective the course teaches (or assesses) lose its lesson (or question), or a module
lose its quiz. Diagnostics are data, at the position of what causes them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.blocks import TERM, find_edition_blocks
from builder.model.editions import in_edition
from builder.model.project import Project
from builder.model.texts import authored_texts
from builder.model.where import Where

UNKNOWN = register("edition.unknown", "An edition name that course.yaml does not declare.")
TERM_CODE = register("edition.term", "A vocabulary term that is unknown or has no value in some edition.")
BLOCK = register("edition.block", "An edition block without a title, collapsible, or nested in another.")
EMPTY_MODULE = register("edition.empty-module", "An edition in which a module keeps no lesson.")
COVERAGE = register("edition.coverage", "An edition in which an objective loses its lesson or question.")
NO_QUIZ = register("edition.no-quiz", "An edition in which a module with questions keeps none.")
SCENARIO = register("edition.scenario", "A question in an edition its scenario is not in.")
DUPLICATE = register("edition.duplicate", "Two editions with one id.")


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"declared editions: {', '.join(known)}" if known else "declare `editions:` in curriculum/course.yaml"


def check_editions(p: Project) -> list[Diagnostic]:
    return list(_check(p))


def _marked(p: Project) -> Iterator[tuple[schema.Node, list[str]]]:
    """Every model object with an `editions:` list, with the list."""
    for d in [*p.pages, *(les for m in p.modules for les in m.lessons)]:
        yield d.meta, d.meta.editions
    for m in p.modules:
        for a in m.data.activities:
            yield a, a.editions
        if m.quiz is not None:
            for s in m.quiz.scenarios:
                yield s, s.editions
            for q in m.quiz.questions:
                yield q, q.editions


def _check(p: Project) -> Iterator[Diagnostic]:
    course = p.course
    known = [e.id for e in course.editions]
    seen: set[str] = set()
    for e in course.editions:
        if e.id in seen:
            yield diag(DUPLICATE, e.where("id"), f"edition {e.id!r} is declared twice", "give each edition its own id")
        seen.add(e.id)
    if course.default_edition and course.default_edition not in known:
        yield diag(UNKNOWN, course.where("default_edition"), f"default_edition {course.default_edition!r} "
                   "is not an edition of this course", _hint(course.default_edition, known))
    # editions: lists
    for node, marked in _marked(p):
        for i, name in enumerate(marked):
            if name not in known:
                yield diag(UNKNOWN, node.where("editions", i), f"unknown edition {name!r}", _hint(name, known))
    # blocks and terms in text
    terms = sorted({t for e in course.editions for t in e.vocabulary})
    for text in authored_texts(p):
        if text.kind == "body" and text.doc is not None and "edition" in text.text:
            for b in find_edition_blocks(text.text):
                where = text.doc.where(b.start, b.col)
                if not b.names:
                    yield diag(BLOCK, where, "edition block without a title",
                               'name its editions: `!!! edition "school"`')
                if b.marker != "!!!":
                    yield diag(BLOCK, where, f"`{b.marker} edition` cannot be collapsible", "write `!!! edition`")
                if b.parent is not None:
                    yield diag(BLOCK, where, "edition block inside another edition block",
                               "list every edition in one block's title instead")
                for name in b.names:
                    if name not in known:
                        yield diag(UNKNOWN, where, f"unknown edition {name!r}", _hint(name, known))
        if "erm[" not in text.text:
            continue
        lines = text.text.split("\n")
        for li, line in enumerate(lines):
            for tm in TERM.finditer(line):
                name = tm.group("name").strip()
                if text.kind == "body" and text.doc is not None:
                    where = text.doc.where(li, tm.start() + 1)
                else:
                    where = Where(text.where.path, text.where.line + li, (text.where.col if li == 0 else 1))
                if not course.editions:
                    yield diag(TERM_CODE, where, f"term {name!r} in a course without editions",
                               "declare `editions:` with `vocabulary:` in curriculum/course.yaml")
                    continue
                if name not in terms:
                    close = difflib.get_close_matches(name, terms, n=1, cutoff=0.6)
                    yield diag(TERM_CODE, where, f"unknown term {name!r}",
                               f"did you mean `{close[0]}`?" if close else
                               f"add `{name}:` to every edition's `vocabulary:` in curriculum/course.yaml")
                    continue
                missing = [e.id for e in course.editions if not e.vocabulary.get(name, "").strip()]
                if missing:
                    yield diag(TERM_CODE, where, f"term {name!r} has no value in edition(s) {', '.join(missing)}",
                               f"add `{name}:` to their `vocabulary:` in curriculum/course.yaml")
    # questions outside their scenario's editions
    for m in p.modules:
        if m.quiz is None:
            continue
        scen = {s.id: s for s in m.quiz.scenarios}
        for q in m.quiz.questions:
            s = scen.get(q.scenario or "")
            if s is None or not s.editions:
                continue
            outside = [e for e in (q.editions or known) if e not in s.editions]
            if outside:
                yield diag(SCENARIO, q.where("scenario"), f"question {q.id} is in edition(s) {', '.join(outside)} "
                           f"but its scenario {s.id} is not", f"add `editions: {list(s.editions)}` to {q.id}")
    # what each edition keeps
    for ed in known:
        for m in p.modules:
            lessons = [les for les in m.lessons if in_edition(les.meta.editions, ed)]
            if m.lessons and not lessons:
                yield diag(EMPTY_MODULE, m.data.where("lessons"), f"module {m.id} has no lesson in edition {ed!r}",
                           f"leave `editions:` out of one of its lessons, or add {ed!r} to one")
            taught_all = {o for les in m.lessons for o in les.meta.objectives}
            taught = {o for les in lessons for o in les.meta.objectives}
            qs = [q for q in m.questions if in_edition(q.editions, ed)]
            assessed_all = {o for q in m.questions for o in q.objectives}
            assessed = {o for q in qs for o in q.objectives}
            for o in m.objectives:
                if o.id in taught_all and o.id not in taught:
                    yield diag(COVERAGE, o.where("id"), f"objective {o.id} is taught by no lesson in edition {ed!r}",
                               f"give edition {ed!r} a lesson with `objectives: [{o.id}]`")
                if o.id in assessed_all and o.id not in assessed:
                    yield diag(COVERAGE, o.where("id"),
                               f"objective {o.id} is assessed by no question in edition {ed!r}",
                               f"give edition {ed!r} a question with `objectives: [{o.id}]`")
            if m.questions and not qs:
                yield diag(NO_QUIZ, Where(m.quiz_path or m.path, 1, 1),
                           f"module {m.id} has no quiz question in edition {ed!r}",
                           f"leave `editions:` out of some of its questions, or add {ed!r} to them")
