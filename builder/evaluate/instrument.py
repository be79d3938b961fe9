"""What a knowledge form looks like to the readers: which question is where on each variant,
how its options read, and how an answer scores.

Exports name questions in two ways, and the readers use both:
- by number: the position on a variant of the form (Moodle's "Q. 3 /1.00", "Response 3");
- by text: the question text (Canvas's "<canvas id>: <question text>", Moodle's "Question 3"
  column) and option texts (Moodle's "Response 3" / "Right answer 3", Canvas's answer cells),
  exactly as `builder.render.quiz` wrote them (`Item.stem_text`, `Choice.text`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from builder.model import schema
from builder.model.forms import FormItem, build_form
from builder.model.project import Module, Project
from builder.render.quiz.common import make_item

# Letters on the printed papers (builder.render.print.questions uses the same).
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def text_key(text: str) -> str:
    """Text reduced to what every export keeps: letters and digits, case folded. Canvas's
    `strip_tags` glues paragraphs together, Moodle collapses spaces, both may keep entities."""
    return re.sub(r"[\W_]+", "", html.unescape(text).casefold())


@dataclass
class Question:
    """One question of the form, with what the readers need to recognise and score it."""

    qid: str
    module: Module
    q: schema.Question
    stem_text: str
    options: list[str] = field(default_factory=list)  # plain text, authored order
    correct: frozenset[int] = frozenset()  # authored indices of the right options
    numbers: dict[str, int] = field(default_factory=dict)  # variant -> number on the paper
    orders: dict[str, tuple[int, ...]] = field(default_factory=dict)  # variant -> option display order

    @property
    def kind(self) -> str:
        return self.q.type

    @property
    def objectives(self) -> list[str]:
        return list(self.q.objectives)

    def score(self, chosen: frozenset[int]) -> float:
        """The fraction of the question's points that choosing `chosen` earns (0..1).

        Single choice: all or nothing. Multiple response: each right option earns an equal
        share, each wrong one costs an equal share, never below 0 (as the exports grade it).
        """
        if self.kind in ("single", "true_false"):
            return 1.0 if chosen and chosen == self.correct else 0.0
        right = len(self.correct)
        wrong = len(self.options) - right
        total = sum(1.0 / right if i in self.correct else (-1.0 / wrong if wrong else 0.0) for i in chosen)
        return min(1.0, max(0.0, total))

    def option_by_text(self, text: str) -> int | None:
        key = text_key(text)
        hits = [i for i, o in enumerate(self.options) if text_key(o) == key]
        return hits[0] if len(hits) == 1 else None

    def correct_text_keys(self) -> set[str]:
        return {text_key(self.options[i]) for i in self.correct}


@dataclass
class Instrument:
    """A knowledge form: its questions, and the numbering of each variant."""

    form: schema.Form
    questions: dict[str, Question]  # qid -> question, in the order of the first variant
    by_number: dict[str, dict[int, str]]  # variant -> number -> qid

    def by_text(self, text: str) -> str | None:
        """The question whose text is `text` (or, for a cut-off text, the only one it starts)."""
        key = text_key(text)
        if not key:
            return None
        exact = [qid for qid, q in self.questions.items() if text_key(q.stem_text) == key]
        if len(exact) == 1:
            return exact[0]
        if len(key) >= 20:
            start = [qid for qid, q in self.questions.items()
                     if text_key(q.stem_text).startswith(key) or key.startswith(text_key(q.stem_text))]
            if len(start) == 1:
                return start[0]
        return None


def instrument(project: Project, form: schema.Form) -> Instrument:
    """Every variant of `form`, built the way the papers and exports build it."""
    questions: dict[str, Question] = {}
    by_number: dict[str, dict[int, str]] = {}
    for variant in form.variants:
        items: list[FormItem] = build_form(project, form, variant)
        by_number[variant] = {}
        for fi in items:
            q = fi.question
            entry = questions.get(q.id)
            if entry is None:
                item = make_item(fi.module, q)  # authored order: choices keyed o1..on
                options = [c.text for c in item.choices]
                correct = frozenset(i for i, c in enumerate(item.choices) if c.correct)
                if isinstance(q, schema.TrueFalse):  # Moodle and Canvas answer "True" / "False"
                    options, correct = ["True", "False"], frozenset({0 if q.answer else 1})
                entry = questions[q.id] = Question(q.id, fi.module, q, item.stem_text, options, correct)
            entry.numbers[variant] = fi.number
            entry.orders[variant] = fi.order or tuple(range(len(entry.options)))
            by_number[variant][fi.number] = q.id
    return Instrument(form, questions, by_number)
