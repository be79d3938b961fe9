"""The loaded course: validated files assembled into one object graph for renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.model.schema import (
    Course,
    Forms,
    Glossary,
    LessonMeta,
    ModuleFile,
    Objective,
    Question,
    QuizBank,
    Resources,
)
from builder.model.where import Where


@dataclass
class Document:
    """A Markdown file with front matter: a lesson or a course-wide page."""

    path: str  # relative to the project root, POSIX style
    slug: str  # file name without the .md suffix and number prefix, e.g. "what-is-stigma"
    meta: LessonMeta
    body: str  # Markdown after the front matter
    body_line: int  # line of the file where `body` starts (1-based)

    @property
    def title(self) -> str:
        return self.meta.title

    def where(self, body_line_index: int = 0, col: int = 1) -> Where:
        """Position of a line of the body, counted from 0."""
        return Where(self.path, self.body_line + body_line_index, col)


@dataclass
class Lesson(Document):
    module_id: str = ""
    stem: str = ""  # file name without .md, e.g. "02-what-is-stigma"


@dataclass
class Module:
    folder: str  # e.g. "04-warning-signs"
    number: int  # 4
    slug: str  # "warning-signs"
    data: ModuleFile
    path: str  # "modules/04-warning-signs/module.yaml"
    lessons: list[Lesson] = field(default_factory=list)
    quiz: QuizBank | None = None
    quiz_path: str | None = None

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def title(self) -> str:
        return self.data.title

    @property
    def objectives(self) -> list[Objective]:
        return self.data.objectives

    @property
    def questions(self) -> list[Question]:
        return list(self.quiz.questions) if self.quiz else []


@dataclass
class Project:
    root: Path
    course: Course
    resources: Resources
    glossary: Glossary
    modules: list[Module]
    pages: list[Document] = field(default_factory=list)
    page_audience: dict[str, str] = field(default_factory=dict)  # page path -> audience
    forms: Forms | None = None
    # Every source file read, relative path -> SHA-256 of its bytes (for caches and reports).
    sources: dict[str, str] = field(default_factory=dict)
    # The edition this copy shows (builder.model.editions.for_edition), or "" for the source.
    edition: str = ""
    # On an edition's copy: every question that a form draws in ANY edition (or in the source).
    # Participants of no edition get those answers (builder.model.forms.form_question_ids).
    forms_drawn_anywhere: frozenset[str] | None = None
    # On the source: that set, worked out once (every edition's copy shares it).
    _drawn_by_any_edition: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def module(self, id_or_folder: str) -> Module | None:
        for m in self.modules:
            if id_or_folder in (m.id, m.folder, m.slug, str(m.number)):
                return m
        return None

    def all_questions(self) -> list[tuple[Module, Question]]:
        return [(m, q) for m in self.modules for q in m.questions]

    def objective(self, objective_id: str) -> Objective | None:
        for m in self.modules:
            for o in m.objectives:
                if o.id == objective_id:
                    return o
        return None
