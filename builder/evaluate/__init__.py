"""`course evaluate`: results of a course run in, an impact and item-analysis report out.

    evaluate(project, sources, form_id="pre-post", min_group=5, salt=None) -> Evaluation
    Source.parse("pre/A=results.csv") -> Source

`readers` turns Moodle, Canvas and paper results into attempts (participants known only by a
keyed hash of their e-mail or LMS id), `stats` computes the knowledge change and the item
analysis and flags questions, `report` writes the HTML page and the PDF. Everything returns
data and diagnostics; only builder.cli.evaluate prints.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from builder.diagnostics import Diagnostic, diag, register, sort_unique
from builder.evaluate.instrument import Instrument, instrument
from builder.evaluate.readers import PHASES, Attempt, Reading, read_results
from builder.evaluate.stats import Analysis, analyse, flag_diagnostics
from builder.evaluate.surveys import SurveyRow, SurveySummary, read_canvas_survey, read_survey_table, summarise
from builder.model.forms import find_form
from builder.model.project import Project
from builder.model.surveys import load_surveys
from builder.model.where import Where

EVAL_UNMATCHED = register("eval.unmatched", "Nobody after the course matches anybody before it.", "warning")
EVAL_NO_SURVEYS = register("eval.no-surveys", "Survey results for a course without quizzes/surveys.yaml.")
EVAL_DUPLICATE_FILES = register("eval.duplicate-across-files",
                                "The same participant in two files of the same phase.")

__all__ = ["Evaluation", "Source", "evaluate"]


class SourceError(ValueError):
    """A RESULTS argument that cannot be understood (a command-line mistake)."""


@dataclass(frozen=True)
class Source:
    path: Path
    phase: str | None = None
    variant: str | None = None

    @staticmethod
    def parse(spec: str) -> Source:
        """`FILE`, `pre=FILE`, `post/B=FILE`. Without a phase, the file name decides when it says
        pre/before or post/after; the paper template carries its own phase column."""
        m = re.match(r"^(pre|post)(?:/([A-Z]))?=(.+)$", spec, re.I)
        if m:
            return Source(Path(m.group(3)), m.group(1).lower(), m.group(2))
        if re.match(r"^[A-Za-z/]+=", spec) and not Path(spec).exists():
            raise SourceError(f"'{spec.split('=')[0]}' is not pre, post, pre/A or post/B (write pre=FILE)")
        path = Path(spec)
        words = set(re.split(r"[^a-z]+", path.stem.lower()))
        pre, post = words & {"pre", "before", "baseline", "pretest"}, words & {"post", "after", "posttest"}
        phase = "pre" if pre and not post else "post" if post and not pre else None
        return Source(path, phase, None)


@dataclass
class Evaluation:
    instrument: Instrument
    readings: list[Reading]
    attempts: list[Attempt]
    analysis: Analysis | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # reading problems and item flags
    notes: list[str] = field(default_factory=list)
    surveys: list[SurveySummary] = field(default_factory=list)
    survey_suppressed: list[str] = field(default_factory=list)
    min_group: int = 5

    @property
    def empty(self) -> bool:
        """Nothing to report: no knowledge attempts and no survey answers."""
        return self.analysis is None and not self.surveys

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def evaluate(project: Project, sources: list[Source], form_id: str = "pre-post", min_group: int = 5,
             salt: bytes | None = None, shown: Callable[[Path], str] | None = None) -> Evaluation:
    """Read every source for the form `form_id` and, when nothing failed, analyse them.

    `salt` keys the pseudonyms; by default a new random one each run, so pseudonyms are never
    the same in two runs and the report can never hold a lasting identifier. `shown` turns a
    path into the text diagnostics show (default: as given).
    """
    form = find_form(project, form_id)
    if form is None:
        raise SourceError(f"no form '{form_id}' in quizzes/forms.yaml")
    inst = instrument(project, form)
    salt = salt if salt is not None else secrets.token_bytes(16)
    readings = []
    for src in sources:
        name = shown(src.path) if shown else str(src.path)
        readings.append(read_results(src.path, name, inst, salt, src.phase, src.variant))
    diags = [d for r in readings for d in r.diagnostics]
    survey_rows: list[SurveyRow] = []
    survey_tables = [r for r in readings if r.layout in ("survey", "canvas-survey") and r.table is not None]
    surveys = load_surveys(project.root)[0] if survey_tables else None
    for r in survey_tables:
        assert r.table is not None
        if surveys is None:
            diags.append(diag(EVAL_NO_SURVEYS, r.table.where(), "survey results, but the course has no "
                              "usable quizzes/surveys.yaml", "run `course check` and fix quizzes/surveys.yaml"))
            continue
        if r.layout == "canvas-survey":
            rows, problems = read_canvas_survey(r.table, surveys, r.phase)
        else:
            rows, problems = read_survey_table(r.table, surveys)
        r.used = len(rows)
        survey_rows += rows
        diags += problems
        r.table = None  # answers stay inside the evaluation, never in a report
    attempts: list[Attempt] = []
    first: dict[tuple[str, str], Where] = {}
    for r in readings:
        for a in r.attempts:
            key = (a.pid, a.phase)
            if key in first and first[key].path != a.where.path:
                diags.append(diag(EVAL_DUPLICATE_FILES, a.where,
                                  f"the same participant already took the {a.phase}-test in {first[key].path}",
                                  "give each phase's results once (one file per quiz)"))
                continue
            first.setdefault(key, a.where)
            attempts.append(a)
    notes = [n for r in readings for n in r.notes]
    ev = Evaluation(inst, readings, attempts, None, diags, notes, min_group=min_group)
    if ev.failed:
        ev.diagnostics = sort_unique(diags)
        return ev
    if surveys is not None and survey_rows:
        ev.surveys, ev.survey_suppressed = summarise(surveys, survey_rows, min_group)
    if not any(a.phase == p for a in attempts for p in PHASES):
        ev.diagnostics = sort_unique(diags)
        return ev
    ev.analysis = analyse(project, inst, attempts, min_group)
    result = ev.analysis
    if result.matched == 0 and result.counts["pre"] and result.counts["post"]:
        post = next(x.where for x in attempts if x.phase == "post")
        diags.append(diag(EVAL_UNMATCHED, Where(post.path, 1, 1),
                          f"none of the {result.counts['post']} people after the course matches one of the "
                          f"{result.counts['pre']} before it, so there is no before-and-after change",
                          "people are matched by e-mail or ID number (Moodle), id (Canvas) or the participant "
                          "code (paper): use the same kind of file, or the same codes, for both tests"))
    ev.diagnostics = sort_unique(diags + flag_diagnostics(inst, ev.analysis.flags))
    return ev
