"""The text the content checks read, masked for prose rules and able to say where it came from.

A `Prose` is one run of authored text: a lesson or page body, or one YAML string value
(a quiz stem, a module summary, a glossary definition ...). It keeps the raw text and a
*masked* copy of the same length in which code, URLs, link and block markup and HTML
comments are blanked out, so a regular expression can run over the masked copy and every
offset it reports is still an offset into the raw text and, through `Prose.where`, a
file:line:col in the source.

`Corpus` builds these once per check run and caches the source files it reads (the checks
need YAML comments for suppression markers and exact columns inside YAML values, which the
model does not keep). A corpus may be limited to some files (`only`): every rule then reads
and reports on those files alone, which is what lets results be cached file by file
(`builder.checks.content.cache`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property

from builder.checks.content.markdown import Unit, mask_markdown, split_sentences
from builder.checks.content.yaml_positions import align
from builder.model import schema
from builder.model.blocks import find_blocks
from builder.model.project import Document, Project
from builder.model.source import read_text
from builder.model.texts import AuthoredText, authored_texts, blank
from builder.model.where import Where


@dataclass(eq=False)
class SourceFile:
    """A source file's text, for positions inside YAML values and for suppression markers."""

    path: str
    text: str

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def line_starts(self) -> list[int]:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        return starts

    def offset(self, where: Where) -> int:
        if where.line < 1 or where.line > len(self.line_starts):
            return 0
        return min(self.line_starts[where.line - 1] + where.col - 1, len(self.text))

    def where(self, offset: int) -> Where:
        i = max(bisect.bisect_right(self.line_starts, offset) - 1, 0)
        return Where(self.path, i + 1, offset - self.line_starts[i] + 1)


@dataclass(eq=False)
class Prose:
    """One run of authored text with its masked copy, units, blocks and positions."""

    path: str
    raw: str
    masked: str
    units: list[Unit]
    locate: Callable[[int], Where]
    doc: Document | None = None  # set for lesson and page bodies
    key: str = ""  # for YAML values: the field, e.g. "stem" or "key_points[2]"
    owner: object = None  # for YAML values: the model object holding the field
    blocks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind) offsets

    def where(self, offset: int) -> Where:
        return self.locate(max(0, min(offset, len(self.raw))))

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the sentences in every unit, in order."""
        out: list[tuple[int, int]] = []
        for unit in self.units:
            out.extend(split_sentences(self.masked, unit.start, unit.end))
        return out

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The sentence holding `offset` (or the unit around it when it sits between sentences)."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1]:
            return self.sentences[i]
        for unit in self.units:
            if unit.start <= offset < unit.end:
                return unit.start, unit.end
        return max(0, offset - 100), min(len(self.masked), offset + 100)

    def blanked(self, kinds: frozenset[str]) -> str:
        """The masked text with blocks of the given kinds blanked out too."""
        pieces, pos = [], 0
        for start, end, kind in self.blocks:
            if kind in kinds and start >= pos:
                pieces += [self.masked[pos:start], blank(self.masked[start:end])]
                pos = end
        return "".join(pieces) + self.masked[pos:] if pieces else self.masked


# -- the corpus ----------------------------------------------------------------------------


class Corpus:
    """Every text of a project the content checks read, built lazily and once."""

    def __init__(self, project: Project, today: dt.date | None = None, only: Collection[str] | None = None) -> None:
        self.project = project
        self.today = today or _today()
        self.only = None if only is None else frozenset(only)
        self._files: dict[str, SourceFile | None] = {}

    def wants(self, path: str | None) -> bool:
        """Whether the checks read this file (every file, unless the corpus is limited)."""
        return self.only is None or path in self.only

    def source(self, path: str) -> SourceFile | None:
        """A project file's text (None when it cannot be read; the loader reported why)."""
        if path not in self._files:
            text, _, problem = read_text(self.project.root, self.project.root / path)
            self._files[path] = SourceFile(path, text) if text is not None and problem is None else None
        return self._files[path]

    @property
    def paths(self) -> list[str]:
        """Every source file the loader read (that this corpus covers), relative to the project root."""
        return [p for p in self.project.sources if self.wants(p)]

    @cached_property
    def _texts(self) -> list[AuthoredText]:
        """The texts of the files this corpus covers, from the one walk over the course's text."""
        return list(authored_texts(self.project, self.only))

    @cached_property
    def documents(self) -> list[Document]:
        return [t.doc for t in self._texts if t.doc is not None]

    @cached_property
    def bodies(self) -> list[Prose]:
        return [_body_prose(doc) for doc in self.documents]

    @cached_property
    def values(self) -> list[Prose]:
        """Every prose string value of the YAML files (identifiers and settings left out)."""
        return [self._value_prose(t.owner, t.key, t.text, t.where) for t in self._texts
                if t.owner is not None and t.prose]

    def value_prose(self, owner: schema.Node, name: str) -> Prose | None:
        """The Prose of one YAML field (`name` as in `stem` or `key_points[2]`)."""
        return self._value_index.get((id(owner), name))

    @cached_property
    def _value_index(self) -> dict[tuple[int, str], Prose]:
        return {(id(p.owner), p.key): p for p in self.values}

    @property
    def all_prose(self) -> list[Prose]:
        return self.bodies + self.values

    def _value_prose(self, owner: schema.Node, name: str, value: str, where: Where) -> Prose:
        masked, units = mask_markdown(value)
        src = self.source(where.path)
        cache: list[int] = []

        def locate(offset: int) -> Where:
            if src is None or where.path == "<unknown>":
                return where
            if not cache:
                cache.extend(align(src.text, src.offset(where), value))
            if not cache:
                return where
            return src.where(cache[min(offset, len(cache) - 1)])

        return Prose(where.path, value, masked, units, locate, key=name, owner=owner)


def _today() -> dt.date:
    """Today, or the date in COURSE_TODAY (YYYY-MM-DD) so runs and tests can be repeated."""
    value = os.environ.get("COURSE_TODAY", "")
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


def _body_prose(doc: Document) -> Prose:
    return markdown_prose(doc.path, doc.body, doc.where, doc)


def markdown_prose(
    path: str, body: str, where: Callable[[int, int], Where], doc: Document | None = None
) -> Prose:
    """A Markdown body as Prose; `where(line_index, col)` places a position of the body."""
    masked, units = mask_markdown(body)
    lines = body.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    def locate(offset: int) -> Where:
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        return where(i, offset - starts[i] + 1)

    blocks = [(starts[b.start], starts[b.end - 1] + len(lines[b.end - 1]), b.kind) for b in find_blocks(body)]
    return Prose(path, body, masked, units, locate, doc=doc, blocks=blocks)
