"""Suppression markers: silence one content rule on one line or block, with a reason.

In a lesson or page body, an HTML comment on the line above the text:

    <!-- course: allow S13 reason="quoting a myth to correct it" -->

It covers the next block: the paragraph, list, table or heading that starts on the next
line (up to the next blank line), or, when the next line opens an admonition (`!!! kind`),
the whole admonition. At the end of a line of text it covers that line only.

In YAML (any curriculum YAML file, or a lesson's front matter), a comment:

    # course: allow quiz.all-of-the-above reason="the item tests this phrase on purpose"

On its own line it covers the next line and everything nested (indented) under it; at the
end of a line it covers that line and everything nested under it. Page-level rules report at
the page's `title:` line, so a marker on the line above `title:` in the front matter silences
them for that page.

A code is written in full (`safe.S13`) or by its last part (`S13`, `all-of-the-above`).
Several codes may be listed, separated by commas. The reason is required: a marker without
one silences nothing. Every marker that names an unknown code, has no reason, or silences
nothing is reported, so stale markers do not pile up.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from builder.checks.content.corpus import Corpus, SourceFile
from builder.checks.texts import fenced_lines
from builder.diagnostics import Diagnostic, diag, register
from builder.model.where import Where

UNUSED = register("suppress.unused", "A suppression marker that silenced nothing.", "warning")
NO_REASON = register("suppress.no-reason", "A suppression marker without a reason.", "warning")
UNKNOWN = register("suppress.unknown-code", "A suppression marker naming no content-check code.", "warning")

_MD_MARKER = re.compile(r"<!--\s*course:\s*allow\b(?P<body>.*?)-->")
_YAML_MARKER = re.compile(r"(?:^|\s)#\s*course:\s*allow\b(?P<body>.*)$")
_REASON = re.compile(r"""\breason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_OPENER = re.compile(r"^\s{0,3}(!!!|\?\?\?\+?)\s+[A-Za-z]")


@dataclass
class Marker:
    where: Where
    codes: list[str]
    reason: str
    first: int  # first and last covered line (1-based, inclusive)
    last: int
    used: set[str] = field(default_factory=set)


def apply(corpus: Corpus, diags: list[Diagnostic], known: set[str]) -> list[Diagnostic]:
    """Drop diagnostics a valid marker covers; add warnings about bad or unused markers."""
    out: list[Diagnostic] = []
    markers: list[Marker] = []
    # Markers stacked above one block share its line range; index ranges by line and each
    # range's markers by code, so a check is a few dictionary look-ups per diagnostic.
    ranges: dict[tuple[str, int, int], dict[str, list[Marker]]] = {}
    by_line: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    for path in corpus.paths:
        src = corpus.source(path)
        if src is None:
            continue
        for m in _markers(corpus, src):
            problem = _validate(m, known)
            if problem:
                out.append(problem)
                continue
            markers.append(m)
            key = (path, m.first, m.last)
            if key not in ranges:
                ranges[key] = {}
                for line in range(m.first, m.last + 1):
                    by_line.setdefault((path, line), []).append(key)
            for code in m.codes:
                ranges[key].setdefault(code, []).append(m)
    for d in diags:
        if not _silenced(d, by_line.get((d.where.path, d.where.line), ()), ranges):
            out.append(d)
    for m in markers:
        unused = [c for c in m.codes if c not in m.used]
        if unused:
            out.append(
                diag(
                    UNUSED,
                    m.where,
                    f"suppression marker for {', '.join(unused)} silenced nothing",
                    "remove the marker, or put it on the line just above the text it is for",
                )
            )
    return out


def _silenced(
    d: Diagnostic,
    keys: list[tuple[str, int, int]] | tuple[()],
    ranges: dict[tuple[str, int, int], dict[str, list[Marker]]],
) -> bool:
    for key in keys:
        group = ranges[key]
        for code in (d.code, d.code.split(".", 1)[-1]):  # `safe.S13` or its short form `S13`
            if code in group:
                group[code][0].used.add(code)
                return True
    return False


def _matches(marker_code: str, code: str) -> bool:
    return code == marker_code or code.endswith("." + marker_code)


def _validate(m: Marker, known: set[str]) -> Diagnostic | None:
    if not m.codes:
        return diag(
            UNKNOWN,
            m.where,
            "suppression marker names no rule",
            'write the code to allow, e.g. `course: allow S13 reason="..."`',
        )
    for c in m.codes:
        if not any(_matches(c, k) for k in known):
            names = sorted(known | {k.split(".", 1)[1] for k in known})  # S13 as well as safe.S13
            close = difflib.get_close_matches(c, names, n=1, cutoff=0.5)
            return diag(
                UNKNOWN,
                m.where,
                f"suppression marker names '{c}', which is not a content-check code",
                f"did you mean `{close[0]}`?" if close else "see docs/content-checks.md for the codes",
            )
    if not m.reason:
        return diag(
            NO_REASON,
            m.where,
            f"suppression marker for {', '.join(m.codes)} gives no reason",
            'say why the text is fine here, e.g. reason="quoting a myth to correct it"',
        )
    return None


def _parse(body: str) -> tuple[list[str], str]:
    r = _REASON.search(body)
    reason = ((r.group("dq") if r.group("dq") is not None else r.group("sq")) or "").strip() if r else ""
    head = body[: r.start()] if r else body
    codes = [c for c in re.split(r"[\s,]+", head) if c and "=" not in c]
    return codes, reason


def _markers(corpus: Corpus, src: SourceFile) -> list[Marker]:
    doc = next((d for d in corpus.documents if d.path == src.path), None)
    if src.path.endswith((".yaml", ".yml")):
        return _yaml_markers(src, 1, len(src.lines))
    if doc is None:
        return []
    return _yaml_markers(src, 1, doc.body_line - 1) + _markdown_markers(src, doc.body_line)


def _yaml_markers(src: SourceFile, first: int, last: int) -> list[Marker]:
    out = []
    lines = src.lines
    for n in range(first, min(last, len(lines)) + 1):
        line = lines[n - 1]
        m = _YAML_MARKER.search(line)
        if not m or "course:" not in line:
            continue
        codes, reason = _parse(m.group("body"))
        own_line = not line[: m.start()].strip()
        start = _next_content_line(lines, n, last) if own_line else n
        end = _nested_end(lines, start, last) if start else 0
        out.append(
            Marker(
                Where(src.path, n, line.index("#", m.start()) + 1), codes, reason, start or n + 1, end or n
            )
        )
    return out


def _next_content_line(lines: list[str], n: int, last: int) -> int:
    for k in range(n + 1, min(last, len(lines)) + 1):
        stripped = lines[k - 1].strip()
        if stripped and not stripped.startswith("#"):
            return k
    return 0


def _nested_end(lines: list[str], start: int, last: int) -> int:
    indent = _indent(lines[start - 1])
    end = start
    for k in range(start + 1, min(last, len(lines)) + 1):
        stripped = lines[k - 1].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(lines[k - 1]) <= indent:
            break
        end = k
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _markdown_markers(src: SourceFile, body_line: int) -> list[Marker]:
    lines = src.lines
    found: list[tuple[int, re.Match[str]]] = []
    own_line: set[int] = set()
    code = {body_line + i for i in fenced_lines(lines[body_line - 1:])}
    for n in range(body_line, len(lines) + 1):
        line = lines[n - 1]
        if n in code or "course:" not in line:
            continue
        for m in _MD_MARKER.finditer(line):
            found.append((n, m))
            if not line[: m.start()].strip() and not line[m.end() :].strip():
                own_line.add(n)
    out = []
    block: tuple[int, int] | None = None  # the block after the current stack of own-line markers
    for n, m in found:
        codes, reason = _parse(m.group("body"))
        where = Where(src.path, n, m.start() + 1)
        if n not in own_line:
            out.append(Marker(where, codes, reason, n, n))
            continue
        if block is None or n - 1 not in own_line:  # the first marker of a stack finds the block
            first = n + 1
            while first in own_line:
                first += 1  # markers may be stacked above one block
            block = (first, _block_end(lines, first, own_line))
        out.append(Marker(where, codes, reason, block[0], block[1]))
    return out


def _block_end(lines: list[str], first: int, markers: set[int]) -> int:
    """Last line of the Markdown block starting at `first`: a paragraph (up to a blank line or
    the next marker), or a whole admonition."""
    if first > len(lines) or not lines[first - 1].strip():
        return first - 1
    end = first
    if _OPENER.match(lines[first - 1]):
        for k in range(first + 1, len(lines) + 1):
            line = lines[k - 1]
            if k in markers or (line.strip() and not line.startswith("    ")):
                break
            if line.strip():
                end = k
        return end
    while end + 1 <= len(lines) and lines[end].strip() and end + 1 not in markers:
        end += 1
    return end
