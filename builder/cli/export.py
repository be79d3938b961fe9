"""`course export quizzes --format F [--module M | --form ID] [--out P]`.

Checks the project first (errors stop the export, printed as `path:line:col: …`), writes
the format's file(s) atomically, then prints what the format cannot carry, question by
question, so instructors know before they import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.cli.common import UsageError, checked, print_text, project_path, say, shown, warn
from builder.util import write_atomic

HELP = "export quiz banks for an LMS (into build/exports/)"
DEFAULT_OUT = Path("build/exports")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["quizzes"])
    p.add_argument("--format", dest="export_format", required=True,
                   help="moodle | gift | aiken | qti12 | qti21 | cc11 | json | csv")
    p.add_argument("--module", help="one module (id, number or folder); default all")
    p.add_argument("--form", help="a form from quizzes/forms.yaml instead of the banks")
    p.add_argument("--edition", help="the edition (course.yaml `editions:`; default: default_edition)")
    p.add_argument("--out", type=Path,
                   help=f"output file or folder, relative to the project (default: {DEFAULT_OUT}/, git-ignored)")


def _targets(out: Path, names: list[str]) -> dict[str, Path]:
    """`--out` is the file itself when the export is one file and `out` has a suffix;
    otherwise it is a folder that receives the files under their own names."""
    if len(names) == 1 and out.suffix and not out.is_dir():
        return {names[0]: out}
    return {n: out / n for n in names}


def run(args: argparse.Namespace) -> int:
    """Export one quiz format; returns the exit code (0 ok, 1 bad course, 2 bad usage)."""
    from builder.model.forms import find_form, form_diagnostics
    from builder.render.quiz import FORMATS, export_format, form_collection, loss_table
    from builder.render.quiz.common import Collection, bank_collection

    fmt = (args.export_format or "").lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{args.export_format}' (choose from: {', '.join(FORMATS)})")
    if args.module and args.form:
        raise UsageError("use --module or --form, not both")
    result = checked(args.root, "export", report="errors", left="; nothing was written")
    assert result.project is not None
    from builder.cli.build import resolve_edition
    from builder.model.editions import for_edition

    project = for_edition(result.project, resolve_edition(result.project, args.edition))
    coll: Collection
    if args.form:
        form = find_form(project, args.form)
        if form is None:
            known = ", ".join(f.id for f in project.forms.forms) if project.forms else "none"
            raise UsageError(f"no form '{args.form}' in quizzes/forms.yaml (forms: {known})")
        warnings = [d for d in form_diagnostics(project) if f"form '{form.id}'" in d.message]
        if warnings:
            print_text(warnings, result.files)
        coll = form_collection(project, form)
    else:
        if args.module and project.module(args.module) is None:
            raise UsageError(f"no module '{args.module}' (modules: {', '.join(m.id for m in project.modules)})")
        coll = bank_collection(project, args.module)
    if not coll.sections:
        warn("course: nothing to export: no questions")
        return 1
    exported = export_format(coll, fmt)
    out = project_path(args.root, args.out if args.out is not None else DEFAULT_OUT)
    for name, path in _targets(out, sorted(exported.files)).items():
        write_atomic(path, exported.files[name])
        say(f"wrote {shown(path, args.root)}")
    say("")
    sys.stdout.write(loss_table(FORMATS[fmt].label, exported.losses))
    return 0
