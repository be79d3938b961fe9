"""Quiz questions laid out for paper: what the question paper shows, what the key says.

Papers never show answers. On a module paper, options keep their authored order, while
matching answers and ordering items are shuffled, because their authored order *is* the
answer; that shuffle is seeded by the question id, so the same question always prints the
same way, and it never leaves the items in the answer order. On an assessment form every
order comes from the form variant (`builder.model.forms`, the one drawing algorithm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from builder.model.forms import scramble
from builder.model.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    Reflection,
    Scenario,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# What the paper tells the reader to do, by question type.
HOW_TO_ANSWER = {
    "single": "Tick one answer.",
    "multiple": "Tick every answer that is right.",
    "true_false": "Tick true or false.",
    "short_answer": "Write a word or a short phrase.",
    "matching": "Write the letter of the matching item in each box.",
    "ordering": "Number the steps in the right order, starting with 1.",
    "reflection": "Write your answer on the lines.",
}


@dataclass
class Choice:
    letter: str
    html: str
    correct: bool = False
    feedback: str = ""


@dataclass
class PaperQuestion:
    """One question as printed: on the paper and in the answer key."""

    number: int
    id: str
    type: str
    stem: str  # HTML
    how: str
    points: float
    objectives: list[str]
    scenario: Scenario | None = None
    scenario_html: str = ""
    scenario_first: bool = False  # print the scenario text before this question
    choices: list[Choice] = field(default_factory=list)  # single, multiple, true/false
    left: list[str] = field(default_factory=list)  # matching: numbered prompts (HTML)
    right: list[Choice] = field(default_factory=list)  # matching: lettered answers; ordering: items
    lines: int = 0  # ruled lines to write on
    answer: str = ""  # HTML, for the answer key
    feedback: str = ""  # HTML, for the answer key


def paper_questions(questions: Sequence[Question], scenarios: dict[str, Scenario],
                    block: Callable[[str], str], inline: Callable[[str], str],
                    orders: dict[str, list[int]] | None = None) -> list[PaperQuestion]:
    """Lay out `questions` in the given order; `orders` (parts' display order by question
    id) comes from a form variant."""
    out: list[PaperQuestion] = []
    seen_scenarios: set[str] = set()
    for n, q in enumerate(questions, start=1):
        p = PaperQuestion(number=n, id=q.id, type=q.type, stem=_numbered(n, block(q.stem)), how=HOW_TO_ANSWER[q.type],
                          points=q.points, objectives=list(q.objectives))
        if q.scenario and q.scenario in scenarios:
            p.scenario = scenarios[q.scenario]
            p.scenario_html = block(p.scenario.text)
            p.scenario_first = q.scenario not in seen_scenarios
            seen_scenarios.add(q.scenario)
        _layout(p, q, inline, (orders or {}).get(q.id))
        p.feedback = block(q.feedback.general) if q.feedback.general else ""
        out.append(p)
    return out


def _numbered(n: int, stem: str) -> str:
    """The stem's HTML with its number at the start of its first paragraph."""
    stem, number = str(stem), f'<span class="q-number">{n}.</span>'
    return stem.replace("<p>", "<p>" + number, 1) if stem.startswith("<p>") else number + stem


def _permutation(order: list[int] | None, n: int, fallback: Callable[[], list[int]]) -> list[int]:
    return list(order) if order and sorted(order) == list(range(n)) else fallback()


def _layout(p: PaperQuestion, q: Question, inline: Callable[[str], str], order: list[int] | None) -> None:
    if isinstance(q, (SingleChoice, MultipleResponse)):
        idx = _permutation(order, len(q.options), lambda: list(range(len(q.options))))
        for letter, i in zip(LETTERS, idx, strict=False):  # LETTERS: more than any question has
            o = q.options[i]
            p.choices.append(Choice(letter, inline(o.text), o.correct, inline(o.feedback) if o.feedback else ""))
        right = [c.letter for c in p.choices if c.correct]
        p.answer = ", ".join(right) + " (" + "; ".join(c.html for c in p.choices if c.correct) + ")"
    elif isinstance(q, TrueFalse):
        p.choices = [Choice("A", "True", q.answer is True, inline(q.feedback_true or "")),
                     Choice("B", "False", q.answer is False, inline(q.feedback_false or ""))]
        p.answer = "True" if q.answer else "False"
    elif isinstance(q, ShortAnswer):
        p.lines = 1
        p.answer = " or ".join(inline(a) for a in q.accepted)
        if q.case_sensitive:
            p.answer += " (capital letters matter)"
    elif isinstance(q, Matching):
        rights = [pair.right for pair in q.pairs] + list(q.distractors)
        perm = _permutation(order, len(rights), lambda: scramble(q.id + ":right", len(rights)))
        p.left = [inline(pair.left) for pair in q.pairs]
        p.right = [Choice(LETTERS[pos], inline(rights[i]), i < len(q.pairs)) for pos, i in enumerate(perm)]
        letter_of = {i: LETTERS[pos] for pos, i in enumerate(perm)}
        p.answer = "; ".join(f"{n} = {letter_of[i]}" for n, i in enumerate(range(len(q.pairs)), start=1))
    elif isinstance(q, Ordering):
        perm = _permutation(order, len(q.items), lambda: scramble(q.id + ":items", len(q.items)))
        p.right = [Choice(LETTERS[pos], inline(q.items[i])) for pos, i in enumerate(perm)]
        letter_of = {i: LETTERS[pos] for pos, i in enumerate(perm)}
        p.answer = ", ".join(letter_of[i] for i in range(len(q.items))) + " (" + \
            "; ".join(inline(item) for item in q.items) + ")"
    elif isinstance(q, Reflection):
        p.lines = q.lines
        p.answer = inline(q.model_answer) if q.model_answer else "Any thoughtful answer."
