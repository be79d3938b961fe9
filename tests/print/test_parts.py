"""Long documents rendered as parts and merged (builder/render/print/parts.py) give the same
PDF as one render of the same HTML: the same text on every page, the same outline, links to
the same pages, PDF/UA-1 with every font embedded; the same bytes every time; and a part
whose page count changes moves the parts after it and the contents' numbers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import page
import pikepdf
import pytest

from builder.model.load import load_project
from builder.render.print import render_specs, select
from builder.render.print.parts import PageMap, map_from_parts, part_html, split_html
from tests.helpers import REPO, course_copy
from tests.print.conftest import options, page_texts, pdfinfo, rich_course, run

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

LONG_LESSON = "modules/01-first-steps/01-listening.md"


def outline(path: Path) -> list[tuple[int, str, int | None]]:
    """(depth, title, page index) of every bookmark, in order."""
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        out: list[tuple[int, str, int | None]] = []
        with pdf.open_outline() as o:
            def walk(items, depth: int) -> None:  # noqa: ANN001
                for it in items:
                    d = it.obj.get("/Dest")
                    out.append((depth, it.title, pages.get(d[0].objgen) if d is not None else None))
                    walk(it.children, depth + 1)
            walk(o.root, 0)
        return out


def links(path: Path) -> list[tuple[int, str]]:
    """Every link annotation: (page index, 'page N' for an internal link, or its URI)."""
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        names: dict[str, int] = {}
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            arr = pdf.Root.Names.Dests.Names
            names = {str(arr[i]): pages[arr[i + 1][0].objgen] for i in range(0, len(arr), 2)}
        out = []
        for i, p in enumerate(pdf.pages):
            for a in p.obj.get("/Annots", []):
                if "/Dest" in a:
                    assert str(a.Dest) in names, f"link to {a.Dest} on page {i + 1} has no destination"
                    out.append((i, f"page {names[str(a.Dest)]}"))
                else:
                    out.append((i, str(a.A.URI)))
        return out


def assert_same_document(merged: Path, single: Path) -> None:
    assert page_texts(merged) == page_texts(single)
    assert outline(merged) == outline(single)
    assert links(merged) == links(single)
    assert pdfinfo(merged)["Tagged"] == "yes"
    result = page.validate_pdf(str(merged), profile="ua1")
    assert result.is_compliant, [str(f) for f in result.failures]
    for line in run("pdffonts", str(merged)).splitlines()[2:]:
        assert "Atkinson-Hyperlegible" in line.split()[0] and line.split()[-5] == "yes", line
    assert "xref.invalid" not in run("pdftotext", str(merged), "-")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rich_course(tmp_path_factory.mktemp("parts"))


def _render(root: Path, what: str, out: Path, **extra: str) -> dict:
    project, diags = load_project(root)
    assert project is not None, diags
    return render_specs(project, select(project, what, "us"), out, options(**extra)).documents


@pytest.mark.parametrize("what,name", [("workbook", "workbook.pdf"), ("facilitator", "facilitator-guide.pdf")])
def test_merged_parts_match_a_single_render(course: Path, tmp_path: Path, what: str, name: str) -> None:
    _render(course, what, tmp_path / "single", pdf_parts="off")
    cache = tmp_path / "cache"
    _render(course, what, tmp_path / "parts", pdf_parts="always", pdf_cache=str(cache))
    assert list(cache.glob("pagemap-*.json")), "no page map kept"
    assert list(cache.glob("merged-*.pdf")), "merged file not cached"
    single, merged = tmp_path / "single" / name, tmp_path / "parts" / name
    assert single.read_bytes() != merged.read_bytes()  # it really is the merged file
    assert_same_document(merged, single)
    # No part PDF or placeholder is left next to the output.
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == [name]
    # Byte-deterministic: the same parts merged again give the same bytes.
    for f in cache.glob("merged-*"):
        f.unlink()
    report = _render(course, what, tmp_path / "again", pdf_parts="auto", pdf_cache=str(cache))
    assert report[name]["cached"] is False  # merged anew from the cached parts
    assert (tmp_path / "again" / name).read_bytes() == merged.read_bytes()


def test_a_part_that_grows_moves_the_parts_after_it(course: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # The first render has no page map yet: it renders whole and keeps the map.
    first = _render(course, "workbook", tmp_path / "one", pdf_parts="auto", pdf_cache=str(cache))
    before = pages_of(tmp_path / "one" / "workbook.pdf")
    lesson = course / LONG_LESSON
    saved = lesson.read_text(encoding="utf-8")
    try:
        lesson.write_text(saved + "\n\n" + "\n\n".join(
            f"Extra paragraph {i} that makes the first module several pages longer than it was. " * 6
            for i in range(40)) + "\n", encoding="utf-8")
        report = _render(course, "workbook", tmp_path / "two", pdf_parts="auto", pdf_cache=str(cache))
        _render(course, "workbook", tmp_path / "single", pdf_parts="off")
    finally:
        lesson.write_text(saved, encoding="utf-8")
    merged, single = tmp_path / "two" / "workbook.pdf", tmp_path / "single" / "workbook.pdf"
    assert pages_of(merged) > before + 2, "the edit should have added pages"
    assert first["workbook.pdf"]["pages"] == before
    assert report["workbook.pdf"]["cached"] is False
    assert_same_document(merged, single)


def pages_of(path: Path) -> int:
    return int(pdfinfo(path)["Pages"])


def test_split_cuts_before_each_right_hand_part(course: Path) -> None:
    project, _ = load_project(course)
    assert project is not None
    from builder.render.print.assemble import Assembler

    asm = Assembler(project, options())
    [spec] = select(project, "workbook", "us")
    split = split_html(asm.html(spec))
    assert split is not None
    ids = [ident for ident, _ in split.parts]
    # front matter | before you start | each module | the appendices (one part: they follow
    # each other on the next page, not the next right-hand page)
    assert ids == ["", "introduction", *[m.id.lower() for m in project.modules], "answers"]
    html = part_html(split, 0, PageMap({i: 3 for i in ids[1:]} | {"answers-m1": 9}))
    assert 'href="https://xref.invalid/answers" data-page="3"' in html
    assert 'href="#contents"' not in html or "contents" in split.ids[0]


def test_page_map_puts_every_part_on_a_right_hand_page() -> None:
    pm, starts = map_from_parts([3, 4, 1], [{"a": 0}, {"b": 1}, {"c": 0}])
    assert starts == [1, 5, 9]  # a blank page 4; 5-8, then 9 is odd already
    assert pm.anchors == {"a": 1, "b": 6, "c": 9}


def test_a_build_killed_in_the_merge_leaves_the_site_whole(tmp_path: Path) -> None:
    """SIGKILL inside the merge, after it started writing: the old site/ is untouched."""
    course = course_copy(tmp_path)
    cache = tmp_path / "cache"
    env = dict(os.environ, COURSE_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH="1767225600", COURSE_PDF_PARTS="auto")
    cmd = [sys.executable, "-m", "builder.cli", "build", "--root", str(course), "--out", str(tmp_path / "site")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    lesson = course / LONG_LESSON
    saved = lesson.read_text(encoding="utf-8")
    kill = ("import os, signal, runpy, sys\n"
            "import builder.render.print.parts as parts\n"
            "real = parts.merge\n"
            "def dying(pdfs, starts, target):\n"
            "    target.with_name('.half-written').write_bytes(b'%PDF-1.7 half')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "parts.merge = dying\n"
            "sys.argv = ['course'] + sys.argv[1:]\n"
            "runpy.run_module('builder.cli', run_name='__main__')\n")
    try:
        lesson.write_text(saved + "\nOne more sentence.\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-c", kill, *cmd[3:]], env=env, capture_output=True, cwd=REPO)
    finally:
        lesson.write_text(saved, encoding="utf-8")
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
