"""Results as organisers have them, read into attempts: one participant's answers to one form.

Three layouts are read (the first header row decides which):

Moodle quiz reports (docs.moodle.org, "Quiz reports": the Grades report and the Responses
report, each downloaded as CSV or Excel). Both start with the identity columns the site shows
("Surname", "First name", "Email address", sometimes "ID number", "Institution",
"Department"), then "State", "Started on", "Completed", "Time taken" and the overall grade
"Grade/10.00". The Grades report then has one mark column per question slot, "Q. 1 /1.00"
(mark out of the slot's maximum), and ends with an "Overall average" row. The Responses
report has "Response 1", "Response 2", ... and, when the teacher ticks them, "Question 1"
(the question text) and "Right answer 1" beside each. A question not answered shows "-";
a multiple-response answer lists the options ticked, separated by "; " (summarise_response in
Moodle's question/type/multichoice/question.php, which writes each option through html_to_text).

Canvas "Student Analysis" CSV (Canvas classic quizzes, Quiz Statistics > Student Analysis;
the columns are those of canvas-lms app/models/quizzes/quiz_statistics/student_analysis.rb):
"name", "id", "sis_id", "section", "section_id", "section_sis_id", "submitted", "attempt",
then for every question two columns: "<Canvas question id>: <question text>" holding the
answer (options of a multiple-answer question joined by ",", a comma inside an option
written "\\,") and one headed by the question's points possible holding the points scored;
then "n correct", "n incorrect", "score". Anonymous surveys leave out name and id.

The project's paper template (`paper_template`): "participant" (a code the participant
writes on both papers, or a number the organiser gives out), "phase" (pre or post),
"variant" (the letter on the paper), optionally "group", then one column per question id
holding the letter(s) ticked on that variant's paper ("B", or "A C" for several), or "-"
when nothing was ticked.

Questions are found by number (Moodle slots, the numbers of the form's variant) and checked
by text wherever the file carries text (Moodle's "Question N" and "Right answer N", Canvas's
headers): text wins, and a column neither can place is reported, never dropped silently.
Participants are known to the analysis only by a pseudonym: a keyed hash (HMAC-SHA-256, with
a salt) of the e-mail address or LMS id, never the name.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.diagnostics import Diagnostic, diag, register
from builder.evaluate.instrument import LETTERS, Instrument, Question
from builder.evaluate.tables import Table, read_table
from builder.model.where import Where

EVAL_LAYOUT = register("eval.layout", "A results file whose layout course evaluate does not know.")
EVAL_MISSING = register("eval.missing-column", "A column that the file's layout needs is missing.")
EVAL_UNMAPPED = register("eval.unmapped", "A column or cell that cannot be matched to a question of the form.",
                         "warning")
EVAL_DUPLICATE = register("eval.duplicate", "The same participant twice in one phase.")
EVAL_RANGE = register("eval.range", "A mark or an answer outside what the question allows.")
EVAL_SKIPPED = register("eval.skipped", "A row not used: an attempt that was never finished.", "warning")
EVAL_POSITION = register("eval.by-position", "Questions matched by their number only (no text to check it).",
                         "warning")
EVAL_PHASE = register("eval.phase", "A row or file whose phase (pre or post) or variant is unknown.")

PHASES = ("pre", "post")
DEFAULT_VARIANT = {"pre": "A", "post": "B"}  # the programme guide: A at the start, B at the end
UNANSWERED = {"", "-", "–", "—"}

_MOODLE_MARK = re.compile(r"^Q\.\s*(\d+)\s*/\s*([0-9]+(?:[.,][0-9]+)?)$")
_MOODLE_GRADE = re.compile(r"^Grade\s*/\s*([0-9]+(?:[.,][0-9]+)?)$")
_MOODLE_RESPONSE = re.compile(r"^Response\s+(\d+)$")
_MOODLE_RIGHT = re.compile(r"^Right answer\s+(\d+)$")
_MOODLE_QTEXT = re.compile(r"^Question\s+(\d+)$")
_CANVAS_QUESTION = re.compile(r"^(\d+):\s?(.*)$", re.S)
MOODLE_IDENTITY = ("Email address", "ID number", "Username")
MOODLE_FINISHED = ("finished",)
MOODLE_FOOTERS = ("overall average",)
NOT_GRADED = ("requires grading", "not yet graded", "needs grading")


@dataclass(frozen=True)
class Answer:
    score: float  # fraction of the question's points earned, 0..1 (0 when not answered)
    answered: bool
    chosen: frozenset[int] | None = None  # authored option indices ticked; None when unknown


@dataclass
class Attempt:
    where: Where  # the row it came from (reports never show it beside identity)
    pid: str  # pseudonym
    phase: str
    variant: str
    group: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)


@dataclass
class Reading:
    """What one file gave: attempts, problems, and notes on rows not used (for the report)."""

    path: str
    layout: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    table: Table | None = None  # kept for survey results, which builder.evaluate.surveys reads
    used: int = 0  # survey rows read
    phase: str | None = None  # a Canvas survey's phase, from the command line or file name
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_variant(instrument: Instrument, phase: str) -> str:
    """A before, B after (the programme guide), or the form's only variant."""
    wanted = DEFAULT_VARIANT.get(phase, "")
    return wanted if wanted in instrument.by_number else instrument.form.variants[0]


def pseudonym(salt: bytes, identity: str) -> str:
    """A keyed hash of an e-mail address or LMS id: the same person gets the same pseudonym in
    every file of one run, and nobody can turn it back into the identity without the salt."""
    key = " ".join(identity.split()).casefold()
    key = re.sub(r"^(\d+)\.0+$", r"\1", key)  # an id a spreadsheet turned into 1001.0 is still 1001
    return hmac.new(salt, key.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def _number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def detect(table: Table) -> str:
    """"moodle-grades", "moodle-responses", "canvas", "paper", "survey", or "" for an unknown layout."""
    header = table.header
    if table.column("participant") is not None and table.column("phase") is not None:
        return "paper"
    if table.column("survey") is not None:
        return "survey"
    if any(_MOODLE_RESPONSE.match(h) for h in header):
        return "moodle-responses"
    if any(_MOODLE_MARK.match(h) for h in header) or (any(_MOODLE_GRADE.match(h) for h in header)
                                                       and table.column("State") is not None):
        return "moodle-grades"
    if table.column("n correct") is not None and table.column("score") is not None:
        return "canvas"
    return ""


def read_results(path: Path, shown: str, instrument: Instrument, salt: bytes, phase: str | None,
                 variant: str | None) -> Reading:
    """Read one results file for `instrument`. `phase` and `variant` come from the command line
    or the file name; the paper template carries its own in columns."""
    reading = Reading(shown)
    table, problems = read_table(path, shown)
    reading.diagnostics += problems
    if table is None:
        return reading
    layout = detect(table)
    reading.layout = layout
    if not layout:
        reading.diagnostics.append(diag(
            EVAL_LAYOUT, table.where(), "cannot tell what kind of results file this is",
            "give a Moodle quiz Grades or Responses report, a Canvas Student Analysis CSV, the paper "
            "template or a survey template (`course evaluate --instruments`); the first row must be the "
            "column headings"))
        return reading
    if not table.rows:
        reading.diagnostics.append(diag(EVAL_EMPTY_ROWS, table.where(), "the file has headings but no results",
                                        "download the report after people have taken the quiz"))
        return reading
    if layout == "survey":
        reading.table = table
        return reading
    if layout == "canvas" and not any(
            (m := _CANVAS_QUESTION.match(h)) and instrument.by_text(m.group(2)) for h in table.header):
        # No question of the knowledge form: a Canvas survey (builder.evaluate.surveys reads it).
        reading.layout, reading.table, reading.phase = "canvas-survey", table, phase
        return reading
    if layout == "paper":
        _read_paper(table, instrument, salt, phase, variant, reading)
        return reading
    if phase is None:
        reading.diagnostics.append(diag(
            EVAL_PHASE, table.where(), "cannot tell whether this file is from before or after the course",
            f"name the file with 'pre' or 'post' in it, or write pre={shown} or post={shown}"))
        return reading
    variant = variant or default_variant(instrument, phase)
    if variant not in instrument.by_number:
        reading.diagnostics.append(diag(
            EVAL_PHASE, table.where(), f"form '{instrument.form.id}' has no variant {variant}",
            f"the variants are {', '.join(instrument.by_number)}; write {phase}/A={shown}"))
        return reading
    if layout == "canvas":
        _read_canvas(table, instrument, salt, phase, variant, reading)
    else:
        _read_moodle(table, instrument, salt, phase, variant, layout, reading)
    return reading


EVAL_EMPTY_ROWS = register("eval.no-rows", "A results file with headings but no rows of results.")


# ---------------------------------------------------------------------------------------------
# Moodle


Slots = dict[int, tuple[str, dict[str, int]]]


def _moodle_slots(table: Table, instrument: Instrument, variant: str,
                  reading: Reading) -> tuple[Slots, dict[int, float]]:
    """Slot number -> (question id, {"mark"|"response"|"right"|"text": column index}), and
    each slot's maximum mark (from "Q. 3 /1.00")."""
    cols: dict[int, dict[str, int]] = {}
    maxima: dict[int, float] = {}
    for i, h in enumerate(table.header):
        for kind, rx in (("mark", _MOODLE_MARK), ("response", _MOODLE_RESPONSE), ("right", _MOODLE_RIGHT),
                         ("text", _MOODLE_QTEXT)):
            m = rx.match(h)
            if m:
                n = int(m.group(1))
                cols.setdefault(n, {})[kind] = i
                if kind == "mark":
                    maxima[n] = _number(m.group(2)) or 0.0
    numbered = instrument.by_number[variant]
    slots: dict[int, tuple[str, dict[str, int]]] = {}
    by_position: list[int] = []
    for n, c in sorted(cols.items()):
        candidates = _moodle_slot_by_text(table, instrument, c)
        qid = next(iter(candidates)) if candidates is not None and len(candidates) == 1 else None
        if qid is None and candidates and numbered.get(n) in candidates:
            qid = numbered[n]  # the text fits several questions (a right answer "True"), the number one of them
        if qid is None and ("text" in c or "right" in c) and _has_text(table, c):
            first = c.get("text", c.get("right", 0))
            reading.diagnostics.append(diag(
                EVAL_UNMAPPED, table.where(None, first),
                f"question {n}: its text matches no question of form '{instrument.form.id}'; its column(s) "
                "are not used", "was this quiz made from the form's Moodle XML export? Questions edited in "
                "Moodle no longer match the course's"))
            continue
        if qid is None:
            qid = numbered.get(n)
            if qid is not None:
                by_position.append(n)
        if qid is None:
            reading.diagnostics.append(diag(
                EVAL_UNMAPPED, table.where(None, next(iter(c.values()))),
                f"question {n}: variant {variant} of form '{instrument.form.id}' has only {len(numbered)} "
                "questions; this column is not used", "check that the file is from this form's quiz"))
            continue
        if any(qid == s[0] for s in slots.values()):
            reading.diagnostics.append(diag(
                EVAL_UNMAPPED, table.where(None, next(iter(c.values()))),
                f"question {n} is {qid}, which an earlier column already holds; this column is not used",
                "a quiz should hold each question once"))
            continue
        slots[n] = (qid, c)
    if by_position:
        reading.diagnostics.append(diag(
            EVAL_POSITION, table.where(),
            f"{len(by_position)} question(s) matched by number to variant {variant} of form "
            f"'{instrument.form.id}' (the file has no question or right-answer text to check it)",
            "download the Responses report with 'Right answer' ticked too, or make sure the Moodle quiz "
            f"lists the questions in the order of the variant {variant} paper"))
    return slots, maxima


def _has_text(table: Table, c: dict[str, int]) -> bool:
    return any(r[c[k]] not in UNANSWERED for r in table.rows for k in ("text", "right") if k in c)


def _moodle_slot_by_text(table: Table, instrument: Instrument, c: dict[str, int]) -> set[str] | None:
    """The questions a slot's texts fit: its question text names one; a right answer may fit
    several. None when the file has no text for the slot."""
    if "text" in c:
        texts = {r[c["text"]] for r in table.rows if r[c["text"]] not in UNANSWERED}
        found = {instrument.by_text(t) for t in texts}
        if len(found) == 1 and None not in found:
            return {q for q in found if q is not None}
    if "right" in c:
        rights = {r[c["right"]] for r in table.rows if r[c["right"]] not in UNANSWERED}
        if rights:
            sets = [set(_questions_with_right_answer(instrument, t)) for t in rights]
            return set.intersection(*sets)
    return None


def _questions_with_right_answer(instrument: Instrument, text: str) -> list[str]:
    out = []
    for qid, q in instrument.questions.items():
        chosen = _moodle_choices(q, text)
        if chosen is not None and chosen == q.correct:
            out.append(qid)
    return out


def _moodle_choices(q: Question, text: str) -> frozenset[int] | None:
    """Options named by a Moodle response summary ("a; b" for several), or None."""
    whole = q.option_by_text(text)
    if whole is not None:
        return frozenset({whole})
    parts = [p for p in text.split("; ") if p.strip()]
    found = [q.option_by_text(p) for p in parts]
    if len(parts) > 1 and None not in found:
        return frozenset(i for i in found if i is not None)
    return None


def _identity(table: Table, names: tuple[str, ...], reading: Reading, what: str) -> int | None:
    col = table.column(*names)
    if col is None:
        reading.diagnostics.append(diag(
            EVAL_MISSING, table.where(), f"no {what} column, so before and after cannot be matched",
            f"download the report with one of these columns: {', '.join(names)}"))
    return col


def _read_moodle(table: Table, instrument: Instrument, salt: bytes, phase: str, variant: str, layout: str,
                 reading: Reading) -> None:
    ident = _identity(table, MOODLE_IDENTITY, reading, "e-mail address or ID number")
    state = table.column("State")
    if ident is None:
        return
    slots, maxima = _moodle_slots(table, instrument, variant, reading)
    seen: dict[tuple[str, str], int] = {}
    group_col = table.column("Group", "Groups")
    footers = 0
    for r, row in enumerate(table.rows):
        first = row[0].casefold() if row else ""
        if first in MOODLE_FOOTERS or (not row[ident] and any(f in " ".join(row).casefold() for f in MOODLE_FOOTERS)):
            footers += 1
            continue
        if state is not None and row[state] and row[state].casefold() not in MOODLE_FINISHED:
            reading.diagnostics.append(diag(
                EVAL_SKIPPED, table.where(r, state), f"attempt not used: its state is '{row[state]}'",
                "only finished attempts count; close the quiz and let Moodle submit open attempts"))
            continue
        if not row[ident]:
            reading.diagnostics.append(diag(
                EVAL_MISSING, table.where(r, ident), "this row has no e-mail address or ID number",
                "fill it in, or delete the row if it is not a participant"))
            continue
        attempt = Attempt(table.where(r), pseudonym(salt, row[ident]), phase, variant,
                          row[group_col] if group_col is not None else "")
        for n, (qid, c) in slots.items():
            q = instrument.questions[qid]
            answer = _moodle_answer(table, r, row, q, c, maxima.get(n), reading)
            if answer is not None:
                attempt.answers[qid] = answer
        _duplicate_in_file(seen, attempt, table, r, reading)
        reading.attempts.append(attempt)
    if footers:
        reading.notes.append(f"{reading.path}: {footers} summary row(s) ('Overall average') are Moodle's own "
                             "totals, not a participant, and were not read")


def _moodle_answer(table: Table, r: int, row: list[str], q: Question, c: dict[str, int], maximum: float | None,
                   reading: Reading) -> Answer | None:
    chosen: frozenset[int] | None = None
    answered = True
    if "response" in c:
        cell = row[c["response"]]
        if cell in UNANSWERED:
            answered = False
        elif q.options:
            chosen = _moodle_choices(q, cell)
            if chosen is None:
                reading.diagnostics.append(diag(
                    EVAL_UNMAPPED, table.where(r, c["response"]),
                    f"{q.qid}: the answer '{_short(cell)}' is none of the question's options; the cell is not used",
                    "the question may have been edited in Moodle after it was imported"))
                return None
    if "mark" in c:
        cell = row[c["mark"]]
        if cell in UNANSWERED:
            return Answer(0.0, False, chosen) if chosen is None else Answer(q.score(chosen), True, chosen)
        if cell.casefold() in NOT_GRADED:
            reading.diagnostics.append(diag(
                EVAL_SKIPPED, table.where(r, c["mark"]), f"{q.qid}: '{cell}': counted as no points",
                "grade the attempt in Moodle, then download the report again"))
            return Answer(0.0, True, chosen)
        mark = _number(cell)
        top = maximum or 0.0
        if mark is None or top <= 0 or mark < 0 or mark > top + 1e-9:
            reading.diagnostics.append(diag(
                EVAL_RANGE, table.where(r, c["mark"]),
                f"{q.qid}: mark '{cell}' is not a number from 0 to {top:g}",
                "download the report again; marks must lie between 0 and the question's maximum"))
            return None
        return Answer(mark / top, answered or mark > 0, chosen)
    if not answered:
        return Answer(0.0, False, None)
    if chosen is None:
        return None  # a type scored only by marks, and no mark column
    return Answer(q.score(chosen), True, chosen)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------------------------------------
# Canvas


def _canvas_split(cell: str) -> list[str]:
    """Options of a multiple-answer cell: joined by ',', a comma inside one written '\\,'."""
    return [p.replace("\\,", ",").strip() for p in re.split(r"(?<!\\),", cell) if p.strip()]


def _read_canvas(table: Table, instrument: Instrument, salt: bytes, phase: str, variant: str,
                 reading: Reading) -> None:
    ident = table.column("sis_id") if table.column("id") is None else table.column("id")
    if ident is None:
        reading.diagnostics.append(diag(
            EVAL_MISSING, table.where(), "no 'id' or 'sis_id' column, so before and after cannot be matched",
            "anonymous Canvas surveys leave them out; give the quiz's Student Analysis of a graded quiz"))
        return
    section = table.column("section")
    columns: dict[str, tuple[int, int, float]] = {}  # qid -> (answer col, points col, points possible)
    for i, h in enumerate(table.header):
        m = _CANVAS_QUESTION.match(h)
        if not m or i + 1 >= len(table.header):
            continue
        possible = _number(table.header[i + 1])
        qid = instrument.by_text(m.group(2))
        if qid is None:
            reading.diagnostics.append(diag(
                EVAL_UNMAPPED, table.where(None, i),
                f"Canvas question {m.group(1)}: its text matches no question of form '{instrument.form.id}'; its "
                "columns are not used", "was this quiz imported from the form's QTI export? Questions edited in "
                "Canvas no longer match the course's"))
            continue
        if qid in columns:
            reading.diagnostics.append(diag(EVAL_UNMAPPED, table.where(None, i),
                                            f"{qid} appears twice; the second column is not used"))
            continue
        columns[qid] = (i, i + 1, possible or 0.0)
    seen: dict[tuple[str, str], int] = {}
    for r, row in enumerate(table.rows):
        if not row[ident]:
            reading.diagnostics.append(diag(EVAL_MISSING, table.where(r, ident), "this row has no id",
                                            "Canvas leaves it out for logged-out users; their rows are not used"))
            continue
        attempt = Attempt(table.where(r), pseudonym(salt, row[ident]), phase, variant,
                          row[section] if section is not None else "")
        for qid, (a_col, p_col, possible) in columns.items():
            q = instrument.questions[qid]
            cell, points = row[a_col], row[p_col]
            if cell in UNANSWERED and points in UNANSWERED:
                attempt.answers[qid] = Answer(0.0, False, None)
                continue
            chosen: frozenset[int] | None = None
            if q.options and cell not in UNANSWERED:
                parts = [cell] if q.option_by_text(cell) is not None else _canvas_split(cell)
                found = [q.option_by_text(p) for p in parts]
                if None in found:
                    reading.diagnostics.append(diag(
                        EVAL_UNMAPPED, table.where(r, a_col),
                        f"{qid}: the answer '{_short(cell)}' is none of the question's options; the cell is not used",
                        "the question may have been edited in Canvas after it was imported"))
                    continue
                chosen = frozenset(i for i in found if i is not None)
            score = _number(points) if points not in UNANSWERED else None
            if score is None and chosen is None:
                reading.diagnostics.append(diag(EVAL_RANGE, table.where(r, p_col),
                                                f"{qid}: points '{points}' is not a number"))
                continue
            if score is not None:
                if possible <= 0 or score < 0 or score > possible + 1e-9:
                    reading.diagnostics.append(diag(
                        EVAL_RANGE, table.where(r, p_col),
                        f"{qid}: {score:g} points is outside 0 to {possible:g}",
                        "the column after each question holds the points scored, out of its heading"))
                    continue
                attempt.answers[qid] = Answer(score / possible, cell not in UNANSWERED, chosen)
            else:
                assert chosen is not None
                attempt.answers[qid] = Answer(q.score(chosen), True, chosen)
        _duplicate_in_file(seen, attempt, table, r, reading)
        reading.attempts.append(attempt)


def _duplicate_in_file(seen: dict[tuple[str, str], int], attempt: Attempt, table: Table, r: int,
                       reading: Reading) -> None:
    key = (attempt.pid, attempt.phase)
    if key in seen:
        reading.diagnostics.append(diag(
            EVAL_DUPLICATE, table.where(r), f"the same participant as on line {table.lines[seen[key]]} "
            f"({attempt.phase}-test)", "keep one attempt per person (Moodle: report 'only the highest graded "
            "attempt'; Canvas: without 'all versions')"))
    else:
        seen[key] = r


# ---------------------------------------------------------------------------------------------
# The paper template


def paper_template(instrument: Instrument) -> str:
    """The CSV an organiser fills in from paper forms: headings and one example row per phase,
    questions in id order (the same columns for every variant; the letters are those printed
    on the paper the person filled in)."""
    qids = sorted(instrument.questions)
    head = ["participant", "phase", "variant", "group", *qids]
    return ",".join(head) + "\n"


def _read_paper(table: Table, instrument: Instrument, salt: bytes, phase: str | None, variant: str | None,
                reading: Reading) -> None:
    pcol, phcol = table.column("participant"), table.column("phase")
    vcol, gcol = table.column("variant"), table.column("group")
    assert pcol is not None and phcol is not None
    known = {"participant", "phase", "variant", "group"}
    qcols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if h.casefold() in known:
            continue
        if h in instrument.questions:
            if h in qcols:
                reading.diagnostics.append(diag(EVAL_UNMAPPED, table.where(None, i),
                                                f"column {h} appears twice; the second is not used"))
                continue
            qcols[h] = i
        else:
            reading.diagnostics.append(diag(
                EVAL_UNMAPPED, table.where(None, i),
                f"column '{_short(h)}' is no question of form '{instrument.form.id}'; it is not used",
                "headings are question ids, as in the template (`course evaluate --template`)"))
    seen: dict[tuple[str, str], int] = {}
    for r, row in enumerate(table.rows):
        if not row[pcol]:
            reading.diagnostics.append(diag(EVAL_MISSING, table.where(r, pcol), "this row has no participant code",
                                            "give every paper a code, the same before and after"))
            continue
        ph = row[phcol].casefold() or (phase or "")
        ph = {"before": "pre", "after": "post"}.get(ph, ph)
        if ph not in PHASES or (phase is not None and ph != phase):
            reading.diagnostics.append(diag(
                EVAL_PHASE, table.where(r, phcol), f"phase '{row[phcol]}' is not "
                + (f"'{phase}' as the command line says" if phase else "'pre' or 'post'"), "write pre or post"))
            continue
        v = (row[vcol] if vcol is not None else "").upper() or variant or default_variant(instrument, ph)
        if v not in instrument.by_number:
            reading.diagnostics.append(diag(
                EVAL_PHASE, table.where(r, vcol if vcol is not None else phcol),
                f"form '{instrument.form.id}' has no variant '{v}'",
                f"the variants are {', '.join(instrument.by_number)}"))
            continue
        attempt = Attempt(table.where(r), pseudonym(salt, row[pcol]), ph, v, row[gcol] if gcol is not None else "")
        for qid, c in qcols.items():
            q = instrument.questions[qid]
            cell = row[c].upper()
            if cell in UNANSWERED:
                attempt.answers[qid] = Answer(0.0, False, None)
                continue
            letters = [ch for ch in cell if ch.isalpha()]
            order = q.orders.get(v, tuple(range(len(q.options))))
            if not q.options or not letters or any(LETTERS.find(ch) >= len(order) or ch not in LETTERS
                                                   for ch in letters) or re.search(r"[^A-Z ,;/]", cell):
                allowed = LETTERS[: len(order)]
                reading.diagnostics.append(diag(
                    EVAL_RANGE, table.where(r, c),
                    f"{qid}: '{_short(row[c])}' is not a letter printed on the paper"
                    + (f" (A to {allowed[-1]})" if allowed else ""),
                    "write the letter(s) ticked, e.g. B or A C; '-' when nothing was ticked"))
                continue
            if q.kind != "multiple" and len(set(letters)) > 1:
                attempt.answers[qid] = Answer(0.0, True, None)  # two ticks on a one-answer question
                continue
            chosen = frozenset(order[LETTERS.index(ch)] for ch in letters)
            attempt.answers[qid] = Answer(q.score(chosen), True, chosen)
        _duplicate_in_file(seen, attempt, table, r, reading)
        reading.attempts.append(attempt)
