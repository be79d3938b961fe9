"""Real builds of the fixture course: a no-change rebuild touches nothing; an edit rebuilds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import REPO, course_copy, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("build")]


def state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


# The facilitator build writes every kind of output: the site, every PDF and the quiz exports
# (a participant build has no exports: they hold the answers).
FACILITATOR = ("--audience", "facilitator")


def test_no_change_rebuild_touches_nothing_and_an_edit_rebuilds(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / "mkdocs.yml").symlink_to(REPO / "mkdocs.yml")
    first = run_cli("build", "--root", str(root), *FACILITATOR)
    assert first.code == 0, first.out + first.err
    assert first.lines[-1].startswith("built site/ (facilitator, region us): site, ")
    site = root / "site"
    before = state(site)
    assert "downloads/workbook.pdf" in before and "index.html" in before

    again = run_cli("build", "--root", str(root), *FACILITATOR)
    assert again.code == 0, again.out + again.err
    assert again.lines[-1].startswith("up to date, nothing written: site/ ")
    assert state(site) == before  # same files, same inodes, same modification times

    lesson = root / "modules/01-first-steps/02-noticing.md"
    lesson.write_text(lesson.read_text() + "\nA new sentence about noticing.\n")
    edited = run_cli("build", "--root", str(root), *FACILITATOR)
    assert edited.code == 0, edited.out + edited.err
    assert edited.lines[-1].startswith("built site/ ")
    page = (site / "modules/01-first-steps/02-noticing/index.html").read_text()
    assert "A new sentence about noticing." in page
    after = state(site)
    # Outputs that hold the lesson are new files; every other output keeps its file (inode and
    # modification time), PDFs and quiz exports included.
    assert after["downloads/workbook.pdf"] != before["downloads/workbook.pdf"]
    page = "modules/01-first-steps/02-noticing/index.html"
    assert after[page] != before[page]
    for kept in ("downloads/crisis-card-us.pdf", "downloads/certificate.pdf", "downloads/quiz-01-first-steps.pdf",
                 "modules/01-first-steps/01-listening/index.html"):
        assert after[kept] == before[kept], kept
    exports = [rel for rel in before if rel.startswith("downloads/quizzes/")]
    assert exports and all(after[rel] == before[rel] for rel in exports)
    assert not [p for p in os.listdir(tmp_path / "minimal") if p.startswith((".staging-", ".old-"))]


def test_a_site_folder_from_elsewhere_is_never_reused(tmp_path: Path) -> None:
    # A committed or copied site/ must not survive a build, whatever it claims to be.
    root = course_copy(tmp_path)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / "mkdocs.yml").symlink_to(REPO / "mkdocs.yml")
    assert run_cli("build", "--root", str(root), "--no-pdf").code == 0
    index = root / "site" / "index.html"
    index.unlink()
    index.write_text("<p>planted</p>")  # a new file: new inode, as from a checkout
    run = run_cli("build", "--root", str(root), "--no-pdf")
    assert run.code == 0 and run.lines[-1].startswith("built site/ ")
    assert "planted" not in index.read_text()
