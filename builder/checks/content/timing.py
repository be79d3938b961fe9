"""A timetable that can be delivered: lesson pace, activity slots and the course's session plans.

- `timing.words-per-minute` (warning): a lesson whose words (counted as `course stats` counts
  them: every word of the body, facilitator blocks included) divided by its front-matter
  `duration` exceed `words_per_minute` in course.yaml (default 110). Lessons are read aloud,
  discussed and practised; a group cannot work through more than that.
- `timing.activity-overrun` (warning): an activity whose `rounds` x `round_minutes` is more
  than its `duration` (three listener rounds of 7 minutes do not fit in 15).
- `timetable.*`: the session plans in course.yaml (`timetable:`), checked against the modules,
  quiz banks and forms as they are now, so the plan cannot drift from the course:
  - `timetable.unknown` (error): a slot naming a module or form that does not exist, a
    `module`/`quiz` slot without `module:`, a `pre-test`/`post-test` slot without `form:`, or
    a `!!! timetable "plan-id"` block in a page naming no plan.
  - `timetable.missing` (warning): a plan that leaves out a module, a module's quiz (for every
    module with a quiz bank), the pre-test or the post-test.
  - `timetable.order` (warning): a pre-test after the first module, a post-test before the last
    module, or a module's quiz before the module.
  - `timetable.short` (warning): a plan giving a module fewer minutes (all its `module` slots
    together) than the module's `duration`.
  - `timetable.long` (warning): more minutes than the module's `duration`: when a module gets
    shorter, its plans follow, so the printed times stay true.

Plans report in course.yaml; their diagnostics depend on module.yaml, the banks and forms.yaml,
which is why `builder.checks.content.cache` keys course.yaml on those files too.
"""

from __future__ import annotations

from typing import Iterator

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.blocks import find_blocks
from builder.model.editions import edition_text
from builder.stats import count_words

WPM = register("timing.words-per-minute", "A lesson with more words per minute than the course allows.", "warning")
OVERRUN = register("timing.activity-overrun", "An activity whose rounds do not fit its duration.", "warning")
UNKNOWN = register("timetable.unknown", "A session-plan slot naming a module or form that does not exist.")
MISSING = register("timetable.missing", "A session plan that leaves out a module, a quiz or the pre/post test.",
                   "warning")
ORDER = register("timetable.order", "A session plan with the tests or a quiz in the wrong place.", "warning")
SHORT = register("timetable.short", "A session plan giving a module less time than its duration.", "warning")
LONG = register("timetable.long", "A session plan giving a module more time than its duration.", "warning")


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    rate = corpus.project.course.words_per_minute
    for m in corpus.project.modules:
        for lesson in m.lessons:
            if corpus.wants(lesson.path):
                words, edition = _edition_words(corpus.project.course, lesson.body)
                minutes = lesson.meta.duration
                if words > rate * minutes:
                    need = -(-words // rate)
                    yield diag(WPM, lesson.meta.where("duration"),
                               f"'{lesson.title}' has {words} words{edition} in {minutes} minutes "
                               f"({words / minutes:.1f} a minute; the course allows {rate})",
                               f"cut the text (not the practice), or give it `duration: {need}` and the module "
                               "the time it needs")
        if corpus.wants(m.path):
            for act in m.data.activities:
                yield from _overrun(act)
    if corpus.wants(corpus.project.course.where().path):
        for plan in corpus.project.course.timetable:
            yield from _plan(corpus, plan)
    plans = {p.id for p in corpus.project.course.timetable}
    for prose in corpus.bodies:
        if "timetable" not in prose.raw:
            continue
        lines = prose.raw.split("\n")
        for block in find_blocks(prose.raw):
            if block.kind != "timetable" or (block.title in plans if block.title else plans):
                continue
            offset = sum(len(line) + 1 for line in lines[:block.start]) + block.col - 1
            yield diag(UNKNOWN, prose.where(offset),
                       f"`!!! timetable` names no session plan of course.yaml ('{block.title or ''}')",
                       f"write one of {', '.join(sorted(plans))}" if plans else
                       "add a plan under `timetable:` in curriculum/course.yaml")


def _edition_words(course: schema.Course, body: str) -> tuple[int, str]:
    """The words of a lesson as its longest edition reads it (docs/editions.md: each edition
    reads only its own `!!! edition` blocks, with its vocabulary), and " in the X edition"
    for the message; the whole body, and "", for a course without editions."""
    if not course.editions:
        return count_words(body), ""
    words, ed = max((count_words(edition_text(body, e.id, dict(e.vocabulary))), e.id) for e in course.editions)
    return words, f" in the {ed} edition"


def _overrun(act: schema.Activity) -> Iterator[Diagnostic]:
    if act.rounds is None or act.round_minutes is None:
        return
    need = act.rounds * act.round_minutes
    if need > act.duration:
        yield diag(OVERRUN, act.where("round_minutes"),
                   f"activity {act.id} has {act.rounds} rounds of {_num(act.round_minutes)} minutes "
                   f"({_num(need)} minutes) in a {act.duration}-minute slot",
                   f"give it `duration: {-(-int(need * 10) // 10)}` or more, or fewer or shorter rounds; "
                   "do not leave people without a turn")


def _num(x: float) -> str:
    return f"{x:g}"


def _plan(corpus: Corpus, plan: schema.Plan) -> Iterator[Diagnostic]:
    project = corpus.project
    modules = {m.id: m for m in project.modules}
    forms = {f.id for f in project.forms.forms} if project.forms else set()
    slots = [(s, sl) for s in plan.sessions for sl in s.slots]
    minutes: dict[str, int] = {}
    module_pos: dict[str, int] = {}  # where each module's last slot is
    first_module = last_module = None
    quiz_pos: dict[str, tuple[int, schema.Slot]] = {}
    tests: dict[str, list[tuple[int, schema.Slot]]] = {"pre-test": [], "post-test": []}
    for i, (_, sl) in enumerate(slots):
        if sl.slot in ("module", "quiz"):
            if sl.module is None:
                yield diag(UNKNOWN, sl.where("slot"), f"plan '{plan.id}': a `{sl.slot}` slot without `module:`",
                           "add `module: M1` (the id of the module)")
                continue
            if sl.module not in modules:
                yield diag(UNKNOWN, sl.where("module"), f"plan '{plan.id}': no module '{sl.module}'",
                           f"use one of {', '.join(modules)}")
                continue
            if sl.slot == "module":
                minutes[sl.module] = minutes.get(sl.module, 0) + sl.minutes
                module_pos[sl.module] = i
                first_module = i if first_module is None else first_module
                last_module = i
            else:
                quiz_pos.setdefault(sl.module, (i, sl))
        elif sl.slot in tests:
            if sl.form is None:
                yield diag(UNKNOWN, sl.where("slot"), f"plan '{plan.id}': a `{sl.slot}` slot without `form:`",
                           "add `form: pre-post` (the id of a form in quizzes/forms.yaml)")
                continue
            if sl.form not in forms:
                yield diag(UNKNOWN, sl.where("form"), f"plan '{plan.id}': no form '{sl.form}' in quizzes/forms.yaml",
                           f"use one of {', '.join(sorted(forms))}" if forms else "add the form to quizzes/forms.yaml")
                continue
            tests[sl.slot].append((i, sl))
    where = plan.where("id")
    for mid, m in modules.items():
        if mid not in minutes:
            yield diag(MISSING, where, f"plan '{plan.id}' leaves out module {mid} ({m.title})",
                       f"add `- {{slot: module, module: {mid}, minutes: {m.data.duration}}}`")
            continue
        if minutes[mid] < m.data.duration:
            yield diag(SHORT, where, f"plan '{plan.id}' gives module {mid} {minutes[mid]} minutes; the module "
                       f"takes {m.data.duration}", f"give its slot {m.data.duration} minutes or more")
        elif minutes[mid] > m.data.duration:
            yield diag(LONG, where, f"plan '{plan.id}' gives module {mid} {minutes[mid]} minutes; the module "
                       f"takes {m.data.duration}, so the plan shows time the module does not use",
                       f"give its slots {m.data.duration} minutes; put extra time in a slot of its own "
                       "(a break, or `slot: other`)")
        if m.quiz is not None and m.quiz.questions:
            if mid not in quiz_pos:
                yield diag(MISSING, where, f"plan '{plan.id}' has no slot for the module {mid} quiz",
                           f"add `- {{slot: quiz, module: {mid}, minutes: 10}}` after the module")
            elif quiz_pos[mid][0] < module_pos[mid]:
                yield diag(ORDER, quiz_pos[mid][1].where("slot"),
                           f"plan '{plan.id}': the module {mid} quiz comes before the module ends",
                           "move the quiz slot after the module")
    for kind, word, fix in (("pre-test", "start", "before the first module"),
                            ("post-test", "end", "after the last module")):
        if not tests[kind]:
            yield diag(MISSING, where, f"plan '{plan.id}' has no {kind} at the {word} of the course",
                       f"add `- {{slot: {kind}, form: pre-post, minutes: 20}}` {fix}")
            continue
        i, sl = tests[kind][0] if kind == "pre-test" else tests[kind][-1]
        wrong = (kind == "pre-test" and first_module is not None and i > first_module) or \
                (kind == "post-test" and last_module is not None and i < last_module)
        if wrong:
            yield diag(ORDER, sl.where("slot"), f"plan '{plan.id}': the {kind} is not at the {word} of the course",
                       f"move it {fix}")


def plan_rows(plan: schema.Plan) -> list[dict[str, object]]:
    """The rows of a session plan for renderers: session, clock time, what happens, minutes."""
    rows: list[dict[str, object]] = []
    for s in plan.sessions:
        clock = _minutes(s.start) if s.start else None
        for sl in s.slots:
            rows.append({"session": s.title, "start": _clock(clock) if clock is not None else "",
                         "slot": sl, "minutes": sl.minutes})
            if clock is not None:
                clock += sl.minutes
        if clock is not None:
            rows.append({"session": s.title, "start": _clock(clock), "slot": None, "minutes": 0})
    return rows


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
