"""`course export quizzes --format F [--module M | --form ID] [--out P]`.

Checks the project first (errors stop the export, printed as `path:line:col: …`), writes
the format's file(s) atomically, then prints what the format cannot carry, question by
question, so instructors know before they import.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from builder.checks import check_project
from builder.diagnostics import format_text
from builder.render.quiz import FORMATS, export_format, form_collection, loss_table
from builder.render.quiz.common import Collection, bank_collection
from builder.model.forms import find_form, form_diagnostics

DEFAULT_OUT = Path("exports")


def _error(message: str) -> int:
    print(f"course: error: {message}", file=sys.stderr)
    return 2


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _targets(out: Path, names: list[str]) -> dict[str, Path]:
    """`--out` is the file itself when the export is one file and `out` has a suffix;
    otherwise it is a folder that receives the files under their own names."""
    if len(names) == 1 and out.suffix and not out.is_dir():
        return {names[0]: out}
    return {n: out / n for n in names}


def cmd_export(args: argparse.Namespace) -> int:
    """Export one quiz format; returns the exit code (0 ok, 1 bad course, 2 bad usage)."""
    fmt = (args.export_format or "").lower()
    if fmt not in FORMATS:
        return _error(f"unknown format '{args.export_format}' (choose from: {', '.join(FORMATS)})")
    if args.module and args.form:
        return _error("use --module or --form, not both")
    result = check_project(args.root)
    project = result.project
    if result.errors or project is None:
        sys.stdout.write(format_text(result.errors, result.files))
        print("course: export stopped: fix the errors above; nothing was written", file=sys.stderr)
        return 1
    coll: Collection
    if args.form:
        form = find_form(project, args.form)
        if form is None:
            known = ", ".join(f.id for f in project.forms.forms) if project.forms else "none"
            return _error(f"no form '{args.form}' in quizzes/forms.yaml (forms: {known})")
        warnings = [d for d in form_diagnostics(project) if f"form '{form.id}'" in d.message]
        if warnings:
            sys.stdout.write(format_text(warnings, result.files))
        coll = form_collection(project, form)
    else:
        if args.module and project.module(args.module) is None:
            return _error(f"no module '{args.module}' (modules: {', '.join(m.id for m in project.modules)})")
        coll = bank_collection(project, args.module)
    if not coll.sections:
        print("course: nothing to export: no questions", file=sys.stderr)
        return 1
    exported = export_format(coll, fmt)
    out = args.out if args.out is not None else DEFAULT_OUT
    out = out if out.is_absolute() else args.root / out
    for name, path in _targets(out, sorted(exported.files)).items():
        _write_atomic(path, exported.files[name])
        shown = path.relative_to(args.root) if path.is_relative_to(args.root) else path
        print(f"wrote {shown.as_posix() if isinstance(shown, Path) else shown}")
    print()
    print(loss_table(FORMATS[fmt].label, exported.losses), end="")
    return 0
