"""Text helpers for the site: escaping, durations, crisis lines, glossary abbreviations.

Everything here is pure: strings in, strings out. Markdown produced here is read by MkDocs
later; HTML produced here (`inline_html`, `block_html`) goes into raw HTML blocks that MkDocs
passes through, so it is escaped and rendered now with the same glossary tooltips.
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache

import markdown

from builder.markdown import convert, edition_body, new_markdown, unwrap_paragraph
from builder.model.blocks import find_blocks
from builder.model.schema import Contact, Glossary, Region
from builder.render.crisis import CrisisContact, crisis_contact, crisis_lines

# Characters that would start raw HTML or an entity when YAML text is dropped into Markdown.
_MD_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;", "*": r"\*", "_": r"\_",
                             "[": r"\[", "]": r"\]", "`": r"\`", "|": r"\|"})


def md_text(text: str) -> str:
    """Plain text (a title, a name) made safe to place inside Markdown: shown as written."""
    return " ".join(text.split()).translate(_MD_ESCAPES)


def theme_text(text: str) -> str:
    """Text for a value the theme prints without escaping (nav titles, the site name): no
    tags and no attribute breaks, and `&` left alone so it reads the same everywhere."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def attr(text: str) -> str:
    """Text for an HTML attribute value (double-quoted)."""
    return html.escape(" ".join(text.split()), quote=True)


def duration(minutes: int) -> str:
    """45 -> '45 min', 60 -> '1 hour', 90 -> '1 h 30 min'."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    if not mins:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {mins} min"


def relative(from_page: str, target: str) -> str:
    """A Markdown link from one generated page (docs-relative path) to another file."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


# ---------------------------------------------------------------------------
# Markdown to HTML for raw blocks (quiz questions, glossary definitions)


Abbreviations = tuple[tuple[str, str], ...]  # (term as written, definition), hashable for caching


@lru_cache(maxsize=8)
def _renderer(abbr: Abbreviations) -> markdown.Markdown:
    # Glossary terms come in through the abbr extension's `glossary` option: appending
    # hundreds of `*[term]: …` lines to every snippet would cost quadratic parsing time.
    return new_markdown("site-fragment", glossary=dict(abbr))


def block_html(text: str, abbr: Abbreviations = ()) -> str:
    """Markdown rendered to HTML blocks (paragraphs, lists); raw HTML outside the allowed
    subset is shown as the text the author typed (builder.markdown)."""
    return convert(_renderer(abbr), text)


def inline_html(text: str, abbr: Abbreviations = ()) -> str:
    """Markdown rendered to phrasing HTML: a single paragraph is unwrapped."""
    return unwrap_paragraph(block_html(text, abbr).strip())


def is_inline(html_text: str) -> bool:
    """True when `inline_html` produced phrasing content only (no paragraphs or lists)."""
    return not re.search(r"<(p|ul|ol|table|div|blockquote|h[1-6]|pre)\b", html_text)


# ---------------------------------------------------------------------------
# Glossary abbreviations


def term_forms(term: str) -> list[str]:
    """The spellings of a glossary term that get a tooltip: as written, first letter in
    either case, and a plural. Acronyms (all capitals) only as written."""
    forms = [term]
    if not term.isupper():
        forms += [term[:1].lower() + term[1:], term[:1].upper() + term[1:]]
    forms += [f + "s" for f in list(forms) if f[-1:].isalpha() and not f.endswith("s")]
    return list(dict.fromkeys(forms))


def abbreviations(glossary: Glossary) -> Abbreviations:
    """Every spelling of every glossary term with its definition, longest first (so that a
    longer term wins over a shorter one inside it)."""
    entries: dict[str, str] = {}
    for t in glossary.terms:
        definition = " ".join(t.definition.split())
        for name in [t.term, *t.aliases]:
            for form in term_forms(name.strip()):
                if form and "]" not in form and form not in entries:
                    entries[form] = definition
    return tuple(sorted(entries.items(), key=lambda kv: (-len(kv[0]), kv[0])))


# ---------------------------------------------------------------------------
# Crisis lines and the `!!! help` block


def contact_md(contact: Contact | CrisisContact) -> str:
    c = contact if isinstance(contact, CrisisContact) else crisis_contact(contact)
    label = md_text(c.link_text)
    return f"[{label}]({c.href})" if c.href else label


def crisis_lines_md(region: Region, help_link: str) -> list[str]:
    """The lines appended to every `!!! help` block: the region's crisis services, the
    emergency number, and a link to the full support page."""
    crisis = crisis_lines(region)
    lines = [""]
    for line in crisis.lines:
        contacts = " · ".join(contact_md(c) for c in line.contacts)
        who = f" ({md_text(line.who)})" if line.who else ""
        lines.append(f"- **{md_text(line.name)}**{who}: {contacts}. {md_text(line.hours)} *{md_text(line.note)}*")
    lines.append(f"- **Emergency**: call [{md_text(crisis.emergency)}]({crisis.emergency_href})"
                 f" if a life is in danger right now.")
    lines += ["", f"[All support services in {md_text(crisis.place)}]({help_link})"]
    return lines


def render_body(body: str, *, facilitator: bool, region: Region, help_link: str) -> str:
    """A lesson or page body as the site shows it: facilitator blocks dropped from the
    participant edition, comment lines blanked (builder.markdown.edition_body), and every
    `!!! help` block given the region's crisis lines."""
    body = edition_body(body, facilitator=facilitator)
    lines = body.split("\n")
    for block in reversed(find_blocks(body)):
        if block.kind == "help":
            lines[block.end:block.end] = ["    " + ln if ln else "" for ln in crisis_lines_md(region, help_link)]
    return "\n".join(lines).strip("\n") + "\n"
