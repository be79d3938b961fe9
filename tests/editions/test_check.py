"""`course check` on editions: every edition.* diagnostic at its path:line:col, and the real
course clean with --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editions.course import edition_course
from tests.helpers import REPO, check_lines, run_cli


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return edition_course(tmp_path)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


LESSON = "modules/01-first-steps/01-listening.md"


def test_the_edition_fixture_is_clean(root: Path) -> None:
    run = run_cli("check", "--root", str(root), "--strict")
    assert run.code == 0, run.out + run.err


def test_an_unknown_edition_in_a_block_title(root: Path) -> None:
    _edit(root, LESSON, '!!! edition "workplace community"', '!!! edition "workplace comunity"')
    line = _line_of(root, LESSON, "comunity")
    assert f"{LESSON}:{line}:5: error: unknown edition 'comunity' [edition.unknown]" in check_lines(root)
    run = run_cli("check", "--root", str(root))
    assert "did you mean `community`?" in run.out


def test_an_unknown_edition_in_front_matter_and_on_a_question(root: Path) -> None:
    _edit(root, "modules/01-first-steps/03-school-rules.md", "editions: [school]", "editions: [schools]")
    _edit(root, "quizzes/01-first-steps.yaml", "editions: [workplace]", "editions: [work]")
    lines = check_lines(root)
    assert "modules/01-first-steps/03-school-rules.md:5:12: error: unknown edition 'schools' [edition.unknown]" in lines
    q = _line_of(root, "quizzes/01-first-steps.yaml", "editions: [work]")
    assert f"quizzes/01-first-steps.yaml:{q}:16: error: unknown edition 'work' [edition.unknown]" in lines


def test_an_unknown_default_edition(root: Path) -> None:
    _edit(root, "curriculum/course.yaml", "default_edition: community", "default_edition: clubs")
    line = _line_of(root, "curriculum/course.yaml", "default_edition")
    assert f"curriculum/course.yaml:{line}:18: error: default_edition 'clubs' is not an edition of this course " \
           "[edition.unknown]" in check_lines(root)


def test_an_unknown_term_and_a_term_missing_in_one_edition(root: Path) -> None:
    _edit(root, LESSON, "tell :term[report-to] straight", "tell :term[report-too] straight")
    _edit(root, "curriculum/course.yaml", "      help-route: local services\n", "")
    lines = check_lines(root)
    line = _line_of(root, LESSON, "report-too")
    col = (root / LESSON).read_text().split("\n")[line - 1].index(":term") + 1
    assert f"{LESSON}:{line}:{col}: error: unknown term 'report-too' [edition.term]" in lines
    line = _line_of(root, LESSON, "Term[help-route]")
    assert f"{LESSON}:{line}:1: error: term 'help-route' has no value in edition(s) community [edition.term]" in lines


def test_a_term_in_a_quiz_stem_is_checked_too(root: Path) -> None:
    _edit(root, "quizzes/01-first-steps.yaml", "stem: Which of these is an open question?",
          "stem: Which of these would :term[nobody] ask?")
    line = _line_of(root, "quizzes/01-first-steps.yaml", ":term[nobody]")
    assert any(x.startswith(f"quizzes/01-first-steps.yaml:{line}:") and "unknown term 'nobody' [edition.term]" in x
               for x in check_lines(root))


def test_a_module_that_loses_every_lesson_its_coverage_and_its_quiz(root: Path) -> None:
    m2 = "modules/02-second-steps/01-responding.md"
    _edit(root, m2, "---\n", "---\neditions: [school]\n")
    bank = root / "quizzes" / "02-second-steps.yaml"
    bank.write_text(bank.read_text().replace("    type:", "    editions: [school]\n    type:"), encoding="utf-8")
    lines = check_lines(root)
    for ed in ("workplace", "community"):
        assert any(f"module M2 has no lesson in edition '{ed}' [edition.empty-module]" in x
                   and x.startswith("modules/02-second-steps/module.yaml:") for x in lines), lines
        assert any(f"module M2 has no quiz question in edition '{ed}' [edition.no-quiz]" in x
                   and x.startswith("quizzes/02-second-steps.yaml:1:1:") for x in lines), lines
        assert any(f"is taught by no lesson in edition '{ed}' [edition.coverage]" in x
                   and x.startswith("modules/02-second-steps/module.yaml:") for x in lines), lines
    assert not any("'school'" in x for x in lines)


def test_an_objective_only_one_edition_loses(root: Path) -> None:
    # M1.O1 is taught by lesson 1 in every edition; make the only lesson teaching M1.O2 school-only.
    _edit(root, "modules/01-first-steps/02-noticing.md", "---\n", "---\neditions: [school]\n")
    lines = check_lines(root)
    assert any("objective M1.O2 is taught by no lesson in edition 'workplace' [edition.coverage]" in x for x in lines)
    assert any("objective M1.O2 is taught by no lesson in edition 'community' [edition.coverage]" in x for x in lines)
    assert not any("M1.O1" in x and "edition.coverage" in x for x in lines)


def test_nested_and_collapsible_and_untitled_edition_blocks(root: Path) -> None:
    _edit(root, LESSON, '    !!! edition "school"\n        SCHOOLONLY Remind',
          '    ??? edition "school"\n        !!! edition "school"\n            SCHOOLONLY Remind')
    _edit(root, LESSON, '!!! edition "workplace community"', "!!! edition")
    lines = [x for x in check_lines(root) if "[edition.block]" in x]
    assert any("edition block without a title" in x for x in lines), lines
    assert any("`??? edition` cannot be collapsible" in x for x in lines), lines
    assert any("edition block inside another edition block" in x for x in lines), lines


def test_a_question_outside_its_scenarios_editions(root: Path) -> None:
    _edit(root, "quizzes/01-first-steps.yaml", "    title: At lunch\n", "    title: At lunch\n    editions: [school]\n")
    lines = check_lines(root)
    assert any("but its scenario M1.S1 is not [edition.scenario]" in x for x in lines), lines


def test_an_edition_name_that_is_no_slug_is_a_schema_error(root: Path) -> None:
    _edit(root, "curriculum/course.yaml", "  - id: school\n", "  - id: School\n")
    assert any("[schema.value]" in x and "editions[1].id" in x for x in check_lines(root))


def test_terms_in_a_course_without_editions(tmp_path: Path) -> None:
    from tests.helpers import course_copy

    root = course_copy(tmp_path)
    _edit(root, LESSON, "You give your full attention.", "Tell :term[report-to].")
    assert any("term 'report-to' in a course without editions [edition.term]" in x for x in check_lines(root))


@pytest.mark.slow
def test_the_real_course_has_no_edition_problems() -> None:
    """`course check --strict` on the real course: no edition.* diagnostic of any severity, and
    no error. (Other strict findings, such as an unbumped version while content is being
    written, belong to the tests of their own rules.)"""
    run = run_cli("check", "--root", str(REPO), "--strict")
    assert "[edition." not in run.out, run.out[-3000:]
    assert ": error:" not in run.out, run.out[-3000:]


def test_no_edition_shows_answers_of_a_question_any_form_draws() -> None:
    """Editions may draw different questions onto a form (M5.Q09 in one, its school twin
    M5.Q29 in another): every edition's copy keeps all of them out of its self-checks."""
    from builder.model.editions import _edition_copy, for_edition
    from builder.model.forms import form_question_ids
    from builder.model.load import load_project
    from tests.helpers import REPO

    project, _ = load_project(REPO)
    assert project is not None and project.course.editions
    anywhere = set(form_question_ids(project))
    for e in project.course.editions:
        anywhere |= form_question_ids(_edition_copy(project, e.id))
    for e in project.course.editions:
        own = form_question_ids(_edition_copy(project, e.id))
        kept_out = form_question_ids(for_edition(project, e.id))
        assert kept_out == anywhere, e.id
        assert kept_out > own, f"{e.id}: the test needs a question some other draw has and this one lacks"
