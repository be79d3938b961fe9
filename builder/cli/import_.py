"""`course import FILE… --module M4 [--out PATH] [--dry-run] [--format F]`.

Reads Moodle XML, GIFT, Aiken and QTI 1.2 (Canvas zip or XML) files into the module's
question bank: appended to `quizzes/NN-slug.yaml` (created if missing), or written to
`--out`. Prints every question that could not be imported with its line and the reason,
then what was written. Errors (a file that does not parse, a bank the result would break)
stop it before anything is written: exit 1. `--dry-run` prints the YAML instead (for an
existing bank, only the questions that would be appended).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.cli.common import UsageError, checked, print_text, project_path, say, shown, warn

HELP = "import questions from Moodle XML, GIFT, Aiken or QTI 1.2 (Canvas) into a module's bank"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files to import (.xml, .txt, .gift, .zip)")
    p.add_argument("--module", required=True, help="the module that receives the questions (id, number or folder)")
    p.add_argument("--out", type=Path,
                   help="write a separate bank file here instead of appending to quizzes/NN-slug.yaml")
    p.add_argument("--format", dest="import_format", choices=["moodle", "gift", "aiken", "qti12"],
                   help="the files' format (default: recognised from each file)")
    p.add_argument("--dry-run", action="store_true", help="print the YAML and what would change; write nothing")


def run(args: argparse.Namespace) -> int:
    from builder.importers import apply, plan_import

    result = checked(args.root, "import", report="errors", left="; nothing was imported")
    project = result.project
    assert project is not None
    module = project.module(args.module)
    if module is None:
        raise UsageError(f"no module '{args.module}' (modules: {', '.join(m.id for m in project.modules)})")
    files = []
    for f in args.files:
        path = f if f.is_absolute() else Path.cwd() / f
        if not path.is_file():
            raise UsageError(f"{f}: no such file")
        files.append((path, str(f)))
    out = project_path(args.root, args.out) if args.out is not None else None
    plan = plan_import(project, module, files, out=out, fmt=args.import_format)
    diags = plan.errors + plan.warnings
    if diags:
        print_text(sorted(diags), len(files))
    for where, qid in plan.duplicates:
        say(f"{where}: already in the bank as {qid}: not imported again")
    if plan.errors:
        warn("course: import stopped: fix the errors above; nothing was written")
        return 1
    n = len(plan.questions)
    say(f"{n} question{'s' if n != 1 else ''} imported, {len(plan.skipped)} not importable "
        f"(listed above as import.unsupported)")
    if not plan.questions:
        return 0
    if args.dry_run:
        say(f"--dry-run: would {'append to' if plan.appended else 'write'} {shown(plan.target, args.root)}"
            + (f" and copy {len(plan.media)} file(s) into {module.folder}/media/" if plan.media else ""))
        if plan.appended:
            from builder.importers.bank import dump_questions

            say("questions:  # ... after the bank's own questions")
            sys.stdout.write(dump_questions(plan.questions))
        else:
            sys.stdout.write(plan.text)
        return 0
    for path in apply(plan):
        verb = "appended to" if (path == plan.target and plan.appended) else "wrote"
        say(f"{verb} {shown(path, args.root)}")
    return 0
