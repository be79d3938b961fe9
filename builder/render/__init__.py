"""Renderers: each takes the loaded model and writes its outputs; none re-reads sources.

Every output format is one `Renderer` that its own module registers (`register`) when it is
imported; `course build` (builder.build) renders whatever `renderers()` returns, so a new
format is one new module under builder/render/, never a new branch in the build:
- `plan(project, opts) -> list[Artifact]` lists what it will write, cheaply, without rendering
  (the site's Downloads page and module overviews, and the build's record, use it);
- `render(project, out_root, opts, job) -> list[Artifact]` writes those files under
  `out_root` (the staging copy of `site/`) and returns them; `job` holds what the build knows
  beyond the model: every renderer's planned artifacts, and where the output will end up.
Renderers run in `order` (the site first: MkDocs empties its folder). They raise
`RenderError` (with diagnostics) for problems found while rendering, and never print.

Artifacts say what they are (`role`, `module`), so a renderer that links another's files
(the site links each module's handout) finds them by those fields, never by file name.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from builder.diagnostics import Diagnostic

if TYPE_CHECKING:
    from builder.model.project import Project

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
    role: str = ""  # what the file is for, e.g. "handout", "workbook", "answers" (a PDF: its document kind)
    module: str = ""  # the module it belongs to (id, e.g. "M3"), or "" for the whole course


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
    # The edition (docs/editions.md): "" for a course without editions. The build hands every
    # renderer the edition's copy of the project (builder.model.editions.for_edition), so
    # renderers only name it (cover, running header, certificate, site header).
    edition: str = ""

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


def edition_title(project: Project, opts: BuildOptions) -> str:
    """The title of the build's edition ("School edition"), or "" without editions."""
    for e in project.course.editions:
        if e.id == opts.edition:
            return e.title
    return ""


@dataclass(frozen=True)
class RenderJob:
    """What the build tells every renderer besides the model and the options."""

    planned: tuple[Artifact, ...] = ()  # every registered renderer's plan, in order
    output: Path | None = None  # the folder the staging folder becomes (site/)
    previous: Path | None = None  # that folder as the last build left it, if there is one


@dataclass(frozen=True)
class Renderer:
    name: str
    plan: Callable[[Project, BuildOptions], list[Artifact]]
    render: Callable[[Project, Path, BuildOptions, RenderJob], list[Artifact]]
    order: int = 50  # lower renders first


_REGISTRY: dict[str, Renderer] = {}


def register(renderer: Renderer) -> Renderer:
    """Add an output format to every build (a module calls this when it is imported)."""
    _REGISTRY[renderer.name] = renderer
    return renderer


def renderers() -> list[Renderer]:
    """Every registered renderer, in render order. Imports each package under builder/render/
    first, so a format's module registers itself just by being there."""
    for info in pkgutil.iter_modules(__path__, f"{__name__}."):
        importlib.import_module(info.name)
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.name))
