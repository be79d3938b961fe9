"""Citations, References and session plans as the site and print render them (builder.render.sources)."""

from __future__ import annotations

from pathlib import Path

import markdown

from builder.model.load import load_project
from builder.model.project import Project
from builder.model.schema import Source
from builder.render.sources import (
    expand_timetables,
    plan_rows,
    references_md,
    source_md,
    timetable_md,
    with_citations,
)
from tests.helpers import course_copy

SOURCES = {
    "M1-who-2022": Source(id="M1-who-2022", title="World mental health report", publisher="World Health Organization",
                          year=2022, url="https://www.who.int/publications/i/item/9789240049338"),
    "M1-solmi-2021": Source(id="M1-solmi-2021", title="Age at onset of mental disorders worldwide",
                            author="Solmi M, et al.", publisher="Molecular Psychiatry", year=2021,
                            url="https://doi.org/10.1038/s41380-021-01161-7"),
}

PLAN = """
timetable:
  - id: one-day
    title: One day
    summary: The whole course in one day.
    sessions:
      - title: The day
        start: "09:00"
        slots:
          - {slot: welcome, minutes: 15}
          - {slot: pre-test, form: pre-post, minutes: 10}
          - {slot: module, module: M1, minutes: 45}
          - {slot: quiz, module: M1, minutes: 10}
          - {slot: lunch, minutes: 30}
          - {slot: module, module: M2, minutes: 30}
          - {slot: quiz, module: M2, minutes: 10}
          - {slot: post-test, form: pre-post, minutes: 10, title: The after-course check}
          - {slot: close, minutes: 10}
"""


def _project(tmp_path: Path) -> Project:
    course_yaml = Path(__file__).parents[1] / "fixtures/curricula/minimal/curriculum/course.yaml"
    course = course_yaml.read_text(encoding="utf-8")
    root = course_copy(tmp_path, files={"curriculum/course.yaml": course + PLAN})
    project, diags = load_project(root, cache=False)
    assert project is not None, [d.format() for d in diags]
    return project


def test_a_reference_names_who_when_what_and_where() -> None:
    assert source_md(SOURCES["M1-solmi-2021"]) == (
        "Solmi M, et al. (2021). *Age at onset of mental disorders worldwide*. Molecular Psychiatry. "
        "[doi.org](https://doi.org/10.1038/s41380-021-01161-7)")
    assert source_md(SOURCES["M1-who-2022"]).startswith("World Health Organization (2022). *World mental")


def test_citations_become_footnotes_in_the_edition_that_shows_them() -> None:
    body = ("About 1 in 8 people.[^M1-who-2022] Again.[^M1-who-2022]\n\n"
            "!!! facilitator \"Note\"\n    Older figures differ.[^M1-solmi-2021]\n\n"
            "An aside.[^own] A typo.[^M1-who-2021]\n\n[^own]: The author's own footnote.\n")
    participant = with_citations(body, SOURCES, facilitator=False)
    facilitator = with_citations(body, SOURCES, facilitator=True)
    assert participant.count("[^M1-who-2022]: World Health Organization (2022).") == 1
    assert "[^M1-solmi-2021]:" not in participant  # cited only in a block participants never see
    assert "[^M1-solmi-2021]: Solmi M" in facilitator
    assert "[^own]: The author's own footnote." in participant and participant.count("[^own]:") == 1
    assert "[^M1-who-2021]:" not in participant  # unknown ids are `course check`'s business
    html = markdown.markdown(participant, extensions=["footnotes"])
    assert 'id="fn:M1-who-2022"' in html and "who.int/publications" in html
    assert with_citations("No citations here.", SOURCES, facilitator=True) == "No citations here."


def test_references_list_a_modules_sources_and_its_lessons_own(tmp_path: Path) -> None:
    project = _project(tmp_path)
    m = project.modules[0]
    assert references_md(m) == []
    m.data.sources = [SOURCES["M1-who-2022"]]
    m.lessons[0].meta.sources = [SOURCES["M1-solmi-2021"], SOURCES["M1-who-2022"]]
    lines = references_md(m)
    assert lines[0] == "## References"
    assert [line[:20] for line in lines if line.startswith("- ")] == ["- World Health Organ", "- Solmi M, et al. (2"]


def test_a_plan_has_clock_times_and_totals(tmp_path: Path) -> None:
    project = _project(tmp_path)
    plan = project.course.timetable[0]
    rows = plan_rows(project, plan)
    assert [(start, what) for _, start, what, _ in rows][:4] == [
        ("09:00", "Welcome"), ("09:15", "Before-course knowledge check (Pre/post test)"),
        ("09:25", "Module 1: First steps"), ("10:10", "Module 1 quiz")]
    assert rows[-2][2] == "Close" and rows[-3][2] == "The after-course check"
    assert rows[-1][1:3] == ("11:50", "End of The day")
    md = "\n".join(timetable_md(project, plan))
    assert md.startswith("### One day\n\nThe whole course in one day.")
    assert "| 09:25 | Module 1: First steps | 45 |" in md
    assert "In all: 2 h 50 min with breaks, of which 1 h 15 min is module time" in md


def test_a_timetable_block_becomes_the_plans_tables(tmp_path: Path) -> None:
    project = _project(tmp_path)
    body = 'Intro.\n\n!!! timetable "one-day"\n\nAfter.\n\n!!! timetable "no-such-plan"\n'
    out = expand_timetables(body, project)
    assert "!!! timetable" not in out
    assert "| 09:00 | Welcome | 15 |" in out and out.startswith("Intro.") and "After." in out
    assert "### One day" not in out  # the page's author writes the heading
    assert "### One day" in expand_timetables("!!! timetable\n", project)  # no id: every plan, with titles
