"""Every PDF: tagged PDF/UA, the course font embedded, metadata, paper size, no warnings."""

from __future__ import annotations

import re

import page
import pytest
from pypdf import PdfReader

from tests.print.conftest import PdfSet, pdfinfo, run

pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("print")]

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

EXPECTED = [
    "workbook.pdf", "facilitator-guide.pdf", "handout-01-first-steps.pdf", "handout-02-second-steps.pdf",
    "quiz-01-first-steps.pdf", "quiz-01-first-steps-answers.pdf", "quiz-02-second-steps.pdf",
    "quiz-02-second-steps-answers.pdf", "form-pre-post-a.pdf", "form-pre-post-a-answers.pdf",
    "form-pre-post-b.pdf", "form-pre-post-b-answers.pdf", "crisis-card-us.pdf", "certificate.pdf",
]


def page_size(path) -> tuple[float, float]:
    m = re.match(r"([\d.]+) x ([\d.]+) pts", pdfinfo(path)["Page size"])
    assert m
    return float(m.group(1)), float(m.group(2))


def test_the_facilitator_build_writes_every_document(pdfs: PdfSet) -> None:
    assert sorted(p.name for p in pdfs.folder.glob("*.pdf")) == sorted(EXPECTED)
    assert not list(pdfs.folder.glob(".*")), "temporary files left behind"


@pytest.mark.parametrize("name", EXPECTED)
def test_tagged_titled_and_in_english(pdfs: PdfSet, name: str) -> None:
    info = pdfinfo(pdfs[name])
    assert info["Tagged"] == "yes"
    assert info["Title"] == pdfs.titles[name]
    assert info["Author"] == "Test Author"
    # Dates come from the build date, so a rebuild of the same sources is byte-identical.
    assert info["CreationDate"].startswith("2026-11-22")
    root = PdfReader(pdfs[name]).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True


@pytest.mark.parametrize("name", EXPECTED)
def test_paper_size(pdfs: PdfSet, name: str) -> None:
    w, h = page_size(pdfs[name])
    expected = (A4[1], A4[0]) if name == "certificate.pdf" else A4  # the certificate is landscape
    assert (round(w, 1), round(h, 1)) == (round(expected[0], 1), round(expected[1], 1))


@pytest.mark.parametrize("name", EXPECTED)
def test_only_the_course_font_and_all_embedded(pdfs: PdfSet, name: str) -> None:
    lines = run("pdffonts", str(pdfs[name])).splitlines()[2:]
    assert lines, "no fonts at all"
    for line in lines:
        cols = line.split()
        emb = cols[-5]
        assert emb == "yes", line
        assert re.match(r"^[A-Z]{6}\+Atkinson-Hyperlegible(-Bold|-Italic|-BoldItalic)?$", cols[0]), line


@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_ua_rules(pdfs: PdfSet, name: str) -> None:
    report = page.validate_pdf(str(pdfs[name]), profile="ua1")
    assert report.is_compliant, [str(f) for f in report.failures]


@pytest.mark.parametrize("name", EXPECTED)
def test_weasyprint_logged_nothing(pdfs: PdfSet, name: str) -> None:
    assert pdfs.report.documents[name]["warnings"] == []


def test_letter_paper(letter_pdfs: PdfSet) -> None:
    for name in letter_pdfs.titles:
        w, h = page_size(letter_pdfs[name])
        assert (round(w), round(h)) == LETTER, name
        assert page.validate_pdf(str(letter_pdfs[name]), profile="ua1").is_compliant, name
        assert _words_outside(letter_pdfs[name], *LETTER) == [], name
        assert letter_pdfs.report.documents[name]["warnings"] == [], name


def test_handouts_have_two_to_four_pages(pdfs: PdfSet, letter_pdfs: PdfSet) -> None:
    for path in [*pdfs.folder.glob("handout-*.pdf"), *letter_pdfs.folder.glob("handout-*.pdf")]:
        assert 2 <= int(pdfinfo(path)["Pages"]) <= 4, path.name


def test_bookmarks_follow_the_headings(pdfs: PdfSet) -> None:
    reader = PdfReader(pdfs["facilitator-guide.pdf"])

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item) + 1

    outline = list(walk(reader.outline))
    top = [t for d, t, _ in outline if d == 0]
    assert top[:4] == ["Facilitator guide", "Contents", "About this guide", "Safety protocol: distress and disclosure"]
    assert "Module 1: First steps" in top and "Module 2: Second steps" in top
    m1 = [t for d, t, _ in outline if d == 1]
    assert {"Session plan", "Preparation and materials", "Notes for each lesson", "Answer key"} <= set(m1)
    # Pages of bookmarks never go backwards: they follow the document.
    numbers = [p for _, _, p in outline]
    assert numbers == sorted(numbers)


MM = 72 / 25.4


def _words_outside(pdf, width: float, height: float) -> list[str]:
    """Words that stick out of the printable area (16 mm at the sides, 5 mm top and bottom)."""
    html = run("pdftotext", "-bbox", str(pdf), "-")
    out = []
    for number, body in enumerate(html.split("<page ")[1:], start=1):
        w, h = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', body).groups())
        side = 8 * MM if "crisis-card" in pdf.name or "certificate" in pdf.name else 15.5 * MM
        for x1, y1, x2, y2, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body):
            if float(x1) < side or float(x2) > w - side or float(y1) < 5 * MM or float(y2) > h - 5 * MM:
                out.append(f"page {number}: {word!r} at x {float(x1):.0f}-{float(x2):.0f} of {w:.0f}")
    return out


@pytest.mark.parametrize("name", EXPECTED)
def test_no_text_overflows_the_page(pdfs: PdfSet, name: str) -> None:
    assert _words_outside(pdfs[name], *A4) == []
