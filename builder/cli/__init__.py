"""The `course` command line: the only place that parses arguments and prints.

    course check [--strict] [--format text|json|github]
    course build [--edition E] [--region R] [--audience participant|facilitator] [--offline] [--all]
    course print [WHAT] [--paper a4|letter] [--region R]
    course export quizzes --format F [--module M] [--out P]
    course package --format scorm12|scorm2004|cmi5|cc [--region R] [--out P]
    course serve
    course schema [--out DIR]
    course new module "Title" | course new lesson MODULE "Title"
    course stats [--edition E]
    course matrix [--format text|github] [--group edition|build]
    course diff OLD [NEW] [--format markdown|html|json|pdf] [--out P]
    course import FILE… --module M [--out P] [--dry-run]
    course evaluate RESULTS… [--out DIR] [--format text|json|github] [--min-group N]

Every command works on the project in the current folder, or `--root DIR`. Each command is
one module here (`add_arguments`, `run`); what they share (the region resolver, the "check,
then stop on errors" preamble, printing diagnostics) is in `builder.cli.common`. Modules
import MkDocs, WeasyPrint and lxml only inside `run`, so `course check` never pays for them.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Sequence

from builder import __version__
from builder.cli.common import Stopped, UsageError, add_root, warn

__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]

# Command name -> module under builder.cli (`print` is a module name too: it is never imported bare).
COMMANDS = ("check", "build", "print", "export", "package", "serve", "schema", "new", "stats", "evaluate", "import",
            "diff", "matrix")
# Commands whose module name differs (`import` is a Python keyword).
_MODULE_OF = {"import": "import_"}


def build_parser(root: Path | None = None) -> argparse.ArgumentParser:
    """The argument parser. With `root`, help texts name what that course has (its regions)."""
    common = argparse.ArgumentParser(add_help=False)
    add_root(common)

    parser = argparse.ArgumentParser(prog="course", description="Build and check a curriculum-as-code course.")
    parser.add_argument("--version", action="version", version=f"course {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"builder.cli.{_MODULE_OF.get(name, name)}")
        p = sub.add_parser(name, parents=[common], help=module.HELP)
        if "root" in inspect.signature(module.add_arguments).parameters:
            module.add_arguments(p, root)
        else:
            module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def _help_root(argv: Sequence[str]) -> Path | None:
    """The project whose regions `--help` lists: only looked up when help is asked for."""
    if not any(a in ("-h", "--help") for a in argv):
        return None
    pre = argparse.ArgumentParser(add_help=False)
    add_root(pre)
    known, _ = pre.parse_known_args(argv)
    root = Path(known.root).resolve()
    return root if root.is_dir() else None


# Exit status when the reader of our output went away (`course schema | head -1`): as if
# killed by SIGPIPE, the way other command-line tools end in a pipe.
BROKEN_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here, not at exit as "Exception ignored"
        return code
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE


def _run(argv: list[str]) -> int:
    parser = build_parser(_help_root(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, usage errors: argparse has printed them
        return e.code if isinstance(e.code, int) else 2
    args.root = args.root.resolve()
    if not args.root.is_dir():
        warn(f"course: error: {args.root} is not a folder")
        return 2
    try:
        return int(args.func(args))
    except UsageError as e:
        warn(f"course: error: {e}")
        return 2
    except Stopped as e:
        return e.code
    except KeyboardInterrupt:
        warn("course: interrupted")
        return 130


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what is still
    buffered cannot fail again (and print a traceback) after the pipe closed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass
