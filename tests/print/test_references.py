"""The facilitator guide and the workbook carry the course's sources and session plans (HTML level).

The PDFs are rendered from this HTML; tests/print/test_real_course.py checks the PDFs themselves.
"""

from __future__ import annotations

import re

import pytest

from builder.model.load import load_project
from builder.model.project import Project
from builder.render import BuildOptions
from builder.render.print.assemble import Assembler
from builder.render.print.documents import DocSpec
from tests.helpers import REPO


@pytest.fixture(scope="module")
def project() -> Project:
    p, diags = load_project(REPO, cache=False)
    assert p is not None, [d.format() for d in diags]
    return p


def _html(project: Project, kind: str, audience: str = "participant") -> str:
    spec = DocSpec(kind, f"{kind}.pdf", kind, "", audience=audience)  # type: ignore[arg-type]
    return Assembler(project, BuildOptions(region="us", audience=audience)).html(spec)  # type: ignore[arg-type]


def test_the_facilitator_guide_has_session_plans_and_references_per_module(project: Project) -> None:
    html = _html(project, "facilitator", "facilitator")
    assert "<h2>Session plans</h2>" in html
    for plan in project.course.timetable:
        assert f"<h3>{plan.title}</h3>" in html
    first = project.course.timetable[0]
    assert first.sessions[0].start and f"<td>{first.sessions[0].start}</td>" in html
    for m in project.modules:
        if not m.data.sources:
            continue
        section = re.search(rf'<section id="{m.id.lower()}-references">(.*?)</section>', html, re.S)
        assert section, f"no References for {m.id}"
        for s in m.data.sources:
            assert s.title.split(":")[0][:30] in section.group(1), (m.id, s.id)
        assert f'href="#{m.id.lower()}-references"' in html  # listed in the contents


def test_the_workbook_ends_with_references_and_lessons_number_their_citations(project: Project) -> None:
    html = _html(project, "workbook")
    refs = re.search(r'<section class="part appendix" id="references">(.*?)\n</section>', html, re.S)
    assert refs, "no References in the workbook's end matter"
    cited = [m for m in project.modules if m.data.sources]
    assert len(re.findall(r'<section id="references-', refs.group(1))) == len(cited)
    # A lesson that cites a source shows it as a numbered footnote, not as '[^id]'.
    citing = [(m, lesson) for m in project.modules for lesson in m.lessons if "[^" in lesson.body]
    assert citing, "no lesson cites a source yet"
    assert "[^" not in re.sub(r"<code>.*?</code>", "", html)
    assert 'class="footnote"' in html


def test_the_course_overview_page_shows_the_plans_as_tables(project: Project) -> None:
    page = next(p for p in project.pages if p.slug == "course-overview")
    assert "!!! timetable" in page.body  # the page holds the block, not a hand-typed table
    html = _html(project, "workbook")
    plan = project.course.timetable[0]
    first_module = next(sl for s in plan.sessions for sl in s.slots if sl.slot == "module")
    assert re.search(rf"<td>{first_module.minutes}</td>", html)
