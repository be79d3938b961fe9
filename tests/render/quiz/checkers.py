"""Independent checks of quiz exports: XSD schemas, gift-pegjs, and the rules LMS importers
enforce that schemas do not (Moodle fractions, Aiken lines, QTI cross-references).

Nothing here imports the exporters: each check reads the bytes as an LMS would. Every
function returns a list of problems (empty = valid), so tests can also show that a broken
sample is rejected.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree

REPO = Path(__file__).resolve().parents[3]
XSD = REPO / "tests" / "vendor" / "xsd"  # exactly the schemas below and what they import; see LICENSES.md
SCHEMAS = {
    "qti12": XSD / "qti12/domainProfile_4/ims_qtiasiv1p2.xsd",
    "qti21": XSD / "ims/qtiv2p1/imsqti_v2p1.xsd",
    "imscp": XSD / "ims/imscp_v1p1.xsd",
    "cc11": XSD / "cc11/cc11libxml2validator.xsd",
    "cc11_qti": XSD / "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
}
QTI1 = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
QTI2 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"

# Fractions (percent) Moodle offers in its grade menus.
MOODLE_GRADES = {100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0,
                 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0}


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    """Each XSD compiled once per process."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS[name])))


def xsd_errors(name: str, data: bytes) -> list[str]:
    try:
        doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        return [f"not well-formed: {e}"]
    s = schema(name)
    if s.validate(doc):
        return []
    return [f"{name}: line {e.line}: {e.message}" for e in s.error_log]


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


# ---------------------------------------------------------------------------
# Packages


def _manifest_refs(files: dict[str, bytes]) -> list[str]:
    """Every manifest href exists, every dependency resolves, every file is listed."""
    problems = []
    man = etree.fromstring(files["imsmanifest.xml"])
    ids = {r.get("identifier") for r in man.iter("{*}resource")}
    listed = set()
    for el in man.iter("{*}file", "{*}resource"):
        href = el.get("href")
        if href is None:
            continue
        listed.add(href)
        if href not in files:
            problems.append(f"manifest href {href!r} is not in the package")
    for dep in man.iter("{*}dependency"):
        if dep.get("identifierref") not in ids:
            problems.append(f"dependency {dep.get('identifierref')!r} names no resource")
    for item in man.iter("{*}item"):
        ref = item.get("identifierref")
        if ref is not None and ref not in ids:
            problems.append(f"organisation item points at missing resource {ref!r}")
    for name in files:
        if name != "imsmanifest.xml" and name not in listed:
            problems.append(f"{name} is in the package but not in the manifest")
    return problems


def _qti1_refs(data: bytes, cc: bool) -> list[str]:
    problems = []
    doc = etree.fromstring(data)
    for item in doc.iter(f"{QTI1}item"):
        ident = item.get("ident")
        lids = {lid.get("ident"): {lab.get("ident") for lab in lid.iter(f"{QTI1}response_label")}
                for lid in item.iter(f"{QTI1}response_lid")}
        strs = {s.get("ident") for s in item.iter(f"{QTI1}response_str")}
        fbs = {f.get("ident") for f in item.iter(f"{QTI1}itemfeedback")}
        for ve in item.iter(f"{QTI1}varequal"):
            resp = ve.get("respident")
            if resp in lids:
                if ve.text not in lids[resp]:
                    problems.append(f"{ident}: varequal {ve.text!r} is no response_label of {resp}")
            elif resp not in strs:
                problems.append(f"{ident}: varequal names undeclared response {resp!r}")
        for df in item.iter(f"{QTI1}displayfeedback"):
            if df.get("linkrefid") not in fbs:
                problems.append(f"{ident}: displayfeedback {df.get('linkrefid')!r} has no itemfeedback")
        if not any(s.text == "100" for s in item.iter(f"{QTI1}setvar")) and lids:
            if not any(s.get("action") == "Add" for s in item.iter(f"{QTI1}setvar")):
                problems.append(f"{ident}: no response earns the score")
        if cc:
            profile = next((f.findtext(f"{QTI1}fieldentry") for f in item.iter(f"{QTI1}qtimetadatafield")
                            if f.findtext(f"{QTI1}fieldlabel") == "cc_profile"), None)
            if profile == "cc.true_false.v0p1":
                labels = set().union(*lids.values()) if lids else set()
                if labels != {"true", "false"}:
                    problems.append(f"{ident}: true/false idents must be 'true' and 'false', got {sorted(labels)}")
    return problems


def check_qti12_zip(data: bytes) -> list[str]:
    files = unzip(data)
    problems = _manifest_refs(files)
    man = etree.fromstring(files["imsmanifest.xml"])
    qti = [r.find("{*}file").get("href") for r in man.iter("{*}resource") if r.get("type") == "imsqti_xmlv1p2"]
    if not qti:
        problems.append("no imsqti_xmlv1p2 resource")
    for href in qti:
        problems += [f"{href}: {p}" for p in xsd_errors("qti12", files[href]) + _qti1_refs(files[href], False)]
    return problems


def check_cc11(data: bytes) -> list[str]:
    files = unzip(data)
    problems = _manifest_refs(files) + xsd_errors("cc11", files["imsmanifest.xml"])
    man = etree.fromstring(files["imsmanifest.xml"])
    for r in man.iter("{*}resource"):
        if r.get("type") == "imsqti_xmlv1p2/imscc_xmlv1p1/assessment":
            href = r.find("{*}file").get("href")
            problems += [f"{href}: {p}" for p in xsd_errors("cc11_qti", files[href]) + _qti1_refs(files[href], True)]
    return problems


def _qti21_item_refs(data: bytes) -> list[str]:
    problems = []
    doc = etree.fromstring(data)
    ident = doc.get("identifier")
    declared = {d.get("identifier"): d for d in doc.iter(f"{QTI2}responseDeclaration")}
    outcomes = {d.get("identifier") for d in doc.iter(f"{QTI2}outcomeDeclaration")}
    interactions = [el for el in doc.iter() if isinstance(el.tag, str) and el.get("responseIdentifier")]
    for it in interactions:
        rid = it.get("responseIdentifier")
        if rid not in declared:
            problems.append(f"{ident}: interaction uses undeclared response {rid!r}")
            continue
        decl = declared[rid]
        values = [v.text or "" for v in decl.iterfind(f"{QTI2}correctResponse/{QTI2}value")]
        keys = [m.get("mapKey") for m in decl.iter(f"{QTI2}mapEntry")]
        base = decl.get("baseType")
        if base == "identifier":
            choices = {c.get("identifier") for c in it.iter(f"{QTI2}simpleChoice")}
            for v in values + keys:
                if v not in choices:
                    problems.append(f"{ident}: {v!r} names no choice of {rid}")
        elif base == "directedPair":
            sets = it.findall(f"{QTI2}simpleMatchSet")
            left = {c.get("identifier") for c in sets[0].iter(f"{QTI2}simpleAssociableChoice")}
            right = {c.get("identifier") for c in sets[1].iter(f"{QTI2}simpleAssociableChoice")}
            for v in values + keys:
                a, _, b = v.partition(" ")
                if a not in left or b not in right:
                    problems.append(f"{ident}: pair {v!r} names no choices of {rid}")
        if decl.get("cardinality") == "single" and len(values) > 1:
            problems.append(f"{ident}: single response with {len(values)} correct values")
    for var in doc.iter(f"{QTI2}variable", f"{QTI2}correct", f"{QTI2}mapResponse"):
        if var.get("identifier") not in declared and var.get("identifier") not in outcomes:
            problems.append(f"{ident}: expression uses undeclared variable {var.get('identifier')!r}")
    for so in doc.iter(f"{QTI2}setOutcomeValue"):
        if so.get("identifier") not in outcomes:
            problems.append(f"{ident}: sets undeclared outcome {so.get('identifier')!r}")
    for mf in doc.iter(f"{QTI2}modalFeedback"):
        if mf.get("outcomeIdentifier") not in outcomes:
            problems.append(f"{ident}: feedback on undeclared outcome {mf.get('outcomeIdentifier')!r}")
    return problems


def check_qti21_zip(data: bytes) -> list[str]:
    files = unzip(data)
    problems = _manifest_refs(files) + xsd_errors("imscp", files["imsmanifest.xml"])
    man = etree.fromstring(files["imsmanifest.xml"])
    for r in man.iter("{*}resource"):
        href = r.get("href")
        if href not in files:
            continue
        problems += [f"{href}: {p}" for p in xsd_errors("qti21", files[href])]
        if r.get("type") == "imsqti_item_xmlv2p1":
            problems += _qti21_item_refs(files[href])
        elif r.get("type") == "imsqti_test_xmlv2p1":
            test = etree.fromstring(files[href])
            for ref in test.iter(f"{QTI2}assessmentItemRef"):
                target = str(PurePosixPath(href).parent / ref.get("href"))
                target = target[2:] if target.startswith("./") else target
                if target not in files:
                    problems.append(f"{href}: assessmentItemRef {ref.get('href')!r} is not in the package")
        else:
            problems.append(f"unexpected resource type {r.get('type')!r}")
    return problems


# ---------------------------------------------------------------------------
# Moodle XML (no schema: the rules qformat_xml and the question types enforce)


def _grade(text: str | None) -> float:
    return float(text or "0")


def check_moodle_xml(data: bytes) -> list[str]:
    problems = []
    doc = etree.fromstring(data)
    if doc.tag != "quiz":
        return ["root element is not <quiz>"]
    seen_ids: dict[tuple[str, str], int] = {}
    category = ""
    for q in doc.iterfind("question"):
        qtype = q.get("type")
        if qtype == "category":
            category = q.findtext("category/text") or ""
            if not category.startswith("$course$/"):
                problems.append(f"category {category!r} is not under $course$")
            continue
        name = q.findtext("name/text") or ""
        where = f"{qtype} {name!r}"
        if not name.strip():
            problems.append(f"{where}: empty name")
        if q.find("questiontext/text") is None:
            problems.append(f"{where}: no question text")
        idn = q.findtext("idnumber") or ""
        if idn:
            key = (category, idn)
            seen_ids[key] = seen_ids.get(key, 0) + 1
            if seen_ids[key] > 1:
                problems.append(f"{where}: idnumber {idn!r} repeated in {category!r}")
        answers = [(_grade(a.get("fraction")), a.findtext("text") or "") for a in q.iterfind("answer")]
        if qtype in ("multichoice", "truefalse", "shortanswer"):
            for f, _ in answers:
                if abs(f) not in MOODLE_GRADES:
                    problems.append(f"{where}: fraction {f} is not one Moodle offers")
        if qtype == "multichoice":
            single = q.findtext("single") == "true"
            if len(answers) < 2:
                problems.append(f"{where}: fewer than two answers")
            if single and max(f for f, _ in answers) != 100:
                problems.append(f"{where}: single-answer question without a 100% answer")
            if not single and round(sum(f for f, _ in answers if f > 0) / 100, 2) != 1:
                problems.append(f"{where}: positive fractions do not add up to 100%")
        elif qtype == "truefalse":
            if sorted(t for _, t in answers) != ["false", "true"] or sorted(f for f, _ in answers) != [0, 100]:
                problems.append(f"{where}: true/false needs answers 'true' and 'false', one at 100%")
        elif qtype == "shortanswer":
            if not any(f == 100 for f, _ in answers):
                problems.append(f"{where}: no answer at 100%")
        elif qtype == "matching":
            subs = q.findall("subquestion")
            real = [s for s in subs if (s.findtext("text") or "").strip()]
            if len(real) < 2:
                problems.append(f"{where}: fewer than two sub-questions")
            if any(not (s.findtext("answer/text") or "").strip() for s in subs):
                problems.append(f"{where}: a sub-question without an answer")
        elif qtype == "ordering":
            if len(answers) < 2:
                problems.append(f"{where}: fewer than two items")
        elif qtype != "essay":
            problems.append(f"{where}: unexpected question type")
    return problems


# ---------------------------------------------------------------------------
# Aiken (the reading rules of Moodle's qformat_aiken)

_OPTION = re.compile(r"^([A-Z])[).][ \t]")


def read_aiken(text: str) -> tuple[list[dict[str, object]], list[str]]:
    """Questions as Moodle's Aiken reader would see them, and the problems it would report."""
    questions: list[dict[str, object]] = []
    problems: list[str] = []
    current: dict[str, object] | None = None
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) < 2:
            problems.append(f"line {lineno}: line too short, Moodle would skip it")
            continue
        if _OPTION.match(line):
            if current is None:
                problems.append(f"line {lineno}: option before any question text")
                continue
            current["options"].append(line[2:].strip())  # type: ignore[union-attr]
        elif line.startswith("ANSWER:"):
            if current is None:
                problems.append(f"line {lineno}: ANSWER without a question")
                continue
            letter = line[len("ANSWER:"):].strip()[:1]
            index = ord(letter) - ord("A") if letter else -1
            if not 0 <= index < len(current["options"]):  # type: ignore[arg-type]
                problems.append(f"line {lineno}: ANSWER {letter!r} names no option")
            if len(current["options"]) < 2:  # type: ignore[arg-type]
                problems.append(f"line {lineno}: fewer than two options")
            current["answer"] = index
            questions.append(current)
            current = None
        else:
            if current is not None:
                problems.append(f"line {lineno}: question text inside a question")
            current = {"text": line, "options": [], "answer": None}
    if current is not None:
        problems.append("last question has no ANSWER line")
    return questions, problems


# ---------------------------------------------------------------------------
# GIFT via npm gift-pegjs

GIFT_JS = Path(__file__).with_name("gift_parse.js")


def parse_gift(texts: list[str]) -> list[dict[str, object]]:
    """Parse each text with gift-pegjs in one node process."""
    node = shutil.which("node")
    assert node, "node is needed to run gift-pegjs"
    assert (REPO / "node_modules" / "gift-pegjs").is_dir(), "run `npm ci` to install gift-pegjs"
    proc = subprocess.run([node, str(GIFT_JS)], input=json.dumps(texts), capture_output=True,
                          text=True, cwd=REPO, timeout=120, check=True)
    return json.loads(proc.stdout)
