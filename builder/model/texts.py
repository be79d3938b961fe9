"""Authored text: every run of it in a project, and how to read Markdown source as text.

`authored_texts` is the one walk over the course's text: every lesson and page body and every
string value of the YAML files, each once, in a stable order, with where it was written and
which model object and field hold it. The checks read the course through it
(`builder.checks.texts` for hostile input and links, `builder.checks.content.corpus` for the
content rules) and the build stamp reads it for linked files.

The helpers read Markdown source the way Python-Markdown does where it matters: code (closed
fences and code spans) is blanked, links and images are found with their destinations as
written, and a URL's scheme is read as a browser reads it. They read text only (no
Python-Markdown), so the checks, the renderers (`builder.markdown`, the site's asset copier)
and the stamp all share them without importing one another.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import unquote

from builder.model import schema
from builder.model.project import Document, Project
from builder.model.where import Where

# -- the walk over authored text --------------------------------------------------------------

# Fields whose value is a URL rather than Markdown: (model, field).
URL_FIELDS = frozenset({("Author", "url"), ("Resource", "source"), ("Contact", "value"), ("Source", "url")})

# Fields whose string values (and everything under them) are identifiers, references or
# settings, never prose a reader sees: the content checks skip them.
NOT_PROSE = frozenset({
    "id", "format", "objectives", "lessons", "modules", "file", "type", "kind", "difficulty", "tags",
    "language", "version", "license", "default_region", "link_allowlist", "variants", "types", "module",
    "see",
    # A source's address is a citation checked by `sources.url`, not a link in the course text;
    # a session plan's slot kind, start time and form id are settings.
    "url", "slot", "start", "form",
    # Bibliographic data (agency names such as the Substance Abuse and Mental Health Services
    # Administration, titles of papers): checked by the `sources.*` rules, not as course prose.
    "sources",
})


@dataclass(frozen=True)
class AuthoredText:
    """One run of authored text: a lesson or page body, or one string value of a YAML file.

    `where` is where the text starts: a body's first line, or where a YAML value was written.
    """

    path: str
    text: str
    where: Where
    kind: Literal["body", "value", "url"]  # "url": a YAML field that holds a URL, not Markdown
    doc: Document | None = None  # bodies: the lesson or page
    owner: schema.Node | None = None  # values: the model object holding the field
    field: str = ""  # values: the field's name
    index: int | None = None  # values: the item's index in a list field
    prose: bool = True  # False under an identifier or setting field (see NOT_PROSE)

    @property
    def key(self) -> str:
        """The field as the content checks name it: `stem` or `key_points[2]`."""
        return self.field if self.index is None else f"{self.field}[{self.index}]"

    @property
    def base(self) -> str:
        """The folder (relative to the project root) that relative links in the text start from."""
        return parent_folder(self.path)


def authored_texts(project: Project, only: Collection[str] | None = None) -> Iterator[AuthoredText]:
    """Every lesson and page body, then every string value of the YAML files, in a stable order.

    With `only`, just the texts written in those files (bodies by their file, YAML values by
    the file of the object they belong to).
    """
    docs: list[Document] = [lesson for m in project.modules for lesson in m.lessons] + list(project.pages)
    docs = [d for d in docs if only is None or d.path in only]
    for doc in docs:
        yield AuthoredText(doc.path, doc.body, Where(doc.path, doc.body_line, 1), "body", doc=doc)
    roots: list[object] = [project.course, project.resources, project.glossary, project.forms]
    for m in project.modules:
        roots += [m.data, m.quiz]
    roots += [doc.meta for doc in docs]
    for root in roots:
        if isinstance(root, schema.Node) and (only is None or root.where().path in only):
            yield from _values(root, True)


def _values(node: schema.Node, prose: bool) -> Iterator[AuthoredText]:
    for name in type(node).model_fields:
        value = getattr(node, name, None)
        # A question's `scenario` names a scenario of its bank; an activity's is prose.
        field_prose = prose and name not in NOT_PROSE and not (name == "scenario" and isinstance(
            node, schema._QuestionBase))
        if isinstance(value, dict):
            value = list(value.values())
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            if isinstance(item, schema.Node):
                yield from _values(item, field_prose)
            elif isinstance(item, str):
                kind: Literal["value", "url"] = "url" if (type(node).__name__, name) in URL_FIELDS else "value"
                where = node.where(name, i)
                yield AuthoredText(where.path, item, where, kind, owner=node, field=name, index=i,
                                   prose=field_prose)


@lru_cache(maxsize=1024)
def parent_folder(path: str) -> str:
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent


# -- reading Markdown source ----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    offset: int  # where the destination starts in the text
    url: str  # as written, without <...>
    image: bool
    angle: bool = False  # written as <url>: not an HTML tag


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_REF_DEF = re.compile(r"^[ \t]*\[(?!\^)(?P<label>[^\]\n]+)\]:[ \t]*"
                      r"(?:<(?P<angle>[^>\n]*)>|(?P<url>\S+))", re.MULTILINE)
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
