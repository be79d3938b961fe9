"""`course diff OLD [NEW] [--format markdown|html|json|pdf] [--out PATH]`: what changed
between two revisions of the course, for instructors and facilitators.

OLD and NEW are git revisions (tags, branches, commit ids) of the repository the project is
in, or folders holding a course; NEW defaults to the project as it is now (its working
tree). The report goes to standard output, or to `--out`; the PDF to `--out` or
`build/print/what-changed.pdf`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.common import UsageError, say, warn

HELP = "what changed between two revisions: lessons, objectives, quiz keys, help lines"
DEFAULT_PDF = Path("build/print/what-changed.pdf")
# GitHub keeps a pull-request comment under 65,536 characters.
COMMENT_LIMIT = 60000


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="git revision (tag, branch, commit) or course folder")
    p.add_argument("new", metavar="NEW", nargs="?", default=None,
                   help="git revision or course folder (default: the project as it is now)")
    p.add_argument("--format", choices=["markdown", "html", "json", "pdf"], default="markdown",
                   help="markdown (a pull request, CHANGELOG.md), html, json (for tools) or pdf (for facilitators)")
    p.add_argument("--out", type=Path, help="write here instead of standard output (PDF: build/print/what-changed.pdf)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="PDF paper size (default: a4)")
    p.add_argument("--changelog", action="store_true",
                   help="add the report in brief to CHANGELOG.md in the project (or --out) as NEW's version entry")
    p.add_argument("--max-chars", type=int, default=None,
                   help=f"Markdown: cut the report at this many characters (a pull-request comment: {COMMENT_LIMIT})")


def run(args: argparse.Namespace) -> int:
    from builder.diff import DiffError, diff, load_side
    from builder.diff.render import as_json, html_page, markdown
    from builder.util import write_atomic

    try:
        old = load_side(args.root, args.old)
        new = load_side(args.root, args.new) if args.new else load_side(args.root, str(args.root))
    except DiffError as e:
        raise UsageError(str(e)) from None
    if args.new is None:
        new.label = "working tree"
    for side in (old, new):
        if side.errors:
            warn(f"course diff: {side.label} has {len(side.errors)} error(s); comparing what loaded "
                 f"(first: {side.errors[0]})")
    report = diff(old, new)
    if args.changelog:
        return _changelog(args, report)
    if args.format == "pdf":
        return _pdf(args, report)
    if args.format == "json":
        text = as_json(report)
    elif args.format == "html":
        text = html_page(report)
    else:
        text = markdown(report, args.max_chars)
    if args.out is None:
        say(text.rstrip("\n"))
    else:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
        write_atomic(out, text)
        say(f"wrote {args.out} ({len(report.changes)} changes, suggested bump: {report.bump['suggested']})")
    return 0


def _changelog(args: argparse.Namespace, report: object) -> int:
    from builder.diff.changelog import FILE, add_entry, entry
    from builder.render import build_date
    from builder.util import write_atomic

    out = args.out if args.out is not None else args.root / FILE
    out = out if out.is_absolute() else Path.cwd() / out
    text = out.read_text(encoding="utf-8") if out.is_file() else None
    write_atomic(out, add_entry(text, entry(report, build_date())))  # type: ignore[arg-type]
    say(f"wrote {out} (version {report.new.version})")  # type: ignore[attr-defined]
    return 0


def _pdf(args: argparse.Namespace, report: object) -> int:
    from builder.diff.pdf import PdfError, render_pdf
    from builder.render import build_date

    out = args.out if args.out is not None else args.root / DEFAULT_PDF
    out = out if out.is_absolute() else Path.cwd() / out
    authors = ""
    try:
        from builder.model.load import load_project

        project, _ = load_project(args.root)
        authors = ", ".join(a.name for a in project.course.authors) if project else ""
    except Exception:  # the author line is metadata only
        authors = ""
    try:
        pages = render_pdf(report, args.root, out, paper=args.paper, author=authors,  # type: ignore[arg-type]
                           build_date=build_date())
    except PdfError as e:
        warn(f"course diff: {e}")
        return 1
    say(f"wrote {out} ({pages} page{'s' if pages != 1 else ''})")
    return 0
