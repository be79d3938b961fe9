"""Sources and session plans as Markdown, for the site and for print.

- Citations: a body cites a source as a footnote reference, `[^M1-solmi-2021]` (docs/format.md,
  "Sources and citations"). `with_citations` appends one footnote definition per cited source,
  so Python-Markdown's footnotes extension numbers them and lists them at the end of the page.
- References: `references_md` lists a module's sources (module.yaml `sources:` and its lessons'
  own) for the facilitator edition, the facilitator guide and the workbook's end matter.
- Session plans: `timetable_md` renders a plan of course.yaml `timetable:` as a table, and
  `expand_timetables` replaces each `!!! timetable "plan-id"` block of a page with it.

Everything here is text in, text out: no I/O, deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from builder.model.blocks import find_blocks, strip_blocks
from builder.model.project import Document, Lesson, Module, Project
from builder.model.schema import Plan, Slot, Source

CITATION = re.compile(r"\[\^(?P<id>[^\]\s]{1,80})\](?!:)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[\^(?P<id>[^\]\s]{1,80})\]:", re.M)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    """Plain text safe inside Markdown (no emphasis, links or HTML by accident)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def source_md(s: Source) -> str:
    """One reference in Markdown: who, year, title, publisher, address."""
    parts = []
    who = s.author or s.publisher
    if who:
        parts.append(_md(who) + (f" ({s.year})." if s.year else "."))
    elif s.year:
        parts.append(f"({s.year}).")
    parts.append(f"*{_md(s.title).rstrip('.')}*.")
    if s.publisher and s.author and s.publisher.strip() != s.author.strip():
        parts.append(_md(s.publisher).rstrip(".") + ".")
    if s.url:
        # The link shows the site's name; print adds the full address after it.
        url = s.url.strip()
        host = urlsplit(url).hostname or url
        parts.append(f"[{_md(host)}]({url.replace(' ', '%20').replace('(', '%28').replace(')', '%29')})")
    return " ".join(parts)


def sources_of(module: Module | None, doc: Document) -> dict[str, Source]:
    """The sources a lesson or page may cite: its module's, then its own."""
    out: dict[str, Source] = {}
    if module is not None:
        out.update({s.id: s for s in module.data.sources})
    out.update({s.id: s for s in doc.meta.sources})
    return out


def module_of(project: Project, doc: Document) -> Module | None:
    if isinstance(doc, Lesson):
        return next((m for m in project.modules if m.id == doc.module_id), None)
    return None


def with_citations(body: str, sources: Mapping[str, Source], *, facilitator: bool) -> str:
    """`body` with a footnote definition for each source it cites (in the given edition).

    Only citations the edition shows count: one inside a facilitator block gets no footnote in
    the participant edition. Footnotes the author defined are left alone; unknown ids too
    (`course check` reports them as `sources.unknown`)."""
    if "[^" not in body or not sources:
        return body
    visible = body if facilitator else strip_blocks(body)
    defined = set(_DEFINITION.findall(body))
    cited: list[str] = []
    for m in CITATION.finditer(visible):
        sid = m.group("id")
        if sid in sources and sid not in defined and sid not in cited:
            cited.append(sid)
    if not cited:
        return body
    defs = [f"[^{sid}]: {source_md(sources[sid])}" for sid in cited]
    return body.rstrip("\n") + "\n\n" + "\n".join(defs) + "\n"


def module_sources(module: Module) -> list[Source]:
    """A module's sources and its lessons' own, each id once, in the order they are listed."""
    seen: dict[str, Source] = {}
    for s in [*module.data.sources, *(s for lesson in module.lessons for s in lesson.meta.sources)]:
        seen.setdefault(s.id, s)
    return list(seen.values())


def references_md(module: Module, heading: str = "##") -> list[str]:
    """A module's References section as Markdown lines (empty when it lists no sources)."""
    sources = module_sources(module)
    if not sources:
        return []
    out = [f"{heading} References", ""]
    for s in sources:
        note = f" {_md(s.note)}" if s.note else ""
        out.append(f"- {source_md(s)}{note}")
    return out + [""]


# -- session plans ------------------------------------------------------------------------------

SLOT_WORDS = {
    "welcome": "Welcome",
    "pre-test": "Before-course knowledge check",
    "break": "Break",
    "lunch": "Lunch",
    "post-test": "After-course knowledge check",
    "close": "Close",
    "other": "Other",
}


def slot_text(project: Project, slot: Slot) -> str:
    """What happens in a slot, in words."""
    if slot.title:
        return " ".join(slot.title.split())
    module = project.module(slot.module) if slot.module else None
    if slot.slot == "module":
        return f"Module {module.number}: {module.title}" if module else f"Module {slot.module}"
    if slot.slot == "quiz":
        return f"Module {module.number} quiz" if module else f"Quiz {slot.module}"
    if slot.slot in ("pre-test", "post-test") and project.forms and slot.form:
        form = next((f for f in project.forms.forms if f.id == slot.form), None)
        if form is not None:
            return f"{SLOT_WORDS[slot.slot]} ({form.title})"
    return SLOT_WORDS.get(slot.slot, slot.slot)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def plan_rows(project: Project, plan: Plan) -> list[tuple[str, str, str, int | None]]:
    """(session, start time or "", what happens, minutes) for every slot, and a "Finish" row
    after each session that has a start time."""
    rows: list[tuple[str, str, str, int | None]] = []
    for session in plan.sessions:
        clock = None
        if session.start:
            h, m = session.start.split(":")
            clock = int(h) * 60 + int(m)
        for slot in session.slots:
            rows.append((session.title, _clock(clock) if clock is not None else "", slot_text(project, slot),
                         slot.minutes))
            if clock is not None:
                clock += slot.minutes
        if clock is not None:
            rows.append((session.title, _clock(clock), f"End of {session.title}", None))
    return rows


def hours(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def timetable_md(project: Project, plan: Plan, heading: str | None = "###") -> list[str]:
    """One plan as Markdown: a heading and its summary (unless `heading` is None, as in a page
    whose author writes those), and a table per session."""
    out: list[str] = []
    if heading is not None:
        out += [f"{heading} {_md(plan.title)}", ""]
        if plan.summary:
            out += [" ".join(plan.summary.split()), ""]
    total = sum(sl.minutes for s in plan.sessions for sl in s.slots)
    teaching = sum(sl.minutes for s in plan.sessions for sl in s.slots if sl.slot == "module")
    rows = plan_rows(project, plan)
    for session in plan.sessions:
        timed = bool(session.start)
        out += [f"**{_md(session.title)}**", ""]
        out += ["| Time | What happens | Minutes |" if timed else "| What happens | Minutes |",
                "|---|---|---|" if timed else "|---|---|"]
        for title, start, what, minutes in rows:
            if title != session.title:
                continue
            cells = [start] if timed else []
            cells += [_md(what) if minutes is not None else f"**{what}**",
                      str(minutes) if minutes is not None else ""]
            out.append("| " + " | ".join(cells) + " |")
        length = sum(sl.minutes for sl in session.slots)
        out += ["", f"{_md(session.title)}: {hours(length)} in all.", ""]
    out += [f"In all: {hours(total)} with breaks, of which {hours(teaching)} is module time "
            "(lessons and activities).", ""]
    return out


def expand_timetables(body: str, project: Project) -> str:
    """Replace each `!!! timetable "plan-id"` block with the plan's tables (every plan when the
    block names none). An unknown id is left for `course check` to report (`timetable.unknown`)."""
    if "timetable" not in body:
        return body
    lines = body.split("\n")
    plans = {p.id: p for p in project.course.timetable}
    for block in reversed(find_blocks(body)):
        if block.kind != "timetable":
            continue
        chosen = [plans[block.title]] if block.title in plans else (
            list(plans.values()) if block.title is None else [])
        new: list[str] = []
        for plan in chosen:
            new += timetable_md(project, plan, heading=None if block.title else "###")
        lines[block.start:block.end] = new
    return "\n".join(lines)
