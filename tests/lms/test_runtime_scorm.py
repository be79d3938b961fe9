"""The page runtime (assets/lms-runtime.js) inside a real LMS-side SCORM runtime.

tests/lms/harness.html plays a module of the built course in an iframe under scorm-again's
Scorm12API or Scorm2004API, as an LMS's player does. A learner opens the module, reads every
page by its links, fails then passes the self-check, and leaves; the harness keeps the data
model as an LMS stores it and relaunches the module with it (resume). The cmi values are read
from the LMS side, never from our script.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.lms.runtime_support import (
    ANSWER_TEXTS,
    PAGES,
    STATE_KEYS,
    TITLES,
    Web,
    answer_quiz,
    lms_web,  # noqa: F401 (fixture)
    package_web,  # noqa: F401 (fixture)
)
from tests.site.conftest import browser  # noqa: F401 (fixture: the site tests' Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lms-runtime")]

ELEMENTS = {
    "scorm12": {"status": "cmi.core.lesson_status", "location": "cmi.core.lesson_location",
                "exit": "cmi.core.exit", "time": "cmi.core.session_time", "entry": "cmi.core.entry",
                "init": "LMSInitialize", "finish": "LMSFinish"},
    "scorm2004": {"completion": "cmi.completion_status", "success": "cmi.success_status",
                  "location": "cmi.location", "exit": "cmi.exit", "time": "cmi.session_time",
                  "entry": "cmi.entry", "init": "Initialize", "finish": "Terminate"},
}


def value(cmi: dict[str, Any], element: str) -> Any:
    """cmi.core.lesson_status -> cmi["cmi"]["core"]["lesson_status"]."""
    node: Any = cmi
    for part in element.split("."):
        node = node[part]
    return node


class Player:
    """The harness page, driven from the test; every request of every frame is recorded."""

    def __init__(self, chromium: Any, web: Web, standard: str) -> None:
        self.web, self.standard = web, standard
        self.names = ELEMENTS[standard]
        self.context = chromium.new_context(viewport={"width": 1300, "height": 900})
        self.requests: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        # Script errors in any frame (the content frame too) land in the harness window.
        self.context.add_init_script(
            "for (const ev of ['error', 'unhandledrejection']) window.addEventListener(ev, e => {"
            " const top = window.top; (top.__errors = top.__errors || []).push(String(e.message || e.reason)); });")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.goto(web.url + "harness.html")
        self.frame = self.page.frame_locator("#content")

    def launch(self, cmi: dict[str, Any] | None = None) -> None:
        self.page.evaluate("([s, u, c]) => lms.launch(s, u, c)", [self.standard, self.web.launch, cmi])
        expect(self.frame.locator("article h1")).to_have_text(TITLES[0])
        self.wait_for_calls(self.names["init"])

    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate("lms.cmi()")

    def calls(self) -> dict[str, int]:
        return self.page.evaluate("lms.calls")

    def wait_for_calls(self, name: str, at_least: int = 1) -> None:
        self.page.wait_for_function("([n, k]) => (lms.calls[n] || 0) >= k", arg=[name, at_least])

    def wait_for(self, element: str, expected: str) -> dict[str, Any]:
        """The data model once `element` has the expected value (the runtime reports on load)."""
        self.page.wait_for_function(
            "([path, want]) => path.split('.').reduce((o, k) => o[k], lms.cmi()) === want",
            arg=[element, expected])
        return self.cmi()

    def state(self, cmi: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.loads((cmi or self.cmi())["cmi"]["suspend_data"])
        assert set(data) <= STATE_KEYS, data  # pages, location, score: nothing about answers
        return data

    def next_page(self, title: str) -> None:
        self.frame.locator("a.md-footer__link--next").click()
        expect(self.frame.locator("article h1")).to_have_text(title)

    def close(self) -> None:
        self.page.evaluate("lms.close()")
        self.wait_for_calls(self.names["finish"])

    def finish(self) -> None:
        errors = self.page.evaluate("window.__errors || []")
        origin = self.web.url
        self.context.close()
        assert errors == [], "script errors in the harness or the course"
        assert [u for u in self.requests if not u.startswith((origin, "about:", "data:"))] == [], \
            "requests to other hosts"


def _privacy(player: Player, cmi: dict[str, Any]) -> None:
    text = json.dumps(cmi)
    assert not [t for t in ANSWER_TEXTS if t in text], "an answer reached the LMS"
    assert value(cmi, "cmi.interactions") in ({}, []), "no interactions are reported"


@pytest.mark.parametrize("source", ["site", "package"])
@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_a_module_played_under_scorm_again(browser: Any, lms_web: Web, package_web: dict[str, Web],  # noqa: F811
                                           standard: str, source: str) -> None:
    """Rule all-lessons-viewed with mastery 80 (SCORM 1.2), or mastery (SCORM 2004): the built
    site with lms-config.json beside it, and the SCO of the package `course package` writes
    (its own lms-config.json, from completion: in course.yaml; its pages are files)."""
    if source == "site":
        web = lms_web
        web.configure(rule="all-lessons-viewed" if standard == "scorm12" else "mastery", standard=standard)
    else:
        web = package_web[standard]
    pages = web.pages
    player = Player(browser, web, standard)
    n = player.names
    player.launch()
    first = player.wait_for(n["location"], pages[0])
    assert value(first, n["location"]) == pages[0]
    assert player.state(first)["s"] == [pages[0]]
    if standard == "scorm12":
        assert value(first, n["status"]) == "incomplete"
    else:
        assert value(first, n["completion"]) == "incomplete"
        assert value(first, n["success"]) == "unknown"
        assert value(first, "cmi.progress_measure") == "0.1667"

    # Read every page of the module by its links: one session, no Finish in between.
    for page, title in zip(pages[1:], TITLES[1:], strict=True):
        player.next_page(title)
        cmi = player.wait_for(n["location"], page)
    assert player.state(cmi)["s"] == pages
    assert player.calls().get(n["finish"], 0) == 0 and player.calls()[n["init"]] == 1
    if standard == "scorm12":
        assert value(cmi, n["status"]) == "completed"  # every page seen; not yet judged
    else:
        assert value(cmi, n["completion"]) == "incomplete"  # mastery: the quiz decides
    expect(player.frame.locator(".course-quiz__lms-note")).to_contain_text("gets your score")

    # A first try below the mastery score (4 of 6 points), then every answer right.
    answer_quiz(player.frame, all_right=False)
    if standard == "scorm12":
        cmi = player.wait_for(n["status"], "failed")
        assert value(cmi, "cmi.core.score.raw") == "66.67"
        assert (value(cmi, "cmi.core.score.min"), value(cmi, "cmi.core.score.max")) == ("0", "100")
    else:
        cmi = player.wait_for(n["success"], "failed")
        assert value(cmi, n["completion"]) == "incomplete"
        assert value(cmi, "cmi.score.scaled") == "0.6667"
    player.frame.get_by_role("button", name="Try again").click()
    answer_quiz(player.frame, all_right=True)
    if standard == "scorm12":
        cmi = player.wait_for(n["status"], "passed")
        assert value(cmi, "cmi.core.score.raw") == "100"
    else:
        cmi = player.wait_for(n["success"], "passed")
        assert value(cmi, n["completion"]) == "completed"
        assert (value(cmi, "cmi.score.scaled"), value(cmi, "cmi.score.raw")) == ("1", "100")
    state = player.state(cmi)
    assert (state["q"], state["a"], state["l"]) == (100, True, pages[-1])
    _privacy(player, cmi)

    # Leave: the runtime finishes the session, suspended, with its time.
    player.close()
    saved = player.page.evaluate("lms.saved")
    assert value(saved, n["exit"]) == "suspend"
    pattern = r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?" if standard == "scorm12" else r"PT(\d+H)?(\d+M)?[\d.]+S"
    assert re.fullmatch(pattern, value(saved, n["time"])), value(saved, n["time"])
    assert player.calls()[n["finish"]] == 1

    # Relaunch with what the LMS stored: entry "resume", and a link back to where the learner was.
    player.launch(player.page.evaluate("lms.resumeData()"))
    cmi = player.cmi()
    assert value(cmi, n["entry"]) == "resume"
    link = player.frame.get_by_role("link", name=f"Continue where you left off: {TITLES[-1]}")
    expect(link).to_be_visible()
    expect(player.frame.locator(".course-progress__text")).to_have_text("All 6 pages seen")
    link.click()
    expect(player.frame.locator("article h1")).to_have_text(TITLES[-1])
    cmi = player.wait_for(n["location"], pages[-1])
    state = player.state(cmi)
    assert state["s"][-1] == pages[-1] and sorted(state["s"]) == sorted(pages)
    assert state["q"] == 100
    if standard == "scorm12":
        assert value(cmi, n["status"]) == "passed"
    else:
        assert (value(cmi, n["completion"]), value(cmi, n["success"])) == ("completed", "passed")
    assert player.calls() == {**player.calls(), n["init"]: 1}
    player.close()
    player.finish()


def test_the_lms_mastery_score_wins(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """SCORM 1.2: the manifest's adlcp:masteryscore (cmi.student_data.mastery_score, 60 here)
    judges the score, not the course's 80: 4 of 6 points pass."""
    lms_web.configure(rule="quiz-attempted", standard="scorm12")
    player = Player(browser, lms_web, "scorm12")
    player.launch({"student_data": {"mastery_score": "60"}})
    player.frame.locator("article table").get_by_role("link", name="Self-check quiz").click()
    expect(player.frame.locator("article h1")).to_have_text(TITLES[-1])
    assert value(player.cmi(), "cmi.core.lesson_status") == "incomplete"  # not attempted yet
    answer_quiz(player.frame, all_right=False)
    cmi = player.wait_for("cmi.core.lesson_status", "passed")
    assert value(cmi, "cmi.core.score.raw") == "66.67"
    player.close()
    player.finish()


def test_only_what_the_organiser_configured_is_reported(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """completion.report without score and success: SCORM 2004 gets completion only."""
    lms_web.configure(rule="quiz-attempted", standard="scorm2004", report=["completion"])
    player = Player(browser, lms_web, "scorm2004")
    player.launch()
    player.frame.locator("article table").get_by_role("link", name="Self-check quiz").click()
    expect(player.frame.locator("article h1")).to_have_text(TITLES[-1])
    answer_quiz(player.frame, all_right=True)
    cmi = player.wait_for("cmi.completion_status", "completed")
    assert value(cmi, "cmi.success_status") == "unknown"
    assert value(cmi, "cmi.score.scaled") == "" and value(cmi, "cmi.score.raw") == ""
    player.close()
    player.finish()


def test_a_broken_lms_api_never_breaks_the_page(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """An `API` whose every call throws: the module still reads, links and quiz work, no errors."""
    lms_web.configure(standard="scorm12")
    player = Player(browser, lms_web, "scorm12")
    player.page.evaluate("""u => {
        window.API = new Proxy({}, { get: () => () => { throw new Error('LMS down'); } });
        document.getElementById('content').src = u; }""", lms_web.site_url + PAGES[-1])
    expect(player.frame.locator("article h1")).to_have_text(TITLES[-1])
    answer_quiz(player.frame, all_right=True)
    player.frame.locator("a.md-footer__link--prev").click()
    expect(player.frame.locator("article h1")).to_have_text(TITLES[-2])
    player.page.evaluate("lms.close()")
    player.finish()


def test_hiding_the_page_commits_without_finishing(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """visibilitychange to hidden (the learner switches tab or app): the data reaches the LMS
    (Commit), and the session goes on."""
    lms_web.configure(standard="scorm2004")
    player = Player(browser, lms_web, "scorm2004")
    player.launch()
    commits = player.calls()["Commit"]
    frame = player.page.frame(url=re.compile(re.escape(lms_web.site_url)))
    assert frame is not None
    frame.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange')); }""")
    player.wait_for_calls("Commit", commits + 1)
    assert player.calls().get("Terminate", 0) == 0
    player.close()
    player.finish()


def test_the_api_is_found_through_the_opener(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """An LMS that opens the module in a new window: the API is on the opener (ADL's discovery
    looks there after the parents)."""
    lms_web.configure(standard="scorm12")
    player = Player(browser, lms_web, "scorm12")
    player.page.evaluate("lms.launch('scorm12', 'about:blank', null)")
    with player.context.expect_page() as popup_info:
        player.page.evaluate("u => { window.popup = window.open(u, 'course'); }", lms_web.launch)
    popup = popup_info.value
    expect(popup.locator("article h1")).to_have_text(TITLES[0])
    player.wait_for_calls("LMSInitialize")
    cmi = player.wait_for("cmi.core.lesson_location", PAGES[0])
    assert value(cmi, "cmi.core.lesson_status") == "incomplete"
    popup.close()  # the learner closes the window: the session is finished
    player.wait_for_calls("LMSFinish")
    player.finish()


def test_suspend_data_stays_within_scorm_12s_limit(browser: Any, lms_web: Web) -> None:  # noqa: F811 (fixtures)
    """SCORM 1.2 keeps 4096 characters of suspend data: a long history loses its oldest pages,
    never the page being read."""
    lms_web.configure(standard="scorm12")
    old = [f"modules/01-first-steps/an-old-page-{i:03d}/" for i in range(94)]
    start = json.dumps({"v": 1, "s": old, "l": old[-1], "t": "An old page", "q": None, "a": False},
                       separators=(",", ":"))
    assert 3900 < len(start) < 4096
    player = Player(browser, lms_web, "scorm12")
    player.launch({"suspend_data": start, "core": {"entry": "resume"}})
    cmi = player.wait_for("cmi.core.lesson_location", PAGES[0])
    text = value(cmi, "cmi.suspend_data")
    state = player.state(cmi)
    assert len(text) <= 4000
    assert state["s"][-1] == PAGES[0] and state["s"][0] != old[0] and old[-1] in state["s"]
    player.close()
    player.finish()
