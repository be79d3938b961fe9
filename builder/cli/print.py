"""`course print [WHAT] [--paper a4|letter] [--region R] [--out P]`: build printable PDFs.

    course print                   the participant workbook
    course print facilitator       the facilitator guide
    course print handout:M2        one module's handout (id, number or folder)
    course print quiz:M2           a module's question paper and its answer key
    course print form:pre-post     every variant of a form, each with its answer key
    course print form:pre-post:B   one variant
    course print card --region uk  the pocket crisis cards for a region
    course print certificate       the certificate of completion
    course print list              what can be printed

PDFs go to `build/print/` in the project (git-ignored) unless `--out` names a folder (or, for
one PDF, a file).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from builder.cli.common import UsageError, checked, print_text, region_help, resolve_region, say, warn

if TYPE_CHECKING:
    from builder.model.project import Project
    from builder.render.print.documents import DocSpec

HELP = "build one printable PDF (into build/print/)"
DEFAULT_OUT = Path("build/print")


def add_arguments(p: argparse.ArgumentParser, root: Path | None = None) -> None:
    p.add_argument("what", nargs="?", default="workbook",
                   help="workbook | handout:M | facilitator | quiz:M | form:ID | card | certificate | list")
    p.add_argument("--paper", choices=["a4", "letter"], default=None,
                   help="paper size (default: the usual paper of the region: letter for us, ca)")
    p.add_argument("--region", help=region_help(root))
    p.add_argument("--edition", help="the edition (course.yaml `editions:`; default: default_edition)")
    p.add_argument("--out", type=Path,
                   help=f"output file or folder (default: {DEFAULT_OUT}/ in the project, git-ignored)")


def run(args: argparse.Namespace) -> int:
    """Check the course, then render the PDF(s) that `args.what` names."""
    from builder.render.print.documents import SelectError, select

    result = checked(args.root, "print", report="all")
    assert result.project is not None
    from builder.cli.build import resolve_edition
    from builder.model.editions import default_region, for_edition

    edition = resolve_edition(result.project, args.edition)
    project = for_edition(result.project, edition)
    region = resolve_region(project, args.region or (default_region(project, edition) if edition else None))
    what = (args.what or "workbook").strip()
    if what == "list":
        return _list(project, region)
    try:
        specs = select(project, what, region)
    except SelectError as e:
        raise UsageError(str(e)) from None

    from builder.build import source_revision
    from builder.render import BuildOptions, RenderError, build_date
    from builder.render.print import render_specs

    paper = args.paper or BuildOptions.paper_for(region)
    opts = BuildOptions(region=region, audience="facilitator", paper=paper, jobs=getattr(args, "jobs", 0) or 0,
                        build_date=build_date(), revision=source_revision(project.root), edition=edition)
    if args.out is None:
        out = project.root / DEFAULT_OUT
    else:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    names = None
    if out.suffix.lower() == ".pdf":
        if len(specs) != 1:
            raise UsageError(f"'{what}' makes {len(specs)} PDFs; --out must be a folder")
        names = {specs[0].name: out}
        folder = out.parent
    else:
        folder = out
    started = time.monotonic()
    try:
        report = render_specs(project, specs, folder, opts, names)
    except RenderError as e:
        print_text(e.diagnostics, result.files)
        warn("course: print failed")
        return 1
    for spec in specs:
        path = (names or {}).get(spec.name, folder / spec.name)
        info = report.documents.get(spec.name, {})
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        pages = info.get("pages", 0)
        say(f"wrote {shown} ({pages} page{'s' if pages != 1 else ''}, {paper_name(paper)})")
    say(f"printed {len(specs)} PDF{'s' if len(specs) != 1 else ''} for {project.resources.regions[region].name} "
        f"in {time.monotonic() - started:.1f} s")
    return 0


def paper_name(paper: str) -> str:
    return "A4" if paper == "a4" else "US Letter"


def _list(project: Project, region: str) -> int:
    from builder.render.print.documents import all_specs

    specs = all_specs(project, region)
    width = max(len(s.name) for s in specs)
    for s in specs:
        who = "facilitators" if s.audience == "facilitator" else "everyone"
        say(f"{_what(s):<24} {s.name:<{width}}  {who:<12} {s.title}")
    return 0


def _what(spec: DocSpec) -> str:
    """The WHAT argument that prints this document."""
    if spec.kind == "handout":
        return f"handout:{spec.module}"
    if spec.kind in ("quiz", "answers"):
        return f"quiz:{spec.module}"
    if spec.kind in ("form", "form-answers"):
        return f"form:{spec.form}:{spec.variant}"
    return spec.kind
