"""Content checks: what a careful reviewer of mental-health course material would catch.

`run_content_checks(project)` reads every text of a loaded project (lesson and page bodies,
and every prose string in the YAML files) and returns diagnostics as data. One module per
family of rules:

- `safe_messaging`: safe messaging about suicide (S1-S18) and stigma terms
- `safety`: the urgent-risk protocol (immediate danger means the emergency number)
- `characters`: look-alike letters, invisible and bidirectional characters, odd spaces
- `links`: external links only to allowlisted domains, over https
- `promotion`: adverts, keyword stuffing and pasted web-page furniture
- `reading_level`: Flesch-Kincaid grade per lesson against the course target
- `accessibility`: alt text, heading levels, link text, table headers
- `resources`: crisis-line entries need a source and a recent `verified_on`
- `quiz_items`: option wording, negative stems, answer patterns across a bank
- `sources`: citations resolve to `sources:` entries; statistics carry a citation
- `timing`: words per minute, activity rounds, the course's session plans (timetable)
- `placeholder`: text `course new` wrote for the author to replace, still in place
- `suppress`: inline markers that silence one rule in one place, with a reason

docs/content-checks.md documents every code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from builder.checks.content import (
    accessibility,
    characters,
    links,
    placeholder,
    promotion,
    quiz_items,
    reading_level,
    resources,
    safe_messaging,
    safety,
    sources,
    suppress,
    timing,
)
from builder.checks.content.corpus import Corpus
from builder.diagnostics import CODES, Diagnostic
from builder.model.project import Project

FAMILIES = (safe_messaging, safety, characters, links, promotion, reading_level, accessibility, resources, quiz_items,
            sources, timing, placeholder)
PREFIXES = ("safe.", "safety.", "chars.", "links.", "promo.", "read.", "a11y.", "resources.", "quiz.",
            "sources.", "content.", "timing.words-per-minute", "timing.activity-overrun", "timetable.")


def content_codes() -> set[str]:
    """The codes the content checks report (and suppression markers may name)."""
    return {c for c in CODES if c.startswith(PREFIXES) and c != "resources.no-crisis"}


def run_content_checks(
    project: Project, today: dt.date | None = None, only: Collection[str] | None = None
) -> list[Diagnostic]:
    """Every content diagnostic for `project`, after suppression markers are applied.

    `today` is the date resource ages are measured against (default: COURSE_TODAY or the clock).
    With `only` (paths relative to the project root), just those files are checked; see
    `builder.checks.content.cache`, which uses this to re-check only the files that changed.
    """
    corpus = Corpus(project, today, only)
    found: list[Diagnostic] = []
    for family in FAMILIES:
        found.extend(family.check(corpus))
    return suppress.apply(corpus, found, content_codes())
