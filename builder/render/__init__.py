"""Renderers: each takes the loaded model and writes its outputs; none re-reads sources.

The contract every renderer follows:
- `plan_*(project, opts) -> list[Artifact]` lists what it will write, cheaply, without rendering
  (the site's Downloads page and the build cache use it);
- `render_*`/`export_*(project, out_root, opts) -> list[Artifact]` writes those files under
  `out_root` (the staging copy of `site/`) and returns them.
Renderers raise `RenderError` (with diagnostics) for problems found while rendering.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Literal

from builder.diagnostics import Diagnostic

Audience = Literal["participant", "facilitator"]
Paper = Literal["a4", "letter"]

# Paper size that schools in each region expect when nothing else is asked for.
REGION_PAPER: dict[str, Paper] = {"us": "letter", "ca": "letter"}


@dataclass(frozen=True)
class Artifact:
    path: str  # relative to the site root, POSIX style, e.g. "downloads/workbook.pdf"
    title: str
    description: str  # one line, shown on the Downloads page
    kind: Literal["pdf", "quiz", "page", "other"] = "other"


@dataclass(frozen=True)
class BuildOptions:
    region: str
    audience: Audience = "participant"
    offline: bool = False
    paper: Paper = "a4"
    jobs: int = 0  # PDF worker processes; 0 = number of cores
    pdf: bool = True
    build_date: str = ""  # ISO date; from SOURCE_DATE_EPOCH when set, so builds are reproducible
    revision: str = ""  # source revision (git), or "" when unknown
    extra: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def paper_for(region: str) -> Paper:
        return REGION_PAPER.get(region, "a4")


def build_date() -> str:
    """Today's date, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


class RenderError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics
