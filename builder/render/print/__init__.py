"""Printable PDFs: participant workbook, handouts, facilitator guide, quiz papers, crisis
cards and certificate, rendered with WeasyPrint into `downloads/`.

    plan_pdfs(project, opts)              -> the Artifacts a build will write (cheap)
    render_pdfs(project, out_root, opts)  -> writes them under out_root/downloads/

HTML is assembled here from the model (Jinja2 templates, one shared print stylesheet); the
PDFs are rendered in a process pool (`engine`). WeasyPrint is imported only by the workers.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from builder.cache import cache_root
from builder.diagnostics import Diagnostic, diag
from builder.model.project import Project
from builder.model.where import Where
from builder.render import Artifact, BuildOptions, Renderer, RenderError, RenderJob, register
from builder.render.print.documents import DocSpec, plan_specs, select

DOWNLOADS = "downloads"

__all__ = ["plan_pdfs", "render_pdfs", "render_specs", "PrintReport", "DocSpec", "select", "plan_specs"]


@dataclass
class PrintReport:
    """What the last render did, per document: pages, seconds, cache hits, warnings."""

    documents: dict[str, dict[str, object]] = field(default_factory=dict)
    seconds: float = 0.0


LAST_REPORT = PrintReport()


def plan_pdfs(project: Project, opts: BuildOptions) -> list[Artifact]:
    """The PDFs a build with `opts` writes, without rendering anything."""
    return [_artifact(s, opts) for s in plan_specs(project, opts)]


def render_pdfs(project: Project, out_root: Path, opts: BuildOptions) -> list[Artifact]:
    """Render every planned PDF into `out_root/downloads/`; raises RenderError on problems."""
    specs = plan_specs(project, opts)
    render_specs(project, specs, Path(out_root) / DOWNLOADS, opts)
    return [_artifact(s, opts) for s in specs]


def render_specs(project: Project, specs: list[DocSpec], out_dir: Path, opts: BuildOptions,
                 names: dict[str, Path] | None = None) -> PrintReport:
    """Render the given documents into `out_dir` (or to the paths in `names`, by spec name)."""
    import time

    from builder.render.print.assemble import Assembler
    from builder.render.print.engine import FontMissing, Job, find_font_dir, page_css, render_jobs
    from builder.render.print.glyphs import missing_glyphs
    from builder.render.print.parts import parts_mode, render_with_parts

    started = time.perf_counter()
    try:
        font_dir = find_font_dir(project.root)
    except FontMissing as e:
        raise RenderError([_problem("print.font", "node_modules", str(e))]) from None
    if opts.region not in project.resources.regions:
        raise RenderError([_problem("print.region", "curriculum/resources.yaml",
                                    f"no region '{opts.region}' to print crisis lines for")])
    asm = Assembler(project, opts)
    jobs = []
    for spec in specs:
        html = asm.html(spec)
        target = (names or {}).get(spec.name, out_dir / spec.name)
        jobs.append(Job(spec.name, html, page_css(opts.paper, asm.footer(spec)), target))
    diags = asm.diagnostics() + missing_glyphs(project, jobs, font_dir)
    if diags:
        raise RenderError(diags)
    cache = _cache_dir(project, opts)
    workers = opts.jobs or os.cpu_count() or 1
    def run(batch: list[Job]) -> list:
        return render_jobs(batch, [project.root, font_dir], font_dir, workers, opts.build_date, cache)

    try:
        # Long documents go through the pool as parts when a page map allows (parts.py); the
        # part PDFs live in a hidden folder next to the output (inside a build's staging folder)
        # and are gone before this returns.
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".parts-", dir=out_dir) as work:
            outcomes = render_with_parts(jobs, [s.kind for s in specs], cache, parts_mode(opts.extra), run,
                                         Path(work))
    except Exception as e:  # a worker that died (out of memory, killed): report, never a traceback
        for job in jobs:
            job.target.unlink(missing_ok=True)
        raise RenderError([_problem("print.render", "downloads", f"PDF rendering failed: {e!r}")]) from e
    problems = [_problem("print.render" if p.startswith("WeasyPrint") else "print.fetch", o.name, p)
                for o in outcomes for p in o.problems]
    if problems:
        for job in jobs:
            job.target.unlink(missing_ok=True)
        raise RenderError(problems)
    report = PrintReport({o.name: {"pages": o.pages, "seconds": round(o.seconds, 2), "cached": o.cached,
                                   "warnings": o.warnings} for o in outcomes},
                         seconds=time.perf_counter() - started)
    LAST_REPORT.documents, LAST_REPORT.seconds = report.documents, report.seconds
    return report


def _cache_dir(project: Project, opts: BuildOptions) -> Path | None:
    setting = opts.extra.get("pdf_cache", "")
    if setting == "off":
        return None
    return Path(setting) if setting else cache_root(project.root) / "print"


def _artifact(spec: DocSpec, opts: BuildOptions) -> Artifact:
    paper = "A4" if opts.paper == "a4" else "US Letter"
    return Artifact(path=f"{DOWNLOADS}/{spec.name}", title=spec.title,
                    description=f"{spec.description} PDF, {paper}.", kind="pdf", role=spec.kind, module=spec.module)


def _problem(code: str, path: str, message: str) -> Diagnostic:
    from builder.render.print.assemble import PRINT_PROBLEM

    return diag(PRINT_PROBLEM[code], Where(path, 1, 1), message)


def _plan_build(project: Project, opts: BuildOptions) -> list[Artifact]:
    return plan_pdfs(project, opts) if opts.pdf else []


def _render_build(project: Project, out_root: Path, opts: BuildOptions, job: RenderJob) -> list[Artifact]:
    return render_pdfs(project, out_root, opts) if opts.pdf else []


register(Renderer("pdf", _plan_build, _render_build, order=20))
