"""Every export of the fixture bank and form passes the independent checkers."""

from __future__ import annotations

import pytest

from builder.render.quiz import FORMATS
from builder.render.quiz.common import Collection, Export
from tests.render.quiz import checkers
from tests.render.quiz.conftest import one_file

COLLECTIONS = ["fixture-course", "fixture-course-form-pre-post"]


def check(fmt: str, export: Export) -> list[str]:
    """All problems the independent checkers find in one format's export."""
    problems: list[str] = []
    for data in export.files.values():
        if fmt == "moodle":
            problems += checkers.check_moodle_xml(data)
        elif fmt == "qti12":
            problems += checkers.check_qti12_zip(data)
        elif fmt == "qti21":
            problems += checkers.check_qti21_zip(data)
        elif fmt == "cc11":
            problems += checkers.check_cc11(data)
        elif fmt == "aiken":
            problems += checkers.read_aiken(data.decode("utf-8"))[1]
        elif fmt == "gift":
            result = checkers.parse_gift([data.decode("utf-8")])[0]
            if not result["ok"]:
                problems.append(f"gift-pegjs: line {result['line']}:{result['column']}: {result['message']}")
    return problems


@pytest.mark.parametrize("coll", COLLECTIONS)
@pytest.mark.parametrize("fmt", ["moodle", "gift", "aiken", "qti12", "qti21", "cc11"])
def test_export_passes_independent_checks(exports: dict, fmt: str, coll: str) -> None:
    export = exports[(coll, fmt)]
    assert export.files
    assert check(fmt, export) == []


def test_every_format_is_checked() -> None:
    # A new format must come with a checker above (json/csv are read back in their own tests).
    assert set(FORMATS) == {"moodle", "gift", "aiken", "qti12", "qti21", "cc11", "json", "csv"}


def test_moodle_has_a_category_per_module_and_every_type(exports: dict, bank: Collection) -> None:
    from lxml import etree

    doc = etree.fromstring(one_file(exports[("fixture-course", "moodle")]))
    cats = [c.text for c in doc.iterfind("question/category/text")]
    assert cats == ["$course$/Fixture Course/M1: First steps", "$course$/Fixture Course/M2: Second steps"]
    types = [q.get("type") for q in doc.iterfind("question") if q.get("type") != "category"]
    assert types == ["multichoice", "multichoice", "truefalse", "shortanswer", "matching", "ordering",
                     "essay", "multichoice", "truefalse"]
    assert [q.findtext("idnumber") for q in doc.iterfind("question") if q.get("type") != "category"] == \
        [i.ident for i in bank.items()]
    multi = doc.find("question[idnumber='M1.Q02']")
    assert [a.get("fraction") for a in multi.iterfind("answer")] == ["50", "-100", "50"]
    essay = doc.find("question[idnumber='M1.Q07']")
    assert "giving full attention" in essay.findtext("graderinfo/text")
    assert essay.findtext("defaultgrade") == "2"


def test_moodle_feedback_per_answer_and_general(exports: dict) -> None:
    from lxml import etree

    doc = etree.fromstring(one_file(exports[("fixture-course", "moodle")]))
    q = doc.find("question[idnumber='M1.Q01']")
    assert [a.findtext("feedback/text") for a in q.iterfind("answer")] == [
        "This can be answered with yes or no.", "It invites the person to say more.",
        "This leads the person to one answer."]
    assert q.findtext("generalfeedback/text") == "<p>Open questions invite people to talk.</p>"
    tf = doc.find("question[idnumber='M2.Q02']")
    assert [(a.findtext("text"), a.get("fraction")) for a in tf.iterfind("answer")] == [("true", "0"), ("false", "100")]
    assert tf.find("answer[text='false']").findtext("feedback/text") == "Right. Safety comes before secrecy."
    # Raw HTML the author typed is text, escaped once: never markup.
    stem = doc.find("question[idnumber='M2.Q01']").findtext("questiontext/text")
    assert "Use &lt;care&gt; &amp; \"quotes\"." in stem and "<care>" not in stem


def test_gift_parses_to_the_same_questions(exports: dict, bank: Collection) -> None:
    text = one_file(exports[("fixture-course", "gift")]).decode("utf-8")
    result = checkers.parse_gift([text])[0]
    assert result["ok"], result
    qs = [q for q in result["questions"] if q["type"] != "Category"]
    assert [q["id"] for q in qs] == [i.ident for i in bank.items()]
    assert [q["type"] for q in qs] == ["MC", "MC", "TF", "Short", "Matching", "Matching", "Essay", "MC", "TF"]
    by_id = {q["id"]: q for q in qs}
    # GIFT specials in option text survive escaping.
    opts = [c["text"]["text"] for c in by_id["M2.Q01"]["choices"]]
    assert opts[1] == '"Everyone feels like that {sometimes}."'
    assert [c["isCorrect"] for c in by_id["M2.Q01"]["choices"]] == [True, False]
    assert [c["weight"] for c in by_id["M1.Q02"]["choices"]] == [50, -100, 50]
    assert by_id["M2.Q02"]["isTrue"] is False
    assert [p["subanswer"] for p in by_id["M1.Q05"]["matchPairs"]] == [
        '"What was that like?"', '"You sound worried."', '"So far you have told me..."']
    assert "Model answer:" in by_id["M1.Q07"]["globalFeedback"]["text"]
    assert [c["text"]["text"] for c in by_id["M1.Q04"]["choices"]] == ["stigma", "stigmas"]


def test_aiken_keeps_single_answer_questions_and_lists_the_rest(exports: dict, bank: Collection) -> None:
    export = exports[("fixture-course", "aiken")]
    assert sorted(export.files) == ["fixture-course-M1-aiken.txt", "fixture-course-M2-aiken.txt",
                                    "fixture-course-aiken.txt"]
    read = {n: checkers.read_aiken(d.decode("utf-8"))[0] for n, d in export.files.items()}
    # The whole-course file is the module files, in module order, and nothing else.
    whole = read.pop("fixture-course-aiken.txt")
    assert whole == read["fixture-course-M1-aiken.txt"] + read["fixture-course-M2-aiken.txt"]
    m2 = read["fixture-course-M2-aiken.txt"]
    assert m2[0]["text"].startswith('A friend says "I can\'t cope".')
    assert m2[0]["answer"] == 0 and m2[1]["options"] == ["True", "False"] and m2[1]["answer"] == 1
    exported = 4
    dropped = {lo.qid for lo in export.losses if lo.what.startswith("not exported")}
    # Nothing silently dropped: every question is either in a file or in the loss table.
    assert sum(len(qs) for qs in read.values()) == exported
    assert dropped == {"M1.Q02", "M1.Q04", "M1.Q05", "M1.Q06", "M1.Q07"}
    assert exported + len(dropped) == len(bank.items())


def test_cc_true_false_idents_are_literal(exports: dict) -> None:
    from lxml import etree

    files = checkers.unzip(one_file(exports[("fixture-course", "cc11")]))
    doc = etree.fromstring(files["M2/assessment.xml"])
    item = next(i for i in doc.iter(f"{checkers.QTI1}item") if i.get("ident") == "M2.Q02")
    assert [lab.get("ident") for lab in item.iter(f"{checkers.QTI1}response_label")] == ["true", "false"]
    assert [v.text for v in item.iter(f"{checkers.QTI1}varequal")][-1] == "false"


def test_qti21_has_one_test_per_module_and_an_item_per_question(exports: dict, bank: Collection) -> None:
    files = checkers.unzip(one_file(exports[("fixture-course", "qti21")]))
    assert sorted(n for n in files if n.startswith("test-")) == ["test-M1.xml", "test-M2.xml"]
    assert sorted(n for n in files if n.startswith("items/")) == sorted(f"items/{i.ident}.xml" for i in bank.items())


def test_qti12_has_one_assessment_per_module(exports: dict) -> None:
    files = checkers.unzip(one_file(exports[("fixture-course", "qti12")]))
    assert sorted(files) == ["fixture-course-M1/assessment_meta.xml", "fixture-course-M1/fixture-course-M1.xml",
                             "fixture-course-M2/assessment_meta.xml", "fixture-course-M2/fixture-course-M2.xml",
                             "imsmanifest.xml"]


def test_json_is_lossless_and_csv_readable(exports: dict, minimal) -> None:
    import csv
    import io
    import json

    data = json.loads(one_file(exports[("fixture-course", "json")]))
    questions = [q["question"] for s in data["sections"] for q in s["questions"]]
    assert questions == [q.model_dump(mode="json", exclude_none=True) for _, q in minimal.all_questions()]
    text = one_file(exports[("fixture-course", "csv")]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [q.id for _, q in minimal.all_questions()]
    assert rows[1]["correct"] == "Nodding\nSummarising what you heard"
    assert rows[7]["stem"] == 'A friend says "I can\'t cope". What is a good first response? Use <care> & "quotes".'
