"""Moodle XML: every question type, one question-bank category per section.

Written to what Moodle's `qformat_xml` importer reads: a `category` pseudo-question before
each section (path `$course$/<course title>/<section title>`, a literal `/` doubled as
Moodle expects), HTML text escaped as XML, grade fractions from the list Moodle offers.
Reflection questions become essays with the model answer as grader information. Ordering
questions use the Ordering question type, standard since Moodle 4.4 (earlier sites need
the qtype_ordering plugin): the loss table says so for each of them.
"""

from __future__ import annotations

from lxml import etree

from builder.render.quiz.common import Collection, Export, Item, fmt_number, multiple_fractions
from builder.render.quiz.text import md_html

NAME = "moodle"
LABEL = "Moodle XML"
ORDERING_NOTE = ("uses Moodle's Ordering question type: standard from Moodle 4.4; on older Moodle "
                 "install the qtype_ordering plugin first, or the whole import stops")
_ESSAY_LINES = (5, 10, 15, 20, 25, 30, 35, 40)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _text(parent: etree._Element, tag: str, html: str, fmt: str = "html") -> etree._Element:
    el = _sub(parent, tag, format=fmt)
    _sub(el, "text", html)
    return el


def category_path(parts: tuple[str, ...]) -> str:
    """`$course$/a/b`, with `/` inside a name doubled (Moodle's escape for it)."""
    return "/".join(["$course$", *(" ".join(p.split()).replace("/", "//") for p in parts)])


def question_name(item: Item) -> str:
    """The name instructors see in the question bank: id and the start of the stem."""
    stem = item.stem_text if len(item.stem_text) <= 60 else item.stem_text[:57].rstrip() + "..."
    return f"{item.ident} {stem}".strip()


def shortanswer_pattern(answer: str) -> str:
    """Moodle treats `*` in short answers as a wildcard; a literal one is written `\\*`."""
    return answer.replace("*", "\\*")


def _header(quiz: etree._Element, item: Item, qtype: str) -> etree._Element:
    q = _sub(quiz, "question", type=qtype)
    name = _sub(q, "name")
    _sub(name, "text", question_name(item))
    _text(q, "questiontext", item.stem_html)
    _text(q, "generalfeedback", item.general_html)
    _sub(q, "defaultgrade", fmt_number(item.points))
    _sub(q, "penalty", "0.3333333" if qtype != "essay" else "0")
    _sub(q, "hidden", "0")
    _sub(q, "idnumber", item.ident)
    return q


def _combined(q: etree._Element, item: Item) -> None:
    _text(q, "correctfeedback", item.correct_html)
    _text(q, "partiallycorrectfeedback", "")
    _text(q, "incorrectfeedback", item.incorrect_html)


def _answer(q: etree._Element, fraction: float, text: str, feedback: str, fmt: str = "html") -> None:
    a = _sub(q, "answer", fraction=fmt_number(fraction), format=fmt)
    _sub(a, "text", text)
    _text(a, "feedback", feedback)


def _tags(q: etree._Element, item: Item) -> None:
    tags = _sub(q, "tags")
    for t in item.tags():
        _sub(_sub(tags, "tag"), "text", t)


def _render_choice(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "multichoice")
    single = item.kind == "single"
    _sub(q, "single", "true" if single else "false")
    _sub(q, "shuffleanswers", "false")  # authors' order; forms fix their own order
    _sub(q, "answernumbering", "abc")
    _sub(q, "showstandardinstruction", "0")
    _combined(q, item)
    _sub(q, "shownumcorrect")
    fractions = multiple_fractions(item) if not single else {}
    for c in item.choices:
        frac = (100.0 if c.correct else 0.0) if single else fractions[c.key]
        _answer(q, frac, c.html, c.feedback_html)
    _tags(q, item)


def _render_true_false(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "truefalse")
    fb_true, fb_false = item.true_false_feedback()
    answer = bool(item.true_false.answer)
    _answer(q, 100.0 if answer else 0.0, "true", fb_true, "moodle_auto_format")
    _answer(q, 0.0 if answer else 100.0, "false", fb_false, "moodle_auto_format")
    _tags(q, item)


def _render_short(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "shortanswer")
    _sub(q, "usecase", "1" if item.short_answer.case_sensitive else "0")
    for a in item.short_answer.accepted:
        _answer(q, 100.0, shortanswer_pattern(" ".join(a.split())), item.correct_html, "moodle_auto_format")
    if item.incorrect_html:
        # Moodle's idiom for "any other answer": a 0 % wildcard after the right ones.
        _answer(q, 0.0, "*", item.incorrect_html, "moodle_auto_format")
    _tags(q, item)


def _render_matching(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "matching")
    _sub(q, "shuffleanswers", "true")
    _combined(q, item)
    _sub(q, "shownumcorrect")
    rights = {c.key: c for c in item.rights}
    for left in item.lefts:
        sq = _sub(q, "subquestion", format="html")
        _sub(sq, "text", left.html)
        # Moodle shows answers as plain text in a drop-down.
        _sub(_sub(sq, "answer"), "text", rights["r" + left.key[1:]].text)
    for c in item.rights:
        if c.key.startswith("d"):
            sq = _sub(q, "subquestion", format="html")
            _sub(sq, "text", "")
            _sub(_sub(sq, "answer"), "text", c.text)
    _tags(q, item)


def _render_ordering(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "ordering")
    _sub(q, "layouttype", "VERTICAL")
    _sub(q, "selecttype", "ALL")
    _sub(q, "selectcount", str(len(item.steps)))
    _sub(q, "gradingtype", "ABSOLUTE_POSITION")
    _sub(q, "showgrading", "SHOW")
    _sub(q, "numberingstyle", "none")
    _combined(q, item)
    _sub(q, "shownumcorrect")
    for pos, step in enumerate(item.steps, start=1):
        a = _sub(q, "answer", fraction=f"{pos}.0000000", format="html")
        _sub(a, "text", step.html)
    _tags(q, item)


def _render_essay(quiz: etree._Element, item: Item) -> None:
    q = _header(quiz, item, "essay")
    lines = int(item.reflection.lines)
    _sub(q, "responseformat", "editor")
    _sub(q, "responserequired", "1")
    _sub(q, "responsefieldlines", str(next((n for n in _ESSAY_LINES if n >= lines), 40)))
    _sub(q, "attachments", "0")
    _sub(q, "attachmentsrequired", "0")
    model = item.reflection.model_answer
    _text(q, "graderinfo", md_html(model) if model else "")
    _text(q, "responsetemplate", "")
    _tags(q, item)


_RENDER = {
    "single": _render_choice,
    "multiple": _render_choice,
    "true_false": _render_true_false,
    "short_answer": _render_short,
    "matching": _render_matching,
    "ordering": _render_ordering,
    "reflection": _render_essay,
}


def export(coll: Collection) -> Export:
    """One `.xml` file with a category per section and every question in it."""
    out = Export()
    quiz = etree.Element("quiz")
    for section in coll.sections:
        quiz.append(etree.Comment(f" {section.ident} ".replace("--", "- -")))
        cat = _sub(quiz, "question", type="category")
        _sub(_sub(cat, "category"), "text", category_path(section.category))
        _text(cat, "info", "")
        _sub(cat, "idnumber", "")
        for item in section.items:
            _RENDER[item.kind](quiz, item)
            if item.kind == "ordering":
                out.lose(item, ORDERING_NOTE)
    data = etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    out.files[f"{coll.ident}-moodle.xml"] = data
    return out

