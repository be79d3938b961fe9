"""Authored text, as the hostile-input checks read it: every Markdown body and YAML text value.

`project_texts` yields each run of text once, with where it came from and the folder its
relative links start from. The helpers read Markdown the way Python-Markdown does where it
matters for safety: code (closed fences and code spans) is blanked, links and images are
found with their destinations as written, and a URL's scheme is read as a browser reads it.
Used by `builder.checks.html` and `builder.checks.paths`.
"""

from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any, Iterator, Literal
from urllib.parse import unquote

from builder.model import schema
from builder.model.project import Project
from builder.model.where import Where


@dataclass(frozen=True)
class Text:
    """One run of authored Markdown: a lesson or page body, or a text value in a YAML file.

    `base` is the folder (relative to the project root) that relative links start from.
    Body positions are exact; a YAML value reports the position where the value starts.
    """

    path: str
    text: str
    start: Where
    base: str
    kind: Literal["body", "value", "url"] = "value"  # "url": a YAML field that holds a URL

    def where(self, offset: int) -> Where:
        """Position of `offset` in the text (for a YAML value: where the value starts)."""
        if self.kind != "body":
            return self.start
        starts = line_starts(self.text)
        i = max(bisect_right(starts, offset) - 1, 0)
        return Where(self.path, self.start.line + i, offset - starts[i] + 1)


def project_texts(project: Project) -> Iterator[Text]:
    """Every Markdown body, and every YAML text value that could hold markup, in a stable order."""
    for doc in [lesson for m in project.modules for lesson in m.lessons] + list(project.pages):
        yield Text(doc.path, doc.body, Where(doc.path, doc.body_line, 1), _parent(doc.path), "body")
    for root in _yaml_roots(project):
        yield from _strings(root)


# -- Markdown ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    offset: int  # where the destination starts in the text
    url: str  # as written, without <...>
    image: bool
    angle: bool = False  # written as <url>: not an HTML tag


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_REF_DEF = re.compile(r"^[ \t]*\[(?!\^)(?P<label>[^\]\n]+)\]:[ \t]*"
                      r"(?:<(?P<angle>[^>\n]*)>|(?P<url>\S+))", re.M)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_REF_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?:\[(?P<label>[^\]\n]*)\])?(?![(\[])")
_INLINE = re.compile(r"\\[!-/:-@\[-`{-~]|`+")  # a backslash escape, or a run of backticks


def mask_code(text: str) -> str:
    """`text` with closed fenced code blocks, code spans and backslash escapes blanked.

    Blanking keeps every other character at its offset, so positions still hold. An
    unclosed fence is not code in Python-Markdown, so it is not blanked either.
    """
    lines = text.split("\n")
    code = fenced_lines(lines)
    return "\n".join(blank(line) if i in code else _mask_inline(line) for i, line in enumerate(lines))


def fenced_lines(lines: list[str]) -> set[int]:
    """Indices of the lines inside closed fenced code blocks, fences included.

    Python-Markdown renders an unclosed fence as ordinary text, so it is not code here
    either: every check must read what the site and the PDFs will show.
    """
    code: set[int] = set()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        # A backtick fence's info string may not hold a backtick (then it is a code span).
        fenced = m is not None and not (m.group(1)[0] == "`" and "`" in m.group(2))
        close = _closing_fence(lines, i, m.group(1)) if m and fenced else None
        if close is None:
            i += 1
            continue
        code.update(range(i, close + 1))
        i = close + 1
    return code


def markdown_links(text: str, masked: str) -> Iterator[Link]:
    """Destinations of inline links and images, reference definitions and autolinks.

    `masked` (from `mask_code`) says where the syntax is; URLs are read from `text` as
    written, since a backslash escape inside a URL (`javascript\\:`) still counts.
    """
    seen: set[int] = set()
    for p in (m.start() for m in re.finditer(r"\]\(", masked)):
        dest = _destination(text, p + 2)
        if dest is not None:
            seen.add(dest[0])
            yield Link(dest[0], dest[1], _is_image(masked, p), text[dest[0] - 1] == "<")
    defs: dict[str, Link] = {}
    for m in _REF_DEF.finditer(text):
        if masked[m.start("label") - 1] != "[":
            continue  # in code, or an escaped bracket
        group = "angle" if m.group("angle") is not None else "url"
        link = Link(m.start(group), m.group(group), False, group == "angle")
        defs.setdefault(_label(m.group("label")), link)
        seen.add(link.offset)
        yield link
    for m in _AUTOLINK.finditer(text):
        if masked[m.start()] == "<" and m.start("url") not in seen:
            yield Link(m.start("url"), m.group("url"), False, True)
    for m in _REF_IMAGE.finditer(masked):
        ref = defs.get(_label(m.group("label") or m.group("alt")))
        if ref is not None:
            yield Link(m.start(), ref.url, True)


def local_target(base: str, url: str) -> str | None:
    """The project-relative path a relative link or image points at (it may climb out with
    `../`), or None for an anchor, a web or mail address and other URLs with a host or scheme.
    `base` is the folder the link is written in."""
    url = url.strip()
    if not url or url.startswith(("#", "//")) or url_scheme(url):
        return None
    rel = unquote(re.split(r"[?#]", html.unescape(url), maxsplit=1)[0])
    return posixpath.normpath(posixpath.join(base, rel))


def url_scheme(url: str) -> str:
    """The scheme a browser would see in `url` (lower case), or "" for a relative URL."""
    s = html.unescape(url)
    s = re.sub(r"\\(?=[!-/:-@\[-`{-~])", "", s)  # Markdown backslash escapes
    s = re.sub(r"[\t\n\r]", "", s).lstrip("".join(map(chr, range(0x21))))
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", s)
    return m.group(1).lower() if m else ""


def _closing_fence(lines: list[str], start: int, fence: str) -> int | None:
    closing = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
    for j in range(start + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    return None


def _mask_inline(line: str) -> str:
    if "`" not in line and "\\" not in line:
        return line
    out: list[str] = []
    pos = 0
    m = _INLINE.search(line)
    while m is not None:
        if m.group()[0] == "\\":
            end = m.end()
        else:
            close = _closing_run(len(m.group())).search(line, m.end())
            if close is None:  # a lone run of backticks is literal text
                m = _INLINE.search(line, m.end())
                continue
            end = close.end()
        out.append(line[pos : m.start()] + " " * (end - m.start()))
        pos = end
        m = _INLINE.search(line, end)
    out.append(line[pos:])
    return "".join(out)


@lru_cache(maxsize=16)
def _closing_run(n: int) -> re.Pattern[str]:
    return re.compile(r"(?<!`)`{" + str(n) + r"}(?!`)")


def _destination(text: str, i: int) -> tuple[int, str] | None:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        return (i + 1, text[i + 1 : end]) if end != -1 and "\n" not in text[i:end] else None
    start, depth = i, 0
    while i < len(text) and not text[i].isspace():
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return (start, text[start:i]) if i > start else None


def _is_image(text: str, close: int) -> bool:
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == "]":
            depth += 1
        elif text[i] == "[":
            depth -= 1
            if depth == 0:
                return i > 0 and text[i - 1] == "!"
    return False


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def blank(s: str) -> str:
    """Spaces for every character except newlines (offsets and line breaks survive)."""
    return re.sub(r"[^\n]", " ", s)


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def short(s: str) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= 60 else s[:57] + "..."


@lru_cache(maxsize=1024)
def _parent(path: str) -> str:
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent


# -- the YAML text walk -----------------------------------------------------------------------

# Characters without which a text holds no tag, link, attribute list or include.
_MARKUP = re.compile(r"[<\[{]|8<")
# Fields whose value is a URL rather than Markdown: (model, field).
_URL_FIELDS = {("Author", "url"), ("Resource", "source"), ("Contact", "value")}


def _yaml_roots(project: Project) -> list[schema.Node]:
    roots: list[Any] = [project.course, project.resources, project.glossary, project.forms]
    for m in project.modules:
        roots += [m.data, m.quiz]
    roots += [doc.meta for doc in [lesson for m in project.modules for lesson in m.lessons] + project.pages]
    return [r for r in roots if isinstance(r, schema.Node)]


def _strings(node: schema.Node) -> Iterator[Text]:
    """Every string value under `node` that could hold markup, and every URL field."""
    for name in type(node).model_fields:
        value = getattr(node, name, None)
        if isinstance(value, dict):
            value = list(value.values())
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            if isinstance(item, schema.Node):
                yield from _strings(item)
            elif isinstance(item, str):
                is_url = (type(node).__name__, name) in _URL_FIELDS
                if not is_url and not _MARKUP.search(item):
                    continue  # plain prose, the common case: no tag, link, attribute list or include
                where = node.where(name, i)
                yield Text(where.path, item, where, _parent(where.path), "url" if is_url else "value")
