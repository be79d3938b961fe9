"""Crisis lines for every output, chosen and worded in one place.

`crisis_lines(region)` reads a region of curriculum/resources.yaml and returns what every
output shows about its help lines: which lines (crisis lines only, or every service), in
which order and group, who a group's line is for, each contact as words and as a link, the
hours, and the honest date note (builder.render.helplines). The site's help blocks and help
page, the printed help blocks and "Help now" boxes and the crisis card only lay this out in
their own format (Markdown, HTML, the card's template); none of them picks or words lines
itself. Pure: no I/O, no Markdown or HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.model.schema import Contact, Region, Resource
from builder.render.helplines import date_note, grouped, is_checked

_VERBS = {"call": "Call", "text": "Text", "chat": "Chat at", "web": "Visit", "email": "Email",
          "videophone": "Videophone"}


@dataclass(frozen=True)
class CrisisContact:
    kind: str
    value: str
    label: str | None
    href: str | None  # tel:, sms:, mailto: or the web address; None when it cannot be a link
    text: str  # as it reads on paper: the label, or the kind and value ("Call 988")
    link_text: str  # as a link reads on screen: the label, or the value


@dataclass(frozen=True)
class CrisisLine:
    resource: Resource  # the entry itself, for the help page's full details
    name: str
    group: str  # "everyone", "youth", ... (builder.render.helplines.GROUPS)
    heading: str  # the group's heading: "For young people"
    who: str  # "" for everyone, else the heading in a sentence: "for young people"
    contacts: tuple[CrisisContact, ...]
    hours: str
    note: str  # "Checked on the service's website on ..." or "Last reviewed ..."
    checked: bool  # the note is a check on the service's own page


@dataclass(frozen=True)
class CrisisLines:
    region: str  # the region's name: "United States"
    place: str  # as a sentence names it: "the United States"
    emergency: str
    emergency_href: str  # tel: link of the emergency number
    emergency_notes: str | None
    lines: tuple[CrisisLine, ...]  # in group order, each group in resources.yaml order

    def groups(self) -> list[tuple[str, str, list[CrisisLine]]]:
        """(group, heading, lines) for each group that has lines, in order."""
        out: list[tuple[str, str, list[CrisisLine]]] = []
        for line in self.lines:
            if not out or out[-1][0] != line.group:
                out.append((line.group, line.heading, []))
            out[-1][2].append(line)
        return out


def crisis_lines(region: Region, *, crisis_only: bool = True) -> CrisisLines:
    """The region's emergency number and help lines (crisis lines only, unless `crisis_only`
    is False), grouped and worded as every output shows them."""
    chosen = [r for r in region.resources if r.crisis or not crisis_only]
    lines = tuple(
        CrisisLine(res, res.name, key, heading, "" if key == "everyone" else heading[0].lower() + heading[1:],
                   tuple(crisis_contact(c) for c in res.contacts), res.hours, date_note(res), is_checked(res))
        for key, heading, group in grouped(chosen) for res in group)
    return CrisisLines(region.name, region.place_name, region.emergency, f"tel:{_digits(region.emergency)}",
                       region.emergency_notes, lines)


def crisis_contact(contact: Contact) -> CrisisContact:
    return CrisisContact(contact.kind, contact.value, contact.label, contact_href(contact),
                         contact_text(contact.kind, contact.value, contact.label), contact.label or contact.value)


def contact_href(contact: Contact) -> str | None:
    """A link for a contact: tel:, sms:, mailto: or the web address; None if not linkable."""
    value = contact.value.strip()
    digits = _digits(value)
    if contact.kind == "call" or (contact.kind == "videophone" and not value.startswith("http")):
        return f"tel:{digits}" if digits else None
    if contact.kind == "text":
        return f"sms:{digits}" if digits else None
    if contact.kind == "email":
        return f"mailto:{value}"
    if value.startswith(("https://", "http://")):
        return value
    return None


def contact_text(kind: str, value: str, label: str | None) -> str:
    """How a contact reads on paper: its label, or the kind and value."""
    if label:
        return label
    return f"{_VERBS.get(kind, kind.title())} {value}"


def _digits(value: str) -> str:
    return re.sub(r"[^0-9+]", "", value)
