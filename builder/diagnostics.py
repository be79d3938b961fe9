"""Diagnostics as data: what is wrong, where, how bad, and how to fix it.

Checks return lists of `Diagnostic`; only the CLI prints them. Every code is registered
with `register()` so that `course codes` and the docs can list them, and so that
suppression markers can be checked against real codes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Literal

from builder.model.where import Where

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Code:
    """A diagnostic code such as `schema.unknown-key`, with a one-line description."""

    id: str
    summary: str
    severity: Severity = "error"


CODES: dict[str, Code] = {}


def register(id: str, summary: str, severity: Severity = "error") -> Code:
    """Declare a diagnostic code once, at import time, next to the check that uses it."""
    if id in CODES and CODES[id].summary != summary:
        raise ValueError(f"diagnostic code {id!r} registered twice")
    CODES[id] = Code(id, summary, severity)
    return CODES[id]


@dataclass(frozen=True, order=True)
class Diagnostic:
    where: Where
    severity: Severity
    message: str
    code: str
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        line = f"{self.where}: {self.severity}: {self.message} [{self.code}]"
        if self.hint:
            line += f"\n    hint: {self.hint}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.where.path,
            "line": self.where.line,
            "col": self.where.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def diag(
    code: Code, where: Where, message: str, hint: str | None = None, severity: Severity | None = None
) -> Diagnostic:
    """Make a diagnostic for a registered code (its default severity unless overridden)."""
    return Diagnostic(where, severity or code.severity, message, code.id, hint)


def sort_unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by path, line, column; exact repeats dropped."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for d in sorted(diags, key=lambda d: (d.where.path, d.where.line, d.where.col, d.code, d.message)):
        key = (d.where, d.severity, d.code, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def summary(diags: list[Diagnostic], files: int) -> str:
    counts = Counter(d.severity for d in diags)
    errors, warnings = counts["error"], counts["warning"]
    if not errors and not warnings:
        return f"no problems in {files} files"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{', '.join(parts)} in {files} files"


def format_text(diags: list[Diagnostic], files: int) -> str:
    lines = [d.format() for d in diags]
    lines.append(summary(diags, files))
    return "\n".join(lines) + "\n"


def format_json(diags: list[Diagnostic], files: int) -> str:
    return (
        json.dumps(
            {"files": files, "summary": summary(diags, files), "diagnostics": [d.as_dict() for d in diags]},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diags: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: inline annotations on the pull request."""
    out = []
    for d in diags:
        msg = f"{d.message} [{d.code}]" + (f"\nhint: {d.hint}" if d.hint else "")
        out.append(
            f"::{d.severity} file={_gh_escape(d.where.path, True)},line={d.where.line},"
            f"col={d.where.col},title={_gh_escape(d.code, True)}::{_gh_escape(msg)}"
        )
    return "\n".join(out) + ("\n" if out else "")
