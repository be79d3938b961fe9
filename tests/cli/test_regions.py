"""`--region`: help lists the course's regions (from curriculum/resources.yaml), and an
unknown region is refused with an error that names them, the same for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import course_copy, run_cli


def _regions(root: Path) -> list[str]:
    import yaml

    return sorted(yaml.safe_load((root / "curriculum/resources.yaml").read_text())["regions"])


@pytest.mark.parametrize("command", ["build", "print", "serve"])
def test_region_help_lists_the_course_regions(tmp_path: Path, command: str) -> None:
    root = course_copy(tmp_path)
    regions = _regions(root)
    assert len(regions) >= 2
    run = run_cli(command, "--help", "--root", str(root))
    assert run.code == 0
    text = " ".join(run.out.split())
    assert f"this course has: {', '.join(regions)}" in text


def test_region_help_follows_the_course(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    text = (root / "curriculum/resources.yaml").read_text()
    (root / "curriculum/resources.yaml").write_text(text.replace("\n  uk:", "\n  nz:", 1))
    assert "nz" in _regions(root)
    run = run_cli("build", "--root", str(root), "--help")
    assert "nz" in " ".join(run.out.split()).split("this course has:")[1]


def test_region_help_without_a_course_still_prints(tmp_path: Path) -> None:
    run = run_cli("build", "--help", "--root", str(tmp_path))
    assert run.code == 0 and "--region" in run.out and "this course has" not in run.out


@pytest.mark.parametrize("args", [["build", "--no-pdf", "--out", "out"], ["print", "card"], ["serve"]])
def test_an_unknown_region_names_the_regions(tmp_path: Path, args: list[str]) -> None:
    root = course_copy(tmp_path)
    run = run_cli(*args, "--region", "xx", "--root", str(root))
    assert run.code == 2
    assert run.err == (f"course: error: no region 'xx' in curriculum/resources.yaml "
                       f"(regions: {', '.join(_regions(root))})\n")
