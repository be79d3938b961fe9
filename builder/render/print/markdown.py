"""Markdown to HTML for print: the site's block kinds, reshaped for paper.

Lessons and pages use the print target of `builder.markdown` (the site's extensions, the one
raw-HTML subset, comment lines blanked). A tree processor then adapts the result to one
long printed document:

- headings move down (a lesson's `##` becomes `h3` under the module `h1` and lesson `h2`),
  so PDF bookmarks nest properly;
- ids get a per-lesson prefix so that they stay unique in a workbook of many lessons;
- collapsible `???` blocks are printed open, as ordinary blocks;
- `!!! reflection` blocks get ruled lines to write on;
- `!!! help` blocks get the build region's crisis lines appended;
- images are resolved to files inside the project (the URL fetcher refuses anything else);
- links to other Markdown files become links inside the PDF, or plain text.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from builder.markdown import convert, new_markdown, unwrap_paragraph
from builder.model.schema import Region
from builder.render.crisis import crisis_lines

# Ruled lines under a reflection block when the author gives no number.
REFLECTION_LINES = 5

_HEADING = re.compile(r"^h([1-6])$")


@dataclass
class Problem:
    """Something wrong in the Markdown that print cannot render well (reported by the caller)."""

    path: str
    line: int
    message: str
    code: str


@dataclass
class DocContext:
    """Where a piece of Markdown comes from and how it is placed in the printed document."""

    path: str  # source file, relative to the project root
    line: int = 1  # line of the file where the Markdown starts
    heading_offset: int = 0  # added to every heading level
    id_prefix: str = ""  # prefixed to every id, e.g. "m1-l2-"
    anchors: dict[str, str] = field(default_factory=dict)  # project path of a .md -> "#anchor"


class PrintMarkdown:
    """One reusable converter per process (building Markdown instances is the slow part)."""

    def __init__(self, root: Path, region: Region | None) -> None:
        self.root = root
        self.region = region
        self.problems: list[Problem] = []
        self._ext = _PrintExtension(self)
        self._md = new_markdown("print", extensions=[self._ext])
        self._inline = new_markdown("print-inline")
        self.ctx = DocContext(path="")
        self._blocks: dict[tuple[str, str, int, int, str, int], str] = {}
        self._inlines: dict[str, str] = {}

    def block(self, text: str, ctx: DocContext) -> str:
        """Convert Markdown that may hold paragraphs, lists, tables and admonitions."""
        # The same question or note appears in several documents: convert it once.
        key = (text, ctx.path, ctx.line, ctx.heading_offset, ctx.id_prefix, id(ctx.anchors))
        if key not in self._blocks:
            self.ctx = ctx
            self._blocks[key] = convert(self._md, text)
        return self._blocks[key]

    def inline(self, text: str) -> str:
        """Convert one short Markdown string (a key point, an option) without the <p>."""
        if text not in self._inlines:
            self._inlines[text] = unwrap_paragraph(convert(self._inline, text))
        return self._inlines[text]


class _PrintExtension(Extension):
    def __init__(self, owner: PrintMarkdown) -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Priority below the admonition/details/attr_list processors: see the finished tree.
        md.treeprocessors.register(_PrintTree(md, self.owner), "print_tree", 1)


class _PrintTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, owner: PrintMarkdown) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        ctx = self.owner.ctx
        for parent in list(root.iter()):
            for el in list(parent):
                if el.tag == "p" and not len(el) and not (el.text or "").strip():
                    # A paragraph that held only a comment (a check's suppression marker).
                    parent.remove(el)
                    continue
                if el.tag == "details":
                    self._open_details(el)
                elif el.tag == "div" and "tabbed-set" in el.get("class", "").split():
                    self._unfold_tabs(el)
                elif el.tag == "a" and "footnote-backref" in el.get("class", ""):
                    parent.remove(el)  # "jump back" arrows mean nothing on paper
                    continue
                self._visit(el, ctx)

    def _visit(self, el: etree.Element, ctx: DocContext) -> None:
        m = _HEADING.match(el.tag)
        if m:
            el.tag = f"h{min(6, int(m.group(1)) + ctx.heading_offset)}"
        if "id" in el.attrib and ctx.id_prefix:
            el.set("id", ctx.id_prefix + el.get("id", ""))
        if el.tag == "a":
            self._resolve_link(el, ctx)
        elif el.tag == "ol" and el.get("start", "1").isdigit() and el.get("start", "1") != "1":
            # Markers are drawn from a CSS counter (see print.css): start it where the author did.
            el.set("style", f"counter-reset: item {int(el.get('start', '1')) - 1}")
        elif el.tag == "img":
            self._resolve_image(el, ctx)
        elif el.tag == "div" and "admonition" in el.get("class", "").split():
            kinds = el.get("class", "").split()
            if "reflection" in kinds:
                el.append(ruled_lines(REFLECTION_LINES))
            if "help" in kinds and self.owner.region is not None:
                el.append(crisis_lines_element(self.owner.region))

    def _open_details(self, el: etree.Element) -> None:
        """`???` blocks cannot be opened on paper: print them as ordinary admonitions."""
        kinds = [k for k in el.get("class", "").split() if k != "open"]
        el.tag = "div"
        el.attrib.clear()
        el.set("class", " ".join(["admonition", *kinds]))
        for child in el:
            if child.tag == "summary":
                child.tag = "p"
                child.set("class", "admonition-title")

    def _unfold_tabs(self, el: etree.Element) -> None:
        """Content tabs (`=== "School"`) print one after another, each under its label."""
        labels = [label.text or "" for label in el.iter("label")]
        blocks = [b for b in el.iter("div") if "tabbed-block" in b.get("class", "").split()]
        for child in list(el):
            el.remove(child)
        el.set("class", "tabs")
        el.attrib.pop("data-tabs", None)
        for label, block in zip(labels, blocks, strict=False):
            block.set("class", "tab")
            title = etree.Element("p", {"class": "tab-title"})
            title.text = label
            block.insert(0, title)
            el.append(block)

    def _resolve_link(self, el: etree.Element, ctx: DocContext) -> None:
        href = el.get("href", "")
        if href.startswith("#"):
            el.set("href", "#" + ctx.id_prefix + href[1:])
            return
        if re.match(r"^(https?|mailto|tel):", href):
            el.set("class", (el.get("class", "") + " external").strip())
            return
        target = href.split("#", 1)[0]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.path), target)) if target else ""
        anchor = ctx.anchors.get(resolved)
        if anchor:
            el.set("href", anchor)
        else:
            # A page that is not in this printed document: keep the words, drop the link.
            el.attrib.pop("href", None)
            el.tag = "span"

    def _resolve_image(self, el: etree.Element, ctx: DocContext) -> None:
        src = el.get("src", "")
        alt = (el.get("alt") or "").strip()
        if not alt:
            self.owner.problems.append(Problem(ctx.path, ctx.line, f"image '{src}' has no alt text; "
                                               "tagged PDFs need a text alternative", "print.image-alt"))
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            self.owner.problems.append(Problem(ctx.path, ctx.line, f"image '{src}' is not a file in the "
                                               "project; print fetches nothing from outside", "print.fetch"))
            return
        path = (self.owner.root / posixpath.dirname(ctx.path) / src).resolve()
        if not path.is_relative_to(self.owner.root) or not path.is_file():
            self.owner.problems.append(Problem(ctx.path, ctx.line, f"image '{src}' not found in the project",
                                               "print.image-missing"))
            return
        el.set("src", path.as_uri())


def ruled_lines(n: int) -> etree.Element:
    """`n` empty ruled lines to write on (decorative, so tagged PDFs skip them)."""
    box = etree.Element("div", {"class": "lines", "aria-hidden": "true"})
    for _ in range(max(0, n)):
        etree.SubElement(box, "div", {"class": "line"})
    return box


def crisis_lines_element(region: Region) -> etree.Element:
    """The region's emergency number and crisis lines, as appended to every help block."""
    crisis = crisis_lines(region)
    box = etree.Element("div", {"class": "crisis-lines"})
    title = etree.SubElement(box, "p", {"class": "crisis-lines-title"})
    title.text = f"Help now in {crisis.place}"
    ul = etree.SubElement(box, "ul")
    li = etree.SubElement(ul, "li")
    strong = etree.SubElement(li, "strong")
    strong.text = f"Emergency: {crisis.emergency}"
    if crisis.emergency_notes:
        strong.tail = f" ({crisis.emergency_notes.rstrip('.')})"
    for line in crisis.lines:
        li = etree.SubElement(ul, "li")
        strong = etree.SubElement(li, "strong")
        strong.text = line.name
        who = f" ({line.who})" if line.who else ""
        strong.tail = who + ": " + "; ".join(c.text for c in line.contacts) + f". {line.hours.rstrip('.')}. "
        note = etree.SubElement(li, "span", {"class": "date-note" + ("" if line.checked else " secondary")})
        note.text = line.note
    return box
