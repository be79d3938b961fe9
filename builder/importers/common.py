"""What every reader shares: the draft question, skipped items, media, diagnostics, safe
reading of bytes and XML, and HTML or plain text turned into the course's Markdown.

A reader turns one source file into a `ReadResult`: `drafts` (questions in our bank format,
without ids: `builder.importers.bank` gives those), `skipped` (every question that cannot be
represented, with its position and the reason: never dropped silently), `media` (files the
text refers to, to copy into the module) and `diagnostics` (errors stop the import: nothing
is written).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from builder.diagnostics import Diagnostic, diag, register
from builder.model.where import Where

# Diagnostic codes of `course import`.
SYNTAX = register("import.syntax", "An import file that does not parse (GIFT, Aiken, XML).")
ENCODING = register("import.encoding", "An import file that is not UTF-8 (or the encoding it declares).")
TOO_LARGE = register("import.too-large", "An import file or embedded file over the size limit.")
UNSAFE_XML = register("import.unsafe-xml", "XML with a DTD or entity declarations (entity bombs, external entities).")
FORMAT = register("import.format", "A file whose format cannot be recognised, or a package without questions.")
INVALID = register("import.invalid", "An imported question that does not fit the bank format.")
UNSUPPORTED = register("import.unsupported", "A question type the bank format cannot represent (listed, not imported).",
                       "warning")
MEDIA = register("import.media", "A file an imported question refers to that could not be copied.", "warning")
CHANGED = register("import.changed", "Something an imported question had that the bank format cannot hold "
                   "(partial credit, differing feedback): changed or left out.", "warning")
TARGET = register("import.target", "The bank cannot receive the imported questions safely.")

MAX_FILE_BYTES = 20 * 1024 * 1024  # a source file (or one file inside a zip)
MAX_ZIP_TOTAL = 100 * 1024 * 1024  # everything a zip unpacks to
MAX_MEDIA_BYTES = 10 * 1024 * 1024  # one embedded image or sound


@dataclass
class Media:
    """A file an imported text refers to: `name` as the text writes it, the bytes to copy."""

    name: str
    data: bytes
    where: Where


@dataclass
class Draft:
    """One question in the bank format, before it gets an id.

    `data` holds the bank keys (type, stem, options, ...); `source_id` is the id number or
    name the source gave it (kept as the id when it fits the target module); `tags` come from
    categories and the source's tags.
    """

    data: dict[str, Any]
    where: Where
    fmt: str
    source_id: str = ""
    name: str = ""
    tags: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # names of Media it refers to


@dataclass(frozen=True, order=True)
class Skipped:
    """A question that cannot be represented in the bank format, and why."""

    where: Where
    kind: str
    reason: str
    name: str = ""

    def diagnostic(self) -> Diagnostic:
        label = f" '{self.name}'" if self.name else ""
        return diag(UNSUPPORTED, self.where, f"{self.kind} question{label} not imported: {self.reason}",
                    "re-write it by hand as one of the seven question types, or leave it out")


@dataclass
class ReadResult:
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)  # warnings: changes made while reading

    def extend(self, other: ReadResult) -> None:
        self.drafts += other.drafts
        self.skipped += other.skipped
        self.media += other.media
        self.diagnostics += other.diagnostics
        self.notes += other.notes


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str | None, Diagnostic | None]:
    """Bytes as text: UTF-8 (a BOM is dropped), or the encoding an XML declaration names.

    A byte that does not decode is an error at its line and column, never guessed around.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, diag(ENCODING, Where(name, 1, 1), "file is UTF-16; only UTF-8 can be imported",
                          "save the file as UTF-8 (most editors: File > Save with encoding)")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, diag(ENCODING, Where(name, line, 1), "file holds NUL bytes: it is binary, not text",
                          "import the LMS's text export (GIFT, Aiken, Moodle XML or a QTI zip)")
    encoding = (declared or "utf-8").lower()
    try:
        return data.decode(encoding), None
    except LookupError:
        return None, diag(ENCODING, Where(name, 1, 1), f"unknown encoding '{declared}'", "save the file as UTF-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, diag(ENCODING, Where(name, line, col),
                          f"byte 0x{data[e.start]:02x} is not valid {encoding.upper()}",
                          "save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)")


# ---------------------------------------------------------------------------
# XML: hardened parsing

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def parse_xml(data: bytes, name: str) -> tuple[Any, list[Diagnostic]]:
    """Parse XML safely: no DTD, no entity declarations (so no entity bomb and no external
    entity can be expanded), no network, no huge trees. Returns (root element, problems)."""
    from lxml import etree

    m = _DOCTYPE.search(data)
    if m:
        text = data[: m.start()].decode("utf-8", "replace")
        line, col = position(text, len(text))
        return None, [diag(UNSAFE_XML, Where(name, line, col),
                           "XML with a DOCTYPE or entity declarations is refused (entity expansion, external files)",
                           "export the bank again from the LMS: its XML never needs a DOCTYPE")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line, col = (e.position if getattr(e, "position", None) else (e.lineno or 1, 1))
        msg = str(e.msg or e).split(", line ")[0]
        if "encoding" in msg.lower() or "utf-8" in msg.lower():
            return None, [diag(ENCODING, Where(name, line or 1, max(col, 1)), f"XML text is not in its encoding: {msg}",
                               "save the file as UTF-8, or declare its real encoding in <?xml … encoding=…?>")]
        return None, [diag(SYNTAX, Where(name, line or 1, max(col, 1)), f"XML does not parse: {msg}",
                           "check that every tag is closed and `&` is written `&amp;`")]
    return root, []


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# ---------------------------------------------------------------------------
# Text: HTML or plain text -> the course's Markdown

_PLUGINFILE = "@@PLUGINFILE@@/"
_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def media_name(name: str) -> str:
    """A file name safe to write: its last path part, unsafe characters replaced."""
    base = posixpath.basename(name.replace("\\", "/"))
    from urllib.parse import unquote

    base = _SAFE_NAME.sub("-", unquote(base)).strip(".-")
    return base or "file"


_BACKSLASH = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!<>&|~=])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Python-Markdown reads `#x` as a heading even without a space after the hashes.
_LINE_START = re.compile(r"(^|\n)([ \t]*)(#|>|[-+](?=\s)|[0-9]{1,9}(?=[.)](?:\s|$)))")


def literal(text: str) -> str:
    """Text as Markdown that shows exactly that text: `<tag` and `&name;` become character
    references; a backslash, backtick, bracket, `*`, `_`, and a heading, quote or list marker
    at the start of a line are escaped with a backslash."""
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_START.sub("&lt;", text)
    for c in "`[]*_":
        text = text.replace(c, "\\" + c)
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", text)


def _markdown_converter() -> type:
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify, with text escaped by `literal`."""

        def escape(self, text: str, parent_tags: Any) -> str:
            return literal(text) if text else ""

    return Converter


def html_to_markdown(html: str, media_dir: str | None = None) -> tuple[str, list[str], list[str]]:
    """HTML question text as Markdown (markdownify), with links and images to embedded files
    (`@@PLUGINFILE@@/x.png`, or a relative path inside a package) pointing at `media_dir`.

    Returns (markdown, names of embedded files used, remote images left out). Remote images
    become their description: the course never loads an image from another site.
    """
    from bs4 import BeautifulSoup

    _Converter = _markdown_converter()

    used: list[str] = []
    remote: list[str] = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["script", "style", "iframe", "object", "embed"]):
        tag.decompose()
    for tag in soup.find_all(["img", "a", "audio", "video", "source"]):
        attr = "href" if tag.name == "a" else "src"
        url = _attr(tag, attr).strip()
        if not url:
            continue
        low = url.lower()
        if low.startswith(("javascript:", "vbscript:", "data:")):
            del tag[attr]
            continue
        if low.startswith(("http://", "https://", "//", "mailto:", "tel:", "#")):
            if tag.name != "a" and low.startswith(("http://", "https://", "//")):
                remote.append(url)
                tag.replace_with(f"({_attr(tag, 'alt') or 'image'}: not imported, it is on another site)"
                                 if tag.name == "img" else "")
            continue
        name = url[len(_PLUGINFILE):] if url.startswith(_PLUGINFILE) else url
        name = name.split("?", 1)[0]
        used.append(name)
        if media_dir is not None:
            tag[attr] = f"{media_dir}/{media_name(name)}"
    for tag in soup.find_all(["audio", "video"]):
        src = _attr(tag, "src") or next((_attr(s, "src") for s in tag.find_all("source") if _attr(s, "src")), "")
        if not src:
            tag.decompose()
            continue
        link = soup.new_tag("a", href=src)
        link.string = posixpath.basename(src)
        tag.replace_with(link)
    converter = _Converter(heading_style="ATX", bullets="-", strong_em_symbol="*", escape_underscores=True,
                           escape_asterisks=True, escape_misc=False, strip=["span", "font", "u", "div"])
    md = converter.convert_soup(soup)
    return tidy(md), used, remote


def _attr(tag: Any, name: str) -> str:
    """An attribute's value as text (bs4 gives lists for multi-valued attributes)."""
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value) if value is not None else ""


def tidy(md: str) -> str:
    """Markdown with blank-line runs, trailing spaces and outer whitespace cleaned up."""
    md = md.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    md = _TRAILING.sub("\n", md)
    md = _BLANKS.sub("\n\n", md)
    return md.strip()


def plain_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows it as written (see `literal`)."""
    return literal(tidy(text))


def to_markdown(text: str, fmt: str, media_dir: str | None = None) -> tuple[str, list[str], list[str]]:
    """Text in one of Moodle's formats (`html`, `moodle_auto_format`, `plain_text`,
    `markdown`) as Markdown; returns (markdown, embedded files used, remote images left out)."""
    fmt = (fmt or "html").lower()
    if fmt == "markdown":
        return tidy(text), [], []
    if fmt in ("plain_text", "plain"):
        return plain_to_markdown(text), [], []
    if fmt == "moodle_auto_format" and "<" not in text:
        return tidy("\n\n".join(plain_to_markdown(p) for p in re.split(r"\n\s*\n", text))), [], []
    return html_to_markdown(text, media_dir)


def one_line(md: str) -> str:
    """Markdown collapsed to one line (option texts, matching sides, accepted answers)."""
    return " ".join(md.split())
