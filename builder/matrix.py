"""The build matrix: every edition x region x audience of a course (docs/editions.md).

`matrix_entries` lists the builds, `build_matrix` runs them in parallel worker processes into
`out/<edition>/<region>/<audience>/` (`out/<region>/<audience>/` for a course without
editions). Each build is a normal `builder.build.build` into its own folder (atomic, stamped,
locked), so one folder of the matrix can be published alone; they share the user's caches
(the PDF cache is keyed by each PDF's HTML, the site's page cache by each page's inputs), so
work whose inputs are the same in two builds is done once. Nothing here prints.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

from builder.model.editions import default_region
from builder.model.project import Project
from builder.render import Audience, BuildOptions


@dataclass(frozen=True)
class Entry:
    edition: str  # "" for a course without editions
    region: str
    audience: str

    def folder(self, out: Path) -> Path:
        parts = [self.edition] if self.edition else []
        return out.joinpath(*parts, self.region, self.audience)

    def as_dict(self) -> dict[str, str]:
        return {"edition": self.edition, "region": self.region, "audience": self.audience}


def matrix_entries(project: Project, *, editions: list[str] | None = None, regions: list[str] | None = None,
                   audiences: list[str] | None = None) -> list[Entry]:
    """Every build of the matrix, narrowed to the given editions, regions and audiences."""
    eds = [e.id for e in project.course.editions] or [""]
    regs = sorted(project.resources.regions)
    auds = list(get_args(Audience))
    return [Entry(e, r, a) for e in eds if not editions or e in editions
            for r in regs if not regions or r in regions
            for a in auds if not audiences or a in audiences]


def github_include(project: Project, group: str = "edition") -> list[dict[str, str]]:
    """The `include` list of a GitHub Actions matrix. `group="edition"`: one job per edition
    (it builds its regions and audiences with `course build --all --edition E`), which keeps a
    course with 50 editions within GitHub's 256 jobs; `group="build"`: one job per build."""
    entries = matrix_entries(project)
    if group == "build":
        return [e.as_dict() for e in entries]
    seen: list[str] = []
    for e in entries:
        if e.edition not in seen:
            seen.append(e.edition)
    return [{"edition": e, "default_region": default_region(project, e) if e else project.course.default_region}
            for e in seen]


@dataclass(frozen=True)
class MatrixResult:
    entry: Entry
    folder: str
    changed: bool
    pdfs: int
    quiz: int
    seconds: float
    error: str = ""


def _one(args: tuple[Project, Entry, Path, BuildOptions]) -> MatrixResult:
    from builder.build import build
    from builder.render import RenderError

    project, entry, out, opts = args
    started = time.monotonic()
    folder = entry.folder(out)
    try:
        result = build(project, folder, opts)
    except RenderError as e:
        return MatrixResult(entry, str(folder), True, 0, 0, time.monotonic() - started,
                            "; ".join(d.format() for d in e.diagnostics))
    except Exception as e:  # one failed build is reported; the others still run
        return MatrixResult(entry, str(folder), True, 0, 0, time.monotonic() - started, f"{type(e).__name__}: {e}")
    return MatrixResult(entry, str(folder), result.changed, result.count("pdf"), result.count("quiz"),
                        time.monotonic() - started)


def build_matrix(project: Project, out: Path, base: BuildOptions, entries: list[Entry],
                 parallel: int = 0) -> list[MatrixResult]:
    """Build every entry into its folder under `out`, `parallel` at a time (0: the cores).

    Each build's PDF workers get an equal share of the cores, so the machine is not asked for
    builds x cores processes at once."""
    cores = os.cpu_count() or 1
    parallel = max(1, min(parallel or cores, len(entries) or 1))
    pdf_jobs = base.jobs or max(1, cores // parallel)
    work = [(project, e, out, replace(base, edition=e.edition, region=e.region, audience=e.audience,  # type: ignore[arg-type]
                                      paper=BuildOptions.paper_for(e.region), jobs=pdf_jobs))
            for e in entries]
    if parallel == 1:
        return [_one(w) for w in work]
    with ProcessPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(_one, work))
