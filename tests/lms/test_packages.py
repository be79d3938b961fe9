"""The LMS packages (builder.render.lms): valid against the standards' own schemas, complete,
deterministic, self-contained, participant content only, and following `completion:`.

The in-page runtime and its LMS harness tests are tests/lms/test_runtime*.py.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from builder.model.forms import form_question_ids
from builder.render import BuildOptions
from builder.render.lms import FORMATS, build_packages, plan_packages
from builder.render.lms.content import ALWAYS, CONFIG, RUNTIME, references
from tests.helpers import course_copy, run_cli
from tests.lms import schemas
from tests.lms.conftest import OPTS, unzip
from tests.render.quiz import checkers

SCHEMA_OF = {"scorm12": ("imsmanifest.xml", "scorm12"), "scorm2004": ("imsmanifest.xml", "scorm2004"),
             "cmi5": ("cmi5.xml", "cmi5"), "cc": ("imsmanifest.xml", "cc11")}
MANIFEST_OWN = {"imsmanifest.xml", "cmi5.xml"}


def _named(files: dict[str, bytes], fmt: str) -> set[str]:
    """Every file the manifest names (resource hrefs, file hrefs, adlcp:location, AU urls)."""
    man, _ = SCHEMA_OF[fmt]
    doc = etree.fromstring(files[man])
    names = set()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in ("resource", "file") and el.get("href"):
            names.add(el.get("href"))
        if local in ("location", "url") and el.text:
            names.add(el.text.strip())
    return names


def _reachable(files: dict[str, bytes], start: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(start) + [f for f in files if f.startswith(ALWAYS)]
    while todo:
        f = todo.pop()
        if f in seen or f not in files:
            continue
        seen.add(f)
        if f.endswith((".html", ".css")):
            todo += references(f, files[f])
    return seen


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_minimal_packages_are_valid_complete_and_reachable(minimal_packages: dict, fmt: str) -> None:
    _check_package(minimal_packages[fmt][1], fmt)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_real_course_packages_are_valid_complete_and_reachable(real_packages: dict, fmt: str) -> None:
    _check_package(real_packages[fmt][1], fmt)


def _check_package(data: bytes, fmt: str) -> None:
    files = unzip(data)
    man, schema = SCHEMA_OF[fmt]
    assert list(files)[0] == man  # importers look for it first
    assert schemas.errors(schema, files[man]) == []
    named = _named(files, fmt)
    assert named and sorted(named - set(files)) == []  # every file the manifest names is in the zip
    # Every file in the zip is named by the manifest or reachable from a named page.
    pages = {f for f in named if f.endswith(".html")}
    extra = set(files) - named - _reachable(files, pages) - MANIFEST_OWN - {CONFIG}
    assert sorted(extra) == []
    if fmt == "cc":
        for name, content in files.items():
            if name.endswith("assessment.xml"):
                assert checkers.xsd_errors("cc11_qti", content) == [], name
    # Every link between the package's own files resolves inside the package.
    broken = sorted({(f, r) for f in files if f.endswith((".html", ".css"))
                     for r in references(f, files[f]) if r not in files})
    assert broken == []


def test_the_schemas_reject_a_broken_manifest(minimal_packages: dict) -> None:
    """The validators can fail: a manifest without its resources is refused by each schema."""
    for fmt in FORMATS:
        man, schema = SCHEMA_OF[fmt]
        doc = etree.fromstring(unzip(minimal_packages[fmt][1])[man])
        for el in list(doc):
            if etree.QName(el).localname in ("resources", "au"):
                doc.remove(el)
        if fmt == "cmi5":
            etree.SubElement(doc, "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}unexpected")
        assert schemas.errors(schema, etree.tostring(doc)) != [], fmt


def test_one_unit_per_module_with_its_pages(minimal, minimal_packages: dict) -> None:
    modules = [m.id for m in minimal.modules]
    s12 = etree.fromstring(unzip(minimal_packages["scorm12"][1])["imsmanifest.xml"])
    scos = [r for r in s12.iter("{*}resource")
            if r.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"]
    assert [r.get("identifier") for r in scos] == [f"sco-{m}" for m in modules]
    first = [f.get("href") for f in scos[0].iter("{*}file")]
    m1 = minimal.modules[0]
    assert first[0] == f"modules/{m1.folder}/index.html" and first[-1] == f"modules/{m1.folder}/quiz.html"
    assert len(first) == 1 + len(m1.lessons) + 2 + (1 if m1.data.activities else 0)
    s2004 = etree.fromstring(unzip(minimal_packages["scorm2004"][1])["imsmanifest.xml"])
    items = [i.get("identifierref") for i in s2004.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}item")]
    assert items == [f"sco-{m}" for m in modules]
    au = etree.fromstring(unzip(minimal_packages["cmi5"][1])["cmi5.xml"])
    urls = [u.text for u in au.iter("{*}url")]
    assert urls == [f"modules/{m.folder}/index.html" for m in minimal.modules]
    cc = etree.fromstring(unzip(minimal_packages["cc"][1])["imsmanifest.xml"])
    titles = [t.text for t in cc.iter("{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}title")]
    assert titles[0] == "Get help now" and f"{m1.id}: {m1.title}" in titles
    types = {r.get("type") for r in cc.iter("{*}resource")}
    assert types == {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}


def test_metadata(minimal, minimal_packages: dict) -> None:
    c = minimal.course
    minutes = sum(m.data.duration for m in minimal.modules)
    md12 = etree.fromstring(unzip(minimal_packages["scorm12"][1])["metadata.xml"])
    ns = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
    assert md12.findtext(f"{ns}general/{ns}title/{ns}langstring") == c.title
    assert md12.findtext(f"{ns}general/{ns}language") == c.language
    assert md12.findtext(f"{ns}lifecycle/{ns}version/{ns}langstring") == c.version
    assert md12.findtext(f"{ns}general/{ns}description/{ns}langstring")
    h, m = divmod(minutes, 60)
    assert md12.findtext(f"{ns}educational/{ns}typicallearningtime/{ns}datetime") == f"{h:02d}:{m:02d}:00"
    doc = etree.fromstring(unzip(minimal_packages["scorm2004"][1])["imsmanifest.xml"])
    lom = "{http://ltsc.ieee.org/xsd/LOM}"
    assert doc.get("version") == c.version
    assert doc.findtext(f".//{lom}general/{lom}title/{lom}string") == c.title
    assert doc.findtext(f".//{lom}lifeCycle/{lom}version/{lom}string") == c.version
    assert doc.findtext(f".//{lom}general/{lom}language") == c.language
    iso = doc.findtext(f".//{lom}typicalLearningTime/{lom}duration")
    assert iso == "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")


def _with_completion(tmp_path: Path, text: str):
    from builder.model.load import load_project

    root = course_copy(tmp_path)
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + text, encoding="utf-8")
    project, _ = load_project(root)
    return project


def test_completion_rule_reaches_every_package(tmp_path: Path) -> None:
    project = _with_completion(
        tmp_path, "completion:\n  rule: mastery\n  mastery_score: 75\n  report: [completion, score]\n")
    pk = build_packages(project, OPTS, ["scorm12", "scorm2004", "cmi5"])
    for fmt, (_, data) in pk.items():
        config = json.loads(unzip(data)[CONFIG])
        assert config == {"standard": fmt, "rule": "mastery", "mastery_score": 75, "report": ["completion", "score"]}
    s12 = etree.fromstring(unzip(pk["scorm12"][1])["imsmanifest.xml"])
    assert [e.text for e in s12.iter("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")] == ["75", "75"]
    s2004 = etree.fromstring(unzip(pk["scorm2004"][1])["imsmanifest.xml"])
    measures = [e.text for e in s2004.iter("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure")]
    assert measures == ["0.75", "0.75"]
    primary = next(s2004.iter("{http://www.imsglobal.org/xsd/imsss}primaryObjective"))
    assert primary.get("satisfiedByMeasure") == "true"
    aus = list(etree.fromstring(unzip(pk["cmi5"][1])["cmi5.xml"]).iter("{*}au"))
    assert [(a.get("moveOn"), a.get("masteryScore")) for a in aus] == [("CompletedAndPassed", "0.75")] * 2
    assert schemas.errors("scorm2004", unzip(pk["scorm2004"][1])["imsmanifest.xml"]) == []


def test_a_viewing_rule_has_no_pass_mark(tmp_path: Path) -> None:
    project = _with_completion(tmp_path, "completion:\n  rule: all-lessons-viewed\n")
    pk = build_packages(project, OPTS, ["scorm12", "cmi5"])
    assert b"masteryscore" not in unzip(pk["scorm12"][1])["imsmanifest.xml"]
    aus = list(etree.fromstring(unzip(pk["cmi5"][1])["cmi5.xml"]).iter("{*}au"))
    assert {(a.get("moveOn"), a.get("masteryScore")) for a in aus} == {("Completed", None)}
    assert json.loads(unzip(pk["cmi5"][1])[CONFIG])["rule"] == "all-lessons-viewed"


def test_same_source_same_bytes(minimal, minimal_packages: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    again = build_packages(minimal, OPTS)
    for fmt, (_, data) in again.items():
        first, second = unzip(minimal_packages[fmt][1]), unzip(data)
        assert sorted(n for n in set(first) | set(second) if first.get(n) != second.get(n)) == [], fmt
        assert data == minimal_packages[fmt][1], fmt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: zip dates follow it, nothing else
    dated = build_packages(minimal, OPTS, ["cmi5"])["cmi5"][1]
    assert dated != minimal_packages["cmi5"][1] and unzip(dated) == unzip(minimal_packages["cmi5"][1])
    assert build_packages(minimal, OPTS, ["cmi5"])["cmi5"][1] == dated


# What a page may load: only files of the package. Links a reader clicks (sources, crisis
# services' websites) may point out; nothing is fetched from them unless the reader follows one.
LOADING = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
           "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "object": ("data",),
           "embed": ("src",), "track": ("src",), "input": ("src",)}
ABSOLUTE = re.compile(r"^\s*(https?:)?//", re.I)
CSS_REMOTE = re.compile(rb"""(url\(\s*['"]?\s*(https?:)?//|@import\s+['"](https?:)?//)""", re.I)
# Absolute URLs that script code builds requests from, and why none is ever requested here:
SCRIPT_LOADS = re.compile(r"""[(=,:]\s*["'`](https?://[^"'`$]*)""")
DORMANT = {
    # Material: a polyfill for browsers without ResizeObserver (every browser the course supports has it)
    "https://unpkg.com/resize-observer-polyfill": "no page needs it",
    # Material: Mermaid diagrams, loaded only when a page has one (test_no_page_triggers_them)
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "no page has a diagram",
    # Material: repository facts (stars, version), only for a page with the repository source
    # component, which the theme leaves out (test_materials_conditional_loads_stay_off)
    "https://api.github.com/repos/": "no page has the source component",
    "https://api.github.com/users/": "no page has the source component",
}
IDENTIFIERS = ("http://adlnet.gov/expapi/verbs/", "https://w3id.org/xapi/", "http://www.w3.org/")


def _outside_loads(files: dict[str, bytes]) -> list[str]:
    found = []
    for name, data in files.items():
        if name.endswith(".html"):
            doc = lxml_html.fromstring(data)
            for el in doc.iter():
                if not isinstance(el.tag, str):
                    continue
                for attr in LOADING.get(el.tag, ()):
                    value = el.get(attr) or ""
                    if attr == "href" and el.tag == "link" and el.get("rel") in ("canonical",):
                        continue  # names the page's address, loads nothing
                    if any(ABSOLUTE.match(v.strip().split(" ")[0]) for v in value.split(",") if v.strip()):
                        found.append(f"{name}: <{el.tag} {attr}={value!r}>")
                if el.tag == "style" and el.text and CSS_REMOTE.search(el.text.encode()):
                    found.append(f"{name}: <style> loads from another host")
                if el.get("style") and CSS_REMOTE.search(el.get("style").encode()):
                    found.append(f"{name}: style attribute loads from another host")
        elif name.endswith(".css") and CSS_REMOTE.search(data):
            found.append(f"{name}: url() or @import of another host")
        elif name.endswith(".js"):
            text = data.decode("utf-8", "replace")
            for url in SCRIPT_LOADS.findall(text):
                if url in DORMANT or url.startswith(IDENTIFIERS) or not re.match(r"https?://[a-z0-9.-]+\.[a-z]", url):
                    continue
                found.append(f"{name}: script requests {url}")
    return found


def _conditional_loads_off(files: dict[str, bytes]) -> None:
    """Material's conditional loads (DORMANT) stay off: no diagram, no repository facts."""
    pages = [lxml_html.fromstring(d) for n, d in files.items() if n.endswith(".html")]
    assert pages
    assert not any(p.xpath("//*[contains(@class, 'mermaid')]") for p in pages)
    assert not any(p.xpath("//*[@data-md-component='source']") for p in pages)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_file_loads_anything_from_another_host(minimal_packages: dict, fmt: str) -> None:
    files = unzip(minimal_packages[fmt][1])
    assert _outside_loads(files) == []
    _conditional_loads_off(files)


@pytest.mark.slow
def test_real_course_loads_nothing_from_another_host(real_packages: dict) -> None:
    for fmt in FORMATS:
        assert _outside_loads(unzip(real_packages[fmt][1])) == [], fmt
    _conditional_loads_off(unzip(real_packages["scorm12"][1]))


def test_the_host_scan_sees_what_it_forbids() -> None:
    assert _outside_loads({"a.html": b'<html><head><script src="https://cdn.example.com/x.js"></script></head></html>'})
    assert _outside_loads(
        {"a.html": b'<html><head><link rel="stylesheet" href="//fonts.example.com/c.css"></head></html>'})
    assert _outside_loads({"a.css": b"@font-face{src:url(https://fonts.example.com/f.woff2)}"})
    assert _outside_loads({"a.js": b'fetch("https://tracker.example.com/p")'})
    assert not _outside_loads({"a.html": b'<html><body><a href="https://988lifeline.org/">988</a></body></html>'})


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_page_carries_the_runtime(minimal_packages: dict, fmt: str) -> None:
    files = unzip(minimal_packages[fmt][1])
    assert RUNTIME in files and files[RUNTIME].strip()
    pages = [n for n in files if n.endswith(".html")]
    assert pages
    for name in pages:
        doc = lxml_html.fromstring(files[name])
        srcs = {posixpath.normpath(posixpath.join(posixpath.dirname(name), s.get("src")))
                for s in doc.iter("script") if s.get("src")}
        assert RUNTIME in srcs, name


def test_participant_content_only(minimal, minimal_packages: dict) -> None:
    """Learners get the participant edition: no facilitator notes, no answer key, no question a form draws."""
    files = unzip(minimal_packages["scorm2004"][1])
    text = b"\n".join(d for n, d in files.items() if n.endswith(".html") or n.startswith("search/"))
    assert b"Facilitator edition" not in text and b"Answer key" not in text
    drawn = form_question_ids(minimal)
    assert drawn
    quiz_pages = b"\n".join(d for n, d in files.items() if n.endswith("/quiz.html"))
    for qid in drawn:
        assert qid.encode() not in quiz_pages, qid
    # The cartridge's assessments are the same self-checks (answer keys: organisers' file).
    cc = unzip(minimal_packages["cc"][1])
    items = {i.get("ident") for n, d in cc.items() if n.endswith("assessment.xml")
             for i in etree.fromstring(d).iter(f"{checkers.QTI1}item")}
    assert items and not any(i.split(".")[0] + "." + i.split(".")[1] in drawn for i in items if i.count(".") >= 1)


def test_cartridge_quizzes_score_as_moodle_reads_them(minimal_packages: dict) -> None:
    cc = unzip(minimal_packages["cc"][1])
    for name, data in cc.items():
        if not name.endswith("assessment.xml"):
            continue
        for item in etree.fromstring(data).iter(f"{checkers.QTI1}item"):
            fields = item.iter(f"{checkers.QTI1}qtimetadatafield")
            weight = next(f.findtext(f"{checkers.QTI1}fieldentry") for f in fields
                          if f.findtext(f"{checkers.QTI1}fieldlabel") == "cc_weighting")
            assert weight.isdigit()


def test_only_facilitator_builds_plan_packages(minimal) -> None:
    assert plan_packages(minimal, BuildOptions(region="us")) == []
    planned = plan_packages(minimal, OPTS)
    assert [a.path for a in planned] == [f"downloads/lms/fixture-course{FORMATS[f].suffix}" for f in FORMATS]
    assert {a.role for a in planned} == {"lms-package"}


def test_course_package_command(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("package", "--root", str(root), "--format", "cmi5", "--out", "out")
    assert run.code == 0, run.err
    written = root / "out" / "fixture-course-cmi5.zip"
    assert written.is_file() and f"wrote out/{written.name}" in run.out
    assert schemas.errors("cmi5", unzip(written.read_bytes())["cmi5.xml"]) == []
    one = run_cli("package", "--root", str(root), "--format", "scorm12", "--out", "my.zip")
    assert one.code == 0 and (root / "my.zip").is_file()
    every = run_cli("package", "--root", str(root), "--format", "all", "--out", "all")
    assert every.code == 0 and sorted(p.name for p in (root / "all").iterdir()) == sorted(
        f"fixture-course{f.suffix}" for f in FORMATS.values())
    bad = run_cli("package", "--root", str(root), "--format", "scorm3")
    assert bad.code == 2 and "unknown format 'scorm3'" in bad.err


def test_course_package_stops_on_course_errors(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "completion:\n  rule: mastery\n  mastery_score: 150\n",
                      encoding="utf-8")
    run = run_cli("package", "--root", str(root), "--format", "scorm12")
    assert run.code == 1 and "[completion.mastery-score]" in run.out + run.err
    assert not (root / "build" / "packages").exists()


@pytest.mark.slow
def test_facilitator_build_writes_the_packages_and_explains_them(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("build", "--root", str(root), "--audience", "facilitator", "--no-pdf", "--out", "fac")
    assert run.code == 0, run.err
    lms = root / "fac" / "downloads" / "lms"
    assert sorted(p.name for p in lms.iterdir()) == sorted(f"fixture-course{f.suffix}" for f in FORMATS.values())
    page = (root / "fac" / "downloads" / "index.html").read_text(encoding="utf-8")
    assert "The whole course for your learning platform" in page
    for lms_name in ("Moodle", "Canvas", "Blackboard", "Brightspace", "TalentLMS", "Cornerstone"):
        assert lms_name in page
    for f in FORMATS.values():
        assert f"fixture-course{f.suffix}" in page
    part = run_cli("build", "--root", str(root), "--no-pdf", "--out", "part")
    assert part.code == 0, part.err
    assert not (root / "part" / "downloads" / "lms").exists()
    assert "The whole course for your learning platform" not in (
        root / "part" / "downloads" / "index.html").read_text(encoding="utf-8")
