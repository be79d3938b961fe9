"""Survey results (the CSV template of `course evaluate --instruments`, filled in from paper or
from an online form's download) read and summarised without identifying anyone.

A row is one form: `survey` (its id in quizzes/surveys.yaml), `phase` (before, after or
follow-up; pre and post are read as before and after; empty when the survey is given once),
`group` (optional), then one column per item id. A rating is its number (1 = the scale's
lowest level) or its words; a choice the option number(s) ("1 3") or the option's words;
text as written. Blank or "-" is no answer.

Summaries: for each survey, item and phase, how many answered and the share at each level or
option; free-text answers grouped per question, in alphabetical order (never in the order
people handed them in, and never beside anything else they answered). Any of these from
fewer than `min_group` people is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.diagnostics import Diagnostic, diag, register
from builder.evaluate.tables import Table
from builder.model.surveys import Survey, Surveys

SURVEY_RANGE = register("eval.survey-answer", "A survey answer that is not a level or option of its item.")
SURVEY_UNKNOWN = register("eval.survey-unknown", "A survey row or column that names no survey or item.")

PHASE_WORDS = {"before": "before", "pre": "before", "after": "after", "post": "after", "follow-up": "follow-up",
               "followup": "follow-up", "follow up": "follow-up"}
PHASE_NAMES = {"before": "Before the course", "after": "After the course", "follow-up": "A few months later"}
EMPTY = {"", "-", "–", "—"}


@dataclass
class SurveyRow:
    survey: str
    phase: str
    group: str
    answers: dict[str, int | frozenset[int] | str] = field(default_factory=dict)  # level (0-based), options, text


@dataclass
class ItemSummary:
    item: str
    text: str
    type: str
    phase: str
    n: int
    levels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    mean: float | None = None  # ratings: mean level, 1-based
    comments: list[str] = field(default_factory=list)
    suppressed: bool = False


@dataclass
class SurveySummary:
    survey: Survey
    phases: list[str]
    respondents: dict[str, int]
    items: list[ItemSummary]


def read_survey_table(table: Table, surveys: Surveys) -> tuple[list[SurveyRow], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    scol = table.column("survey")
    pcol, gcol = table.column("phase"), table.column("group")
    assert scol is not None
    known = {"survey", "phase", "group"}
    all_items = {it.id for s in surveys.surveys for it in s.items}
    columns: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if h.casefold() in known:
            continue
        if h in all_items and h not in columns:
            columns[h] = i
        else:
            diags.append(diag(SURVEY_UNKNOWN, table.where(None, i),
                              f"column '{h}' is no item of quizzes/surveys.yaml (or a repeat); it is not used",
                              "the headings are item ids, as in the survey's template", severity="warning"))
    rows: list[SurveyRow] = []
    for r, cells in enumerate(table.rows):
        survey = surveys.survey(cells[scol])
        if survey is None:
            diags.append(diag(SURVEY_UNKNOWN, table.where(r, scol), f"no survey '{cells[scol]}'",
                              f"the surveys are: {', '.join(s.id for s in surveys.surveys)}"))
            continue
        raw = cells[pcol].casefold().strip() if pcol is not None else ""
        phase = PHASE_WORDS.get(raw, "") if raw else (survey.when[0] if len(survey.when) == 1 else "")
        if phase not in survey.when:
            diags.append(diag(SURVEY_RANGE, table.where(r, pcol if pcol is not None else scol),
                              f"phase '{cells[pcol] if pcol is not None else ''}' is not one of this survey's: "
                              f"{', '.join(survey.when)}", "write before, after or follow-up"))
            continue
        row = SurveyRow(survey.id, phase, cells[gcol] if gcol is not None else "")
        items = {it.id: it for it in survey.items}
        for qid, c in columns.items():
            cell = cells[c]
            if cell in EMPTY:
                continue
            it = items.get(qid)
            if it is None:
                diags.append(diag(SURVEY_UNKNOWN, table.where(r, c),
                                  f"{qid} is not an item of survey '{survey.id}'; the answer is not used",
                                  severity="warning"))
                continue
            if it.type == "text":
                row.answers[qid] = cell
                continue
            choices = surveys.scales.get(it.scale or "", []) if it.type == "rating" else it.options
            picked = _pick(cell, choices)
            if picked is None or (it.type == "rating" or not it.multiple) and len(picked) != 1:
                diags.append(diag(SURVEY_RANGE, table.where(r, c),
                                  f"{qid}: '{cell}' is not " + ("a number from 1 to " if it.type == "rating" else
                                                                 "option number(s) 1 to ") + str(len(choices)),
                                  f"write the number, or the words: {', '.join(choices)}"))
                continue
            row.answers[qid] = next(iter(picked)) if it.type == "rating" else frozenset(picked)
        rows.append(row)
    return rows, diags


def _pick(cell: str, choices: list[str]) -> set[int] | None:
    words = {c.casefold(): i for i, c in enumerate(choices)}
    if cell.casefold() in words:
        return {words[cell.casefold()]}
    parts = [p for p in re.split(r"[\s,;/]+", cell.strip()) if p]
    if parts and all(p.isdigit() and 1 <= int(p) <= len(choices) for p in parts):
        return {int(p) - 1 for p in parts}
    return None


def summarise(surveys: Surveys, rows: list[SurveyRow], min_group: int) -> tuple[list[SurveySummary], list[str]]:
    """Per survey, item and phase; and what was left out to protect privacy."""
    out: list[SurveySummary] = []
    suppressed: list[str] = []
    for s in surveys.surveys:
        mine = [r for r in rows if r.survey == s.id]
        if not mine:
            continue
        phases: list[str] = [p for p in s.when if any(r.phase == p for r in mine)]
        respondents: dict[str, int] = {p: sum(1 for r in mine if r.phase == p) for p in phases}
        items = []
        for it in s.items:
            for p in phases:
                answers = [r.answers[it.id] for r in mine if r.phase == p and it.id in r.answers]
                levels = surveys.scales.get(it.scale or "", []) if it.type == "rating" else it.options
                summary = ItemSummary(it.id, it.text, it.type, p, len(answers), levels=list(levels))
                if len(answers) < min_group:
                    summary.suppressed = True
                    if answers:
                        suppressed.append(f"{s.title}, {it.id}, {PHASE_NAMES[p].lower()}: {len(answers)} answers, "
                                          f"fewer than {min_group}")
                elif it.type == "text":
                    summary.comments = sorted((str(a) for a in answers), key=lambda t: (t.casefold(), t))
                elif it.type == "rating":
                    summary.counts = [sum(1 for a in answers if a == k) for k in range(len(levels))]
                    summary.mean = sum(int(a) + 1 for a in answers if isinstance(a, int)) / len(answers)
                else:
                    summary.counts = [sum(1 for a in answers if isinstance(a, frozenset) and k in a)
                                      for k in range(len(levels))]
                items.append(summary)
        out.append(SurveySummary(s, phases, respondents, items))
    return out, suppressed


def _canvas_split(cell: str) -> list[str]:
    return [p.replace("\\,", ",").strip() for p in re.split(r"(?<!\\),", cell) if p.strip()]


def read_canvas_survey(table: Table, surveys: Surveys, phase: str | None) -> tuple[list[SurveyRow], list[Diagnostic]]:
    """A Canvas Student Analysis of a survey imported from `course evaluate --instruments`'s QTI
    package: questions found by their text (the survey's `stem` and the item's words), answers
    by the level or option words Canvas writes. Anonymous surveys have no name or id columns;
    other identity columns are never read."""
    from builder.evaluate.instrument import text_key

    diags: list[Diagnostic] = []
    keys: dict[str, tuple[Survey, str]] = {}
    for s in surveys.surveys:
        for it in s.items:
            for text in (it.text, f"{s.stem} {it.text}" if s.stem else it.text):
                keys[text_key(text)] = (s, it.id)
    columns: dict[int, tuple[Survey, str]] = {}
    for i, h in enumerate(table.header):
        m = re.match(r"^(\d+):\s?(.*)$", h, re.S)
        if not m:
            continue
        found = keys.get(text_key(m.group(2)))
        if found is None:
            diags.append(diag(SURVEY_UNKNOWN, table.where(None, i),
                              f"Canvas question {m.group(1)} matches no question of the knowledge form or of "
                              "quizzes/surveys.yaml; its column is not used",
                              "import the form's or survey's QTI package and do not edit the questions in Canvas",
                              severity="warning"))
            continue
        columns[i] = found
    chosen = {s.id for s, _ in columns.values()}
    if len(chosen) != 1:
        diags.append(diag(SURVEY_UNKNOWN, table.where(), "this Canvas file is neither the knowledge form nor "
                          "one survey" + (f" (it mixes {', '.join(sorted(chosen))})" if chosen else ""),
                          "give one Student Analysis per Canvas quiz"))
        return [], diags
    survey = next(s for s, _ in columns.values())
    ph = PHASE_WORDS.get(phase or "", "") or (survey.when[0] if len(survey.when) == 1 else "")
    if ph not in survey.when:
        diags.append(diag(SURVEY_RANGE, table.where(), f"cannot tell when survey '{survey.id}' was given",
                          f"name the file with before or after in it, or write pre=FILE / post=FILE "
                          f"(this survey is given: {', '.join(survey.when)})"))
        return [], diags
    items = {it.id: it for it in survey.items}
    group_col = table.column("section")
    rows = []
    for r, cells in enumerate(table.rows):
        row = SurveyRow(survey.id, ph, cells[group_col] if group_col is not None else "")
        for c, (_, qid) in columns.items():
            cell, it = cells[c], items[qid]
            if cell in EMPTY:
                continue
            if it.type == "text":
                row.answers[qid] = cell
                continue
            choices = surveys.scales.get(it.scale or "", []) if it.type == "rating" else it.options
            parts = [cell] if it.type == "rating" or not it.multiple else _canvas_split(cell)
            picked = [_pick(p, choices) for p in parts]
            if any(p is None or len(p) != 1 for p in picked):
                diags.append(diag(SURVEY_RANGE, table.where(r, c), f"{qid}: '{cell}' is none of the answers",
                                  f"the answers are: {', '.join(choices)}"))
                continue
            levels = {next(iter(p)) for p in picked if p}
            row.answers[qid] = next(iter(levels)) if it.type == "rating" else frozenset(levels)
        rows.append(row)
    return rows, diags
