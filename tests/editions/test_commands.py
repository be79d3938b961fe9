"""`course export`, `course package` and `course print` read one edition (default: the
course's default edition): its questions only, its vocabulary, its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.editions.course import edition_course
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edition_course(tmp_path_factory.mktemp("editions"))


def test_quiz_exports_hold_the_editions_questions_only(course: Path, tmp_path: Path) -> None:
    texts = {}
    for edition in ("workplace", "school", None):
        out = tmp_path / f"{edition}.txt"
        run = run_cli("export", "quizzes", "--root", str(course), "--format", "gift", "--module", "M1",
                      "--out", str(out), *(["--edition", edition] if edition else []))
        assert run.code == 0, run.out + run.err
        texts[edition] = out.read_text(encoding="utf-8")
    assert "WORKONLY Your employee assistance programme" in texts["workplace"]
    assert "WORKONLY" not in texts["school"] and "WORKONLY" not in texts[None]  # the default edition: community
    assert "Which of these is an open question?" in texts["school"]


def test_a_package_names_its_edition_and_holds_its_text_only(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "school-cc.imscc"
    run = run_cli("package", "--root", str(course), "--format", "cc", "--edition", "school", "--out", str(out))
    assert run.code == 0, run.out + run.err
    with zipfile.ZipFile(out) as zf:
        text = "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    assert "the safeguarding lead" in text and "SCHOOLONLY Maya" in text
    assert "WORKONLY" not in text and "COMMUNITYONLY" not in text and ":term[" not in text


def test_an_unknown_edition_is_a_usage_error(course: Path, tmp_path: Path) -> None:
    for argv in (["export", "quizzes", "--format", "gift"], ["package", "--format", "cc"], ["print", "card"]):
        run = run_cli(*argv, "--root", str(course), "--edition", "office", "--out", str(tmp_path / "x"))
        assert run.code == 2 and "no edition 'office' in curriculum/course.yaml (editions: school, workplace, " \
            "community)" in run.err, (argv, run.err)


def test_the_preview_shows_one_edition(course: Path) -> None:
    import io
    import time

    from builder.cli.serve import Preview

    preview = Preview(course, region=None, audience="participant", port=0, out=io.StringIO(), edition="workplace")
    try:
        assert preview._rebuild(time.monotonic())
        page = (preview.site_dir / "modules" / "01-first-steps" / "01-listening" / "index.html").read_text()
        assert "your line manager or HR" in page and "After the meeting" in page
        assert "Maya" not in page and ":term[" not in page and "Workplace edition" in page
    finally:
        preview.shutdown()


def test_all_on_a_course_without_editions(tmp_path: Path) -> None:
    from tests.helpers import course_copy

    root = course_copy(tmp_path)
    out = tmp_path / "site"
    run = run_cli("build", "--root", str(root), "--all", "--region", "us", "--no-pdf", "--out", str(out))
    assert run.code == 0, run.out + run.err
    for audience in ("participant", "facilitator"):
        assert (out / "us" / audience / "index.html").is_file()
    assert "2 of 2 builds done" in run.out
    again = run_cli("build", "--root", str(root), "--all", "--region", "us", "--no-pdf", "--out", str(out))
    assert again.code == 0 and again.out.count("up to date:") == 2, again.out
    run = run_cli("stats", "--root", str(root), "--edition", "school")
    assert run.code == 2 and "it declares no editions" in run.err
