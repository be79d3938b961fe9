"""Structural checks: ids, references, timing, coverage, question sanity, block kinds."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import check_lines, course_copy, run_cli
from tests.model.test_load_errors import BANK, LESSON, MODULE, fixture_text


def test_duplicate_ids_and_wrong_prefix(tmp_path: Path) -> None:
    module = fixture_text(MODULE).replace(
        "lessons:\n", "  - id: M1.O1\n    text: Describe it again.\nlessons:\n").replace("id: M1.A2", "id: M2.A2")
    bank = fixture_text(BANK).replace("id: M1.Q02", "id: M1.Q01")
    root = course_copy(tmp_path, files={MODULE: module, BANK: bank})
    assert check_lines(root) == [
        "modules/01-first-steps/module.yaml:11:9: error: objective id 'M1.O1' is already used at "
        "modules/01-first-steps/module.yaml:7:9 [id.duplicate]",
        "modules/01-first-steps/module.yaml:29:9: error: id 'M2.A2' does not start with this module's id 'M1' "
        "[id.prefix]",
        "quizzes/01-first-steps.yaml:22:9: error: question id 'M1.Q01' is already used at "
        "quizzes/01-first-steps.yaml:8:9 [id.duplicate]",
        "3 errors in 13 files",
    ]


def test_module_id_must_match_folder(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={MODULE: fixture_text(MODULE).replace("id: M1\n", "id: M7\n")})
    run = run_cli("check", "--root", str(root))
    assert "modules/01-first-steps/module.yaml:2:5: error: module id 'M7' does not match folder 01-first-steps " \
           "[id.module]" in run.lines
    assert "    hint: use `id: M1`" in run.lines


def test_unresolved_references_with_suggestions(tmp_path: Path) -> None:
    lesson = fixture_text(LESSON).replace("objectives: [M1.O1]", "objectives: [M1.O3]")
    bank = fixture_text(BANK).replace("scenario: M1.S1\n    stem: Sam's", "scenario: M1.S9\n    stem: Sam's")
    glossary = fixture_text("curriculum/glossary.yaml").replace("see: [Active listening]", "see: [Active listenning]")
    root = course_copy(tmp_path, files={LESSON: lesson, BANK: bank, "curriculum/glossary.yaml": glossary})
    run = run_cli("check", "--root", str(root))
    assert run.lines == [
        "curriculum/glossary.yaml:10:10: error: term 'Peer supporter' refers to 'Active listenning', which is not "
        "in the glossary [ref.term]",
        "modules/01-first-steps/01-listening.md:4:14: error: lesson 01-listening names objective 'M1.O3', which "
        "this module does not define [ref.objective]",
        "    hint: did you mean `M1.O2`?",
        "modules/01-first-steps/module.yaml:7:9: warning: objective M1.O1 is not covered by any lesson "
        "[coverage.untaught]",
        "    hint: list it in the `objectives:` front matter of the lesson that teaches it",
        "quizzes/01-first-steps.yaml:40:15: error: question M1.Q03 names scenario 'M1.S9', which this bank does "
        "not define [ref.scenario]",
        "    hint: scenarios here: M1.S1",
        "3 errors, 1 warning in 13 files",
    ]


def test_timing_over_module_duration(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={MODULE: fixture_text(MODULE).replace("duration: 45", "duration: 30")})
    run = run_cli("check", "--root", str(root))
    assert run.lines[:2] == [
        "modules/01-first-steps/module.yaml:5:11: error: lessons (20 min) and activities (15 min) take 35 minutes, "
        "more than the module's 30 [timing.over]",
        "    hint: shorten some parts or raise the module `duration`",
    ]


def test_unassessed_objective_and_strict(tmp_path: Path) -> None:
    bank = fixture_text("quizzes/02-second-steps.yaml").replace("objectives: [M2.O1]", "objectives: [M2.O2]")
    module = fixture_text("modules/02-second-steps/module.yaml").replace(
        "    text: Respond to a friend who asks for help.\n",
        "    text: Respond to a friend who asks for help.\n  - id: M2.O2\n    text: Describe a plan.\n")
    root = course_copy(tmp_path, files={"quizzes/02-second-steps.yaml": bank,
                                        "modules/02-second-steps/module.yaml": module})
    lines = check_lines(root)
    assert lines == [
        "modules/02-second-steps/module.yaml:7:9: warning: objective M2.O1 is not assessed by any question "
        "[coverage.unassessed]",
        "modules/02-second-steps/module.yaml:9:9: warning: objective M2.O2 is not covered by any lesson "
        "[coverage.untaught]",
        "quizzes/forms.yaml:7:22: warning: form 'pre-post' asks for 1 question(s) of type single, multiple, "
        "true_false on objective M2.O1, but the banks have 0 not already drawn [form.short]",
        "3 warnings in 13 files",
    ]
    assert run_cli("check", "--root", str(root)).code == 0
    assert run_cli("check", "--root", str(root), "--strict").code == 1


def test_question_sanity(tmp_path: Path) -> None:
    bank = fixture_text(BANK)
    bank = bank.replace("      - text: Are you OK?\n", "      - text: Are you OK?\n        correct: true\n", 1)
    bank = bank.replace("      - text: Checking your phone\n", "      - text: nodding\n", 1)
    bank = bank.replace("        right: '\"You sound worried.\"'", "        right: '\"What was that like?\"'")
    bank = bank.replace("      - Listen\n", "      - Listen\n      - listen\n")
    root = course_copy(tmp_path, files={BANK: bank})
    assert check_lines(root) == [
        "quizzes/01-first-steps.yaml:13:7: error: single-choice question M1.Q01 has 2 correct options; it needs "
        "exactly one [question.correct]",
        "quizzes/01-first-steps.yaml:31:15: error: question M1.Q02: option 'nodding' is already used at "
        "quizzes/01-first-steps.yaml:28:15 [question.duplicate-option]",
        "quizzes/01-first-steps.yaml:64:16: error: question M1.Q05: right side '\"What was that like?\"' is already "
        "used at quizzes/01-first-steps.yaml:62:16 [question.pairs]",
        "quizzes/01-first-steps.yaml:77:9: error: question M1.Q06: item 'listen' is already used at "
        "quizzes/01-first-steps.yaml:76:9 [question.duplicate-option]",
        "4 errors in 13 files",
    ]


def test_multiple_response_needs_a_correct_option(tmp_path: Path) -> None:
    bank = fixture_text(BANK).replace("      - text: Nodding\n        correct: true\n", "      - text: Nodding\n")
    bank = bank.replace("      - text: Summarising what you heard\n        correct: true\n",
                        "      - text: Summarising what you heard\n")
    root = course_copy(tmp_path, files={BANK: bank})
    assert check_lines(root)[0] == (
        "quizzes/01-first-steps.yaml:27:7: error: multiple-response question M1.Q02 has no correct option "
        "[question.correct]")


def test_unknown_block_kind_such_as_capitalised_facilitator(tmp_path: Path) -> None:
    lesson = fixture_text(LESSON).replace('!!! facilitator "Timing"', '!!! Facilitator "Timing"')
    root = course_copy(tmp_path, files={LESSON: lesson})
    run = run_cli("check", "--root", str(root))
    assert run.lines[:2] == [
        "modules/01-first-steps/01-listening.md:11:5: error: unknown block kind 'Facilitator' [block.kind]",
        "    hint: did you mean `facilitator`?",
    ]


def test_orphans_are_warnings(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={
        "modules/01-first-steps/09-draft.md": "---\ntitle: Draft\nduration: 5\n---\nText\n",
        "modules/03-unlisted/module.yaml": "id: M3\n",
        "quizzes/09-nothing.yaml": "module: M9\n",
    })
    assert check_lines(root) == [
        "modules/01-first-steps/09-draft.md:1:1: warning: lesson file '09-draft.md' is not listed in module.yaml "
        "[file.orphan]",
        "modules/03-unlisted:1:1: warning: module folder '03-unlisted' is not listed in course.yaml [file.orphan]",
        "quizzes/09-nothing.yaml:1:1: warning: quiz bank '09-nothing.yaml' matches no module in course.yaml "
        "[file.orphan]",
        "3 warnings in 13 files",
    ]


def test_default_region_must_exist(tmp_path: Path) -> None:
    course = fixture_text("curriculum/course.yaml").replace("default_region: us", "default_region: nz")
    root = course_copy(tmp_path, files={"curriculum/course.yaml": course})
    assert check_lines(root)[0] == (
        "curriculum/course.yaml:14:17: error: default region 'nz' has no entry in resources.yaml [ref.region]")


def test_timing_counts_each_editions_activities(tmp_path: Path) -> None:
    """Each edition runs only its own activities (docs/editions.md): a school and a workplace
    version of a 10-minute role-play fill one slot, not two; one edition over the slot is reported."""
    course = fixture_text("curriculum/course.yaml").replace("modules:\n", (
        "editions:\n"
        "  - {id: school, title: School edition, audience: Students.}\n"
        "  - {id: workplace, title: Workplace edition, audience: Employees.}\n"
        "modules:\n"), 1)
    module = fixture_text(MODULE)
    school = module[module.index("  - id: M1.A1"):module.index("  - id: M1.A2")]
    versions = (school.replace("    kind: role-play\n", "    kind: role-play\n    editions: [school]\n")
                + school.replace("id: M1.A1", "id: M1.A3").replace(
                    "    kind: role-play\n", "    kind: role-play\n    editions: [workplace]\n"))
    fits = module.replace(school, versions)
    root = course_copy(tmp_path / "fits", files={"curriculum/course.yaml": course, MODULE: fits})
    assert not [line for line in check_lines(root) if "[timing.over]" in line]
    over = fits.replace("editions: [workplace]\n    title: Practise listening\n    duration: 10",
                        "editions: [workplace]\n    title: Practise listening\n    duration: 30")
    assert over != fits
    root = course_copy(tmp_path / "over", files={"curriculum/course.yaml": course, MODULE: over})
    assert [line for line in check_lines(root) if "[timing.over]" in line] == [
        "modules/01-first-steps/module.yaml:5:11: error: lessons (20 min) and activities (35 min) take 55 minutes, "
        "more than the module's 45 [timing.over]"]
