"""The course's real help lines on paper: every region's crisis card lists its lines inside the
cards, and the card and the crisis boxes word each line's date honestly (a line that rests on
secondary sources is starred and never called "checked").

The course is the minimal fixture with the repository's curriculum/resources.yaml, so the
lesson rewrites going on elsewhere cannot break these tests, while the data is the real data.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.model.load import load_project
from builder.render.print import render_specs, select
from tests.helpers import REPO, course_copy
from tests.print.conftest import options, page_texts, pdfinfo, shared_dir, squash
from tests.print.test_cards import check_sheet, grid, words

pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("print")]

REAL = yaml.safe_load((REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8"))["regions"]
REGIONS = sorted(REAL)


def back_of_one_card(pdf: Path) -> str:
    """The words of the first card on the sheet of backs, in reading order."""
    a, b, c, d = grid("a4")[0]
    return " ".join(w for x1, y1, x2, y2, w in words(pdf, 2) if a <= x1 and x2 <= c and b <= y1 and y2 <= d)


def _course(tmp: Path) -> Path:
    return course_copy(tmp, files={
        "curriculum/resources.yaml": (REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8")})


@pytest.fixture(scope="session")
def real_line_pdfs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """Each region's crisis card, and the UK's Module 1 handout (its crisis box) and workbook
    (its list of every service), on A4."""

    def build(folder: Path) -> None:
        project, diags = load_project(_course(folder))
        assert project is not None, [d.format() for d in diags]
        for region in REGIONS:
            specs = select(project, "card", region)
            if region == "uk":
                specs += select(project, "handout:M1", region) + select(project, "workbook", region)
            render_specs(project, specs, folder / "out", options(region=region))

    return shared_dir(tmp_path_factory, worker_id, "real-lines", build) / "out"


@pytest.mark.parametrize("region", REGIONS)
def test_every_line_fits_on_the_card(real_line_pdfs: Path, region: str) -> None:
    """All the region's crisis lines print, each inside its card (check_sheet measures every word)."""
    pdf = real_line_pdfs / f"crisis-card-{region}.pdf"
    check_sheet(pdf, "a4", REAL[region]["emergency"])
    back = back_of_one_card(pdf)
    for r in REAL[region]["resources"]:
        if r.get("crisis"):
            assert r["name"] in back, f"{r['name']} is missing from the {region} card"


def test_uk_card_stars_secondary_lines_and_says_why(real_line_pdfs: Path) -> None:
    card = back_of_one_card(real_line_pdfs / "crisis-card-uk.pdf")
    # Shout was checked on its own pages: no star. The others rest on secondary sources.
    assert "Shout: Text SHOUT to 85258." in card
    assert "Samaritans*: Call 116 123 (free)." in card
    assert "For young people: Childline* 0800 1111 · PAPYRUS HOPELINE247* 0800 068 4141" in card
    assert "Numbers checked on the services' websites on 6 Dec 2026" in card
    assert "* last reviewed 6 Dec 2026 from secondary sources: confirm before relying on it." in card


def test_us_card_has_no_checked_claim_when_no_line_was_checked(real_line_pdfs: Path) -> None:
    """No US line was found in full on the service's own pages, so the card claims no check."""
    back = back_of_one_card(real_line_pdfs / "crisis-card-us.pdf")
    assert "checked" not in back.lower()
    assert "For LGBTQ+ people: The Trevor Project* 1-866-488-7386" in back
    assert "* last reviewed 6 Dec 2026 from secondary sources" in back


def test_handout_crisis_box_dates_each_line_honestly(real_line_pdfs: Path) -> None:
    handout = next(real_line_pdfs.glob("handout-01-*.pdf"))
    assert pdfinfo(handout)["Pages"]
    text = squash(" ".join(page_texts(handout)))
    box = text[text.index("Help now: United Kingdom"):]
    shout = box[box.index("Shout:"):box.index("For young people")]
    assert "Checked on the service's website on 6 December 2026." in shout
    samaritans = box[box.index("Samaritans:"):box.index("Shout:")]
    assert "Last reviewed on 6 December 2026 from secondary sources; confirm before relying on it." in samaritans
    assert "Checked" not in samaritans
    young = box[box.index("For young people"):]
    assert "Childline: Call 0800 1111 (free)" in young and "PAPYRUS HOPELINE247: Call 0800 068 4141" in young


def test_workbook_lists_every_service_by_group_with_its_date(real_line_pdfs: Path) -> None:
    workbook = real_line_pdfs / "workbook.pdf"
    text = squash(" ".join(page_texts(workbook)))
    back = text[text.rindex("For everyone"):]  # the list of every service at the back
    assert back.index("Samaritans") < back.index("NHS 111") < back.index("For young people") < back.index("Childline")
    nhs = back[back.index("NHS 111"):back.index("For young people")]
    assert "Last reviewed on 6 December 2026 from secondary sources; confirm before relying on it." in nhs
    assert "Checked" not in nhs and "https://www.nhs.uk/" in nhs
    shout = back[back.index("Shout"):back.index("NHS 111")]
    assert "Checked on the service's website on 6 December 2026." in shout
