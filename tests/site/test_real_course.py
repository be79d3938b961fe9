"""The real course (whatever of it loads today), built as the participant site.

axe runs on a sample that covers every kind of page: all of them would take about a
second each. Link and leak checks cover every page.
"""

from __future__ import annotations

import pytest

from builder.model.blocks import find_blocks
from tests.site.conftest import Site
from tests.site.support import axe_violations, broken_links, page_text, squash, url_of

pytestmark = pytest.mark.xdist_group("site-real")


def sample_pages(site: Site) -> list[str]:
    """One page of every kind, plus every page of the module with the most lessons."""
    project = site.project
    urls = ["", "glossary/", "help/", "downloads/", "about/", "404.html"]
    urls += [f"{p.path[:-3]}/" for p in project.pages[:2]]
    organiser = [p for p in project.pages if project.page_audience[p.path] == "organiser"]
    urls += [f"{p.path[:-3]}/" for p in organiser[:1]]
    module = max(project.modules, key=lambda m: len(m.lessons))
    base = f"modules/{module.folder}/"
    urls += [base, f"{base}{module.lessons[0].stem}/", f"{base}{module.lessons[-1].stem}/"]
    urls += [f"{base}{page}/" for page in ("activities", "key-points", "quiz")
             if (site.root / base / page / "index.html").is_file()]
    return urls


def test_real_course_has_no_broken_links(real_site: Site) -> None:
    assert len(real_site.html_files()) > 20
    assert broken_links(real_site.root) == []


def test_real_course_keeps_facilitator_notes_out(real_site: Site) -> None:
    project = real_site.project
    secrets = []
    for m in project.modules:
        notes = m.data.facilitator_notes
        secrets += [squash(t) for t in (notes.preparation, notes.timing, notes.sensitive_moments,
                                         notes.disclosure) if t]
        for lesson in m.lessons:
            lines = lesson.body.split("\n")
            secrets += [squash(" ".join(b.lines(lines))) for b in find_blocks(lesson.body) if b.kind == "facilitator"]
    files = [*real_site.root.rglob("*.html"), real_site.root / "search" / "search_index.json"]
    leaks = [(f.relative_to(real_site.root).as_posix(), s[:60]) for f in files
             for s in secrets if s and s in page_text(f)]
    assert leaks == []


@pytest.mark.browser
def test_axe_on_every_kind_of_page_of_the_real_course(real_site: Site, open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(real_site.url)
    urls = sample_pages(real_site)
    assert len(urls) >= 14
    problems = {}
    for url in urls:
        page.goto(real_site.url + url)
        problems[url] = axe_violations(page)
    assert {url: v for url, v in problems.items() if v} == {}
    # The quiz with every question answered and checked.
    quiz = next(u for u in urls if u.endswith("/quiz/"))
    page.goto(real_site.url + quiz)
    for button in page.locator("[data-quiz-action=check]").all():
        section = button.locator("xpath=ancestor::section[1]")
        first = section.locator("input[type=radio], input[type=checkbox]").first
        if first.count():
            first.check()
        button.click()
    page.locator("[data-quiz-action=score]").click()
    page.locator(".course-quiz__score").get_by_text("Your score").wait_for()
    assert axe_violations(page) == []
    assert url_of(real_site.root, real_site.root / "index.html") == ""
