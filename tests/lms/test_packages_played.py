"""The SCORM packages themselves (the zips `course package` writes, not the plain site) played
in Chromium inside the runtime tests' LMS harness (tests/lms/harness.html: scorm-again's
LMS-side SCORM 1.2 and 2004 runtimes, from node_modules): launch module 1's SCO as the manifest
names it, read every page of the module, leave, come back.

The runtime's own behaviour in depth (quiz scores, mastery, suspend data, cmi5) is tested in
tests/lms/test_runtime_*.py; this shows the packages carry what it needs (lms-config.json, the
page structure, file URLs inside the zip) and that nothing outside the package is requested.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from lxml import etree
from playwright.sync_api import expect

from builder.model.load import load_project
from builder.render.lms import build_packages
from tests.helpers import course_copy
from tests.lms.conftest import OPTS, unzip
from tests.lms.runtime_support import HARNESS, LRS, SCORM_AGAIN, lrs  # noqa: F401 (fixture)
from tests.site.conftest import browser, serve  # noqa: F401 (fixture: Chromium from $CHROMIUM or PATH)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lms-packages-played")]

STATUS = {"scorm12": ("cmi.core.lesson_status", "cmi.core.lesson_location", "LMSFinish"),
          "scorm2004": ("cmi.completion_status", "cmi.location", "Terminate")}


def _key(path: str) -> str:
    """How the runtime names a page in `location`: its path in the package, a folder's
    index.html as the folder."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def _value(cmi: dict[str, Any], element: str) -> Any:
    node: Any = cmi
    for key in element.split("."):
        node = node[key]
    return node


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, list[str]]]]:
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is not installed: run `npm ci` (it is a devDependency in package.json)")
    tmp = tmp_path_factory.mktemp("played")
    root = course_copy(tmp)
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "completion:\n  rule: all-lessons-viewed\n",
                      encoding="utf-8")
    project, _ = load_project(root)
    assert project is not None
    web = tmp / "web"
    web.mkdir()
    shutil.copy(HARNESS, web / "harness.html")
    shutil.copy(SCORM_AGAIN, web / "scorm-again.min.js")
    scos: dict[str, list[str]] = {}
    for fmt, (_, data) in build_packages(project, OPTS, ["scorm12", "scorm2004", "cmi5"]).items():
        files = unzip(data)
        for name, content in files.items():
            (web / fmt / name).parent.mkdir(parents=True, exist_ok=True)
            (web / fmt / name).write_bytes(content)
        if fmt == "cmi5":
            au = next(etree.fromstring(files["cmi5.xml"]).iter("{*}au"))
            scos[fmt] = [au.get("id"), au.findtext("{*}url")]
            continue
        man = etree.fromstring(files["imsmanifest.xml"])
        first = next(r for r in man.iter("{*}resource") if r.get("identifier") == "sco-M1")
        scos[fmt] = [f.get("href") for f in first.iter("{*}file")]  # launch page first
    server, url = serve(web)
    yield url, web, scos
    server.shutdown()


@pytest.mark.slow
@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_module_one_played_from_the_package(browser, played, standard: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, web, scos = played
    status, location, finish = STATUS[standard]
    pages = scos[standard]
    assert json.loads((web / standard / "lms-config.json").read_text())["standard"] == standard
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(url + "harness.html")
    frame = page.frame_locator("#content")
    page.evaluate("([s, u]) => lms.launch(s, u, null)", [standard, f"{url}{standard}/{pages[0]}"])
    page.wait_for_function("([p, v]) => p.split('.').reduce((o, k) => o[k], lms.cmi()) === v",
                           arg=[location, _key(pages[0])])
    cmi = page.evaluate("lms.cmi()")
    assert _value(cmi, status) in ("incomplete", "not attempted")
    for expected in pages[1:]:
        frame.locator("a.md-footer__link--next").click()
        page.wait_for_function("([p, v]) => p.split('.').reduce((o, k) => o[k], lms.cmi()) === v",
                               arg=[location, _key(expected)])
    # Every page of the module seen: complete by the rule all-lessons-viewed.
    page.wait_for_function("([p, v]) => p.split('.').reduce((o, k) => o[k], lms.cmi()) === v",
                           arg=[status, "completed"])
    page.evaluate("lms.close()")
    page.wait_for_function("n => (lms.calls[n] || 0) >= 1", arg=finish)
    # Back again: the LMS hands over what it stored, and the learner is where they stopped.
    page.evaluate("([s, u]) => lms.launch(s, u, lms.resumeData())", [standard, f"{url}{standard}/{pages[0]}"])
    expect(frame.locator("article h1")).to_be_visible()
    page.wait_for_function("([p, v]) => p.split('.').reduce((o, k) => o[k], lms.cmi()) === v",
                           arg=[status, "completed"])
    errors = page.evaluate("window.__errors || []")
    context.close()
    assert errors == []
    assert [u for u in requests if not u.startswith((url, "about:", "data:"))] == []


@pytest.mark.slow
def test_module_one_played_from_the_cmi5_package(browser, played, lrs: LRS) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The AU as cmi5.xml names it, launched with the cmi5 parameters: the defined statements
    go to the launch URL's endpoint, in order, and nothing else leaves the package's origin."""
    url, web, scos = played
    au_id, au_url = scos["cmi5"]
    pages = scos["scorm12"]  # the same module pages, in order
    fetch = lrs.new_session(mastery=None)
    actor = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "learner-7"}}
    query = urlencode({"endpoint": lrs.url + "lrs/", "fetch": fetch, "registration": lrs.registration,
                       "activityId": au_id, "actor": json.dumps(actor)})
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}cmi5/{au_url}?{query}")
    expect(page.locator("article h1")).to_be_visible()
    # The learner acts once the AU has started: cmi5 allows one call to the fetch URL, so a
    # page left before the token came back cannot report (docs/site.md). Under load that
    # takes a while.
    deadline = time.monotonic() + 15
    while "initialized" not in lrs.verbs():
        assert time.monotonic() < deadline, "the AU never sent initialized"
        time.sleep(0.05)
    for expected in pages:
        if expected != pages[0]:
            page.locator("a.md-footer__link--next").click()
            page.wait_for_url(f"**/cmi5/{expected}*")
        # The runtime keeps the pages seen in the AU's own state document in the LRS.
        deadline = time.monotonic() + 10
        while not any(f'"{_key(expected)}"'.encode() in v for v in list(lrs.states.values())):
            assert time.monotonic() < deadline, f"{expected} never recorded as seen"
            time.sleep(0.05)
    page.goto("about:blank")  # the learner leaves: pagehide
    deadline = time.monotonic() + 10
    while "terminated" not in lrs.verbs()[-1:] and time.monotonic() < deadline:
        time.sleep(0.05)
    context.close()
    assert errors == []
    assert lrs.verbs() == ["initialized", "completed", "terminated"]
    assert {st["context"]["registration"] for st in lrs.statements} == {lrs.registration}
    assert {st["object"]["id"] for st in lrs.statements} == {au_id}
    assert [u for u in requests if not u.startswith((url, lrs.url, "about:", "data:"))] == []
