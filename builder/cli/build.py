"""`course build`: check, then render the site, PDFs and quiz exports into `site/` atomically."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from builder.cli.common import (
    UsageError,
    checked,
    print_text,
    project_path,
    region_help,
    resolve_region,
    say,
    warn,
)
from builder.model.editions import default_region

if TYPE_CHECKING:
    from builder.model.project import Project

HELP = "build the site, PDFs and quiz exports into site/"


def add_arguments(p: argparse.ArgumentParser, root: Path | None = None) -> None:
    p.add_argument("--region", help=region_help(root))
    p.add_argument("--audience", choices=["participant", "facilitator"], default=None,
                   help="participant (default) or facilitator")
    p.add_argument("--offline", action="store_true", help="a site that works opened from disk")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    p.add_argument("--jobs", type=int, default=0, help="PDF worker processes (default: cores)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--site-url", help="the address the site will be served at (enables instant navigation)")
    p.add_argument("--edition", help="the edition to build (course.yaml `editions:`; default: default_edition); "
                   "with --all, only this edition's builds")
    p.add_argument("--all", action="store_true",
                   help="build the whole matrix (editions x regions x audiences) into "
                        "OUT/<edition>/<region>/<audience>/; --edition, and --region and --audience "
                        "when given, narrow it")
    p.add_argument("--parallel", type=int, default=0, help="with --all: builds at a time (default: cores)")


def run(args: argparse.Namespace) -> int:
    from builder.build import BuildBusy, build, source_revision
    from builder.render import BuildOptions, RenderError, build_date

    started = time.monotonic()
    checkup = checked(args.root, "build", report="always", strict=args.strict, left="; site/ was left as it was")
    project = checkup.project
    assert project is not None
    edition = resolve_edition(project, args.edition)
    if args.all:
        return _run_all(args, project, checkup.files, edition if args.edition else None, started)
    region = resolve_region(project, args.region or (default_region(project, edition) if edition else None))
    opts = BuildOptions(
        edition=edition,
        region=region,
        audience=args.audience or "participant",
        offline=args.offline,
        paper=BuildOptions.paper_for(region),
        jobs=args.jobs,
        pdf=not args.no_pdf,
        build_date=build_date(),
        revision=source_revision(project.root),
        extra={"site_url": args.site_url} if args.site_url else {},
    )
    out = project_path(args.root, args.out)
    try:
        result = build(project, out, opts)
    except BuildBusy as e:
        warn(f"course: error: {e}")
        return 1
    except RenderError as e:
        print_text(e.diagnostics, checkup.files)
        warn("course: build failed; site/ was left as it was")
        return 1
    state = "built" if result.changed else "up to date, nothing written:"
    say(f"{state} {out.name}/ ({f'edition {edition}, ' if edition else ''}{opts.audience}, region {opts.region}): "
        f"site, {result.count('pdf')} PDFs, "
        f"{result.count('quiz')} quiz exports in {time.monotonic() - started:.1f} s")
    return 0


def resolve_edition(project: Project, name: str | None) -> str:
    """The edition a command runs for: `--edition`, else the course's default edition ("" for a
    course without editions)."""
    from builder.model.editions import default_edition

    known = [e.id for e in project.course.editions]
    if name is None:
        return default_edition(project)
    if name not in known:
        raise UsageError(f"no edition '{name}' in curriculum/course.yaml"
                         + (f" (editions: {', '.join(known)})" if known else " (it declares no editions)"))
    return name


def _run_all(args: argparse.Namespace, project: Project, files: int, edition: str | None,
             started: float) -> int:
    from builder.build import source_revision
    from builder.matrix import build_matrix, matrix_entries
    from builder.render import BuildOptions, build_date

    if args.region:
        resolve_region(project, args.region)
    entries = matrix_entries(project, editions=[edition] if edition else None,
                             regions=[args.region.lower()] if args.region else None,
                             audiences=[args.audience] if args.audience else None)
    base = BuildOptions(region=project.course.default_region, offline=args.offline, jobs=args.jobs,
                        pdf=not args.no_pdf, build_date=build_date(), revision=source_revision(project.root),
                        extra={"site_url": args.site_url} if args.site_url else {})
    out = project_path(args.root, args.out)
    results = build_matrix(project, out, base, entries, parallel=args.parallel)
    failed = [r for r in results if r.error]
    for r in results:
        where = Path(r.folder).relative_to(out.parent) if Path(r.folder).is_relative_to(out.parent) else r.folder
        if r.error:
            warn(f"course: build of {where}/ failed: {r.error}")
        else:
            state = "built" if r.changed else "up to date:"
            say(f"{state} {where}/: site, {r.pdfs} PDFs, {r.quiz} quiz exports in {r.seconds:.1f} s")
    say(f"{len(results) - len(failed)} of {len(results)} builds done in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0
