"""Markdown to safe HTML, plain text, and XML helpers shared by the quiz exporters.

Question text is authored in Markdown. Every exporter needs it as *safe* HTML (raw HTML the
author typed is shown as text, links only to http(s)/mailto, no images since packages carry
no files) and some also as one line of plain text (Aiken, CSV, Moodle matching answers).
The HTML produced here is well-formed XHTML using only elements that QTI 2.1 allows in item
bodies, so the same string can be escaped into Moodle XML / QTI 1.2 or parsed into QTI 2.1.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
from lxml import etree
from lxml import html as lxml_html

from builder.markdown import convert, new_markdown

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, surrogates, U+FFFE/F).
# YAML cannot carry most of them, but models may be built in code (tests, forms), so the
# exporters never pass them on.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Elements QTI 2.1 accepts in item bodies; anything else is unwrapped to its text.
_ALLOWED = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "sub", "sup", "b", "i", "span", "div",
}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_INLINE_P = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def clean(text: str) -> str:
    """Text with XML-invalid characters removed and line ends normalised."""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    # The LMS target of builder.markdown: raw HTML outside the allowed subset is shown as text.
    return new_markdown("lms")


def _sanitise(fragment: str) -> str:
    """Parse Markdown's HTML, keep only allowed elements and safe links, re-serialise as XHTML."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            if el is not root:
                el.drop_tree()  # comments, processing instructions
            continue
        if el.tag == "img":
            # Packages carry no image files: keep the description the author wrote.
            el.tail = (el.get("alt") or "") + (el.tail or "")
            el.drop_tree()
            continue
        if el.tag not in _ALLOWED:
            el.drop_tag()
            continue
        href = el.get("href", "") if el.tag == "a" else ""
        for attr in list(el.attrib):
            if not (el.tag == "a" and attr in ("href", "title")):
                del el.attrib[attr]
        if el.tag == "a" and not href.strip().lower().startswith(_SAFE_SCHEMES):
            el.drop_tag()  # javascript:, data:, relative links to files we do not ship
    out = [_escape_text(root.text or "")]
    for child in root:
        out.append(etree.tostring(child, encoding="unicode", method="xml", with_tail=True))
    return "".join(out).strip()


def _escape_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=4096)
def md_html(text: str) -> str:
    """Markdown to safe XHTML block content (paragraphs, lists, ...)."""
    rendered = convert(_markdown(), clean(text))
    out = _sanitise(rendered) if rendered.strip() else ""
    if not html_text(out) and one_line(text):
        # Markup with no words (a lone `---` or `#`): show what the author typed.
        out = f"<p>{_escape_text(one_line(text))}</p>"
    return out


def md_inline(text: str) -> str:
    """Markdown to safe XHTML; a single paragraph is unwrapped to its inline content."""
    h = md_html(text)
    m = _INLINE_P.match(h)
    if m and "<p>" not in m.group(1):
        return m.group(1).strip()
    return h


def html_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed to single spaces."""
    if not fragment:
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(root.text_content().split())


def plain(text: str) -> str:
    """Markdown to one line of plain text (emphasis and links reduced to their words)."""
    return html_text(md_html(text))


def one_line(text: str) -> str:
    """Raw text with all whitespace (including newlines) collapsed to single spaces."""
    return " ".join(clean(text).split())
