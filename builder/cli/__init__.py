"""The `course` command line: the only place that prints.

    course check [--strict] [--format text|json|github]
    course build [--region R] [--audience participant|facilitator] [--offline]
    course print [WHAT] [--paper a4|letter] [--region R]
    course export quizzes --format F [--module M] [--out P]
    course serve
    course schema [--out DIR]
    course new module "Title" | course new lesson MODULE "Title"
    course stats

Every command works on the project in the current folder, or `--root DIR`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from builder import __version__
from builder.diagnostics import Diagnostic, format_github, format_json, format_text


class UsageError(Exception):
    """A command-line mistake: printed as `course: error: …`, exit status 2."""


def _print_diagnostics(diags: list[Diagnostic], files: int, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(format_json(diags, files))
        return
    if fmt == "github" or (fmt == "text" and os.environ.get("GITHUB_ACTIONS") == "true"):
        sys.stdout.write(format_github(diags))
        if fmt == "github":
            return
    sys.stdout.write(format_text(diags, files))


def _failed(diags: list[Diagnostic], strict: bool) -> bool:
    return any(d.severity == "error" or (strict and d.severity == "warning") for d in diags)


def cmd_check(args: argparse.Namespace) -> int:
    from builder.checks import check_project

    result = check_project(args.root)
    _print_diagnostics(result.diagnostics, result.files, args.format)
    return 1 if _failed(result.diagnostics, args.strict) else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from builder.schema_export import write_schemas

    for path in write_schemas(args.root / args.out):
        print(path.relative_to(args.root).as_posix() if path.is_relative_to(args.root) else path)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from builder.scaffold import ScaffoldError, new_lesson, new_module

    try:
        if args.what == "module":
            if len(args.names) != 1:
                raise UsageError('usage: course new module "Title"')
            created = new_module(args.root, args.names[0])
        else:
            if len(args.names) != 2:
                raise UsageError('usage: course new lesson MODULE "Title"')
            created = new_lesson(args.root, args.names[0], args.names[1])
    except ScaffoldError as e:
        print(f"course: error: {e}", file=sys.stderr)
        return 1
    for path in created:
        print(f"created {path}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from builder.checks import check_project
    from builder.stats import course_stats, format_stats

    result = check_project(args.root)
    if result.project is None or result.errors:
        _print_diagnostics(result.errors, result.files, "text")
        return 1
    print(format_stats(course_stats(result.project)), end="")
    return 0


def _lazy(module: str, func: str) -> Callable[[argparse.Namespace], int]:
    """Commands whose code (MkDocs, WeasyPrint, lxml) is heavy import only when run."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), func)(args))

    return run


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the course project (default: .)")

    parser = argparse.ArgumentParser(prog="course", description="Build and check a curriculum-as-code course.")
    parser.add_argument("--version", action="version", version=f"course {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("check", parents=[common], help="report every problem in the curriculum")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", parents=[common], help="build the site, PDFs and quiz exports into site/")
    p.add_argument("--region", help="region for crisis lines (default: course.yaml default_region)")
    p.add_argument("--audience", choices=["participant", "facilitator"], default="participant")
    p.add_argument("--offline", action="store_true", help="a site that works opened from disk")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    p.add_argument("--jobs", type=int, default=0, help="PDF worker processes (default: cores)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--site-url", help="the address the site will be served at (enables instant navigation)")
    p.set_defaults(func=_lazy("builder.build", "cmd_build"))

    p = sub.add_parser("print", parents=[common], help="build one printable PDF")
    p.add_argument("what", nargs="?", default="workbook",
                   help="workbook | handout:M | facilitator | quiz:M | form:ID | card | certificate | list")
    p.add_argument("--paper", choices=["a4", "letter"], default=None,
                   help="paper size (default: the usual paper of the region: letter for us, ca)")
    p.add_argument("--region", help="region for crisis lines")
    p.add_argument("--out", type=Path, help="output file or folder")
    p.set_defaults(func=_lazy("builder.render.print.cli", "cmd_print"))

    p = sub.add_parser("export", parents=[common], help="export quiz banks for an LMS")
    p.add_argument("what", choices=["quizzes"])
    p.add_argument("--format", dest="export_format", required=True,
                   help="moodle | gift | aiken | qti12 | qti21 | cc11 | json | csv")
    p.add_argument("--module", help="one module (id, number or folder); default all")
    p.add_argument("--form", help="a form from quizzes/forms.yaml instead of the banks")
    p.add_argument("--out", type=Path, help="output file or folder")
    p.set_defaults(func=_lazy("builder.render.quiz.cli", "cmd_export"))

    p = sub.add_parser("serve", parents=[common], help="preview the site with live reload")
    p.add_argument("--region")
    p.add_argument("--audience", choices=["participant", "facilitator"], default="participant")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.set_defaults(func=_lazy("builder.render.site.serve", "cmd_serve"))

    p = sub.add_parser("schema", parents=[common], help="write JSON Schemas for editors")
    p.add_argument("--out", type=Path, default=Path("schema"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", parents=[common], help="scaffold a module or lesson")
    p.add_argument("what", choices=["module", "lesson"])
    p.add_argument("names", nargs="+", metavar="ARG")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("stats", parents=[common], help="totals: modules, lessons, words, questions")
    p.set_defaults(func=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    if not args.root.is_dir():
        print(f"course: error: {args.root} is not a folder", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except UsageError as e:
        print(f"course: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
