"""`course package --format scorm12|scorm2004|cmi5|cc|all [--region R] [--out P]`.

The whole course as one LMS package (docs/lms-packages.md): checks the project first (errors
stop it), builds the participant edition of the site offline, and writes the package
atomically into build/packages/ (or --out: a file, or a folder for the package's own name);
`--format all` writes the four from one build of the pages (what `make build` runs).
Organisers' command: a facilitator build (`course build --audience facilitator`) writes all
four into site/downloads/lms/.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from builder.cli.common import UsageError, checked, print_text, project_path, region_help, resolve_region, say, shown
from builder.util import write_atomic

HELP = "write the course as an LMS package: SCORM 1.2, SCORM 2004, cmi5 or Common Cartridge"
DEFAULT_OUT = Path("build/packages")
CHOICES = ("scorm12", "scorm2004", "cmi5", "cc", "all")


def add_arguments(p: argparse.ArgumentParser, root: Path | None = None) -> None:
    p.add_argument("--format", dest="package_format", required=True, help=" | ".join(CHOICES))
    p.add_argument("--region", help=region_help(root))
    p.add_argument("--edition", help="the edition (course.yaml `editions:`; default: default_edition)")
    p.add_argument("--out", type=Path,
                   help=f"output file or folder, relative to the project (default: {DEFAULT_OUT}/, git-ignored)")


def run(args: argparse.Namespace) -> int:
    from builder.build import source_revision
    from builder.render import BuildOptions, RenderError, build_date
    from builder.render.lms import FORMATS, build_packages

    fmt = (args.package_format or "").lower()
    if fmt not in FORMATS and fmt != "all":
        raise UsageError(f"unknown format '{args.package_format}' (choose from: {', '.join(CHOICES)})")
    formats = list(FORMATS) if fmt == "all" else [fmt]
    started = time.monotonic()
    result = checked(args.root, "package", report="errors", left="; nothing was written")
    assert result.project is not None
    from builder.cli.build import resolve_edition
    from builder.model.editions import default_region, for_edition

    edition = resolve_edition(result.project, args.edition)
    project = for_edition(result.project, edition)
    region = resolve_region(project, args.region or (default_region(project, edition) if edition else None))
    opts = BuildOptions(region=region, audience="facilitator", paper=BuildOptions.paper_for(region),
                        pdf=False, build_date=build_date(), revision=source_revision(project.root), edition=edition)
    try:
        packages = build_packages(project, opts, formats)
    except RenderError as e:
        print_text(e.diagnostics, result.files)
        return 1
    out = project_path(args.root, args.out if args.out is not None else DEFAULT_OUT)
    for one, (name, data) in packages.items():
        path = out if len(packages) == 1 and out.suffix and not out.is_dir() else out / name
        write_atomic(path, data)
        say(f"wrote {shown(path, args.root)} ({FORMATS[one].label}, region {region}, {len(data) / 1e6:.1f} MB)")
    say(f"{len(packages)} package{'s' if len(packages) != 1 else ''} in {time.monotonic() - started:.1f} s")
    return 0
