"""`course print`: one document at a time, clear errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import course_copy, run_cli
from tests.print.conftest import pdfinfo

pytestmark = [pytest.mark.xdist_group("print")]


def test_list_names_every_document(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("print", "list", "--root", str(root))
    assert run.code == 0, run.err
    firsts = [line.split()[0] for line in run.lines]
    assert firsts == ["workbook", "facilitator", "handout:M1", "handout:M2", "quiz:M1", "quiz:M1", "quiz:M2",
                      "quiz:M2", "form:pre-post:A", "form:pre-post:A", "form:pre-post:B", "form:pre-post:B",
                      "card", "certificate"]


@pytest.mark.parametrize(("args", "message"), [
    (["bogus"], "course: error: unknown document 'bogus'; choose one of: workbook | facilitator"),
    (["handout:M9"], "course: error: no module 'M9' (modules: M1, M2)"),
    (["form:final"], "course: error: no form 'final' in quizzes/forms.yaml (forms: pre-post)"),
    (["form:pre-post:C"], "course: error: form 'pre-post' has no variant 'C'"),
    (["card", "--region", "fr"], "course: error: no region 'fr' in curriculum/resources.yaml (regions: uk, us)"),
    (["quiz:M1", "--out", "one.pdf"], "course: error: 'quiz:M1' makes 2 PDFs; --out must be a folder"),
])
def test_mistakes_are_explained(tmp_path: Path, args: list[str], message: str) -> None:
    root = course_copy(tmp_path)
    run = run_cli("print", *args, "--root", str(root))
    assert run.code == 2
    assert run.err.startswith(message), run.err
    assert "Traceback" not in run.err + run.out
    assert not (root / "build").exists()


def test_a_broken_course_is_not_printed(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={"modules/01-first-steps/module.yaml": "format: 1\nid: M1\n"})
    run = run_cli("print", "handout:M1", "--root", str(root))
    assert run.code == 1
    assert "modules/01-first-steps/module.yaml:" in run.out and "error:" in run.out
    assert "print stopped" in run.err
    assert not (root / "build").exists()


@pytest.mark.pdf
def test_one_handout_on_letter_to_a_named_file(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    out = tmp_path / "out" / "m2.pdf"
    run = run_cli("print", "handout:2", "--paper", "letter", "--region", "uk", "--root", str(root),
                  "--out", str(out))
    assert run.code == 0, run.out + run.err
    info = pdfinfo(out)
    assert f"wrote {out} ({info['Pages']} pages, US Letter)" in run.out
    assert info["Title"] == "Module 2 handout: Second steps"
    assert info["Page size"].startswith("612 x 792")
    assert list(out.parent.iterdir()) == [out]


@pytest.mark.pdf
def test_default_folder_and_region_paper(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("print", "certificate", "--root", str(root))  # the course's region is us: letter
    assert run.code == 0, run.out + run.err
    pdf = root / "build" / "print" / "certificate.pdf"
    assert pdfinfo(pdf)["Page size"].startswith("792 x 612")
