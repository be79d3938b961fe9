"""The "What changed for facilitators" PDF passes the print checks every course PDF passes:
tagged PDF/UA, only the course font and all of it embedded, the text extractable (poppler),
the paper asked for, and nothing fetched."""

from __future__ import annotations

import re
from pathlib import Path

import page
import pytest
from pypdf import PdfReader

from tests.helpers import run_cli
from tests.print.conftest import pdfinfo, run, squash, text

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def report_pdf(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("diff-pdf") / "what-changed.pdf"
    result = run_cli("diff", "v1", "v2", "--format", "pdf", "--out", str(out), "--root", str(repo))
    assert result.code == 0, result.err
    assert result.out.startswith(f"wrote {out} (") and out.is_file()
    return out


def test_tagged_titled_english(report_pdf: Path) -> None:
    info = pdfinfo(report_pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "What changed for facilitators: Fixture Course 1.0.0"
    assert info["Author"] == "Test Author"
    assert info["Page size"].startswith("595.276 x 841.89 pts")  # A4
    root = PdfReader(report_pdf).trailer["/Root"]
    assert root["/Lang"] == "en"  # type: ignore[index]


def test_only_the_course_font_all_embedded(report_pdf: Path) -> None:
    lines = run("pdffonts", str(report_pdf)).splitlines()[2:]
    assert lines
    for line in lines:
        cols = line.split()
        assert cols[-5] == "yes", line
        assert re.match(r"^[A-Z]{6}\+Atkinson-Hyperlegible(-Bold|-Italic|-BoldItalic)?$", cols[0]), line


def test_pdf_ua(report_pdf: Path) -> None:
    report = page.validate_pdf(str(report_pdf), profile="ua1")
    assert report.is_compliant, [str(f) for f in report.failures]


def test_the_text_is_there(report_pdf: Path) -> None:
    words = squash(text(report_pdf))
    assert "What changed for facilitators: Fixture Course, version 0.1.0 to 1.0.0" in words
    assert "Answer key changed: M1.Q03" in words and "Was: True. Now: False." in words
    assert "Noticing when a friend struggles" in words and "Noticing changes" in words
    assert "may be struggling. having a hard time. Stigma" in words  # the struck and the added words
    assert "Objective removed: M2.O2" in words
    assert "Every day, day and night" in words
    assert "What changed for facilitators · Fixture Course · version 1.0.0" in words  # the footer


def test_letter_paper_and_same_bytes(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    for out in (one, two):
        assert run_cli("diff", "v1", "v2", "--format", "pdf", "--paper", "letter", "--out", str(out),
                       "--root", str(repo)).code == 0
    assert one.read_bytes() == two.read_bytes()
    assert pdfinfo(one)["Page size"].startswith("612 x 792")


def test_a_character_the_font_lacks_is_written_out_not_drawn_with_another_font(tmp_path: Path) -> None:
    from tests.diff.conftest import commit, edit, git, v1_course

    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    edit(root, "modules/01-first-steps/02-noticing.md", "may be struggling.", "may be struggling → ask.")
    out = tmp_path / "changes.pdf"
    run_cli_result = run_cli("diff", "HEAD", "--format", "pdf", "--out", str(out), "--root", str(root))
    assert run_cli_result.code == 0, run_cli_result.err
    assert "[U+2192] ask." in squash(text(out))
    for line in run("pdffonts", str(out)).splitlines()[2:]:
        assert "Atkinson-Hyperlegible" in line.split()[0], line
