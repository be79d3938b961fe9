"""CHANGELOG.md: one entry per course version, written by `course diff --changelog`, shown on
the site's About page.

An entry is the change report in brief (no word diffs, no passages), in two parts:

    ## 2.0.0 (2026-12-06)
    <!-- course diff: everyone -->
    ... what changed in modules, lessons, objectives, help lines, session plans, glossary ...
    <!-- course diff: facilitators -->
    ... quiz items and answer keys, activities, course pages ...
    <!-- course diff: end -->

The participant edition's About page shows the first part only: quiz items, answers,
activity texts and facilitator-only pages are never in it, nor any text the new version no
longer has (an old sentence may be a quiz answer now): only what the course says now. The
facilitator edition shows both parts.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.diff.compare import Report
from builder.diff.render import BRIEF_FIELDS, FACILITATOR_AREAS, PUBLIC_AREAS, PUBLIC_FIELDS, Parts, markdown

FILE = "CHANGELOG.md"
EVERYONE = "<!-- course diff: everyone -->"
FACILITATORS = "<!-- course diff: facilitators -->"
END = "<!-- course diff: end -->"
HEAD = ("# Changelog\n\nWhat changed in each version of the course, for facilitators and organisers. Each entry "
        "is written by `course diff OLD NEW --changelog` (see README.md); `course diff` gives the full report "
        "with every changed passage word by word.\n")
_ENTRY = re.compile(r"^## (\d+\.\d+(?:\.\d+)?)\b.*$", re.MULTILINE)


def entry(report: Report, date: str) -> str:
    """The CHANGELOG entry of the report's new version."""
    intro = (f"Compared with version {report.old.version} ({report.old.label}"
             + (f", commit `{report.old.revision[:12]}`" if report.old.revision
                and not report.old.revision.startswith(report.old.label) else "")
             + f"): a {report.bump['suggested']} change.")
    everyone = markdown(report, parts=Parts(header=False, areas=PUBLIC_AREAS, fields=PUBLIC_FIELDS, level=1,
                                            old_text=False))
    facilitators = markdown(report, parts=Parts(header=False, summary=False, areas=FACILITATOR_AREAS,
                                                fields=BRIEF_FIELDS, level=1))
    return (f"## {report.new.version} ({date})\n\n{intro}\n\n{EVERYONE}\n\n{everyone.strip()}\n\n{FACILITATORS}\n\n"
            f"{facilitators.strip()}\n\n{END}\n")


def add_entry(text: str | None, new_entry: str) -> str:
    """CHANGELOG.md with `new_entry` first (replacing an entry of the same version)."""
    text = text if text and text.strip() else HEAD
    version = _ENTRY.match(new_entry)
    assert version is not None
    sections = _sections(text)
    head = text[: sections[0][1]] if sections else text.rstrip("\n") + "\n\n"
    kept = [text[start:end].rstrip("\n") + "\n" for v, start, end in sections if v != version.group(1)]
    return head + "\n".join([new_entry, *kept])


def _sections(text: str) -> list[tuple[str, int, int]]:
    found = list(_ENTRY.finditer(text))
    return [(m.group(1), m.start(), found[i + 1].start() if i + 1 < len(found) else len(text))
            for i, m in enumerate(found)]


def version_section(root: Path, version: str, facilitator: bool) -> str | None:
    """The Markdown of `version`'s entry in the project's CHANGELOG.md for one edition
    (without its `##` line), or None when there is no such entry."""
    try:
        text = (root / FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for v, start, end in _sections(text):
        if v != version:
            continue
        body = text[start:end].split("\n", 1)[1] if "\n" in text[start:end] else ""
        if EVERYONE not in body:
            return body.strip() if facilitator else None  # written by hand: shown to facilitators only
        intro, _, rest = body.partition(EVERYONE)
        public, _, rest = rest.partition(FACILITATORS)
        private = rest.partition(END)[0]
        parts = [public.strip()] + ([private.strip()] if facilitator and private.strip() else [])
        return "\n\n".join(p for p in [intro.strip(), *parts] if p)
    return None
