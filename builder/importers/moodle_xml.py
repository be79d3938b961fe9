"""Moodle XML reader (`qformat_xml`): every question type the bank format has, and a
reason for every one it has not.

| Moodle type | bank type |
| --- | --- |
| multichoice (single) | single |
| multichoice (multiple answers) | multiple |
| truefalse | true_false |
| shortanswer | short_answer |
| matching | matching |
| ordering | ordering |
| essay | reflection (grader information becomes the model answer) |

Not representable, listed with their line: numerical, calculated (and its simple and
multiple-choice kinds), cloze (`multianswer`), drag and drop, select missing words, random
questions and descriptions. Embedded files (`<file encoding="base64">`) are decoded and
copied into the module; `@@PLUGINFILE@@/` links point at the copies.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from builder.diagnostics import diag
from builder.importers.common import (
    CHANGED,
    FORMAT,
    MAX_MEDIA_BYTES,
    MEDIA,
    TOO_LARGE,
    Draft,
    Media,
    ReadResult,
    Skipped,
    local,
    one_line,
    parse_xml,
    to_markdown,
)
from builder.model.where import Where

NAME = "moodle"

_UNSUPPORTED = {
    "numerical": "numerical answers (with tolerances and units) have no question type in the bank format",
    "calculated": "calculated questions compute their answers from formulas and random values",
    "calculatedsimple": "calculated questions compute their answers from formulas and random values",
    "calculatedmulti": "calculated questions compute their answers from formulas and random values",
    "cloze": "cloze (embedded answers) questions hold several gaps of different kinds in one text",
    "multianswer": "cloze (embedded answers) questions hold several gaps of different kinds in one text",
    "ddwtos": "drag-and-drop into text has no question type in the bank format",
    "ddimageortext": "drag-and-drop onto an image has no question type in the bank format",
    "ddmarker": "drag-and-drop markers have no question type in the bank format",
    "gapselect": "select-missing-words questions hold several gaps in one text",
    "randomsamatch": "random short-answer matching draws its questions at random from a category",
    "random": "a random question is a draw from a category, not a question",
    "description": "a description is text shown between questions, not a question",
}


class _Ctx:
    def __init__(self, out: ReadResult, name: str, media_dir: str | None) -> None:
        self.out = out
        self.name = name
        self.media_dir = media_dir
        self.used: list[str] = []
        self.remote: list[str] = []

    def where(self, el: Any) -> Where:
        return Where(self.name, getattr(el, "sourceline", None) or 1, 1)

    def text(self, el: Any, default_fmt: str = "html") -> str:
        """The Markdown of a text-bearing element (`<x format><text>…</text><file/>…</x>`)."""
        if el is None:
            return ""
        t = _child(el, "text")
        raw = (t.text or "") if t is not None else (el.text or "")
        for f in _children(el, "file"):
            self._file(f)
        fmt = el.get("format") or default_fmt
        md, used, remote = to_markdown(raw, fmt, self.media_dir)
        self.used += used
        self.remote += remote
        return md

    def _file(self, f: Any) -> None:
        name = f.get("name") or ""
        if (f.get("encoding") or "base64") != "base64" or not name:
            return
        raw = "".join((f.text or "").split())
        if len(raw) * 3 // 4 > MAX_MEDIA_BYTES:
            limit = MAX_MEDIA_BYTES // (1024 * 1024)
            self.out.diagnostics.append(diag(TOO_LARGE, self.where(f), f"embedded file '{name}' is over {limit} MiB",
                                             "shrink the file, then export again"))
            return
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            self.out.notes.append(diag(MEDIA, self.where(f), f"embedded file '{name}' is not valid base64: not copied"))
            return
        self.out.media.append(Media(name, data, self.where(f)))


def _child(el: Any, tag: str) -> Any:
    for c in el:
        if local(c.tag) == tag:
            return c
    return None


def _children(el: Any, tag: str) -> list[Any]:
    return [c for c in el if local(c.tag) == tag]


def _value(el: Any, tag: str, default: str = "") -> str:
    c = _child(el, tag)
    if c is None:
        return default
    t = _child(c, "text")
    return ((t.text if t is not None else c.text) or default).strip()


def _fraction(a: Any) -> float:
    try:
        return float(a.get("fraction") or 0)
    except ValueError:
        return 0.0


def read(data: bytes, name: str, media_dir: str | None = None) -> ReadResult:
    out = ReadResult()
    root, problems = parse_xml(data, name)
    if root is None:
        out.diagnostics += problems
        return out
    if local(root.tag) != "quiz":
        out.diagnostics.append(diag(FORMAT, Where(name, root.sourceline or 1, 1),
                                    f"root element is <{local(root.tag)}>, not <quiz>: not a Moodle XML question file",
                                    "export the questions from Moodle's question bank as Moodle XML"))
        return out
    category: str = ""
    for q in root:
        if local(q.tag) != "question":
            continue
        qtype = (q.get("type") or "").strip()
        if qtype == "category":
            path = _value(_child(q, "category"), "text") if _child(q, "category") is not None else ""
            parts = [p for p in path.replace("//", "\x00").split("/") if p and p not in ("$course$", "$system$",
                                                                                          "$module$", "top")]
            category = "/".join(p.replace("\x00", "/").strip() for p in parts)
            continue
        ctx = _Ctx(out, name, media_dir)
        where = ctx.where(q)
        qname = _value(q, "name")
        if qtype in _UNSUPPORTED or qtype not in _READERS:
            reason = _UNSUPPORTED.get(qtype, "this question type is not one the bank format knows")
            out.skipped.append(Skipped(where, qtype or "untyped", reason, qname))
            continue
        body = _READERS[qtype](ctx, q, where, qname)
        if body is None:
            continue
        stem = ctx.text(_child(q, "questiontext"))
        if not stem:
            out.skipped.append(Skipped(where, qtype, "the question has no text", qname))
            continue
        fb: dict[str, str] = body.setdefault("feedback", {})
        general = ctx.text(_child(q, "generalfeedback"))
        if general:
            fb["general"] = general
        data_: dict[str, Any] = {"stem": stem, **body}
        try:
            points = float(_value(q, "defaultgrade", "1") or 1)
        except ValueError:
            points = 1.0
        if points != 1 and 0 < points <= 100:
            data_["points"] = int(points) if points == int(points) else points
        tags = [_value(t, "text") or (t.text or "").strip() for t in _children(_child(q, "tags"), "tag")] \
            if _child(q, "tags") is not None else []
        if category:
            tags.append(f"category:{category}")
        for r in ctx.remote:
            out.notes.append(diag(MEDIA, where, f"image {r} is on another site: left out of '{qname}'"))
        out.drafts.append(Draft(data=data_, where=where, fmt=NAME, source_id=_value(q, "idnumber"),
                                name=qname, tags=[t for t in tags if t], media=ctx.used))
    return out


def _combined(ctx: _Ctx, q: Any, fb: dict[str, str], where: Where, qname: str) -> None:
    correct = ctx.text(_child(q, "correctfeedback"))
    incorrect = ctx.text(_child(q, "incorrectfeedback"))
    partial = ctx.text(_child(q, "partiallycorrectfeedback"))
    if correct:
        fb["correct"] = correct
    if incorrect:
        fb["incorrect"] = incorrect
    if partial:
        ctx.out.notes.append(diag(CHANGED, where, f"'{qname}': partially-correct feedback has no field in the "
                                  "bank format: left out"))


def _multichoice(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    single = _value(q, "single", "true").lower() in ("true", "1")
    options = []
    for a in _children(q, "answer"):
        frac = _fraction(a)
        opt: dict[str, Any] = {"text": one_line(ctx.text(a))}
        if (frac >= 100 if single else frac > 0):
            opt["correct"] = True
        elif single and frac > 0:
            ctx.out.notes.append(diag(CHANGED, where, f"'{qname}': option '{opt['text']}' gives {frac:g}% credit; "
                                      "single choice has no partial credit in the bank format: it is marked wrong"))
        fb = ctx.text(_child(a, "feedback"))
        if fb:
            opt["feedback"] = fb
        options.append(opt)
    feedback: dict[str, str] = {}
    _combined(ctx, q, feedback, where, qname)
    return {"type": "single" if single else "multiple", "options": options, "feedback": feedback}


def _truefalse(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    answer, fbs = None, {}
    for a in _children(q, "answer"):
        value = _value(a, "text") if _child(a, "text") is not None else (a.text or "")
        key = value.strip().lower()
        if key not in ("true", "false"):
            continue
        fbs[key] = ctx.text(_child(a, "feedback"))
        if _fraction(a) >= 100:
            answer = key == "true"
    if answer is None:
        ctx.out.skipped.append(Skipped(where, "truefalse", "neither true nor false gives full credit", qname))
        return None
    d: dict[str, Any] = {"type": "true_false", "answer": answer, "feedback": {}}
    if fbs.get("true"):
        d["feedback_true"] = fbs["true"]
    if fbs.get("false"):
        d["feedback_false"] = fbs["false"]
    return d


def _shortanswer(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    accepted, correct_fb, feedback = [], [], {}
    for a in _children(q, "answer"):
        value = one_line(_value(a, "text") if _child(a, "text") is not None else (a.text or ""))
        frac = _fraction(a)
        fb = ctx.text(_child(a, "feedback"))
        if frac >= 100:
            accepted.append(value.replace("\\*", "*"))
            if fb:
                correct_fb.append(fb)
        elif value == "*" and frac <= 0:
            if fb:
                feedback["incorrect"] = fb
        else:
            ctx.out.notes.append(diag(CHANGED, where, f"'{qname}': answer '{value}' gives {frac:g}% credit; "
                                      "the bank format has no partial credit for short answers: left out"))
    if not accepted:
        ctx.out.skipped.append(Skipped(where, "shortanswer", "no answer gives full credit", qname))
        return None
    if correct_fb:
        feedback["correct"] = correct_fb[0]
        if len(set(correct_fb)) > 1 or len(correct_fb) != len(accepted):
            ctx.out.notes.append(diag(CHANGED, where, f"'{qname}': accepted answers have different feedback; "
                                      "the bank format has one `correct` feedback: the first is kept"))
    d: dict[str, Any] = {"type": "short_answer", "accepted": accepted, "feedback": feedback}
    if _value(q, "usecase", "0") == "1":
        d["case_sensitive"] = True
    return d


def _matching(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    pairs, distractors = [], []
    for sq in _children(q, "subquestion"):
        left = one_line(ctx.text(sq))
        right = one_line(_value(sq, "answer"))
        if not right:
            continue
        if left:
            pairs.append({"left": left, "right": right})
        else:
            distractors.append(right)
    feedback: dict[str, str] = {}
    _combined(ctx, q, feedback, where, qname)
    d: dict[str, Any] = {"type": "matching", "pairs": pairs, "feedback": feedback}
    if distractors:
        d["distractors"] = distractors
    return d


def _ordering(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    answers = list(enumerate(_children(q, "answer")))
    answers.sort(key=lambda p: (_fraction(p[1]), p[0]))
    feedback: dict[str, str] = {}
    _combined(ctx, q, feedback, where, qname)
    return {"type": "ordering", "items": [one_line(ctx.text(a)) for _, a in answers], "feedback": feedback}


def _essay(ctx: _Ctx, q: Any, where: Where, qname: str) -> dict[str, Any] | None:
    d: dict[str, Any] = {"type": "reflection", "feedback": {}}
    model = ctx.text(_child(q, "graderinfo"))
    if model:
        d["model_answer"] = model
    try:
        lines = int(_value(q, "responsefieldlines", "") or 0)
    except ValueError:
        lines = 0
    if lines and lines != 6:
        d["lines"] = max(1, min(40, lines))
    return d


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}
