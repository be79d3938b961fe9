"""The site in a real browser: Debian's Chromium driven by Playwright.

Every page opened here records its requests; the `open_page` fixture fails the test if any
went to a host other than the site's own server.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.site.conftest import SCREENSHOTS, Site
from tests.site.support import axe_violations, url_of

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

LESSON = "modules/01-first-steps/01-listening/"
QUIZ = "modules/01-first-steps/quiz/"


def feedback(page, qid: str) -> str:  # type: ignore[no-untyped-def]
    """The text of a question's live feedback region, once it has been written."""
    region = page.locator(f"#{qid}-feedback")
    region.locator("p").first.wait_for()
    return " ".join(region.inner_text().split())


def test_home_then_a_module_then_a_lesson(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url)
    assert page.locator("article h1").inner_text() == "Fixture Course"
    card = page.locator(".grid.cards li", has_text="Module 1: First steps")
    assert "About 45 min" in card.inner_text()
    card.get_by_role("link", name="Module 1: First steps").click()
    expect(page.locator("article h1")).to_have_text("Module 1: First steps")
    assert page.url.endswith("/modules/01-first-steps/")
    page.locator("article table").get_by_role("link", name="Noticing changes").click()
    expect(page.locator("article h1")).to_have_text("Noticing changes")
    assert page.url.endswith("/modules/01-first-steps/02-noticing/")


def test_search_finds_a_word_from_a_lesson(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url)
    box = page.get_by_role("dialog", name="Search").get_by_role("textbox", name="Search")
    box.click()
    box.press_sequentially("silence", delay=50)
    result = page.locator(".md-search-result__item", has_text="Practise listening").first
    result.wait_for()
    result.locator("a").first.click()
    expect(page.locator("article.md-content__inner h1")).to_have_text("Activities: First steps")
    assert "/modules/01-first-steps/activities/" in page.url
    expect(page.locator("article.md-content__inner")).to_contain_text("Did the listener let silence happen?")


def test_quiz_wrong_then_right(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url + QUIZ)
    q = page.locator("#m1-q01")
    q.get_by_label("Are you OK?").check()
    q.get_by_role("button", name="Check answer").click()
    text = feedback(page, "m1-q01")
    assert text.startswith("✗ Not quite.") and "Open questions invite people to talk." in text
    wrong = q.locator(".course-quiz__option", has_text="Are you OK?")
    assert "Not right. This can be answered with yes or no." in wrong.inner_text()
    q.get_by_label("How have things been for you lately?").check()
    assert q.locator("#m1-q01-feedback").inner_text() == ""  # a changed answer clears stale feedback
    q.get_by_role("button", name="Check answer").click()
    assert feedback(page, "m1-q01").startswith("✓ Correct.")
    right = q.locator(".course-quiz__option", has_text="How have things been")
    assert "Right. It invites the person to say more." in right.inner_text()
    assert not wrong.locator(".course-quiz__option-feedback").is_visible()


def test_every_question_type_score_and_retry(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url + QUIZ)
    page.locator("#m1-q02").get_by_label("Nodding").check()
    page.locator("#m1-q02").get_by_role("button", name="Check answer").click()
    assert "You chose 1 of the 2 right answers." in feedback(page, "m1-q02")
    page.locator("#m1-q02").get_by_label("Summarising what you heard").check()
    page.locator("#m1-q03").get_by_label("True").check()
    page.locator("#m1-q04").get_by_label("Your answer").fill("  Stigma. ")
    for i, right in enumerate(['"What was that like?"', '"You sound worried."', '"So far you have told me..."']):
        page.locator(f"#m1-q05-m{i}").select_option(label=right)
    order = page.locator("#m1-q06 .course-quiz__order")
    for _ in range(6):  # bubble the items into the right order with the move buttons
        items = order.locator(".course-quiz__item-text").all_inner_texts()
        wanted = ["Notice a change", "Ask how they are", "Listen"]
        wrong = next((k for k, t in enumerate(items) if t != wanted[k]), None)
        if wrong is None:
            break
        src = items.index(wanted[wrong])
        order.locator(".course-quiz__item").nth(src).get_by_role("button", name=re.compile("^Move up")).click()
    for qid in ("m1-q02", "m1-q03", "m1-q04", "m1-q05", "m1-q06"):
        page.locator(f"#{qid}").get_by_role("button", name="Check answer").click()
        assert feedback(page, qid).startswith("✓ Correct."), qid
    reflection = page.locator("#m1-q07")
    toggle = reflection.locator("[data-quiz-action=model]")
    toggle.click()
    assert toggle.inner_text() == "Hide model answer"
    assert toggle.get_attribute("aria-expanded") == "true"
    assert "giving full attention" in reflection.locator(".course-quiz__model").inner_text()
    page.get_by_role("button", name="Show my score").click()
    score = page.locator(".course-quiz__score")
    score.get_by_text("Your score").wait_for()
    assert "Your score: 5 out of 6 points (5 of 6 questions right" in score.inner_text()
    assert "1 question is not answered yet" in score.inner_text()  # question 1
    page.get_by_role("button", name="Try again").click()
    score.get_by_text("cleared").wait_for()
    assert page.locator("#m1-q05-m0").input_value() == ""
    assert page.locator("#m1-q04 input").input_value() == ""
    shown = order.locator(".course-quiz__item-text").all_inner_texts()
    assert shown != ["Notice a change", "Ask how they are", "Listen"]
    assert page.evaluate("document.activeElement.id") == "m1-q01-o0"


def test_quiz_by_keyboard_only(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url + QUIZ)
    kb = page.keyboard

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            kb.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#m1-q01-o0")
    kb.press("ArrowDown")  # radio groups move with the arrow keys
    tab_to("#m1-q01 [data-quiz-action=check]")
    kb.press("Enter")
    assert feedback(page, "m1-q01").startswith("✓ Correct.")
    tab_to("#m1-q04-text")
    kb.type("stigma")  # material's "s" search shortcut must not fire while typing
    assert not page.evaluate("document.getElementById('__search').checked")
    kb.press("Enter")
    assert feedback(page, "m1-q04").startswith("✓ Correct.")
    tab_to("#m1-q06 li:nth-child(1) [data-quiz-action=down]")
    start = page.locator("#m1-q06 .course-quiz__item-text").all_inner_texts()
    kb.press("Space")
    moved = page.locator("#m1-q06 .course-quiz__item-text").all_inner_texts()
    assert moved == [start[1], start[0], start[2]]
    assert page.evaluate("document.activeElement.closest('li').textContent").startswith(start[0])
    page.locator("#m1-q06 .course-quiz__moved").get_by_text("is now number 2 of 3").wait_for()
    tab_to(".course-quiz__summary [data-quiz-action=score]")
    kb.press("Enter")
    page.locator(".course-quiz__score").get_by_text("Your score").wait_for()
    assert "2 of 6 questions right" in page.locator(".course-quiz__score").inner_text()


def test_quiz_after_instant_navigation(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url + "modules/01-first-steps/")
    page.evaluate("window.__sameDocument = true")
    page.locator("article table").get_by_role("link", name="Self-check quiz").click()
    page.locator(".course-quiz[data-ready]").wait_for()  # set up by quiz.js on material's document$
    page.locator("#m1-q03").get_by_label("False").check()
    page.locator("#m1-q03").get_by_role("button", name="Check answer").click()
    assert "Not right. A lasting change is worth noticing." in page.locator("#m1-q03").inner_text()
    assert page.evaluate("window.__sameDocument") is True  # no full page load: instant navigation


def test_get_help_now_from_every_depth(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url)
    page.locator(".grid.cards").get_by_role("link", name="Module 1: First steps").click()
    expect(page.locator("article h1")).to_have_text("Module 1: First steps")
    page.locator("article table").get_by_role("link", name="Listening well").click()
    expect(page.locator("article h1")).to_have_text("Listening well")  # two levels down, no reload
    page.locator("header").get_by_role("link", name="Get help now").click()
    expect(page.locator("article h1")).to_have_text("Get help now")
    assert page.url == participant_site.url + "help/"
    assert page.get_by_role("link", name="911").get_attribute("href") == "tel:911"


def test_glossary_term_explained_on_focus(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    page.goto(participant_site.url + "modules/01-first-steps/02-noticing/")
    term = page.locator("article abbr", has_text="Stigma")
    term.focus()
    tip = page.locator(".md-tooltip2, .md-tooltip", has_text="Negative beliefs about a group").first
    tip.wait_for(state="visible")
    # Only a term's first use on a page is marked: the lesson says "active listening" twice.
    page.goto(participant_site.url + LESSON)
    assert page.locator("article abbr").all_inner_texts() == ["active listening"]
    assert page.locator("article abbr").get_attribute("tabindex") == "0"
    assert "Active listening helps a person" in page.locator("article").inner_text()


def test_facilitator_edition_shows_notes_and_banner(facilitator_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(facilitator_site.url)
    page.goto(facilitator_site.url + LESSON)
    assert page.locator(".md-banner").get_by_text("Facilitator edition.").is_visible()
    assert "FACILITATOR-ONLY-MARKER" in page.locator(".admonition.facilitator").inner_text()


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_crisis_numbers_are_large_tap_targets_on_a_phone(edition: str, request: pytest.FixtureRequest,
                                                        open_page) -> None:  # type: ignore[no-untyped-def]
    """Every tel: and sms: link, on the help page and in a lesson's help block, measures at
    least 44 x 44 CSS px on a 390 px wide phone (WCAG 2.5.5, target size)."""
    site: Site = request.getfixturevalue(f"{edition}_site")
    page = open_page(site.url, width=390, height=844)
    measured = {}
    for url in ("help/", "modules/02-second-steps/02-getting-help/"):
        page.goto(site.url + url)
        page.evaluate("document.fonts.ready")
        links = page.locator("article a[href^='tel:'], article a[href^='sms:']")
        assert links.count() >= 2, url  # 988 and 911
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box is not None
            measured[f"{url} {links.nth(i).get_attribute('href')} #{i}"] = (round(box["width"]), round(box["height"]))
    assert {k: v for k, v in measured.items() if v[0] < 44 or v[1] < 44} == {}
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", [(390, 500), (1366, 500)], ids=["phone", "desktop"])
def test_facilitator_banner_stays_in_view_and_is_printed(facilitator_site: Site, open_page, tmp_path: Path,
                                                         size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    page = open_page(facilitator_site.url, width=size[0], height=size[1])
    page.goto(facilitator_site.url + "modules/02-second-steps/02-getting-help/")
    banner = page.locator(".md-banner")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 200")
    box = banner.bounding_box()
    assert box is not None and banner.is_visible()
    assert box["y"] == 0 and 0 < box["height"] <= 40, box  # in view, at the top, one line
    assert "Facilitator edition." in banner.inner_text()
    header = page.locator("header.md-header").bounding_box()
    assert header is not None and header["y"] >= box["y"] + box["height"] - 1, (header, box)  # not covered
    page.emulate_media(media="print")
    assert banner.is_visible() and banner.evaluate("e => getComputedStyle(e).display") != "none"
    assert "This site includes facilitator notes and answer keys." in banner.inner_text()
    # Printed (Chromium's own PDF of the page), the banner heads the first page.
    printed = tmp_path / "page.pdf"
    printed.write_bytes(page.pdf())
    first = subprocess.run(["pdftotext", "-l", "1", str(printed), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert " ".join(first.split()).startswith("Facilitator edition. This site includes facilitator notes"), first[:200]


def test_axe_on_every_page(participant_site: Site, facilitator_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url)
    problems = {}
    for file in participant_site.html_files():
        page.goto(participant_site.url + url_of(participant_site.root, file))
        problems[url_of(participant_site.root, file)] = axe_violations(page)
    fpage = open_page(facilitator_site.url)
    for url in (LESSON, "modules/01-first-steps/", QUIZ):
        fpage.goto(facilitator_site.url + url)
        problems["facilitator: " + url] = axe_violations(fpage)
    assert len(problems) >= 20
    assert {url: v for url, v in problems.items() if v} == {}


def test_quiz_after_answers_passes_axe(participant_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    # Feedback, marks and the open model answer are part of the page too.
    page = open_page(participant_site.url)
    page.goto(participant_site.url + QUIZ)
    page.locator("#m1-q01").get_by_label("Are you OK?").check()
    page.locator("#m1-q05-m0").select_option(index=1)
    page.locator("#m1-q05-m1").select_option(index=1)
    page.locator("#m1-q05-m2").select_option(index=1)
    for qid in ("m1-q01", "m1-q05", "m1-q06"):
        page.locator(f"#{qid}").get_by_role("button", name="Check answer").click()
        feedback(page, qid)
    page.locator("#m1-q07").get_by_role("button", name="Show model answer").click()
    page.get_by_role("button", name="Show my score").click()
    page.locator(".course-quiz__score").get_by_text("Your score").wait_for()
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)], ids=["phone", "desktop"])
def test_screenshots(participant_site: Site, open_page, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    page = open_page(participant_site.url, width=size[0], height=size[1])
    SCREENSHOTS.mkdir(exist_ok=True)
    name = "phone" if size[0] < 600 else "desktop"
    for what, url in (("lesson", "modules/02-second-steps/02-getting-help/"), ("quiz", QUIZ)):
        page.goto(participant_site.url + url)
        page.evaluate("document.fonts.ready")
        if what == "quiz":
            page.locator("#m1-q01").get_by_label("Are you OK?").check()
            page.locator("#m1-q01").get_by_role("button", name="Check answer").click()
            feedback(page, "m1-q01")
        # No sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
        page.screenshot(path=str(SCREENSHOTS / f"{what}-{name}.png"))
        assert (SCREENSHOTS / f"{what}-{name}.png").stat().st_size > 10_000
