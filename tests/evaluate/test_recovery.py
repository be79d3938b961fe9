"""The analysis recovers what was planted in a synthetic cohort (2PL item response model):
a negatively discriminating question, a too-easy question, a wrong option nobody picks, and
the effect size of the pre/post gain, within sampling tolerance. Flags land at the line of the
question (or option) in its quiz bank."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from builder.evaluate import Source, evaluate
from builder.evaluate.instrument import Instrument
from builder.evaluate.stats import cronbach_alpha, dz_interval, paired
from builder.model.project import Project
from tests.evaluate import synthetic as syn
from tests.helpers import REPO


def _planted(inst: Instrument) -> tuple[str, str, str]:
    qids = sorted(inst.questions)
    negative, easy = qids[2], qids[7]
    dead = next(q for q in qids[10:] if inst.questions[q].kind == "single")
    return negative, easy, dead


@pytest.fixture(scope="module")
def cohort_run(project: Project, inst: Instrument, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    negative, easy, dead = _planted(inst)
    plant = {negative: (-1.6, 0.0), easy: (1.2, -4.5)}
    cohort = syn.simulate(project, n=400, seed=11, shift=0.8, plant=plant, dead=(dead,))
    folder = tmp_path_factory.mktemp("cohort")
    pre, post = folder / "moodle-responses-pre.csv", folder / "canvas-post.csv"
    pre.write_bytes(syn.moodle_responses(cohort, "pre", "A"))
    # Canvas identifies people by its id: give the post-test in Moodle too, as an Excel file.
    post = folder / "moodle-grades-post.xlsx"
    syn.moodle_grades_xlsx(cohort, "post", "B", post)
    ev = evaluate(project, [Source.parse(str(pre)), Source.parse(str(post))], min_group=5, salt=b"s")
    return cohort, ev, (negative, easy, dead)


def test_planted_flags_are_found(cohort_run) -> None:  # type: ignore[no-untyped-def]
    cohort, ev, (negative, easy, dead) = cohort_run
    assert not ev.failed, [d.format() for d in ev.diagnostics if d.severity == "error"]
    codes = {(f.qid, f.code) for f in ev.analysis.flags}
    assert (negative, "eval.negative-discrimination") in codes
    assert (easy, "eval.too-easy") in codes
    q = cohort.instrument.questions[dead]
    dead_option = max(set(range(len(q.options))) - q.correct)
    assert any(f.qid == dead and f.code == "eval.unused-distractor" and f.option == dead_option
               for f in ev.analysis.flags)
    # Nothing else discriminates negatively: every other item has a > 0.
    assert {f.qid for f in ev.analysis.flags if f.code == "eval.negative-discrimination"} == {negative}


def test_effect_size_is_recovered(project: Project, cohort_run) -> None:  # type: ignore[no-untyped-def]
    cohort, ev, planted = cohort_run
    overall = ev.analysis.overall
    assert overall.n == 400 and ev.analysis.matched == 400
    # The population value: the same items and gains for 20,000 people, scored with numpy.
    negative, easy, dead = planted
    big = syn.simulate(project, n=20000, seed=99, shift=0.8, params=cohort.params, dead=(dead,))
    qids = list(big.instrument.questions)
    weights = np.array([float(big.instrument.questions[q].q.points) for q in qids])

    def scores(phase: str) -> np.ndarray:
        s = np.array([[big.instrument.questions[q].score(row[q]) for q in qids] for row in big.answers[phase]])
        return (s * weights).sum(axis=1) / weights.sum()

    d = scores("post") - scores("pre")
    dz_population = d.mean() / d.std(ddof=1)
    assert overall.dz is not None and overall.dz_ci is not None
    assert abs(overall.dz - dz_population) < 0.15, (overall.dz, dz_population)
    assert overall.dz_ci[0] < dz_population < overall.dz_ci[1]


def _line_of(path: Path, pattern: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return i
    raise AssertionError(f"{pattern} not in {path}")


def test_flags_land_at_the_question_lines(cohort_run) -> None:  # type: ignore[no-untyped-def]
    cohort, ev, (negative, easy, dead) = cohort_run
    by_code = {(d.code, d.message.split()[0].rstrip(":")): d for d in ev.diagnostics}
    for qid, code in ((negative, "eval.negative-discrimination"), (easy, "eval.too-easy")):
        d = by_code[(code, qid)]
        bank = REPO / d.where.path
        assert d.where.path.startswith("quizzes/") and bank.is_file()
        # The question object starts at its `- id: <qid>` line (the column of `id`).
        line = _line_of(bank, rf"^\s*-\s+id:\s+{re.escape(qid)}\s*$")
        assert d.where.line == line
        assert d.severity == "warning"
    unused = [d for d in ev.diagnostics if d.code == "eval.unused-distractor" and d.message.startswith(dead)]
    assert unused
    q = cohort.instrument.questions[dead].q
    option = max(set(range(len(cohort.instrument.questions[dead].options))) - cohort.instrument.questions[dead].correct)
    # The option's own line in the bank: its `- text:` line after the question's id line.
    bank_lines = (REPO / unused[0].where.path).read_text(encoding="utf-8").splitlines()
    start = _line_of(REPO / unused[0].where.path, rf"^\s*-\s+id:\s+{re.escape(dead)}\s*$")
    text_lines = [i for i, line in enumerate(bank_lines, start=1) if i > start and re.match(r"^\s*-\s+text:", line)]
    assert any(d.where.line == text_lines[option] for d in unused), (q.id, [d.where for d in unused])


def test_github_format_annotates_the_bank(cohort_run) -> None:  # type: ignore[no-untyped-def]
    from builder.diagnostics import format_github

    _, ev, (negative, _, _) = cohort_run
    text = format_github(ev.diagnostics)
    assert re.search(rf"::warning file=quizzes/[^,]+\.yaml,line=\d+,col=\d+,title=eval.negative-discrimination::"
                     rf"{re.escape(negative)}", text)


def test_dz_interval_matches_known_values() -> None:
    # Large-sample check: the exact interval is close to dz +- 1.96 * sqrt(1/n + dz^2 / 2n).
    lo, hi = dz_interval(0.5, 400)
    se = (1 / 400 + 0.25 / 800) ** 0.5
    assert abs(lo - (0.5 - 1.96 * se)) < 0.01 and abs(hi - (0.5 + 1.96 * se)) < 0.01
    # Small samples: the interval covers the true d_z in 95% of samples (1,000 samples of 8).
    rng = np.random.default_rng(3)
    covered = 0
    for _ in range(1000):
        d = rng.normal(0.7, 1.0, 8)
        lo, hi = dz_interval(float(d.mean() / d.std(ddof=1)), 8)
        covered += lo < 0.7 < hi
    assert 0.93 <= covered / 1000 <= 0.97


def test_paired_is_suppressed_below_min_group() -> None:
    p = paired("x", [0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.9], min_group=5)
    assert p.suppressed and np.isnan(p.diff_mean)
    p = paired("x", [0.1, 0.2, 0.3, 0.4, 0.2], [0.5, 0.6, 0.7, 0.9, 0.3], min_group=5)
    assert not p.suppressed and p.n == 5 and p.dz is not None


def test_alpha_matches_the_textbook_formula() -> None:
    x = np.array([[1, 1, 0, 1], [0, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1], [1, 0, 1, 1], [0, 0, 0, 0]], float)
    k = x.shape[1]
    expected = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(x.tolist()) == pytest.approx(expected)
