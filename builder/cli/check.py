"""`course check [--strict] [--format text|json|github]`: report every problem in the course."""

from __future__ import annotations

import argparse

from builder.cli.common import failed, print_diagnostics

HELP = "report every problem in the curriculum"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")


def run(args: argparse.Namespace) -> int:
    from builder.checks import check_project

    result = check_project(args.root)
    print_diagnostics(result.diagnostics, result.files, args.format)
    return 1 if failed(result.diagnostics, args.strict) else 0
