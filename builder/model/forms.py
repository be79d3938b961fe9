"""Assessment forms drawn from the question banks by `quizzes/forms.yaml`.

A form (e.g. a pre/post test) names which modules and objectives to draw from, how many
questions per objective, which question types, a seed and its variants. Drawing is
deterministic: the same files and seed always give the same questions, on every machine
(`random.Random` seeded with a string is stable across Python versions and platforms).

All variants of a form hold the *same questions*; each variant has its own question order
and its own option order, so neighbours in a room do not share an answer pattern, and
scores of A and B remain comparable.

Public API (the print renderer uses it to lay out quiz papers):

    build_form(project, form, variant) -> list[FormItem]
    draw_form(project, form) -> Draw
    form_question_ids(project) -> frozenset[str]
    find_form(project, form_id) -> Form | None

`FormItem.order` is the display order of a question's parts, as indices into what the
author wrote: `options` for single/multiple choice; for matching the right-hand column
(every pair's right side in pair order, then the distractors); for ordering the items
(authored in the correct order, shown scrambled). It is empty for other types.
Use `FormItem.shown()` to get those parts already in display order.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Sequence

from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.project import Module, Project

FORM_SHORT = register("form.short", "A form cannot draw as many questions as it asks for.", "warning")

# How often to re-shuffle before accepting an order equal to an earlier variant's.
_ATTEMPTS = 50


@dataclass(frozen=True)
class FormItem:
    """One question as it appears on one variant of a form."""

    number: int  # 1-based position on the paper
    module: Module
    question: schema.Question
    order: tuple[int, ...] = ()  # display order of the question's parts (see module docs)

    def shown(self) -> list[object]:
        """The question's parts in display order: `Option`s, right-hand strings or items."""
        q = self.question
        if isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
            parts: list[object] = list(q.options)
        elif isinstance(q, schema.Matching):
            parts = [*(p.right for p in q.pairs), *q.distractors]
        elif isinstance(q, schema.Ordering):
            parts = list(q.items)
        else:
            return []
        return [parts[i] for i in self.order] if self.order else parts


@dataclass
class Draw:
    """The questions a form draws (same for every variant), and any shortfall warnings."""

    form: schema.Form
    questions: list[tuple[Module, schema.Question]]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_form(project: Project, form_id: str) -> schema.Form | None:
    if project.forms is None:
        return None
    return next((f for f in project.forms.forms if f.id == form_id), None)


def _modules(project: Project, form: schema.Form) -> list[Module]:
    if form.modules == "all":
        return list(project.modules)
    wanted = [project.module(m) for m in form.modules]
    return [m for m in project.modules if m in wanted]


def _part_count(q: schema.Question) -> int:
    if isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
        return len(q.options)
    if isinstance(q, schema.Matching):
        return len(q.pairs) + len(q.distractors)
    if isinstance(q, schema.Ordering):
        return len(q.items)
    return 0


def draw_form(project: Project, form: schema.Form) -> Draw:
    """Pick `per_objective` questions for every objective the form covers.

    Objectives are taken in course order; for each, the candidates (questions of allowed
    types assessing it, not already drawn) are sorted by id and sampled with a generator
    seeded by the form's seed, id and the objective, so adding a question to one module
    never changes what is drawn for another module's objectives.
    """
    modules = _modules(project, form)
    types = set(form.draw.types)
    pool = [(m, q) for m in modules for q in m.questions if not types or q.type in types]
    if form.draw.objectives == "all":
        objectives = [o.id for m in modules for o in m.objectives]
    else:
        objectives = list(form.draw.objectives)
    taken: set[str] = set()
    out: list[tuple[Module, schema.Question]] = []
    diags: list[Diagnostic] = []
    for obj in objectives:
        candidates = sorted((mq for mq in pool if obj in mq[1].objectives and mq[1].id not in taken),
                            key=lambda mq: mq[1].id)
        rng = random.Random(f"{form.seed}/{form.id}/{obj}")
        n = form.draw.per_objective
        if len(candidates) < n:
            kinds = f" of type {', '.join(form.draw.types)}" if form.draw.types else ""
            diags.append(diag(FORM_SHORT, form.draw.where("per_objective"),
                              f"form '{form.id}' asks for {n} question(s){kinds} on objective {obj}, "
                              f"but the banks have {len(candidates)} not already drawn",
                              f"add questions with `objectives: [{obj}]`, or lower `per_objective`"))
        picked = rng.sample(candidates, min(n, len(candidates)))
        picked.sort(key=lambda mq: mq[1].id)
        for mq in picked:
            taken.add(mq[1].id)
            out.append(mq)
    return Draw(form, out, diags)


def scramble(seed: str, n: int) -> list[int]:
    """A fixed permutation of range(n), seeded by `seed`, that is never the identity (n > 1).

    Matching answers and ordering items are authored in their answer order, so anything that
    shows them (site self-checks, printed papers) shows this order instead.
    """
    order = list(range(n))
    if n < 2:
        return order
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))
    rng.shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def _shuffled(n: int, rng: random.Random, avoid: Sequence[tuple[int, ...]],
              forbid: tuple[int, ...] | None = None) -> tuple[int, ...]:
    """A permutation of range(n) unlike those in `avoid` when the attempts find one, and
    never equal to `forbid` (when n > 1)."""
    order = list(range(n))
    for _ in range(_ATTEMPTS):
        rng.shuffle(order)
        if tuple(order) not in avoid and tuple(order) != forbid:
            return tuple(order)
    while n > 1 and tuple(order) == forbid:
        rng.shuffle(order)
    return tuple(order)


def build_form(project: Project, form: schema.Form | str, variant: str) -> list[FormItem]:
    """The questions of one variant of a form, numbered, in that variant's order.

    Raises `KeyError` for an unknown form id or variant. Every variant has the same
    questions; variant k's question order and each question's part order differ from those
    of variants before it whenever there are enough parts to make them differ.
    """
    f = find_form(project, form) if isinstance(form, str) else form
    if f is None:
        raise KeyError(f"no form '{form}' in quizzes/forms.yaml")
    if variant not in f.variants:
        raise KeyError(f"form '{f.id}' has no variant '{variant}' (variants: {', '.join(f.variants)})")
    drawn = draw_form(project, f).questions
    # Replay the earlier variants so each new one can avoid their orders.
    seen_orders: list[tuple[int, ...]] = []
    seen_parts: dict[str, list[tuple[int, ...]]] = {}
    result: list[FormItem] = []
    for v in f.variants[: f.variants.index(variant) + 1]:
        rng = random.Random(f"{f.seed}/{f.id}/variant/{v}")
        qorder = _shuffled(len(drawn), rng, seen_orders)
        seen_orders.append(qorder)
        result = []
        for number, idx in enumerate(qorder, start=1):
            module, q = drawn[idx]
            n = _part_count(q)
            prev = seen_parts.setdefault(q.id, [])
            # Never show an ordering question already in its answer order.
            forbid = tuple(range(n)) if isinstance(q, schema.Ordering) else None
            order = _shuffled(n, rng, prev, forbid) if n else ()
            seen_parts[q.id].append(order)
            result.append(FormItem(number, module, q, order))
    return result


def form_question_ids(project: Project) -> frozenset[str]:
    """Ids of every question some form draws. Participants never get their answers: they
    are kept out of the site's self-checks and the workbook's (a participant who has read
    the post-test's answers before taking it tells us nothing)."""
    if project.forms is None:
        return frozenset()
    drawn = frozenset(q.id for f in project.forms.forms for _, q in draw_form(project, f).questions)
    if project.forms_drawn_anywhere is not None:  # an edition's copy: what any edition's forms draw
        return drawn | project.forms_drawn_anywhere
    return drawn


def form_diagnostics(project: Project) -> list[Diagnostic]:
    """Warnings for every form that cannot draw what it asks for."""
    if project.forms is None:
        return []
    return [d for f in project.forms.forms for d in draw_form(project, f).diagnostics]
