"""The self-check quiz page of a module: questions as HTML, answers as JSON for quiz.js.

Questions are plain HTML form controls (radios, checkboxes, a text box, selects, a list with
move up / move down buttons, a text area) that work with a keyboard and a screen reader.
Everything that gives an answer away (which options are right, feedback, accepted answers,
the right order, model answers) is JSON in one `data-answers` attribute per page: the search
index holds no attributes, and nothing of it shows before the reader checks an answer.
"""

from __future__ import annotations

import html
import json
from typing import Any

from builder.model.forms import scramble
from builder.model.project import Module
from builder.model.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    Reflection,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from builder.render.site.context import SiteContext, SitePage, module_pages
from builder.render.site.module import module_title
from builder.render.site.text import attr, block_html, inline_html, is_inline, md_text


def qid(question: Question) -> str:
    """A question's id as an HTML id: M1.Q01 -> m1-q01."""
    return question.id.lower().replace(".", "-")


def render_quiz_page(ctx: SiteContext, module: Module) -> SitePage | None:
    questions = ctx.self_check(module)  # participants: without the questions forms draw
    if not questions:
        return None
    graded: list[Question] = [q for q in questions if q.type != "reflection"]
    out = [f"# Self-check quiz: {md_text(module.title)}", "",
           (f"Check what you learned in {md_text(module_title(module))}. There are {len(questions)} "
           f"questions. Choose or type your answer, then press **Check answer** to see feedback. "
           "Your answers stay on this device: nothing is saved or sent."), "",
           _render_quiz_html(ctx, module, questions, graded), ""]
    if ctx.facilitator:
        out += _render_answer_key(ctx, questions)
    return SitePage(module_pages(module)["quiz"], "Self-check quiz", "\n".join(out),
                    module.quiz_path or module.path)


def _render_quiz_html(ctx: SiteContext, module: Module, questions: list[Question],
                      graded: list[Question]) -> str:
    scenarios = {s.id: s for s in (module.quiz.scenarios if module.quiz else [])}
    data: dict[str, Any] = {}
    parts = ["<div>",  # replaced below, once the answer data is complete
             ('<noscript><p class="course-quiz__noscript">Turn on JavaScript to check your answers '
             "here, or use the quiz in your workbook.</p></noscript>")]
    for n, q in enumerate(questions, 1):
        scenario = scenarios.get(q.scenario) if q.scenario else None
        html_q, data[qid(q)] = _render_question(ctx, q, n, len(questions), scenario)
        parts.append(html_q)
    total = sum(q.points for q in graded)
    parts.append(
        '<section class="course-quiz__summary" aria-label="Your score">'
        '<p class="course-quiz__actions">'
        '<button type="button" class="md-button md-button--primary" data-quiz-action="score">Show my score</button> '
        '<button type="button" class="md-button" data-quiz-action="retry">Try again</button></p>'
        '<p class="course-quiz__score" role="status"></p></section>')
    payload = json.dumps({"total": _num(total), "questions": data}, ensure_ascii=False, sort_keys=True)
    # The answers travel in an attribute: search indexes no attributes, and mkdocs-material's
    # instant navigation re-runs every <script> in a new page as JavaScript, whatever its type.
    parts[0] = (f'<div class="course-quiz" data-quiz="{attr(module.id)}" '
                f'data-answers="{html.escape(payload, quote=True)}">')
    parts.append("</div>")
    return "\n".join(parts)


def _render_question(ctx: SiteContext, q: Question, n: int, count: int,
                     scenario: Any) -> tuple[str, dict[str, Any]]:
    """One question's HTML and its answer data."""
    i = qid(q)
    stem = inline_html(q.stem, ctx.abbr)
    head = [(f'<section class="course-quiz__q" id="{i}" data-qid="{i}" data-type="{q.type}" '
            f'aria-labelledby="{i}-title">'),
            f'<h2 class="course-quiz__title" id="{i}-title">Question {n} of {count}</h2>']
    if scenario is not None:
        label = "Scenario" + (f": {inline_html(scenario.title, ctx.abbr)}" if scenario.title else "")
        head.append(f'<div class="course-quiz__scenario"><p class="course-quiz__scenario-label">'
                    f"<strong>{label}</strong></p>{block_html(scenario.text, ctx.abbr)}</div>")
    # A one-paragraph stem is the legend of the answer group; a longer one comes before it.
    if is_inline(stem):
        legend = stem
    else:
        head.append(f'<div class="course-quiz__stem" id="{i}-stem">{stem}</div>')
        legend = "Your answer"
    body, data = _render_answer(ctx, q, i, legend)
    data.update(type=q.type, points=_num(q.points), feedback=_feedback(ctx, q))
    tail = []
    if q.type == "reflection":
        tail.append(f'<p class="course-quiz__buttons"><button type="button" class="md-button" '
                    f'data-quiz-action="model" aria-expanded="false" aria-controls="{i}-model">'
                    f"Show model answer</button></p>"
                    f'<div class="course-quiz__model" id="{i}-model" hidden></div>')
    else:
        tail.append('<p class="course-quiz__buttons"><button type="button" class="md-button" '
                    'data-quiz-action="check">Check answer</button></p>')
    tail.append(f'<div class="course-quiz__feedback" id="{i}-feedback" role="status"></div>')
    tail.append("</section>")
    return "\n".join(head + [body] + tail), data


def _render_answer(ctx: SiteContext, q: Question, i: str, legend: str) -> tuple[str, dict[str, Any]]:
    if isinstance(q, (SingleChoice, MultipleResponse)):
        kind = "radio" if isinstance(q, SingleChoice) else "checkbox"
        hint = "" if kind == "radio" or "all that apply" in q.stem.lower() else \
            ' <span class="course-quiz__hint">(choose all that apply)</span>'
        items = [(f'<li class="course-quiz__option"><input type="{kind}" name="{i}" id="{i}-o{k}" value="{k}">'
                 f'<label for="{i}-o{k}">{inline_html(o.text, ctx.abbr)}</label>'
                 f'<div class="course-quiz__option-feedback" id="{i}-o{k}-fb" hidden></div></li>')
                 for k, o in enumerate(q.options)]
        html_q = _fieldset(legend + hint, f'<ul class="course-quiz__options">{"".join(items)}</ul>')
        data = {"options": [{"correct": o.correct, "feedback": inline_html(o.feedback, ctx.abbr) if o.feedback else ""}
                            for o in q.options]}
        return html_q, data
    if isinstance(q, TrueFalse):
        items = [(f'<li class="course-quiz__option"><input type="radio" name="{i}" id="{i}-{v}" value="{v}">'
                 f'<label for="{i}-{v}">{v.capitalize()}</label>'
                 f'<div class="course-quiz__option-feedback" id="{i}-{v}-fb" hidden></div></li>')
                 for v in ("true", "false")]
        html_q = _fieldset(legend, f'<ul class="course-quiz__options">{"".join(items)}</ul>')
        fb = {v: inline_html(t, ctx.abbr) if t else "" for v, t in (("true", q.feedback_true),
                                                                    ("false", q.feedback_false))}
        return html_q, {"answer": "true" if q.answer else "false", "option_feedback": fb}
    if isinstance(q, ShortAnswer):
        field = (f'<label class="course-quiz__label" for="{i}-text">Your answer</label>'
                 f'<input class="course-quiz__text" type="text" id="{i}-text" autocomplete="off" '
                 f'spellcheck="true">')
        return _fieldset(legend, field), {"accepted": list(q.accepted), "case_sensitive": q.case_sensitive}
    if isinstance(q, Matching):
        choices = sorted({p.right for p in q.pairs} | set(q.distractors), key=lambda s: (s.lower(), s))
        options = "".join(f'<option value="{k + 1}">{attr(c)}</option>' for k, c in enumerate(choices))
        rows = [(f'<li class="course-quiz__match"><label for="{i}-m{k}">{inline_html(p.left, ctx.abbr)}</label>'
                f'<select id="{i}-m{k}"><option value="">Choose a match</option>{options}</select>'
                f'<span class="course-quiz__match-result" id="{i}-m{k}-fb"></span></li>')
                for k, p in enumerate(q.pairs)]
        html_q = _fieldset(legend, f'<ul class="course-quiz__matches">{"".join(rows)}</ul>')
        return html_q, {"answers": [str(choices.index(p.right) + 1) for p in q.pairs]}
    if isinstance(q, Ordering):
        order = scramble(q.id, len(q.items))
        rows = [_render_ordering_item(ctx, i, k, q.items[k]) for k in order]
        html_q = _fieldset(legend + ' <span class="course-quiz__hint">(use the buttons to put the items in '
                           "order, first at the top)</span>",
                           f'<ol class="course-quiz__order">{"".join(rows)}</ol>'
                           f'<p class="course-quiz__moved visually-hidden" role="status"></p>')
        return html_q, {"order": [f"i{k}" for k in range(len(q.items))], "start": [f"i{k}" for k in order]}
    assert isinstance(q, Reflection)
    field = (f'<label class="course-quiz__label" for="{i}-text">Your thoughts (only you see them; '
             f"they are not saved)</label>"
             f'<textarea class="course-quiz__textarea" id="{i}-text" rows="{min(q.lines, 8)}"></textarea>')
    model = block_html(q.model_answer, ctx.abbr) if q.model_answer else \
        "<p>There is no model answer for this question: talk it through with your group.</p>"
    return _fieldset(legend, field), {"model": model}


def _render_ordering_item(ctx: SiteContext, i: str, k: int, text: str) -> str:
    label = inline_html(text, ctx.abbr)
    plain = attr(text)
    return (f'<li class="course-quiz__item" data-item="i{k}"><span class="course-quiz__item-text">{label}</span>'
            f'<span class="course-quiz__item-buttons">'
            f'<button type="button" class="md-button" data-quiz-action="up">Move up'
            f'<span class="visually-hidden">: {plain}</span></button>'
            f'<button type="button" class="md-button" data-quiz-action="down">Move down'
            f'<span class="visually-hidden">: {plain}</span></button></span>'
            f'<span class="course-quiz__item-result"></span></li>')


def _fieldset(legend: str, inner: str) -> str:
    return f'<fieldset class="course-quiz__answer"><legend>{legend}</legend>{inner}</fieldset>'


def _feedback(ctx: SiteContext, q: Question) -> dict[str, str]:
    fb = q.feedback
    return {k: inline_html(v, ctx.abbr) for k, v in
            (("general", fb.general), ("correct", fb.correct), ("incorrect", fb.incorrect)) if v}




def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _render_answer_key(ctx: SiteContext, questions: list[Question]) -> list[str]:
    """Facilitator edition only: the answers, in a collapsed block after the quiz."""
    out = ['??? facilitator "Answer key (facilitator edition)"']
    for n, q in enumerate(questions, 1):
        out.append(f"    {n}. {_answer_text(q)}")
    return out + [""]


def _answer_text(q: Question) -> str:
    if isinstance(q, (SingleChoice, MultipleResponse)):
        return "; ".join(md_text(o.text) for o in q.options if o.correct) or "(no correct option)"
    if isinstance(q, TrueFalse):
        return "True" if q.answer else "False"
    if isinstance(q, ShortAnswer):
        return " or ".join(md_text(a) for a in q.accepted)
    if isinstance(q, Matching):
        return "; ".join(f"{md_text(p.left)} → {md_text(p.right)}" for p in q.pairs)
    if isinstance(q, Ordering):
        return " → ".join(md_text(t) for t in q.items)
    return md_text(" ".join((q.model_answer or "open answer").split()))
