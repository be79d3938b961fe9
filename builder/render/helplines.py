"""How help lines are grouped and how honestly their dates are worded, for every output.

The site's help page and help blocks, the printed help blocks, crisis boxes, resource lists
and crisis card all show a help line's date with the words below, so a line that rests on
secondary sources is never shown as "checked" (see `schema.Resource.verification`). Pure
functions: no I/O, no Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from builder.model.schema import Resource

# Who a line is for, in the order pages show the groups, with their headings.
GROUPS: tuple[tuple[str, str], ...] = (
    ("everyone", "For everyone"),
    ("youth", "For young people"),
    ("lgbtq", "For LGBTQ+ people"),
    ("indigenous", "For Indigenous peoples"),
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(day: dt.date) -> str:
    """6 December 2026 (the same in every locale, and unambiguous in every region)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """6 Dec 2026, for the crisis card."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def is_checked(res: Resource) -> bool:
    """True only when every detail was found on the service's own page, on a recorded day."""
    return res.verification == "service-page" and res.verified_on is not None


def date_note(res: Resource) -> str:
    """The sentence that says how current an entry is and how it was checked.

    "Checked on the service's website on 6 December 2026." only for a service-page check;
    otherwise "Last reviewed on ... from secondary sources; confirm before relying on it."
    """
    if is_checked(res):
        assert res.verified_on is not None
        return f"Checked on the service's website on {long_date(res.verified_on)}."
    day = res.reviewed_on
    when = f" on {long_date(day)}" if day else ""
    return f"Last reviewed{when} from secondary sources; confirm before relying on it."


def grouped(resources: Iterable[Resource]) -> list[tuple[str, str, list[Resource]]]:
    """(group, heading, entries) for each group that has entries, in GROUPS order; entries
    keep their order in resources.yaml."""
    items = list(resources)
    out = []
    for key, heading in GROUPS:
        group = [r for r in items if r.group == key]
        if group:
            out.append((key, heading, group))
    return out


def card_footnote(resources: Iterable[Resource]) -> str:
    """The crisis card's one line about its numbers: which were checked on the services' own
    websites and when, and that the starred ones rest on secondary sources."""
    items = list(resources)
    checked = [r.verified_on for r in items if is_checked(r) and r.verified_on]
    reviewed = [r.reviewed_on for r in items if not is_checked(r) and r.reviewed_on]
    parts = []
    if checked:
        parts.append(f"Numbers checked on the services' websites on {short_date(max(checked))}")
    if reviewed or any(not is_checked(r) for r in items):
        when = f" {short_date(max(reviewed))}" if reviewed else ""
        parts.append(f"* last reviewed{when} from secondary sources: confirm before relying on it")
    return "; ".join(parts) + "." if parts else ""
