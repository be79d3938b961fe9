"""A change report as Markdown (pull requests, CHANGELOG.md), HTML, JSON, and the HTML that
the print engine turns into the "What changed for facilitators" PDF.

The report is first laid out once as a small document (headings, paragraphs, lists and a
table, each paragraph a list of styled runs), then written out by one writer per format, so
the formats say the same thing in the same order. Course text is escaped for each format:
a quiz stem with `*` or `<` in it shows as written. Output is deterministic: the same two
revisions give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from builder.diff.compare import ALL, AREA_NAMES, AREAS, Change, Detail, Report

# A run of text: (style, text) with style "" | "strong" | "em" | "code" | "del" | "ins".
Run = tuple[str, str]


@dataclass
class Block:
    kind: str  # h | p | ul | table
    level: int = 0
    runs: list[Run] = field(default_factory=list)
    items: list[tuple[list[Run], list[list[Run]]]] = field(default_factory=list)  # (item, sub-items)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _t(text: str) -> Run:
    return ("", text)


def _b(text: str) -> Run:
    return ("strong", text)


def _c(text: str) -> Run:
    return ("code", text)


def _q(text: str) -> list[Run]:
    return [_t("\u201c" + text + "\u201d")]


def scope_text(scope: dict[str, list[str]]) -> str:
    editions = scope.get("editions", [ALL])
    languages = scope.get("languages", [ALL])
    ed = "all editions" if editions == [ALL] else "editions: " + ", ".join(editions)
    lang = "all languages" if languages == [ALL] else "language: " + ", ".join(languages)
    return f"{ed}; {lang}"


def _short(rev: str) -> str:
    return rev[:12]


def _side(label: str, revision: str, version: str) -> list[Run]:
    out = [_b(label), _t(f" (version {version}")]
    if revision and not revision.startswith(label):
        out.append(_t(", commit "))
        out.append(_c(_short(revision)))
    out.append(_t(")"))
    return out


# What each part of a CHANGELOG entry lists (builder.diff.changelog). Participants may read the
# first part on the site's About page: no quiz item, answer, activity text, facilitator note
# or course page (a page may be for facilitators only) is in it.
PUBLIC_AREAS = frozenset({"course", "module", "lesson", "objective", "help", "timetable", "glossary"})
FACILITATOR_AREAS = frozenset(AREAS) - PUBLIC_AREAS
# Details a brief report keeps: short facts, never passages (a passage may quote a facilitator block).
BRIEF_FIELDS = frozenset({"title", "moved", "duration (minutes)", "file", "objectives", "contacts", "hours",
                          "emergency number", "checked on", "how it was checked", "total minutes", "name",
                          "crisis line", "languages", "text", "outcome added", "outcome removed",
                          "key point added", "key point removed", "lessons", "answer key", "type", "points"})
PUBLIC_FIELDS = BRIEF_FIELDS - {"answer key", "type", "points"}


@dataclass(frozen=True)
class Parts:
    """Which parts of the report to lay out (the default: all of it)."""

    header: bool = True
    read_first: bool = True
    summary: bool = True
    areas: frozenset[str] = frozenset(AREAS)
    fields: frozenset[str] | None = None  # only these details, and no word diffs (a brief report)
    level: int = 0  # added to every heading level
    # False: no text the new version no longer has (a removed key point, an objective's old
    # wording): the part participants read shows only what the course says now, which they
    # read anyway, and never an old sentence that may now be a quiz answer.
    old_text: bool = True


FULL = Parts()


def layout(report: Report, title: str = "What changed", parts: Parts = FULL) -> list[Block]:
    """The report as a document, in the order every format shows it."""
    old, new = report.old, report.new
    lv = parts.level
    doc: list[Block] = []
    if parts.header:
        doc.append(Block("h", 1 + lv, [_t(f"{title}: {new.title}, version {old.version} to {new.version}")]))
        doc.append(Block("p", runs=[_t("Compared "), *_side(old.label, old.revision, old.version), _t(" with "),
                                    *_side(new.label, new.revision, new.version), _t(".")]))
        doc.append(Block("p", runs=[_b("Reaches: "), _t(scope_text(report.scope) + ".")]))
        doc.append(Block("p", runs=_bump_runs(report)))
    if not report.changes:
        doc.append(Block("p", runs=[_t("No content changed.")]))
        return doc
    if parts.header:
        doc.append(Block("p", runs=[_t("Removed words are "), ("del", "struck through"), _t(" and added words are "),
                                    ("ins", "underlined"), _t("; each change says which file it is in.")]))

    attention = [c for c in report.attention if c.area in parts.areas]
    if attention and parts.read_first:
        doc.append(Block("h", 2 + lv, [_t("Read first: changes that affect running cohorts")]))
        doc.append(Block("ul", items=[(_attention_runs(c, parts), []) for c in attention]))

    if parts.summary:
        doc.append(Block("h", 2 + lv, [_t("Summary")]))
        summary = report.summary()
        doc.append(Block("table", header=["What", "Added", "Removed", "Changed", "Moved", "Retitled"],
                         rows=[[AREA_NAMES[a], *(str(summary[a][k]) for k in ("added", "removed", "changed", "moved",
                                                                              "retitled"))] for a in summary]))

    # Course-wide first, then module by module, then the rest of the course.
    groups: list[tuple[str, list[Change]]] = []
    course = [c for c in report.changes if c.area == "course"]
    if course:
        groups.append(("Course", course))
    modules: dict[str, list[Change]] = {}
    for c in report.changes:
        if c.module and c.area in ("module", "lesson", "objective", "activity", "question"):
            modules.setdefault(c.module, []).append(c)
    for mid, changes in modules.items():
        head = next((c.title for c in changes if c.area == "module"), None) or _module_name(report, mid)
        groups.append((head, changes))
    for area in ("help", "timetable", "page", "glossary"):
        changes = [c for c in report.changes if c.area == area]
        if changes:
            groups.append((AREA_NAMES[area], changes))
    for head, changes in groups:
        changes = [c for c in changes if c.area in parts.areas]
        if not changes:
            continue
        doc.append(Block("h", 2 + lv, [_t(head)]))
        for area in AREAS:
            of_area = [c for c in changes if c.area == area]
            if not of_area:
                continue
            if head not in (AREA_NAMES[area], "Course"):
                doc.append(Block("h", 3 + lv, [_t("This module" if area == "module" else AREA_NAMES[area])]))
            doc.append(Block("ul", items=[(_change_runs(c, parts), [_detail_runs(d, parts) for d in _all_details(c)
                                                                    if _kept(d, parts)]) for c in of_area]))
    return doc


def _kept(d: Detail, parts: Parts) -> bool:
    if not parts.old_text and d.new is None:
        return False
    return parts.fields is None or (d.field in parts.fields and not d.hunks)


def _module_name(report: Report, mid: str) -> str:
    return report.module_titles.get(mid) or (f"Module {mid[1:]}" if mid.startswith("M") else mid)


def _bump_runs(report: Report) -> list[Run]:
    b = report.bump
    if b["suggested"] == "none":
        return [_b("Version: "), _t("no content changed, so no new version is needed.")]
    runs: list[Run] = [_b(f"Suggested version bump: {b['suggested']}"),
                       _t(" (" + "; ".join(b["reasons"][:4]) + (" and more" if len(b["reasons"]) > 4 else "") + "). ")]
    if b["actual"] == "none":
        runs.append(_b(f"The version is still {b['new_version']}: raise it before release."))
    elif b["enough"]:
        runs.append(_t(f"The version went from {b['old_version']} to {b['new_version']} ({b['actual']}): enough."))
    else:
        runs.append(_b(f"The version went from {b['old_version']} to {b['new_version']} ({b['actual']}), "
                       f"less than a {b['suggested']} change calls for."))
    return runs


def _what(c: Change) -> str:
    return {"course": "Course", "module": "Module", "lesson": "Lesson", "objective": "Objective",
            "activity": "Activity", "question": "Question", "help": "Help line", "timetable": "Session plan",
            "page": "Page", "glossary": "Glossary term"}[c.area]


def _attention_runs(c: Change, parts: Parts = FULL) -> list[Run]:
    if c.key_changed:
        key = next((d for d in c.details if d.field == "answer key"), None)
        runs: list[Run] = [_b(f"Answer key changed: {c.id}"), _t(" ("), _c(c.where), _t("): "), *_q(c.title)]
        if key:
            runs += [_t(" Was: "), _b((key.old or "").rstrip(".")), _t(". Now: "), _b((key.new or "").rstrip(".")),
                     _t(".")]
        runs.append(_t(" Re-mark or re-brief cohorts that took this question."))
        return runs
    if c.kind == "removed" and not parts.old_text and c.area in ("objective", "glossary"):
        return [_b(f"{_what(c)} {c.kind}: "), _t(f"{c.id} ("), _c(c.where), _t(")")]
    return [_b(f"{_what(c)} {c.kind}: "), *(_q(c.title) if c.area not in ("objective", "question") else
                                             [_t(f"{c.id} "), *_q(c.title)]), _t(" ("), _c(c.where), _t(")")]


def _change_runs(c: Change, parts: Parts = FULL) -> list[Run]:
    label = {"added": "added", "removed": "removed", "changed": "changed"}[c.kind]
    name = c.id if c.area in ("objective", "question", "activity") else ""
    runs: list[Run] = [_b(f"{_what(c)} {name + ' ' if name else ''}{label}")]
    if c.key_changed:
        runs.append(_b(" (ANSWER KEY CHANGED)"))
    if c.kind == "removed" and not parts.old_text and c.area in ("objective", "glossary"):
        return [*runs, _t(" "), _c(c.where)]  # its text is gone from the course
    runs += [_t(": "), *_q(c.title), _t(" "), _c(c.where)]
    if c.scope.get("editions") != [ALL]:
        runs.append(_t(f" ({scope_text(c.scope)})"))
    return runs


def _all_details(c: Change) -> list[Detail]:
    out = []
    if c.retitled:
        out.append(Detail("title", c.retitled[0], c.retitled[1]))
    if c.moved:
        out.append(Detail("moved", c.moved[0], c.moved[1]))
    return out + c.details


_NUMBER = re.compile(r"[0-9.:\- ]+")  # minutes, dates: an old value that cannot be a sentence


def _detail_runs(d: Detail, parts: Parts = FULL) -> list[Run]:
    runs: list[Run] = [_b(d.field[:1].upper() + d.field[1:] + ": ")]
    if not parts.old_text and d.old is not None and d.new is not None and not _NUMBER.fullmatch(d.old):
        return [*runs, _t("now "), ("ins", d.new)]
    if d.hunks:
        for k, hunk in enumerate(d.hunks):
            if k:
                runs.append(_t(" / "))
            runs.append(_t("\u2026 "))
            for n, (op, text) in enumerate(hunk):
                if n:
                    runs.append(_t(" "))
                runs.append(("del" if op == "-" else "ins" if op == "+" else "", text))
            runs.append(_t(" \u2026"))
        if d.more:
            runs.append(_t(f" (and {d.more} more changes in this passage)"))
        return runs
    if d.old is not None and d.new is not None:
        return [*runs, _t("was "), ("del", d.old), _t(", now "), ("ins", d.new)]
    if d.new is not None:
        return [*runs, ("ins", d.new)]
    return [*runs, ("del", d.old or "")]


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#])")


def _md_escape(text: str, table: bool = False) -> str:
    """Course text as Markdown that shows it as written (on GitHub and in Python-Markdown):
    backslash escapes where both honour them, character references for `&`, `<`, `>`."""
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return text.replace("|", "\\|") if table else text


def _md_runs(runs: list[Run]) -> str:
    out = []
    for style, text in runs:
        if not text:
            continue
        if style == "code":
            out.append(f"`{text.replace('`', '')}`")
            continue
        core = text.strip()
        if not core or style == "":
            out.append(_md_escape(text))
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        mark = {"strong": "**", "em": "_", "del": "<del>", "ins": "<ins>"}[style]
        end = mark.replace("<", "</") if mark.startswith("<") else mark
        out.append(f"{lead}{mark}{_md_escape(core)}{end}{trail}")
    return "".join(out)


def markdown(report: Report, max_chars: int | None = None, parts: Parts = FULL) -> str:
    """The report as GitHub-flavoured Markdown. With `max_chars` (a pull-request comment has a
    limit), whole lines are kept up to that size and a last line says what was left out."""
    lines: list[str] = []
    for block in layout(report, parts=parts):
        if block.kind == "h":
            lines += ["#" * block.level + " " + _md_runs(block.runs), ""]
        elif block.kind == "p":
            lines += [_md_runs(block.runs), ""]
        elif block.kind == "ul":
            for item, subs in block.items:
                lines.append("- " + _md_runs(item))
                lines += ["  - " + _md_runs(s) for s in subs]
            lines.append("")
        elif block.kind == "table":
            lines.append("| " + " | ".join(block.header) + " |")
            lines.append("|" + "|".join([" --- "] + [" ---: "] * (len(block.header) - 1)) + "|")
            lines += ["| " + " | ".join(_md_escape(x, table=True) for x in row) + " |" for row in block.rows]
            lines.append("")
    text = "\n".join(lines).rstrip("\n") + "\n"
    if max_chars is not None and len(text) > max_chars:
        note = "\n_The report is longer than fits here: run `course diff` for all of it._\n"
        kept, size = [], 0
        for line in text.split("\n"):
            if size + len(line) + 1 + len(note) > max_chars:
                break
            kept.append(line)
            size += len(line) + 1
        text = "\n".join(kept).rstrip("\n") + "\n" + note
    return text


# -- HTML -------------------------------------------------------------------------------------

SCREEN_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #111; }
code { font-size: 0.9em; background: #f2f2f2; padding: 0 0.2em; }
table { border-collapse: collapse; } th, td { border: 1px solid #999; padding: 0.2em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
""".strip()
SHARED_CSS = """
del { text-decoration: line-through; }
ins { text-decoration: underline; font-weight: bold; }
li li { font-size: 0.95em; }
""".strip()
PRINT_CSS = """
.doc-changes h1 { font-size: 18pt; }
.doc-changes code { font-size: 0.85em; }
.doc-changes td, .doc-changes th { padding: 2pt 4pt; }
""".strip()


def _html_runs(runs: list[Run]) -> str:
    out = []
    for style, text in runs:
        esc = html.escape(text, quote=False)
        out.append(f"<{style}>{esc}</{style}>" if style else esc)
    return "".join(out)


def _html_body(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind == "h":
            out.append(f"<h{block.level}>{_html_runs(block.runs)}</h{block.level}>")
        elif block.kind == "p":
            out.append(f"<p>{_html_runs(block.runs)}</p>")
        elif block.kind == "ul":
            out.append("<ul>")
            for item, subs in block.items:
                inner = "".join(f"<li>{_html_runs(s)}</li>" for s in subs)
                out.append(f"<li>{_html_runs(item)}" + (f"<ul>{inner}</ul>" if subs else "") + "</li>")
            out.append("</ul>")
        elif block.kind == "table":
            head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in block.header)
            rows = "".join("<tr>" + f'<th scope="row">{html.escape(r[0])}</th>'
                           + "".join(f"<td>{html.escape(x)}</td>" for x in r[1:]) + "</tr>" for r in block.rows)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return "\n".join(out)


def html_page(report: Report, *, for_print: bool = False, author: str = "", build_date: str = "") -> str:
    """A complete HTML document. `for_print` leaves out the screen styles (the print engine
    adds the course's print stylesheet and fonts) and names the document for facilitators."""
    title = "What changed for facilitators" if for_print else "What changed"
    blocks = layout(report, title)
    doc_title = f"{title}: {report.new.title} {report.new.version}"
    lang = html.escape(report.new.language or "en")
    css = SHARED_CSS + "\n" + (PRINT_CSS if for_print else SCREEN_CSS)
    meta = ""
    if author:
        meta += f'<meta name="author" content="{html.escape(author)}">\n'
    if build_date:
        meta += (f'<meta name="dcterms.created" content="{html.escape(build_date)}">\n'
                 f'<meta name="dcterms.modified" content="{html.escape(build_date)}">\n')
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(doc_title)}</title>\n{meta}"
            f'<meta name="generator" content="course builder">\n<style>\n{css}\n</style>\n</head>\n'
            f'<body class="doc-changes">\n<main>\n{_html_body(blocks)}\n</main>\n</body>\n</html>\n')


# -- JSON -------------------------------------------------------------------------------------


def as_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
