"""The shape every quiz exporter reads: collections of sections of prepared items.

A `Collection` is one export (the course's banks, or one form); its `Section`s become Moodle
categories, QTI assessments or Canvas quizzes (one per module, or one per form variant).
An `Item` is a question with its Markdown already rendered to safe HTML and plain text and
its choices in display order, each with a stable key derived from the authored position,
so exporters only decide how to write, never how to interpret.

Exporters return an `Export`: the files to write and the `Loss`es, what the format could not
carry for which question. Losses are data; the CLI prints them as a table.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import zipfile
from dataclasses import dataclass, field
from typing import Sequence, TypeVar

from builder.model import schema
from builder.model.project import Module, Project
from builder.render.quiz.text import md_html, md_inline, one_line, plain

# Grade fractions (percent) Moodle offers; exported fractions are always one of these.
MOODLE_FRACTIONS = (100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333,
                    30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0)


_Q = TypeVar("_Q", schema.TrueFalse, schema.ShortAnswer, schema.Reflection)


@dataclass(frozen=True)
class Choice:
    """One selectable thing: an option, a matching side, an ordering item, true or false."""

    key: str  # stable within its question, e.g. "o2" = the second option as authored
    html: str  # safe inline XHTML
    text: str  # one line of plain text
    correct: bool = False
    feedback_html: str = ""


@dataclass(frozen=True)
class Item:
    """A question prepared for export."""

    ident: str  # unique in the collection: the question id, prefixed by the variant in forms
    q: schema.Question
    module_id: str
    stem_html: str  # scenario (if any) + stem, safe XHTML blocks
    stem_text: str  # the same as one line of plain text
    choices: tuple[Choice, ...] = ()  # single/multiple: options in display order
    lefts: tuple[Choice, ...] = ()  # matching: left sides; key "l<n>" pairs with "r<n>"
    rights: tuple[Choice, ...] = ()  # matching: right sides and distractors, display order
    steps: tuple[Choice, ...] = ()  # ordering: items in the correct order
    steps_shown: tuple[Choice, ...] = ()  # ordering: items in display order
    general_html: str = ""
    correct_html: str = ""
    incorrect_html: str = ""

    @property
    def qid(self) -> str:
        return self.q.id

    @property
    def kind(self) -> str:
        return self.q.type

    # The question as its own type, for the fields only that type has (a writer picks its
    # branch by `kind`, which a type checker cannot follow).
    @property
    def true_false(self) -> schema.TrueFalse:
        return _as(self.q, schema.TrueFalse)

    @property
    def short_answer(self) -> schema.ShortAnswer:
        return _as(self.q, schema.ShortAnswer)

    @property
    def reflection(self) -> schema.Reflection:
        return _as(self.q, schema.Reflection)

    @property
    def points(self) -> float:
        return float(self.q.points)

    def tags(self) -> list[str]:
        """Objectives, difficulty and author tags: what LMS tag fields carry."""
        return [*self.q.objectives, f"difficulty:{self.q.difficulty}", *self.q.tags]

    def true_false_feedback(self) -> tuple[str, str]:
        """Feedback shown for answering true / false, with correct/incorrect feedback merged in."""
        assert isinstance(self.q, schema.TrueFalse)
        t = md_inline(self.q.feedback_true) if self.q.feedback_true else ""
        f = md_inline(self.q.feedback_false) if self.q.feedback_false else ""
        right, wrong = (t, f) if self.q.answer else (f, t)
        right = _join(right, self.correct_html)
        wrong = _join(wrong, self.incorrect_html)
        return (right, wrong) if self.q.answer else (wrong, right)

    def choice_feedback(self, c: Choice) -> str:
        """Option feedback; for single choice the correct/incorrect feedback is merged in,
        which is exact there (one right option), so formats without those fields lose nothing."""
        if self.kind == "single":
            return _join(c.feedback_html, self.correct_html if c.correct else self.incorrect_html)
        return c.feedback_html


@dataclass(frozen=True)
class Section:
    ident: str  # e.g. "M1" or "pre-post-A"
    title: str
    category: tuple[str, ...]  # category path below the course, e.g. ("Fixture Course", "First steps")
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Collection:
    ident: str  # file stem, e.g. "fixture-course" or "fixture-course-form-pre-post"
    title: str
    sections: tuple[Section, ...]
    language: str = "en"

    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]


@dataclass(frozen=True, order=True)
class Loss:
    """What one format could not carry for one question (or '*' for the whole export)."""

    qid: str
    what: str


@dataclass
class Export:
    files: dict[str, bytes] = field(default_factory=dict)  # name -> bytes, names relative
    losses: list[Loss] = field(default_factory=list)

    def lose(self, item: Item | str, what: str) -> None:
        qid = item if isinstance(item, str) else item.qid
        loss = Loss(qid, what)
        if loss not in self.losses:
            self.losses.append(loss)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------------------
# Building items



def _as(q: schema.Question, kind: type[_Q]) -> _Q:
    if not isinstance(q, kind):
        raise TypeError(f"question {q.id} is {q.type}, not {kind.__name__}")
    return q

def _scenario(module: Module, q: schema.Question) -> schema.Scenario | None:
    if q.scenario and module.quiz:
        for s in module.quiz.scenarios:
            if s.id == q.scenario:
                return s
    return None


def make_item(module: Module, q: schema.Question, ident: str | None = None,
              order: Sequence[int] = ()) -> Item:
    """Prepare one question; `order` is a display order (see `forms.FormItem.order`)."""
    sc = _scenario(module, q)
    stem_html = md_html(q.stem)
    stem_text = plain(q.stem)
    if sc is not None:
        head = f"<p><strong>{_esc(one_line(sc.title))}</strong></p>" if sc.title else ""
        stem_html = head + md_html(sc.text) + stem_html
        title = f"{one_line(sc.title)}:" if sc.title else ""
        stem_text = " ".join(p for p in (title, plain(sc.text), stem_text) if p)
    fb = q.feedback
    kw: dict[str, object] = dict(
        ident=ident or q.id, q=q, module_id=module.id, stem_html=stem_html, stem_text=stem_text,
        general_html=md_html(fb.general) if fb.general else "",
        correct_html=md_inline(fb.correct) if fb.correct else "",
        incorrect_html=md_inline(fb.incorrect) if fb.incorrect else "",
    )
    if isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
        opts = [Choice(f"o{i + 1}", md_inline(o.text), plain(o.text), o.correct,
                       md_inline(o.feedback) if o.feedback else "") for i, o in enumerate(q.options)]
        kw["choices"] = tuple(_reorder(opts, order))
    elif isinstance(q, schema.Matching):
        kw["lefts"] = tuple(Choice(f"l{i + 1}", md_inline(p.left), plain(p.left)) for i, p in enumerate(q.pairs))
        rights = [Choice(f"r{i + 1}", md_inline(p.right), plain(p.right)) for i, p in enumerate(q.pairs)]
        rights += [Choice(f"d{i + 1}", md_inline(d), plain(d)) for i, d in enumerate(q.distractors)]
        kw["rights"] = tuple(_reorder(rights, order))
    elif isinstance(q, schema.Ordering):
        steps = [Choice(f"s{i + 1}", md_inline(t), plain(t)) for i, t in enumerate(q.items)]
        kw["steps"] = tuple(steps)
        kw["steps_shown"] = tuple(_reorder(steps, order or _scramble(q.id, len(steps))))
    return Item(**kw)  # type: ignore[arg-type]


def _scramble(seed: str, n: int) -> list[int]:
    """A fixed order, never the identity, for showing ordering items where the format
    would otherwise list them in their answer order."""
    order = list(range(n))
    rng = random.Random(f"ordering/{seed}")
    while n > 1 and order == sorted(order):
        rng.shuffle(order)
    return order


def _reorder(seq: list[Choice], order: Sequence[int]) -> list[Choice]:
    if not order:
        return seq
    return [seq[i] for i in order]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bank_collection(project: Project, module: str | None = None) -> Collection:
    """The course's question banks: one section per module that has questions."""
    course = project.course
    sections = []
    for m in project.modules:
        if module is not None and m is not project.module(module):
            continue
        items = tuple(make_item(m, q) for q in m.questions)
        if items:
            title = f"{m.id}: {m.title}"
            sections.append(Section(m.id, title, (course.title, title), items))
    ident = course.id if module is None else f"{course.id}-{project.module(module).id}"  # type: ignore[union-attr]
    return Collection(ident, course.title, tuple(sections), course.language)


# ---------------------------------------------------------------------------
# Scoring shared by the formats that carry partial credit


def nearest_fraction(percent: float) -> float:
    """The Moodle grade fraction (percent, sign kept) closest to `percent`."""
    best = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(percent)))
    return best if percent >= 0 else -best


def multiple_fractions(item: Item) -> dict[str, float]:
    """Percent credit per option of a multiple-response question.

    Each right option earns an equal share of 100 %; each wrong one costs an equal share,
    so ticking every box scores 0. Shares are Moodle-offered fractions (n <= 10 options).
    """
    right = [c for c in item.choices if c.correct]
    wrong = [c for c in item.choices if not c.correct]
    out = {}
    for c in item.choices:
        share = 100.0 / len(right) if c.correct else -100.0 / len(wrong)
        out[c.key] = nearest_fraction(share)
    return out


def fmt_number(x: float) -> str:
    """A number as Moodle writes it: no trailing zeros, at most 7 decimals."""
    s = f"{x:.7f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# ---------------------------------------------------------------------------
# Deterministic zip files


def zip_date() -> tuple[int, int, int, int, int, int]:
    """Entry timestamp: SOURCE_DATE_EPOCH when set (not before 1980), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        t = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        if t.year >= 1980:
            return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return (1980, 1, 1, 0, 0, 0)


def write_zip(files: dict[str, bytes], first: Sequence[str] = ("imsmanifest.xml",)) -> bytes:
    """A zip whose bytes depend only on `files`: fixed dates and modes, sorted entries
    (the manifest first, where importers look for it)."""
    buf = io.BytesIO()
    date = zip_date()
    names = [n for n in first if n in files] + sorted(n for n in files if n not in first)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, files[name], compresslevel=9)
    return buf.getvalue()
