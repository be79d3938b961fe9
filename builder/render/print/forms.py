"""Assessment forms for print, drawn by `builder.model.forms` (one drawing algorithm, not two).

The model decides which questions each form variant holds and in what order; this adapter
only asks it and turns the answer into what the paper renderer needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.model.forms import build_form
from builder.model.forms import form_question_ids as model_form_question_ids
from builder.model.project import Project
from builder.model.schema import Question, Scenario


@dataclass
class DrawnForm:
    """A form variant as printed: questions in order, option orders, scenarios they cite."""

    questions: list[Question]
    # question id -> display order of its parts (options, matching right column, ordering items)
    orders: dict[str, list[int]] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)


def draw(project: Project, form_id: str, variant: str) -> DrawnForm:
    """The questions of one variant of a form, as the model draws them."""
    items = build_form(project, form_id, variant)
    return DrawnForm(questions=[item.question for item in items],
                     orders={item.question.id: list(item.order) for item in items if item.order},
                     scenarios=all_scenarios(project))


def form_question_ids(project: Project) -> set[str]:
    """Ids of every question that some form variant uses (kept out of workbook self-checks)."""
    return set(model_form_question_ids(project))


def all_scenarios(project: Project) -> dict[str, Scenario]:
    return {s.id: s for m in project.modules if m.quiz for s in m.quiz.scenarios}
