"""Where activities fall in a module's session, and the timing plan that follows from it.

module.yaml lists lessons in order and activities separately. An activity is run right after
the lesson that teaches its first objective (the first objective is what it practises most);
one with no objectives, or none taught by a lesson, closes the session. The workbook and
the facilitator guide use the same placement, so both tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model.project import Lesson, Module
from builder.model.schema import Activity

KIND_LABELS = {"role-play": "Role-play", "discussion": "Discussion", "reflection": "Reflection",
               "worksheet": "Worksheet"}


@dataclass
class Step:
    """One line of a session plan."""

    kind: str  # "lesson" or an activity kind
    title: str
    minutes: int
    start: int  # minutes from the start of the session
    lesson: Lesson | None = None
    activity: Activity | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def label(self) -> str:
        return "Lesson" if self.kind == "lesson" else f"Activity ({KIND_LABELS.get(self.kind, self.kind)})"


def place_activities(module: Module) -> tuple[dict[str, list[Activity]], list[Activity]]:
    """Activities after each lesson (by lesson path), and those that close the session."""
    after: dict[str, list[Activity]] = {lesson.path: [] for lesson in module.lessons}
    closing: list[Activity] = []
    for act in module.data.activities:
        home = None
        if act.objectives:
            for lesson in module.lessons:
                if act.objectives[0] in lesson.meta.objectives:
                    home = lesson
                    break
        if home is None:
            closing.append(act)
        else:
            after[home.path].append(act)
    return after, closing


def session_plan(module: Module) -> list[Step]:
    """Every lesson and activity in teaching order, with start times."""
    after, closing = place_activities(module)
    steps: list[Step] = []
    clock = 0

    def add(step: Step) -> None:
        nonlocal clock
        steps.append(step)
        clock += step.minutes

    for lesson in module.lessons:
        add(Step("lesson", lesson.title, lesson.meta.duration, clock, lesson=lesson))
        for act in after[lesson.path]:
            add(Step(act.kind, act.title, act.duration, clock, activity=act))
    for act in closing:
        add(Step(act.kind, act.title, act.duration, clock, activity=act))
    return steps


def clock_text(minutes: int) -> str:
    """0:05, 1:20: elapsed time on a facilitator's watch."""
    return f"{minutes // 60}:{minutes % 60:02d}"
