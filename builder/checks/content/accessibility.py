"""Accessibility of authored content: alt text, heading order, link text, table headers.

The page title (front matter `title:`) is the page's only h1, so a body starts at `##` and
never skips a level on the way down. Images and links are checked in every text (bodies
and YAML values); headings and tables only in bodies. Fenced code is ignored.
"""

from __future__ import annotations

import re
from typing import Iterator

from builder.checks.content.corpus import Corpus, Prose
from builder.checks.content.markdown import blank_comments
from builder.checks.texts import fenced_lines
from builder.diagnostics import Diagnostic, diag, register

ALT_TEXT = register("a11y.alt-text", "An image without useful alt text.")
HEADING = register("a11y.heading-level", "A heading that skips a level, or a second h1 in a page body.")
LINK_TEXT = register("a11y.link-text", "Link text that says nothing out of context ('click here').")
TABLE_HEADER = register("a11y.table-header", "A table without a header row.")

# Markdown syntax only: raw HTML (<img>, <a>) is an error of its own (`html.tag`). Bounded by
# the next bracket, so long pasted lines cannot make them backtrack.
_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\[\]\n]*)\]\((?P<url>(?:[^()\n]|\([^()\n]*\))*)\)")
_VAGUE = frozenset(
    {
        "click here",
        "here",
        "read more",
        "more",
        "click",
        "this",
        "this link",
        "link",
        "learn more",
        "this page",
        "go",
        "more info",
        "find out more",
        "see here",
        "details",
    }
)
_PLACEHOLDER_ALT = re.compile(
    r"^(?:image|picture|photo|graphic|img|icon|figure|screenshot)\s*\d*$|\.(?:png|jpe?g|gif|svg|webp)$", re.I
)
_HEADING = re.compile(r"^(#{1,6})[ \t]+\S")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for prose in corpus.all_prose:
        text = _without_code(prose.raw)
        yield from _images(prose, text)
        yield from _link_text(prose, text)
    for prose in corpus.bodies:
        yield from _headings(prose)
        yield from _tables(prose)


def _without_code(text: str) -> str:
    """The text with fenced code and HTML comments blanked (offsets kept)."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    joined = blank_comments("\n".join(" " * len(line) if i in code else line for i, line in enumerate(lines)))
    return re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group()), joined)


def _images(prose: Prose, text: str) -> Iterator[Diagnostic]:
    for m in _IMAGE.finditer(text):
        alt = m.group("alt")
        if not alt.strip():
            yield diag(
                ALT_TEXT,
                prose.where(m.start()),
                "image has no alt text",
                "describe what the image shows and why it is there, e.g. "
                "![Two people talking on a park bench](...)",
            )
        elif _PLACEHOLDER_ALT.search(alt.strip()):
            yield diag(
                ALT_TEXT,
                prose.where(m.start()),
                f"image alt text '{alt.strip()}' does not describe it",
                "describe what the image shows, e.g. 'A volunteer listening to a student'",
            )


def _link_text(prose: Prose, text: str) -> Iterator[Diagnostic]:
    for m in _LINK.finditer(text):
        label = m.group("text")
        words = re.sub(r"[^\w\s]", "", label).strip().lower()
        words = " ".join(words.split())
        if not words:
            yield diag(
                LINK_TEXT,
                prose.where(m.start()),
                "link has no text",
                "write link text that names where the link goes, e.g. [the 988 Lifeline website](...)",
            )
        elif words in _VAGUE:
            yield diag(
                LINK_TEXT,
                prose.where(m.start()),
                f"link text '{label.strip()}' does not say where it goes",
                "name the destination, e.g. 'Read [the 988 Lifeline's guide to what to expect](...)'",
            )


def _headings(prose: Prose) -> Iterator[Diagnostic]:
    previous = 1  # the page title
    pos = 0
    lines = prose.raw.split("\n")
    code = fenced_lines(lines)
    for index, line in enumerate(lines):
        start, pos = pos, pos + len(line) + 1
        if index in code:
            continue
        m = _HEADING.match(line)
        if not m:
            continue
        level = len(m.group(1))
        if level == 1:
            yield diag(
                HEADING,
                prose.where(start),
                "a level-1 heading in the body; the page title is the only h1",
                "start body headings at '## '",
            )
        elif level > previous + 1:
            yield diag(
                HEADING,
                prose.where(start),
                f"heading level {level} follows level {previous}, skipping level {previous + 1}",
                f"use '{'#' * (previous + 1)} ' here, or add the missing level above",
            )
        previous = level


def _tables(prose: Prose) -> Iterator[Diagnostic]:
    lines = prose.raw.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    code = fenced_lines(lines)
    i = 0
    while i < len(lines):
        if i in code or not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("|"):
            j += 1
        rows = lines[i:j]
        if len(rows) < 2 or not _DELIMITER.match(rows[1]):
            yield diag(
                TABLE_HEADER,
                prose.where(starts[i]),
                "table has no header row",
                "make the first row the column headings and put a '| --- | --- |' row under it",
            )
        elif not re.sub(r"[|\s]", "", rows[0]):
            yield diag(
                TABLE_HEADER,
                prose.where(starts[i]),
                "table's header row is empty",
                "give every column a heading that says what it holds",
            )
        i = j
