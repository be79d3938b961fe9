"""`course build`: check, then render the site, PDFs and quiz exports into `site/` atomically."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from builder.cli.common import checked, print_text, project_path, region_help, resolve_region, say, warn

HELP = "build the site, PDFs and quiz exports into site/"


def add_arguments(p: argparse.ArgumentParser, root: Path | None = None) -> None:
    p.add_argument("--region", help=region_help(root))
    p.add_argument("--audience", choices=["participant", "facilitator"], default="participant")
    p.add_argument("--offline", action="store_true", help="a site that works opened from disk")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    p.add_argument("--jobs", type=int, default=0, help="PDF worker processes (default: cores)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--site-url", help="the address the site will be served at (enables instant navigation)")


def run(args: argparse.Namespace) -> int:
    from builder.build import BuildBusy, build, source_revision
    from builder.render import BuildOptions, RenderError, build_date

    started = time.monotonic()
    checkup = checked(args.root, "build", report="always", strict=args.strict, left="; site/ was left as it was")
    project = checkup.project
    assert project is not None
    region = resolve_region(project, args.region)
    opts = BuildOptions(
        region=region,
        audience=args.audience,
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
    say(f"{state} {out.name}/ ({opts.audience}, region {opts.region}): site, {result.count('pdf')} PDFs, "
        f"{result.count('quiz')} quiz exports in {time.monotonic() - started:.1f} s")
    return 0
