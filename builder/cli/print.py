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

PDFs go to `print/` in the project unless `--out` names a folder (or, for one PDF, a file).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from builder.checks import check_project
from builder.diagnostics import format_text
from builder.render import BuildOptions, RenderError, build_date
from builder.model.project import Project
from builder.render.print.documents import DocSpec, SelectError, all_specs, select

DEFAULT_OUT = Path("print")


def cmd_print(args: argparse.Namespace) -> int:
    """Check the course, then render the PDF(s) that `args.what` names."""
    result = check_project(args.root)
    if result.errors or result.project is None:
        sys.stdout.write(format_text(result.diagnostics, result.files))
        print("course: print stopped: fix the errors above", file=sys.stderr)
        return 1
    project = result.project
    region = (args.region or project.course.default_region).lower()
    if region not in project.resources.regions:
        print(f"course: error: no region '{region}' in curriculum/resources.yaml "
              f"(regions: {', '.join(sorted(project.resources.regions))})", file=sys.stderr)
        return 2
    what = (args.what or "workbook").strip()
    if what == "list":
        return _list(project, region)
    try:
        specs = select(project, what, region)
    except SelectError as e:
        print(f"course: error: {e}", file=sys.stderr)
        return 2

    from builder.build import source_revision
    from builder.render.print import render_specs

    paper = args.paper or BuildOptions.paper_for(region)
    opts = BuildOptions(region=region, audience="facilitator", paper=paper, jobs=getattr(args, "jobs", 0) or 0,
                        build_date=build_date(), revision=source_revision(project.root))
    if args.out is None:
        out = project.root / DEFAULT_OUT
    else:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    names = None
    if out.suffix.lower() == ".pdf":
        if len(specs) != 1:
            print(f"course: error: '{what}' makes {len(specs)} PDFs; --out must be a folder", file=sys.stderr)
            return 2
        names = {specs[0].name: out}
        folder = out.parent
    else:
        folder = out
    started = time.monotonic()
    try:
        report = render_specs(project, specs, folder, opts, names)
    except RenderError as e:
        sys.stdout.write(format_text(e.diagnostics, result.files))
        print("course: print failed", file=sys.stderr)
        return 1
    for spec in specs:
        path = (names or {}).get(spec.name, folder / spec.name)
        info = report.documents.get(spec.name, {})
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        pages = info.get('pages', 0)
        print(f"wrote {shown} ({pages} page{'s' if pages != 1 else ''}, {paper_name(paper)})")
    print(f"printed {len(specs)} PDF{'s' if len(specs) != 1 else ''} for {project.resources.regions[region].name} "
          f"in {time.monotonic() - started:.1f} s")
    return 0


def paper_name(paper: str) -> str:
    return "A4" if paper == "a4" else "US Letter"


def _list(project: Project, region: str) -> int:
    specs = all_specs(project, region)
    width = max(len(s.name) for s in specs)
    for s in specs:
        who = "facilitators" if s.audience == "facilitator" else "everyone"
        print(f"{_what(s):<24} {s.name:<{width}}  {who:<12} {s.title}")
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
