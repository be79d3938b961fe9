"""`course check [--strict] [--format text|json|github]`: report every problem in the course."""

from __future__ import annotations

import argparse

from builder.cli.common import UsageError, failed, print_diagnostics

HELP = "report every problem in the curriculum"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--since", metavar="REV",
                   help="version rule: compare the content with this git revision (default: the last commit "
                        "that changed `version`, and only when course files have uncommitted changes)")


def run(args: argparse.Namespace) -> int:
    from builder.checks import check_project
    from builder.diff import DiffError

    try:
        result = check_project(args.root, since=args.since)
    except DiffError as e:
        raise UsageError(str(e)) from None
    print_diagnostics(result.diagnostics, result.files, args.format)
    return 1 if failed(result.diagnostics, args.strict) else 0
