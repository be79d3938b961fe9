"""QTI 1.2 assessments, shared by the Canvas package (qti12) and Common Cartridge (cc11).

Both speak QTI 1.2 `questestinterop` documents: one assessment per section, one
`root_section`, HTML in `mattext texttype="text/html"`. They differ in their profile:

- "canvas": Canvas's question types in `question_type` metadata, scores on Canvas's 0-100
  scale, matching with one drop-down per left-hand item (ordering becomes matching);
- "cc": the Common Cartridge 1.1 profile (`cc_profile` metadata, only single/multiple
  choice, true/false, fill-in and essay; `SCORE` may only be Set), so matching and ordering
  become one single-choice question per left-hand item, and true/false idents are `true` and
  `false` as Moodle's CC importer requires.

Scoring as Moodle's Common Cartridge importer reads it (moodle/moodle
backup/cc/entity11.quiz.class.php at 2c709bbb752f28b6763f8282bfd8ecca27360a9d):
- `get_answers` credits a multiple-response option only if its `varequal` carries
  `case="Yes"` inside the `setvar SCORE = 100` condition and outside a `not` (XPath
  `…setvar[@varname='SCORE'][.=100]/../conditionvar//varequal[@case='Yes'][not(parent::not)]`);
  without it every multiple-response question scores 0. So every `varequal` of a
  multiple-response item says `case="Yes"` (the QTI 1.2 default is "No"; option idents have
  no letter case to compare anyway).
- `get_defaultgrade` reads `cc_weighting` with `(int)`, so 0.25 becomes 0 marks, and takes
  only 0-99 (anything else becomes 1): every weighting is a whole number from 1 to 99. A
  split matching or ordering question needs its points shared among its parts, so each
  assessment's marks are its questions' points times a whole factor (`cc_scale`: the least
  common multiple of the part counts) whenever that stays within 99: then every question
  keeps exactly its share of the quiz. Otherwise the factor that makes the most split
  questions exact, and the other parts are rounded to whole marks.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Literal

from lxml import etree

from builder.render.quiz.common import Choice, Export, Item, Section, fmt_number
from builder.render.quiz.text import md_html

NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
Profile = Literal["canvas", "cc"]

_CANVAS_TYPE = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "true_false": "true_false_question",
    "short_answer": "short_answer_question",
    "matching": "matching_question",
    "ordering": "matching_question",
    "reflection": "essay_question",
}
_CC_TYPE = {
    "single": "cc.multiple_choice.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "true_false": "cc.true_false.v0p1",
    "short_answer": "cc.fib.v0p1",
    "reflection": "cc.essay.v0p1",
}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _material(parent: etree._Element, html: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype=texttype)


def _meta(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    md = _sub(parent, "qtimetadata")
    for label, entry in fields:
        f = _sub(md, "qtimetadatafield")
        _sub(f, "fieldlabel", label)
        _sub(f, "fieldentry", entry)


def _feedback(item_el: etree._Element, ident: str, html: str) -> None:
    fb = _sub(item_el, "itemfeedback", ident=ident)
    _material(_sub(fb, "flow_mat"), html)


def _condition(rp: etree._Element, cont: bool, score: str | None = None,
               feedback: str | None = None) -> etree._Element:
    """A respcondition; returns its conditionvar for the caller to fill."""
    rc = _sub(rp, "respcondition", **{"continue": "Yes" if cont else "No"})
    cv = _sub(rc, "conditionvar")
    if score is not None:
        _sub(rc, "setvar", score, action="Set", varname="SCORE")
    if feedback is not None:
        _sub(rc, "displayfeedback", feedbacktype="Response", linkrefid=feedback)
    return cv


def _choice_lid(pres: etree._Element, ident: str, choices: tuple[Choice, ...], cardinality: str,
                prompt: Choice | None = None) -> None:
    """A choice response; with a `prompt` (a matching row) everything is plain text, as
    Canvas shows matching entries as text, not HTML."""
    lid = _sub(pres, "response_lid", ident=ident, rcardinality=cardinality)
    if prompt is not None:
        _material(lid, prompt.text, "text/plain")
    rc = _sub(lid, "render_choice")
    for c in choices:
        if prompt is not None:
            _material(_sub(rc, "response_label", ident=c.key), c.text, "text/plain")
        else:
            _material(_sub(rc, "response_label", ident=c.key), c.html)


def cc_weight(points: float) -> int:
    """A Common Cartridge `cc_weighting`: a whole number of marks, at least 1 (Moodle keeps
    only the integer part)."""
    return max(1, math.floor(points + 0.5))


def cc_scale(section: Section) -> int:
    """The factor that makes split parts whole numbers of marks (module doc): the least common
    multiple of the part counts, as long as the largest weight stays within Moodle's 99. When
    it would not, the largest set of part counts that fits (most split questions exact, then
    the smaller factor); the other split questions' parts are rounded. 1 without splits, or
    when a question's points are not whole."""
    counts = [len(_pairs(i)[0]) for i in section.items if i.kind in ("matching", "ordering")]
    if not counts or not all(float(i.points).is_integer() for i in section.items):
        return 1
    top = max(i.points for i in section.items)
    distinct = sorted(set(counts))
    best = (0, 1)  # (split questions exact, -factor)
    for mask in range(1, 2 ** len(distinct)):
        chosen = [n for b, n in enumerate(distinct) if mask >> b & 1]
        k = math.lcm(*chosen)
        if k * top > 99:
            continue
        covered = sum(1 for n in counts if k % n == 0)
        best = max(best, (covered, -k))
    return -best[1] if best[0] else 1


def _item(parent: etree._Element, item: Item, ident: str, profile: Profile, kind: str,
          points: float, stem_html: str) -> tuple[etree._Element, etree._Element, etree._Element]:
    """The item skeleton: metadata, presentation with the stem, resprocessing with SCORE."""
    el = _sub(parent, "item", ident=ident, title=ident)
    md = _sub(el, "itemmetadata")
    if profile == "canvas":
        _meta(md, [("question_type", _CANVAS_TYPE[kind]), ("points_possible", fmt_number(points))])
    else:
        _meta(md, [("cc_profile", _CC_TYPE[kind]), ("cc_weighting", str(cc_weight(points))),
                   ("qmd_computerscored", "No" if kind == "reflection" else "Yes")])
    pres = _sub(el, "presentation")
    _material(pres, stem_html)
    rp = _sub(el, "resprocessing")
    _sub(_sub(rp, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    return el, pres, rp


def _general(rp: etree._Element, item: Item) -> None:
    if item.general_html:
        _sub(_condition(rp, True, feedback="general_fb"), "other")


def _finish_feedback(el: etree._Element, item: Item, extra: dict[str, str]) -> None:
    if item.general_html:
        _feedback(el, "general_fb", item.general_html)
    for ident, html in extra.items():
        if html:
            _feedback(el, ident, html)


def _render_choice(parent: etree._Element, item: Item, profile: Profile) -> None:
    el, pres, rp = _item(parent, item, item.ident, profile, item.kind, item.points, item.stem_html)
    single = item.kind == "single"
    # Moodle's CC importer credits multiple-response options only with case="Yes" (module doc).
    case = {} if single or profile != "cc" else {"case": "Yes"}
    _choice_lid(pres, "response1", item.choices, "Single" if single else "Multiple")
    _general(rp, item)
    fbs: dict[str, str] = {}
    for c in item.choices:
        fb = item.choice_feedback(c) if single else c.feedback_html
        if fb:
            fbs[f"{c.key}_fb"] = fb
            _sub(_condition(rp, True, feedback=f"{c.key}_fb"), "varequal", c.key, respident="response1", **case)
    if single:
        right = next(c for c in item.choices if c.correct)
        _sub(_condition(rp, False, "100"), "varequal", right.key, respident="response1")
    else:
        cv = _condition(rp, False, "100", "correct_fb" if item.correct_html else None)
        both = _sub(cv, "and")
        for c in item.choices:
            target = both if c.correct else _sub(both, "not")
            _sub(target, "varequal", c.key, respident="response1", **case)
        if item.incorrect_html:
            _sub(_condition(rp, False, feedback="incorrect_fb"), "other")
        fbs.update(correct_fb=item.correct_html, incorrect_fb=item.incorrect_html)
    _finish_feedback(el, item, fbs)


def _render_true_false(parent: etree._Element, item: Item, profile: Profile) -> None:
    el, pres, rp = _item(parent, item, item.ident, profile, "true_false", item.points, item.stem_html)
    fb_true, fb_false = item.true_false_feedback()
    choices = (Choice("true", "True", "True"), Choice("false", "False", "False"))
    _choice_lid(pres, "response1", choices, "Single")
    _general(rp, item)
    for key, fb in (("true", fb_true), ("false", fb_false)):
        if fb:
            _sub(_condition(rp, True, feedback=f"{key}_fb"), "varequal", key, respident="response1")
    right = "true" if item.true_false.answer else "false"
    _sub(_condition(rp, False, "100"), "varequal", right, respident="response1")
    _finish_feedback(el, item, {"true_fb": fb_true, "false_fb": fb_false})


def _render_short(parent: etree._Element, item: Item, profile: Profile) -> None:
    el, pres, rp = _item(parent, item, item.ident, profile, "short_answer", item.points, item.stem_html)
    fib = _sub(_sub(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib")
    _sub(fib, "response_label", ident="answer1", rshuffle="No")
    _general(rp, item)
    case = "Yes" if item.short_answer.case_sensitive else "No"
    cv = _condition(rp, False, "100", "correct_fb" if item.correct_html else None)
    for a in item.short_answer.accepted:
        _sub(cv, "varequal", " ".join(a.split()), respident="response1", case=case)
    if item.incorrect_html:
        _sub(_condition(rp, False, feedback="incorrect_fb"), "other")
    _finish_feedback(el, item, {"correct_fb": item.correct_html, "incorrect_fb": item.incorrect_html})


def _render_essay(parent: etree._Element, item: Item, profile: Profile, out: Export) -> None:
    el, pres, rp = _item(parent, item, item.ident, profile, "reflection", item.points, item.stem_html)
    fib = _sub(_sub(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib")
    _sub(fib, "response_label", ident="answer1", rshuffle="No")
    model = item.reflection.model_answer
    general = item.general_html
    if model:
        general += "<p><strong>Model answer:</strong></p>" + md_html(model)
        out.lose(item, "model answer exported as general feedback (students see it after answering)")
    if general:
        _sub(_condition(rp, True, feedback="general_fb"), "other")
        _feedback(el, "general_fb", general)
    else:
        _sub(_condition(rp, False), "other")


def _pairs(item: Item) -> tuple[list[tuple[Choice, str]], tuple[Choice, ...], str]:
    """Matching and ordering as (left, key of its right answer) rows plus the answer list."""
    if item.kind == "ordering":
        positions = tuple(Choice(f"p{n}", f"Step {n}", f"Step {n}") for n in range(1, len(item.steps) + 1))
        position = {s.key: n for n, s in enumerate(item.steps, start=1)}
        rows = [(s, f"p{position[s.key]}") for s in item.steps_shown]
        return rows, positions, ("ordering exported as matching: each item is matched to its position "
                                 "(Step 1, Step 2, …)")
    return [(left, "r" + left.key[1:]) for left in item.lefts], item.rights, ""


def _render_matching(parent: etree._Element, item: Item, profile: Profile, out: Export, scale: int = 1) -> None:
    rows, answers, note = _pairs(item)
    if profile == "cc":
        _render_split(parent, item, rows, answers, out, scale)
        return
    if note:
        out.lose(item, note)
    el, pres, rp = _item(parent, item, item.ident, "canvas", item.kind, item.points, item.stem_html)
    shares = exact_shares(100, len(rows))
    for left, _ in rows:
        _choice_lid(pres, f"response_{left.key}", answers, "Single", left)
    _general(rp, item)
    for (left, right), share in zip(rows, shares, strict=True):
        rc = _sub(rp, "respcondition", **{"continue": "No"})
        _sub(_sub(rc, "conditionvar"), "varequal", right, respident=f"response_{left.key}")
        _sub(rc, "setvar", share, action="Add", varname="SCORE")
    if item.correct_html or item.incorrect_html:
        out.lose(item, "correct/incorrect feedback (Canvas matching has no field for it)")
    _finish_feedback(el, item, {})


def exact_shares(total: int, n: int) -> list[str]:
    """`total` split into `n` decimal shares (7 places) that add up to `total` exactly:
    33.3333333, 33.3333333, 33.3333334 rather than three times 33.3333333 (99.9999999)."""
    units = total * 10**7
    cuts = [units * k // n for k in range(n + 1)]
    return [fmt_number((b - a) / 10**7) for a, b in zip(cuts, cuts[1:], strict=False)]


def _render_split(parent: etree._Element, item: Item, rows: list[tuple[Choice, str]],
                  answers: tuple[Choice, ...], out: Export, scale: int = 1) -> None:
    """Common Cartridge has no matching: one single-choice question per left-hand item.
    `item.points` is already multiplied by the assessment's `scale` (cc_scale)."""
    what = ("one per item, asking its position (Step 1, Step 2, …)" if item.kind == "ordering"
            else "one per left-hand entry")
    # Whole-number weights only (Moodle truncates 0.25 to 0): each part is worth the
    # question's (scaled) points shared equally; exact with the assessment's scale,
    # otherwise rounded to whole marks and at least 1.
    points = cc_weight(item.points / len(rows))
    total = points * len(rows)
    marks = f"{points} mark{'s' if points != 1 else ''}"
    head = f"split into {len(rows)} single-choice questions, {what}: CC 1.1 has no {item.kind} type; "
    if total == item.points and scale > 1:
        out.lose(item, head + f"each part is worth {marks} of the question's {total}: this assessment's "
                              f"marks are points x {scale}, so every question keeps its share")
    elif total == item.points:
        out.lose(item, head + f"each part is worth {marks}")
    else:
        out.lose(item, head + f"each part is worth {marks} (whole marks only), so the question is worth "
                              f"{total} instead of {fmt_number(item.points)}")
    for n, (left, right) in enumerate(rows, start=1):
        stem = item.stem_html + f"<p><strong>{left.html}</strong></p>"
        el, pres, rp = _item(parent, item, f"{item.ident}.{n}", "cc", "single", points, stem)
        _choice_lid(pres, "response1", answers, "Single")
        _general(rp, item)
        _sub(_condition(rp, False, "100"), "varequal", right, respident="response1")
        _finish_feedback(el, item, {})


def assessment(section: Section, profile: Profile, out: Export, ident: str) -> bytes:
    """One `questestinterop` document holding the section as an assessment."""
    root = etree.Element(f"{{{NS}}}questestinterop", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation",
             f"{NS} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
             if profile == "cc" else f"{NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd")
    a = etree.SubElement(root, f"{{{NS}}}assessment", ident=ident, title=section.title)
    if profile == "cc":
        _meta(a, [("cc_profile", "cc.exam.v0p1"), ("qmd_assessmenttype", "Examination"),
                  ("qmd_scoretype", "Percentage"), ("cc_maxattempts", "unlimited")])
    else:
        _meta(a, [("cc_maxattempts", "1")])
    sec = etree.SubElement(a, f"{{{NS}}}section", ident="root_section")
    scale = cc_scale(section) if profile == "cc" else 1
    for item in section.items:
        if scale != 1:  # this assessment's marks: points x scale (cc_scale)
            item = dataclasses.replace(item, q=item.q.model_copy(update={"points": item.q.points * scale}))
        if profile == "cc" and item.kind not in ("matching", "ordering") and cc_weight(item.points) != item.points:
            out.lose(item, f"points ({fmt_number(item.points)}) rounded to {cc_weight(item.points)}: "
                           "Common Cartridge importers read whole marks only")
        if item.kind in ("single", "multiple"):
            _render_choice(sec, item, profile)
        elif item.kind == "true_false":
            _render_true_false(sec, item, profile)
        elif item.kind == "short_answer":
            _render_short(sec, item, profile)
        elif item.kind in ("matching", "ordering"):
            _render_matching(sec, item, profile, out, scale)
        else:
            _render_essay(sec, item, profile, out)
    # Children were created without a namespace: move them into the QTI namespace.
    for el in root.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{"):
            el.tag = f"{{{NS}}}{el.tag}"
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
