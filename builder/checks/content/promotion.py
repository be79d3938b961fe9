"""Spam that arrives with pasted text: adverts, keyword stuffing and web-page furniture.

The seed documents show all three: a kratom brand recommended as a stress remedy in the
middle of a paragraph, a keyword repeated nineteen times, and "Leave a Comment ... Scroll to
Top" copied from a blog. A health course must never recommend a product, supplement or
unregulated substance as a remedy, so:

- `promo.advert`: a product or substance from `PRODUCTS` in a sentence that sells it or
  presents it as help ("provides", "manage stress", "buy") and does not warn against it
  ("not", "avoid", "risk"); and sales phrases ("promo code", "buy now") anywhere.
- `promo.repetition`: the same one-to-four-word phrase five or more times in a row.
- `promo.web-boilerplate`: blog and shop furniture ("Leave a Comment", "Share this post").

Text inside `!!! myth` blocks is exempt from `promo.advert` (a myth may quote a claim).
"""

from __future__ import annotations

import operator
import re
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.diagnostics import Diagnostic, diag, register

ADVERT = register("promo.advert", "A product or substance promoted as a remedy, or other advertising.")
REPETITION = register("promo.repetition", "The same phrase repeated many times in a row (keyword stuffing).")
BOILERPLATE = register("promo.web-boilerplate", "Web-page furniture pasted into course text.", "warning")

PRODUCTS = re.compile(
    r"\b(?:kratom|kava|cbd|cannabidiol|delta[- ]?8|thc\s+gummies|ashwagandha|st\.?\s+john'?s\s+wort|5-htp"
    r"|nootropics?|rhodiola|valerian|psilocybin|magic\s+mushrooms|microdos\w*|ayahuasca|essential\s+oils?"
    r"|detox\s+teas?|gummies|tinctures?|brain\s+boosters?"
    # "supplement" the noun, not the verb ("to supplement your reading")
    r"|(?:dietary|herbal|natural|vitamin|mineral|mood|sleep|stress|anxiety)\s+supplements?"
    r"|supplements(?!\s+(?:your|the|our|their|this|that|these|those|a|an)\b))\b",
    re.I,
)
_PRODUCT_KEYS = (
    "kratom",
    "kava",
    "cbd",
    "cannabidiol",
    "delta",
    "thc",
    "ashwagandha",
    "wort",
    "htp",
    "nootropic",
    "rhodiola",
    "valerian",
    "psilocybin",
    "mushroom",
    "microdos",
    "ayahuasca",
    "oil",
    "detox",
    "supplement",
    "gummies",
    "tincture",
    "booster",
)
_SALES_KEYS = ("buy", "order", "shop", "code", "shipping", "limited", "%", "affiliate", "sponsored")
_FURNITURE_KEYS = (
    "leave a",
    "email address",
    "required fields",
    "spread the",
    "share this",
    "scroll to",
    "click to",
    "subscribe",
    "related posts",
    "this post",
)
_SELLS = re.compile(
    r"\b(?:products?|buy\w*|order\w*|shop\w*|store|discount\w*|coupon\w*|promo\w*|deals?|brand\w*|provid\w*|offer\w*"
    r"|try|recommend\w*|help\w*|manag\w*|reliev\w*|relief|reduc\w*|treat\w*|cur(?:e|es|ed|ing)|eas(?:e|es|ing)"
    r"|boost\w*|calm\w*|remed\w*|natural\w*|wellness|well-being|wellbeing|stress|anxiety|mood|sleep)\b",
    re.I,
)
_WARNS = re.compile(
    r"\b(?:not|never|avoid\w*|no\s+evidence|risk\w*|danger\w*|unsafe|harm\w*|warn\w*|unregulated"
    r"|addict\w*|interact\w*)\b|n[’']t\b",
    re.I,
)
_SALES = re.compile(
    r"\b(?:buy\s+now|order\s+now|shop\s+now|promo\s+code|discount\s+code|coupon\s+code|use\s+code"
    r"|free\s+shipping|limited[- ]time\s+offer|\d+\s*%\s+off|affiliate\s+links?|sponsored\s+post)\b",
    re.I,
)
STUFFING_RUN = 5  # a phrase this many times in a row is stuffing
_FURNITURE = re.compile(
    r"\b(?:leave\s+a\s+(?:comment|reply)|your\s+email\s+address\s+will\s+not\s+be\s+published"
    r"|required\s+fields\s+are\s+marked|spread\s+the\s+post|share\s+this\s+(?:post|article)|scroll\s+to\s+top"
    r"|click\s+to\s+share|subscribe\s+to\s+our\s+newsletter|related\s+posts|this\s+post\s+may\s+contain)\b",
    re.I,
)


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for prose in corpus.all_prose:
        yield from _adverts(prose)
        for offset, phrase, count in find_repetitions(prose.masked):
            yield diag(
                REPETITION,
                prose.where(offset),
                f"'{phrase}' is repeated {count} times in a row (keyword stuffing)",
                f"write '{phrase}' once, in a sentence that says something",
            )
        lower = prose.masked.lower()
        for m in _FURNITURE.finditer(prose.masked) if any(k in lower for k in _FURNITURE_KEYS) else ():
            yield diag(
                BOILERPLATE,
                prose.where(m.start()),
                f"'{m.group()}' is web-page text, not course content",
                "delete it; it was copied along with text from a web page",
            )


def find_repetitions(text: str, longest: int = 4) -> list[tuple[int, str, int]]:
    """(offset, phrase, times) for each phrase of 1-`longest` words repeated STUFFING_RUN+ times in a row.

    Works on words split at whitespace, comparing word i with word i+n first; a regular
    expression with a back-reference does the same but is ten times slower.
    """
    words = text.lower().split()
    runs: list[tuple[int, int, int]] = []  # (first word, words per phrase, times)
    for n in range(1, longest + 1):
        # same[i] is 1 when word i equals word i+n; a phrase of n words repeated k times in a
        # row shows as (k-1)*n ones in a row. map/bytes/find keep the loop in C.
        same = bytes(map(operator.eq, words, words[n:]))
        need = b"\x01" * ((STUFFING_RUN - 1) * n)
        i = same.find(need)
        while i != -1:
            j = i
            while j < len(same) and same[j]:
                j += 1
            times = (j - i) // n + 1
            if not any(a <= i < a + m * t for a, m, t in runs):
                runs.append((i, n, times))
            i = same.find(need, j)
    if not runs:
        return []
    spans = [m for m in re.finditer(r"\S+", text)]
    return sorted(
        (spans[i].start(), " ".join(w.group() for w in spans[i : i + n]), times) for i, n, times in runs
    )


def _adverts(prose: Prose) -> Iterator[Diagnostic]:
    text = prose.blanked(frozenset({"myth"}))
    lower = text.lower()
    reported: set[tuple[int, int]] = set()
    for m in PRODUCTS.finditer(text) if any(k in lower for k in _PRODUCT_KEYS) else ():
        start, end = prose.sentence_at(m.start())
        if (start, end) in reported:
            continue
        sentence = text[start:end]
        if _SELLS.search(sentence.replace(m.group(), " " * len(m.group()))) and not _WARNS.search(sentence):
            reported.add((start, end))
            yield diag(
                ADVERT,
                prose.where(m.start()),
                f"'{m.group()}' is promoted as a remedy; a health course must not recommend products "
                "or unregulated substances",
                "delete the sentence; to discuss substance use, say what the risks are and point to "
                "professional help",
            )
    for m in _SALES.finditer(text) if any(k in lower for k in _SALES_KEYS) else ():
        yield diag(
            ADVERT,
            prose.where(m.start()),
            f"'{m.group()}' is advertising",
            "delete it; course text never sells anything",
        )
