"""Peers' corpora: Moodle's own GIFT, Aiken and Moodle XML fixtures (tests/vendor/moodle-qformat),
files nobody on this project wrote. Every question is either imported with the right answers
or listed as not importable with its line; none disappears."""

from __future__ import annotations

from pathlib import Path

from builder.importers import aiken, gift, moodle_xml

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "moodle-qformat"


def _gift(name: str):  # type: ignore[no-untyped-def]
    return gift.read((VENDOR / "gift" / name).read_text(encoding="utf-8"), name)


def _count_gift_questions(name: str) -> int:
    """Questions in a GIFT file, counted independently of the reader: blocks with a `{`
    that are not only comments or a category line."""
    text = (VENDOR / "gift" / name).read_text(encoding="utf-8")
    n = 0
    for block in text.split("\n\n"):
        lines = [x for x in block.splitlines() if x.strip() and not x.lstrip().startswith("//")]
        if lines and not lines[0].startswith("$CATEGORY") and "{" in "\n".join(lines):
            n += 1
    return n


def test_moodle_gift_fixture_every_question_accounted_for() -> None:
    r = _gift("questions.gift.txt")
    assert r.diagnostics == []
    assert len(r.drafts) + len(r.skipped) == _count_gift_questions("questions.gift.txt") == 9
    assert [(s.where.line, s.kind, s.name) for s in r.skipped] == [(31, "numerical", "Q5")]
    by_name = {d.name: d for d in r.drafts}
    assert by_name["Q8"].data["type"] == "reflection"
    match = by_name["Moodle activities"].data
    assert match["type"] == "matching"
    assert [(p["left"], p["right"]) for p in match["pairs"]][:2] == [
        ("An activity supporting asynchronous discussions.", "Forum"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice")]
    assert match["distractors"] == ["Chat"]
    q2 = by_name["Q2"].data
    assert q2["type"] == "single"
    assert [o["text"] for o in q2["options"] if o.get("correct")] == ["yellow"]
    assert q2["options"][1]["feedback"] == "wrong, it's yellow"
    colours = by_name["colours"].data
    assert colours["type"] == "multiple"
    assert [o["text"] for o in colours["options"] if o.get("correct")] == ["yellow", "off-beige"]
    short = by_name["Shortanswer"].data
    assert short["accepted"] == ["Frog"]  # Cat gives 50 %: reported, not accepted
    assert short["feedback"] == {"correct": "Good!", "incorrect": "Completely wrong"}
    assert any("'Cat' gives 50% credit" in n.message for n in r.notes)
    q1 = by_name["Q1"].data
    assert q1["answer"] is False
    assert q1["feedback_true"] == "42 is the Ultimate Answer."  # Moodle: {F#wrong#right}
    assert q1["feedback_false"] == "You gave the right answer."
    assert q1["feedback"]["general"].startswith("This is, of course")
    assert [d.data["answer"] for d in r.drafts if d.name == "2-08 TSL"] == [True, True]


def test_moodle_gift_examples_file() -> None:
    r = _gift("examples.txt")
    assert r.diagnostics == []
    total = _count_gift_questions("examples.txt")
    assert len(r.drafts) + len(r.skipped) == total == 43
    # Every numerical question (8 in the file) is listed, none else.
    assert {s.kind for s in r.skipped} == {"numerical"} and len(r.skipped) == 8
    kinds = [d.data["type"] for d in r.drafts]
    assert kinds.count("matching") == 3 and kinds.count("true_false") == 5
    missing_word = r.drafts[1].data
    assert missing_word["stem"] == "Grant is \\_\\_\\_\\_\\_ in Grant's tomb."
    assert [o["text"] for o in missing_word["options"] if o.get("correct")] == ["entombed"]
    control = next(d for d in r.drafts if d.name == "GIFT Control Characters").data
    assert [o["text"] for o in control["options"]][:5] == ["~", "=", "\\#", "{", "}"]  # a lone # is a heading
    assert [o.get("correct", False) for o in control["options"]] == [False] * 5 + [True]
    assert next(d for d in r.drafts if "**Grant's tomb**" in d.data["stem"]).data["accepted"] == ["no one", "nobody"]


def test_moodle_gift_categories_become_tags() -> None:
    r = _gift("questions_in_category.gift.txt")
    assert r.diagnostics == [] and r.skipped == [] and len(r.drafts) == 4
    assert all(d.tags == ["category:Default for New Features"] for d in r.drafts)
    greeting = next(d for d in r.drafts if d.name == "Greeting").data
    assert "[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)" in greeting["stem"]
    acronym = next(d for d in r.drafts if d.name == "Moodle acronym").data
    assert acronym["answer"] is True and "Modular Object-Oriented" in acronym["stem"]


def test_moodle_aiken_fixtures() -> None:
    r = aiken.read((VENDOR / "aiken" / "questions.aiken.txt").read_text(encoding="utf-8"), "q.txt")
    assert r.diagnostics == []
    assert [[o["text"] for o in d.data["options"] if o.get("correct")] for d in r.drafts] == [
        ["Martin Dougiamas"], ["True"]]
    # Raw HTML in plain Aiken text stays text, never markup.
    assert "&lt;html class=\"cool\"> & images" in r.drafts[1].data["stem"]
    bad = aiken.read((VENDOR / "aiken" / "aiken_errors.txt").read_text(encoding="utf-8"), "e.txt")
    assert [d.data["stem"] for d in bad.drafts] == ["A good question", "A second good question"]
    assert [o["text"] for o in bad.drafts[1].data["options"] if o.get("correct")] == ["Correct (No space)"]
    assert [(str(d.where), d.code) for d in bad.diagnostics] == [
        ("e.txt:1:1", "import.syntax"), ("e.txt:5:1", "import.syntax"), ("e.txt:14:1", "import.syntax")]


def test_moodle_xml_fixtures() -> None:
    r = moodle_xml.read((VENDOR / "xml" / "nested_categories_with_questions.xml").read_bytes(), "n.xml")
    assert r.diagnostics == [] and r.skipped == []
    assert [(d.name, d.data["type"]) for d in r.drafts] == [
        ("Iota Question", "true_false"), ("Kappa Essay Question", "reflection"),
        ("Kappa Question", "true_false"), ("Lambda Question", "true_false"), ("Mu Question", "true_false")]
    assert r.drafts[3].tags == ["category:Iota/Kappa/Lambda"]
    assert all(d.data.get("answer", True) is True for d in r.drafts)
    assert r.drafts[1].data["lines"] == 10
    cloze = moodle_xml.read((VENDOR / "xml" / "broken_cloze_questions.xml").read_bytes(), "c.xml")
    assert cloze.drafts == [] and cloze.diagnostics == []
    assert [(s.where.line, s.kind) for s in cloze.skipped] == [(4, "cloze"), (20, "cloze"), (36, "cloze"),
                                                                (52, "cloze"), (68, "cloze")]
    old = moodle_xml.read((VENDOR / "xml" / "old_format_file.xml").read_bytes(), "o.xml")
    assert [d.tags for d in old.drafts] == [["category:Pi"], ["category:Pi/Rho"]]


def test_text2qti_canvas_package() -> None:
    """A QTI 1.2 zip written by text2qti (a peer tool) from its README's examples."""
    from builder.importers import qti12

    zip_path = Path(__file__).resolve().parents[1] / "vendor" / "text2qti" / "readme-examples.zip"
    r = qti12.read(zip_path.read_bytes(), "t.zip", None)
    assert r.diagnostics == []
    assert len(r.drafts) + len(r.skipped) == 8  # seven questions and one text region
    assert sorted(s.kind for s in r.skipped) == ["file_upload_question", "numerical_question",
                                                 "numerical_question", "text_only_question"]
    single, multiple, short, essay = (d.data for d in r.drafts)
    assert single["type"] == "single" and single["stem"] == "What is 2+3?" and single["points"] == 2
    assert [o["text"] for o in single["options"] if o.get("correct")] == ["5"]
    assert single["feedback"] == {"general": "General question feedback.", "correct": "Feedback for correct answer.",
                                  "incorrect": "Feedback for incorrect answer."}
    assert all(o["feedback"] == "Feedback for this particular answer." for o in single["options"])
    assert [o["text"] for o in multiple["options"] if o.get("correct")] == ["Tyrannosaurus rex", "Triceratops"]
    assert short["accepted"] == ["Santa", "Santa Claus", "Father Christmas", "Saint Nicholas", "Saint Nick"]
    assert essay["type"] == "reflection" and essay["feedback"] == {"general": "General question feedback."}
    assert all(d.tags == ["category:Addition"] for d in r.drafts)


def test_gift_reader_agrees_with_gift_pegjs_on_moodles_files() -> None:
    """A second, independent parser of the same peer files: gift-pegjs (npm, MIT), which the
    export tests already use. Question by question, in file order, both parsers find the same
    questions, of the same kind, with the same correct answers."""
    from tests.render.quiz.checkers import parse_gift

    # (gift-pegjs stops at line 31 of questions.gift.txt, `{#3:2~#Completely wrong}`, a numerical
    # answer with "any other answer" feedback that Moodle accepts; we list it as numerical.)
    names = ["examples.txt", "questions_in_category.gift.txt"]
    theirs = parse_gift([(VENDOR / "gift" / n).read_text(encoding="utf-8") for n in names])
    kinds = {"MC": {"single", "multiple"}, "TF": {"true_false"}, "Short": {"short_answer"},
             "Matching": {"matching"}, "Essay": {"reflection"}, "Numerical": {"numerical"}}
    compared = 0
    for name, parsed in zip(names, theirs, strict=True):
        assert parsed["ok"], parsed
        peer = [q for q in parsed["questions"] if q["type"] not in ("Category", "Description")]
        ours = _gift(name)
        mine = sorted([(d.where.line, d.data["type"], d.data) for d in ours.drafts]
                      + [(s.where.line, s.kind, None) for s in ours.skipped], key=lambda x: x[0])
        assert len(mine) == len(peer), name
        for (_, kind, data), q in zip(mine, peer, strict=True):
            assert kind in kinds[q["type"]], (name, q)
            compared += 1
            if data is None:
                continue
            choices = q.get("choices") or []
            if kind == "single":
                assert [bool(o.get("correct")) for o in data["options"]] == [c["isCorrect"] for c in choices]
            elif kind == "multiple":
                assert [bool(o.get("correct")) for o in data["options"]] == [(c["weight"] or 0) > 0 for c in choices]
            elif kind == "true_false":
                assert data["answer"] == q["isTrue"]
            elif kind == "short_answer":
                full = [c for c in choices if c["weight"] in (None, 100)]
                assert len(data["accepted"]) == len(full)
            elif kind == "matching":
                pairs = [p for p in q["matchPairs"] if p["subquestion"]["text"]]
                assert [p["right"] for p in data["pairs"]] == [p["subanswer"] for p in pairs]
    assert compared == 43 + 4
