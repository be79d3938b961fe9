"""Crisis and support resources: each needs a source URL, an honest kind of check and a
recent date.

Hotline details change (the 988 Lifeline's "press 3" ended in July 2025), so every entry in
`curriculum/resources.yaml` records the service's own page (`source`), what kind of check it
had (`verification`) and when: `verified_on` only for details found on the service's own page,
`reviewed_on` for an entry that rests on secondary sources. Readers are shown the difference
("Checked on the service's website on ..." vs "Last reviewed on ... from secondary sources"), so
a wrong pairing would be false assurance on crisis data: it is an error. An entry checked
longer ago than `course.resource_max_age_months` (default 12) is due for a re-check. Today's
date comes from the clock, or from COURSE_TODAY=YYYY-MM-DD (see `corpus._today`).
"""

from __future__ import annotations

import datetime as dt
from typing import Generator, Iterator

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register
from builder.model.schema import Resource

STALE = register("resources.stale", "A resource verified longer ago than the course allows.", "warning")
FUTURE = register("resources.future-date", "A resource whose verified_on date is in the future.", "warning")
NO_SOURCE = register("resources.no-source", "A resource without the URL of the page it was checked on.")
VERIFICATION = register(
    "resources.verification",
    "A resource whose date does not match its kind of check (verified_on vs reviewed_on).",
)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when later is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    if not corpus.wants(corpus.project.resources.where().path):
        return
    today = corpus.today
    limit = corpus.project.course.resource_max_age_months
    for code, region in sorted(corpus.project.resources.regions.items()):
        for r in region.resources:
            if not r.source or not r.source.strip():
                yield diag(
                    NO_SOURCE,
                    r.where("id"),
                    f"resource '{r.id}' ({code}) has no `source` URL",
                    "add `source: https://...`: the service's own page, where you checked the details "
                    "(or where readers must confirm them)",
                )
            elif not r.source.strip().lower().startswith(("https://", "http://")):
                yield diag(
                    NO_SOURCE,
                    r.where("source"),
                    f"resource '{r.id}' source '{r.source}' is not a web address",
                    "write the full address of the page, starting with https://",
                )
            day = yield from _date_of(r, code)
            if day is None:
                continue
            field = "verified_on" if r.verification == "service-page" else "reviewed_on"
            verb = "verified" if field == "verified_on" else "reviewed"
            age = months_between(day, today)
            if day > today:
                yield diag(
                    FUTURE,
                    r.where(field),
                    f"resource '{r.id}' was {verb} on {day.isoformat()}, which is after today "
                    f"({today.isoformat()})",
                    "write the date you actually checked the details, as YYYY-MM-DD",
                )
            elif day < _months_before(today, limit):
                yield diag(
                    STALE,
                    r.where(field),
                    f"resource '{r.id}' was last {verb} on {day.isoformat()}, "
                    f"{age} month{'s' if age != 1 else ''} ago (the limit is {limit})",
                    f"check every number, hour and language on {r.source or 'the service website'}, "
                    f"then set `{field}: {today.isoformat()}`"
                    + ("" if field == "verified_on" else
                       " (or, if you found every detail on the service's own page, "
                       f"`verification: service-page` and `verified_on: {today.isoformat()}`)"),
                )


def _date_of(r: Resource, code: str) -> Generator[Diagnostic, None, dt.date | None]:
    """The date that goes with the entry's kind of check, after reporting a wrong pairing.

    `verified_on` promises readers that the details were found on the service's own page, so
    it may only go with `verification: service-page`; a secondary entry carries `reviewed_on`.
    """
    if r.verification == "service-page":
        if r.reviewed_on is not None:
            yield diag(
                VERIFICATION,
                r.where("reviewed_on"),
                f"resource '{r.id}' ({code}) has `reviewed_on` but is marked as checked on the "
                "service's own page",
                "if every detail was found on the service's own page, write `verified_on` instead; "
                "otherwise add `verification: secondary`",
            )
            return None
        if r.verified_on is None:
            yield diag(
                VERIFICATION,
                r.where("id"),
                f"resource '{r.id}' ({code}) says when it was checked nowhere",
                "add `verified_on: YYYY-MM-DD` (the day you found every detail on the service's own "
                "page), or `verification: secondary` with `reviewed_on: YYYY-MM-DD`",
            )
            return None
        return r.verified_on
    if r.verified_on is not None:
        yield diag(
            VERIFICATION,
            r.where("verified_on"),
            f"resource '{r.id}' ({code}) rests on secondary sources but has `verified_on`, which "
            "readers are shown as checked on the service's website",
            "write `reviewed_on` instead, or check every detail on the service's own page and set "
            "`verification: service-page`",
        )
        return None
    if r.reviewed_on is None:
        yield diag(
            VERIFICATION,
            r.where("verification"),
            f"resource '{r.id}' ({code}) is marked `verification: secondary` without `reviewed_on`",
            "add `reviewed_on: YYYY-MM-DD`, the day you last reviewed its sources",
        )
        return None
    return r.reviewed_on


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (clamped to the month's length: 31 March - 1 month = 28/29 Feb)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date(year, month, 28)
