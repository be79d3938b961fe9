"""`course stats`: totals that the content issue's minimums are stated in."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from builder.model import schema
from builder.model.project import Project

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def count_words(markdown: str) -> int:
    text = re.sub(r"^\s*(!!!|\?\?\?\+?)\s+\S+", "", markdown, flags=re.M)  # block markers
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return len(_WORD.findall(text))


@dataclass
class ModuleStats:
    id: str
    title: str
    minutes: int
    lessons: int
    words: int
    objectives: int
    taught: int
    assessed_twice: int
    activities: Counter[str] = field(default_factory=Counter)
    questions: Counter[str] = field(default_factory=Counter)
    key_points: int = 0


@dataclass
class CourseStats:
    modules: list[ModuleStats]
    pages: int
    page_words: int
    glossary_terms: int
    regions: list[str]

    @property
    def questions(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for m in self.modules:
            total.update(m.questions)
        return total


def course_stats(p: Project) -> CourseStats:
    mods = []
    for m in p.modules:
        taught = {ref for lesson in m.lessons for ref in lesson.meta.objectives}
        assessed = Counter(ref for q in m.questions for ref in q.objectives)
        mods.append(ModuleStats(
            id=m.id, title=m.title, minutes=m.data.duration, lessons=len(m.lessons),
            words=sum(count_words(lesson.body) for lesson in m.lessons),
            objectives=len(m.objectives),
            taught=sum(o.id in taught for o in m.objectives),
            assessed_twice=sum(assessed[o.id] >= 2 for o in m.objectives),
            activities=Counter(a.kind for a in m.data.activities),
            questions=Counter(q.type for q in m.questions),
            key_points=len(m.data.key_points),
        ))
    return CourseStats(mods, len(p.pages), sum(count_words(d.body) for d in p.pages),
                       len(p.glossary.terms), sorted(p.resources.regions))


def format_stats(s: CourseStats) -> str:
    types = list(schema.QUESTION_TYPES)
    head: list[object] = ["module", "min", "lessons", "words", "objectives", "taught", "assessed x2", "activities",
            "key points", "questions", *types]
    rows: list[list[object]] = []
    for m in s.modules:
        rows.append([f"{m.id} {m.title}", m.minutes, m.lessons, m.words, m.objectives, m.taught,
                     m.assessed_twice, sum(m.activities.values()), m.key_points, sum(m.questions.values()),
                     *(m.questions[t] for t in types)])
    total = s.questions
    rows.append(["total", sum(m.minutes for m in s.modules), sum(m.lessons for m in s.modules),
                 sum(m.words for m in s.modules), sum(m.objectives for m in s.modules),
                 sum(m.taught for m in s.modules), sum(m.assessed_twice for m in s.modules),
                 sum(sum(m.activities.values()) for m in s.modules), sum(m.key_points for m in s.modules),
                 sum(total.values()), *(total[t] for t in types)])
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [head, *rows]]
    lines.append("")
    lines.append(f"modules: {len(s.modules)}; lessons: {sum(m.lessons for m in s.modules)}; "
                 f"lesson words: {sum(m.words for m in s.modules)}; course pages: {s.pages} "
                 f"({s.page_words} words); glossary terms: {s.glossary_terms}; "
                 f"regions: {', '.join(s.regions)}")
    kinds: Counter[str] = Counter()
    for m in s.modules:
        kinds.update(m.activities)
    lines.append("activities: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return "\n".join(lines) + "\n"
