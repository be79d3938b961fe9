"""Markdown as prose: mask what is not prose, keep every offset, and cut text into sentences.

`mask_markdown` returns a copy of a text of the same length in which code, URLs, link and
block markup and HTML comments are blanked, plus the units (paragraphs, list items,
headings, block titles, table rows) that sentences never cross. Every pattern here is
bounded so that long pasted lines cannot make it backtrack (curriculum text is untrusted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from builder.checks.texts import blank, fenced_lines

_HEADING = re.compile(r"^(\s*)(#{1,6})(\s+|$)")
_OPENER = re.compile(r'^(\s*)(!!!|\?\?\?\+?)\s+([A-Za-z][\w-]*)(\s*)(?:"([^"]*)")?')
_LIST = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])(\s+)")
_QUOTE = re.compile(r"^(\s*)(>+)")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_CODE_SPAN = re.compile(r"`+[^`\n]*`+")
# Link text never holds a "[", and inner parentheses pair up: no pattern here can backtrack
# across a long line (pasted text is untrusted).
_LINK = re.compile(r"(!?\[)([^\[\]\n]*)(\]\((?:[^()\n]|\([^()\n]*\))*\))")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>")
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"'`]+")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ENTITY = re.compile(r"&#?\w+;")
_EMPHASIS = re.compile(r"\*+|(?<![\w])_+|_+(?![\w])|~~")
_TERMINATOR = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s|$)")
# Anything Markdown might mean: when none of it is present, the text is prose as it stands.
_MARKUP = re.compile(r"[\[\]`<>*_#|!&~]|https?:|www\.|^\s*(?:[-+]|\d{1,3}[.)])\s|^\s*(?:```|~~~)", re.M)
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "approx", "dr", "mr", "mrs", "ms", "st", "no", "p"})


@dataclass(frozen=True)
class Unit:
    """A stretch of masked text that sentences never cross: a paragraph, list item, heading ..."""

    start: int
    end: int
    kind: str  # "text", "heading", "title" (a block's title), "table"


def split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences between `start` and `end` of `text`, trimmed, skipping ones without letters."""
    pos = start
    for m in _TERMINATOR.finditer(text, start, end):
        word = re.search(r"([\w.]+)\.$", text[max(start, m.start() - 12) : m.start() + 1])
        if (
            word
            and m.group().startswith(".")
            and len(m.group()) == 1
            and word.group(1).lower().rstrip(".") in _ABBREVIATIONS
        ):
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


def blank_comments(text: str) -> str:
    """`text` with every HTML comment blanked (newlines kept); an unclosed one runs to the end.

    A loop over str.find, not a regular expression: `<!--.*?-->` is quadratic on text with
    many unclosed comment openers.
    """
    if "<!--" not in text:
        return text
    out, pos = [], 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        end = len(text) if end == -1 else end + 3
        out += [text[pos:start], blank(text[start:end])]
        pos = end
    return "".join(out) + text[pos:]


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
    in_comment = False
    pos = 0
    lines = text.split("\n")
    code = fenced_lines(lines)

    def close() -> None:
        nonlocal cur
        if cur is not None:
            units.append(Unit(cur[0], cur[1], "text"))
            cur = None

    for index, line in enumerate(lines):
        start, n = pos, len(line)
        pos += n + 1
        if index in code:
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
        if text[start : m.start()].strip():
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
