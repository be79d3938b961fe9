"""One Markdown pipeline: how every output reads the course's Markdown.

Lessons, pages and the Markdown in YAML values (quiz stems, feedback, glossary definitions)
reach three kinds of output: the site (MkDocs), print (WeasyPrint) and LMS quiz files. Each
converts Markdown with Python-Markdown, and all of them get it from here, so they agree on:

- the extensions (`TARGETS`, below: per-target differences are data, nothing else);
- the block syntax (`!!! kind "Title"`, `???` collapsible): admonition and pymdownx.details,
  with the kinds, default titles and the participant edition's removal of facilitator blocks
  defined in `builder.model.blocks` and applied by `edition_body`;
- raw HTML: one small documented subset (`SAFE_TAGS`, docs/format.md "Raw HTML"). `course
  check` reports anything else in authored text (`html.tag`, `builder.checks.html`), and every
  Markdown made here (`raw_html="safe"`) passes only those tags and prints any other tag as the
  text the author typed. The site's pages are the one exception, stated as data
  (`raw_html="builder"`): MkDocs converts them, and they carry HTML the builder writes itself
  (quiz forms, module cards with md_in_html), so raw HTML passes there; authored text in them
  was held to the subset by the check that runs before every build;
- comments (`<!-- course: allow ... -->`, the content checks' suppression markers): a line
  holding only a comment becomes an empty line (`blank_comment_lines`), in every target, so the
  table or list below a marker starts a block of its own everywhere; a comment inside a line
  vanishes (safe targets) or stays an HTML comment (the site).

The site's MkDocs configuration takes its `markdown_extensions` from `mkdocs_extensions`, so
the generated mkdocs.yml and print read lessons with one list.

Nothing here imports a renderer or a check; renderers import this module.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.preprocessors import Preprocessor

from builder.model.blocks import filter_editions, resolve_terms, strip_blocks, with_default_titles
from builder.model.texts import fenced_lines

# -- raw HTML: the one allowed subset ---------------------------------------------------------

# Tag -> the attributes it may carry. `course check` allows these and nothing else; safe
# targets render them as tags and everything else as text. HTML comments are allowed too.
SAFE_TAGS: dict[str, frozenset[str]] = {
    "abbr": frozenset({"title"}),
    "br": frozenset(),
    "kbd": frozenset(),
    "mark": frozenset(),
    "small": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
}


def _safe_html_pattern(tags: Mapping[str, frozenset[str]]) -> str:
    alternatives = []
    for tag, attrs in sorted(tags.items()):
        if attrs:
            names = "|".join(sorted(attrs))
            alternatives += [rf'{tag}(?:\s+(?:{names})="[^"<>]*")*\s*', f"/{tag}"]
        else:
            alternatives.append(rf"/?{tag}\s*/?")
    return rf"(<(?:{'|'.join(alternatives)})>|<!--(?:(?!-->).)*-->)"


SAFE_HTML = re.compile(_safe_html_pattern(SAFE_TAGS), re.DOTALL)


# -- targets ----------------------------------------------------------------------------------

ExtensionSpec = tuple[str, Mapping[str, Any]]  # (name as in mkdocs.yml, its options)

# The extensions of the site's pages, in the order of the generated mkdocs.yml.
SITE_EXTENSIONS: tuple[ExtensionSpec, ...] = (
    ("abbr", {}),  # glossary tooltips: the build passes every glossary term as `glossary`
    ("admonition", {}),  # !!! blocks (facilitator, help, tip, reflection, ...)
    ("attr_list", {}),
    ("def_list", {}),
    ("footnotes", {}),
    ("md_in_html", {}),  # module cards on the home page (builder-made HTML)
    ("tables", {}),
    ("toc", {"permalink": False}),
    ("pymdownx.details", {}),  # ??? collapsible blocks
    ("pymdownx.superfences", {}),
    ("pymdownx.tabbed", {"alternate_style": True}),
)


@dataclass(frozen=True)
class Target:
    """How one output converts Markdown."""

    extensions: tuple[ExtensionSpec, ...]
    raw_html: Literal["safe", "builder"]  # see the module docstring
    output_format: Literal["html", "xhtml"]
    use: str


TARGETS: dict[str, Target] = {
    "site": Target(SITE_EXTENSIONS, "builder", "html",
                   "site pages, converted by MkDocs from the generated mkdocs.yml"),
    "site-fragment": Target((("abbr", {}), ("attr_list", {}), ("tables", {}), ("sane_lists", {})), "safe", "xhtml",
                            "HTML the site writes itself from YAML text: quiz questions, glossary definitions"),
    # The site's extensions minus md_in_html, which only matters for raw HTML blocks.
    "print": Target(tuple(e for e in SITE_EXTENSIONS if e[0] != "md_in_html"), "safe", "html",
                    "lessons, pages and notes in the PDFs"),
    "print-inline": Target((("attr_list", {}), ("abbr", {})), "safe", "html",
                           "one short string in a PDF: a key point, an answer option"),
    "lms": Target((("sane_lists", {}),), "safe", "xhtml",
                  "question text in LMS files (QTI, Moodle XML, GIFT...), sanitised again by the exporters"),
}


def mkdocs_extensions(glossary: Mapping[str, str]) -> list[Any]:
    """The site's `markdown_extensions` as the generated mkdocs.yml lists them, abbr given the
    course glossary (the `glossary` option costs about a quarter of appending `*[term]: …`
    definitions to every page)."""
    out: list[Any] = []
    for name, options in SITE_EXTENSIONS:
        if name == "abbr":
            out.append({name: {**options, "glossary": dict(glossary)}})
        else:
            out.append({name: dict(options)} if options else name)
    return out


def new_markdown(target: str, *, glossary: Mapping[str, str] | None = None,
                 extensions: Sequence[Extension] = ()) -> markdown.Markdown:
    """A Python-Markdown converter configured for `target` (a key of TARGETS).

    `glossary` (term -> definition) feeds the abbr extension; `extensions` are a renderer's
    own additions (print's reshaping for paper), loaded after the target's."""
    spec = TARGETS[target]
    loaded: list[str | Extension] = []
    configs: dict[str, dict[str, Any]] = {}
    abbr: AbbrExtension | None = None
    for name, options in spec.extensions:
        if name == "abbr":
            abbr = AbbrExtension(glossary=dict(glossary or {}))
            loaded.append(abbr)
            continue
        loaded.append(name)
        if options:
            configs[name] = dict(options)
    loaded += extensions
    md = markdown.Markdown(extensions=loaded, extension_configs=configs, output_format=spec.output_format)
    if abbr is not None:
        md.treeprocessors.register(_CachedAbbrTreeprocessor(md, abbr.abbrs), "abbr", 7)
    md.preprocessors.register(_CommentLines(md), "comment_lines", 29)
    if spec.raw_html == "safe":
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_SafeHtmlInline(SAFE_HTML.pattern, md), "html", 90)
    return md


def convert(md: markdown.Markdown, text: str) -> str:
    """`text` converted with a reused converter (reset first, as Python-Markdown needs)."""
    md.reset()
    return md.convert(text)


def unwrap_paragraph(html: str) -> str:
    """A single `<p>…</p>` unwrapped to its phrasing content; anything else as it is."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


# -- blocks and comments ----------------------------------------------------------------------


def edition_body(body: str, *, facilitator: bool, edition: str = "",
                 vocabulary: Mapping[str, str] | None = None) -> str:
    """A lesson or page body as an edition shows it: facilitator blocks dropped from the
    participant edition, every untitled block given its title in words, and comment lines
    blanked. Lines are blanked or dropped, never split, so later positions shift only by
    the dropped blocks.

    With `edition` (docs/editions.md), other editions' `!!! edition` blocks are blanked, its
    own unwrapped, and `:term[...]` resolved from `vocabulary`. A build gives renderers a
    project already read this way (builder.model.editions.for_edition, which uses the same
    two functions), so renderers need not pass it; a body read twice is unchanged."""
    if edition:
        body = resolve_terms(filter_editions(body, edition), dict(vocabulary or {}))
    if not facilitator:
        body = strip_blocks(body)
    return blank_comment_lines(with_default_titles(body))


_COMMENT_START = re.compile(r"^[ \t]*<!--")


def blank_comment_lines(text: str) -> str:
    """Lines that hold nothing but an HTML comment (one or several lines long) made empty.

    A suppression marker sits on the line above the text it is for; as an empty line it
    separates blocks, so a table or list right under it is still a table or list. Comments
    inside closed fenced code are code, and stay."""
    if "<!--" not in text:
        return text
    lines = text.split("\n")
    code = fenced_lines(lines)
    i = 0
    while i < len(lines):
        if i in code or not _COMMENT_START.match(lines[i]):
            i += 1
            continue
        end = _comment_end(lines, i)
        if end is None:
            i += 1
            continue
        for j in range(i, end + 1):
            lines[j] = ""
        i = end + 1
    return "\n".join(lines)


def _comment_end(lines: list[str], start: int) -> int | None:
    """The last line of the comment opening line `start`, if nothing follows it there."""
    rest = "\n".join(lines[start:])
    body = rest.index("<!--") + 4
    if rest.startswith((">", "->"), body):
        return None  # `<!-->`: a broken comment (`course check` reports it)
    close = rest.find("-->", body)
    if close == -1 or rest[close + 3:].split("\n", 1)[0].strip():
        return None
    return start + rest.count("\n", 0, close)


class _CommentLines(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return blank_comment_lines("\n".join(lines)).split("\n")


class _SafeHtmlInline(HtmlInlineProcessor):
    """Raw HTML inside a line: `SAFE_HTML` tags pass, comments vanish, anything else stays text."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        if m.group(1).startswith("<!--"):
            return "", m.start(0), m.end(0)
        return super().handleMatch(m, data)


class _CachedAbbrTreeprocessor(AbbrTreeprocessor):
    """The abbr tree processor, but the pattern of ~500 glossary terms is compiled once, not per call."""

    _keys: tuple[str, ...] = ()

    def run(self, root: etree.Element) -> None:
        if not self.abbrs:
            return
        keys = tuple(self.abbrs)
        if keys != self._keys:
            self._keys = keys
            alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
            self.RE = re.compile(rf"\b(?:{alternatives})\b")
        self.iter_element(root)

