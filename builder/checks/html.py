"""Hostile input in curriculum text: raw HTML, attribute lists and dangerous URLs.

Curriculum text arrives in pull requests and is untrusted. Markdown lets an author write
raw HTML, and the site's Markdown (with `attr_list`) lets `{: onclick="..." }` put any
attribute on a heading or link; neither is escaped by the renderers. So this check allows
only a small, documented subset (see `SAFE_TAGS` and docs/format.md, "Raw HTML"):

- tags: `<br>`, `<abbr title="...">`, `<kbd>`, `<sup>`, `<sub>`, `<mark>`, `<small>`, and
  HTML comments (content checks use them for suppression markers);
- attribute lists: `#id`, `.class` and the harmless keys in `ATTR_LIST_KEYS`;
- URLs: never `javascript:`, `vbscript:` or `data:`, in links, images, reference
  definitions, autolinks and the URL fields of the YAML files.

Angle brackets around a word that is not an HTML element name (`<name>`) are inert in a
browser and are left alone. Code spans and closed fenced code blocks are skipped: Markdown
escapes their content. Everything is scanned the way a browser would read it, so `\\<`
escapes, character references (`jav&#97;script:`) and stray tabs change nothing.

The texts and the Markdown reading come from `builder.checks.texts`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

from builder.checks.texts import (
    Link,
    Text,
    blank,
    line_starts,
    markdown_links,
    mask_code,
    project_texts,
    short,
    url_scheme,
)
from builder.diagnostics import Diagnostic, diag, register
from builder.markdown import SAFE_TAGS
from builder.model.project import Project
from builder.model.where import Where

HTML_TAG = register("html.tag", "Raw HTML outside the safe subset, e.g. <script>, <iframe>, <style>.")
HTML_ATTRIBUTE = register("html.attribute", "An HTML attribute that is not allowed, e.g. onclick= or style=.")
HTML_URL = register("html.url", "A javascript:, vbscript: or data: URL.")

# The safe subset (tag -> attributes it may carry) is the renderers' too: builder.markdown.
# Keys an attribute list (`{: key=value }`) may set besides `#id` and `.class`.
ATTR_LIST_KEYS = frozenset({"alt", "dir", "height", "lang", "title", "width"})
BAD_SCHEMES = frozenset({"javascript", "vbscript", "data"})

# Every HTML element name (current and obsolete) plus svg and math: a tag with one of these
# names is real HTML. Other names (`<care>`) make inert unknown elements in a browser.
KNOWN_ELEMENTS = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
blockquote body br button canvas caption center cite code col colgroup data datalist dd del
details dfn dialog dir div dl dt em embed fencedframe fieldset figcaption figure font footer form
frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex
kbd keygen label legend li link listing main map mark marquee math menu menuitem meta meter
multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p param
picture plaintext portal pre progress q rb rp rt rtc ruby s samp script search section select
selectedcontent slot small source spacer span strike strong style sub summary sup svg table
tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp
""".split())

_HINT_TAG = ("write Markdown instead; the allowed tags are " + ", ".join(
    f"<{t}{' ' + ' '.join(sorted(a)) if a else ''}>" for t, a in SAFE_TAGS.items())
    + r"; to show a literal '<', write '\<' or put the text in `code`")


def check_html(project: Project) -> list[Diagnostic]:
    """Raw HTML, attribute lists and URL schemes in every text of the project."""
    out: list[Diagnostic] = []
    for text in project_texts(project):
        if text.kind == "url":
            scheme = url_scheme(text.text)
            if scheme in BAD_SCHEMES:
                out.append(diag(HTML_URL, text.start, f"URL '{short(text.text)}' uses the '{scheme}:' "
                                "scheme, which is not allowed", "give the https:// address of the page"))
            continue
        masked = mask_code(text.text)
        links = list(markdown_links(text.text, masked))
        out.extend(_scan_html(text, _blank_angle_urls(masked, links)))
        out.extend(_scan_attr_lists(text, masked))
        for link in links:
            scheme = url_scheme(link.url)
            if scheme in BAD_SCHEMES:
                out.append(diag(HTML_URL, text.where(link.offset), f"{'image' if link.image else 'link'} "
                                f"'{short(link.url)}' uses the '{scheme}:' scheme, which is not allowed",
                                "link to an https:// page or to a file in the course"))
    return out


def _blank_angle_urls(masked: str, links: list[Link]) -> str:
    """Blank `<url>` destinations and autolinks, which the HTML tokenizer would take for tags."""
    chars = list(masked)
    for link in links:
        if link.angle:
            for k in range(link.offset - 1, min(link.offset + len(link.url) + 1, len(chars))):
                if chars[k] != "\n":
                    chars[k] = " "
    return "".join(chars)


# -- raw HTML ---------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Records every tag, declaration and processing instruction with its offset and length."""

    def __init__(self, starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.starts = starts
        self.found: list[tuple[int, int, str, str, list[tuple[str, str | None]]]] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((self._at(), len(self.get_starttag_text() or ""), "start", tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.found.append((self._at(), 2 + len(tag), "end", tag, []))

    def handle_decl(self, decl: str) -> None:
        self.found.append((self._at(), 3 + len(decl), "other", "<!" + decl.split(" ")[0] + ">", []))

    def unknown_decl(self, data: str) -> None:
        self.found.append((self._at(), 3 + len(data), "other", "<![" + data.split("[")[0] + "[...]]>", []))

    def handle_pi(self, data: str) -> None:
        self.found.append((self._at(), 3 + len(data), "other", "<?...?>", []))


_OPENING = re.compile(r"<(/?)([A-Za-z][^\s/>\x00]*)")
_ATTRIBUTE_AHEAD = re.compile(r"^[^<>]*?[\s/][\w:.-]+\s*=")


def _scan_html(text: Text, masked: str) -> Iterator[Diagnostic]:
    masked, problems = _mask_comments(masked)
    for offset, message in problems:
        yield diag(HTML_TAG, text.where(offset), message,
                   "write comments as <!-- text --> with nothing like '--!>' or '<!--' inside")
    parser = _Tags(line_starts(masked))
    try:
        parser.feed(masked)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but never let a check crash on text
        yield diag(HTML_TAG, text.where(0), "text holds HTML that cannot be read", _HINT_TAG)
    spans = [(at, at + max(length, 1)) for at, length, *_ in parser.found]
    opened: set[str] = set()
    for at, length, kind, tag, attrs in parser.found:
        if kind == "other":
            yield diag(HTML_TAG, text.where(at), f"raw HTML {tag} is not allowed", _HINT_TAG)
        elif tag in SAFE_TAGS:
            for name, _value in attrs if kind == "start" else []:
                if name not in SAFE_TAGS[tag]:
                    # Point at the attribute itself: a tag can be long.
                    m = re.search(r"[\s/\"']" + re.escape(name) + r"(?=[\s/>=]|$)", masked[at : at + length],
                                  re.I)
                    where = text.where(at + m.start() + 1 if m else at)
                    yield _attribute(where, name, f"on <{tag}>", SAFE_TAGS[tag], tag)
        elif tag in KNOWN_ELEMENTS or attrs:
            # One error per element: its end tag is reported only when no start tag was.
            if kind == "start" or tag not in opened:
                slash = "/" if kind == "end" else ""
                yield diag(HTML_TAG, text.where(at), f"raw HTML <{slash}{tag}> is not allowed", _HINT_TAG)
            opened.add(tag)
    yield from _unfinished_tags(text, masked, spans)


def _unfinished_tags(text: Text, masked: str, spans: list[tuple[int, int]]) -> Iterator[Diagnostic]:
    """Tag openings the tokenizer left as text (no closing '>'): another renderer may not."""
    for m in _OPENING.finditer(masked):
        if any(s <= m.start() < e for s, e in spans):
            continue
        name = m.group(2).lower()
        if name in KNOWN_ELEMENTS or name in SAFE_TAGS or _ATTRIBUTE_AHEAD.match(masked[m.end() :]):
            yield diag(HTML_TAG, text.where(m.start()),
                       f"unfinished HTML tag <{m.group(1)}{name}> is not allowed", _HINT_TAG)


def _mask_comments(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Blank HTML comments, reporting those a browser would end early or never end."""
    problems: list[tuple[int, str]] = []
    out, i = [], 0
    while True:
        start = text.find("<!--", i)
        if start == -1:
            out.append(text[i:])
            break
        out.append(text[i:start])
        body = start + 4
        if text.startswith(">", body) or text.startswith("->", body):
            problems.append((start, "HTML comment '<!-->' ends where it starts"))
            end = body + (1 if text.startswith(">", body) else 2)
        else:
            close, bang = text.find("-->", body), text.find("--!>", body)
            if close == -1 and bang == -1:
                problems.append((start, "HTML comment is not closed with '-->'"))
                end = len(text)
            elif bang != -1 and (close == -1 or bang < close):
                problems.append((start, "HTML comment is ended by '--!>'"))
                end = bang + 4
            else:
                if "<!--" in text[body:close]:
                    problems.append((start, "HTML comment holds another '<!--'"))
                end = close + 3
        out.append(blank(text[start:end]))
        i = end
    return "".join(out), problems


def _attribute(where: Where, name: str, place: str, allowed: frozenset[str], tag: str = "") -> Diagnostic:
    if name.startswith("on"):
        hint = "event handlers (on...=) are never allowed: the course runs no author scripts"
    elif name == "style":
        hint = "style attributes are never allowed: the course's stylesheets set the look"
    else:
        hint = f"<{tag}> takes only: {', '.join(sorted(allowed))}" if tag and allowed else (
            f"<{tag}> takes no attributes" if tag else
            f"attribute lists may set #id, .class and {', '.join(sorted(allowed))}")
    return diag(HTML_ATTRIBUTE, where, f"attribute '{name}' is not allowed {place}", hint)


_ATTR_LIST = re.compile(r"\{:?(?P<body>[^{}\n]*=[^{}\n]*)\}")
_ATTR_PAIR = re.compile(r"""(?P<key>[^\s=}'"#.][^\s=}'"]*)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s}]*)""")


def _scan_attr_lists(text: Text, masked: str) -> Iterator[Diagnostic]:
    """`{: key=value }` attribute lists (Python-Markdown attr_list) setting unsafe attributes."""
    for m in _ATTR_LIST.finditer(masked):
        for pair in _ATTR_PAIR.finditer(m.group("body")):
            key = pair.group("key").lower()
            if key not in ATTR_LIST_KEYS:
                yield _attribute(text.where(m.start("body") + pair.start("key")), key, "in an attribute list",
                                 ATTR_LIST_KEYS)
