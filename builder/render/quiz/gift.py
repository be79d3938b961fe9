"""GIFT: Moodle's plain-text question format.

Each question is written on one line (`\\n` stands for a line break inside text) so that no
blank line, `//` comment line or stray brace can cut it short; text is `[html]` and every
GIFT control character (`~ = # { } :` and the backslash) is escaped with a backslash.
Categories become `$CATEGORY:` lines; ids and tags go in a `// [id:…] [tag:…]` comment,
which Moodle reads into the question's id number and tags.

What GIFT cannot say: ordering questions (exported as matching: item -> position),
case-sensitive short answers, correct/incorrect feedback outside single choice, points,
and a reflection's model answer (exported as general feedback, shown after answering).
"""

from __future__ import annotations

import re

from builder.render.quiz.common import Collection, Export, Item, fmt_number, multiple_fractions
from builder.render.quiz.moodle import category_path, shortanswer_pattern
from builder.render.quiz.text import md_html

NAME = "gift"
LABEL = "GIFT"

_SPECIAL = re.compile(r"([~=#{}:\\])")
_TAG_UNSAFE = re.compile(r"[\]\[<>\x00-\x1f\x7f]")


def escape(text: str) -> str:
    """Escape GIFT's control characters and keep the text on one line."""
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def escape_answer(html: str) -> str:
    """An answer's HTML: a leading `%` would be read as a grade weight (`%50%`), so it is
    written as the character reference `&#37;`, which shows as `%` in HTML."""
    return escape("&#37;" + html[1:] if html.startswith("%") else html)


def escape_plain(text: str) -> str:
    """Plain text (matching answers): one line, collapsed spaces, GIFT characters escaped."""
    return escape(" ".join(text.split()))


def _position(n: int) -> str:
    return f"Step {n}"


def _comment(item: Item) -> str:
    tags = " ".join(f"[tag:{_TAG_UNSAFE.sub('-', t)}]" for t in item.tags())
    return f"// [id:{_TAG_UNSAFE.sub('-', item.ident)}] {tags}".rstrip()


def _general(item: Item, extra: str = "") -> str:
    text = item.general_html + extra
    return f" ####{escape(text)}" if text else ""


def _feedback(html: str) -> str:
    return f"#{escape(html)}" if html else ""


def _render_single(item: Item) -> str:
    parts = [("=" if c.correct else "~") + escape_answer(c.html) + _feedback(item.choice_feedback(c))
             for c in item.choices]
    return " ".join(parts)


def _render_multiple(item: Item) -> str:
    fr = multiple_fractions(item)
    return " ".join(f"~%{fmt_number(fr[c.key])}%{escape_answer(c.html)}{_feedback(c.feedback_html)}"
                    for c in item.choices)


def _render_true_false(item: Item) -> str:
    fb_true, fb_false = item.true_false_feedback()
    answer = bool(item.true_false.answer)
    # Moodle reads {T#wrong#right}: the first feedback is for a wrong answer.
    wrong, right = (fb_false, fb_true) if answer else (fb_true, fb_false)
    fb = f"#{escape(wrong)}" + (f"#{escape(right)}" if right else "") if (wrong or right) else ""
    return ("TRUE" if answer else "FALSE") + fb


def _render_short(item: Item, out: Export) -> str | None:
    answers = []
    for a in item.short_answer.accepted:
        a = " ".join(a.split())
        if "->" in a or a.startswith("%"):
            # GIFT has no escape for "->" (an answer containing it turns the question into a
            # matching question for Moodle) nor for a leading "%" (read as a grade weight).
            out.lose(item, f"accepted answer {a!r} left out: GIFT cannot write it "
                           "(it holds '->' or starts with '%')")
            continue
        answers.append("=" + escape(shortanswer_pattern(a)) + _feedback(item.correct_html))
    return " ".join(answers) or None


def _render_matching(item: Item) -> str:
    rights = {c.key: c for c in item.rights}
    out = [f"={escape(left.html)} -> {escape_plain(rights['r' + left.key[1:]].text)}" for left in item.lefts]
    out += [f"= -> {escape_plain(c.text)}" for c in item.rights if c.key.startswith("d")]
    return " ".join(out)


def _render_ordering(item: Item) -> str:
    position = {s.key: n for n, s in enumerate(item.steps, start=1)}
    return " ".join(f"={escape(s.html)} -> {_position(position[s.key])}" for s in item.steps_shown)


def _body(item: Item, out: Export) -> str | None:
    extra = ""
    if item.kind == "single":
        answers = _render_single(item)
    elif item.kind == "multiple":
        answers = _render_multiple(item)
    elif item.kind == "true_false":
        answers = _render_true_false(item)
    elif item.kind == "short_answer":
        short = _render_short(item, out)
        if short is None:
            out.lose(item, "not exported: GIFT cannot write any of its accepted answers")
            return None
        answers = short
        if item.short_answer.case_sensitive:
            out.lose(item, "case-sensitive matching (GIFT short answers ignore case)")
    elif item.kind == "matching":
        answers = _render_matching(item)
    elif item.kind == "ordering":
        answers = _render_ordering(item)
        out.lose(item, "ordering exported as matching: each item is matched to its position (Step 1, Step 2, …)")
    else:
        answers = ""
        model = item.reflection.model_answer
        if model:
            extra = "<p><strong>Model answer:</strong></p>" + md_html(model)
            out.lose(item, "model answer exported as general feedback (students see it after answering)")
    if item.kind not in ("single", "true_false", "short_answer") and (item.correct_html or item.incorrect_html):
        out.lose(item, "correct/incorrect feedback (GIFT has no field for it)")
    if item.kind == "short_answer" and item.incorrect_html:
        answers += " =%0%*" + _feedback(item.incorrect_html)
    if item.points != 1:
        out.lose(item, f"points ({fmt_number(item.points)}): GIFT questions import worth 1 mark")
    name = escape(item.ident)
    return f"::{name}::[html]{escape(item.stem_html)}{{{answers}{_general(item, extra)}}}"


def export(coll: Collection) -> Export:
    """One `.txt` file: a `$CATEGORY:` per section, a blank line after every question."""
    out = Export()
    blocks = []
    for section in coll.sections:
        cat = " ".join(category_path(section.category).split())
        blocks.append(f"$CATEGORY: {cat}")
        for item in section.items:
            body = _body(item, out)
            if body is not None:
                blocks.append(_comment(item) + "\n" + body)
    out.files[f"{coll.ident}-gift.txt"] = ("\n\n".join(blocks) + "\n").encode("utf-8")
    return out
