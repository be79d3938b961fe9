"""Exact scoring, the way the importing LMS computes it (found by importing into a real Moodle).

- Common Cartridge: Moodle's importer (moodle/moodle backup/cc/entity11.quiz.class.php,
  `get_answers`) credits a multiple-response option only when its `varequal` says
  `case="Yes"`, and reads `cc_weighting` with `(int)` (`get_defaultgrade`), so weights must
  be whole numbers. Both are computed here as Moodle computes them.
- QTI 2.1: full marks of a multiple-response or matching item are exactly MAXSCORE, computed
  as a QTI engine does (mapResponse of the correct response, then the item's SCORE rule).
- QTI 1.2 (Canvas) matching: the added shares of a fully right answer are exactly 100.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from lxml import etree

from builder.checks import check_project
from builder.render.quiz import collections, export_format
from builder.render.quiz.common import Collection
from tests.helpers import REPO
from tests.render.quiz import checkers
from tests.render.quiz.conftest import one_file

QTI1 = checkers.QTI1
QTI2 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


def _meta(item: etree._Element, label: str) -> str | None:
    for f in item.iter(f"{QTI1}qtimetadatafield"):
        if f.findtext(f"{QTI1}fieldlabel") == label:
            return f.findtext(f"{QTI1}fieldentry")
    return None


def _cc_items(coll: Collection) -> list[etree._Element]:
    files = checkers.unzip(one_file(export_format(coll, "cc11")))
    return [i for name, data in sorted(files.items()) if name.endswith("assessment.xml")
            for i in etree.fromstring(data).iter(f"{QTI1}item")]


def moodle_mr_credit(item: etree._Element) -> dict[str, float]:
    """Moodle's `get_answers` for cc.multiple_response.v0p1: the options credited, each
    round(1/n, 7), found by its XPath
    //item[@ident=…]//setvar[@varname='SCORE'][.=100]/../conditionvar//varequal[@case='Yes'][not(parent::not)]"""
    found = [v.text for sv in item.iter(f"{QTI1}setvar")
             if sv.get("varname") == "SCORE" and (sv.text or "").strip() == "100"
             for v in sv.getparent().find(f"{QTI1}conditionvar").iter(f"{QTI1}varequal")
             if v.get("case") == "Yes" and v.getparent().tag != f"{QTI1}not"]
    return {k: round(1.0 / len(found), 7) for k in found} if found else {}


def _shares_kept(coll: Collection) -> list[bool]:
    """Per assessment: does every question keep exactly its share of the quiz's marks (its
    weight, split parts added up, is its points times one factor)? Checked the way Moodle
    reads the weights: `(int)` of cc_weighting."""
    points = {i.ident: i.points for i in coll.items()}
    files = checkers.unzip(one_file(export_format(coll, "cc11")))
    kept = []
    for name, data in sorted(files.items()):
        if not name.endswith("assessment.xml"):
            continue
        marks: dict[str, int] = {}
        for item in etree.fromstring(data).iter(f"{QTI1}item"):
            ident = item.get("ident")
            while ident not in points:
                ident = ident.rsplit(".", 1)[0]
            marks[ident] = marks.get(ident, 0) + int(_meta(item, "cc_weighting") or "0")
        factors = {Fraction(m) / Fraction(points[i]).limit_denominator() for i, m in marks.items()}
        kept.append(len(factors) == 1)
    return kept


def _check_cc(coll: Collection) -> int:
    n_mr = 0
    for item in _cc_items(coll):
        weight = _meta(item, "cc_weighting")
        assert weight is not None and weight.isdigit() and int(weight) >= 1, (item.get("ident"), weight)
        if _meta(item, "cc_profile") != "cc.multiple_response.v0p1":
            continue
        n_mr += 1
        varequals = list(item.iter(f"{QTI1}varequal"))
        assert varequals and all(v.get("case") == "Yes" for v in varequals), item.get("ident")
        credit = moodle_mr_credit(item)
        right = {lab.get("ident") for lab in item.iter(f"{QTI1}response_label")} - {
            v.text for v in item.iter(f"{QTI1}varequal") if v.getparent().tag == f"{QTI1}not"}
        assert set(credit) == right, item.get("ident")
        # Moodle's multichoice accepts a total of the positive fractions within 0.0000001 of 1.
        assert abs(sum(credit.values()) - 1) < 1e-6
    return n_mr


def _mapped_full(decl: etree._Element) -> tuple[Decimal, Decimal]:
    mapping = decl.find(f"{QTI2}mapping")
    values = {m.get("mapKey"): Decimal(m.get("mappedValue")) for m in mapping.iter(f"{QTI2}mapEntry")}
    correct = [v.text for v in decl.iterfind(f"{QTI2}correctResponse/{QTI2}value")]
    raw = min(sum(values[c] for c in correct), Decimal(mapping.get("upperBound")))
    return raw, Decimal(mapping.get("upperBound"))


def _eval(expr: etree._Element, env: dict[str, float]) -> float:
    """The few QTI 2.1 expressions our SCORE rules use, in floating point like an engine."""
    tag = etree.QName(expr).localname
    if tag == "variable":
        return env[expr.get("identifier")]
    if tag == "baseValue":
        return float(expr.text)
    args = [_eval(e, env) for e in expr]
    if tag == "product":
        out = 1.0
        for a in args:
            out *= a
        return out
    if tag == "divide":
        return args[0] / args[1]
    raise AssertionError(f"unexpected expression {tag}")


def _check_qti21(coll: Collection) -> int:
    files = checkers.unzip(one_file(export_format(coll, "qti21")))
    n = 0
    for name, data in sorted(files.items()):
        if not name.startswith("items/"):
            continue
        doc = etree.fromstring(data)
        decl = doc.find(f"{QTI2}responseDeclaration")
        if decl.find(f"{QTI2}mapping") is None or decl.get("baseType") == "string":
            continue
        n += 1
        raw, upper = _mapped_full(decl)
        assert raw == upper, name  # the correct set sums exactly to the bound
        env = {d.get("identifier"): float(d.findtext(f"{QTI2}defaultValue/{QTI2}value") or 0)
               for d in doc.iter(f"{QTI2}outcomeDeclaration") if d.get("baseType") == "float"}
        for so in doc.find(f"{QTI2}responseProcessing").iterfind(f"{QTI2}setOutcomeValue"):
            expr = so[0]
            env[so.get("identifier")] = (float(raw) if etree.QName(expr).localname == "mapResponse"
                                         else _eval(expr, env))
        assert env["SCORE"] == env["MAXSCORE"], (name, env["SCORE"], env["MAXSCORE"])
    return n


def _check_canvas_matching(coll: Collection) -> None:
    files = checkers.unzip(one_file(export_format(coll, "qti12")))
    for name, data in files.items():
        if not name.endswith(".xml") or name == "imsmanifest.xml":
            continue
        for item in etree.fromstring(data).iter(f"{QTI1}item"):
            adds = [Decimal(s.text) for s in item.iter(f"{QTI1}setvar") if s.get("action") == "Add"]
            if adds:
                assert sum(adds) == 100, item.get("ident")


def test_fixture_exports_score_exactly(bank: Collection, form: Collection) -> None:
    assert _check_cc(bank) == 1 and _check_cc(form) >= 1
    # M1 splits a matching and an ordering question in three: its marks are points x 3.
    assert _shares_kept(bank) == [True, True] and all(_shares_kept(form))
    assert _check_qti21(bank) == 2  # M1.Q02 (multiple response) and M1.Q05 (matching)
    _check_canvas_matching(bank)


def test_the_checks_catch_the_old_faults() -> None:
    """The checks fail on what the exports used to write."""
    old_mr = etree.fromstring(
        f'<item xmlns="{QTI1[1:-1]}"><resprocessing><respcondition><conditionvar><and>'
        '<varequal respident="r">o1</varequal><varequal respident="r">o3</varequal></and></conditionvar>'
        '<setvar varname="SCORE" action="Set">100</setvar></respcondition></resprocessing></item>')
    assert moodle_mr_credit(old_mr) == {}
    decl = etree.fromstring(
        f'<responseDeclaration xmlns="{QTI2[1:-1]}"><correctResponse><value>a</value><value>b</value>'
        '<value>c</value></correctResponse><mapping lowerBound="0" upperBound="1">'
        '<mapEntry mapKey="a" mappedValue="0.3333333"/><mapEntry mapKey="b" mappedValue="0.3333333"/>'
        '<mapEntry mapKey="c" mappedValue="0.3333333"/></mapping></responseDeclaration>')
    raw, upper = _mapped_full(decl)
    assert raw != upper


@pytest.mark.xdist_group("quiz-real-course")
def test_real_course_exports_score_exactly() -> None:
    result = check_project(REPO)
    if result.project is None or result.errors:
        pytest.skip(f"the real course has {len(result.errors)} check errors")
    colls = collections(result.project)
    n_mr = sum(_check_cc(c) for c in colls)
    assert n_mr >= 18  # the issue counted 18 in the course cartridge and 20 in the pre/post one
    assert sum(_check_qti21(c) for c in colls) >= n_mr
    # Every module keeps exact shares unless its factor would pass Moodle's 99 marks; then
    # the loss table says what each split question is worth instead.
    for c in colls:
        losses = " ".join(lo.what for lo in export_format(c, "cc11").losses)
        for kept in _shares_kept(c):
            assert kept or "instead of" in losses
    for c in colls:
        _check_canvas_matching(c)
