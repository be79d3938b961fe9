"""`completion:` in course.yaml: course check reports every bad rule at its key, with a hint."""

from __future__ import annotations

from pathlib import Path

from builder.checks import check_project
from tests.helpers import FIXTURES, check_lines, course_copy, run_cli

COURSE = (FIXTURES / "minimal" / "curriculum" / "course.yaml").read_text(encoding="utf-8")


def _with(tmp_path: Path, completion: str) -> Path:
    return course_copy(tmp_path, files={"curriculum/course.yaml": COURSE + completion})


def _lines(root: Path) -> list[str]:
    return [line for line in check_lines(root) if "[completion." in line]


def test_a_good_rule_is_clean(tmp_path: Path) -> None:
    root = _with(tmp_path, "completion:\n  rule: mastery\n  mastery_score: 80\n")
    assert _lines(root) == []
    result = check_project(root, cache=False)
    assert result.project is not None and result.project.course.completion.mastery_score == 80


def test_the_default_needs_no_key(tmp_path: Path) -> None:
    result = check_project(course_copy(tmp_path), cache=False)
    assert result.project is not None and result.project.course.completion.rule == "all-lessons-viewed"


def test_an_unknown_rule_is_an_error_at_its_value(tmp_path: Path) -> None:
    root = _with(tmp_path, "completion:\n  rule: finished-everything\n")
    line = COURSE.count("\n") + 2
    assert _lines(root) == [f"curriculum/course.yaml:{line}:9: error: unknown completion rule "
                            "'finished-everything' [completion.rule]"]
    run = run_cli("check", "--root", str(root))
    assert run.code == 1 and "hint: use one of: all-lessons-viewed, quiz-attempted, mastery" in run.out


def test_a_mastery_score_outside_0_to_100(tmp_path: Path) -> None:
    for score in ("120", "-5"):
        root = _with(tmp_path / score, f"completion:\n  rule: mastery\n  mastery_score: {score}\n")
        line = COURSE.count("\n") + 3
        assert _lines(root) == [f"curriculum/course.yaml:{line}:18: error: mastery score {score} is outside "
                                "0-100 [completion.mastery-score]"]


def test_mastery_without_a_score(tmp_path: Path) -> None:
    root = _with(tmp_path, "completion:\n  rule: mastery\n")
    assert _lines(root) == [f"curriculum/course.yaml:{COURSE.count(chr(10)) + 2}:9: error: rule mastery needs a "
                            "mastery_score [completion.mastery-score]"]


def test_an_unknown_report_item(tmp_path: Path) -> None:
    root = _with(tmp_path, "completion:\n  report: [completion, answers]\n")
    assert _lines(root) == [f"curriculum/course.yaml:{COURSE.count(chr(10)) + 2}:24: error: unknown report item "
                            "'answers' [completion.report]"]


def test_a_module_without_a_quiz_under_a_quiz_rule(tmp_path: Path) -> None:
    # Module 2's bank has questions, but with no quiz file it has no self-check quiz.
    root = _with(tmp_path, "completion:\n  rule: quiz-attempted\n")
    (root / "quizzes" / "02-second-steps.yaml").unlink()
    (root / "quizzes" / "forms.yaml").unlink()
    modules_line = COURSE.splitlines().index("  - 02-second-steps") + 1
    lines = _lines(root)
    assert lines == [f"curriculum/course.yaml:{modules_line}:5: error: module M2 has no self-check quiz, so "
                     "rule 'quiz-attempted' can never complete it [completion.no-quiz]"]
    # The same course under the default rule is fine.
    (root / "curriculum" / "course.yaml").write_text(COURSE, encoding="utf-8")
    assert _lines(root) == []


def test_a_module_whose_questions_all_go_to_forms_has_no_quiz(tmp_path: Path) -> None:
    """Participants (and so the packages) never get the questions a form draws: a module whose
    every question is on a form has no self-check quiz."""
    root = _with(tmp_path, "completion:\n  rule: mastery\n  mastery_score: 50\n")
    forms = (root / "quizzes" / "forms.yaml").read_text(encoding="utf-8")
    forms += ("  - id: m2-check\n    title: Module 2 check\n    modules: [M2]\n"
              "    draw:\n      per_objective: 20\n")
    (root / "quizzes" / "forms.yaml").write_text(forms, encoding="utf-8")
    modules_line = COURSE.splitlines().index("  - 02-second-steps") + 1
    assert _lines(root) == [f"curriculum/course.yaml:{modules_line}:5: error: module M2 has no self-check quiz, "
                            "so rule 'mastery' can never complete it [completion.no-quiz]"]
