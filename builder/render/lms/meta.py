"""The course facts every package's metadata carries, from the model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.model.project import Project


@dataclass(frozen=True)
class Meta:
    title: str
    description: str
    language: str
    version: str
    minutes: int  # typical learning time: the modules' durations added up
    rule: str  # completion.rule
    mastery: float | None  # completion.mastery_score (percent), or None
    report: tuple[str, ...]

    @property
    def iso_duration(self) -> str:
        """ISO 8601, e.g. PT6H30M."""
        h, m = divmod(self.minutes, 60)
        return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")

    @property
    def hhmmss(self) -> str:
        h, m = divmod(self.minutes, 60)
        return f"{h:02d}:{m:02d}:00"


def plain(text: str) -> str:
    """Markdown summary as one line of plain text (metadata fields are plain)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def course_meta(project: Project) -> Meta:
    c = project.course
    completion = c.completion
    return Meta(title=c.title, description=plain(c.summary), language=c.language, version=c.version,
                minutes=sum(m.data.duration for m in project.modules), rule=completion.rule,
                mastery=completion.mastery_score, report=tuple(completion.report))
