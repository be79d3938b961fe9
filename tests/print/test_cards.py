"""Pocket crisis cards: bank-card size, fronts and backs on a grid that lines up when printed
double-sided, every word inside its card with room to cut, the region's numbers on the back."""

from __future__ import annotations

import html as html_mod
import re
from pathlib import Path

import pytest

from tests.print.conftest import PdfSet, page_texts, pages, run

pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("print")]

MM = 72 / 25.4
CARD_W, CARD_H = 85.6 * MM, 54.0 * MM  # ISO/IEC 7810 ID-1
SAFE = 2.0 * MM  # no text this close to a cut
PAPER = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [(float(a), float(b), float(c), float(d), html_mod.unescape(w)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def grid(paper: str, cols: int = 2, rows: int = 4) -> list[tuple[float, float, float, float]]:
    """Card rectangles of a grid centred on the page (so backs meet fronts on either flip)."""
    w, h = PAPER[paper]
    x0, y0 = (w - cols * CARD_W) / 2, (h - rows * CARD_H) / 2
    return [(x0 + c * CARD_W, y0 + r * CARD_H, x0 + (c + 1) * CARD_W, y0 + (r + 1) * CARD_H)
            for r in range(rows) for c in range(cols)]


def check_sheet(pdf: Path, paper: str, emergency: str, line: str = "") -> None:
    assert pages(pdf) == 2
    cards = grid(paper)
    for number in (1, 2):
        per_card: dict[int, list[str]] = {i: [] for i in range(len(cards))}
        for x1, y1, x2, y2, w in words(pdf, number):
            if y2 < cards[0][1]:
                continue  # the sheet's title and instructions above the grid
            home = [i for i, (a, b, c, d) in enumerate(cards) if a <= x1 and x2 <= c and b <= y1 and y2 <= d]
            assert home, f"page {number}: {w!r} at ({x1:.1f}, {y1:.1f}) is outside every card"
            a, b, c, d = cards[home[0]]
            assert min(x1 - a, c - x2, y1 - b, d - y2) >= SAFE, f"page {number}: {w!r} is too close to a cut"
            per_card[home[0]].append(w)
        texts = {" ".join(ws) for ws in per_card.values()}
        assert len(texts) == 1, "every card on a sheet is the same"
        card = texts.pop()
        if number == 1:
            assert "Worried about someone?" in card and "Warning signs" in card and "What to do" in card
            assert f"Call {emergency}." in card
        else:
            assert f"Emergency: {emergency}" in card and line in card


def test_us_card_sheet(pdfs: PdfSet) -> None:
    check_sheet(pdfs["crisis-card-us.pdf"], "a4", "911", "988 Suicide & Crisis Lifeline: Call or text 988.")


def test_uk_card_on_letter(letter_pdfs: PdfSet) -> None:
    check_sheet(letter_pdfs["crisis-card-uk.pdf"], "letter", "999", "Samaritans: Call 116 123.")


def test_sheet_explains_duplex_printing(pdfs: PdfSet) -> None:
    front, back = page_texts(pdfs["crisis-card-us.pdf"])
    assert "double-sided" in front and "cut along the marks" in front
    assert "flip" in back
