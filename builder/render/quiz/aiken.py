"""Aiken: the simplest import format (Moodle and others), single-answer questions only.

    Question text on one line
    A. First option
    B. Second option
    ANSWER: B

Single-choice questions export as they are, true/false as a two-option question
(A. True / B. False). Everything else cannot be said in Aiken: each such question is listed
in the loss table as not exported, never silently dropped. Aiken has no categories, so each
section (module, or form variant) gets its own file; it has no feedback, no points and no
formatting, and Moodle shows the text exactly as written (it escapes it as plain text).
The course's banks also get one file of every module (`<course>-aiken.txt`), for an LMS
that should take the whole course's questions into one category in one import.
"""

from __future__ import annotations

import re
import string

from builder.render.quiz.common import Collection, Export, Item, fmt_number

NAME = "aiken"
LABEL = "Aiken"

# Lines Moodle's Aiken reader would take for an option or the answer, not question text.
_KIND_NAMES = {"multiple": "multiple-response", "short_answer": "short-answer", "matching": "matching",
               "ordering": "ordering", "reflection": "open (reflection)"}
_RESERVED = re.compile(r"^([A-Z][.)][ \t]|ANSWER:)")


def _stem_line(text: str) -> str:
    line = " ".join(text.split())
    if _RESERVED.match(line) or len(line) < 2:
        # Moodle skips lines under 2 characters and reads "A. …" as an option.
        line = f"Question: {line}"
    return line


def _lines(item: Item, out: Export) -> list[str] | None:
    if item.kind == "single":
        options = [(c.text, c.correct) for c in item.choices]
    elif item.kind == "true_false":
        answer = bool(item.true_false.answer)
        options = [("True", answer), ("False", not answer)]
        out.lose(item, "true/false exported as a two-option multiple choice (A. True, B. False)")
    else:
        out.lose(item, f"not exported: Aiken has no {_KIND_NAMES[item.kind]} questions "
                       "(use Moodle XML, GIFT or QTI)")
        return None
    lines = [_stem_line(item.stem_text)]
    letters = string.ascii_uppercase
    for i, (text, _) in enumerate(options):
        lines.append(f"{letters[i]}. {' '.join(text.split()) or '-'}")
    right = next(i for i, (_, ok) in enumerate(options) if ok)
    lines.append(f"ANSWER: {letters[right]}")
    has_fb = (item.general_html or item.correct_html or item.incorrect_html
              or any(c.feedback_html for c in item.choices)
              or getattr(item.q, "feedback_true", None) or getattr(item.q, "feedback_false", None))
    if has_fb:
        out.lose(item, "feedback (Aiken has none)")
    if item.points != 1:
        out.lose(item, f"points ({fmt_number(item.points)}): Aiken questions import worth 1 mark")
    return lines


def whole_file(coll: Collection) -> bool:
    """Whether the collection also gets one file of all its sections (`<ident>-aiken.txt`):
    when it has several sections and no question is in two of them. The course's banks do
    (one file for the whole course, beside the per-module files); a form's variants hold the
    same questions in another order, so a file of all variants would repeat every question."""
    qids = [i.qid for s in coll.sections for i in s.items]
    return len(coll.sections) > 1 and len(qids) == len(set(qids))


def _text(blocks: list[list[str]]) -> bytes:
    return ("\n\n".join("\n".join(b) for b in blocks) + "\n").encode("utf-8")


def export(coll: Collection) -> Export:
    """One `.txt` file per section (Aiken cannot say which category a question belongs to),
    and for the course's banks one more with every module's questions (`whole_file`)."""
    out = Export()
    every: list[list[str]] = []
    for section in coll.sections:
        blocks = [lines for item in section.items if (lines := _lines(item, out)) is not None]
        every += blocks
        if not blocks:
            continue
        name = (f"{coll.ident}-aiken.txt" if len(coll.sections) == 1
                else f"{coll.ident}-{section.ident}-aiken.txt")
        out.files[name] = _text(blocks)
    if every and whole_file(coll):
        out.files[f"{coll.ident}-aiken.txt"] = _text(every)
    return out
