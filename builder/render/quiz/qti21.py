"""QTI 2.1 content package: one item file per question, one assessmentTest per section.

For Blackboard, Brightspace (D2L), Sakai, ONYX/OPAL, TAO and other QTI 2 platforms.

    imsmanifest.xml          IMS Content Packaging 1.1 manifest
    test-<section>.xml       assessmentTest referencing its items
    items/<ident>.xml        assessmentItem

Every type is native here: choiceInteraction (single, multiple, true/false), textEntry,
matchInteraction, orderInteraction and extendedText. Scores are in points; feedback uses one
`FEEDBACK` outcome holding the chosen options plus `general` and `correct`/`incorrect`, and a
reflection's model answer is a `rubricBlock` for scorers.

Full marks are exact. Multiple-response and matching items map each option or pair to a
whole number (`credit_units`), so the correct set sums exactly to the mapping's upper bound;
the item then normalises: RAW = mapResponse, SCORE = MAXSCORE × (RAW ÷ upper bound). A fully
correct answer gives RAW ÷ upper bound = 1 exactly, so SCORE = MAXSCORE, where mapping each
right option to 0.3333333 of a point gave 0.9999999.
"""

from __future__ import annotations

from lxml import etree

from builder.render.quiz.common import Collection, Export, Item, fmt_number, write_zip
from builder.render.quiz.text import md_html

NAME = "qti21"
LABEL = "QTI 2.1"

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _q(tag), attrs)
    if text is not None:
        el.text = text
    return el


def _html_into(parent: etree._Element, html: str) -> None:
    """Append XHTML (from `text.md_html`/`md_inline`) as QTI-namespace content of `parent`."""
    wrapper = etree.fromstring(f'<div xmlns="{NS}">{html}</div>')
    if wrapper.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + wrapper.text
        else:
            parent.text = (parent.text or "") + wrapper.text
    for child in list(wrapper):
        parent.append(child)


def credit_units(item: Item) -> tuple[dict[str, int], int]:
    """Whole-number credit per mapKey of a multiple-response or matching item, and the sum of
    the correct set (full marks). Multiple response: each right option earns an equal share,
    each wrong one costs an equal share, so ticking every box scores 0 (the lower bound)."""
    if item.kind == "matching":
        return {f"{left.key} r{left.key[1:]}": 1 for left in item.lefts}, len(item.lefts)
    right = [c for c in item.choices if c.correct]
    wrong = [c for c in item.choices if not c.correct]
    gain = len(wrong) or 1  # right option: 1/len(right) of full marks, in units
    units = {c.key: gain if c.correct else -len(right) for c in item.choices}
    return units, gain * len(right)


def _declare(root: etree._Element, item: Item) -> None:
    """responseDeclaration and outcomeDeclarations for the item's type."""
    kind, pts = item.kind, fmt_number(item.points)
    if kind in ("single", "true_false"):
        rd = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="identifier")
        right = [c.key for c in item.choices if c.correct] if kind == "single" else \
            ["true" if item.true_false.answer else "false"]
        _sub(_sub(rd, "correctResponse"), "value", right[0])
    elif kind == "multiple":
        rd = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="multiple", baseType="identifier")
        cr = _sub(rd, "correctResponse")
        for c in item.choices:
            if c.correct:
                _sub(cr, "value", c.key)
        units, full = credit_units(item)
        mapping = _sub(rd, "mapping", lowerBound="0", upperBound=str(full), defaultValue="0")
        for key, unit in sorted(units.items()):
            _sub(mapping, "mapEntry", mapKey=key, mappedValue=str(unit))
    elif kind == "short_answer":
        rd = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="string")
        accepted = [" ".join(a.split()) for a in item.short_answer.accepted]
        _sub(_sub(rd, "correctResponse"), "value", accepted[0])
        mapping = _sub(rd, "mapping", lowerBound="0", upperBound=pts, defaultValue="0")
        case = "true" if item.short_answer.case_sensitive else "false"
        for a in dict.fromkeys(accepted):
            _sub(mapping, "mapEntry", mapKey=a, mappedValue=pts, caseSensitive=case)
    elif kind == "matching":
        rd = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="multiple", baseType="directedPair")
        cr = _sub(rd, "correctResponse")
        for left in item.lefts:
            _sub(cr, "value", f"{left.key} r{left.key[1:]}")
        units, full = credit_units(item)
        mapping = _sub(rd, "mapping", lowerBound="0", upperBound=str(full), defaultValue="0")
        for key, unit in units.items():
            _sub(mapping, "mapEntry", mapKey=key, mappedValue=str(unit))
    elif kind == "ordering":
        rd = _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="ordered", baseType="identifier")
        cr = _sub(rd, "correctResponse")
        for s in item.steps:
            _sub(cr, "value", s.key)
    else:
        _sub(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="string")
    for ident, value in (("SCORE", "0"), ("MAXSCORE", pts)):
        od = _sub(root, "outcomeDeclaration", identifier=ident, cardinality="single", baseType="float")
        _sub(_sub(od, "defaultValue"), "value", value)
    if kind in ("multiple", "matching"):
        od = _sub(root, "outcomeDeclaration", identifier="RAW", cardinality="single", baseType="float")
        _sub(_sub(od, "defaultValue"), "value", "0")
    _sub(root, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")


def _interaction(body: etree._Element, item: Item) -> None:
    kind = item.kind
    if kind in ("single", "multiple", "true_false"):
        ci = _sub(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false",
                  maxChoices="1" if kind != "multiple" else "0")
        choices = item.choices if kind != "true_false" else ()
        for c in choices:
            _html_into(_sub(ci, "simpleChoice", identifier=c.key), c.html)
        if kind == "true_false":
            _sub(ci, "simpleChoice", "True", identifier="true")
            _sub(ci, "simpleChoice", "False", identifier="false")
    elif kind == "short_answer":
        _sub(_sub(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="30")
    elif kind == "matching":
        mi = _sub(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true",
                  maxAssociations=str(len(item.lefts)))
        lefts, rights = _sub(mi, "simpleMatchSet"), _sub(mi, "simpleMatchSet")
        for c in item.lefts:
            _html_into(_sub(lefts, "simpleAssociableChoice", identifier=c.key, matchMax="1"), c.html)
        for c in item.rights:
            _html_into(_sub(rights, "simpleAssociableChoice", identifier=c.key, matchMax="1"), c.html)
    elif kind == "ordering":
        oi = _sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
        for c in item.steps_shown:
            _html_into(_sub(oi, "simpleChoice", identifier=c.key), c.html)
    else:
        lines = int(item.reflection.lines)
        _sub(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines=str(lines))
        model = item.reflection.model_answer
        if model:
            rb = _sub(body, "rubricBlock", view="scorer")
            _html_into(rb, "<p><strong>Model answer:</strong></p>" + md_html(model))


def _set(parent: etree._Element, ident: str) -> etree._Element:
    return _sub(parent, "setOutcomeValue", identifier=ident)


def _feedback_value(parent: etree._Element, item: Item, verdict: str | None) -> None:
    fb = _sub(_set(parent, "FEEDBACK"), "multiple")
    if item.kind in ("single", "multiple", "true_false"):
        _sub(fb, "variable", identifier="RESPONSE")
    for ident in (verdict, "general"):
        if ident:
            _sub(fb, "baseValue", ident, baseType="identifier")


def _processing(root: etree._Element, item: Item) -> None:
    rp = _sub(root, "responseProcessing")
    if item.kind == "reflection":
        _feedback_value(rp, item, None)  # scored by a person
        return
    if item.kind == "short_answer":
        _sub(_set(rp, "SCORE"), "mapResponse", identifier="RESPONSE")
    elif item.kind in ("multiple", "matching"):
        _sub(_set(rp, "RAW"), "mapResponse", identifier="RESPONSE")
        product = _sub(_set(rp, "SCORE"), "product")
        _sub(product, "variable", identifier="MAXSCORE")
        divide = _sub(product, "divide")
        _sub(divide, "variable", identifier="RAW")
        _sub(divide, "baseValue", str(credit_units(item)[1]), baseType="float")
    else:
        rc = _sub(rp, "responseCondition")
        ri = _sub(rc, "responseIf")
        m = _sub(ri, "match")
        _sub(m, "variable", identifier="RESPONSE")
        _sub(m, "correct", identifier="RESPONSE")
        _sub(_set(ri, "SCORE"), "variable", identifier="MAXSCORE")
        _sub(_set(_sub(rc, "responseElse"), "SCORE"), "baseValue", "0", baseType="float")
    # "Correct" feedback: the exact correct response, or for short answers any accepted one
    # (each is worth full marks). Comparing summed shares with MAXSCORE would miss 3 x 1/3.
    rc = _sub(rp, "responseCondition")
    ri = _sub(rc, "responseIf")
    if item.kind == "short_answer":
        test = _sub(ri, "gte")
        _sub(test, "variable", identifier="SCORE")
        _sub(test, "variable", identifier="MAXSCORE")
    else:
        test = _sub(ri, "match")
        _sub(test, "variable", identifier="RESPONSE")
        _sub(test, "correct", identifier="RESPONSE")
    _feedback_value(ri, item, "correct")
    _feedback_value(_sub(rc, "responseElse"), item, "incorrect")


def _modal(root: etree._Element, item: Item) -> None:
    fbs: list[tuple[str, str]] = []
    if item.kind in ("single", "multiple"):
        fbs += [(c.key, item.choice_feedback(c)) for c in item.choices]
    elif item.kind == "true_false":
        t, f = item.true_false_feedback()
        fbs += [("true", t), ("false", f)]
    if item.kind not in ("single", "true_false"):  # there they are merged into the options
        fbs += [("correct", item.correct_html), ("incorrect", item.incorrect_html)]
    fbs.append(("general", item.general_html))
    for ident, html in fbs:
        if html:
            mf = _sub(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=ident, showHide="show")
            _html_into(mf, html)


def item_xml(item: Item, lang: str) -> bytes:
    """One assessmentItem document."""
    root = etree.Element(_q("assessmentItem"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA)
    root.set("identifier", item.ident)
    root.set("title", item.ident)
    root.set("adaptive", "false")
    root.set("timeDependent", "false")
    root.set(XML_LANG, lang)
    _declare(root, item)
    body = _sub(root, "itemBody")
    _html_into(_sub(body, "div"), item.stem_html)
    _interaction(body, item)
    _processing(root, item)
    _modal(root, item)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _test_xml(ident: str, title: str, hrefs: list[tuple[str, str]]) -> bytes:
    root = etree.Element(_q("assessmentTest"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA)
    root.set("identifier", ident)
    root.set("title", title)
    _sub(root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    part = _sub(root, "testPart", identifier="part1", navigationMode="nonlinear", submissionMode="simultaneous")
    sec = _sub(part, "assessmentSection", identifier="section1", title=title, visible="true")
    for item_ident, href in hrefs:
        _sub(sec, "assessmentItemRef", identifier=item_ident, href=href)
    op = _sub(root, "outcomeProcessing")
    _sub(_sub(_set(op, "SCORE"), "sum"), "testVariables", variableIdentifier="SCORE")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest(coll: Collection, tests: list[tuple[str, str, list[str]]], items: list[tuple[str, str]]) -> bytes:
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "xsi": XSI}, identifier=f"{coll.ident}-qti21")
    root.set(f"{{{XSI}}}schemaLocation", f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd")
    md = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(md, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(md, f"{{{CP}}}schemaversion").text = "1.0.0"
    etree.SubElement(root, f"{{{CP}}}organizations")
    res = etree.SubElement(root, f"{{{CP}}}resources")
    for ident, href, deps in tests:
        r = etree.SubElement(res, f"{{{CP}}}resource", identifier=ident, type="imsqti_test_xmlv2p1", href=href)
        etree.SubElement(r, f"{{{CP}}}file", href=href)
        for d in deps:
            etree.SubElement(r, f"{{{CP}}}dependency", identifierref=d)
    for ident, href in items:
        r = etree.SubElement(res, f"{{{CP}}}resource", identifier=ident, type="imsqti_item_xmlv2p1", href=href)
        etree.SubElement(r, f"{{{CP}}}file", href=href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def package_files(coll: Collection) -> dict[str, bytes]:
    """The files inside the package, by path."""
    files: dict[str, bytes] = {}
    tests, items = [], []
    for section in coll.sections:
        hrefs, deps = [], []
        for item in section.items:
            href = f"items/{item.ident}.xml"
            files[href] = item_xml(item, coll.language)
            hrefs.append((item.ident, href))
            deps.append(f"item-{item.ident}")
            items.append((f"item-{item.ident}", href))
        test_href = f"test-{section.ident}.xml"
        files[test_href] = _test_xml(f"test-{section.ident}", section.title, hrefs)
        tests.append((f"test-{section.ident}", test_href, deps))
    files["imsmanifest.xml"] = _manifest(coll, tests, items)
    return files


def export(coll: Collection) -> Export:
    """One `.zip` content package. QTI 2.1 carries every question type in full."""
    out = Export()
    out.files[f"{coll.ident}-qti21.zip"] = write_zip(package_files(coll))
    return out
