"""The page runtime (assets/lms-runtime.js) as a cmi5 AU, against a local LMS/LRS stand-in.

The AU (module 1 of the built course) is launched as a cmi5 LMS does: its URL carries
endpoint, fetch, registration, activityId and actor. The stand-in (tests/lms/runtime_support.py,
another 127.0.0.1 port, so the AU talks to it across origins as to a real LRS) hands out the
token once, serves LMS.LaunchData and records every statement. The learner reads the module,
passes the self-check and leaves; then comes back in a new session of the same registration.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.lms.runtime_support import (
    ANSWER_TEXTS,
    COURSE_IRI,
    LRS,
    SESSION_EXT,
    TITLES,
    TOKEN,
    Web,
    answer_quiz,
    lms_web,  # noqa: F401 (fixture)
    lrs,  # noqa: F401 (fixture)
    package_web,  # noqa: F401 (fixture)
)
from tests.site.conftest import browser  # noqa: F401 (fixture: the site tests' Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lms-runtime")]

ACTIVITY = COURSE_IRI + "/au/m1/content"
ACTOR = {"objectType": "Agent", "name": "A Learner",
         "account": {"homePage": "https://lms.example.org", "name": "learner-7"}}
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"


def launch_url(web: Web, store: LRS, fetch: str) -> str:
    query = urlencode({"endpoint": store.url + "lrs/", "fetch": fetch, "registration": store.registration,
                       "activityId": ACTIVITY, "actor": json.dumps(ACTOR)})
    return f"{web.launch}?{query}"


def wait_for_verbs(store: LRS, count: int, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(store.statements) >= count:
            return store.verbs()
        time.sleep(0.05)
    return store.verbs()


def play(chromium: Any, web: Web, store: LRS, fetch: str, visit: Any) -> tuple[list[str], list[str]]:
    """One session: launch, `visit(page)`, leave (the window goes elsewhere). Returns every URL
    requested and every script error."""
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda e: errors.append(str(e)))
    before = len(store.statements)
    page.goto(launch_url(web, store, fetch))
    expect(page.locator("article h1")).to_have_text(TITLES[0])
    # The learner acts once the AU has started (token, launch data, initialized): a page left
    # while the one-time token call is under way loses its token (a limit of cmi5's fetch URL).
    assert wait_for_verbs(store, before + 1)[before:] == ["initialized"]
    visit(page)
    page.goto("about:blank")  # the learner leaves the AU: pagehide
    deadline = time.monotonic() + 10
    while "terminated" not in store.verbs()[-1:] and time.monotonic() < deadline:
        time.sleep(0.05)
    # Back into the AU after it terminated: the session is over, nothing more is sent.
    sent = len(store.statements)
    page.go_back()
    page.locator("article h1").wait_for()
    page.goto("about:blank")
    page.wait_for_timeout(500)
    assert len(store.statements) == sent, store.verbs()
    context.close()
    return requests, errors


def check_statement(st: dict[str, Any], store: LRS, session_id: str) -> None:
    """What every cmi5 defined statement must carry."""
    assert st["actor"] == ACTOR
    assert st["object"]["id"] == ACTIVITY
    assert len(st["id"]) == 36 and st["timestamp"].endswith("Z")
    context = st["context"]
    assert context["registration"] == store.registration
    assert context["extensions"][SESSION_EXT] == session_id
    # The LMS's contextTemplate is kept (grouping), and the cmi5 category added.
    assert context["contextActivities"]["grouping"] == [{"id": COURSE_IRI + "/au/m1", "objectType": "Activity"}]
    assert CMI5 in [c["id"] for c in context["contextActivities"]["category"]]


@pytest.mark.parametrize("source", ["site", "package"])
def test_cmi5_statements_order_context_and_hosts(browser: Any, lms_web: Web, package_web: dict[str, Web],  # noqa: F811
                                                 lrs: LRS, source: str) -> None:  # noqa: F811
    """Module 1 as the built site (lms-config.json beside it) and as the AU of the cmi5 package
    (its url from cmi5.xml, its own lms-config.json: rule mastery at 80)."""
    if source == "site":
        web = lms_web
        web.configure(rule="mastery", standard="cmi5")
    else:
        web = package_web["cmi5"]
        structure = etree.parse(str(web.site / "cmi5.xml"))
        first_au = structure.find("{*}au/{*}url")
        assert first_au is not None and web.site_url + first_au.text == web.launch
    fetch = lrs.new_session(mastery=0.8)
    first_session = lrs.session_id

    def visit(page: Any) -> None:
        for title in TITLES[1:]:
            page.locator("a.md-footer__link--next").click()
            expect(page.locator("article h1")).to_have_text(title)
        expect(page.locator(".course-quiz__lms-note")).to_be_visible()
        answer_quiz(page, all_right=False)  # 66.67 %: failed
        assert wait_for_verbs(lrs, 2)[-1] == "failed"
        page.get_by_role("button", name="Try again").click()
        answer_quiz(page, all_right=True)  # 100 %: passed, and (rule mastery) completed
        wait_for_verbs(lrs, 4)

    requests, errors = play(browser, web, lrs, fetch, visit)
    assert errors == []
    verbs = lrs.verbs()
    assert verbs == ["initialized", "failed", "completed", "passed", "terminated"], verbs
    for st in lrs.statements:
        check_statement(st, lrs, first_session)
    by_verb = {v: st for v, st in zip(verbs, lrs.statements, strict=True)}
    passed, failed, completed = by_verb["passed"], by_verb["failed"], by_verb["completed"]
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1
    assert failed["result"]["success"] is False and failed["result"]["score"]["scaled"] == 0.6667
    assert completed["result"]["completion"] is True and "score" not in completed["result"]
    for st in (passed, failed, completed):
        assert MOVEON in [c["id"] for c in st["context"]["contextActivities"]["category"]]
        assert st["result"]["duration"].startswith("PT")
    assert passed["context"]["extensions"][MASTERY] == 0.8
    assert "result" not in by_verb["initialized"]
    assert by_verb["terminated"]["result"]["duration"].startswith("PT")
    times = [st["timestamp"] for st in lrs.statements]
    assert times == sorted(times)

    # The token was asked for once, though the AU has six pages; every LRS call carried it.
    assert list(lrs.fetches.values()) == [1]
    lrs_calls = [r for r in lrs.requests if r[1].startswith("/lrs/") and r[0] != "OPTIONS"]
    assert lrs_calls and all(h.get("authorization") == f"Basic {TOKEN}" for _, _, h in lrs_calls)
    # Only the AU's own origin and the LRS were contacted: not the returnURL's host, nothing else.
    hosts = {urlsplit(u).netloc for u in requests if not u.startswith(("about:", "data:"))}
    assert hosts == {urlsplit(web.url).netloc, urlsplit(lrs.url).netloc}, hosts
    # Nothing about the answers reached the LRS: statements and state documents alike.
    sent = json.dumps(lrs.statements) + b"".join(lrs.states.values()).decode()
    assert not [t for t in ANSWER_TEXTS if t in sent]

    # A new session of the same registration: the AU resumes where the learner stopped and
    # does not complete or pass again (once per registration).
    lrs.statements.clear()
    fetch = lrs.new_session(mastery=0.8)

    def resume(page: Any) -> None:
        link = page.get_by_role("link", name=f"Continue where you left off: {TITLES[-1]}")
        expect(link).to_be_visible()
        expect(page.locator(".course-progress__text")).to_have_text("All 6 pages seen")
        link.click()
        expect(page.locator("article h1")).to_have_text(TITLES[-1])
        answer_quiz(page, all_right=True)

    _, errors = play(browser, web, lrs, fetch, resume)
    assert errors == []
    assert lrs.verbs() == ["initialized", "terminated"]
    for st in lrs.statements:
        check_statement(st, lrs, lrs.session_id)


def test_cmi5_browse_mode_sends_no_result(browser: Any, lms_web: Web, lrs: LRS) -> None:  # noqa: F811 (fixtures)
    """launchMode Browse: only initialized and terminated, whatever the learner does."""
    lms_web.configure(rule="quiz-attempted", standard="cmi5")
    fetch = lrs.new_session(mastery=0.5, mode="Browse")

    def visit(page: Any) -> None:
        page.locator("article table").get_by_role("link", name="Self-check quiz").click()
        expect(page.locator("article h1")).to_have_text(TITLES[-1])
        answer_quiz(page, all_right=True)

    _, errors = play(browser, lms_web, lrs, fetch, visit)
    assert errors == []
    assert lrs.verbs() == ["initialized", "terminated"]
