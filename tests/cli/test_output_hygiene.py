"""Output hygiene: a command piped into a closed pipe ends quietly, and nothing lands in the
repository tree unless asked for (print, export and schema write into the git-ignored build/)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import BROKEN_PIPE, build_parser
from tests.helpers import REPO, course_copy, run_cli


def _closed_pipe_run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run `course ARGS` with its standard output a pipe nobody reads (closed before it writes)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "builder.cli", *args], stdout=write, stderr=subprocess.PIPE,
                              cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", [
    ["schema"],
    ["check"],
    ["check", "--format", "json"],
    ["stats"],
    ["print", "list"],
    ["export", "quizzes", "--format", "gift"],
    ["new", "lesson", "M1", "A closed pipe"],
])
def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path, args: list[str]) -> None:
    root = course_copy(tmp_path)
    proc = _closed_pipe_run(args, root)
    assert proc.stderr.decode() == ""  # no traceback, no "Exception ignored"
    assert proc.returncode == BROKEN_PIPE


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]])
def test_help_into_a_closed_pipe_is_quiet(tmp_path: Path, args: list[str]) -> None:
    proc = _closed_pipe_run(args, tmp_path)
    assert proc.stderr.decode() == ""
    assert proc.returncode in (0, BROKEN_PIPE)  # argparse itself ignores a closed pipe


def test_an_open_pipe_is_read_to_the_end(tmp_path: Path) -> None:
    """The same commands, read to the end, print everything and succeed (the test above fails for the pipe)."""
    root = course_copy(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "schema"], capture_output=True, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert proc.returncode == 0 and proc.stdout.decode().splitlines()[0] == "build/schema/course.schema.json"


def _git_status(root: Path) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    return sorted(out.splitlines())


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_nothing_lands_in_the_repository_tree_unasked(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    shutil.copy(REPO / ".gitignore", root / ".gitignore")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    before = _git_status(root)
    assert "?? curriculum/course.yaml" in before
    for args in (["check"], ["stats"], ["schema"], ["export", "quizzes", "--format", "moodle"],
                 ["print", "certificate"]):
        run = run_cli(*args, "--root", str(root))
        assert run.code == 0, (args, run.out, run.err)
    assert _git_status(root) == before  # every new file is git-ignored
    written = sorted(p.relative_to(root).as_posix() for p in (root / "build").rglob("*") if p.is_file())
    assert "build/print/certificate.pdf" in written
    assert "build/exports/fixture-course-moodle.xml" in written
    assert "build/schema/course.schema.json" in written


@pytest.mark.parametrize("command, folder", [("print", "build/print/"), ("export", "build/exports/"),
                                             ("schema", "build/schema/")])
def test_help_says_where_files_go(command: str, folder: str) -> None:
    text = " ".join(build_parser().format_help().split())
    sub = " ".join(build_parser()._subparsers._group_actions[0].choices[command].format_help().split())  # type: ignore[union-attr]
    assert folder in text and f"default: {folder}" in sub
