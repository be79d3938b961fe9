"""Cross-file structural checks: unique ids, references, timing, coverage, question sanity.

Each check is a function `(project) -> Iterable[Diagnostic]` registered with `@check`;
`run_structure_checks` runs them all. Detection only: nothing here prints.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Callable, Iterable, Iterator

from builder.diagnostics import Code, Diagnostic, diag, register
from builder.model import schema
from builder.model.blocks import BLOCK_KINDS, find_blocks
from builder.model.editions import in_edition
from builder.model.project import Document, Project
from builder.model.where import Where

DUPLICATE_ID = register("id.duplicate", "Two things share an id.")
MODULE_ID = register("id.module", "A module id that does not match its folder number.")
REF_OBJECTIVE = register("ref.objective", "A reference to an objective that does not exist.")
REF_SCENARIO = register("ref.scenario", "A question names a scenario that does not exist.")
REF_MODULE = register("ref.module", "A reference to a module that does not exist.")
REF_REGION = register("ref.region", "The default region has no resources.")
REF_TERM = register("ref.term", "A glossary cross-reference to a term that does not exist.")
ID_PREFIX = register("id.prefix", "An id whose module prefix is not its module's id.")
TIMING = register("timing.over", "Lessons and activities take longer than the module.")
UNTAUGHT = register("coverage.untaught", "An objective no lesson covers.", "warning")
UNASSESSED = register("coverage.unassessed", "An objective no question assesses.", "warning")
NO_QUIZ = register("coverage.no-quiz", "A module without a quiz bank.", "warning")
Q_CORRECT = register("question.correct", "A question whose correct answers do not fit its type.")
Q_DUPLICATE = register("question.duplicate-option", "The same option, item or accepted answer twice in a question.")
Q_PAIRS = register("question.pairs", "Matching pairs with repeated sides.")
BLOCK_KIND = register("block.kind", "An admonition block of a kind the builder does not know.")
NO_CRISIS = register("resources.no-crisis", "A region with no crisis line.", "warning")
NO_OBJECTIVE = register("question.no-objective", "An imported question not yet linked to an objective.", "warning")

Check = Callable[[Project], Iterable[Diagnostic]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def run_structure_checks(project: Project) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for fn in CHECKS:
        out.extend(fn(project))
    return out


def _duplicates(
    items: Iterable[tuple[str, Where]], what: str, fold: bool = False, code: Code = DUPLICATE_ID
) -> Iterator[Diagnostic]:
    first: dict[str, Where] = {}
    for key, where in items:
        k = key.casefold() if fold else key
        if k in first:
            yield diag(code, where, f"{what} '{key}' is already used at {first[k]}",
                       "give each one its own id" if code is DUPLICATE_ID else "remove or reword one of them")
        else:
            first[k] = where


@check
def unique_ids(p: Project) -> Iterator[Diagnostic]:
    yield from _duplicates(((m.id, m.data.where("id")) for m in p.modules), "module id")
    yield from _duplicates(((o.id, o.where("id")) for m in p.modules for o in m.objectives), "objective id")
    yield from _duplicates(((a.id, a.where("id")) for m in p.modules for a in m.data.activities), "activity id")
    yield from _duplicates(((q.id, q.where("id")) for _, q in p.all_questions()), "question id")
    yield from _duplicates(((s.id, s.where("id")) for m in p.modules if m.quiz for s in m.quiz.scenarios),
                           "scenario id")
    names = []
    for t in p.glossary.terms:
        names.append((t.term, t.where("term")))
        names.extend((a, t.where("aliases")) for a in t.aliases)
    yield from _duplicates(names, "glossary term or alias", fold=True)
    for code, region in p.resources.regions.items():
        yield from _duplicates(((r.id, r.where("id")) for r in region.resources), f"resource id in {code}")
    if p.forms:
        yield from _duplicates(((f.id, f.where("id")) for f in p.forms.forms), "form id")


@check
def module_ids_and_prefixes(p: Project) -> Iterator[Diagnostic]:
    for m in p.modules:
        expected = f"M{m.number}"
        if m.id != expected:
            yield diag(MODULE_ID, m.data.where("id"), f"module id '{m.id}' does not match folder {m.folder}",
                       f"use `id: {expected}`")
        items: list[tuple[str, Where]] = [(o.id, o.where("id")) for o in m.objectives]
        items += [(a.id, a.where("id")) for a in m.data.activities]
        if m.quiz:
            items += [(q.id, q.where("id")) for q in m.quiz.questions if q.id.startswith("M")]
            items += [(s.id, s.where("id")) for s in m.quiz.scenarios]
            if m.quiz.module != m.id:
                yield diag(REF_MODULE, m.quiz.where("module"),
                           f"bank says module '{m.quiz.module}' but belongs to {m.folder} ({m.id})",
                           f"use `module: {m.id}`")
        for id_, where in items:
            if id_.split(".")[0] != m.id:
                yield diag(ID_PREFIX, where, f"id '{id_}' does not start with this module's id '{m.id}'",
                           f"use an id like {m.id}.{id_.split('.', 1)[-1]}")


def _objective_refs(p: Project) -> Iterator[tuple[str, Where, str, list[str]]]:
    """(objective id, where, what refers, ids allowed) for every objective reference."""
    for m in p.modules:
        own = [o.id for o in m.objectives]
        for lesson in m.lessons:
            for i, ref in enumerate(lesson.meta.objectives):
                yield ref, lesson.meta.where("objectives", i), f"lesson {lesson.stem}", own
        for a in m.data.activities:
            for i, ref in enumerate(a.objectives):
                yield ref, a.where("objectives", i), f"activity {a.id}", own
        for q in m.questions:
            for i, ref in enumerate(q.objectives):
                yield ref, q.where("objectives", i), f"question {q.id}", own


@check
def question_objectives(p: Project) -> Iterator[Diagnostic]:
    """Every question names an objective. An imported one (`imported:`, written by `course
    import`) may lack it for now: a warning until an author links it."""
    from builder.model.load import SCHEMA_MISSING

    for m in p.modules:
        for q in m.questions:
            if q.objectives:
                continue
            if q.imported is not None:
                yield diag(NO_OBJECTIVE, q.where("id"), f"imported question {q.id} is not linked to an objective",
                           f"add `objectives: [{m.objectives[0].id if m.objectives else m.id + '.O1'}]` "
                           "(the objective it assesses)")
            else:
                yield diag(SCHEMA_MISSING, q.where("id"), f"question {q.id} names no objective",
                           f"add `objectives: [{m.objectives[0].id if m.objectives else m.id + '.O1'}]`")


@check
def references(p: Project) -> Iterator[Diagnostic]:
    for ref, where, who, allowed in _objective_refs(p):
        if ref not in allowed:
            close = difflib.get_close_matches(ref, allowed, n=1, cutoff=0.5)
            yield diag(REF_OBJECTIVE, where, f"{who} names objective '{ref}', which this module does not define",
                       f"did you mean `{close[0]}`?" if close else f"objectives here: {', '.join(allowed)}")
    for m in p.modules:
        if not m.quiz:
            continue
        scenarios = [s.id for s in m.quiz.scenarios]
        for q in m.quiz.questions:
            if q.scenario and q.scenario not in scenarios:
                yield diag(REF_SCENARIO, q.where("scenario"), f"question {q.id} names scenario '{q.scenario}', "
                           "which this bank does not define",
                           f"scenarios here: {', '.join(scenarios)}" if scenarios else "add it under `scenarios:`")
    terms = {t.term.casefold() for t in p.glossary.terms} | {a.casefold() for t in p.glossary.terms for a in t.aliases}
    for t in p.glossary.terms:
        for s in t.see:
            if s.casefold() not in terms:
                yield diag(REF_TERM, t.where("see"), f"term '{t.term}' refers to '{s}', which is not in the glossary")
    if p.course.default_region not in p.resources.regions and p.resources.regions:
        yield diag(REF_REGION, p.course.where("default_region"),
                   f"default region '{p.course.default_region}' has no entry in resources.yaml",
                   f"regions defined: {', '.join(sorted(p.resources.regions))}")
    if p.forms:
        all_objectives = {o.id for m in p.modules for o in m.objectives}
        for f in p.forms.forms:
            if isinstance(f.modules, list):
                for mod in f.modules:
                    if p.module(mod) is None:
                        yield diag(REF_MODULE, f.where("modules"), f"form '{f.id}' names module '{mod}', "
                                   "which the course does not have")
            if isinstance(f.draw.objectives, list):
                for ref in f.draw.objectives:
                    if ref not in all_objectives:
                        yield diag(REF_OBJECTIVE, f.draw.where("objectives"),
                                   f"form '{f.id}' draws from objective '{ref}', which no module defines")
            for qtype in f.draw.types:
                if qtype not in schema.QUESTION_TYPES:
                    yield diag(REF_MODULE, f.draw.where("types"), f"form '{f.id}' names question type '{qtype}'",
                               f"use one of: {', '.join(schema.QUESTION_TYPES)}")


@check
def timing(p: Project) -> Iterator[Diagnostic]:
    for m in p.modules:
        lessons = sum(lesson.meta.duration for lesson in m.lessons)
        # each edition runs its own activities (docs/editions.md): the longest edition counts
        activities = max([sum(a.duration for a in m.data.activities if in_edition(a.editions, e.id))
                          for e in p.course.editions] or [sum(a.duration for a in m.data.activities)])
        if lessons + activities > m.data.duration:
            yield diag(TIMING, m.data.where("duration"),
                       f"lessons ({lessons} min) and activities ({activities} min) take {lessons + activities} "
                       f"minutes, more than the module's {m.data.duration}",
                       "shorten some parts or raise the module `duration`")


@check
def coverage(p: Project) -> Iterator[Diagnostic]:
    for m in p.modules:
        taught = {ref for lesson in m.lessons for ref in lesson.meta.objectives}
        assessed = {ref for q in m.questions for ref in q.objectives}
        for o in m.objectives:
            if o.id not in taught:
                yield diag(UNTAUGHT, o.where("id"), f"objective {o.id} is not covered by any lesson",
                           "list it in the `objectives:` front matter of the lesson that teaches it")
            if m.quiz is not None and o.id not in assessed:
                yield diag(UNASSESSED, o.where("id"), f"objective {o.id} is not assessed by any question",
                           f"add a question with `objectives: [{o.id}]` to {m.quiz_path}")
        if m.quiz is None and m.quiz_path is None:
            yield diag(NO_QUIZ, m.data.where("id"), f"module {m.id} has no quiz bank",
                       f"create quizzes/{m.folder}.yaml")


@check
def question_sanity(p: Project) -> Iterator[Diagnostic]:
    for _, q in p.all_questions():
        if isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
            n = sum(o.correct for o in q.options)
            if isinstance(q, schema.SingleChoice) and n != 1:
                yield diag(Q_CORRECT, q.where("options"),
                           f"single-choice question {q.id} has {n} correct options; it needs exactly one",
                           "mark one option `correct: true`, or use `type: multiple`")
            if isinstance(q, schema.MultipleResponse) and n < 1:
                yield diag(Q_CORRECT, q.where("options"),
                           f"multiple-response question {q.id} has no correct option",
                           "mark at least one option `correct: true`")
            yield from _duplicates(((o.text.strip(), o.where("text")) for o in q.options),
                                   f"question {q.id}: option", fold=True, code=Q_DUPLICATE)
        elif isinstance(q, schema.Matching):
            for side in ("left", "right"):
                yield from _duplicates(((getattr(pair, side).strip(), pair.where(side)) for pair in q.pairs),
                                       f"question {q.id}: {side} side", fold=True, code=Q_PAIRS)
        elif isinstance(q, schema.Ordering):
            yield from _duplicates(((item.strip(), q.where("items", i)) for i, item in enumerate(q.items)),
                                   f"question {q.id}: item", fold=True, code=Q_DUPLICATE)
        elif isinstance(q, schema.ShortAnswer):
            yield from _duplicates(((a.strip(), q.where("accepted", i)) for i, a in enumerate(q.accepted)),
                                   f"question {q.id}: accepted answer", fold=not q.case_sensitive, code=Q_DUPLICATE)


def _documents(p: Project) -> Iterator[Document]:
    for m in p.modules:
        yield from m.lessons
    yield from p.pages


@check
def block_kinds(p: Project) -> Iterator[Diagnostic]:
    kinds = list(BLOCK_KINDS)
    for doc in _documents(p):
        for b in find_blocks(doc.body):
            if b.kind not in BLOCK_KINDS:
                close = difflib.get_close_matches(b.kind.lower(), kinds, n=1, cutoff=0.6)
                yield diag(BLOCK_KIND, doc.where(b.start, b.col), f"unknown block kind '{b.kind}'",
                           f"did you mean `{close[0]}`?" if close else f"use one of: {', '.join(kinds)}")


@check
def regions_have_crisis_lines(p: Project) -> Iterator[Diagnostic]:
    for code, region in p.resources.regions.items():
        if not any(r.crisis for r in region.resources):
            yield diag(NO_CRISIS, region.where("resources"), f"region '{code}' has no resource marked `crisis: true`",
                       "help blocks and the crisis card need at least one crisis line per region")


def objective_index(p: Project) -> dict[str, list[str]]:
    """Objective id -> question ids assessing it (used by stats and reports)."""
    index: dict[str, list[str]] = defaultdict(list)
    for _, q in p.all_questions():
        for ref in q.objectives:
            index[ref].append(q.id)
    return index
