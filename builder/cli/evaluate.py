"""`course evaluate RESULTS… [--out DIR] [--format text|json|github] [--min-group 5]`: read the
results of a course run (Moodle or Canvas downloads, or the paper template) and write the
evaluation report; print every reading problem and every flagged question as a diagnostic.

    course evaluate moodle-pre.csv moodle-post.xlsx
    course evaluate pre=grades-1.csv post/B=grades-2.csv --out build/evaluation
    course evaluate --template                 # the paper scoring template, into --out
"""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.cli.common import Stopped, UsageError, checked, print_diagnostics, project_path, say, shown, warn

HELP = "read LMS or paper results and write the evaluation report"
DEFAULT_OUT = Path("site/evaluation")


def _min_group(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 2:
        raise argparse.ArgumentTypeError("groups of fewer than 2 people are never shown; give 2 or more")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", nargs="*", metavar="RESULTS",
                   help="results files (CSV or .xlsx): Moodle quiz Grades or Responses report, Canvas Student "
                        "Analysis, the paper template, or filled-in survey templates; write pre=FILE or "
                        "post/B=FILE when the file name does not say pre or post (variant A before, B after, "
                        "unless given)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help=f"report folder (default: {DEFAULT_OUT})")
    p.add_argument("--format", choices=["text", "json", "github"], default="text",
                   help="how problems and flagged questions are printed")
    p.add_argument("--min-group", type=_min_group, default=5, metavar="N",
                   help="leave out every group smaller than this (default 5)")
    p.add_argument("--form", default="pre-post", help="the form of quizzes/forms.yaml (default: pre-post)")
    p.add_argument("--template", action="store_true",
                   help="write the paper scoring template(s) into --out and stop")
    p.add_argument("--instruments", action="store_true",
                   help="write the surveys of quizzes/surveys.yaml as forms (PDF), Moodle Feedback XML, QTI 1.2 "
                        "and CSV templates, and the paper template of every form, into --out, and stop")
    p.add_argument("--region", default=None, help="--instruments: the region whose crisis lines the forms list "
                                                 "(default: course.yaml default_region)")
    p.add_argument("--no-pdf", action="store_true", help="write the HTML report only")


def run(args: argparse.Namespace) -> int:
    from builder.evaluate import Source, SourceError, evaluate
    from builder.evaluate.instrument import instrument
    from builder.evaluate.readers import paper_template
    from builder.model.forms import find_form
    from builder.render import build_date
    from builder.util import write_atomic

    root: Path = args.root
    project = checked(root, "evaluate", report="errors").project
    assert project is not None
    out = project_path(root, args.out) if args.out is not None else root / DEFAULT_OUT
    form = find_form(project, args.form)
    if form is None:
        raise UsageError(f"no form '{args.form}' in quizzes/forms.yaml")
    if args.template:
        target = out / f"paper-template-{form.id}.csv"
        write_atomic(target, paper_template(instrument(project, form)))
        say(f"wrote {shown(target, root)}")
        return 0
    if args.instruments:
        from builder.cli.common import resolve_region
        from builder.evaluate.instruments import write_instruments

        files, problems = write_instruments(project, out, build_date(), pdf=not args.no_pdf,
                                            region=resolve_region(project, args.region))
        for p in problems:
            warn(f"course: evaluate: {p}")
        say(*(f"wrote {shown(f, root)}" for f in files))
        return 1 if problems else 0
    if not args.results:
        raise UsageError("give at least one results file (or --template for the paper template)")
    try:
        sources = [Source.parse(s) for s in args.results]
    except SourceError as e:
        raise UsageError(str(e)) from None
    seen = [s.path.resolve() for s in sources]
    twice = sorted({str(p) for p in seen if seen.count(p) > 1})
    if twice:
        raise UsageError(f"{', '.join(twice)} given more than once")
    cwd = Path.cwd()
    ev = evaluate(project, sources, form.id, args.min_group,
                  shown=lambda p: shown(p.resolve(), cwd) if p.exists() else str(p))
    print_diagnostics(ev.diagnostics, len(sources), args.format)
    if ev.failed:
        warn("course: evaluate stopped: fix the results files above (no report written)")
        raise Stopped(1)
    if ev.empty:
        warn("course: evaluate stopped: the files hold no attempts or survey answers to report on")
        raise Stopped(1)
    from builder.evaluate.report import write_report

    files, problems = write_report(project, ev, out, build_date(), pdf=not args.no_pdf)
    for p in problems:
        warn(f"course: evaluate: {p}")
    if args.format == "text":
        say(*(f"wrote {shown(f, root)}" for f in files))
    return 1 if problems else 0
