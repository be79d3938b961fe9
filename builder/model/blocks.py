"""The documented block syntax for lessons and pages.

Authors mark special passages with pymdownx admonitions, never raw HTML:

    !!! facilitator "Before this lesson"
        Text indented by four spaces belongs to the block.

`???` makes the block collapsible (pymdownx.details), `???+` collapsible and open.
The kinds below are the only ones the builder knows; renderers decide how each looks,
and the participant edition drops `facilitator` blocks entirely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCK_KINDS: dict[str, str] = {
    "facilitator": "Facilitator-only notes; removed from the participant site and workbook.",
    "activity": "An activity done in the session, with instructions.",
    "reflection": "A reflection prompt; print gives ruled lines to write on.",
    "scenario": "A realistic example situation from a school, workplace or community.",
    "example": "A short example of words to say or a way to act.",
    "tip": "A practical tip.",
    "note": "A side note.",
    "warning": "Something to be careful about.",
    "myth": "A myth quoted in order to correct it; wording inside is exempt from language checks.",
    "fact": "The fact that corrects a myth.",
    "content-note": "A content note at the top of a page on a difficult topic.",
    "help": "Where to get help now: renderers append the region's crisis lines.",
    "timetable": ("A session plan of course.yaml (`!!! timetable \"plan-id\"`, or every plan): "
                  "renderers put its table here."),
    "key-points": "A summary of the main points.",
    "edition": ('Only in the named editions (`!!! edition "school"`): other editions drop it, its own '
                "show what it wraps without a box (docs/editions.md)."),
}

FACILITATOR_KINDS = frozenset({"facilitator"})

_OPEN = re.compile(r'^(?P<indent> {0,3})(?P<marker>!!!|\?\?\?\+?)\s+(?P<kind>[A-Za-z][\w-]*)(?P<rest>.*)$')
_TITLE = re.compile(r'^\s*"(?P<title>[^"]*)"\s*$')


@dataclass(frozen=True)
class Block:
    kind: str
    title: str | None
    marker: str
    start: int  # 0-based index of the opening line in the body
    end: int  # 0-based index one past the last line of the block
    col: int  # 1-based column of the kind word

    def lines(self, body_lines: list[str]) -> list[str]:
        """The block's content lines with the four-space indent removed."""
        lines = body_lines[self.start + 1 : self.end]
        return [line[4:] if line.startswith("    ") else line.lstrip() for line in lines]


def find_blocks(body: str) -> list[Block]:
    """Top-level admonition blocks in a Markdown body, with their line spans."""
    lines = body.split("\n")
    blocks = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        m = None if in_fence else _OPEN.match(line)
        if not m:
            i += 1
            continue
        title_m = _TITLE.match(m.group("rest")) if m.group("rest").strip() else None
        j = i + 1
        while j < len(lines) and (lines[j].startswith("    ") or lines[j].strip() == ""):
            j += 1
        end = j
        while end > i + 1 and lines[end - 1].strip() == "":
            end -= 1
        blocks.append(Block(kind=m.group("kind"), title=title_m.group("title") if title_m else None,
                            marker=m.group("marker"), start=i, end=end, col=line.index(m.group("kind")) + 1))
        if m.group("kind") == "edition":
            # An edition block is a wrapper, not a box: the blocks inside it are the page's
            # blocks in the editions it names, so checks and renderers see them as such.
            inner = "\n".join(x[4:] if x.startswith("    ") else x.lstrip() for x in lines[i + 1:end])
            blocks += [Block(kind=b.kind, title=b.title, marker=b.marker, start=b.start + i + 1,
                             end=b.end + i + 1, col=b.col + 4) for b in find_blocks(inner)]
        i = max(j, i + 1)
    return blocks


def strip_blocks(body: str, kinds: frozenset[str] = FACILITATOR_KINDS) -> str:
    """The body without blocks of the given kinds (participant editions drop facilitator notes).

    Removed lines are replaced by nothing; line positions of later text are not kept, so
    call this only when rendering, never before checks.
    """
    lines = body.split("\n")
    drop: set[int] = set()
    for b in find_blocks(body):
        if b.kind in kinds:
            drop.update(range(b.start, b.end))
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


# What a block without a title is called in print and on the site (the kind, in words).
DEFAULT_TITLES: dict[str, str] = {
    "facilitator": "Facilitator notes",
    "activity": "Activity",
    "reflection": "Reflection",
    "scenario": "Scenario",
    "example": "Example",
    "tip": "Tip",
    "note": "Note",
    "warning": "Warning",
    "myth": "Myth",
    "fact": "Fact",
    "content-note": "Content note",
    "help": "If you need help now",
    "key-points": "Key points",
}


def facilitator_title(title: str | None) -> str:
    """A facilitator block's title says who it is for: "Facilitator notes", or that before the
    author's title ("Teaching this lesson" -> "Facilitator notes: teaching this lesson"). A
    title that already names facilitators is kept as written."""
    label = DEFAULT_TITLES["facilitator"]
    if not title or not title.strip():
        return label
    if "facilitator" in title.lower():
        return title
    first, sep, rest = title.strip().partition(" ")
    if first[:1].isupper() and first[1:].islower():  # "Teaching", not "PowerPoint", "UK" or "I"
        first = first.lower()
    return f"{label}: {first}{sep}{rest}"


def with_default_titles(body: str) -> str:
    """Give every untitled block its title in words (`!!! content-note` -> "Content note"),
    and every facilitator block a title that says so (`facilitator_title`).

    Only opening lines change, so line numbers stay as authored.
    """
    lines = body.split("\n")
    for b in find_blocks(body):
        if b.kind in FACILITATOR_KINDS:
            line = lines[b.start]
            end = line.index(b.kind) + len(b.kind)
            lines[b.start] = f'{line[:end]} "{facilitator_title(b.title)}"'
        elif b.title is None and b.kind in DEFAULT_TITLES:
            line = lines[b.start]
            end = line.index(b.kind) + len(b.kind)
            lines[b.start] = f'{line[:end]} "{DEFAULT_TITLES[b.kind]}"{line[end:].rstrip()}'
    return "\n".join(lines)


# -- editions (docs/editions.md) ----------------------------------------------------------------

EDITION_OPEN = re.compile(r'^(?P<indent> *)(?P<marker>!!!|\?\?\?\+?)[ \t]+edition\b(?P<rest>.*)$')
TERM = re.compile(r":(?P<t>[Tt])erm\[(?P<name>[^\]\n]*)\]")


@dataclass(frozen=True)
class EditionBlock:
    start: int  # 0-based line of the opener
    end: int  # one past its last content line
    indent: int
    names: tuple[str, ...]  # the editions in its title ("" when the title is missing)
    marker: str
    col: int  # 1-based column of the word `edition`
    parent: int | None  # start of the edition block it sits in, if any (an error)


def edition_names(title: str) -> tuple[str, ...]:
    """`"school, workplace"` or `"school workplace"` -> ("school", "workplace")."""
    return tuple(n for n in re.split(r"[\s,]+", title.strip()) if n)


def find_edition_blocks(body: str) -> list[EditionBlock]:
    """Every `!!! edition` block at any depth, in order, with its line span. Lines inside closed
    fenced code are code, never blocks."""
    lines = body.split("\n")
    out: list[EditionBlock] = []
    in_fence = False
    open_blocks: list[EditionBlock] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        m = EDITION_OPEN.match(line)
        if not m:
            continue
        indent = len(m.group("indent"))
        j = i + 1
        while j < len(lines) and (lines[j].startswith(" " * (indent + 4)) or lines[j].strip() == ""):
            j += 1
        end = j
        while end > i + 1 and lines[end - 1].strip() == "":
            end -= 1
        t = _TITLE.match(m.group("rest")) if m.group("rest").strip() else None
        open_blocks = [b for b in open_blocks if b.end > i]
        block = EditionBlock(start=i, end=end, indent=indent, names=edition_names(t.group("title")) if t else (),
                             marker=m.group("marker"), col=line.index("edition", indent) + 1,
                             parent=open_blocks[-1].start if open_blocks else None)
        open_blocks.append(block)
        out.append(block)
    return out


def filter_editions(body: str, edition: str) -> str:
    """The body as `edition` reads it: the content of its own `edition` blocks kept in place
    (the opening line blanked, the content moved out by four spaces), every other edition's
    block blanked. Line positions are kept, so diagnostics of rendered text still point home."""
    if "edition" not in body:
        return body
    lines = body.split("\n")
    for b in reversed(find_edition_blocks(body)):  # inner blocks first: their lines move last
        if edition in b.names:
            lines[b.start] = ""
            cut = " " * (b.indent + 4)
            for k in range(b.start + 1, b.end):
                if lines[k].startswith(cut):
                    lines[k] = lines[k][: b.indent] + lines[k][b.indent + 4:]
        else:
            for k in range(b.start, b.end):
                lines[k] = ""
    return "\n".join(lines)


def resolve_terms(text: str, vocabulary: dict[str, str]) -> str:
    """`:term[name]` replaced by the edition's words (`:Term[...]` capitalised); an unknown
    term stays as written (`course check` reports it as `edition.term`)."""
    if ":" not in text or "erm[" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        value = vocabulary.get(m.group("name").strip())
        if value is None:
            return m.group(0)
        return value[:1].upper() + value[1:] if m.group("t") == "T" else value

    return TERM.sub(one, text)
