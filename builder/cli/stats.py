"""`course stats`: modules, lessons, words, questions by type, objective coverage."""

from __future__ import annotations

import argparse
import sys

from builder.cli.common import checked

HELP = "totals: modules, lessons, words, questions (of one edition with --edition)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--edition", help="the totals of this edition (course.yaml `editions:`); "
                                     "without it, the whole source and one line per edition")


def run(args: argparse.Namespace) -> int:
    from builder.cli.build import resolve_edition
    from builder.model.editions import for_edition
    from builder.stats import course_stats, format_stats

    project = checked(args.root, "", report="errors").project
    assert project is not None
    if args.edition is not None:
        edition = resolve_edition(project, args.edition)
        title = next(e.title for e in project.course.editions if e.id == edition)
        sys.stdout.write(f"edition: {edition} ({title})\n")
        sys.stdout.write(format_stats(course_stats(for_edition(project, edition))))
        return 0
    sys.stdout.write(format_stats(course_stats(project)))
    for e in project.course.editions:
        s = course_stats(for_edition(project, e.id))
        sys.stdout.write(f"edition {e.id}: lessons {sum(m.lessons for m in s.modules)}, "
                         f"lesson words {sum(m.words for m in s.modules)}, "
                         f"activities {sum(sum(m.activities.values()) for m in s.modules)}, "
                         f"questions {sum(s.questions.values())}\n")
    return 0
