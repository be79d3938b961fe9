"""`course new module "Title"` | `course new lesson MODULE "Title"`: start files that pass the checks."""

from __future__ import annotations

import argparse

from builder.cli.common import UsageError, say, warn

HELP = "scaffold a module or lesson"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["module", "lesson"])
    p.add_argument("names", nargs="+", metavar="ARG")


def run(args: argparse.Namespace) -> int:
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
        warn(f"course: error: {e}")
        return 1
    say(*(f"created {path}" for path in created))
    return 0
