"""Test helpers: throwaway copies of fixture courses, and running the CLI in-process."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from builder.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "curricula"
REPO = Path(__file__).resolve().parent.parent


def course_copy(tmp_path: Path, name: str = "minimal", files: dict[str, str | bytes | None] | None = None) -> Path:
    """Copy a fixture course into tmp_path, then write (or delete, with None) the given files."""
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root, ignore=shutil.ignore_patterns(".cache", "__pycache__"))
    for rel, content in (files or {}).items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse usage errors
            code = int(e.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def check_lines(root: Path, *extra: str) -> list[str]:
    """The diagnostic lines (without hints) of `course check` on root."""
    run = run_cli("check", "--root", str(root), *extra)
    return [line for line in run.lines if not line.startswith("    hint:")]
