"""The evaluation report: one accessible HTML page and a tagged PDF made from it.

    report_data(project, evaluation, build_date) -> dict     every figure the report shows
    render_html(project, evaluation, build_date) -> str
    write_report(project, evaluation, out_dir, build_date, pdf=True) -> list[Path]

The page holds only aggregates over groups of at least `min_group` people: no name, e-mail,
LMS id, pseudonym or row of anybody's answers. Every chart is inline SVG with a text
alternative and its data table beside it. The PDF is WeasyPrint's rendering of the same page,
in the course font, tagged (PDF/UA-1), made the way the course's other PDFs are made
(builder.render.print.engine).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from builder.evaluate import Evaluation
from builder.evaluate import charts as ch
from builder.evaluate.stats import Paired
from builder.model.project import Project
from builder.util import write_atomic

TEMPLATES = Path(__file__).parent / "templates"
FLAG_WORDS = {
    "eval.too-easy": "too easy",
    "eval.too-hard": "too hard",
    "eval.negative-discrimination": "negatively discriminating",
    "eval.unused-distractor": "wrong option nobody chose",
}


def pct(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x * 100:.{digits}f}%"


def num(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}".replace("-", "−")


def _paired_row(p: Paired) -> dict[str, Any]:
    return {
        "label": p.label, "n": p.n, "suppressed": p.suppressed,
        "pre": pct(p.pre_mean), "post": pct(p.post_mean),
        "diff": ("+" if p.diff_mean > 0 else "") + pct(p.diff_mean, 1) if not math.isnan(p.diff_mean) else "–",
        "diff_ci": f"{pct(p.diff_ci[0], 1)} to {pct(p.diff_ci[1], 1)}" if not math.isnan(p.diff_ci[0]) else "–",
        "dz": num(p.dz), "dz_ci": f"{num(p.dz_ci[0])} to {num(p.dz_ci[1])}" if p.dz_ci else "–",
    }


def _size_words(dz: float | None) -> str:
    if dz is None:
        return "cannot be given (everyone changed by the same amount)"
    size = abs(dz)
    word = "very small" if size < 0.2 else "small" if size < 0.5 else "medium" if size < 0.8 else "large"
    return f"{word} ({'a gain' if dz > 0 else 'a drop' if dz < 0 else 'no change'})"


def report_data(project: Project, ev: Evaluation, build_date: str) -> dict[str, Any]:
    inst = ev.instrument
    data: dict[str, Any] = {
        "course": project.course.title, "version": project.course.version, "date": build_date,
        "form": inst.form.title, "form_id": inst.form.id, "min_group": ev.min_group,
        "files": [{"path": Path(r.path).name, "layout": LAYOUT_NAMES.get(r.layout, r.layout or "not read"),
                   "rows": len(r.attempts) or r.used} for r in ev.readings],
        "notes": ev.notes, "suppressed": list(ev.survey_suppressed), "knowledge": ev.analysis is not None,
        "problems": [d.format() for d in ev.diagnostics if not d.code.startswith(("eval.too", "eval.neg", "eval.unu"))],
        "surveys": survey_data(ev),
    }
    if ev.analysis is not None:
        data.update(_knowledge(ev))
    return data


def _knowledge(ev: Evaluation) -> dict[str, Any]:
    a = ev.analysis
    assert a is not None
    inst = ev.instrument
    data: dict[str, Any] = {"counts": a.counts, "matched": a.matched, "unmatched": a.unmatched,
                            "suppressed": a.suppressed + list(ev.survey_suppressed)}
    o = a.overall
    data["overall"] = _paired_row(o)
    data["overall_words"] = None if o.suppressed else (
        f"{o.n} people took both tests. Their average score went from {pct(o.pre_mean)} before the course to "
        f"{pct(o.post_mean)} after it, a change of {pct(o.diff_mean, 1)} (95% confidence interval "
        f"{data['overall']['diff_ci']}). The effect size d_z is {num(o.dz)}: {_size_words(o.dz)}.")
    shown = [p for p in a.outcomes if not p.suppressed]
    data["outcomes"] = [_paired_row(p) for p in a.outcomes]
    if shown:
        labels = [p.label.split(":")[0] for p in shown]
        data["outcome_chart"] = ch.change_chart(labels, [p.pre_mean for p in shown], [p.post_mean for p in shown])
        best = max(shown, key=lambda p: p.diff_mean)
        least = min(shown, key=lambda p: p.diff_mean)
        data["outcome_alt"] = (
            f"Dot chart of the average score before and after the course for {len(shown)} course outcomes. "
            f"The largest gain is on {best.label.split(':')[0]} ({pct(best.pre_mean)} to {pct(best.post_mean)}); "
            f"the smallest on {least.label.split(':')[0]} ({pct(least.pre_mean)} to {pct(least.post_mean)}). "
            "The table below gives every value.")
    data["objectives"] = [_paired_row(p) for p in a.objectives]
    data["groups"] = [_paired_row(p) for p in a.groups]
    flagged = {f.qid for f in a.flags}
    flags_by_q: dict[str, list[str]] = {}
    for f in a.flags:
        flags_by_q.setdefault(f.qid, []).append(FLAG_WORDS[f.code] + (f" (option {f.option + 1})"
                                                                     if f.option is not None else ""))
    data["phases"] = []
    for phase, items in a.items.items():
        rows = []
        for st in items:
            q = inst.questions[st.qid]
            rows.append({
                "qid": st.qid, "where": str(q.q.where()), "n": st.n, "suppressed": st.suppressed,
                "p": num(st.p), "r": num(st.r_it), "aid": num(st.alpha_if_deleted),
                "flags": ", ".join(flags_by_q.get(st.qid, [])),
                "options": [{"n": i + 1, "correct": c, "count": k, "share": pct(s)} for i, (_, c, k, s)
                            in enumerate(st.options)],
            })
        visible = [st for st in items if not st.suppressed]
        entry: dict[str, Any] = {"phase": phase, "name": "Before the course" if phase == "pre" else "After the course",
                                 "n": a.counts[phase], "alpha": num(a.alpha.get(phase)), "rows": rows}
        if visible:
            entry["chart"] = ch.item_map([(st.qid, st.p, st.r_it, st.qid in flagged) for st in visible])
            n_flag = sum(1 for st in visible if st.qid in flagged)
            entry["alt"] = (f"Scatter chart of {len(visible)} questions: difficulty across, discrimination up. "
                            f"{n_flag} flagged question(s) are marked with a red cross and their id"
                            + (": " + ", ".join(sorted({st.qid for st in visible if st.qid in flagged}))
                               if n_flag else "") + ". The table below gives every value.")
        data["phases"].append(entry)
    data["flags"] = [{"qid": f.qid, "what": FLAG_WORDS[f.code], "detail": f.message,
                      "phases": ", ".join(f.phases), "where": str(_flag_where(ev, f))} for f in a.flags]
    return data


def _flag_where(ev: Evaluation, f: Any) -> Any:
    q = ev.instrument.questions[f.qid].q
    if f.option is not None and hasattr(q, "options"):
        return q.options[f.option].where()
    return q.where()


def survey_data(ev: Evaluation) -> list[dict[str, Any]]:
    """Each survey: per item and phase the share at each level (or option), charts of the
    ratings, and free-text answers grouped per question."""
    from builder.evaluate.surveys import PHASE_NAMES

    out = []
    for s in ev.surveys:
        entry: dict[str, Any] = {"id": s.survey.id, "title": s.survey.title, "kind": s.survey.kind,
                                 "respondents": [(PHASE_NAMES[p], n) for p, n in s.respondents.items()],
                                 "ratings": [], "choices": [], "texts": []}
        chart_rows: list[tuple[str, list[float]]] = []
        levels: list[str] = []
        for it in s.items:
            row = {"item": it.item, "text": it.text, "phase": PHASE_NAMES[it.phase], "n": it.n,
                   "suppressed": it.suppressed, "levels": it.levels,
                   "shares": [pct(c / it.n) for c in it.counts] if it.n and it.counts else [],
                   "mean": num(it.mean, 1) if it.mean is not None else "–", "comments": it.comments}
            key = {"rating": "ratings", "choice": "choices", "text": "texts"}[it.type]
            entry[key].append(row)
            if it.type == "rating" and not it.suppressed and it.n:
                levels = it.levels
                chart_rows.append((f"{it.item}, {it.phase}", [c / it.n for c in it.counts]))
        if chart_rows:
            entry["chart"] = ch.distribution_chart(chart_rows, levels)
            entry["alt"] = (f"Stacked bar chart: for each rating question of '{s.survey.title}' and each time it "
                            f"was asked, the share of answers at each level from '{levels[0]}' to '{levels[-1]}'. "
                            "The table below gives every value.")
        out.append(entry)
    return out


LAYOUT_NAMES = {
    "moodle-grades": "Moodle quiz Grades report",
    "moodle-responses": "Moodle quiz Responses report",
    "canvas": "Canvas Student Analysis",
    "paper": "paper scoring template",
    "survey": "survey answers (template)",
    "canvas-survey": "Canvas Student Analysis of a survey",
}


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(project: Project, ev: Evaluation, build_date: str, extra: dict[str, Any] | None = None) -> str:
    data = report_data(project, ev, build_date)
    data.update(extra or {})
    return _env().get_template("report.html.j2").render(**data)


def _without_charts(value: Any) -> Any:
    """The report's figures without the drawings: what report.json holds."""
    if isinstance(value, dict):
        return {k: _without_charts(v) for k, v in value.items() if not k.endswith("chart")}
    if isinstance(value, (list, tuple)):
        return [_without_charts(v) for v in value]
    return value


def write_report(project: Project, ev: Evaluation, out: Path, build_date: str, pdf: bool = True,
                 extra: dict[str, Any] | None = None) -> tuple[list[Path], list[str]]:
    """Write report.html, report.json (the same figures, for other tools) and report.pdf into
    `out`; returns the files and any PDF problems."""
    import json

    data = report_data(project, ev, build_date)
    data.update(extra or {})
    html = _env().get_template("report.html.j2").render(**data)
    files = [out / "report.html", out / "report.json"]
    write_atomic(files[0], html)
    write_atomic(files[1], json.dumps(_without_charts(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    problems: list[str] = []
    if pdf:
        from builder.render.print.engine import Job, find_font_dir, page_css, render_jobs

        target = out / "report.pdf"
        job = Job("report.pdf", html, page_css("a4", f"{project.course.title}: evaluation report, {build_date}"),
                  target)
        outcome = render_jobs([job], [out.resolve()], find_font_dir(project.root), 1, build_date, None)[0]
        problems = outcome.problems
        if target.is_file() and not problems:
            files.append(target)
    return files, problems
