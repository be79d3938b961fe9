"""`course schema [--out DIR]`: JSON Schemas of every curriculum file, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.common import project_path, say, shown

HELP = "write JSON Schemas for editors (into build/schema/)"
DEFAULT_OUT = Path("build/schema")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help=f"output folder, relative to the project (default: {DEFAULT_OUT}/, git-ignored)")


def run(args: argparse.Namespace) -> int:
    from builder.schema_export import write_schemas

    for path in write_schemas(project_path(args.root, args.out)):
        say(shown(path, args.root))
    return 0
