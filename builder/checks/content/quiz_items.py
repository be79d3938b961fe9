"""Quiz item writing: option wording, negative stems, and answer patterns across a bank.

Per question: no "all/none of the above" options, and a negative stem ("Which is not ...",
"... except") must emphasise the negative word (NOT, **not**) so nobody misreads it.
Per bank: the correct option should not be the longest one, nor sit in one position, more
often than chance explains. "Systematically" is tested, not guessed: a bank is flagged when
the pattern covers at least half of the eligible questions (at least `MIN_QUESTIONS`) and
the chance of seeing it by luck (a Poisson-binomial tail) is below `ALPHA`.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.project import Module

ALL_ABOVE = register("quiz.all-of-the-above", "An 'all of the above' (or 'both of these') option.")
NONE_ABOVE = register("quiz.none-of-the-above", "A 'none of the above' (or 'neither of these') option.")
NEGATIVE = register("quiz.negative-stem", "A negative stem whose negative word is not emphasised.", "warning")
LONGEST = register(
    "quiz.longest-correct", "The correct option is systematically the longest in a bank.", "warning"
)
POSITION = register(
    "quiz.answer-position", "Correct answers cluster in one position across a bank.", "warning"
)

TF_BALANCE = register(
    "quiz.item-writing.true-false-balance", "A bank whose true/false items are mostly keyed one way.", "warning"
)
MR_COUNT = register(
    "quiz.item-writing.multiple-count",
    "A bank whose multiple-response items all have the same number of correct options.", "warning",
)
LONGEST_SHARE = register(
    "quiz.item-writing.longest-correct",
    "A bank where the correct single-choice option is too often the strictly longest.", "warning",
)
ALL_OR_NONE = register(
    "quiz.item-writing.all-or-none", "A multiple-response item with every option correct, or none.", "warning"
)

MIN_QUESTIONS = 4
ALPHA = 0.05

_REFERS = (r"(?:the\s+)?(?:above|these|them|those"
           r"|(?:the\s+)?(?:previous|other|preceding)\s+(?:options|answers|choices))")
_ALL = re.compile(rf"\b(?:all|both)\s+of\s+{_REFERS}\b|\ball\s+(?:the\s+)?above\b", re.I)
_NONE = re.compile(rf"\b(?:none|neither)\s+of\s+{_REFERS}\b", re.I)
_AUX_WORDS = "is|are|was|were|would|should|does|do|did|could|can|might|will|must"
_AUX = rf"(?:{_AUX_WORDS})"
_NEGATIVE = re.compile(
    rf"\b(?:which|what)\b(?:\s+(?!(?:if|when|because|{_AUX_WORDS})\b)[\w'’]+){{0,4}}?\s+{_AUX}(?:\s+[\w'’]+)?"
    rf"\s+(?P<neg>[*_]{{0,2}}(?:not|never|least)[*_]{{0,2}})\b"
    rf"|\b(?P<contr>(?:is|are|was|were|would|should|does|do|could|can)n[’']t)\b"
    rf"|(?P<exc>[*_]{{0,2}}\bexcept\b[*_]{{0,2}})",
    re.I,
)


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for m in corpus.project.modules:
        if m.quiz is None or not corpus.wants(m.quiz_path):
            continue
        for q in m.quiz.questions:
            yield from _options(q)
            yield from _negative_stem(corpus, q)
        yield from _longest(m)
        yield from _positions(m)
        yield from item_writing(m, corpus.project.course.quiz_item_writing)


def _options(q: schema.Question) -> Iterator[Diagnostic]:
    if not isinstance(q, (schema.SingleChoice, schema.MultipleResponse)):
        return
    for o in q.options:
        if _ALL.search(o.text):
            yield diag(
                ALL_ABOVE,
                o.where("text"),
                f"question {q.id}: option '{o.text.strip()}'",
                "replace it with a real answer; for several right answers use `type: multiple`",
            )
        if _NONE.search(o.text):
            yield diag(
                NONE_ABOVE,
                o.where("text"),
                f"question {q.id}: option '{o.text.strip()}'",
                "replace it with a plausible wrong answer a learner might really choose",
            )


def _negative_stem(corpus: Corpus, q: schema.Question) -> Iterator[Diagnostic]:
    for m in _NEGATIVE.finditer(q.stem):
        word_group = next(g for g in ("neg", "contr", "exc") if m.group(g))
        word = m.group(word_group)
        if word_group != "contr" and (word.strip("*_").isupper() or word != word.strip("*_")):
            continue  # NOT, **not**, _except_: emphasised on purpose
        prose = corpus.value_prose(q, "stem")
        where = prose.where(m.start(word_group)) if prose else q.where("stem")
        shown = word.strip("*_")
        fix = f"'{shown.upper()}'" if word_group != "contr" else f"'{shown[:-3]} NOT'"
        yield diag(
            NEGATIVE,
            where,
            f"question {q.id}: negative stem with '{shown}' not emphasised",
            f"ask it positively (e.g. 'Which of these is a warning sign?'), or write {fix}",
        )


def poisson_binomial_tail(chances: Sequence[float], k: int) -> float:
    """Probability of at least `k` successes among independent trials with these chances."""
    dist = [1.0]
    for p in chances:
        nxt = [0.0] * (len(dist) + 1)
        for i, v in enumerate(dist):
            nxt[i] += v * (1 - p)
            nxt[i + 1] += v * p
        dist = nxt
    return sum(dist[k:])


def _significant(hits: int, chances: Sequence[float]) -> bool:
    n = len(chances)
    return n >= MIN_QUESTIONS and hits * 2 >= n and poisson_binomial_tail(chances, hits) < ALPHA


def _longest(m: Module) -> Iterator[Diagnostic]:
    assert m.quiz is not None
    chances: list[float] = []
    hits: list[str] = []
    for q in m.quiz.questions:
        if not isinstance(q, (schema.SingleChoice, schema.MultipleResponse)) or len(q.options) < 3:
            continue
        lengths = sorted((len(" ".join(o.text.split())), i) for i, o in enumerate(q.options))
        correct = sum(o.correct for o in q.options)
        if not correct or correct == len(q.options):
            continue
        chances.append(correct / len(q.options))
        longest, index = lengths[-1]
        if longest > lengths[-2][0] and q.options[index].correct:
            hits.append(q.id)
    if _significant(len(hits), chances):
        yield diag(
            LONGEST,
            m.quiz.where("questions"),
            f"the correct option is the longest in {len(hits)} of {len(chances)} choice questions "
            f"({_ids(hits)})",
            "make wrong options as specific as the right one, or trim the right one, so length gives "
            "nothing away",
        )


def _positions(m: Module) -> Iterator[Diagnostic]:
    assert m.quiz is not None
    singles = [
        q
        for q in m.quiz.questions
        if isinstance(q, schema.SingleChoice)
        and len(q.options) >= 3
        and sum(o.correct for o in q.options) == 1
    ]
    by_position: dict[int, list[str]] = {}
    for q in singles:
        pos = next(i for i, o in enumerate(q.options) if o.correct)
        by_position.setdefault(pos, []).append(q.id)
    if by_position:
        pos, ids = max(sorted(by_position.items()), key=lambda kv: len(kv[1]))
        chances = [1 / len(q.options) if pos < len(q.options) else 0.0 for q in singles]
        if _significant(len(ids), chances):
            yield diag(
                POSITION,
                m.quiz.where("questions"),
                f"the correct answer is option {chr(65 + pos)} in {len(ids)} of {len(singles)} "
                f"single-choice questions ({_ids(ids)})",
                "reorder options so correct answers are spread across A, B, C and D",
            )
    tf = [q for q in m.quiz.questions if isinstance(q, schema.TrueFalse)]
    for value in (True, False):
        ids = [q.id for q in tf if q.answer is value]
        if _significant(len(ids), [0.5] * len(tf)):
            yield diag(
                POSITION,
                m.quiz.where("questions"),
                f"the answer is '{str(value).lower()}' in {len(ids)} of {len(tf)} true/false questions "
                f"({_ids(ids)})",
                f"turn some statements round so that about half are {str(not value).lower()}",
            )


def _ids(ids: list[str], limit: int = 6) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


# -- item-writing cues per bank (thresholds in course.yaml `quiz_item_writing`) -------------


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def strictly_longest_correct(q: schema.SingleChoice) -> bool:
    """Whether the correct option of a single-choice item is longer than every other option."""
    lengths = sorted(((_length(o.text), o.correct) for o in q.options), key=lambda x: x[0])
    return len(lengths) >= 2 and lengths[-1][1] and lengths[-1][0] > lengths[-2][0]


def item_writing(m: Module, rules: schema.ItemWriting) -> Iterator[Diagnostic]:
    """Cues a test-wise learner can use without the lessons, counted over one bank."""
    assert m.quiz is not None
    where = m.quiz.where("questions")
    tf = [q for q in m.quiz.questions if isinstance(q, schema.TrueFalse)]
    if len(tf) >= rules.min_true_false:
        true = [q.id for q in tf if q.answer]
        share = len(true) / len(tf)
        if not rules.true_share_min <= share <= rules.true_share_max:
            yield diag(TF_BALANCE, where,
                       f"{len(true)} of {len(tf)} true/false items are keyed true ({share:.0%}; keep it between "
                       f"{rules.true_share_min:.0%} and {rules.true_share_max:.0%})",
                       f"turn some statements round so that they are {'false' if share > 0.5 else 'true'}")
    multi = [q for q in m.quiz.questions if isinstance(q, schema.MultipleResponse)]
    for q in multi:
        correct = sum(o.correct for o in q.options)
        if correct in (0, len(q.options)):
            yield diag(ALL_OR_NONE, q.where("options"),
                       f"question {q.id}: {'every' if correct else 'no'} option is correct",
                       "make some options plausible wrong answers (and at least one right one)")
    counts = {sum(o.correct for o in q.options) for q in multi}
    if len(multi) >= rules.min_multiple and len(counts) == 1:
        yield diag(MR_COUNT, where,
                   f"all {len(multi)} multiple-response items have exactly {counts.pop()} correct options "
                   f"({_ids([q.id for q in multi])})",
                   "vary the number of correct options (for example 1 to 4 of 5) so counting gives nothing away")
    singles = [q for q in m.quiz.questions if isinstance(q, schema.SingleChoice) and len(q.options) >= 2]
    if len(singles) >= rules.min_single:
        hits = [q.id for q in singles if strictly_longest_correct(q)]
        share = len(hits) / len(singles)
        if share > rules.longest_correct_max_share:
            yield diag(LONGEST_SHARE, where,
                       f"the correct option is the strictly longest in {len(hits)} of {len(singles)} single-choice "
                       f"items ({share:.0%}; the course allows {rules.longest_correct_max_share:.0%}: {_ids(hits)})",
                       "make wrong options as specific as the right one, or trim the right one")
