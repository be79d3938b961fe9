"""JSON and CSV: the banks as data, for spreadsheets, analysis and other tools.

JSON is lossless: every field of every question as authored (Markdown), plus the rendered
stem HTML and, for forms, the display order. CSV has one row per question; lists (options,
accepted answers, matching pairs, ordering items) are one cell each, one entry per line,
and cells that a spreadsheet would run as a formula (`= + - @`) start with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json

from builder.model import schema
from builder.render.quiz.common import Collection, Export, Item, fmt_number

JSON_NAME, JSON_LABEL = "json", "JSON"
CSV_NAME, CSV_LABEL = "csv", "CSV"

COLUMNS = ["section", "ident", "id", "type", "objectives", "difficulty", "points", "tags", "scenario",
           "stem", "options", "correct", "option_feedback", "feedback_general", "feedback_correct",
           "feedback_incorrect", "case_sensitive", "model_answer"]


def _item_json(item: Item) -> dict[str, object]:
    shown: list[str] = [c.key for c in item.choices or item.rights or item.steps_shown]
    return {
        "ident": item.ident,
        "module": item.module_id,
        "question": item.q.model_dump(mode="json", exclude_none=True),
        "stem_html": item.stem_html,
        "shown_order": shown,
    }


def export_json(coll: Collection) -> Export:
    """One `.json` file."""
    data = {
        "format": 1,
        "id": coll.ident,
        "title": coll.title,
        "language": coll.language,
        "sections": [
            {"id": s.ident, "title": s.title, "category": list(s.category),
             "questions": [_item_json(i) for i in s.items]}
            for s in coll.sections
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return Export(files={f"{coll.ident}-questions.json": text.encode("utf-8")})


def _cell(value: str) -> str:
    # Spreadsheets execute cells starting with these as formulas (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _lists(item: Item) -> tuple[list[str], list[str], list[str]]:
    """(options, correct, option feedback) for the item's type, as authored."""
    q = item.q
    if isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
        opts = {f"o{i + 1}": o for i, o in enumerate(q.options)}
        shown = [opts[c.key] for c in item.choices]
        return ([o.text for o in shown], [o.text for o in shown if o.correct],
                [o.feedback or "" for o in shown])
    if isinstance(q, schema.TrueFalse):
        return (["true", "false"], ["true" if q.answer else "false"],
                [q.feedback_true or "", q.feedback_false or ""])
    if isinstance(q, schema.ShortAnswer):
        return [], list(q.accepted), []
    if isinstance(q, schema.Matching):
        return ([c.text for c in item.rights], [f"{p.left} -> {p.right}" for p in q.pairs], [])
    if isinstance(q, schema.Ordering):
        return [c.text for c in item.steps_shown], list(q.items), []
    return [], [], []


def export_csv(coll: Collection) -> Export:
    """One `.csv` file (UTF-8 with a byte-order mark, so spreadsheet programs read it as UTF-8)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for s in coll.sections:
        for item in s.items:
            q = item.q
            options, correct, option_fb = _lists(item)
            row = [s.ident, item.ident, q.id, q.type, "\n".join(q.objectives), q.difficulty,
                   fmt_number(item.points), "\n".join(q.tags), q.scenario or "", q.stem,
                   "\n".join(options), "\n".join(correct), "\n".join(option_fb),
                   q.feedback.general or "", q.feedback.correct or "", q.feedback.incorrect or "",
                   "yes" if getattr(q, "case_sensitive", False) else "",
                   getattr(q, "model_answer", None) or ""]
            w.writerow([_cell(v) for v in row])
    return Export(files={f"{coll.ident}-questions.csv": ("\ufeff" + buf.getvalue()).encode("utf-8")})
