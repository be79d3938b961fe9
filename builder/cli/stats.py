"""`course stats`: modules, lessons, words, questions by type, objective coverage."""

from __future__ import annotations

import argparse
import sys

from builder.cli.common import checked

HELP = "totals: modules, lessons, words, questions"


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from builder.stats import course_stats, format_stats

    project = checked(args.root, "", report="errors").project
    assert project is not None
    sys.stdout.write(format_stats(course_stats(project)))
    return 0
