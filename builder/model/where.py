"""Source positions: which file, line and column a value came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Where:
    """A place in a source file. `path` is relative to the project root; line/col are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def shifted(self, lines: int) -> Where:
        """The same column, `lines` further down (for positions inside a Markdown body)."""
        return Where(self.path, self.line + lines, self.col)
