"""Typed models of the curriculum format (version 1).

These pydantic models are the single source of truth for the format: the loader validates
YAML against them, `course schema` turns them into JSON Schema for editors, and renderers
read the validated objects. No I/O happens here.

Every model derives from `Node`, which remembers where its values came from (see
`Node.where`). Positions are attached by `builder.model.load` after validation.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from builder.model.where import Where

FORMAT_VERSION = 1

# Identifier shapes. Ids are stable: exports and caches derive names from them.
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MODULE_ID = r"^M[0-9]+$"
OBJECTIVE_ID = r"^M[0-9]+\.O[0-9]+$"
ACTIVITY_ID = r"^M[0-9]+\.A[0-9]+$"
QUESTION_ID = r"^M[0-9]+\.Q[0-9]+$|^[A-Z][A-Z0-9]*\.Q[0-9]+$"
SCENARIO_ID = r"^M[0-9]+\.S[0-9]+$"
REGION = r"^[a-z]{2}$"
SOURCE_ID = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
DOMAIN = r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"

Markdown = Annotated[str, Field(min_length=1, description="Markdown text.")]
Minutes = Annotated[int, Field(ge=1, le=24 * 60, description="A duration in minutes.")]


class Node(BaseModel):
    """Base of every model: unknown keys are errors, and values remember their source."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)

    _where: Where | None = PrivateAttr(default=None)
    _field_where: dict[str, Where] = PrivateAttr(default_factory=dict)

    def where(self, field: str | None = None, index: int | None = None) -> Where:
        """Where this object, one of its fields, or one item of a list field was written.

        An item without a position of its own falls back to its field, and a field to the object.
        """
        if field is not None and index is not None and f"{field}[{index}]" in self._field_where:
            return self._field_where[f"{field}[{index}]"]
        if field is not None and field in self._field_where:
            return self._field_where[field]
        if self._where is not None:
            return self._where
        return Where("<unknown>", 1, 1)


# ---------------------------------------------------------------------------
# curriculum/course.yaml


class Author(Node):
    name: str = Field(min_length=1)
    role: str | None = None
    url: str | None = None


class ReadingLevel(Node):
    target_grade: float = Field(8.0, ge=1, le=18, description="Flesch-Kincaid grade to aim for.")
    sentences_to_show: int = Field(3, ge=0, le=20)


class Page(Node):
    """A course-wide Markdown page under `curriculum/pages/`."""

    file: str = Field(min_length=1, description="Path relative to curriculum/.")
    audience: Literal["all", "facilitator", "organiser"] = "all"


class ItemWriting(Node):
    """Thresholds of the per-bank item-writing checks (`quiz.item-writing.*`)."""

    true_share_min: float = Field(0.35, ge=0, le=1, description="Least share of true/false items keyed True.")
    true_share_max: float = Field(0.65, ge=0, le=1, description="Largest share of true/false items keyed True.")
    min_true_false: int = Field(
        4, ge=1, le=100, description="The true/false balance is checked in banks with at least this many."
    )
    min_multiple: int = Field(
        3, ge=2, le=100, description="Multiple-response items needed before their correct counts must vary."
    )
    longest_correct_max_share: float = Field(
        0.4, ge=0, le=1, description="Largest share of single-choice items whose correct option is strictly longest."
    )
    min_single: int = Field(
        5, ge=1, le=100, description="The longest-correct share is checked in banks with at least this many."
    )


SLOT_KINDS = ("welcome", "pre-test", "module", "quiz", "break", "lunch", "post-test", "close", "other")


class Slot(Node):
    """One row of a session plan: `slot` says what it is; `module` or `form` what it refers to."""

    slot: Literal["welcome", "pre-test", "module", "quiz", "break", "lunch", "post-test", "close", "other"]
    minutes: Minutes
    module: str | None = Field(None, pattern=MODULE_ID, description="For `module` and `quiz` slots.")
    form: str | None = Field(None, pattern=SLUG, description="For `pre-test` and `post-test`: a form id.")
    title: str | None = Field(None, description="What happens, if the default wording does not fit.")


class Session(Node):
    """A stretch of the course delivered in one sitting (one day, or one half-day)."""

    title: str = Field(min_length=1)
    start: str | None = Field(None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="Clock time, HH:MM.")
    slots: list[Slot] = Field(min_length=1)


class Plan(Node):
    """A way to deliver the whole course: one long day, two half-days ..."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    summary: str | None = None
    sessions: list[Session] = Field(min_length=1)


class Completion(Node):
    """`completion:` in course.yaml: when an LMS counts a module (a SCORM SCO, a cmi5 AU) as
    completed and passed, and what the packages report. Checked by builder.checks.completion."""

    rule: str = Field(
        "all-lessons-viewed",
        description="When a module is complete: all-lessons-viewed (every page of the module seen), "
                    "quiz-attempted (its self-check quiz answered), or mastery (quiz score at least "
                    "mastery_score: completed and passed).",
        examples=["all-lessons-viewed", "quiz-attempted", "mastery"],
    )
    mastery_score: float | None = Field(
        None, description="Percent (0-100) of a module's self-check quiz that passes the module. "
                          "Needed by rule mastery; with the other rules, success is reported against it.")
    report: list[str] = Field(
        default_factory=lambda: ["completion", "success", "score"],
        description="What the page reports to the LMS besides progress: completion, success, score. "
                    "Nothing about the learner's answers is ever sent.")


class Edition(Node):
    """One edition of the course (docs/editions.md): the course as one setting reads it."""

    id: str = Field(pattern=SLUG, description="The edition's name: --edition, site/<id>/, `editions: [id]`.")
    title: str = Field(min_length=1, description="The edition as readers see it named: 'School edition'.")
    audience: str = Field(min_length=1, description="Who the edition is for.")
    default_region: str | None = Field(None, pattern=REGION, description="Built when --region is not given.")
    vocabulary: dict[Annotated[str, Field(pattern=SLUG)], str] = Field(
        default_factory=dict, description="Term -> the words this edition uses (`:term[name]` in text).")


class Course(Node):
    """`curriculum/course.yaml`: the course as a whole."""

    format: Literal[1] = Field(1, description="Version of this file format.")
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    subtitle: str | None = None
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")
    language: str = Field("en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    audience: str = Field(min_length=1)
    summary: Markdown
    outcomes: list[str] = Field(min_length=1)
    authors: list[Author] = Field(min_length=1)
    license: str = Field(min_length=1)
    default_region: str = Field(pattern=REGION)
    modules: list[str] = Field(
        min_length=1, description="Module folders under modules/, in teaching order."
    )
    pages: list[Page] = Field(default_factory=list)
    link_allowlist: list[str] = Field(
        default_factory=list, description="Domains that external links may point to."
    )
    reading_level: ReadingLevel = Field(default_factory=ReadingLevel)
    resource_max_age_months: int = Field(12, ge=1, le=120)
    words_per_minute: int = Field(
        110, ge=20, le=400, description="Most lesson words per minute of `duration` (timing.words-per-minute)."
    )
    quiz_item_writing: ItemWriting = Field(default_factory=lambda: ItemWriting())
    timetable: list[Plan] = Field(
        default_factory=list, description="Session plans: how the whole course is delivered."
    )
    completion: Completion = Field(
        default_factory=lambda: Completion(),
        description="Completion and success in LMS packages (SCORM, cmi5): the rule and the mastery score.",
    )
    editions: list[Edition] = Field(
        default_factory=list, description="Editions of the course: school, workplace, community (docs/editions.md).")
    default_edition: str | None = Field(
        None, pattern=SLUG, description="The edition `course build` builds without --edition (default: the first).")


# ---------------------------------------------------------------------------
# curriculum/resources.yaml


class Contact(Node):
    kind: Literal["call", "text", "chat", "web", "email", "videophone"]
    value: str = Field(min_length=1, description="Number, short code, address or URL.")
    label: str | None = Field(None, description="E.g. 'text HOME to 741741'.")


RESOURCE_GROUPS = ("everyone", "youth", "lgbtq", "indigenous")


class Resource(Node):
    """One support or crisis line. How its details were checked is data: `verification`
    says what kind of check it was, and exactly one date goes with it (`verified_on` for a
    check on the service's own page, `reviewed_on` for a review of secondary sources).
    `builder.checks.content.resources` enforces the pairing."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    crisis: bool = Field(False, description="Shown in help blocks and on the crisis card.")
    group: Literal["everyone", "youth", "lgbtq", "indigenous"] = Field(
        "everyone", description="Who the line is for: pages group lines by it."
    )
    contacts: list[Contact] = Field(min_length=1)
    hours: str = Field(min_length=1)
    languages: list[str] = Field(default_factory=list)
    who_for: str = Field(min_length=1)
    notes: str | None = None
    source: str | None = Field(
        None,
        description="URL of the service's own page for these details: where they were checked "
        "(verification: service-page) or where to confirm them (verification: secondary).",
    )
    verification: Literal["service-page", "secondary"] = Field(
        "service-page",
        description="service-page: every detail was found on the service's own pages on "
        "`verified_on`; secondary: some details come only from other sources (`reviewed_on`).",
    )
    verified_on: _dt.date | None = Field(
        None, description="The day the details were checked on the service's own page."
    )
    reviewed_on: _dt.date | None = Field(
        None, description="The day a secondary-source entry was last reviewed."
    )

    @property
    def checked_on(self) -> _dt.date | None:
        """The date that goes with `verification` (None when the entry lacks it)."""
        return self.verified_on if self.verification == "service-page" else self.reviewed_on


class Region(Node):
    name: str = Field(min_length=1)
    place: str | None = Field(
        None, description='The region as a sentence names it after "in" or "for", when that differs '
        'from `name`: "the United States". Default: `name`.')
    emergency: str = Field(min_length=1, description="The emergency number, e.g. 911.")
    emergency_notes: str | None = None
    resources: list[Resource] = Field(min_length=1)

    @property
    def place_name(self) -> str:
        """The region as it reads in a sentence: "in the United States", "in Ireland"."""
        return self.place or self.name


class Resources(Node):
    """`curriculum/resources.yaml`: support and crisis lines by region."""

    format: Literal[1] = 1
    regions: dict[Annotated[str, Field(pattern=REGION)], Region] = Field(min_length=1)


# ---------------------------------------------------------------------------
# curriculum/glossary.yaml


class Term(Node):
    term: str = Field(min_length=1)
    definition: str = Field(min_length=1, max_length=400)
    aliases: list[str] = Field(default_factory=list)
    see: list[str] = Field(default_factory=list, description="Other terms to look at.")


class Glossary(Node):
    format: Literal[1] = 1
    terms: list[Term] = Field(default_factory=list)


# ---------------------------------------------------------------------------
# modules/NN-slug/module.yaml


class Source(Node):
    """A published source that backs a fact the course states; cite it as `[^id]`."""

    id: str = Field(pattern=SOURCE_ID, description="E.g. M1-solmi-2021: module, first author or body, year.")
    title: str = Field(min_length=1)
    author: str | None = None
    publisher: str | None = None
    year: int | None = Field(None, ge=1800, le=2100)
    url: str | None = Field(None, description="The page the fact was checked on (https://...).")
    note: str | None = Field(None, description="What the source backs, or a caveat.")


class Objective(Node):
    id: str = Field(pattern=OBJECTIVE_ID)
    text: str = Field(min_length=1, description="An observable action: 'Describe …'.")


ActivityKind = Literal["role-play", "discussion", "reflection", "worksheet"]


class Activity(Node):
    id: str = Field(pattern=ACTIVITY_ID)
    kind: ActivityKind
    title: str = Field(min_length=1)
    duration: Minutes
    objectives: list[str] = Field(default_factory=list)
    instructions: Markdown
    materials: list[str] = Field(default_factory=list)
    scenario: str | None = Field(None, description="Role-play: the situation to act out.")
    roles: list[str] = Field(default_factory=list, description="Role-play: who plays whom.")
    observer_checklist: list[str] = Field(default_factory=list)
    prompts: list[str] = Field(
        default_factory=list, description="Questions to discuss or write about."
    )
    write_in_lines: int = Field(4, ge=0, le=30, description="Ruled lines per prompt in print.")
    rounds: int | None = Field(None, ge=1, le=20, description="Rounds, e.g. one per person in a role-play.")
    round_minutes: float | None = Field(
        None, gt=0, le=240, description="Minutes per round, feedback included (rounds x this must fit `duration`)."
    )
    editions: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Only in these editions (docs/editions.md); empty: every edition.")


class Adaptations(Node):
    school: str | None = None
    workplace: str | None = None
    community: str | None = None
    online: str | None = None


class FacilitatorNotes(Node):
    preparation: Markdown | None = None
    timing: Markdown | None = None
    sensitive_moments: Markdown | None = None
    disclosure: Markdown | None = Field(
        None, description="What to do if a participant discloses distress."
    )
    adaptations: Adaptations = Field(default_factory=Adaptations)


class ModuleFile(Node):
    """`modules/NN-slug/module.yaml` as written."""

    format: Literal[1] = 1
    id: str = Field(pattern=MODULE_ID)
    title: str = Field(min_length=1)
    summary: Markdown
    duration: Minutes
    objectives: list[Objective] = Field(min_length=1)
    lessons: list[str] = Field(min_length=1, description="Lesson files in this folder, in order.")
    activities: list[Activity] = Field(default_factory=list)
    key_points: list[str] = Field(default_factory=list)
    facilitator_notes: FacilitatorNotes = Field(default_factory=FacilitatorNotes)
    sources: list[Source] = Field(default_factory=list, description="Sources the module's citations name.")


class LessonMeta(Node):
    """Front matter of a lesson Markdown file."""

    title: str = Field(min_length=1)
    duration: Minutes
    objectives: list[str] = Field(default_factory=list)
    summary: str | None = None
    sources: list[Source] = Field(default_factory=list, description="Sources cited only in this page.")
    editions: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Only in these editions (docs/editions.md); empty: every edition.")


# ---------------------------------------------------------------------------
# quizzes/NN-slug.yaml

Difficulty = Literal["easy", "medium", "hard"]


class Feedback(Node):
    general: str | None = Field(None, description="Shown after any answer.")
    correct: str | None = None
    incorrect: str | None = None


class Option(Node):
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str | None = Field(None, description="Why this option is right or wrong.")


class Imported(Node):
    """Where a question brought in by `course import` came from (kept for reviewers)."""

    format: Literal["moodle", "gift", "aiken", "qti12"]
    file: str = Field(min_length=1, description="The file as it was named on the command line.")
    line: int = Field(ge=1)
    name: str | None = Field(None, description="The question's name in the source.")


class _QuestionBase(Node):
    id: str = Field(pattern=QUESTION_ID)
    objectives: list[str] = Field(
        default_factory=list,
        description="Objectives the question assesses: at least one (an error otherwise), except on an "
        "`imported` question, which only gets a warning (question.no-objective) until an author links it.",
    )
    scenario: str | None = Field(None, description="Id of a scenario in this bank.")
    stem: Markdown
    feedback: Feedback = Field(default_factory=Feedback)
    difficulty: Difficulty = "medium"
    points: float = Field(1, gt=0, le=100)
    tags: list[str] = Field(default_factory=list)
    imported: Imported | None = Field(None, description="Set by `course import`: where the question came from.")
    editions: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Only in these editions (docs/editions.md); empty: every edition.")


class SingleChoice(_QuestionBase):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2, max_length=10)


class MultipleResponse(_QuestionBase):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=2, max_length=10)


class TrueFalse(_QuestionBase):
    type: Literal["true_false"]
    answer: bool
    feedback_true: str | None = Field(None, description="Feedback for answering 'true'.")
    feedback_false: str | None = Field(None, description="Feedback for answering 'false'.")


class ShortAnswer(_QuestionBase):
    type: Literal["short_answer"]
    accepted: list[str] = Field(min_length=1)
    case_sensitive: bool = False


class Pair(Node):
    left: str = Field(min_length=1)
    right: str = Field(min_length=1)


class Matching(_QuestionBase):
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2, max_length=10)
    distractors: list[str] = Field(default_factory=list, description="Extra right-hand items.")


class Ordering(_QuestionBase):
    type: Literal["ordering"]
    items: list[str] = Field(min_length=2, max_length=10, description="In the correct order.")


class Reflection(_QuestionBase):
    type: Literal["reflection"]
    model_answer: Markdown | None = None
    lines: int = Field(6, ge=1, le=40)


Question = Annotated[
    Union[SingleChoice, MultipleResponse, TrueFalse, ShortAnswer, Matching, Ordering, Reflection],
    Field(discriminator="type"),
]

QUESTION_TYPES = (
    "single",
    "multiple",
    "true_false",
    "short_answer",
    "matching",
    "ordering",
    "reflection",
)
AUTO_GRADED = frozenset(QUESTION_TYPES) - {"reflection"}


class Scenario(Node):
    id: str = Field(pattern=SCENARIO_ID)
    title: str | None = None
    text: Markdown
    editions: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Only in these editions (docs/editions.md); empty: every edition.")


class QuizBank(Node):
    """`quizzes/NN-slug.yaml`: the question bank of one module."""

    format: Literal[1] = 1
    module: str = Field(pattern=MODULE_ID)
    scenarios: list[Scenario] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)


# ---------------------------------------------------------------------------
# quizzes/forms.yaml


class Draw(Node):
    objectives: list[str] | Literal["all"] = "all"
    per_objective: int = Field(1, ge=1, le=20)
    types: list[str] = Field(default_factory=list, description="Only these types; empty = any.")


class Form(Node):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    description: str | None = None
    modules: list[str] | Literal["all"] = "all"
    draw: Draw = Field(default_factory=Draw)
    seed: int = 1
    variants: list[Annotated[str, Field(pattern=r"^[A-Z]$")]] = Field(default_factory=lambda: ["A"])


class Forms(Node):
    format: Literal[1] = 1
    forms: list[Form] = Field(default_factory=list)


# The files the loader validates against a model, by role.
FILE_MODELS: dict[str, type[Node]] = {
    "course": Course,
    "resources": Resources,
    "glossary": Glossary,
    "module": ModuleFile,
    "lesson": LessonMeta,
    "quiz": QuizBank,
    "forms": Forms,
}
