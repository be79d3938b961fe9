"""`course matrix`: the build matrix (editions x regions x audiences) read from course.yaml."""

from __future__ import annotations

import argparse
import json
import sys

from builder.cli.common import checked

HELP = "the build matrix (editions x regions x audiences), e.g. as a GitHub Actions include list"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["github", "text"], default="text",
                   help="github: the JSON of a GitHub Actions matrix (`fromJSON`); text: one build a line")
    p.add_argument("--group", choices=["edition", "build"], default="edition",
                   help="github: one job per edition (default; it runs `course build --all --edition E`) "
                        "or one job per build")


def run(args: argparse.Namespace) -> int:
    from builder.matrix import github_include, matrix_entries

    project = checked(args.root, "matrix", report="errors").project
    assert project is not None
    if args.format == "github":
        sys.stdout.write(json.dumps({"include": github_include(project, args.group)}, separators=(",", ":")) + "\n")
        return 0
    for e in matrix_entries(project):
        sys.stdout.write(f"{e.edition or '-'} {e.region} {e.audience}\n")
    return 0
