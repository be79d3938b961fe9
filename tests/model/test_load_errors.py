"""Bad input gets a precise diagnostic, never a traceback: one case per diagnostic family."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.model import source
from tests.helpers import check_lines, course_copy, run_cli

MODULE = "modules/01-first-steps/module.yaml"
BANK = "quizzes/01-first-steps.yaml"
LESSON = "modules/01-first-steps/01-listening.md"


def fixture_text(rel: str) -> str:
    return (Path(__file__).parent.parent / "fixtures/curricula/minimal" / rel).read_text(encoding="utf-8")


def test_minimal_fixture_is_clean(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("check", "--root", str(root))
    assert run.code == 0
    assert run.lines == ["no problems in 13 files"]


def test_unknown_key_gets_did_you_mean_and_missing_key(tmp_path: Path) -> None:
    text = fixture_text(MODULE).replace("objectives:\n  - id: M1.O1", "objectivs:\n  - id: M1.O1", 1)
    root = course_copy(tmp_path, files={MODULE: text})
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    assert run.lines[:4] == [
        "modules/01-first-steps/module.yaml:1:1: error: missing required key 'objectives' [schema.missing]",
        "    hint: add `objectives:` here",
        "modules/01-first-steps/module.yaml:6:1: error: unknown key 'objectivs' [schema.unknown-key]",
        "    hint: did you mean `objectives`?",
    ]
    assert run.lines[-1] == "2 errors in 13 files"


def test_wrong_type_and_bad_id_pattern(tmp_path: Path) -> None:
    text = fixture_text(MODULE).replace("duration: 45", "duration: long").replace("id: M1.O2", "id: M1-O2")
    root = course_copy(tmp_path, files={MODULE: text})
    assert check_lines(root) == [
        "modules/01-first-steps/module.yaml:5:11: error: duration: expected a whole number, got 'long' [schema.type]",
        "modules/01-first-steps/module.yaml:9:9: error: objectives[2].id: 'M1-O2' is not an objective id like M4.O2 "
        "[schema.value]",
        "2 errors in 13 files",
    ]


def test_unknown_question_type_and_missing_type(tmp_path: Path) -> None:
    text = fixture_text(BANK).replace("type: single", "type: singel", 1).replace("    type: ordering\n", "", 1)
    root = course_copy(tmp_path, files={BANK: text})
    run = run_cli("check", "--root", str(root))
    assert run.lines == [
        "quizzes/01-first-steps.yaml:9:11: error: unknown question type 'singel' [schema.value]",
        "    hint: did you mean `single`?",
        "quizzes/01-first-steps.yaml:68:5: error: questions[6] has no 'type' [schema.missing]",
        "    hint: add `type:` with one of: single, multiple, true_false, short_answer, matching, ordering, reflection",
        "2 errors in 13 files",
    ]


def test_unknown_key_inside_a_question_suggests_its_own_fields(tmp_path: Path) -> None:
    text = fixture_text(BANK).replace("    accepted: [stigma, stigmas]", "    acepted: [stigma, stigmas]")
    root = course_copy(tmp_path, files={BANK: text})
    run = run_cli("check", "--root", str(root))
    assert "quizzes/01-first-steps.yaml:52:5: error: unknown key 'acepted' [schema.unknown-key]" in run.lines
    assert "    hint: did you mean `accepted`?" in run.lines
    assert "quizzes/01-first-steps.yaml:47:5: error: missing required key 'accepted' in questions[4] " \
           "[schema.missing]" in run.lines


def test_malformed_yaml_points_at_line_and_column(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={MODULE: "id: M1\ntitle: [unclosed\nsummary: x\n"})
    assert check_lines(root) == [
        "modules/01-first-steps/module.yaml:3:8: error: YAML syntax: did not find expected ',' or ']' "
        "(while parsing a flow sequence) [yaml.syntax]",
        "1 error in 13 files",
    ]


def test_duplicate_key_and_unsupported_tag(tmp_path: Path) -> None:
    text = fixture_text(MODULE).replace("duration: 45", "duration: 45\nduration: 50")
    root = course_copy(tmp_path, files={MODULE: text,
                                        "curriculum/glossary.yaml": "terms: !!python/object:os.system {}\n"})
    assert check_lines(root) == [
        "curriculum/glossary.yaml:1:8: error: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system' "
        "[yaml.tag]",
        "modules/01-first-steps/module.yaml:6:1: error: key 'duration' appears twice in this mapping "
        "[yaml.duplicate-key]",
        "2 errors in 13 files",
    ]


def test_not_utf8_empty_and_binary_files(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={
        MODULE: "id: M1\ntitle: Caf\xe9\n".encode("latin-1"),
        BANK: "   \n",
        "quizzes/02-second-steps.yaml": b"\x89PNG\r\n\x1a\n\x00\x00",
    })
    assert check_lines(root) == [
        "modules/01-first-steps/module.yaml:2:11: error: byte 0xe9 is not valid UTF-8 [file.encoding]",
        "quizzes/01-first-steps.yaml:1:1: error: file is empty [file.empty]",
        "quizzes/02-second-steps.yaml:1:1: error: file is binary, not text [file.binary]",
        "3 errors in 13 files",
    ]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    root = course_copy(tmp_path, files={"curriculum/glossary.yaml": bomb})
    lines = check_lines(root)
    assert lines[0].startswith("curriculum/glossary.yaml:")
    assert lines[0].endswith("error: document expands to more than 200,000 values [yaml.limit]")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={"curriculum/glossary.yaml": "terms: " + "[" * 60 + "]" * 60 + "\n"})
    assert check_lines(root)[0] == (
        "curriculum/glossary.yaml:1:48: error: values are nested more than 40 levels deep [yaml.limit]")


def test_file_over_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1000)
    root = course_copy(tmp_path, files={"curriculum/glossary.yaml": "terms: []\n" + "#" * 2000 + "\n"})
    size = (root / "curriculum/glossary.yaml").stat().st_size
    assert check_lines(root)[0] == (
        f"curriculum/glossary.yaml:1:1: error: file is {size:,} bytes; the limit is 1,000 [file.too-large]")


def test_paths_that_escape_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\nduration: 1\n---\nsecret\n")
    text = fixture_text(MODULE).replace(
        "  - 01-listening.md\n  - 02-noticing.md",
        f"  - ../../../secret.md\n  - {outside}\n  - 03-link.md\n  - 02-noticing.md")
    root = course_copy(tmp_path, files={MODULE: text, "modules/01-first-steps/01-listening.md": None})
    os.symlink(outside, root / "modules/01-first-steps/03-link.md")
    assert check_lines(root) == [
        "modules/01-first-steps/module.yaml:7:9: warning: objective M1.O1 is not covered by any lesson "
        "[coverage.untaught]",
        "modules/01-first-steps/module.yaml:12:5: error: path '../../../secret.md' leads outside the project "
        "[file.outside]",
        f"modules/01-first-steps/module.yaml:13:5: error: path '{outside}' must be relative to its folder "
        "[file.outside]",
        "modules/01-first-steps/module.yaml:14:5: error: path '03-link.md' leads outside the project [file.outside]",
        "3 errors, 1 warning in 12 files",
    ]


def test_missing_lesson_file_and_missing_front_matter(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={
        "modules/01-first-steps/01-listening.md": None,
        "modules/01-first-steps/02-noticing.md": "## No front matter\n\nText.\n",
    })
    assert check_lines(root) == [
        "modules/01-first-steps/02-noticing.md:1:1: error: no YAML front matter at the top of the file "
        "[lesson.front-matter]",
        "modules/01-first-steps/module.yaml:7:9: warning: objective M1.O1 is not covered by any lesson "
        "[coverage.untaught]",
        "modules/01-first-steps/module.yaml:9:9: warning: objective M1.O2 is not covered by any lesson "
        "[coverage.untaught]",
        "modules/01-first-steps/module.yaml:12:5: error: file '01-listening.md' does not exist [file.missing]",
        "2 errors, 2 warnings in 12 files",
    ]


def test_front_matter_errors_point_into_the_lesson(tmp_path: Path) -> None:
    text = fixture_text(LESSON).replace("duration: 10", "duraton: 10")
    root = course_copy(tmp_path, files={LESSON: text})
    run = run_cli("check", "--root", str(root))
    assert run.lines[:4] == [
        "modules/01-first-steps/01-listening.md:2:1: error: missing required key 'duration' [schema.missing]",
        "    hint: add `duration:` here",
        "modules/01-first-steps/01-listening.md:3:1: error: unknown key 'duraton' [schema.unknown-key]",
        "    hint: did you mean `duration`?",
    ]


def test_no_course_yaml(tmp_path: Path) -> None:
    run = run_cli("check", "--root", str(tmp_path))
    assert run.code == 1
    assert run.lines == [
        "curriculum/course.yaml:1:1: error: no curriculum/course.yaml here [project.no-course]",
        "    hint: run `course check` in the course repository or pass --root DIR",
        "1 error in 0 files",
    ]


def test_unclosed_quote_points_at_the_opening_quote(tmp_path: Path) -> None:
    """The scanner meets the end of the front matter first; the author must fix the quote."""
    text = fixture_text(LESSON).replace("title: Listening well", 'title: "Listening well', 1)
    root = course_copy(tmp_path, files={LESSON: text})
    run = run_cli("check", "--root", str(root))
    assert run.lines[:2] == [
        "modules/01-first-steps/01-listening.md:2:8: error: YAML syntax: a quoted value is never closed "
        "[yaml.syntax]",
        "    hint: add the closing quote on this value, or remove the opening one",
    ]


def test_tab_indentation_gets_the_spaces_hint(tmp_path: Path) -> None:
    text = fixture_text(MODULE).replace("\n  - id: M1.O1", "\n\t- id: M1.O1", 1)
    root = course_copy(tmp_path, files={MODULE: text})
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    assert run.lines[:2] == [
        "modules/01-first-steps/module.yaml:7:1: error: YAML syntax: a tab character where YAML expects spaces "
        "(while scanning for the next token) [yaml.syntax]",
        "    hint: replace the tab with spaces: YAML indents with spaces only",
    ]


def test_a_broken_module_yaml_still_reports_its_lessons_in_the_same_run(tmp_path: Path) -> None:
    lesson = fixture_text(LESSON).replace("duration: 10", "duration: [10", 1)
    root = course_copy(tmp_path, files={MODULE: "id: M1\ntitle: [unclosed\nsummary: x\n", LESSON: lesson})
    lines = check_lines(root)
    assert "modules/01-first-steps/01-listening.md:4:11: error: YAML syntax: did not find expected ',' or ']' " \
           "(while parsing a flow sequence) [yaml.syntax]" in lines
    assert any(line.startswith("modules/01-first-steps/module.yaml:3:8: error: YAML syntax") for line in lines)


def test_missing_link_hint_resolves_dots_and_suggests_a_close_name(tmp_path: Path) -> None:
    lesson = "modules/02-second-steps/01-responding.md"
    text = fixture_text(lesson) + (
        "\nSee [noticing](../01-first-steps/02-notcing.md) and [x](../../curriculum/pages/gone-away.md).\n")
    root = course_copy(tmp_path, files={lesson: text})
    run = run_cli("check", "--root", str(root))
    hints = [line.strip() for line in run.lines if line.startswith("    hint:")]
    assert "hint: did you mean '../01-first-steps/02-noticing.md'? (modules/01-first-steps/02-noticing.md exists)" \
        in hints
    assert "hint: create curriculum/pages/gone-away.md or fix the name" in hints
    assert not any("../" in h for h in hints if h.startswith("hint: create"))
