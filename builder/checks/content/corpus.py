"""The text the content checks read, masked for prose rules and able to say where it came from.

A `Prose` is one run of authored text: a lesson or page body, or one YAML string value
(a quiz stem, a module summary, a glossary definition ...). It keeps the raw text and a
*masked* copy of the same length in which code, URLs, link and block markup and HTML
comments are blanked out, so a regular expression can run over the masked copy and every
offset it reports is still an offset into the raw text and, through `Prose.where`, a
file:line:col in the source.

`Corpus` builds these once per check run and caches the source files it reads (the checks
need YAML comments for suppression markers and exact columns inside YAML values, which the
model does not keep).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterator

from pydantic import BaseModel

from builder.model import schema
from builder.model.blocks import find_blocks
from builder.model.project import Document, Project
from builder.model.source import read_text
from builder.model.where import Where

# Fields whose string values are identifiers, references or settings, never prose.
_NOT_PROSE = frozenset({
    "id", "format", "objectives", "lessons", "modules", "file", "type", "kind", "difficulty",
    "tags", "language", "version", "license", "default_region", "link_allowlist", "variants",
    "types", "module", "see",
})

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(\s*)(#{1,6})(\s+|$)")
_OPENER = re.compile(r'^(\s*)(!!!|\?\?\?\+?)\s+([A-Za-z][\w-]*)(\s*)(?:"([^"]*)")?')
_LIST = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])(\s+)")
_QUOTE = re.compile(r"^(\s*)(>+)")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_CODE_SPAN = re.compile(r"`+[^`\n]*`+")
_LINK = re.compile(r"(!?\[)([^\]\n]*)(\]\([^)\n]*\))")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"'`]+")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_ENTITY = re.compile(r"&#?\w+;")
_EMPHASIS = re.compile(r"\*+|(?<![\w])_+|_+(?![\w])|~~")
_TERMINATOR = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
# Anything Markdown might mean: when none of it is present, the text is prose as it stands.
_MARKUP = re.compile(r"[\[\]`<>*_#|!&~]|https?:|www\.|^\s*(?:[-+]|\d{1,3}[.)])\s|^\s*(?:```|~~~)", re.M)
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "approx", "dr", "mr", "mrs", "ms", "st", "no", "p"})


@dataclass(frozen=True)
class Unit:
    """A stretch of masked text that sentences never cross: a paragraph, list item, heading ..."""

    start: int
    end: int
    kind: str  # "text", "heading", "title" (a block's title), "table"


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

    def block_at(self, offset: int) -> str | None:
        """The kind of admonition block holding `offset`, if any."""
        for start, end, kind in self.blocks:
            if start <= offset < end:
                return kind
        return None

    def blanked(self, kinds: frozenset[str]) -> str:
        """The masked text with blocks of the given kinds blanked out too."""
        text = self.masked
        for start, end, kind in self.blocks:
            if kind in kinds:
                text = text[:start] + _blank(text[start:end]) + text[end:]
        return text


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences between `start` and `end` of `text`, trimmed, skipping ones without letters."""
    pos = start
    for m in _TERMINATOR.finditer(text, start, end):
        word = re.search(r"([\w.]+)\.$", text[max(start, m.start() - 12):m.start() + 1])
        if word and m.group().startswith(".") and len(m.group()) == 1 \
                and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        yield from _trimmed(text, pos, m.end())
        pos = m.end()
    yield from _trimmed(text, pos, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalpha() for c in text[start:end]):
        yield start, end


def _blank(text: str) -> str:
    """Spaces for every character except newlines (offsets and line breaks survive)."""
    return "".join("\n" if c == "\n" else " " for c in text)


# -- Markdown masking ----------------------------------------------------------------------


def mask_markdown(text: str) -> tuple[str, list[Unit]]:
    """Blank out everything in `text` that is not prose, and cut it into units.

    Fenced code, code spans, HTML comments and tags, link URLs, bare URLs, reference
    definitions, heading and list markers, table pipes and block openers (keeping a block's
    title) become spaces; the result has the same length as `text`.
    """
    if not _MARKUP.search(text):
        return text, _paragraphs(text)  # plain text, as most YAML values are: nothing to mask
    out: list[str] = []
    units: list[Unit] = []
    cur: list[int] | None = None  # [start, end] of the open text unit
    in_fence = in_comment = False
    pos = 0

    def close() -> None:
        nonlocal cur
        if cur is not None:
            units.append(Unit(cur[0], cur[1], "text"))
            cur = None

    for line in text.split("\n"):
        start, n = pos, len(line)
        pos += n + 1
        if in_fence or _FENCE.match(line):
            if _FENCE.match(line):
                in_fence = not in_fence
            out.append(" " * n)
            close()
            continue
        masked, in_comment = _mask_comments(line, in_comment)
        if not masked.strip():
            out.append(masked)
            close()
            continue
        if _REFDEF.match(masked):
            out.append(" " * n)
            close()
            continue
        # Structure first (a `*` list marker looks like emphasis), then inline markup.
        opener, heading = _OPENER.match(masked), _HEADING.match(masked)
        list_item, quote = _LIST.match(masked), _QUOTE.match(masked)
        masked = _mask_inline(masked)
        kind = "text"
        if opener:
            has_title = opener.group(5) is not None
            title_start, title_end = (opener.start(5), opener.end(5)) if has_title else (n, n)
            masked = " " * title_start + masked[title_start:title_end] + " " * (n - title_end)
            kind = "title"
        elif heading:
            masked = _blank_span(masked, heading.start(2), heading.end(2))
            kind = "heading"
        elif masked.lstrip().startswith("|"):
            masked = masked.replace("|", " ")
            if re.fullmatch(r"[\s:-]*", masked):
                masked = " " * n
            kind = "table"
        else:
            if quote:
                masked = _blank_span(masked, quote.start(2), quote.end(2))
            if list_item:
                masked = _blank_span(masked, list_item.start(2), list_item.end(2))
                close()
        out.append(masked)
        if kind != "text":
            close()
            if masked.strip():
                units.append(Unit(start, start + n, kind))
            continue
        if cur is None:
            cur = [start, start + n]
        else:
            cur[1] = start + n
    close()
    return "\n".join(out), units


def _paragraphs(text: str) -> list[Unit]:
    if "\n" not in text:
        return [Unit(0, len(text), "text")] if text.strip() else []
    units, start = [], 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        if text[start:m.start()].strip():
            units.append(Unit(start, m.start(), "text"))
        start = m.end()
    if text[start:].strip():
        units.append(Unit(start, len(text), "text"))
    return units


def _blank_span(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _mask_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    out, i = [], 0
    while i < len(line):
        if in_comment:
            j = line.find("-->", i)
            stop = len(line) if j == -1 else j + 3
            out.append(" " * (stop - i))
            i = stop
            in_comment = j == -1
        else:
            j = line.find("<!--", i)
            if j == -1:
                out.append(line[i:])
                break
            out.append(line[i:j])
            i, in_comment = j, True
    return "".join(out), in_comment


def _mask_inline(line: str) -> str:
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())

    def link(m: re.Match[str]) -> str:
        return " " * len(m.group(1)) + m.group(2) + " " * len(m.group(3))

    line = _CODE_SPAN.sub(blank, line)
    line = _LINK.sub(link, line)
    line = _AUTOLINK.sub(blank, line)
    line = _BARE_URL.sub(blank, line)
    line = _TAG.sub(blank, line)
    line = _ENTITY.sub(blank, line)
    return _EMPHASIS.sub(blank, line)


# -- the corpus ----------------------------------------------------------------------------


class Corpus:
    """Every text of a project the content checks read, built lazily and once."""

    def __init__(self, project: Project, today: dt.date | None = None) -> None:
        self.project = project
        self.today = today or _today()
        self._files: dict[str, SourceFile | None] = {}

    def source(self, path: str) -> SourceFile | None:
        """A project file's text (None when it cannot be read; the loader reported why)."""
        if path not in self._files:
            text, _, problem = read_text(self.project.root, self.project.root / path)
            self._files[path] = SourceFile(path, text) if text is not None and problem is None else None
        return self._files[path]

    @property
    def paths(self) -> list[str]:
        """Every source file the loader read, relative to the project root."""
        return list(self.project.sources)

    @cached_property
    def documents(self) -> list[Document]:
        docs: list[Document] = [lesson for m in self.project.modules for lesson in m.lessons]
        return docs + list(self.project.pages)

    @cached_property
    def bodies(self) -> list[Prose]:
        return [_body_prose(doc) for doc in self.documents]

    @cached_property
    def values(self) -> list[Prose]:
        out: list[Prose] = []
        roots: list[schema.Node | None] = [self.project.course, self.project.resources, self.project.glossary,
                                           self.project.forms]
        for m in self.project.modules:
            roots += [m.data, m.quiz]
        roots += [doc.meta for doc in self.documents]
        for root in roots:
            if root is not None:
                for owner, name, value, where in _strings(root):
                    out.append(self._value_prose(owner, name, value, where))
        return out

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
                cache.extend(_align(src.text, src.offset(where), value))
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


def markdown_prose(path: str, body: str, where: Callable[[int, int], Where], doc: Document | None = None) -> Prose:
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


def _strings(node: BaseModel) -> Iterator[tuple[schema.Node, str, str, Where]]:
    """(owner, field, text, where) for every prose string value under a model object."""
    for name in type(node).model_fields:
        if name in _NOT_PROSE or (name == "scenario" and isinstance(node, schema._QuestionBase)):
            continue
        value = getattr(node, name)
        yield from _strings_of(node, name, value)


def _strings_of(node: schema.Node, name: str, value: object) -> Iterator[tuple[schema.Node, str, str, Where]]:
    if isinstance(value, str):
        yield node, name, value, node.where(name)
    elif isinstance(value, BaseModel):
        yield from _strings(value)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield node, f"{name}[{i}]", item, node._field_where.get(f"{name}[{i}]", node.where(name))
            elif isinstance(item, BaseModel):
                yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, BaseModel):
                yield from _strings(item)


def _align(source: str, start: int, value: str, look: int = 40) -> list[int]:
    """Source offset of each character of a YAML string value that starts at `start`.

    The value's characters appear in the source in order, with extra characters between
    them (quotes, escapes, block indicators, indentation, folded line breaks); a short
    look-ahead skips those. Characters not found (escape sequences) keep the last position.
    """
    out: list[int] = []
    j = start
    n = len(source)
    for ch in value:
        stop = min(n, j + look)
        if ch.isspace():
            k = next((k for k in range(j, stop) if source[k].isspace()), -1)
        else:
            k = source.find(ch, j, stop)
        if k == -1:
            out.append(min(j, n - 1) if n else 0)
        else:
            out.append(k)
            j = k + 1
    return out
