"""The site's page cache: after a one-lesson edit MkDocs renders only that page, and the site is
byte for byte the site a fresh build makes.

Each test builds its own copy of the site tests' fixture course (about twenty pages) a few times
with MkDocs; the reference builds run MkDocs without the cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from builder.build import build
from builder.render import BuildOptions, RenderError
from builder.render.site import PageCache, page_cache, prepare_site, run_mkdocs
from tests.helpers import REPO, course_copy
from tests.site.conftest import ARTIFACTS, BUILD_DATE, REVISION, load, site_course

pytestmark = pytest.mark.xdist_group("site-incremental")

LESSON = "modules/01-first-steps/02-noticing.md"
LESSON_PAGE = "modules/01-first-steps/02-noticing/index.html"
OPTS = BuildOptions(region="us", build_date=BUILD_DATE, revision=REVISION)


def render(root: Path, out: Path, cached: bool = True) -> PageCache | None:
    """Build the site of `root` into `out` as render_site does: with the page cache, or not."""
    project = load(root)
    folder, _ = prepare_site(project, OPTS, ARTIFACTS)
    cache = page_cache(project, folder) if cached else None
    run_mkdocs(folder, out, strict=True, pages=cache)
    return cache


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_site(a: Path, b: Path) -> None:
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    assert [rel for rel in fa if fa[rel] != fb[rel]] == []


def pages(root: Path) -> list[str]:
    """Every page of the generated MkDocs project (docs-relative, sorted)."""
    docs = root / ".build" / "site-src-participant-us" / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entries(cache: PageCache) -> dict[str, Path]:
    """The cache's entry file of each page."""
    return {json.loads(p.read_text())["page"]: p for p in cache.directory.glob("*.json")}


def test_a_one_lesson_edit_renders_that_page_only_and_matches_a_fresh_build(tmp_path: Path) -> None:
    root = site_course(tmp_path)
    cold = render(root, tmp_path / "cold")
    assert cold is not None
    everything = pages(root)
    assert len(everything) > 15 and sorted(cold.rendered) == everything and cold.reused == []
    # The cache is never inside the project, where a pull request could plant entries.
    assert len(list(cold.directory.glob("*.json"))) == len(everything)
    assert not cold.directory.resolve().is_relative_to(root.resolve())

    edit(root, LESSON, "## Signs to notice\n", "## A new heading\n\nINCREMENTAL-MARKER: a new paragraph.\n\n"
                                                "## Signs to notice\n")
    inc = render(root, tmp_path / "incremental")
    assert inc is not None
    assert inc.rendered == [LESSON] and inc.templated == [LESSON]
    assert sorted(inc.reused) == sorted(set(everything) - {LESSON})

    render(root, tmp_path / "fresh", cached=False)
    assert_same_site(tmp_path / "incremental", tmp_path / "fresh")
    # The comparison covers the edit, the search index and the sitemap.
    site = files(tmp_path / "incremental")
    assert b"INCREMENTAL-MARKER" in site[LESSON_PAGE]
    assert b"INCREMENTAL-MARKER" in site["search/search_index.json"]
    assert b"a-new-heading" in site["search/search_index.json"]
    assert "sitemap.xml" in site and "sitemap.xml.gz" in site
    assert site[LESSON_PAGE] != files(tmp_path / "cold")[LESSON_PAGE]


def test_a_change_to_the_frame_renders_every_page(tmp_path: Path) -> None:
    root = site_course(tmp_path)
    render(root, tmp_path / "cold")
    everything = pages(root)

    # A lesson title is in the nav of every page.
    edit(root, LESSON, "title: Noticing changes\n", "title: Noticing what changes\n")
    retitled = render(root, tmp_path / "retitled")
    assert retitled is not None and sorted(retitled.rendered) == everything and retitled.reused == []
    assert b"Noticing what changes" in files(tmp_path / "retitled")["modules/01-first-steps/01-listening/index.html"]

    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "    - navigation.top\n" in config
    (root / "mkdocs.yml").write_text(config.replace("    - navigation.top\n", ""), encoding="utf-8")
    reconfigured = render(root, tmp_path / "reconfigured")
    assert reconfigured is not None and sorted(reconfigured.rendered) == everything
    assert reconfigured.reused == []
    render(root, tmp_path / "fresh", cached=False)
    assert_same_site(tmp_path / "reconfigured", tmp_path / "fresh")


def test_a_title_only_its_page_holds_retemplates_the_pages_that_show_it(tmp_path: Path) -> None:
    # A module overview's nav entry has no title: MkDocs takes its first heading, and the next
    # page's footer shows it. Changing only that Markdown file (not the frame) must reach the
    # neighbour's HTML, whose own Markdown conversion still comes from the cache.
    root = site_course(tmp_path)
    project = load(root)
    folder, _ = prepare_site(project, OPTS, ARTIFACTS)
    run_mkdocs(folder, tmp_path / "cold", pages=page_cache(project, folder))
    overview = "modules/01-first-steps/index.md"
    edit(folder.root / "docs", overview, "\n# ", "\n# Retitled overview: ")
    cache = page_cache(project, folder)
    run_mkdocs(folder, tmp_path / "edited", pages=cache)
    assert cache.rendered == [overview] and cache.reused == []
    assert sorted(cache.templated) == pages(root)
    run_mkdocs(folder, tmp_path / "fresh")
    assert_same_site(tmp_path / "edited", tmp_path / "fresh")
    neighbour = files(tmp_path / "edited")["modules/01-first-steps/01-listening/index.html"]
    assert b"Retitled overview: " in neighbour


def test_damaged_cache_entries_are_rendered_fresh(tmp_path: Path) -> None:
    root = site_course(tmp_path)
    cold = render(root, tmp_path / "cold")
    assert cold is not None
    stored = entries(cold)
    assert sorted(stored) == pages(root)
    damaged = ["index.md", LESSON, "glossary.md", "help.md"]
    stored["index.md"].write_text("not json {")
    stored[LESSON].write_bytes(stored[LESSON].read_bytes()[:500])  # cut short
    data = json.loads(stored["glossary.md"].read_text())
    stored["glossary.md"].write_text(json.dumps({**data, "content": 5}))  # the wrong shape
    stored["help.md"].write_bytes(stored["about.md"].read_bytes())  # another page's entry

    again = render(root, tmp_path / "again")
    assert again is not None
    assert sorted(again.rendered) == sorted(damaged)
    assert sorted(again.reused) == sorted(set(pages(root)) - set(damaged))
    assert_same_site(tmp_path / "again", tmp_path / "cold")
    # The damaged entries were written again.
    third = render(root, tmp_path / "third")
    assert third is not None and third.rendered == []


def test_links_to_anchors_are_checked_between_cached_and_fresh_pages(tmp_path: Path) -> None:
    # The help lesson links to "#what-to-do" in the listening lesson.
    root = site_course(tmp_path)
    render(root, tmp_path / "cold")
    help_lesson = "modules/02-second-steps/02-getting-help.md"
    # A fresh page linking to an anchor of a cached page: the cached page's anchors count.
    edit(root, help_lesson, "## When to get help\n", "## When to get help\n\nA new sentence.\n\n")
    edited = render(root, tmp_path / "edited")
    assert edited is not None and edited.rendered == [help_lesson]
    # A cached page linking to an anchor that went away fails the build as it would fresh.
    edit(root, "modules/01-first-steps/01-listening.md", "## What to do\n", "## What you can do\n")
    with pytest.raises(RenderError) as failed:
        render(root, tmp_path / "broken")
    messages = [d.message for d in failed.value.diagnostics]
    assert any("02-getting-help.md" in m and "what-to-do" in m for m in messages), messages


def state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_pages_keep_their_files_through_a_real_build(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / "mkdocs.yml").symlink_to(REPO / "mkdocs.yml")
    opts = BuildOptions(region="us", pdf=False, build_date=BUILD_DATE, revision=REVISION)
    out = root / "site"
    build(load(root), out, opts)
    before = state(out)

    edit(root, LESSON, "## Signs to notice\n", "## Signs to notice\n\nINODE-MARKER: a new sentence.\n\n")
    result = build(load(root), out, opts)
    assert result.changed
    after = state(out)
    assert b"INODE-MARKER" in (out / LESSON_PAGE).read_bytes()
    assert after[LESSON_PAGE] != before[LESSON_PAGE]
    # Every other page, the theme's files, the sitemap: the very same files as before.
    site = [rel for rel in before
            if not rel.startswith("downloads/")]
    kept = [rel for rel in site if rel not in (LESSON_PAGE, "search/search_index.json")]
    assert len(kept) > 15 and any(rel.startswith("assets/fonts/") for rel in kept)
    assert {rel: after.get(rel) for rel in kept} == {rel: before[rel] for rel in kept}
    assert os.stat(out / "index.html").st_nlink == 1  # the previous site is gone, not shared
