"""`course import` end to end on a copy of the fixture course, and bad input: path:line:col
diagnostics, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import course_copy, run_cli

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "moodle-qformat"
BANK = "quizzes/01-first-steps.yaml"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    return course_copy(tmp_path)


def test_import_appends_and_course_check_accepts(root: Path) -> None:
    before = (root / BANK).read_text(encoding="utf-8")
    run = run_cli("import", str(VENDOR / "gift" / "questions.gift.txt"), "--module", "M1", "--root", str(root))
    assert run.code == 0, run.out + run.err
    after = (root / BANK).read_text(encoding="utf-8")
    assert after.startswith(before)  # every byte the author wrote is kept
    assert "questions.gift.txt:31:1: warning: numerical question 'Q5' not imported" in run.out
    assert "7 questions imported, 1 not importable" in run.out
    check = run_cli("check", "--root", str(root))
    assert check.code == 0, check.out
    assert check.out.count("[question.no-objective]") == 7
    # Importing the same file again adds nothing: every question is already there.
    again = run_cli("import", str(VENDOR / "gift" / "questions.gift.txt"), "--module", "M1", "--root", str(root))
    assert again.code == 0 and "0 questions imported" in again.out
    assert (root / BANK).read_text(encoding="utf-8") == after


def test_dry_run_and_out_write_nothing_to_the_bank(root: Path) -> None:
    before = (root / BANK).read_bytes()
    run = run_cli("import", str(VENDOR / "xml" / "nested_categories_with_questions.xml"), "--module", "M1",
                  "--root", str(root), "--dry-run")
    assert run.code == 0 and "category:Iota/Kappa" in run.out
    assert (root / BANK).read_bytes() == before
    out = run_cli("import", str(VENDOR / "xml" / "nested_categories_with_questions.xml"), "--module", "M1",
                  "--root", str(root), "--out", "build/review.yaml")
    assert out.code == 0, out.out + out.err
    assert (root / BANK).read_bytes() == before
    assert "module: M1" in (root / "build/review.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, data, expect", [
    ("bad.gift", b"::Q1:: What is it?\n{=yes ~no\n", "bad.gift:2:1: error: answer block `{` is not closed"),
    ("bad.gift", b"// comment\n\nWhat? {=a {=b}}\n", "bad.gift:3:11: error: `{` inside an answer block"),
    ("bad.gift", b"Just text, no answers\n", "bad.gift:1:1: error: question has no answer block"),
    ("latin1.gift", "Caf\u00e9?\n{=oui ~non}\n".encode("latin-1"),
     "latin1.gift:1:4: error: byte 0xe9 is not valid UTF-8 [import.encoding]"),
    ("utf16.gift", "Q? {=a ~b}".encode("utf-16"), "utf16.gift:1:1: error: file is UTF-16"),
    ("broken.xml", b"<?xml version='1.0'?>\n<quiz>\n<question type='truefalse'>\n</quiz>\n",
     "broken.xml:4:"),
    ("latin1.xml", b"<?xml version='1.0' encoding='UTF-8'?>\n<quiz>\n<question>caf\xe9</question></quiz>",
     "latin1.xml:3:14: error: XML text is not in its encoding"),
    ("bomb.xml", b"<?xml version='1.0'?>\n<!DOCTYPE quiz [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>\n"
                 b"<quiz><question type='essay'><questiontext><text>&b;</text></questiontext></question></quiz>\n",
     "bomb.xml:2:1: error: XML with a DOCTYPE or entity declarations is refused"),
    ("xxe.xml", b"<?xml version='1.0'?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<quiz>&x;</quiz>\n",
     "xxe.xml:2:1: error: XML with a DOCTYPE"),
    ("other.xml", b"<html><body/></html>", "other.xml:1:1: error: cannot tell which question format"),
])
def test_bad_input_is_reported_and_nothing_is_written(root: Path, tmp_path: Path, name: str, data: bytes,
                                                      expect: str) -> None:
    before = (root / BANK).read_bytes()
    src = tmp_path / name
    src.write_bytes(data)
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 1, run.out
    assert any(line.startswith(str(src.parent / expect)) or expect in line for line in run.out.splitlines()), run.out
    assert "nothing was written" in run.err
    assert (root / BANK).read_bytes() == before
    assert not (root / "modules/01-first-steps/media").exists()


def test_huge_file_is_refused_before_reading(root: Path, tmp_path: Path) -> None:
    src = tmp_path / "huge.gift"
    with src.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 1 and "[import.too-large]" in run.out


def test_embedded_image_is_copied_and_linked(root: Path, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    import base64

    xml = ("<?xml version='1.0' encoding='UTF-8'?>\n<quiz>\n<question type='truefalse'>\n"
           "<name><text>Pic</text></name>\n<questiontext format='html'><text><![CDATA[<p>Is this a "
           "<img src=\"@@PLUGINFILE@@/logo%20one.png\" alt=\"logo\"> logo?</p>]]></text>\n"
           f"<file name='logo one.png' encoding='base64'>{base64.b64encode(png).decode()}</file></questiontext>\n"
           "<answer fraction='100'><text>true</text></answer><answer fraction='0'><text>false</text></answer>\n"
           "</question>\n</quiz>\n")
    src = tmp_path / "pic.xml"
    src.write_text(xml, encoding="utf-8")
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 0, run.out + run.err
    assert (root / "modules/01-first-steps/media/logo-one.png").read_bytes() == png
    assert "![logo](../modules/01-first-steps/media/logo-one.png)" in (root / BANK).read_text(encoding="utf-8")
    assert run_cli("check", "--root", str(root)).code == 0


def test_link_to_a_file_the_import_lacks_becomes_text(root: Path, tmp_path: Path) -> None:
    src = tmp_path / "links.gift"
    src.write_text("::Pic::[html]<p>Look: <img src\\=\"pics/chart.png\" alt\\=\"a chart\"> and "
                   "<a href\\=\"notes.pdf\">the notes</a></p>{T}\n", encoding="utf-8")
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 0, run.out + run.err
    assert "'pics/chart.png' is linked from 'Pic' but the import does not contain it" in run.out
    text = (root / BANK).read_text(encoding="utf-8")
    assert "(a chart: file not imported) and the notes" in text
    assert "chart.png" not in text and "notes.pdf" not in text


def test_check_errors_point_at_the_source_and_stop_the_import(root: Path, tmp_path: Path) -> None:
    """What `course check` would refuse in the bank is reported at the question's line in the
    source file; into the bank nothing is written, into --out (for review) it is a warning."""
    src = tmp_path / "links.gift"
    src.write_text("// first\n::Fine:: Is this fine?{T}\n\n::Linked::[html]See <a href\\=\"https://untrusted.example/x\">"
                   "this page</a>.{T}\n", encoding="utf-8")
    before = (root / BANK).read_bytes()
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 1
    assert f"{src}:4:1: error: link to 'untrusted.example'" in run.out
    assert "(question M1.Q09 as imported) [links.not-allowed]" in run.out
    assert (root / BANK).read_bytes() == before
    review = run_cli("import", str(src), "--module", "M1", "--root", str(root), "--out", "build/review.yaml")
    assert review.code == 0 and f"{src}:4:1: warning: link to 'untrusted.example'" in review.out
    assert (root / "build/review.yaml").is_file()


def test_a_module_without_a_bank_gets_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    root = course_copy(tmp_path, files={"quizzes/02-second-steps.yaml": None})
    run = run_cli("import", str(VENDOR / "aiken" / "questions.aiken.txt"), "--module", "M2", "--root", str(root))
    assert run.code == 0, run.out + run.err
    assert "wrote quizzes/02-second-steps.yaml" in run.out
    text = (root / "quizzes/02-second-steps.yaml").read_text(encoding="utf-8")
    assert "module: M2" in text and "id: M2.Q01" in text and "id: M2.Q02" in text
    assert run_cli("check", "--root", str(root)).code == 0


def test_a_bank_whose_questions_are_not_last_is_not_rewritten(root: Path) -> None:
    bank = root / BANK
    text = bank.read_text(encoding="utf-8")
    head, questions = text.split("questions:\n", 1)
    bank.write_text("questions:\n" + questions + head.replace("format: 1\n", ""), encoding="utf-8")
    before = bank.read_bytes()
    assert run_cli("check", "--root", str(root)).code == 0
    run = run_cli("import", str(VENDOR / "aiken" / "questions.aiken.txt"), "--module", "M1", "--root", str(root))
    assert run.code == 1 and "[import.target]" in run.out and "use --out" in run.out
    assert bank.read_bytes() == before


def test_unknown_module_is_a_usage_error(root: Path) -> None:
    run = run_cli("import", str(VENDOR / "aiken" / "questions.aiken.txt"), "--module", "M9", "--root", str(root))
    assert run.code == 2 and "no module 'M9'" in run.err


def test_canvas_zip_media_is_copied(root: Path, tmp_path: Path) -> None:
    """Canvas refers to files in its export as $IMS-CC-FILEBASE$/… under web_resources/."""
    import zipfile

    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 20
    item = ("<?xml version='1.0' encoding='UTF-8'?>\n"
            "<questestinterop xmlns='http://www.imsglobal.org/xsd/ims_qtiasiv1p2'>\n"
            "<assessment ident='a1' title='Week 1'><section ident='root_section'>\n"
            "<item ident='i1' title='Chart'><itemmetadata><qtimetadata><qtimetadatafield>"
            "<fieldlabel>question_type</fieldlabel><fieldentry>true_false_question</fieldentry>"
            "</qtimetadatafield></qtimetadata></itemmetadata>\n<presentation><material><mattext texttype='text/html'>"
            "&lt;p&gt;Is this a bar chart? &lt;img src=\"%24IMS-CC-FILEBASE%24/Uploaded%20Media/chart.png\" "
            "alt=\"the chart\"&gt;&lt;/p&gt;</mattext></material>\n"
            "<response_lid ident='response1' rcardinality='Single'>"
            "<render_choice><response_label ident='t'><material><mattext texttype='text/plain'>True</mattext>"
            "</material></response_label><response_label ident='f'><material><mattext texttype='text/plain'>False"
            "</mattext></material></response_label></render_choice></response_lid></presentation>\n"
            "<resprocessing><outcomes><decvar varname='SCORE'/></outcomes><respcondition continue='No'>"
            "<conditionvar><varequal respident='response1'>f</varequal></conditionvar>"
            "<setvar action='Set' varname='SCORE'>100</setvar></respcondition></resprocessing></item>\n"
            "</section></assessment></questestinterop>\n")
    manifest = ("<?xml version='1.0' encoding='UTF-8'?>\n<manifest xmlns='http://www.imsglobal.org/xsd/imsccv1p1/"
                "imscp_v1p1' identifier='m'><resources><resource identifier='a1' type='imsqti_xmlv1p2'>"
                "<file href='a1/a1.xml'/></resource></resources></manifest>\n")
    src = tmp_path / "canvas.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("a1/a1.xml", item)
        zf.writestr("web_resources/Uploaded Media/chart.png", png)
    run = run_cli("import", str(src), "--module", "M1", "--root", str(root))
    assert run.code == 0, run.out + run.err
    assert (root / "modules/01-first-steps/media/chart.png").read_bytes() == png
    text = (root / BANK).read_text(encoding="utf-8")
    assert "![the chart](../modules/01-first-steps/media/chart.png)" in text
    assert "answer: false" in text and "category:Week 1" in text
