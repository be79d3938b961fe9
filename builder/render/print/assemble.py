"""Model to HTML: one Jinja2 template per document kind, all sharing `base.html.j2`.

The assembler converts every piece of Markdown once, with the heading level and id prefix
that its place in the document needs, and hands the templates ready HTML. Problems found
on the way (an image without alt text, a character the course font lacks) are collected
as diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from builder.diagnostics import Diagnostic, diag, register
from builder.markdown import edition_body
from builder.model.blocks import FACILITATOR_KINDS, facilitator_title, find_blocks
from builder.model.project import Document, Lesson, Module, Project
from builder.model.schema import Activity, Region
from builder.model.where import Where
from builder.render import BuildOptions, edition_title
from builder.render.crisis import contact_text, crisis_lines
from builder.render.helplines import card_footnote, date_note, grouped, is_checked
from builder.render.print import forms as form_source
from builder.render.print.documents import DocSpec
from builder.render.print.markdown import DocContext, PrintMarkdown
from builder.render.print.questions import paper_questions
from builder.render.print.session import KIND_LABELS, clock_text, place_activities, session_plan
from builder.render.sources import (
    expand_timetables,
    module_of,
    references_md,
    sources_of,
    timetable_md,
    with_citations,
)

TEMPLATES = Path(__file__).parent / "templates"

PRINT_PROBLEM = {
    "print.image-alt": register("print.image-alt", "An image has no alt text; tagged PDFs need one."),
    "print.image-missing": register("print.image-missing", "An image is not a file inside the project."),
    "print.fetch": register("print.fetch", "Print refused to fetch something outside the project."),
    "print.glyph": register("print.glyph", "A character is not in the course font."),
    "print.font": register("print.font", "The course font files are missing."),
    "print.region": register("print.region", "The build region has no crisis lines to print."),
    "print.render": register("print.render", "WeasyPrint could not render a document."),
}

_SAFETY_HEADING = re.compile(r"safety protocol", re.I)


def anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


class Assembler:
    """Builds the HTML of any document of one project, for one set of build options."""

    def __init__(self, project: Project, opts: BuildOptions) -> None:
        self.project = project
        self.opts = opts
        self.region: Region | None = project.resources.regions.get(opts.region)
        self.md = PrintMarkdown(project.root, self.region)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.filters.update(md=self._md_filter, inline=self._inline_filter, clock=clock_text,
                                contact=lambda c: contact_text(c.kind, c.value, c.label),
                                date_note=date_note)
        self.env.globals.update(help_groups=grouped, is_checked=is_checked, crisis_lines=crisis_lines)
        # Where a link to another lesson or page goes: inside the workbook, which holds every
        # lesson and every page for all; elsewhere such links print as plain words.
        self.anchors = self._anchors(())
        self._volume_anchors: dict[tuple[str, ...], dict[str, str]] = {(): self.anchors}

    def _anchors(self, modules: tuple[str, ...]) -> dict[str, str]:
        """Link targets inside a workbook (a volume holds only its own modules' lessons)."""
        anchors = {lesson.path: "#" + self.lesson_id(m, lesson) for m in self.project.modules
                   if not modules or m.id in modules for lesson in m.lessons}
        anchors.update({p.path: "#" + anchor("page", p.slug) for p in self.participant_pages()})
        return anchors

    # -- helpers the templates use --------------------------------------------------------

    def _md_filter(self, text: str | None, offset: int = 2) -> Markup:
        return Markup(self.md.block(text, DocContext(path="", heading_offset=offset))) if text else Markup("")

    def _inline_filter(self, text: str | None) -> Markup:
        return Markup(self.md.inline(text)) if text else Markup("")

    def participant_pages(self) -> list[Document]:
        return [p for p in self.project.pages if self.project.page_audience.get(p.path, "all") == "all"]

    def lesson_id(self, m: Module, lesson: Lesson) -> str:
        return anchor(m.id, lesson.slug)

    def document_html(self, doc: Document, *, offset: int, prefix: str, participant: bool = True) -> Markup:
        # Citations become numbered footnotes; `!!! timetable` blocks become the plan's tables.
        body = with_citations(doc.body, sources_of(module_of(self.project, doc), doc), facilitator=not participant)
        body = expand_timetables(body, self.project)
        body = edition_body(body, facilitator=not participant)  # the site's blocks and comments rule
        return Markup(self.md.block(body, DocContext(doc.path, doc.body_line, offset, prefix, self.anchors)))

    def references_html(self, m: Module) -> Markup:
        """A module's sources as a list (empty when it has none): the References sections."""
        lines = references_md(m)[2:]
        return self._md_filter("\n".join(lines)) if lines else Markup("")

    def timetables_html(self, offset: int = 2) -> list[tuple[str, Markup]]:
        """Each session plan of course.yaml as (title, HTML tables)."""
        out = []
        for plan in self.project.course.timetable:
            lines = ([" ".join(plan.summary.split()), ""] if plan.summary else []) + timetable_md(
                self.project, plan, heading=None)
            out.append((plan.title, self._md_filter("\n".join(lines), offset)))
        return out

    def facilitator_notes(self, lesson: Lesson) -> list[tuple[str | None, Markup]]:
        """The `!!! facilitator` blocks of a lesson, as (title, HTML)."""
        lines = lesson.body.split("\n")
        out: list[tuple[str | None, Markup]] = []
        for b in find_blocks(lesson.body):
            if b.kind in FACILITATOR_KINDS:
                ctx = DocContext(lesson.path, lesson.body_line + b.start + 1, 3, anchor(lesson.slug, "fn"))
                out.append((facilitator_title(b.title), Markup(self.md.block("\n".join(b.lines(lines)), ctx))))
        return out

    def diagnostics(self) -> list[Diagnostic]:
        return [diag(PRINT_PROBLEM[p.code], Where(p.path, p.line, 1), p.message) for p in self.md.problems]

    # -- documents --------------------------------------------------------------------------

    def html(self, spec: DocSpec) -> str:
        """The complete HTML document for `spec`."""
        # Kept per volume, so each dict lives as long as the converter's cache keyed on it.
        self.anchors = self._volume_anchors.setdefault(spec.modules, self._anchors(spec.modules))
        ctx = self._common(spec)
        ctx.update(getattr(self, f"_context_{spec.kind.replace('-', '_')}")(spec))
        template = {"answers": "quiz.html.j2", "form": "quiz.html.j2", "form-answers": "quiz.html.j2"}.get(
            spec.kind, f"{spec.kind}.html.j2")
        return mark_long_words(self.env.get_template(template).render(**ctx))

    def footer(self, spec: DocSpec) -> str:
        c = self.project.course
        edition = edition_title(self.project, self.opts)
        return f"{c.title}{f' · {edition}' if edition else ''} · version {c.version}"

    def _common(self, spec: DocSpec) -> dict[str, Any]:
        c = self.project.course
        return {"spec": spec, "course": c, "opts": self.opts, "region": self.region, "a": self,
                "authors": ", ".join(a.name for a in c.authors),
                "kind_labels": KIND_LABELS, "anchor": anchor, "paper": self.opts.paper,
                "edition_title": edition_title(self.project, self.opts)}

    def _context_workbook(self, spec: DocSpec) -> dict[str, Any]:
        on_forms = form_source.form_question_ids(self.project)
        modules = []
        for m in self.project.modules:
            if spec.modules and m.id not in spec.modules:
                continue
            after, closing = place_activities(m)
            scen = {s.id: s for s in m.quiz.scenarios} if m.quiz else {}
            self_check = [q for q in m.questions if q.id not in on_forms]
            modules.append({
                "m": m, "id": anchor(m.id), "after": after, "closing": closing,
                "questions": paper_questions(self_check, scen, self._md_filter, self._inline_filter),
                "refs": self.references_html(m),
            })
        glossary = sorted(self.project.glossary.terms, key=lambda t: t.term.casefold())
        return {"modules": modules, "pages": self.participant_pages(), "glossary": glossary}

    def _context_handout(self, spec: DocSpec) -> dict[str, Any]:
        m = self._module(spec.module)
        return {"m": m, "worksheet": pick_worksheet(m.data.activities)}

    def _context_facilitator(self, spec: DocSpec) -> dict[str, Any]:
        modules = []
        for m in self.project.modules:
            scen = {s.id: s for s in m.quiz.scenarios} if m.quiz else {}
            materials = sorted({x for act in m.data.activities for x in act.materials}, key=str.casefold)
            modules.append({"m": m, "id": anchor(m.id), "plan": session_plan(m), "materials": materials,
                            "key": paper_questions(m.questions, scen, self._md_filter, self._inline_filter),
                            "refs": self.references_html(m)})
        return {"modules": modules, "safety": self._safety_sections(),
                "total_minutes": sum(m.data.duration for m in self.project.modules)}

    def _context_quiz(self, spec: DocSpec) -> dict[str, Any]:
        m = self._module(spec.module)
        scen = {s.id: s for s in m.quiz.scenarios} if m.quiz else {}
        return {"heading": f"Module {m.number} quiz: {m.title}", "answers": spec.kind == "answers",
                "questions": paper_questions(m.questions, scen, self._md_filter, self._inline_filter),
                "intro": None}

    _context_answers = _context_quiz

    def _context_form(self, spec: DocSpec) -> dict[str, Any]:
        form = next(f for f in self.project.forms.forms if f.id == spec.form) if self.project.forms else None
        assert form is not None
        drawn = form_source.draw(self.project, spec.form, spec.variant)
        scen = drawn.scenarios or form_source.all_scenarios(self.project)
        return {"heading": f"{form.title}: variant {spec.variant}", "answers": spec.kind == "form-answers",
                "questions": paper_questions(drawn.questions, scen, self._md_filter, self._inline_filter,
                                             drawn.orders),
                "intro": form.description}

    _context_form_answers = _context_form

    def _context_card(self, spec: DocSpec) -> dict[str, Any]:
        region = self.project.resources.regions[spec.region]
        # On a card 54 mm tall every line counts: phone and text contacts first, then the rest.
        # Lines for everyone come in full; lines for a group (young people, LGBTQ+ people,
        # Indigenous peoples) follow under the group's name with one contact each. A line that
        # rests on secondary sources is starred, and the foot says what the star means.
        lines: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        crisis = crisis_lines(region)
        for key, heading, group in crisis.groups():
            rows: list[dict[str, Any]] = []
            for r in group:
                contacts = [c for c in r.contacts if c.kind in ("call", "text")] or list(r.contacts[:1])
                rows.append({"name": r.name, "contacts": contacts[:3] if key == "everyone" else contacts[:1],
                             "hours": r.hours, "star": not r.checked})
            if key == "everyone":
                lines = rows
            else:
                groups.append({"heading": heading, "lines": rows})
        size = sum(1 + len(x["contacts"]) for x in lines) + sum(1 + len(g["lines"]) for g in groups)
        return {"card_region": region, "crisis": lines, "groups": groups, "sheet": card_sheet(self.opts.paper),
                "dense": size > 7, "footnote": card_footnote(line.resource for line in crisis.lines)}

    def _context_certificate(self, spec: DocSpec) -> dict[str, Any]:
        return {"modules": self.project.modules}

    # -- pieces -------------------------------------------------------------------------------

    def _module(self, module_id: str) -> Module:
        m = self.project.module(module_id)
        assert m is not None, module_id
        return m

    def _safety_sections(self) -> list[Markup]:
        """Sections of the course pages about the safety protocol, as h2 sections."""
        out = []
        for page in self.project.pages:
            lines = page.body.split("\n")
            for i, line in enumerate(lines):
                m = re.match(r"^(#{2,6})\s+(.*)$", line)
                if not m or not _SAFETY_HEADING.search(m.group(2)):
                    continue
                level = len(m.group(1))
                end = next((j for j in range(i + 1, len(lines))
                            if (h := re.match(r"^(#{1,6})\s", lines[j])) and len(h.group(1)) <= level), len(lines))
                ctx = DocContext(page.path, page.body_line + i, 2 - level, anchor("safety", page.slug))
                out.append(Markup(self.md.block("\n".join(lines[i:end]), ctx)))
        return out


# A word this long may not fit a narrow table column or even a line: only such words may break
# anywhere. `overflow-wrap` on every cell and paragraph made WeasyPrint treat every character
# as a possible break when it measured table columns (about a tenth of the layout time).
# Text is unchanged; table columns now share the width by whole words, so a few columns are a
# little wider or narrower than before (and a header such as "Module" is no longer split
# into "Mo/dul/e").
LONG_WORD = re.compile(r"[^\s<>]{20,}")


_LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)


def mark_long_words(html: str) -> str:
    """Wrap every word of 20 characters or more in the body text in `<span class="long">`
    (print.css lets only those break anywhere). Text inside a link is left alone: a span
    inside `<a>` gives WeasyPrint link annotations outside the Link structure element (a
    PDF/UA failure), and print.css lets links break anywhere instead."""
    body = html.find("<body")
    if body < 0:
        return html

    def text(m: re.Match[str]) -> str:
        return ">" + LONG_WORD.sub(lambda w: f'<span class="long">{w.group(0)}</span>', m.group(1)) + "<"

    def outside_links(part: str) -> str:
        return re.sub(r">([^<]+)<", text, part)

    rest, out, pos = html[body:], [], 0
    for link in _LINK.finditer(rest):
        # Text next to a link is delimited by the link's own '<' and '>': the pieces outside
        # keep them, so that text before and after the link is matched as text.
        out.append(outside_links(rest[pos:link.start() + 1]))
        out.append(link.group(0)[1:-1])
        pos = link.end() - 1
    out.append(outside_links(rest[pos:]))
    return html[:body] + "".join(out)


CARD_W, CARD_H = 85.6, 54.0  # ISO/IEC 7810 ID-1, the size of a bank card
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def card_sheet(paper: str, cols: int = 2, rows: int = 4) -> dict[str, Any]:
    """Card positions and cut marks (mm) on one sheet: a centred grid, so that the backs
    line up with the fronts whichever edge the printer flips on."""
    w, h = PAPER_MM[paper]
    x0, y0 = (w - cols * CARD_W) / 2, (h - rows * CARD_H) / 2
    cards = [(round(x0 + c * CARD_W, 2), round(y0 + r * CARD_H, 2)) for r in range(rows) for c in range(cols)]
    gap, length, weight = 2.0, 6.0, 0.25
    marks = []
    for c in range(cols + 1):
        x = x0 + c * CARD_W - weight / 2
        marks.append((x, y0 - gap - length, weight, length))
        marks.append((x, y0 + rows * CARD_H + gap, weight, length))
    for r in range(rows + 1):
        y = y0 + r * CARD_H - weight / 2
        marks.append((x0 - gap - length, y, length, weight))
        marks.append((x0 + cols * CARD_W + gap, y, length, weight))
    return {"width": w, "height": h, "top": y0, "left": x0, "cards": cards,
            "marks": [tuple(round(v, 2) for v in m) for m in marks], "bottom": y0 + rows * CARD_H}


def pick_worksheet(activities: list[Activity]) -> Activity | None:
    """The activity a handout prints: a worksheet, else a reflection, else any with prompts."""
    for kinds in (("worksheet",), ("reflection",), ("discussion", "role-play")):
        for act in activities:
            if act.kind in kinds and (act.prompts or act.kind == "worksheet"):
                return act
    return None
