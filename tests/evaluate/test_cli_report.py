"""`course evaluate` end to end: the shipped example cohort gives a report that passes axe-core in
Chromium and a tagged PDF; bad input stops with diagnostics and exit 1, never a traceback;
nothing personal reaches the report; small groups are left out."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from builder.evaluate import Source, evaluate
from builder.evaluate.report import render_html
from builder.model.project import Project
from tests.evaluate import synthetic as syn
from tests.helpers import REPO, run_cli

EXAMPLE = REPO / "examples" / "evaluation"
EXAMPLE_FILES = [EXAMPLE / "moodle-responses-pre.csv", EXAMPLE / "moodle-responses-post.xlsx", EXAMPLE / "surveys.csv"]
CHROMIUM = os.environ.get("CHROMIUM") or "chromium"


def _evaluate(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    run = run_cli("evaluate", "--root", str(REPO), *args)
    assert "Traceback" not in run.err + run.out
    return run.code, run.out, run.err


def test_example_is_the_generator_output(project: Project, tmp_path: Path) -> None:
    """The shipped cohort is what tests/evaluate/synthetic.py writes (the CSV byte for byte)."""
    files = syn.write_example(project, tmp_path)
    assert files[0].read_bytes() == EXAMPLE_FILES[0].read_bytes()
    assert files[2].read_bytes() == EXAMPLE_FILES[2].read_bytes()
    assert EXAMPLE_FILES[1].is_file()


@pytest.mark.slow
@pytest.mark.pdf
def test_example_report_html_and_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report"
    code, text, err = _evaluate(tmp_path, *map(str, EXAMPLE_FILES), "--out", str(out))
    assert code == 0, text + err
    assert (out / "report.html").is_file() and (out / "report.pdf").is_file()
    assert "[eval.negative-discrimination]" in text and "[eval.too-easy]" in text
    info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    html = (out / "report.html").read_text(encoding="utf-8")
    _assert_private(html)
    figures = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert figures["matched"] == 60 and figures["overall"]["n"] == 60 and "outcome_chart" not in figures
    _assert_private(json.dumps(figures))
    assert "Confidence and feedback" in html and "The role-play was the most useful part." in html


def _assert_private(html: str) -> None:
    # Nothing that identifies a person: no e-mail, name or id from the input files.
    assert "@example.org" not in html
    assert "Testperson" not in html and "Synthetic0" not in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


@pytest.mark.browser
def test_report_passes_axe_in_chromium(project: Project, tmp_path: Path, browser: Any) -> None:
    """In the suite's one shared Chromium (Playwright's sync API allows one instance a thread)."""
    from tests.site.support import axe_violations

    ev = evaluate(project, [Source.parse(str(f)) for f in EXAMPLE_FILES], salt=b"x")
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(project, ev, "2026-12-06"), encoding="utf-8")
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        violations = axe_violations(page)
        # Every chart has a text alternative and a data table after it.
        charts = page.locator("figure [role=img]")
        assert charts.count() >= 2
        for i in range(charts.count()):
            assert len(charts.nth(i).get_attribute("aria-label") or "") > 40
        narrow = context.new_page()
        narrow.set_viewport_size({"width": 390, "height": 800})
        narrow.goto(page_file.as_uri())
        narrow_violations = axe_violations(narrow)
        # Reflow (WCAG 1.4.10): wide tables scroll in their own box, the page never sideways.
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    assert violations == [] and narrow_violations == []
    assert all(u.startswith("file://") for u in requests), "the report loads nothing from anywhere"


def test_small_groups_are_left_out(project: Project, tmp_path: Path) -> None:
    cohort = syn.simulate(project, n=4, seed=3)
    (tmp_path / "pre.csv").write_bytes(syn.moodle_responses(cohort, "pre", "A"))
    (tmp_path / "post.csv").write_bytes(syn.moodle_responses(cohort, "post", "B"))
    ev = evaluate(project, [Source.parse(str(tmp_path / "pre.csv")), Source.parse(str(tmp_path / "post.csv"))],
                  min_group=5)
    a = ev.analysis
    assert a is not None and a.overall.suppressed and all(o.suppressed for o in a.outcomes)
    assert all(st.suppressed for items in a.items.values() for st in items)
    assert a.flags == [] and "fewer than 5" in " ".join(a.suppressed)
    html = render_html(project, ev, "2026-12-06")
    assert "<svg" not in html  # no chart of a group of 4
    assert "Fewer than 5 people took both tests" in html
    _assert_private(html)
    # The same people with --min-group 3 are shown.
    ev3 = evaluate(project, [Source.parse(str(tmp_path / "pre.csv")), Source.parse(str(tmp_path / "post.csv"))],
                   min_group=3)
    assert ev3.analysis is not None and not ev3.analysis.overall.suppressed


def test_groups_smaller_than_min_are_suppressed_by_section(project: Project, tmp_path: Path) -> None:
    cohort = syn.simulate(project, n=23, seed=4, sections=5)  # sections of 5, 5, 5, 4, 4
    (tmp_path / "pre.csv").write_bytes(syn.canvas_student_analysis(cohort, "pre", "A"))
    (tmp_path / "post.csv").write_bytes(syn.canvas_student_analysis(cohort, "post", "B"))
    ev = evaluate(project, [Source(tmp_path / "pre.csv", "pre", "A"),
                            Source(tmp_path / "post.csv", "post", "B")])
    assert ev.analysis is not None
    shown = [g for g in ev.analysis.groups if not g.suppressed]
    hidden = [g for g in ev.analysis.groups if g.suppressed]
    assert len(shown) == 3 and len(hidden) == 2 and all(g.n == 4 for g in hidden)
    assert sum("fewer than 5" in s for s in ev.analysis.suppressed) >= 2


@pytest.mark.parametrize("content, code", [
    (b"", "eval.empty"),
    ("Surname,Email address,State\nM\u00fcller,a@example.org,Finished\n".encode("cp1252"), "eval.encoding"),
    (b"\xef\xbb\xbfx,y\n1,2\n", "eval.layout"),
])
def test_bad_files_stop_with_exit_1(tmp_path: Path, content: bytes, code: str) -> None:
    bad = tmp_path / "results-pre.csv"
    bad.write_bytes(content)
    status, text, err = _evaluate(tmp_path, str(bad), "--out", str(tmp_path / "out"))
    assert status == 1
    assert f"[{code}]" in text and "results-pre.csv:" in text
    assert "no report written" in err
    assert not (tmp_path / "out").exists()


def test_duplicates_and_out_of_range_stop(project: Project, tmp_path: Path) -> None:
    cohort = syn.simulate(project, n=8, seed=5)
    rows = list(csv.reader(io.StringIO(syn.moodle_grades_csv(cohort, "pre", "A").decode())))
    rows.insert(3, rows[1])  # the same person twice
    rows[5][9] = "3.00"  # "Q. 2 /1.00" = 3
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    bad = tmp_path / "grades-pre.csv"
    bad.write_text(buf.getvalue(), encoding="utf-8")
    status, text, _ = _evaluate(tmp_path, str(bad), "--format", "json", "--out", str(tmp_path / "out"))
    assert status == 1
    found = {(d["code"], d["line"]) for d in json.loads(text)["diagnostics"]}
    assert ("eval.duplicate", 4) in found and ("eval.range", 6) in found


def test_duplicate_across_files(project: Project, tmp_path: Path) -> None:
    cohort = syn.simulate(project, n=6, seed=6)
    for name in ("a-pre.csv", "b-pre.csv"):
        (tmp_path / name).write_bytes(syn.moodle_responses(cohort, "pre", "A"))
    status, text, _ = _evaluate(tmp_path, str(tmp_path / "a-pre.csv"), str(tmp_path / "b-pre.csv"), "--out",
                                str(tmp_path / "out"))
    assert status == 1 and "[eval.duplicate-across-files]" in text


def test_usage_errors(tmp_path: Path) -> None:
    assert _evaluate(tmp_path)[0] == 2
    assert _evaluate(tmp_path, "during=x.csv")[0] == 2
    assert _evaluate(tmp_path, "x.csv", "--form", "nope")[0] == 2
    assert _evaluate(tmp_path, "x.csv", "--min-group", "1")[0] == 2
    assert _evaluate(tmp_path, str(EXAMPLE_FILES[0]), f"pre={EXAMPLE_FILES[0]}")[0] == 2  # the same file twice


def test_phase_unknown_is_an_error(project: Project, tmp_path: Path) -> None:
    cohort = syn.simulate(project, n=6, seed=8)
    f = tmp_path / "results.csv"
    f.write_bytes(syn.moodle_responses(cohort, "pre", "A"))
    status, text, _ = _evaluate(tmp_path, str(f), "--out", str(tmp_path / "out"))
    assert status == 1 and "[eval.phase]" in text and "pre=" in text


def test_template(tmp_path: Path) -> None:
    status, text, _ = _evaluate(tmp_path, "--template", "--out", str(tmp_path))
    assert status == 0
    head = (tmp_path / "paper-template-pre-post.csv").read_text(encoding="utf-8").strip().split(",")
    assert head[:4] == ["participant", "phase", "variant", "group"] and all(h.startswith("M") for h in head[4:])


def test_report_does_not_depend_on_the_salt(project: Project) -> None:
    """Pseudonyms change every run; the report must not."""
    sources = [Source.parse(str(f)) for f in EXAMPLE_FILES]
    one = render_html(project, evaluate(project, sources, salt=b"one"), "2026-12-06")
    two = render_html(project, evaluate(project, sources, salt=b"two"), "2026-12-06")
    assert one == two


@pytest.mark.parametrize("spec, phase, variant", [
    ("quiz-pre.csv", "pre", None), ("Post test (B).xlsx", "post", None), ("before_course.csv", "pre", None),
    ("pre-post.csv", None, None), ("preview.csv", None, None), ("post/B=x.csv", "post", "B"),
    ("pre=y.csv", "pre", None),
])
def test_source_names(spec: str, phase: str | None, variant: str | None) -> None:
    src = Source.parse(spec)
    assert (src.phase, src.variant) == (phase, variant)


def test_nobody_matched_is_said(project: Project, tmp_path: Path) -> None:
    """Moodle identifies people by e-mail, Canvas by its id: the two never match, and the run says so."""
    cohort = syn.simulate(project, n=10, seed=12)
    (tmp_path / "pre.csv").write_bytes(syn.moodle_responses(cohort, "pre", "A"))
    (tmp_path / "post.csv").write_bytes(syn.canvas_student_analysis(cohort, "post", "B"))
    ev = evaluate(project, [Source.parse(str(tmp_path / "pre.csv")), Source.parse(str(tmp_path / "post.csv"))])
    assert ev.analysis is not None and ev.analysis.matched == 0
    (unmatched,) = [d for d in ev.diagnostics if d.code == "eval.unmatched"]
    assert unmatched.where.path.endswith("post.csv") and "none of the 10 people" in unmatched.message
