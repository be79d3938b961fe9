"""A course longer than a volume prints its workbook in volumes, each a complete book."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from builder.render.print import documents
from tests.helpers import REPO, course_copy, run_cli

pytestmark = [pytest.mark.pdf]


def test_long_course_gets_workbook_volumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MODULES_PER_VOLUME", 1)
    root = course_copy(tmp_path)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    out = tmp_path / "pdf"
    run = run_cli("print", "workbook", "--root", str(root), "--out", str(out))
    assert run.code == 0, run.out + run.err
    assert sorted(p.name for p in out.glob("*.pdf")) == ["workbook-part-1.pdf", "workbook-part-2.pdf"]
    texts = [subprocess.run(["pdftotext", "-layout", str(out / f"workbook-part-{k}.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout for k in (1, 2)]
    assert "Module 1: First steps" in texts[0] and "Module 2: Second steps" not in texts[0]
    assert "Module 2: Second steps" in texts[1] and "Module 1: First steps" not in texts[1]
    for text in texts:  # each volume is a whole book: glossary and help in both
        assert "Glossary" in text and "988" in text
    info = subprocess.run(["pdfinfo", str(out / "workbook-part-2.pdf")], capture_output=True, text=True).stdout
    assert "Title:           Fixture Course: participant workbook, part 2 of 2" in info


def test_our_course_stays_one_workbook() -> None:
    from builder.checks import check_project

    project = check_project(REPO).project
    assert project is not None and len(project.modules) <= documents.MODULES_PER_VOLUME
    assert [s.name for s in documents.workbook_specs(project)] == ["workbook.pdf"]
