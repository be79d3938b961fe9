"""Sources: facts stated as facts carry a citation that resolves to a `sources:` entry.

A module lists its sources in `module.yaml` (`sources:`); a lesson or page may add its own in
its front matter. A lesson or page body cites one with a footnote reference, `[^M1-solmi-2021]`,
written in the sentence or paragraph that states the fact. The build turns each citation into a
numbered footnote and lists every source of a module in the References section of the
facilitator guide and the workbook (docs/format.md, "Sources and citations").

- `sources.unknown` (error): a citation that names no source of the lesson or its module (and
  no footnote the page defines itself).
- `sources.duplicate` (error): two sources with the same id in one module (its lessons included).
- `sources.url` (warning): a source `url` that is not an https:// address.
- `sources.in-yaml` (warning): a citation in a YAML text value (a key point, quiz feedback ...),
  where the renderers cannot turn it into a footnote.
- `content.unsourced-claim` (warning): a sentence in a lesson or page body that states a
  statistic the rules can spot (a percentage, "1 in 8", "62 in 100", "half of", "about a
  third", "three-quarters", "most people", or a number in a sentence that says a study,
  survey, review or data found / showed / suggest something) with no citation in the same paragraph, list item
  or table row. Myth blocks
  are exempt (the myth is quoted to correct it).
"""

from __future__ import annotations

import difflib
import re
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.project import Document, Lesson, Module

UNKNOWN = register("sources.unknown", "A citation that names no source of its lesson or module.")
DUPLICATE = register("sources.duplicate", "Two sources with the same id in one module.")
URL = register("sources.url", "A source whose url is not an https:// address.", "warning")
IN_YAML = register("sources.in-yaml", "A citation in YAML text, where no footnote can show it.", "warning")
UNSOURCED = register(
    "content.unsourced-claim", "A sentence stating a statistic with no citation nearby.", "warning"
)

# A citation: a footnote reference. Definitions (`[^id]: text` at the start of a line) are not.
CITATION = re.compile(r"\[\^(?P<id>[^\]\s]{1,80})\](?!:)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[\^(?P<id>[^\]\s]{1,80})\]:", re.M)

_NUM_WORD = r"(?:\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten)"
_FRACTION = r"(?:half|a\s+third|one[- ]third|two[- ]thirds|a\s+quarter|one[- ]quarter|three[- ]quarters|a\s+fifth)"
STATISTIC = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:%|per\s?cent\b)"
    rf"|\b{_NUM_WORD}\s+(?:in|out\s+of)\s+(?:every\s+)?(?:\d{{1,7}}|two|three|four|five|six|seven|eight|nine|ten"
    r"|a\s+hundred|a\s+thousand)\b"
    rf"|\b{_FRACTION}\s+of\b"
    rf"|\b(?:about|around|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|roughly|only)\s+{_FRACTION}\b"
    r"(?!\s+(?:an?\s+)?(?:hour|day|minute|week|month|year|second|mile|page|dozen)s?\b)"
    r"|\bmost\s+people\b"
    r"|\bmajority\s+of\b",
    re.I,
)
_RESEARCH = re.compile(r"\b(?:stud(?:y|ies)|surveys?|research(?:ers)?|reviews?|meta-analys[ie]s|trials?|data"
                       r"|figures|statistics)\b", re.I)
_FOUND = re.compile(r"\b(?:found|finds?|show(?:s|ed|n)?|suggest(?:s|ed)?|report(?:s|ed)?|estimat(?:es|ed)"
                    r"|conclud(?:es|ed)|concluded|says?|said)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\b")


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for m in corpus.project.modules:
        if corpus.wants(m.path):
            yield from _module_sources(m)
    for prose in corpus.values:
        if "[^" in prose.raw:
            for c in CITATION.finditer(prose.raw):
                if prose.masked[c.start():c.end()].strip():
                    yield diag(IN_YAML, prose.where(c.start()),
                               f"citation '{c.group('id')}' in YAML text: only lesson and page bodies show citations",
                               "cite the source in the lesson that teaches this fact, and leave the YAML text plain")
    for prose in corpus.bodies:
        assert prose.doc is not None
        known = _known(corpus, prose.doc)
        yield from _lesson_sources(corpus, prose.doc)
        yield from _citations(prose, known)
        yield from _claims(prose)


def module_of(corpus: Corpus, doc: Document) -> Module | None:
    if isinstance(doc, Lesson):
        return next((m for m in corpus.project.modules if m.id == doc.module_id), None)
    return None


def sources_for(project_modules: list[Module], doc: Document) -> dict[str, schema.Source]:
    """The sources a lesson or page may cite: its own, then its module's."""
    out: dict[str, schema.Source] = {}
    if isinstance(doc, Lesson):
        m = next((m for m in project_modules if m.id == doc.module_id), None)
        if m is not None:
            out.update({s.id: s for s in m.data.sources})
    out.update({s.id: s for s in doc.meta.sources})
    return out


def _known(corpus: Corpus, doc: Document) -> set[str]:
    return set(sources_for(corpus.project.modules, doc)) | set(_DEFINITION.findall(doc.body))


def _check_list(sources: list[schema.Source], seen: dict[str, schema.Source]) -> Iterator[Diagnostic]:
    for s in sources:
        if s.id in seen:
            yield diag(DUPLICATE, s.where("id"), f"source '{s.id}' is already listed at {seen[s.id].where('id')}",
                       "give each source its own id, or remove the copy")
        else:
            seen[s.id] = s
        if s.url is not None and not s.url.strip().lower().startswith("https://"):
            yield diag(URL, s.where("url"), f"source '{s.id}' url '{s.url}' is not an https:// address",
                       "write the full https:// address of the page the fact was checked on")


def _module_sources(m: Module) -> Iterator[Diagnostic]:
    yield from _check_list(m.data.sources, {})


def _lesson_sources(corpus: Corpus, doc: Document) -> Iterator[Diagnostic]:
    m = module_of(corpus, doc)
    seen = {s.id: s for s in m.data.sources} if m is not None else {}
    yield from _check_list(doc.meta.sources, seen)


def _citations(prose: Prose, known: set[str]) -> Iterator[Diagnostic]:
    if "[^" not in prose.raw:
        return
    for c in CITATION.finditer(prose.raw):
        if c.group("id") in known or not prose.masked[c.start():c.end()].strip():
            continue  # a known source, or an example in code or a comment
        close = difflib.get_close_matches(c.group("id"), sorted(known), n=1, cutoff=0.6)
        yield diag(UNKNOWN, prose.where(c.start()),
                   f"citation '{c.group('id')}' names no source of this page or module",
                   f"did you mean `[^{close[0]}]`?" if close else
                   "add it to `sources:` in the module.yaml (or the page's front matter), or fix the id")


def _claims(prose: Prose) -> Iterator[Diagnostic]:
    text = prose.blanked(frozenset({"myth"}))
    for unit in prose.units:
        cited = CITATION.search(prose.raw, unit.start, unit.end) is not None
        if cited:
            continue
        for start, end in _sentences(prose, unit.start, unit.end):
            m = STATISTIC.search(text, start, end)
            if m is None and _RESEARCH.search(text, start, end) and _FOUND.search(text, start, end):
                m = _NUMBER.search(text, start, end)
            if m is None:
                continue
            yield diag(UNSOURCED, prose.where(m.start()),
                       f"'{_show(text[start:end])}' states a figure with no source",
                       "cite the source in this paragraph, e.g. `[^M1-solmi-2021]`, and list it under `sources:` "
                       "in the module.yaml; or reword it without the figure")
            break  # one warning per paragraph is enough


def _sentences(prose: Prose, start: int, end: int) -> list[tuple[int, int]]:
    return [s for s in prose.sentences if start <= s[0] < end]


def _show(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."
