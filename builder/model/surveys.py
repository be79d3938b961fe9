"""Surveys beside the knowledge check: `quizzes/surveys.yaml`.

Three kinds, the instruments the programme guide describes: a needs assessment (before the
course), a confidence self-rating with one item per course outcome (before, after and at
follow-up, on a 5-point scale from "not at all" to "extremely"), and a feedback form
(Kirkpatrick level 1, after the course). Surveys are anonymous by default.

    load_surveys(root) -> (Surveys | None, diagnostics)     parse and validate, with positions
    survey_diagnostics(project) -> diagnostics               `course check` runs this

Items are `rating` (a named scale of `scales:`), `choice` (options; `multiple: true` to tick
several) or `text` (free text). Ids are short and stable (`C1`, `F7`): result files and
reports use them as column names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.project import Project
from builder.model.where import Where

SURVEYS_FILE = "quizzes/surveys.yaml"
ITEM_ID = r"^[A-Z][0-9]{1,2}$"
PHASES = ("before", "after", "follow-up")

SURVEY_REF = register("survey.ref", "A survey item names an unknown scale or course outcome.")
SURVEY_DUPLICATE = register("survey.duplicate", "Two surveys or two survey items share an id.")
SURVEY_ITEM = register("survey.item", "A survey item that lacks what its type needs.")
SURVEY_OUTCOMES = register("survey.outcomes", "A confidence survey that leaves out a course outcome.", "warning")


class SurveyItem(schema.Node):
    id: str = Field(pattern=ITEM_ID, description="Short and stable, e.g. C1: a column in result files.")
    type: Literal["rating", "choice", "text"]
    text: str = Field(min_length=1)
    scale: str | None = Field(None, description="rating: a scale of `scales:`.")
    options: list[str] = Field(default_factory=list, description="choice: what people can tick.")
    multiple: bool = Field(False, description="choice: several may be ticked.")
    outcome: int | None = Field(None, ge=1, le=50, description="The course outcome (1-based) the item asks about.")
    lines: int = Field(4, ge=1, le=20, description="text: lines to write on in print.")


class Survey(schema.Node):
    id: str = Field(pattern=schema.SLUG)
    title: str = Field(min_length=1)
    kind: Literal["needs", "confidence", "feedback"]
    when: list[Literal["before", "after", "follow-up"]] = Field(min_length=1)
    anonymous: bool = Field(True, description="No name, e-mail or id is asked for or kept.")
    intro: str | None = None
    stem: str | None = Field(None, description="Words before every item: 'How confident are you that you could...'")
    items: list[SurveyItem] = Field(min_length=1)


class Surveys(schema.Node):
    format: Literal[1] = 1
    scales: dict[str, list[str]] = Field(default_factory=dict, description="Named answer scales, lowest first.")
    surveys: list[Survey] = Field(default_factory=list)

    def survey(self, survey_id: str) -> Survey | None:
        return next((s for s in self.surveys if s.id == survey_id), None)


def load_surveys(root: Path) -> tuple[Surveys | None, list[Diagnostic]]:
    """`quizzes/surveys.yaml` validated, with the position of every value; (None, []) when the
    course has no surveys file."""
    from builder.model.load import validate
    from builder.model.source import parse_yaml, read_text

    path = root / SURVEYS_FILE
    if not path.exists():
        return None, []
    text, _, problem = read_text(root, path)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    data, positions, problems = parse_yaml(text, SURVEYS_FILE)
    if problems:
        return None, problems
    diags: list[Diagnostic] = []
    surveys = validate(Surveys, data if data is not None else {}, positions, diags)
    return surveys, diags


def check_surveys(surveys: Surveys, outcomes: int) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, Where] = {}
    for s in surveys.surveys:
        if s.id in seen:
            out.append(diag(SURVEY_DUPLICATE, s.where("id"), f"survey id '{s.id}' is used twice",
                            f"the first is at {seen[s.id]}"))
        seen.setdefault(s.id, s.where("id"))
        items: dict[str, Where] = {}
        covered: set[int] = set()
        for it in s.items:
            if it.id in items:
                out.append(diag(SURVEY_DUPLICATE, it.where("id"), f"item id '{it.id}' is used twice in survey '{s.id}'",
                                f"the first is at {items[it.id]}"))
            items.setdefault(it.id, it.where("id"))
            if it.type == "rating":
                if it.scale is None:
                    names = ", ".join(surveys.scales) or "(define scales: first)"
                    out.append(diag(SURVEY_ITEM, it.where(), f"rating item {it.id} has no `scale`",
                                    f"add `scale:` with one of: {names}"))
                elif it.scale not in surveys.scales:
                    out.append(diag(SURVEY_REF, it.where("scale"), f"unknown scale '{it.scale}'",
                                    f"the scales are: {', '.join(surveys.scales) or 'none yet'}"))
            if it.type == "choice" and len(it.options) < 2:
                out.append(diag(SURVEY_ITEM, it.where("options") if it.options else it.where(),
                                f"choice item {it.id} needs at least two options", "list them under `options:`"))
            if it.type != "choice" and it.options:
                out.append(diag(SURVEY_ITEM, it.where("options"),
                                f"only choice items have options ({it.id} is {it.type})",
                                "remove `options:`, or make it `type: choice`"))
            if it.outcome is not None:
                if it.outcome > outcomes:
                    out.append(diag(SURVEY_REF, it.where("outcome"),
                                    f"outcome {it.outcome}: the course has {outcomes} outcomes",
                                    "outcomes are numbered from 1 in the order of course.yaml"))
                else:
                    covered.add(it.outcome)
        if s.kind == "confidence":
            missing = [n for n in range(1, outcomes + 1) if n not in covered]
            if missing:
                out.append(diag(SURVEY_OUTCOMES, s.where("items"),
                                f"survey '{s.id}' has no item for course outcome(s) {', '.join(map(str, missing))}",
                                "add a rating item with `outcome: N` for each"))
    for name, levels in surveys.scales.items():
        if len(levels) < 2 or len(set(levels)) != len(levels):
            out.append(diag(SURVEY_ITEM, surveys.where("scales"), f"scale '{name}' needs two or more different levels"))
    return out


def survey_diagnostics(project: Project) -> list[Diagnostic]:
    """Load and check the course's surveys (`course check`)."""
    surveys, diags = load_surveys(project.root)
    if surveys is not None:
        diags = diags + check_surveys(surveys, len(project.course.outcomes))
    return diags
