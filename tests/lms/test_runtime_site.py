"""The page runtime (assets/lms-runtime.js) on the plain site and the offline folder: progress
kept in this browser only (localStorage), a bar per module, "Continue where you left off".

The site tests' `open_page` fixture fails a test on any request to another host and on any
script error in the page.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.lms.runtime_support import ANSWER_TEXTS, answer_quiz
from tests.site.conftest import (  # noqa: F401 (fixtures)
    Site,
    browser,
    course_root,
    offline_site,
    open_page,
    participant_site,
)
from tests.site.support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lms-runtime")]


def stored(page: Any) -> dict[str, Any]:
    """Everything the runtime keeps in this browser, by key."""
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter(k => k.startsWith('course-progress:')).map(k => [k, JSON.parse(localStorage.getItem(k))]))""")


def card(page: Any, name: str) -> Any:
    return page.locator(".grid.cards li", has_text=name)


def recorded(page: Any, fragment: str) -> None:
    """Wait until the runtime has stored the page in the browser (the heading shows before the
    runtime's script has run, and a new visit straight after would not find it)."""
    page.wait_for_function(
        "f => Object.keys(localStorage).some(k => k.startsWith('course-progress') && "
        "(localStorage.getItem(k) || '').includes(f))", arg=fragment)


def test_progress_and_continue_on_the_hosted_site(participant_site: Site, open_page: Any) -> None:  # noqa: F811 (fixtures)
    site = participant_site  # served with site_url: instant navigation, pages change without reloads
    page = open_page(site.url)
    page.goto(site.url)
    expect(page.locator("article h1")).to_have_text("Fixture Course")
    page.wait_for_function("document.querySelector('#__course-progress') !== null")
    assert page.locator("[data-course-continue], .course-progress").count() == 0  # nothing read yet

    card(page, "Module 1: First steps").get_by_role("link", name="Module 1: First steps").click()
    expect(page.locator("article h1")).to_have_text("Module 1: First steps")
    expect(page.locator(".course-progress__text")).to_have_text("1 of 6 pages seen")
    assert page.locator("[data-course-continue]").count() == 0
    page.locator("article table").get_by_role("link", name="Listening well").click()
    expect(page.locator("article h1")).to_have_text("Listening well")
    page.locator("a.md-footer__link--next").click()
    expect(page.locator("article h1")).to_have_text("Noticing changes")
    recorded(page, "02-noticing")

    page.goto(site.url)  # a new visit to the home page
    link = page.get_by_role("link", name="Continue where you left off: Noticing changes")
    expect(link).to_be_visible()
    expect(page.locator(".course-continue__where")).to_have_text("(Module 1: First steps)")
    expect(card(page, "Module 1: First steps").locator(".course-progress__text")).to_have_text("3 of 6 pages seen")
    assert card(page, "Module 2: Second steps").locator(".course-progress").count() == 0
    assert page.locator(".md-content h1 + .course-continue").count() == 1
    assert axe_violations(page) == []
    link.click()
    expect(page.locator("article h1")).to_have_text("Noticing changes")
    assert page.url == site.url + "modules/01-first-steps/02-noticing/"

    # The module page offers its own last page; the quiz score is never stored.
    page.goto(site.url + "modules/01-first-steps/quiz/")
    answer_quiz(page, all_right=False)
    page.goto(site.url + "modules/01-first-steps/")
    expect(page.get_by_role("link", name="Continue where you left off: Self-check quiz: First steps")).to_be_visible()
    expect(page.locator(".course-progress__text")).to_have_text("4 of 6 pages seen")
    assert axe_violations(page) == []
    data = stored(page)
    assert list(data) == [f"course-progress:{site.url}"]
    progress = data[f"course-progress:{site.url}"]
    assert set(progress) == {"v", "seen", "last", "lastIn"}  # pages and titles only: no score, no answers
    assert sorted(progress["seen"]) == ["modules/01-first-steps/", "modules/01-first-steps/01-listening/",
                                        "modules/01-first-steps/02-noticing/", "modules/01-first-steps/quiz/"]
    assert not [t for t in ANSWER_TEXTS if t in json.dumps(data)]
    assert not [u for u in page.requests if "lms-config.json" in u]  # no LMS: nothing asked for

    # Forgetting clears it all.
    page.goto(site.url)
    page.get_by_role("button", name="Forget my progress").click()
    expect(page.locator("[data-course-continue]")).to_have_count(0)
    expect(page.locator(".course-progress")).to_have_count(0)
    assert stored(page) == {}


def test_progress_in_the_offline_folder(offline_site: Site, open_page: Any) -> None:  # noqa: F811 (fixtures)
    home = offline_site.root.joinpath("index.html").as_uri()
    page = open_page(home)
    page.goto(home)
    card(page, "Module 2: Second steps").get_by_role("link", name="Module 2: Second steps").click()
    expect(page.locator("article h1")).to_have_text("Module 2: Second steps")
    expect(page.locator(".course-progress__text")).to_have_text("1 of 6 pages seen")
    page.locator("a.md-footer__link--next").click()
    expect(page.locator("article h1")).to_have_text("Responding with care")
    recorded(page, "01-responding")
    page.goto(home)
    link = page.get_by_role("link", name="Continue where you left off: Responding with care")
    expect(card(page, "Module 2: Second steps").locator(".course-progress__text")).to_have_text("2 of 6 pages seen")
    link.click()
    expect(page.locator("article h1")).to_have_text("Responding with care")
    assert page.url.endswith("/modules/02-second-steps/01-responding.html")
