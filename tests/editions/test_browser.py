"""The same lesson opened in two editions in a real browser (headless Chromium): each shows
its own scenario and its own words for who to tell, and neither shows the other's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.editions.course import edition_course
from tests.helpers import run_cli
from tests.site import conftest as site_conftest
from tests.site.conftest import open_page, serve  # noqa: F401 (open_page is a fixture)

if hasattr(site_conftest, "browser"):  # the one Chromium per process; tests/conftest.py may hold it instead
    browser = site_conftest.browser

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

LESSON = "modules/01-first-steps/01-listening/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The school and workplace editions (region uk, participant) side by side under one server."""
    root = edition_course(tmp_path_factory.mktemp("course"))
    out = tmp_path_factory.mktemp("sites")
    for edition in ("school", "workplace"):
        run = run_cli("build", "--root", str(root), "--edition", edition, "--region", "uk", "--no-pdf",
                      "--out", str(out / edition))
        assert run.code == 0, run.out + run.err
    server, url = serve(out)
    yield url
    server.shutdown()


def test_the_same_lesson_shows_each_editions_scenario(open_page, site_url: str) -> None:  # noqa: F811
    school = open_page(site_url)
    school.goto(f"{site_url}school/{LESSON}")
    expect(school.locator("article h1")).to_have_text("Listening well")
    scenario = school.locator(".admonition.scenario")
    expect(scenario).to_have_count(1)
    expect(scenario.locator(".admonition-title")).to_have_text("In the common room")
    expect(scenario).to_contain_text("Maya sits alone in the sixth-form common room")
    expect(school.locator("article")).to_contain_text("tell the safeguarding lead straight away")
    expect(school.locator("article")).not_to_contain_text("After the meeting")
    expect(school.locator("header")).to_contain_text("School edition")

    work = open_page(site_url)
    work.goto(f"{site_url}workplace/{LESSON}")
    expect(work.locator("article h1")).to_have_text("Listening well")
    scenario = work.locator(".admonition.scenario")
    expect(scenario).to_have_count(1)
    expect(scenario.locator(".admonition-title")).to_have_text("After the meeting")
    expect(scenario).to_contain_text("Sam has missed three meetings in a row")
    expect(work.locator("article")).to_contain_text("tell your line manager or HR straight away")
    expect(work.locator("article")).not_to_contain_text("Maya")
    expect(work.locator("header")).to_contain_text("Workplace edition")
    # No wrapper box: an edition block shows its content, not an "edition" admonition.
    expect(work.locator(".admonition.edition")).to_have_count(0)


def test_an_edition_only_lesson_is_in_its_editions_navigation_only(open_page, site_url: str) -> None:  # noqa: F811
    school = open_page(site_url)
    school.goto(f"{site_url}school/{LESSON}")
    expect(school.locator("nav.md-nav--primary")).to_contain_text("School rules on confidentiality")
    work = open_page(site_url)
    work.goto(f"{site_url}workplace/{LESSON}")
    expect(work.locator("nav.md-nav--primary")).not_to_contain_text("School rules on confidentiality")
    assert work.goto(f"{site_url}workplace/modules/01-first-steps/03-school-rules/").status == 404
