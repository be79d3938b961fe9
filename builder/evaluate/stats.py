"""The numbers of the report: knowledge change, item analysis, and what privacy held back.

Knowledge: each participant's score (share of points earned) on the whole form, on each course
outcome (module n serves outcome n when the course has one outcome per module) and on each
objective; for people matched before and after by pseudonym, the paired difference, its 95%
confidence interval (t distribution), and Cohen's d for paired data, d_z = mean difference /
standard deviation of the differences, with an exact 95% interval from the noncentral t
distribution (scipy), the Steiger-Fouladi inversion.

Items (classical test theory, per phase): difficulty p (mean share of points), discrimination
as the corrected item-total correlation (the item against the total of the other items: the
point-biserial correlation for right/wrong items), the share of people choosing each option,
Cronbach's alpha and alpha if the item were deleted.

Privacy: every figure describes a group of people; a group smaller than `min_group` is left
out of every table and chart, and `suppressed` says which were left out and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from builder.diagnostics import Diagnostic, diag, register
from builder.evaluate.instrument import Instrument
from builder.evaluate.readers import PHASES, Attempt
from builder.model.project import Project

TOO_EASY = register("eval.too-easy", "A question that almost everyone answers correctly (p > 0.9).", "warning")
TOO_HARD = register("eval.too-hard", "A question that few people answer correctly (p < 0.2).", "warning")
NEGATIVE = register("eval.negative-discrimination",
                    "A question people who do well on the rest of the form get wrong more often.", "warning")
UNUSED = register("eval.unused-distractor", "A wrong option that nobody chose.", "warning")

EASY_P, HARD_P = 0.9, 0.2


@dataclass
class Paired:
    """Before/after on one scale (the form, an outcome, an objective, a group)."""

    label: str
    n: int  # people matched
    pre_mean: float = math.nan
    post_mean: float = math.nan
    diff_mean: float = math.nan
    diff_sd: float = math.nan
    diff_ci: tuple[float, float] = (math.nan, math.nan)
    dz: float | None = None  # None when the differences do not vary
    dz_ci: tuple[float, float] | None = None
    suppressed: bool = False


@dataclass
class ItemStats:
    qid: str
    phase: str
    n: int
    p: float = math.nan
    r_it: float | None = None  # corrected item-total correlation
    alpha_if_deleted: float | None = None
    options: list[tuple[str, bool, int, float]] = field(default_factory=list)  # text, correct, count, share
    n_options: int = 0  # people whose choices are known
    suppressed: bool = False


@dataclass
class Flag:
    qid: str
    code: str
    phases: list[str]
    message: str
    option: int | None = None


@dataclass
class Analysis:
    min_group: int
    counts: dict[str, int]  # phase -> people
    matched: int
    unmatched: dict[str, int]  # phase -> people with no partner in the other phase
    overall: Paired
    outcomes: list[Paired]
    objectives: list[Paired]
    groups: list[Paired]
    phase_means: dict[str, float]
    items: dict[str, list[ItemStats]]  # phase -> per question
    alpha: dict[str, float | None]
    flags: list[Flag]
    suppressed: list[str]


def _score(attempt: Attempt, qids: list[str], weights: dict[str, float]) -> float | None:
    total = sum(weights[q] for q in qids)
    if not qids or total <= 0:
        return None
    return sum(attempt.answers[q].score * weights[q] if q in attempt.answers else 0.0 for q in qids) / total


def paired(label: str, pre: list[float], post: list[float], min_group: int) -> Paired:
    """Paired change with a t interval for the mean and an exact interval for d_z."""
    import numpy as np
    from scipy import stats

    n = len(pre)
    if n < min_group:
        return Paired(label, n, suppressed=True)
    a, b = np.asarray(pre, float), np.asarray(post, float)
    d = b - a
    mean, sd = float(d.mean()), float(d.std(ddof=1)) if n > 1 else 0.0
    out = Paired(label, n, float(a.mean()), float(b.mean()), mean, sd)
    if n > 1 and sd > 0:
        half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        out.diff_ci = (mean - half, mean + half)
        out.dz = mean / sd
        out.dz_ci = dz_interval(out.dz, n)
    elif n > 1:
        out.diff_ci = (mean, mean)
    return out


def dz_interval(dz: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact confidence interval for d_z: the noncentrality parameters of the noncentral t
    distribution that put the observed t at the interval's quantiles, divided by sqrt(n)."""
    from scipy import optimize, stats

    df = n - 1
    t_obs = dz * math.sqrt(n)
    tail = (1 - level) / 2

    spread = 4 + 3 * math.sqrt(1 + t_obs * t_obs / (2 * df))  # well past the interval, where cdf is finite

    def root(target: float) -> float:
        f = lambda ncp: float(stats.nct.cdf(t_obs, df, ncp)) - target  # noqa: E731
        return float(optimize.brentq(f, t_obs - spread, t_obs + spread, xtol=1e-10))

    try:
        return root(1 - tail) / math.sqrt(n), root(tail) / math.sqrt(n)
    except ValueError:  # the noncentral t cannot be evaluated there: the large-sample interval
        se = math.sqrt(1 / n + dz * dz / (2 * n))
        z = float(stats.norm.ppf(1 - tail))
        return dz - z * se, dz + z * se


def cronbach_alpha(matrix: list[list[float]]) -> float | None:
    """Alpha of a people x items score matrix (None with fewer than 2 items or no variance)."""
    import numpy as np

    x = np.asarray(matrix, float)
    if x.ndim != 2 or x.shape[1] < 2 or x.shape[0] < 2:
        return None
    k = x.shape[1]
    total_var = float(x.sum(axis=1).var(ddof=1))
    if total_var <= 0:
        return None
    return k / (k - 1) * (1 - float(x.var(axis=0, ddof=1).sum()) / total_var)


def item_statistics(instrument: Instrument, attempts: list[Attempt], phase: str,
                    min_group: int) -> tuple[list[ItemStats], float | None]:
    import numpy as np

    qids = list(instrument.questions)
    rows = [a for a in attempts if a.phase == phase]
    if len(rows) < min_group or not qids:
        return [ItemStats(q, phase, len(rows), suppressed=True) for q in qids], None
    x = np.asarray([[a.answers[q].score if q in a.answers else 0.0 for q in qids] for a in rows], float)
    alpha = cronbach_alpha(x.tolist())
    total = x.sum(axis=1)
    out = []
    for j, qid in enumerate(qids):
        q = instrument.questions[qid]
        col = x[:, j]
        rest = total - col
        st = ItemStats(qid, phase, len(rows), float(col.mean()))
        if col.std() > 0 and rest.std() > 0:
            st.r_it = float(np.corrcoef(col, rest)[0, 1])
        if x.shape[1] > 2:
            st.alpha_if_deleted = cronbach_alpha(np.delete(x, j, axis=1).tolist())
        known = [a.answers[qid].chosen for a in rows if qid in a.answers and a.answers[qid].chosen is not None]
        st.n_options = len(known)
        if q.options and len(known) >= min_group:
            for i, text in enumerate(q.options):
                count = sum(1 for c in known if c is not None and i in c)
                st.options.append((text, i in q.correct, count, count / len(known)))
        out.append(st)
    return out, alpha


def analyse(project: Project, instrument: Instrument, attempts: list[Attempt], min_group: int = 5) -> Analysis:
    qids = list(instrument.questions)
    weights = {q: float(instrument.questions[q].q.points) for q in qids}
    by_phase: dict[str, dict[str, Attempt]] = {p: {} for p in PHASES}
    for a in attempts:
        by_phase[a.phase][a.pid] = a
    # In the order of the pre-test files and rows, never of the pseudonyms (new every run).
    matched = sorted(set(by_phase["pre"]) & set(by_phase["post"]), key=lambda pid: by_phase["pre"][pid].where)
    suppressed: list[str] = []
    counts = {p: len(by_phase[p]) for p in PHASES}
    unmatched = {p: len(set(by_phase[p]) - set(matched)) for p in PHASES}

    def change(label: str, subset: list[str], pids: list[str]) -> Paired:
        pre, post = [], []
        for pid in pids:
            s0 = _score(by_phase["pre"][pid], subset, weights)
            s1 = _score(by_phase["post"][pid], subset, weights)
            if s0 is not None and s1 is not None:
                pre.append(s0)
                post.append(s1)
        result = paired(label, pre, post, min_group)
        if result.suppressed:
            suppressed.append(f"{label}: {result.n} matched people, fewer than {min_group}")
        return result

    overall = change("Whole form", qids, matched)
    # Outcomes: module n serves course outcome n when there is one outcome per module.
    outcomes_text = project.course.outcomes
    modules = project.modules
    one_each = len(outcomes_text) == len(modules)
    outcomes = []
    for i, m in enumerate(modules):
        subset = [q for q in qids if instrument.questions[q].module.id == m.id]
        if subset:
            label = f"Outcome {i + 1}: {outcomes_text[i]}" if one_each else f"{m.id}: {m.title}"
            outcomes.append(change(label, subset, matched))
    objectives = []
    for m in modules:
        for o in m.objectives:
            subset = [q for q in qids if o.id in instrument.questions[q].objectives]
            if subset:
                objectives.append(change(f"{o.id}: {o.text}", subset, matched))
    groups: list[Paired] = []
    names = sorted({by_phase["post"][p].group or by_phase["pre"][p].group for p in matched} - {""})
    for g in names:
        members = [p for p in matched if (by_phase["post"][p].group or by_phase["pre"][p].group) == g]
        groups.append(change(f"Group {len(groups) + 1}", qids, members))
    phase_means = {}
    for p in PHASES:
        if 0 < counts[p] < min_group:
            suppressed.append(f"{p}-test scores: {counts[p]} people, fewer than {min_group}")
        elif counts[p]:
            scores = [s for a in by_phase[p].values() if (s := _score(a, qids, weights)) is not None]
            phase_means[p] = sum(scores) / len(scores) if scores else math.nan
    items: dict[str, list[ItemStats]] = {}
    alpha: dict[str, float | None] = {}
    for p in PHASES:
        if counts[p]:
            items[p], alpha[p] = item_statistics(instrument, list(by_phase[p].values()), p, min_group)
            if counts[p] < min_group:
                suppressed.append(f"item analysis of the {p}-test: {counts[p]} people, fewer than {min_group}")
    return Analysis(min_group, counts, len(matched), unmatched, overall, outcomes, objectives, groups, phase_means,
                    items, alpha, flags(instrument, items, min_group), suppressed)


def flags(instrument: Instrument, items: dict[str, list[ItemStats]], min_group: int) -> list[Flag]:
    found: dict[tuple[str, str, int | None], Flag] = {}

    def add(qid: str, code: str, phase: str, message: str, option: int | None = None) -> None:
        key = (qid, code, option)
        if key in found:
            found[key].phases.append(phase)
        else:
            found[key] = Flag(qid, code, [phase], message, option)

    # Too easy is judged before the course (a question most people get right before they are
    # taught cannot show learning); too hard after it (one few get right even after teaching
    # is misleading, mis-keyed or untaught). With one phase only, that phase judges both.
    easy_phase = "pre" if "pre" in items else next(iter(items), "")
    hard_phase = "post" if "post" in items else next(iter(items), "")
    unused: dict[tuple[str, int], tuple[int, int, list[str]]] = {}  # (qid, option) -> (known, chosen, phases)
    for phase, stats in items.items():
        for st in stats:
            if st.suppressed:
                continue
            if phase == easy_phase and st.p > EASY_P:
                add(st.qid, TOO_EASY.id, phase, f"{st.p:.0%} of the points were scored")
            if phase == hard_phase and st.p < HARD_P:
                add(st.qid, TOO_HARD.id, phase, f"only {st.p:.0%} of the points were scored")
            if st.r_it is not None and st.r_it < 0:
                add(st.qid, NEGATIVE.id, phase, f"item-rest correlation {st.r_it:.2f}")
            for i, (_text, correct, count, _share) in enumerate(st.options):
                if not correct:
                    known, chosen, phases = unused.get((st.qid, i), (0, 0, []))
                    unused[(st.qid, i)] = (known + st.n_options, chosen + count, [*phases, phase])
    # A wrong option is dead when nobody chose it in any phase.
    for (qid, i), (known, chosen, phases) in unused.items():
        if chosen == 0 and known >= min_group:
            for phase in phases:
                add(qid, UNUSED.id, phase, f"option {i + 1} (as written) was chosen by none of {known} answers", i)
            found[(qid, UNUSED.id, i)].message = (f"option {i + 1} (as written) was chosen by none of "
                                                  f"{known} answers")
    return sorted(found.values(), key=lambda f: (f.qid, f.code, f.option or 0))


_FLAG_TEXT = {
    TOO_EASY.id: ("too easy", "make the wrong options more tempting, or ask about something people "
                  "get wrong before the course"),
    TOO_HARD.id: ("too hard", "check the key and the wording; is the objective taught the way it is asked?"),
    NEGATIVE.id: ("people who did well on the rest of the form got it wrong more often",
                  "check the key, and look for a second defensible answer or a misleading word"),
    UNUSED.id: ("a wrong option nobody chose", "replace it with a mistake real learners make"),
}


def flag_diagnostics(instrument: Instrument, found: list[Flag]) -> list[Diagnostic]:
    """Each flag at the question (or option) in its quiz bank, where an author can act on it."""
    codes = {c.id: c for c in (TOO_EASY, TOO_HARD, NEGATIVE, UNUSED)}
    out = []
    for f in found:
        q = instrument.questions[f.qid].q
        where = q.where()
        if f.option is not None and hasattr(q, "options"):
            where = q.options[f.option].where()
        what, hint = _FLAG_TEXT[f.code]
        phases = " and ".join(f"{p}-test" for p in f.phases)
        out.append(diag(codes[f.code], where, f"{f.qid} is {what} on the {phases} ({f.message})"
                        if f.code != NEGATIVE.id and f.code != UNUSED.id
                        else f"{f.qid}: {what} on the {phases} ({f.message})", hint))
    return out
