"""`course export quizzes` and the build hooks: files, loss tables, exit codes, determinism."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from builder.model.load import load_project
from builder.render import BuildOptions
from builder.render.quiz import FORMATS, LOSS_FILE, OUT_DIR, export_all, plan_exports
from tests.helpers import FIXTURES, course_copy, run_cli


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_prints_a_loss_table_for_every_format(tmp_path: Path, fmt: str) -> None:
    root = course_copy(tmp_path)
    run = run_cli("export", "quizzes", "--root", str(root), "--format", fmt)
    assert run.code == 0, run.err
    wrote = [line.split(" ", 1)[1] for line in run.lines if line.startswith("wrote ")]
    assert wrote and all((root / w).is_file() for w in wrote)
    label = FORMATS[fmt].label
    assert f"What {label} cannot carry" in run.out or f"{label} carries every question in full." in run.out


def test_loss_table_rows_name_question_and_loss(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("export", "quizzes", "--root", str(root), "--format", "aiken")
    assert "What Aiken cannot carry (9 questions):" in run.out
    assert "  M1.Q04    not exported: Aiken has no short-answer questions (use Moodle XML, GIFT or QTI)" in run.lines


def test_out_file_module_and_form(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("export", "quizzes", "--root", str(root), "--format", "moodle", "--module", "2",
                  "--out", "m2.xml")
    assert run.code == 0 and (root / "m2.xml").is_file()
    assert b"M2.Q01" in (root / "m2.xml").read_bytes() and b"M1.Q01" not in (root / "m2.xml").read_bytes()
    run = run_cli("export", "quizzes", "--root", str(root), "--format", "qti12", "--form", "pre-post",
                  "--out", str(tmp_path / "forms"))
    assert run.code == 0
    with zipfile.ZipFile(tmp_path / "forms" / "fixture-course-form-pre-post-qti12.zip") as zf:
        assert "fixture-course-form-pre-post-A/fixture-course-form-pre-post-A.xml" in zf.namelist()


@pytest.mark.parametrize("args, message", [
    (["--format", "pdf"], "unknown format 'pdf'"),
    (["--format", "gift", "--module", "M9"], "no module 'M9'"),
    (["--format", "gift", "--form", "nope"], "no form 'nope'"),
    (["--format", "gift", "--form", "pre-post", "--module", "M1"], "not both"),
])
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = course_copy(tmp_path)
    run = run_cli("export", "quizzes", "--root", str(root), *args)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err
    assert not (root / "build").exists()


def test_bad_course_prints_diagnostics_and_writes_nothing(tmp_path: Path) -> None:
    bank = (FIXTURES / "minimal" / "quizzes" / "02-second-steps.yaml").read_text()
    wrong = bank.replace("correct: true", "correct: false")
    root = course_copy(tmp_path, files={"quizzes/02-second-steps.yaml": wrong})
    run = run_cli("export", "quizzes", "--root", str(root), "--format", "moodle")
    assert run.code == 1
    assert any(line.startswith("quizzes/02-second-steps.yaml:") and "[question.correct]" in line for line in run.lines)
    assert "Traceback" not in run.err and not (root / "build").exists()


def test_build_writes_what_it_plans_byte_identically(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project, _ = load_project(FIXTURES / "minimal")
    opts = BuildOptions(region="us", audience="facilitator")
    planned = plan_exports(project, opts)
    first = export_all(project, tmp_path / "a", opts)
    second = export_all(project, tmp_path / "b", opts)
    assert [a.path for a in first] == [a.path for a in planned]
    assert second == first
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a == sorted(Path(a.path) for a in planned)
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert f"{OUT_DIR}/{LOSS_FILE}" in {a.path for a in planned}
    with zipfile.ZipFile(tmp_path / "a" / OUT_DIR / "fixture-course-qti21.zip") as zf:
        infos = zf.infolist()
        assert infos[0].filename == "imsmanifest.xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_zip_dates_follow_source_date_epoch(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    project, _ = load_project(FIXTURES / "minimal")
    export_all(project, tmp_path, BuildOptions(region="us", audience="facilitator"))
    with zipfile.ZipFile(tmp_path / OUT_DIR / "fixture-course.imscc") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_participant_builds_plan_and_write_no_lms_files(tmp_path: Path) -> None:
    """Every format carries the answers: a participant build gets none, a facilitator build all."""
    project, _ = load_project(FIXTURES / "minimal")
    participant = BuildOptions(region="us")
    assert plan_exports(project, participant) == []
    assert export_all(project, tmp_path / "p", participant) == []
    assert not (tmp_path / "p").exists()
    facilitator = BuildOptions(region="us", audience="facilitator")
    names = {a.path.rsplit("/", 1)[1] for a in export_all(project, tmp_path / "f", facilitator)}
    assert {"fixture-course-moodle.xml", "fixture-course-form-pre-post-moodle.xml", LOSS_FILE} <= names
