"""The build stamp: every input a build reads changes it, and a matching stamp skips the renderers.

A stamp that missed an input would publish a stale site, so each kind of input listed in
builder/stamp.py is changed here on its own.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from builder import stamp as stamp_module
from builder.model.load import load_project
from builder.model.project import Project
from builder.render import BuildOptions
from builder.stamp import build_stamp
from tests.helpers import REPO, course_copy, run_cli

OPTS = BuildOptions(region="us", build_date="2026-11-22", revision="abc123")
LESSON = "modules/01-first-steps/02-noticing.md"


def _project(root: Path) -> Project:
    project, diags = load_project(root, cache=False)
    assert project is not None, [d.format() for d in diags]
    return project


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = course_copy(tmp_path)
    (root / "modules/01-first-steps/pic.png").write_bytes(b"\x89PNG one")
    (root / "art").mkdir()
    (root / "art/map.png").write_bytes(b"\x89PNG map")
    lesson = root / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n![A map of the town](../../art/map.png)\n",
                      encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n")
    fonts = root / "node_modules/@fontsource/atkinson-hyperlegible/files"
    fonts.mkdir(parents=True)
    (fonts / "a.woff2").write_bytes(b"font")
    return root


def _stamp(root: Path, opts: BuildOptions = OPTS, out: str = "site") -> str:
    return build_stamp(_project(root), opts, root / out)


def _touch(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # coarse clocks: make it visible


def test_the_same_inputs_give_the_same_stamp(course: Path) -> None:
    assert _stamp(course) == _stamp(course)
    assert _stamp(course, dataclasses.replace(OPTS, jobs=7)) == _stamp(course)  # workers change no byte


@pytest.mark.parametrize("change", [
    "lesson", "module-image", "image-linked-from-elsewhere", "unlisted-file", "mkdocs.yml", "font", "new-font",
])
def test_each_input_file_changes_the_stamp(course: Path, change: str) -> None:
    before = _stamp(course)
    if change == "lesson":
        (course / LESSON).write_text((course / LESSON).read_text() + "\nMore.\n")
    elif change == "module-image":
        _touch(course / "modules/01-first-steps/pic.png", b"\x89PNG two")
    elif change == "image-linked-from-elsewhere":
        _touch(course / "art/map.png", b"\x89PNG new map")
    elif change == "unlisted-file":
        (course / "quizzes/notes.txt").write_text("x")
    elif change == "mkdocs.yml":
        _touch(course / "mkdocs.yml", b"site_name: y\n")
    elif change == "font":
        _touch(course / "node_modules/@fontsource/atkinson-hyperlegible/files/a.woff2", b"font 2")
    elif change == "new-font":
        (course / "node_modules/@fontsource/atkinson-hyperlegible/files/b.woff2").write_bytes(b"b")
    assert _stamp(course) != before


def test_a_file_nobody_reads_leaves_the_stamp_alone(course: Path) -> None:
    before = _stamp(course)
    (course / "art/unused.png").write_bytes(b"not linked")
    (course / "NOTES.md").write_text("scratch")
    assert _stamp(course) == before


@pytest.mark.parametrize("field,value", [
    ("region", "uk"), ("audience", "facilitator"), ("offline", True), ("paper", "letter"), ("pdf", False),
    ("build_date", "2026-11-23"), ("revision", "abc124"), ("extra", {"site_url": "https://example.org/"}),
])
def test_each_option_changes_the_stamp(course: Path, field: str, value: object) -> None:
    assert _stamp(course, dataclasses.replace(OPTS, **{field: value})) != _stamp(course)


def test_output_folder_epoch_and_builder_change_the_stamp(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _stamp(course)
    assert _stamp(course, out="public") != before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225601")
    with_epoch = _stamp(course)
    assert with_epoch != before
    stamp_module.builder_digest.cache_clear()
    monkeypatch.setattr(stamp_module, "VERSION", "build-stamp-test")
    try:
        assert _stamp(course) != with_epoch
    finally:
        stamp_module.builder_digest.cache_clear()


def test_builder_digest_covers_templates_and_styles() -> None:
    import builder

    package = Path(builder.__file__).parent
    suffixes = {p.suffix for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert {".py", ".css", ".j2", ".html"} <= suffixes  # the digest walks every file, these included


# -- through real builds ---------------------------------------------------------------------


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import builder.build

    calls: list[str] = []
    real = builder.build.render_all

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("render")
        return real(*args, **kwargs)

    monkeypatch.setattr(builder.build, "render_all", spy)
    return calls


@pytest.mark.slow
@pytest.mark.xdist_group("build")
def test_a_matching_stamp_skips_every_renderer_and_a_touched_site_does_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course_copy(tmp_path)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / "mkdocs.yml").symlink_to(REPO / "mkdocs.yml")
    (root / "modules/01-first-steps/pic.png").write_bytes(b"\x89PNG\r\n\x1a\nfirst picture")
    lesson = root / LESSON
    lesson.write_text(lesson.read_text() + "\n![Two people talking](pic.png)\n")
    calls = _renders(monkeypatch)
    first = run_cli("build", "--root", str(root), "--no-pdf")
    assert first.code == 0, first.out + first.err
    again = run_cli("build", "--root", str(root), "--no-pdf")
    assert again.code == 0 and again.lines[-1].startswith("up to date, nothing written: site/ ")
    counts = first.lines[-1].split("): ")[1].split(" in ")[0]  # "site, 0 PDFs, N quiz exports"
    assert again.lines[-1].split("): ")[1].split(" in ")[0] == counts and "quiz exports" in counts
    assert calls == ["render"]  # the second build ran no renderer

    # A file changed in site/ by hand (same inode) is noticed and rebuilt.
    index = root / "site/index.html"
    original = index.read_text()
    with index.open("a") as f:
        f.write("<!-- edited by hand -->")
    rebuilt = run_cli("build", "--root", str(root), "--no-pdf")
    assert rebuilt.code == 0 and calls == ["render", "render"]
    assert index.read_text() == original

    # A new picture with the same name reaches the site.
    picture = root / "modules/01-first-steps/pic.png"
    _touch(picture, b"\x89PNG\r\n\x1a\nnew picture")
    assert run_cli("build", "--root", str(root), "--no-pdf").code == 0
    assert calls == ["render"] * 3
    assert (root / "site/modules/01-first-steps/pic.png").read_bytes() == picture.read_bytes()
