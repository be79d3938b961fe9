"""quizzes/surveys.yaml: checked by `course check` with positions; exported for Moodle (Feedback
XML), QTI 1.2 and paper; printed as tagged PDF forms."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.evaluate.instruments import moodle_feedback_xml, qti12_zip, survey_template
from builder.model.surveys import load_surveys
from tests.helpers import REPO, check_lines, course_copy, run_cli

GOOD = """\
format: 1
scales:
  confidence: [Not at all, Slightly, Moderately, Very, Extremely]
surveys:
  - id: confidence
    title: How confident do you feel?
    kind: confidence
    when: [before, after]
    items:
      - id: C1
        type: rating
        scale: confidence
        outcome: 1
        text: Describe the fixture
"""


def test_the_course_surveys_are_clean() -> None:
    surveys, diags = load_surveys(REPO)
    assert diags == [] and surveys is not None
    assert {s.kind for s in surveys.surveys} == {"needs", "confidence", "feedback"}
    confidence = next(s for s in surveys.surveys if s.kind == "confidence")
    assert surveys.scales["confidence"] == ["Not at all", "Slightly", "Moderately", "Very", "Extremely"]
    assert all(s.anonymous for s in surveys.surveys)
    assert sorted(it.outcome for it in confidence.items) == [1, 2, 3, 4, 5, 6]


def test_a_good_file_passes_and_is_no_orphan(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={"quizzes/surveys.yaml": GOOD})
    assert not [line for line in check_lines(root) if "surveys.yaml" in line]


def test_problems_have_positions(tmp_path: Path) -> None:
    bad = GOOD.replace("        scale: confidence\n        outcome: 1\n",
                       "        scale: confidance\n        outcome: 3\n        colour: red\n")
    bad += """\
      - id: C1
        type: choice
        text: Again
"""
    root = course_copy(tmp_path, files={"quizzes/surveys.yaml": bad})
    lines = [line for line in check_lines(root) if "surveys.yaml" in line]
    # The unknown key stops validation of the file: fixed first, then the rest shows.
    assert lines == ["quizzes/surveys.yaml:14:9: error: unknown key 'colour' [schema.unknown-key]"]
    bad = bad.replace("        colour: red\n", "")
    (root / "quizzes" / "surveys.yaml").write_text(bad, encoding="utf-8")
    lines = [line for line in check_lines(root) if "surveys.yaml" in line]
    assert "quizzes/surveys.yaml:12:16: error: unknown scale 'confidance' [survey.ref]" in lines
    assert "quizzes/surveys.yaml:13:18: error: outcome 3: the course has 1 outcomes [survey.ref]" in lines
    assert "quizzes/surveys.yaml:15:13: error: item id 'C1' is used twice in survey 'confidence' [survey.duplicate]" \
        in lines
    assert "quizzes/surveys.yaml:15:9: error: choice item C1 needs at least two options [survey.item]" in lines
    assert any(line.startswith("quizzes/surveys.yaml:10:") and "[survey.outcomes]" in line for line in lines), lines


def test_exports() -> None:
    surveys, _ = load_surveys(REPO)
    assert surveys is not None
    for s in surveys.surveys:
        xml = etree.fromstring(moodle_feedback_xml(s, surveys))
        items = xml.findall("ITEMS/ITEM")
        assert [i.findtext("ITEMLABEL") for i in items] == [it.id for it in s.items]
        for el, it in zip(items, s.items, strict=True):
            presentation = el.findtext("PRESENTATION") or ""
            if it.type == "rating":
                assert el.get("TYPE") == "multichoicerated"
                assert presentation.startswith("r>>>>>1####") and presentation.endswith("<<<<<1")
                assert presentation.count("####") == len(surveys.scales[it.scale or ""])
            elif it.type == "choice":
                assert el.get("TYPE") == "multichoice"
                assert presentation == ("c" if it.multiple else "r") + ">>>>>" + "|".join(it.options)
            else:
                assert el.get("TYPE") == "textarea"
        with zipfile.ZipFile(io.BytesIO(qti12_zip(s, surveys, f"x-{s.id}"))) as z:
            assert z.namelist()[0] == "imsmanifest.xml"
            doc = etree.fromstring(z.read(f"x-{s.id}.xml"))
        ns = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
        assert len(doc.findall(".//q:item", ns)) == len(s.items)
        # Surveys are ungraded: no item carries a score.
        assert doc.findall(".//q:setvar", ns) == []
        head = survey_template(s).strip().split(",")
        assert head == ["survey", "phase", "group", *(it.id for it in s.items)]


@pytest.mark.pdf
def test_instruments_command(tmp_path: Path) -> None:
    run = run_cli("evaluate", "--root", str(REPO), "--instruments", "--out", str(tmp_path))
    assert run.code == 0, run.out + run.err
    for name in ("survey-confidence.pdf", "survey-feedback.pdf", "survey-needs.pdf",
                 "survey-feedback-moodle-feedback.xml", "survey-confidence-template.csv",
                 "paper-template-pre-post.csv"):
        assert (tmp_path / name).is_file(), name
    import subprocess

    info = subprocess.run(["pdfinfo", str(tmp_path / "survey-confidence.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert "Tagged:          yes" in info
    text = subprocess.run(["pdftotext", str(tmp_path / "survey-confidence.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Do not write your name" in text and "Extremely" in text
    # Every form ends with the region's emergency number and crisis lines (the course's default region).
    assert "you can talk to someone now" in text and "call 911" in text and "988" in text


# -- survey results ------------------------------------------------------------------------------


def _survey_eval(tmp_path: Path, rows: list[list[str]], min_group: int = 5):  # type: ignore[no-untyped-def]
    import csv

    from builder.evaluate import Source, evaluate
    from builder.model.load import load_project

    f = tmp_path / "surveys.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    project, _ = load_project(REPO, cache=False)
    assert project is not None
    return evaluate(project, [Source.parse(str(f))], min_group=min_group)


def test_survey_results_are_summarised(tmp_path: Path) -> None:
    from tests.evaluate.synthetic import survey_rows

    surveys, _ = load_surveys(REPO)
    assert surveys is not None
    rows = survey_rows(surveys, n=30, seed=1, shift=1.2)
    ev = _survey_eval(tmp_path, rows)
    assert not ev.failed and ev.analysis is None and not ev.empty
    conf = next(s for s in ev.surveys if s.survey.id == "confidence")
    assert conf.respondents == {"before": 30, "after": 30}
    c1 = {i.phase: i for i in conf.items if i.item == "C1"}
    assert sum(c1["before"].counts) == 30 and c1["after"].mean > c1["before"].mean  # type: ignore[operator]
    fb = next(s for s in ev.surveys if s.survey.id == "feedback")
    texts = [i for i in fb.items if i.type == "text" and not i.suppressed]
    assert texts and all(i.comments == sorted(i.comments, key=lambda t: (t.casefold(), t)) for i in texts)


def test_few_answers_are_left_out(tmp_path: Path) -> None:
    head = ["survey", "phase", "group", "F1", "F7"]
    rows = [head] + [["feedback", "after", "", "4", "Only I wrote this" if i == 0 else ""] for i in range(6)]
    ev = _survey_eval(tmp_path, rows)
    fb = ev.surveys[0]
    f1 = next(i for i in fb.items if i.item == "F1")
    f7 = next(i for i in fb.items if i.item == "F7")
    assert not f1.suppressed and f1.counts[3] == 6
    assert f7.suppressed and f7.comments == []
    assert any("F7" in s for s in ev.survey_suppressed)
    from builder.evaluate.report import render_html
    from builder.model.load import load_project

    project, _ = load_project(REPO, cache=False)
    assert project is not None
    html = render_html(project, ev, "2026-12-06")
    assert "Only I wrote this" not in html and "fewer than 5" in html


def test_bad_survey_answers(tmp_path: Path) -> None:
    rows = [["survey", "phase", "group", "C1", "C2", "Z9"],
            ["confidence", "before", "", "7", "Very", "x"],
            ["nosuch", "before", "", "1", "1", ""],
            ["confidence", "during", "", "1", "1", ""]]
    ev = _survey_eval(tmp_path, rows)
    assert ev.failed
    got = sorted((d.code, d.where.line, d.where.col) for d in ev.diagnostics)
    assert got == [("eval.survey-answer", 2, 4), ("eval.survey-answer", 4, 2), ("eval.survey-unknown", 1, 6),
                   ("eval.survey-unknown", 3, 1)]


def test_canvas_survey_student_analysis(tmp_path: Path) -> None:
    """An anonymous Canvas survey made from our QTI package: no name or id columns, question
    headers "<id>: <stem> <item>", answers as Canvas writes them (level words; several
    options joined by commas, a comma inside one written as \\,)."""
    import csv

    from builder.evaluate import Source, evaluate
    from builder.model.load import load_project

    surveys, _ = load_surveys(REPO)
    assert surveys is not None
    conf = surveys.survey("confidence")
    needs = surveys.survey("needs")
    assert conf is not None and needs is not None
    levels = surveys.scales["confidence"]
    head = ["section", "section_id", "submitted"]
    for k, it in enumerate(conf.items):
        head += [f"{900 + k}: {conf.stem} {it.text}", "0.0"]
    head += ["n correct", "n incorrect", "score"]
    rows = [head]
    for i in range(12):
        row = ["Section 1", "7", "2026-12-06 16:40:00 UTC"]
        for k, _ in enumerate(conf.items):
            row += [levels[(i + k) % 5], ""]
        rows.append([*row, "0", "0", "0"])
    f = tmp_path / "confidence-after.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    project, _ = load_project(REPO, cache=False)
    assert project is not None
    ev = evaluate(project, [Source.parse(str(f))])
    assert not ev.failed, [d.format() for d in ev.diagnostics]
    (summary,) = ev.surveys
    assert summary.survey.id == "confidence" and summary.respondents == {"after": 12}
    c1 = next(i for i in summary.items if i.item == "C1")
    assert sum(c1.counts) == 12 and c1.counts == [3, 3, 2, 2, 2]
    # A choice item with several options ticked, one of them holding a comma.
    n1 = next(it for it in needs.items if it.id == "N1")
    cell = ",".join(o.replace(",", "\\,") for o in n1.options[:2])
    rows = [["section", "submitted", f"1: {n1.text}", "0.0", "n correct", "n incorrect", "score"]]
    rows += [["", "x", cell, "", "0", "0", "0"] for _ in range(6)]
    g = tmp_path / "needs-before.csv"
    with g.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    ev = evaluate(project, [Source.parse(str(g))])
    assert not ev.failed, [d.format() for d in ev.diagnostics]
    item = next(i for i in ev.surveys[0].items if i.item == "N1")
    assert item.counts[:2] == [6, 6] and sum(item.counts) == 12
