"""The site: "Edit this page" opens each page's own source file in the repository when
mkdocs.yml sets repo_url, and the About page shows this version's CHANGELOG.md entry (the
participant edition without quiz items or answers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.helpers import REPO, run_cli

REPO_URL = "https://github.com/example/peer-course"


def _build(root: Path, out: Path, *extra: str) -> Path:
    run = run_cli("build", "--root", str(root), "--out", str(out), "--no-pdf", *extra)
    assert run.code == 0, run.out + run.err
    return out


@pytest.fixture(scope="module")
def sites(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The v2 course with repo_url and a CHANGELOG.md entry for 1.0.0, built for both editions."""
    base = tmp_path_factory.mktemp("diff-site")
    (repo / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text() + f"\nrepo_url: {REPO_URL}\n")
    assert run_cli("diff", "v1", "v2", "--changelog", "--root", str(repo)).code == 0
    try:
        return {"participant": _build(repo, base / "participant"),
                "facilitator": _build(repo, base / "facilitator", "--audience", "facilitator")}
    finally:
        (repo / "mkdocs.yml").unlink()
        (repo / "CHANGELOG.md").unlink()


def _edit_link(page: Path) -> str:
    tree = lxml_html.fromstring(page.read_bytes())
    [link] = tree.xpath('//a[@rel="edit"]')
    assert link.get("title") == "Edit this page"
    return str(link.get("href"))


@pytest.mark.parametrize(("page", "source"), [
    ("modules/01-first-steps/02-noticing/index.html", "modules/01-first-steps/02-noticing.md"),
    ("modules/01-first-steps/index.html", "modules/01-first-steps/module.yaml"),
    ("modules/01-first-steps/activities/index.html", "modules/01-first-steps/module.yaml"),
    ("modules/01-first-steps/quiz/index.html", "quizzes/01-first-steps.yaml"),
    ("curriculum/pages/welcome/index.html", "curriculum/pages/welcome.md"),
    ("help/index.html", "curriculum/resources.yaml"),
    ("glossary/index.html", "curriculum/glossary.yaml"),
    ("index.html", "curriculum/course.yaml"),
])
def test_edit_links_open_the_source_file(sites: dict[str, Path], repo: Path, page: str, source: str) -> None:
    href = _edit_link(sites["participant"] / page)
    assert href == f"{REPO_URL}/edit/main/{source}"
    assert (repo / source).is_file()


def test_no_edit_link_and_no_repository_script_without_repo_url(tmp_path: Path) -> None:
    from tests.helpers import course_copy

    out = _build(course_copy(tmp_path), tmp_path / "site")
    page = (out / "modules/01-first-steps/02-noticing/index.html").read_text()
    assert 'rel="edit"' not in page and "md-source" not in page


def test_the_repository_link_fetches_nothing(sites: dict[str, Path]) -> None:
    page = (sites["participant"] / "index.html").read_text()
    tree = lxml_html.fromstring(page.encode())
    [source] = tree.xpath('//div[@class="md-header__source"]/a')
    assert source.get("href") == REPO_URL
    # Material's script asks api.github.com for stars and forks only for this component.
    assert 'data-md-component="source"' not in page


def test_about_page_shows_the_change_report(sites: dict[str, Path]) -> None:
    def about(edition: str) -> str:
        tree = lxml_html.fromstring((sites[edition] / "about/index.html").read_bytes())
        [article] = tree.xpath("//article")
        return " ".join(article.text_content().split())

    participant, facilitator = about("participant"), about("facilitator")
    for text in (participant, facilitator):
        assert "What changed in version 1.0.0" in text
        assert "Compared with version 0.1.0 (v1" in text
        assert "Objective removed: M2.O2" in text and "Noticing when a friend struggles" in text
    assert "Answer key changed: M1.Q03" in facilitator and "Was: True. Now: False." in facilitator
    assert "M1.Q03" not in participant and "Answer key" not in participant
    # Participants read only what the course says now: not the removed objective's old text.
    assert "Name one place to get help" not in participant


@pytest.mark.browser
def test_in_a_browser_the_edit_button_opens_the_source_and_nothing_is_fetched(sites: dict[str, Path],
                                                                             open_page) -> None:  # type: ignore[no-untyped-def]
    """Chromium: the lesson's edit button leads to its Markdown file in the repository, and
    the page (with repo_url set) asks no host but the site's own for anything."""
    from tests.site.conftest import serve

    server, url = serve(sites["participant"])
    try:
        page = open_page(url)
        page.goto(url + "modules/01-first-steps/02-noticing/")
        button = page.get_by_role("link", name="Edit this page")
        assert button.get_attribute("href") == f"{REPO_URL}/edit/main/modules/01-first-steps/02-noticing.md"
        assert button.is_visible()
        page.wait_for_load_state("networkidle")
    finally:
        server.shutdown()
    # open_page checks, when the test ends, that every request went to `url`.


@pytest.mark.browser
def test_the_html_report_passes_axe(repo: Path, tmp_path: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    from tests.site.support import axe_violations

    out = tmp_path / "changes.html"
    assert run_cli("diff", "v1", "v2", "--format", "html", "--out", str(out), "--root", str(repo)).code == 0
    page = open_page(out.as_uri())
    page.goto(out.as_uri())
    assert page.get_by_role("heading", level=1).inner_text().startswith("What changed: Fixture Course")
    assert axe_violations(page) == []
