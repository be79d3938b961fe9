"""The readers: every layout gives the same answers for the same synthetic people, whatever the
column order, quoting, byte-order mark or "-" cells; bad files give diagnostics, not tracebacks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.evaluate.instrument import Instrument
from builder.evaluate.readers import Reading, paper_template, pseudonym, read_results
from builder.model.project import Project
from tests.evaluate import synthetic as syn

SALT = b"test-salt"


@pytest.fixture(scope="module")
def cohort(project: Project) -> syn.Cohort:
    return syn.simulate(project, n=12, seed=1, shift=0.8)


def _read(tmp_path: Path, inst: Instrument, data: bytes, name: str = "results-pre.csv",
          phase: str | None = "pre", variant: str | None = "A") -> Reading:
    path = tmp_path / name
    path.write_bytes(data)
    return read_results(path, name, inst, SALT, phase, variant)


def _expected(cohort: syn.Cohort, phase: str) -> dict[str, dict[str, float]]:
    inst = cohort.instrument
    return {p.email: {q: inst.questions[q].score(row[q]) for q in inst.questions}
            for p, row in zip(cohort.people, cohort.answers[phase], strict=True)}


def _scores(reading: Reading, cohort: syn.Cohort, key: str = "email") -> dict[str, dict[str, float]]:
    by_pid = {}
    for i, p in enumerate(cohort.people):
        ident = {"email": p.email, "canvas": str(p.canvas_id), "paper": f"P{i + 1:03d}"}[key]
        by_pid[pseudonym(SALT, ident)] = p.email
    return {by_pid[a.pid]: {q: ans.score for q, ans in a.answers.items()} for a in reading.attempts}


def _approx(expected: dict[str, dict[str, float]], abs: float | None = None) -> dict[str, object]:
    """Nested dicts compared with a tolerance (pytest.approx takes one level only)."""
    return {k: pytest.approx(v, abs=abs) for k, v in expected.items()}


def _errors(reading: Reading) -> list[str]:
    return [d.format() for d in reading.diagnostics if d.severity == "error"]


def test_moodle_responses_with_right_answers(tmp_path: Path, cohort: syn.Cohort) -> None:
    r = _read(tmp_path, cohort.instrument, syn.moodle_responses(cohort, "pre", "A"))
    assert r.layout == "moodle-responses" and _errors(r) == [] and r.diagnostics == []
    assert _scores(r, cohort) == _approx(_expected(cohort, "pre"))
    # Choices are kept (for the option shares), as authored indices.
    q = next(iter(cohort.instrument.questions))
    assert all(a.answers[q].chosen is not None for a in r.attempts)


def test_moodle_question_text_places_questions_in_any_slot(tmp_path: Path, cohort: syn.Cohort) -> None:
    slots = sorted(cohort.instrument.questions)  # a quiz built by hand, in id order
    rows = syn.moodle_responses_rows(cohort, "pre", "A", right=False, text=True, slots=slots)
    r = _read(tmp_path, cohort.instrument, _write(rows, False, True))
    assert r.diagnostics == []  # every slot placed by its text: no position warning
    assert _scores(r, cohort) == _approx(_expected(cohort, "pre"))
    rows = syn.moodle_responses_rows(cohort, "pre", "A", right=True, slots=slots)
    r = _read(tmp_path, cohort.instrument, _write(rows, False, True))
    assert _scores(r, cohort) == _approx(_expected(cohort, "pre"))  # by right answer, where unique


def test_moodle_responses_without_texts_match_by_position(tmp_path: Path, cohort: syn.Cohort) -> None:
    r = _read(tmp_path, cohort.instrument, syn.moodle_responses(cohort, "post", "B", right=False), phase="post",
              variant="B")
    assert [d.code for d in r.diagnostics] == ["eval.by-position"]
    assert _scores(r, cohort) == _approx(_expected(cohort, "post"))


def test_moodle_grades_csv_and_excel(tmp_path: Path, cohort: syn.Cohort) -> None:
    r = _read(tmp_path, cohort.instrument, syn.moodle_grades_csv(cohort, "pre", "A"))
    assert r.layout == "moodle-grades" and _errors(r) == []
    # Moodle writes marks with the quiz's decimal places (2 by default): 0.67 for 2/3.
    assert _scores(r, cohort) == _approx(_expected(cohort, "pre"), abs=0.005)
    assert any("Overall average" in n for n in r.notes)  # Moodle's footer row, said, not read
    path = tmp_path / "grades-pre.xlsx"
    syn.moodle_grades_xlsx(cohort, "pre", "A", path)
    x = read_results(path, path.name, cohort.instrument, SALT, "pre", "A")
    assert x.layout == "moodle-grades" and _errors(x) == []
    assert _scores(x, cohort) == _approx(_expected(cohort, "pre"), abs=0.005)
    assert x.attempts[0].where.line == 2  # the worksheet row


def test_canvas_student_analysis(tmp_path: Path, cohort: syn.Cohort) -> None:
    r = _read(tmp_path, cohort.instrument, syn.canvas_student_analysis(cohort, "post", "B"), phase="post",
              variant="B")
    assert r.layout == "canvas" and r.diagnostics == []
    assert _scores(r, cohort, "canvas") == _approx(_expected(cohort, "post"))
    assert {a.group for a in r.attempts} == {"Section 1", "Section 2"}


def test_paper_template(tmp_path: Path, cohort: syn.Cohort) -> None:
    r = _read(tmp_path, cohort.instrument, syn.paper(cohort, "post", "B"), name="paper.csv", phase=None,
              variant=None)
    assert r.layout == "paper" and r.diagnostics == []
    assert {a.phase for a in r.attempts} == {"post"} and {a.variant for a in r.attempts} == {"B"}
    assert _scores(r, cohort, "paper") == _approx(_expected(cohort, "post"))
    header = paper_template(cohort.instrument).strip().split(",")
    assert header[:4] == ["participant", "phase", "variant", "group"]


# -- property tests: column order, quoting, BOM, "-" ---------------------------------------


def _write(rows: list[list[str]], quote_all: bool, bom: bool, sep: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
               lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPS
@given(data=st.data(), quote_all=st.booleans(), bom=st.booleans(), sep=st.sampled_from([",", ";", "\t"]))
def test_moodle_any_column_order(tmp_path: Path, cohort: syn.Cohort, data: st.DataObject, quote_all: bool,
                                 bom: bool, sep: str) -> None:
    rows = _rows(syn.moodle_responses(cohort, "pre", "A"))
    order = data.draw(st.permutations(range(len(rows[0]))))
    n = len(cohort.instrument.questions)
    blank = data.draw(st.sets(st.tuples(st.integers(1, len(rows) - 1), st.integers(1, n)), max_size=15))
    expected = _expected(cohort, "pre")
    head = rows[0]
    for r, k in blank:
        col = head.index(f"Response {k}") if f"Response {k}" in head else None
        if col is None:
            continue
        rows[r][col] = "-"
        qid = cohort.instrument.by_number["A"][k]
        expected[rows[r][2]][qid] = 0.0
    shuffled = [[row[i] for i in order] for row in rows]
    reading = _read(tmp_path, cohort.instrument, _write(shuffled, quote_all, bom, sep))
    assert _errors(reading) == []
    assert _scores(reading, cohort) == _approx(expected)


@PROPS
@given(data=st.data(), quote_all=st.booleans(), bom=st.booleans())
def test_canvas_any_question_order(tmp_path: Path, cohort: syn.Cohort, data: st.DataObject, quote_all: bool,
                                   bom: bool) -> None:
    rows = _rows(syn.canvas_student_analysis(cohort, "post", "B"))
    head = rows[0]
    first_q = 8
    last = len(head) - 3
    pairs = list(range(first_q, last, 2))
    order = data.draw(st.permutations(pairs))
    cols = list(range(first_q)) + [c for p in order for c in (p, p + 1)] + list(range(last, len(head)))
    shuffled = [[row[i] for i in cols] for row in rows]
    reading = _read(tmp_path, cohort.instrument, _write(shuffled, quote_all, bom), phase="post", variant="B")
    assert reading.diagnostics == []
    assert _scores(reading, cohort, "canvas") == _approx(_expected(cohort, "post"))


@PROPS
@given(data=st.data(), quote_all=st.booleans(), bom=st.booleans(), joiner=st.sampled_from(["", " ", ",", ";"]))
def test_paper_any_column_order_and_letter_style(tmp_path: Path, cohort: syn.Cohort, data: st.DataObject,
                                                 quote_all: bool, bom: bool, joiner: str) -> None:
    rows = _rows(syn.paper(cohort, "pre", "A"))
    for row in rows[1:]:
        for i in range(4, len(row)):
            row[i] = joiner.join(row[i].split(" "))
            if data.draw(st.booleans(), label="lower case") and row[i]:
                row[i] = row[i].lower()
    order = data.draw(st.permutations(range(len(rows[0]))))
    shuffled = [[row[i] for i in order] for row in rows]
    reading = _read(tmp_path, cohort.instrument, _write(shuffled, quote_all, bom), name="paper.csv", phase=None,
                    variant=None)
    assert reading.diagnostics == []
    assert _scores(reading, cohort, "paper") == _approx(_expected(cohort, "pre"))


# -- bad input ----------------------------------------------------------------------------------


def _codes(reading: Reading) -> list[str]:
    return [d.code for d in reading.diagnostics]


def test_wrong_encoding_points_at_the_byte(tmp_path: Path, inst: Instrument) -> None:
    data = "Surname,First name,Email address,State\nM\u00fcller,Ana,a@example.org,Finished\n".encode("latin-1")
    r = _read(tmp_path, inst, data)
    assert _codes(r) == ["eval.encoding"]
    assert (r.diagnostics[0].where.line, r.diagnostics[0].where.col) == (2, 2)
    assert "UTF-8" in (r.diagnostics[0].hint or "")


def test_utf16_is_named(tmp_path: Path, inst: Instrument) -> None:
    r = _read(tmp_path, inst, "Surname,Email address\n".encode("utf-16"))
    assert _codes(r) == ["eval.encoding"] and "UTF-16" in r.diagnostics[0].message


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, inst: Instrument, data: bytes) -> None:
    assert _codes(_read(tmp_path, inst, data)) == ["eval.empty"]


def test_headings_without_rows(tmp_path: Path, cohort: syn.Cohort) -> None:
    head = syn.moodle_responses(cohort, "pre", "A").split(b"\n")[0] + b"\n"
    assert _codes(_read(tmp_path, cohort.instrument, head)) == ["eval.no-rows"]


def test_unknown_layout(tmp_path: Path, inst: Instrument) -> None:
    r = _read(tmp_path, inst, b"a,b,c\n1,2,3\n")
    assert _codes(r) == ["eval.layout"] and r.diagnostics[0].hint


def test_missing_identity_column(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.moodle_responses(cohort, "pre", "A"))
    rows = [row[:2] + row[3:] for row in rows]  # without "Email address"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False))
    assert _codes(r) == ["eval.missing-column"] and r.attempts == []


def test_duplicate_participant(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.moodle_responses(cohort, "pre", "A"))
    rows.append(rows[3])
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False))
    dup = [d for d in r.diagnostics if d.code == "eval.duplicate"]
    assert len(dup) == 1 and dup[0].where.line == len(rows) and "line 4" in dup[0].message


def test_mark_out_of_range(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.moodle_grades_csv(cohort, "pre", "A"))
    col = rows[0].index("Q. 3 /1.00")
    rows[2][col] = "1.50"
    rows[5][col] = "abc"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False))
    bad = [d for d in r.diagnostics if d.code == "eval.range"]
    assert [(d.where.line, d.where.col) for d in bad] == [(3, col + 1), (6, col + 1)]


def test_moodle_not_yet_graded_is_a_warning(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.moodle_grades_csv(cohort, "pre", "A"))
    col = rows[0].index("Q. 4 /1.00")
    rows[3][col] = "Requires grading"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False))
    assert [(d.code, d.severity, d.where.line) for d in r.diagnostics if d.code != "eval.by-position"] == [
        ("eval.skipped", "warning", 4)]


def test_canvas_points_out_of_range(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.canvas_student_analysis(cohort, "post", "B"))
    rows[1][9] = "7"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False), phase="post", variant="B")
    assert [(d.code, d.where.line, d.where.col) for d in r.diagnostics] == [("eval.range", 2, 10)]


def test_paper_letter_not_on_the_paper(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.paper(cohort, "pre", "A"))
    rows[1][5] = "Z"
    rows[2][6] = "maybe"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False), name="paper.csv", phase=None, variant=None)
    assert [(d.code, d.where.line, d.where.col) for d in r.diagnostics] == [("eval.range", 2, 6),
                                                                           ("eval.range", 3, 7)]


def test_unmappable_columns_are_reported(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.canvas_student_analysis(cohort, "post", "B"))
    rows[0][8] = "5000: A question that is not in the course at all, edited in Canvas"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False), phase="post", variant="B")
    assert [(d.code, d.where.line, d.where.col) for d in r.diagnostics] == [("eval.unmapped", 1, 9)]
    paper_rows = _rows(syn.paper(cohort, "pre", "A"))
    paper_rows[0][4] = "M9.Q99"
    r = _read(tmp_path, cohort.instrument, _write(paper_rows, False, False), name="paper.csv", phase=None,
              variant=None)
    assert [(d.code, d.where.col) for d in r.diagnostics] == [("eval.unmapped", 5)]


def test_unfinished_attempts_and_stray_cells_are_reported(tmp_path: Path, cohort: syn.Cohort) -> None:
    rows = _rows(syn.moodle_grades_csv(cohort, "pre", "A"))
    rows[2][3] = "In progress"
    rows[4].append("stray")
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False))
    assert sorted((d.code, d.where.line) for d in r.diagnostics) == [
        ("eval.by-position", 1), ("eval.skipped", 3), ("eval.unnamed-cells", 5)]
    assert len(r.attempts) == len(cohort.people) - 1


def test_a_one_variant_form_needs_no_variant(tmp_path: Path, project: Project) -> None:
    from builder.evaluate.instrument import instrument
    from builder.model.forms import find_form

    form = find_form(project, "refresher")
    assert form is not None and form.variants == ["A"]
    cohort = syn.simulate(project, n=8, seed=2, form_id="refresher")
    r = _read(tmp_path, instrument(project, form), syn.moodle_responses(cohort, "post", "A"), phase="post",
              variant=None)
    assert _errors(r) == [] and {a.variant for a in r.attempts} == {"A"}
    assert _scores(r, cohort) == _approx(_expected(cohort, "post"))


# -- the texts the LMS shows come from our own exports ------------------------------------------


def _strip_tags(html: str) -> str:
    """What Rails' strip_tags leaves (Canvas's Student Analysis headers): tags gone, nothing
    put in their place, entities as they were."""
    import re

    return re.sub(r"<[^>]+>", "", html)


def test_canvas_headers_from_our_qti_export(tmp_path: Path, project: Project, cohort: syn.Cohort) -> None:
    import zipfile

    from lxml import etree

    from builder.model.forms import find_form
    from builder.render.quiz import form_collection
    from builder.render.quiz.qti12 import export

    form = find_form(project, "pre-post")
    assert form is not None
    package = export(form_collection(project, form)).files
    (data,) = package.values()
    texts: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.endswith(".xml") or name == "imsmanifest.xml":
                continue
            root = etree.fromstring(z.read(name))
            for item in root.iter("{*}item"):
                ident = item.get("ident", "")
                if ident.startswith("B."):
                    mattext = item.find("{*}presentation/{*}material/{*}mattext")
                    assert mattext is not None
                    texts[ident[2:]] = _strip_tags(mattext.text or "")
    assert set(texts) == set(cohort.instrument.questions)
    rows = _rows(syn.canvas_student_analysis(cohort, "post", "B"))
    numbered = cohort.instrument.by_number["B"]
    for k in range(len(numbered)):
        col = 8 + 2 * k
        rows[0][col] = f"{5000 + k}: {texts[numbered[k + 1]]}"
    r = _read(tmp_path, cohort.instrument, _write(rows, False, False), phase="post", variant="B")
    assert r.diagnostics == []
    assert _scores(r, cohort, "canvas") == _approx(_expected(cohort, "post"))


def test_moodle_texts_from_our_moodle_export(tmp_path: Path, project: Project, cohort: syn.Cohort) -> None:
    """Moodle shows question text and right answers through html_to_text, which writes bold
    words in capitals: the reader still finds every question by text, in any slot order."""
    import html as htmlmod
    import re

    from lxml import etree

    from builder.model.forms import find_form
    from builder.render.quiz import form_collection
    from builder.render.quiz.moodle import export

    def html_to_text(fragment: str) -> str:
        fragment = re.sub(r"<(strong|b)>(.*?)</\1>", lambda m: m.group(2).upper(), fragment, flags=re.S)
        return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    form = find_form(project, "pre-post")
    assert form is not None
    (xml,) = export(form_collection(project, form)).files.values()
    qtext: dict[str, str] = {}
    for q in etree.fromstring(xml).iter("question"):
        ident = q.findtext("idnumber") or ""
        if ident.startswith("A."):
            qtext[ident[2:]] = html_to_text(q.findtext("questiontext/text") or "")
    slots = sorted(cohort.instrument.questions, reverse=True)
    rows = syn.moodle_responses_rows(cohort, "pre", "A", right=False, text=True, slots=slots)
    head = rows[0]
    for k, qid in enumerate(slots, start=1):
        col = head.index(f"Question {k}")
        for row in rows[1:]:
            row[col] = qtext[qid]
    r = _read(tmp_path, cohort.instrument, _write(rows, False, True))
    assert r.diagnostics == []
    assert _scores(r, cohort) == _approx(_expected(cohort, "pre"))


def test_pseudonyms_ignore_case_spaces_and_spreadsheet_decimals() -> None:
    assert pseudonym(SALT, " Ana@Example.org ") == pseudonym(SALT, "ana@example.org")
    assert pseudonym(SALT, "1001.0") == pseudonym(SALT, "1001")
    assert pseudonym(SALT, "1001") != pseudonym(b"other", "1001")
    assert pseudonym(SALT, "1001") != pseudonym(SALT, "1002")
