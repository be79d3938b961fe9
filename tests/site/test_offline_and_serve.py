"""The offline edition opened from disk, and `course serve` with live reload, in Chromium."""

from __future__ import annotations

import io
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.cli.serve import Preview
from tests.helpers import course_copy
from tests.site.conftest import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]


def test_offline_site_works_from_disk(offline_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    home = (offline_site.root / "index.html").as_uri()
    page = open_page("file://")  # fails the test on any request that is not a local file
    page.goto(home)
    page.locator(".grid.cards").get_by_role("link", name="Module 1: First steps").click()
    expect(page.locator("article h1")).to_have_text("Module 1: First steps")
    page.locator("article table").get_by_role("link", name="Self-check quiz").click()
    expect(page.locator("article h1")).to_have_text("Self-check quiz: First steps")
    assert page.url.endswith("/modules/01-first-steps/quiz.html")
    page.locator("#m1-q03").get_by_label("True").check()
    page.locator("#m1-q03").get_by_role("button", name="Check answer").click()
    expect(page.locator("#m1-q03-feedback")).to_contain_text("Correct.")
    box = page.get_by_role("dialog", name="Search").get_by_role("textbox", name="Search")
    box.click()
    box.press_sequentially("silence", delay=50)
    result = page.locator(".md-search-result__item", has_text="Practise listening").first
    result.wait_for()  # search runs from search_index.js, in the local iframe-worker shim
    page.keyboard.press("Escape")
    page.locator("header").get_by_role("link", name="Get help now").click()
    expect(page.locator("article h1")).to_have_text("Get help now")
    assert page.url == (offline_site.root / "help.html").as_uri()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_serve_reloads_the_browser_after_an_edit(tmp_path: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    root = course_copy(tmp_path)
    log = io.StringIO()
    preview = Preview(root, region=None, audience="participant", port=0, out=log)
    thread = threading.Thread(target=preview.serve, daemon=True)
    thread.start()
    try:
        assert preview.ready.wait(30), log.getvalue()
        # A live reload can cut short the theme's fetch of the search index ("Network error").
        page = open_page(preview.url, ignore_errors=("Network error",))
        timings = {}
        for what, file, old, new, url, marker in [
            ("lesson", "modules/01-first-steps/01-listening.md", "Put your phone away.",
             "Put your phone away. LIVE-LESSON-EDIT", "modules/01-first-steps/01-listening/", "LIVE-LESSON-EDIT"),
            ("quiz", "quizzes/01-first-steps.yaml", "Which of these is an open question?",
             "Which of these is an open question? LIVE-QUIZ-EDIT", "modules/01-first-steps/quiz/", "LIVE-QUIZ-EDIT"),
            ("module", "modules/01-first-steps/module.yaml", "title: First steps",
             "title: First steps LIVE-MODULE-EDIT", "modules/01-first-steps/", "LIVE-MODULE-EDIT"),
        ]:
            page.goto(preview.url + url)
            page.wait_for_load_state("load")
            builds = preview.builds
            started = time.monotonic()
            _edit(root / file, old, new)
            # No navigation here: live reload must bring the change into the open page.
            expect(page.locator("article")).to_contain_text(marker, timeout=20_000)
            timings[what] = round(time.monotonic() - started, 2)
            assert preview.builds > builds
        print(f"edit -> visible in the browser (s): {timings}")
        # A broken file is reported and the last good site stays up.
        _edit(root / "modules/01-first-steps/module.yaml", "duration: 45", "duration: [")
        deadline = time.monotonic() + 20
        while "kept the last good site" not in log.getvalue() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "modules/01-first-steps/module.yaml:" in log.getvalue()
        with urllib.request.urlopen(preview.url + "modules/01-first-steps/", timeout=20) as response:
            assert "LIVE-MODULE-EDIT" in response.read().decode()
    finally:
        preview.shutdown()
        thread.join(10)
    assert not thread.is_alive()
    assert not preview.site_dir.exists()


def test_serve_shows_build_errors_in_the_page(tmp_path: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    """A broken file: the terminal and the open page both show the diagnostics (the page live
    reloads into them, over the last good site); fixing the file takes them away again."""
    root = course_copy(tmp_path)
    log = io.StringIO()
    preview = Preview(root, region=None, audience="participant", port=0, out=log)
    thread = threading.Thread(target=preview.serve, daemon=True)
    thread.start()
    try:
        assert preview.ready.wait(30), log.getvalue()
        page = open_page(preview.url, ignore_errors=("Network error",))
        page.goto(preview.url + "modules/01-first-steps/")
        page.wait_for_load_state("load")
        panel = page.locator("#course-serve-problems")
        expect(panel).to_have_count(0)
        module = root / "modules/01-first-steps/module.yaml"
        good = module.read_text()
        _edit(module, "duration: 45", "duration: [")
        # No navigation: live reload brings the page back with the problems on it.
        expect(panel).to_contain_text("modules/01-first-steps/module.yaml:", timeout=20_000)
        expect(panel).to_contain_text("error:")
        expect(panel).to_contain_text("last build that worked")
        expect(page.locator("article h1")).to_have_text("Module 1: First steps")  # the last good page
        line = next(li for li in log.getvalue().splitlines() if li.startswith("modules/01-first-steps/module.yaml:"))
        expect(panel).to_contain_text(line)  # the same line as in the terminal
        # Any other page shows them too, until the file is fixed.
        with urllib.request.urlopen(preview.url + "help/", timeout=20) as response:
            assert 'id="course-serve-problems"' in response.read().decode()
        module.write_text(good)
        expect(panel).to_have_count(0, timeout=20_000)
        with urllib.request.urlopen(preview.url + "help/", timeout=20) as response:
            assert 'id="course-serve-problems"' not in response.read().decode()
    finally:
        preview.shutdown()
        thread.join(10)
    assert not thread.is_alive()
