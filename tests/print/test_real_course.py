"""The real course prints cleanly: PDF/UA, fonts, page-numbered contents, handout length,
and not a word of the facilitator notes in the participant workbook.

Runs only while the course in this repository passes `course check` (it is being written
by several people at once); the fixture tests cover every feature either way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import page
import pytest

from builder.checks import check_project
from builder.model.blocks import find_blocks
from builder.model.editions import default_edition, for_edition
from builder.model.project import Project
from builder.render.print import PrintReport, plan_specs, render_specs, select
from tests.helpers import REPO
from tests.print.conftest import options, page_texts, pdfinfo, run, shared_dir, squash
from tests.print.test_cards import check_sheet
from tests.print.test_documents import A4, _words_outside
from tests.print.test_workbook import toc

pytestmark = [pytest.mark.pdf, pytest.mark.slow, pytest.mark.xdist_group("print-real")]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Project, Path, PrintReport]:
    result = check_project(REPO)
    if result.project is None or result.errors:
        pytest.skip(f"the course does not pass `course check` yet ({len(result.errors)} errors)")
    # What `course build` prints: the default edition's copy (its terms resolved, other
    # editions' passages gone), never the source with every edition's blocks in it.
    project = for_edition(result.project, default_edition(result.project))
    opts = options(audience="participant")
    specs = [s for s in plan_specs(project, opts) if s.kind in ("workbook", "handout")]
    specs += [s for r in sorted(project.resources.regions) for s in select(project, "card", r)]

    def build(folder: Path) -> None:
        report = render_specs(project, specs, folder, opts)
        (folder / "report.json").write_text(json.dumps({"documents": report.documents, "seconds": report.seconds}))

    out = shared_dir(tmp_path_factory, worker_id, "real", build)
    data = json.loads((out / "report.json").read_text())
    return project, out, PrintReport(data["documents"], data["seconds"])


def test_every_pdf_is_pdf_ua_with_the_course_font(real) -> None:
    _, out, report = real
    for pdf in sorted(out.glob("*.pdf")):
        assert pdfinfo(pdf)["Tagged"] == "yes", pdf.name
        result = page.validate_pdf(str(pdf), profile="ua1")
        assert result.is_compliant, (pdf.name, [str(f) for f in result.failures])
        for line in run("pdffonts", str(pdf)).splitlines()[2:]:
            assert "Atkinson-Hyperlegible" in line.split()[0] and line.split()[-5] == "yes", (pdf.name, line)
        assert report.documents[pdf.name]["warnings"] == [], pdf.name
        assert _words_outside(pdf, *A4) == [], pdf.name


def test_workbook_contents_point_at_the_right_pages(real) -> None:
    project, out, _ = real
    pages = page_texts(out / "workbook.pdf")
    entries = toc(pages)
    for m in project.modules:
        title = f"Module {m.number}: {m.title}"
        number = entries[title]
        assert number % 2 == 1, f"{title} starts on a left-hand page"
        assert title in squash(pages[number - 1]), title
        for lesson in m.lessons:
            assert squash(lesson.title) in squash(pages[entries[lesson.title] - 1]), lesson.title


def test_no_facilitator_notes_in_the_workbook(real) -> None:
    project, out, _ = real
    workbook = squash(" ".join(page_texts(out / "workbook.pdf")))
    notes = 0
    for m in project.modules:
        for lesson in m.lessons:
            lines = lesson.body.split("\n")
            for b in find_blocks(lesson.body):
                if b.kind == "facilitator":
                    first = next(x for x in b.lines(lines) if x.strip())
                    words = re.sub(r"[*_`]", "", first).split()[:8]
                    assert " ".join(words) not in workbook, (lesson.path, first)
                    notes += 1
    assert notes > 0


def test_handouts_have_two_to_four_pages(real) -> None:
    _, out, _ = real
    handouts = sorted(out.glob("handout-*.pdf"))
    assert handouts
    for pdf in handouts:
        assert 2 <= int(pdfinfo(pdf)["Pages"]) <= 4, pdf.name


def test_every_regions_crisis_card_fits(real) -> None:
    project, out, _ = real
    for code, region in sorted(project.resources.regions.items()):
        first = next(r for r in region.resources if r.crisis)
        check_sheet(out / f"crisis-card-{code}.pdf", "a4", region.emergency, first.name)
