"""The urgent-risk protocol: immediate danger means the emergency number, never a crisis line instead.

The course states one rule everywhere (issue 12, domain-facts "Crisis-response protocol facts"):
immediate danger (the person is about to act, has the means at hand, or has already harmed
themselves) means the local emergency number now, staying with the person if it is safe. A
crisis line is for when there is no immediate danger, or alongside emergency services, never
instead of them.

- `safety.crisis-line-instead-of-emergency` (every text): a sentence that mentions danger and
  offers a crisis line as the alternative ("... in immediate danger, call 911 or 988",
  "emergency services or a crisis line", "call 999 or Samaritans"), or that makes the call
  depend on the peer's own judgement ("and you cannot keep them safe").
- `safety.danger-without-emergency-number` (lessons and pages): a page that mentions immediate
  danger but never names the emergency number, in the course's region-neutral wording
  ("emergency number", "emergency services", 911/999/112/000) or through a `!!! help` block,
  which the build ends with the reader's emergency number.

Text inside `!!! myth` blocks is exempt (a myth is quoted in order to correct it). A danger
word that is negated ("no immediate danger", "not in danger") does not count for the first
rule: "If there is no immediate danger, call 988 or text HOME to 741741" is the protocol.
"""

from __future__ import annotations

import re
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.diagnostics import Diagnostic, diag, register

INSTEAD = register(
    "safety.crisis-line-instead-of-emergency",
    "A sentence that offers a crisis line instead of the emergency number for immediate danger.",
)
NO_NUMBER = register(
    "safety.danger-without-emergency-number",
    "A page that mentions immediate danger but never gives the emergency number.",
    "warning",
)

_I = re.I
# Immediate danger, as the course words it. `in danger` alone counts for the pairing rule
# ("if someone may be in danger, contact emergency services or a crisis line").
IMMEDIATE = (r"\b(?:immediate(?:ly)?|imminent)\s+(?:danger|risk|threat)\b"
             r"|\bin\s+danger\s+(?:right\s+)?now\b|\bdanger\s+right\s+now\b|\blife\s+is\s+in\s+danger\b"
             r"|\babout\s+to\s+act\b|\b(?:has|have|had)\s+(?:the\s+)?means\s+(?:at\s+hand|with\s+(?:them|him|her))\b"
             r"|\balready\s+(?:hurt|harmed|injured)\s+(?:them|him|her|your|my)sel(?:f|ves)\b")
_IMMEDIATE = re.compile(IMMEDIATE, _I)
_DANGER = re.compile(IMMEDIATE + r"|\bin\s+danger\b", _I)
_NEGATED = re.compile(r"\b(?:no|not|isn[’']t|aren[’']t|without|nor|never)\s+(?:\w+\s+){0,2}$", _I)
# A crisis line named as the thing to use: generic words, or a line's name or number.
_LINE = (r"(?:crisis|support|suicide|help|text)\s*(?:line|service|team)s?|helplines?|hotlines?|text\s+line"
         r"|lifeline|samaritans|shout|pieta|childline|kids\s+help\s*(?:phone|line)|988|9-8-8|116\s?123"
         r"|741741|85258|50808|13\s?11\s?14|crisis\s+text\s+line|trevor\s+project"
         r"|\w+\s+to\s+\d{4,}")  # "text HOME to 741741"
# "... or [call / contact / text] [a / the / your local] <line>": the line as the alternative.
_OR_LINE = re.compile(
    rf"\bor\s+(?:(?:call|calls|calling|contact|contacting|text|texting|phone|ring|reach\s+out\s+to|try|use)\s+)?"
    rf"(?:(?:a|an|the|your|their|one\s+of\s+the)\s+)?(?:(?:local|national|24[- ]hour)\s+)?(?:{_LINE})\b", _I)
# "<emergency number> or <line>" needs no danger word: the emergency call is being offered
# with a crisis line as an equal choice.
_EMERGENCY = (r"(?:\bemergency\s+(?:services?|numbers?|line)\b|(?<![\d,.])(?:911|999|112|000)(?![\d,])"
              r"|\btriple\s+zero\b|\ban\s+ambulance\b)")
_EMERGENCY_OR_LINE = re.compile(
    rf"{_EMERGENCY}(?:\s*\([^()\n]{{0,60}}\))?,?\s+{_OR_LINE.pattern}", _I)
# Makes the emergency call depend on the peer judging they can manage imminent intent.
_CONDITION = re.compile(
    r"\b(?:and|if|unless|when)\s+(?:you\s+)?(?:cannot|can[’']t|can\s+not|are\s+unable\s+to|could\s+not|couldn[’']t)"
    r"\s+keep\s+(?:them|him|her|the\s+person|yourself|you|everyone)\s+safe\b", _I)
# Text that counts as giving the emergency number (the `!!! help` block adds it in the build).
_NUMBER = re.compile(_EMERGENCY.replace(r"|an\s+ambulance", "")
                     + r"|\b(?:call|dial|phone|ring)\s+(?:for\s+)?an\s+ambulance\b", _I)

_HINT_INSTEAD = ("for immediate danger write the emergency number alone (\"call your local emergency number "
                 "now and stay with them if it is safe\"); a crisis line is for when there is no immediate "
                 "danger, or alongside emergency services, never instead of them")
_HINT_CONDITION = ("drop the condition: someone about to act needs the emergency number now, whatever the "
                   "peer thinks they can manage")


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for prose in corpus.all_prose:
        yield from _pairings(prose)
    for prose in corpus.bodies:
        yield from _page(prose)


def _pairings(prose: Prose) -> Iterator[Diagnostic]:
    lower = prose.masked.lower()
    if "or " not in lower and "safe" not in lower:
        return
    text = prose.blanked(frozenset({"myth"}))
    for m in _CONDITION.finditer(text):
        yield diag(INSTEAD, prose.where(m.start()),
                   f"'{_show(m.group())}' makes the emergency call depend on the peer's own judgement", _HINT_CONDITION)
    seen: set[tuple[int, int]] = set()
    for m in _EMERGENCY_OR_LINE.finditer(text):
        seen.add(prose.sentence_at(m.start()))
        yield diag(INSTEAD, prose.where(m.start()),
                   f"'{_show(m.group())}' offers a crisis line as an alternative to the emergency number",
                   _HINT_INSTEAD)
    for m in _OR_LINE.finditer(text):
        sentence = prose.sentence_at(m.start())
        if sentence in seen:
            continue
        danger = _danger_in(text, *sentence)
        if danger is None:
            continue
        seen.add(sentence)
        yield diag(INSTEAD, prose.where(m.start()),
                   f"'{_show(m.group())}' offers a crisis line as the alternative when someone is "
                   f"'{_show(danger.group())}'", _HINT_INSTEAD)


def _danger_in(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first danger mention in text[start:end] that is not negated ("no immediate danger")."""
    for m in _DANGER.finditer(text, start, end):
        if not _NEGATED.search(text[max(start, m.start() - 40):m.start()]):
            return m
    return None


def _page(prose: Prose) -> Iterator[Diagnostic]:
    text = prose.blanked(frozenset({"myth"}))
    first = _IMMEDIATE.search(text)
    if first is None:
        return
    if any(kind == "help" for _, _, kind in prose.blocks) or _NUMBER.search(text):
        return
    title = prose.doc.title if prose.doc else prose.path
    yield diag(NO_NUMBER, prose.where(first.start()),
               f"'{title}' mentions '{_show(first.group())}' but never gives the emergency number",
               "add \"call your local emergency number (for example 911, 999, 112 or 000) and stay with them "
               "if it is safe\", or a `!!! help` block, which the build ends with the reader's emergency number")


def _show(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
