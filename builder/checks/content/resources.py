"""Crisis and support resources: each needs a source URL and a recent `verified_on` date.

Hotline details change (the 988 Lifeline's "press 3" ended in July 2025), so every entry in
`curriculum/resources.yaml` records the page it was checked on and when. An entry checked
longer ago than `course.resource_max_age_months` (default 12) is due for a re-check. Today's
date comes from the clock, or from COURSE_TODAY=YYYY-MM-DD (see `corpus._today`).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register

STALE = register("resources.stale", "A resource verified longer ago than the course allows.", "warning")
FUTURE = register("resources.future-date", "A resource whose verified_on date is in the future.", "warning")
NO_SOURCE = register("resources.no-source", "A resource without the URL of the page it was checked on.")


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
                    "add `source: https://...` with the service's own page you checked the details on",
                )
            elif not r.source.strip().lower().startswith(("https://", "http://")):
                yield diag(
                    NO_SOURCE,
                    r.where("source"),
                    f"resource '{r.id}' source '{r.source}' is not a web address",
                    "write the full address of the page, starting with https://",
                )
            age = months_between(r.verified_on, today)
            if r.verified_on > today:
                yield diag(
                    FUTURE,
                    r.where("verified_on"),
                    f"resource '{r.id}' was verified on {r.verified_on.isoformat()}, which is after today "
                    f"({today.isoformat()})",
                    "write the date you actually checked the details, as YYYY-MM-DD",
                )
            elif r.verified_on < _months_before(today, limit):
                yield diag(
                    STALE,
                    r.where("verified_on"),
                    f"resource '{r.id}' was last verified on {r.verified_on.isoformat()}, "
                    f"{age} month{'s' if age != 1 else ''} ago (the limit is {limit})",
                    f"check every number, hour and language on {r.source or 'the service website'}, "
                    f"then set `verified_on: {today.isoformat()}`",
                )


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
