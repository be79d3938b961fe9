"""What every command shares: how diagnostics and errors are printed, the region resolver,
and the "check, then stop on errors" preamble.

Only `builder.cli` prints. Commands return an exit status: 0 ok, 1 the course (or the build)
has a problem, 2 a command-line mistake (raise `UsageError`), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from builder.diagnostics import Diagnostic, format_github, format_json, format_text

if TYPE_CHECKING:
    from builder.checks import CheckResult
    from builder.model.project import Project


class UsageError(Exception):
    """A command-line mistake: printed as `course: error: …`, exit status 2."""


class Stopped(Exception):
    """The command has printed why it stops; `main` exits with `code`."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def say(*lines: str) -> None:
    """Print progress or results on standard output."""
    for line in lines:
        sys.stdout.write(line + "\n")


def warn(text: str) -> None:
    """Print one line on standard error (an error, a stop, an interruption)."""
    sys.stderr.write(text + "\n")


def print_diagnostics(diags: list[Diagnostic], files: int, fmt: str = "text") -> None:
    if fmt == "json":
        sys.stdout.write(format_json(diags, files))
        return
    if fmt == "github" or (fmt == "text" and os.environ.get("GITHUB_ACTIONS") == "true"):
        sys.stdout.write(format_github(diags))
        if fmt == "github":
            return
    sys.stdout.write(format_text(diags, files))


def print_text(diags: list[Diagnostic], files: int) -> None:
    """Diagnostics as `path:line:col: severity: message [code]` lines and a summary."""
    sys.stdout.write(format_text(diags, files))


def failed(diags: list[Diagnostic], strict: bool) -> bool:
    return any(d.severity == "error" or (strict and d.severity == "warning") for d in diags)


def checked(root: Path, command: str, *, report: Literal["always", "all", "errors"] = "all",
            strict: bool = False, left: str = "") -> CheckResult:
    """Check the course at `root`; on errors (or warnings, with `strict`) print them and stop.

    `report` says what is printed: "always" every diagnostic even when the command goes on,
    "all" every diagnostic but only when it stops, "errors" only the errors when it stops.
    `left` ends the stop line: what the command left untouched.
    """
    from builder.checks import check_project

    result = check_project(root)
    stop = result.project is None or failed(result.diagnostics, strict)
    if report == "always" and result.diagnostics:
        print_text(result.diagnostics, result.files)
    elif stop:
        print_text(result.errors if report == "errors" else result.diagnostics, result.files)
    if stop:
        if command:
            warn(f"course: {command} stopped: fix the errors above{left}")
        raise Stopped(1)
    return result


def regions_of(project: Project) -> list[str]:
    return sorted(project.resources.regions)


def resolve_region(project: Project, region: str | None) -> str:
    """The region a command runs for: `--region`, else the course's default_region."""
    name = (region or project.course.default_region).lower()
    if name not in project.resources.regions:
        raise UsageError(f"no region '{name}' in curriculum/resources.yaml (regions: {', '.join(regions_of(project))})")
    return name


def region_help(root: Path | None) -> str:
    """`--region` help: the regions of the course at `root`, read from curriculum/resources.yaml."""
    text = "region for crisis lines (default: course.yaml default_region)"
    if root is None:
        return text
    from builder.model.source import parse_yaml, read_text

    source, _, problem = read_text(root, root / "curriculum" / "resources.yaml")
    data = parse_yaml(source, "curriculum/resources.yaml")[0] if source is not None and problem is None else None
    regions = sorted(data.get("regions", {})) if isinstance(data, dict) else []
    return f"{text}; this course has: {', '.join(regions)}" if regions else text


def project_path(root: Path, path: Path) -> Path:
    """`path` as given on the command line: relative paths are relative to the project."""
    return path if path.is_absolute() else root / path


def shown(path: Path, base: Path) -> str:
    """A path as printed: relative to `base` when inside it."""
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="the course project (default: .)")
