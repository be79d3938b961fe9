"""Property test: random valid questions with hostile text survive every exporter.

Text mixes Unicode, quotes, `&`, `<`, GIFT's `~ = # { } :` and backslash, newlines, Markdown
and Aiken look-alikes. Every export must still pass the independent checkers (XSD,
gift-pegjs, Moodle and Aiken rules, QTI cross-references), and the text must come back.
"""

from __future__ import annotations

import copy
import html

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.model import schema
from builder.render.quiz import FORMATS, export_format
from builder.render.quiz.common import bank_collection
from tests.render.quiz import checkers
from tests.render.quiz.test_validity import check

PIECES = ["~", "=", "#", "{", "}", ":", "\\", "&", "<", ">", '"', "'", "\n", "->", "//", "]]>", "::", "*",
          "A. ", "ANSWER: B", "$CATEGORY:", "&amp;", "<b>x</b>", "**", "`", "[x](javascript:1)", " ", "é",
          "\u202e", "\u2028", "😀", "中文", "\t", "%50%", "####"]
WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=6)
TEXT = st.lists(st.sampled_from(PIECES) | WORD, min_size=1, max_size=8).map("".join).filter(
    lambda s: s.strip() != "")


def _unique(texts: list[str]) -> bool:
    keys = [t.strip().casefold() for t in texts]
    return len(set(keys)) == len(keys)


UNIQUE_TEXTS = lambda lo, hi: st.lists(TEXT, min_size=lo, max_size=hi).filter(_unique)  # noqa: E731


@st.composite
def questions(draw: st.DrawFn, qid: str) -> schema.Question:
    kind = draw(st.sampled_from(schema.QUESTION_TYPES))
    base = dict(id=qid, objectives=["M1.O1"], stem=draw(TEXT), points=draw(st.sampled_from([1, 2, 0.5])),
                scenario=draw(st.sampled_from([None, "M1.S1"])),
                feedback={"general": draw(st.none() | TEXT), "correct": draw(st.none() | TEXT),
                          "incorrect": draw(st.none() | TEXT)})
    if kind in ("single", "multiple"):
        texts = draw(UNIQUE_TEXTS(2, 6))
        if kind == "single":
            right = {draw(st.integers(0, len(texts) - 1))}
        else:
            right = set(draw(st.lists(st.integers(0, len(texts) - 1), min_size=1, unique=True)))
        options = [{"text": t, "correct": i in right, "feedback": draw(st.none() | TEXT)} for i, t in enumerate(texts)]
        return schema.SingleChoice(type="single", options=options, **base) if kind == "single" else \
            schema.MultipleResponse(type="multiple", options=options, **base)
    if kind == "true_false":
        return schema.TrueFalse(type="true_false", answer=draw(st.booleans()), feedback_true=draw(st.none() | TEXT),
                                feedback_false=draw(st.none() | TEXT), **base)
    if kind == "short_answer":
        return schema.ShortAnswer(type="short_answer", accepted=draw(UNIQUE_TEXTS(1, 3)),
                                  case_sensitive=draw(st.booleans()), **base)
    if kind == "matching":
        lefts = draw(UNIQUE_TEXTS(2, 4))
        rights = draw(UNIQUE_TEXTS(len(lefts), len(lefts) + 2))
        pairs = [{"left": a, "right": b} for a, b in zip(lefts, rights, strict=False)]
        return schema.Matching(type="matching", pairs=pairs, distractors=rights[len(lefts):], **base)
    if kind == "ordering":
        return schema.Ordering(type="ordering", items=draw(UNIQUE_TEXTS(2, 5)), **base)
    return schema.Reflection(type="reflection", model_answer=draw(st.none() | TEXT), **base)


@st.composite
def banks(draw: st.DrawFn) -> tuple[list[schema.Question], schema.Scenario]:
    n = draw(st.integers(1, 4))
    qs = [draw(questions(f"M1.Q{i + 1:02d}")) for i in range(n)]
    return qs, schema.Scenario(id="M1.S1", title=draw(st.none() | TEXT), text=draw(TEXT))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_hostile_questions_survive_every_exporter(minimal, bank_data) -> None:
    qs, scenario = bank_data
    project = copy.copy(minimal)
    module = copy.copy(minimal.modules[0])
    module.quiz = schema.QuizBank(module="M1", scenarios=[scenario], questions=qs)
    project.modules = [module]
    coll = bank_collection(project)
    items = coll.items()
    for fmt in FORMATS:
        export = export_format(coll, fmt)
        assert check(fmt, export) == [], fmt

    # Text comes back: Moodle XML stems, GIFT stems and choices, Aiken lines.
    moodle = etree.fromstring(next(iter(export_format(coll, "moodle").files.values())))
    stems = [q.findtext("questiontext/text") for q in moodle.iterfind("question") if q.get("type") != "category"]
    assert stems == [i.stem_html for i in items]
    gift_text = next(iter(export_format(coll, "gift").files.values())).decode("utf-8")
    parsed = [q for q in checkers.parse_gift([gift_text])[0]["questions"] if q["type"] != "Category"]
    # A short answer whose every accepted answer holds "->" cannot be written (loss table).
    in_gift = [i for i in items if not (i.kind == "short_answer" and
                                        all("->" in a or a.strip().startswith("%")
                                            for a in i.short_answer.accepted))]
    assert [q["id"] for q in parsed] == [i.ident for i in in_gift]
    for q, item in zip(parsed, in_gift, strict=True):
        assert q["stem"]["text"] == item.stem_html
        if item.kind in ("single", "multiple"):
            # A leading % is written as &#37; (the same text in HTML).
            assert [html.unescape(c["text"]["text"]) for c in q["choices"]] == \
                [html.unescape(c.html) for c in item.choices]
    for data in export_format(coll, "aiken").files.values():
        read, problems = checkers.read_aiken(data.decode("utf-8"))
        assert problems == []
        kept = [i for i in items if i.kind in ("single", "true_false")]
        assert [r["text"].removeprefix("Question: ") for r in read] == [i.stem_text for i in kept]
    aiken_losses = {lo.qid for lo in export_format(coll, "aiken").losses if lo.what.startswith("not exported")}
    assert aiken_losses == {i.qid for i in items if i.kind not in ("single", "true_false")}
