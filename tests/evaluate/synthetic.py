"""Synthetic cohorts from a two-parameter logistic item response model (2PL), written in the
exact layouts of the LMS downloads. SYNTHETIC DATA: no real person took these tests.

    P(right | theta) = 1 / (1 + exp(-a (theta - b)))

Pre-test abilities are drawn from N(0, 1); each person's post-test ability is theirs plus a
gain drawn from N(shift, 0.5). Items get a in [0.8, 2.0] and b in [-1, 1] unless planted:
`plant` sets (a, b) for chosen questions (a < 0: negatively discriminating; b = -4: too easy),
and `dead` names questions whose last wrong option nobody picks.

    python -m tests.evaluate.synthetic OUT_DIR    writes the example cohort (examples/evaluation)
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from builder.evaluate.instrument import LETTERS, Instrument, Question, instrument
from builder.model.forms import find_form
from builder.model.project import Project
from builder.model.surveys import Surveys, load_surveys


@dataclass
class Person:
    surname: str
    first: str
    email: str
    canvas_id: int
    section: str
    theta: float


@dataclass
class Cohort:
    instrument: Instrument
    people: list[Person]
    params: dict[str, tuple[float, float]]
    answers: dict[str, list[dict[str, frozenset[int]]]] = field(default_factory=dict)  # phase -> per person


def _wrong_choice(q: Question, rng: np.random.Generator, dead: bool) -> frozenset[int]:
    wrong = [i for i in range(len(q.options)) if i not in q.correct]
    if dead and len(wrong) > 1:
        wrong = wrong[:-1]
    if q.kind == "multiple":
        # The right set with one option toggled (never a dead option).
        pool = [i for i in range(len(q.options)) if not (dead and i == max(set(range(len(q.options))) - q.correct))]
        flip = int(rng.choice(pool))
        chosen = set(q.correct) ^ {flip}
        return frozenset(chosen) if chosen else frozenset({wrong[0]})
    return frozenset({int(rng.choice(wrong))})


def simulate(project: Project, n: int = 200, seed: int = 7, shift: float = 0.8,
             plant: dict[str, tuple[float, float]] | None = None, dead: tuple[str, ...] = (),
             form_id: str = "pre-post", sections: int = 2,
             params: dict[str, tuple[float, float]] | None = None) -> Cohort:
    form = find_form(project, form_id)
    assert form is not None
    inst = instrument(project, form)
    rng = np.random.default_rng(seed)
    drawn = {qid: (float(rng.uniform(0.8, 2.0)), float(rng.uniform(-1, 1))) for qid in inst.questions}
    params = {**drawn, **(params or {}), **(plant or {})}
    people = [Person(f"Testperson{i:03d}", f"Synthetic{i:03d}", f"synthetic{i:03d}@example.org", 1000 + i,
                     f"Section {1 + i % sections}", float(rng.normal())) for i in range(n)]
    cohort = Cohort(inst, people, params)
    gains = rng.normal(shift, 0.5, n)
    for phase, thetas in (("pre", [p.theta for p in people]), ("post", [p.theta + g for p, g in zip(people, gains,
                                                                                                    strict=True)])):
        rows = []
        for theta in thetas:
            row = {}
            for qid, q in inst.questions.items():
                a, b = params[qid]
                right = rng.random() < 1 / (1 + np.exp(-a * (theta - b)))
                row[qid] = q.correct if right else _wrong_choice(q, rng, qid in dead)
            rows.append(row)
        cohort.answers[phase] = rows
    return cohort


def _csv(rows: list[list[str]], bom: bool = False) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def _variant_qids(inst: Instrument, variant: str) -> list[str]:
    numbered = inst.by_number[variant]
    return [numbered[k] for k in sorted(numbered)]


MOODLE_HEAD = ["Surname", "First name", "Email address", "State", "Started on", "Completed", "Time taken"]


def _moodle_person(p: Person) -> list[str]:
    return [p.surname, p.first, p.email, "Finished", "6 December 2026  9:20 AM", "6 December 2026  9:38 AM",
            "18 mins 2 secs"]


def moodle_responses(cohort: Cohort, phase: str, variant: str, right: bool = True, bom: bool = True) -> bytes:
    """Moodle's Responses report as CSV: identity, state, times, the overall grade, then per
    slot "Response N" (and "Right answer N" when `right`)."""
    return _csv(moodle_responses_rows(cohort, phase, variant, right), bom)


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)


def moodle_responses_rows(cohort: Cohort, phase: str, variant: str, right: bool = True, text: bool = False,
                          slots: list[str] | None = None) -> list[list[str]]:
    """With `text`, Moodle's "Question N" columns (the question text; Moodle's html_to_text
    writes bold words in capitals) before each response; `slots` puts the questions in another
    order than the variant's, as a quiz built by hand may."""
    inst = cohort.instrument
    qids = slots or _variant_qids(inst, variant)
    head = [*MOODLE_HEAD, f"Grade/{len(qids):.2f}"]
    for k in range(1, len(qids) + 1):
        head += ([f"Question {k}"] if text else []) + [f"Response {k}"] + ([f"Right answer {k}"] if right else [])
    rows = [head]
    for p, ans in zip(cohort.people, cohort.answers[phase], strict=True):
        cells = []
        total = 0.0
        for qid in qids:
            q = inst.questions[qid]
            chosen = ans[qid]
            total += q.score(chosen)
            if text:
                cells.append(q.stem_text.upper() if len(qid) % 2 else q.stem_text)
            cells.append("; ".join(q.options[i] for i in sorted(chosen, key=lambda i: q.orders[variant].index(i))))
            if right:
                cells.append("; ".join(q.options[i] for i in sorted(q.correct)))
        rows.append([*_moodle_person(p), f"{total:.2f}", *cells])
    return rows


def moodle_grades(cohort: Cohort, phase: str, variant: str) -> list[list[str]]:
    """Moodle's Grades report rows: identity, state, times, "Grade/N.00", "Q. k /1.00" marks,
    and Moodle's closing "Overall average" row."""
    inst = cohort.instrument
    qids = _variant_qids(inst, variant)
    head = [*MOODLE_HEAD, f"Grade/{len(qids):.2f}", *(f"Q. {k} /1.00" for k in range(1, len(qids) + 1))]
    rows = [head]
    sums = np.zeros(len(qids))
    for p, ans in zip(cohort.people, cohort.answers[phase], strict=True):
        marks = [inst.questions[q].score(ans[q]) for q in qids]
        sums += marks
        rows.append([*_moodle_person(p), f"{sum(marks):.2f}", *(f"{m:.2f}" for m in marks)])
    n = len(cohort.people)
    rows.append(["Overall average", "", "", "", "", "", "", f"{sums.sum() / n:.2f}", *(f"{s / n:.2f}" for s in sums)])
    return rows


def moodle_grades_csv(cohort: Cohort, phase: str, variant: str) -> bytes:
    return _csv(moodle_grades(cohort, phase, variant))


def moodle_grades_xlsx(cohort: Cohort, phase: str, variant: str, path: Path) -> None:
    write_xlsx(moodle_grades(cohort, phase, variant), path)


def canvas_student_analysis(cohort: Cohort, phase: str, variant: str) -> bytes:
    """Canvas's Student Analysis CSV: name, id, sis_id, section, section_id, section_sis_id,
    submitted, attempt, then "<id>: <text>" and points-possible column pairs, n correct,
    n incorrect, score."""
    inst = cohort.instrument
    qids = _variant_qids(inst, variant)
    head = ["name", "id", "sis_id", "section", "section_id", "section_sis_id", "submitted", "attempt"]
    for k, qid in enumerate(qids):
        head += [f"{5000 + k}: {inst.questions[qid].stem_text}", "1.0"]
    head += ["n correct", "n incorrect", "score"]
    rows = [head]
    for p, ans in zip(cohort.people, cohort.answers[phase], strict=True):
        row = [f"{p.first} {p.surname}", str(p.canvas_id), f"S{p.canvas_id}", p.section, "77", "",
               "2026-12-06 16:40:00 UTC", "1"]
        right = 0
        total = 0.0
        for qid in qids:
            q = inst.questions[qid]
            score = q.score(ans[qid])
            right += score == 1.0
            total += score
            row += [",".join(q.options[i].replace(",", "\\,") for i in sorted(ans[qid])), f"{score:g}"]
        row += [str(right), str(len(qids) - right), f"{total:g}"]
        rows.append(row)
    return _csv(rows)


def paper(cohort: Cohort, phase: str, variant: str) -> bytes:
    inst = cohort.instrument
    qids = sorted(inst.questions)
    rows = [["participant", "phase", "variant", "group", *qids]]
    for i, (p, ans) in enumerate(zip(cohort.people, cohort.answers[phase], strict=True)):
        cells = []
        for qid in qids:
            order = inst.questions[qid].orders[variant]
            cells.append(" ".join(sorted(LETTERS[order.index(j)] for j in ans[qid])))
        rows.append([f"P{i + 1:03d}", phase, variant, p.section, *cells])
    return _csv(rows)




COMMENTS = [
    "The role-play was the most useful part.",
    "More time for practice, please.",
    "The crisis card is really handy.",
    "I would like more examples from workplaces.",
    "Learning what to say first helped me most.",
    "The breaks were a bit short.",
]


def survey_rows(surveys: Surveys, n: int = 40, seed: int = 3, shift: float = 1.0) -> list[list[str]]:
    """Filled-in survey templates: the confidence rating before and after (after shifted up by
    `shift` levels on average) and the feedback form after, with made-up comments."""
    rng = np.random.default_rng(seed)
    conf = surveys.survey("confidence")
    fb = surveys.survey("feedback")
    assert conf is not None and fb is not None
    items = [*(it.id for it in conf.items), *(it.id for it in fb.items)]
    rows = [["survey", "phase", "group", *items]]
    for phase, base in (("before", 2.2), ("after", 2.2 + shift)):
        for i in range(n):
            levels = {it.id: str(int(np.clip(round(rng.normal(base, 0.9)), 1, 5))) for it in conf.items}
            rows.append(["confidence", phase, f"Section {1 + i % 2}", *(levels.get(x, "") for x in items)])
    for i in range(n):
        cells = {}
        for it in fb.items:
            if it.type == "rating":
                cells[it.id] = str(int(np.clip(round(rng.normal(4.1, 0.7)), 1, 5)))
            elif rng.random() < 0.5:
                cells[it.id] = COMMENTS[int(rng.integers(len(COMMENTS)))]
        rows.append(["feedback", "after", f"Section {1 + i % 2}", *(cells.get(x, "") for x in items)])
    return rows


def write_example(project: Project, out: Path) -> list[Path]:
    """The example cohort shipped in examples/evaluation: 60 synthetic people who took the
    pre-test and the post-test in Moodle; the organiser downloaded the Responses report (with
    right answers) as CSV before the course and as Excel after it."""
    inst = instrument(project, find_form(project, "pre-post"))  # type: ignore[arg-type]
    qids = list(inst.questions)
    plant = {qids[3]: (-1.5, 0.0), qids[5]: (1.0, -4.0)}
    cohort = simulate(project, n=60, seed=2026, shift=0.9, plant=plant, dead=(qids[8],))
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "moodle-responses-pre.csv", out / "moodle-responses-post.xlsx"]
    files[0].write_bytes(moodle_responses(cohort, "pre", "A"))
    write_xlsx(moodle_responses_rows(cohort, "post", "B"), files[1])
    surveys, _ = load_surveys(project.root)
    assert surveys is not None
    files.append(out / "surveys.csv")
    files[2].write_bytes(_csv(survey_rows(surveys)))
    return files


if __name__ == "__main__":
    from builder.model.load import load_project

    proj, _ = load_project(Path(".").resolve())
    assert proj is not None
    for f in write_example(proj, Path(sys.argv[1] if len(sys.argv) > 1 else "examples/evaluation")):
        sys.stdout.write(f"{f}\n")
