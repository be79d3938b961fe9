"""Course-wide pages: home, the course's own pages, glossary, help, downloads and about."""

from __future__ import annotations

import posixpath
import re

from builder.diff.changelog import version_section
from builder.model.blocks import find_blocks
from builder.model.project import Document
from builder.model.schema import Region
from builder.render import Artifact, edition_title
from builder.render.crisis import crisis_lines
from builder.render.site.context import (
    ABOUT,
    DOWNLOADS,
    GLOSSARY,
    HELP,
    HOME,
    SiteContext,
    SitePage,
    module_pages,
)
from builder.render.site.module import front_matter, module_title
from builder.render.site.text import attr, contact_md, duration, inline_html, md_text, render_body
from builder.render.sources import expand_timetables, sources_of, with_citations

# Course pages the home page points to in "Before you start", by file-name slug.
START_PAGES = ("welcome", "course-overview", "ground-rules", "content-note")

LICENCES = {
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-NC-SA-4.0": ("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
                        "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
}

# Where organisers find the LMS files (they hold every answer, so only the facilitator build
# writes them: builder.render.quiz.EXPORT_AUDIENCES).
LMS_PARTICIPANT_NOTE = (
    "Quiz files for learning platforms (Moodle, Canvas, Blackboard, Brightspace and others) hold "
    "the answers, so this participant edition does not include them. Organisers and facilitators "
    "get them from the facilitator edition of the course (`course build --audience facilitator`), "
    "on its Downloads page, together with the facilitator guide and the printable assessment forms.")
LMS_FACILITATOR_NOTE = ("These files hold the answers to every question: load them into your learning "
                        "platform, and do not share them with participants.")

# The whole course as LMS packages (builder.render.lms, role "lms-package"): which to use where.
LMS_PACKAGE_ROLE = "lms-package"
LMS_PACKAGES_GUIDE = (
    "Each package holds every module's pages, activities, key points and self-check quiz, and reports "
    "each learner's progress, quiz score and completion to your platform. Which one to load:",
    "",
    "| Your platform | Load this package | Notes |",
    "| --- | --- | --- |",
    "| Moodle | SCORM 1.2 (`-scorm12.zip`) as a SCORM package activity | Or the Common Cartridge "
    "(`-course.imscc`) through *Restore*/*Import* for pages and quizzes without tracking. |",
    "| Canvas | Common Cartridge (`-course.imscc`) through *Import Course Content* | Canvas tracks SCORM "
    "only with its SCORM app; if yours has it, use SCORM 1.2. |",
    "| Blackboard | SCORM 2004 (`-scorm2004.zip`) as a SCORM package | SCORM 1.2 works too. |",
    "| Brightspace (D2L) | SCORM 2004 (`-scorm2004.zip`) in *Content* | SCORM 1.2 works too. |",
    "| TalentLMS | SCORM 1.2 (`-scorm12.zip`) as a SCORM unit | Or cmi5 (`-cmi5.zip`). |",
    "| Cornerstone | SCORM 2004 (`-scorm2004.zip`) as online course content | Or cmi5 (`-cmi5.zip`). |",
    "| Another platform | SCORM 1.2: almost every platform imports it | cmi5 where xAPI is used. |",
    "",
    "These packages are for organisers: the Common Cartridge holds the quizzes' answers. Learners see "
    "only the participant pages. A module counts as complete by the rule in `completion:` of the "
    "course file; nothing about a learner's answers is sent, only progress, the score and the status.",
)

ARTIFACT_GROUPS = (("pdf", "Printable documents (PDF)"), ("quiz", "Quiz banks for learning platforms"),
                   ("page", "Pages"), ("other", "Other files"))


def page_path(doc: Document) -> str:
    """Where a course page goes: where it is in the project (curriculum/pages/welcome.md), so
    the relative links an author writes work on the site as they do in the source tree."""
    return doc.path


def render_course_page(ctx: SiteContext, doc: Document) -> SitePage:
    path = page_path(doc)
    # Citations become numbered footnotes; `!!! timetable` blocks become the plan's tables.
    source = expand_timetables(with_citations(doc.body, sources_of(None, doc), facilitator=ctx.facilitator),
                               ctx.project)
    body = render_body(source, facilitator=ctx.facilitator, region=ctx.region,
                       help_link=ctx.link(path, HELP))
    md = f"{front_matter(description=doc.meta.summary)}# {md_text(doc.title)}\n\n{body}"
    return SitePage(path, doc.title, md, doc.path)


def render_home(ctx: SiteContext, start: list[Document]) -> SitePage:
    course = ctx.project.course
    out = [front_matter(description=course.summary), f"# {md_text(course.title)}", ""]
    if course.subtitle:
        out += [md_text(course.subtitle), "{ .course-lead }", ""]
    out += [course.summary.strip(), ""]
    note = _content_note(start)
    if note is not None:
        doc, text = note
        out += ['!!! content-note "Content note"', *("    " + ln if ln else "" for ln in text.split("\n")), "",
                f"    [Read the full content note]({ctx.link(HOME, page_path(doc))})", ""]
    out += ["## Who it is for", "", " ".join(course.audience.split()), "",
            "## What you will learn", ""]
    out += [f"- {md_text(o)}" for o in course.outcomes]
    out += ["", "## How to use this course", "",
            ("Work through the modules in order. Each module has an overview, short lessons, activities, "
            "key points and a self-check quiz. Words with a dotted underline are in the "
            f"[glossary]({ctx.link(HOME, GLOSSARY)}): point at them or move to them with the Tab key "
            "to see what they mean. Printable handouts and other files are on the "
            f"[downloads page]({ctx.link(HOME, DOWNLOADS)})."), "",
            (f"If you need support, the **Get help now** link at the top of every page lists crisis lines "
            f"for {md_text(ctx.region.place_name)}."), ""]
    if start:
        out += ["## Before you start", "", '<div class="grid cards" markdown>', ""]
        for doc in start:
            out += [f"-   **[{md_text(doc.title)}]({ctx.link(HOME, page_path(doc))})**", ""]
            if doc.meta.summary:
                out += [f"    {md_text(doc.meta.summary)}", ""]
        out += ["</div>", ""]
    out += ["## Modules", "", '<div class="grid cards" markdown>', ""]
    for m in ctx.project.modules:
        link = ctx.link(HOME, module_pages(m)["overview"])
        lessons = f"{len(m.lessons)} lesson" + ("" if len(m.lessons) == 1 else "s")
        out += [f"-   **[{md_text(module_title(m))}]({link})**", "",
                f"    {' '.join(m.data.summary.split())}", "",
                f"    About {duration(m.data.duration)} · {lessons}", "    { .course-meta }", ""]
    out += ["</div>", ""]
    ground = next((d for d in start if d.slug == "ground-rules"), None)
    if ground is not None:
        rules = [re.sub(r"^\d+\.\s*", "", h) for h in re.findall(r"^###\s+(.+?)\s*$", ground.body, re.MULTILINE)]
        out += ["## Ground rules", ""]
        if rules:
            out += ["We agree these together at the start of the course:", ""]
            out += [f"1. {md_text(r)}" for r in rules]
            out += [""]
        out += [f"[Read the ground rules in full]({ctx.link(HOME, page_path(ground))})", ""]
    return SitePage(HOME, "Home", "\n".join(out), "curriculum/course.yaml")


def _content_note(start: list[Document]) -> tuple[Document, str] | None:
    """The first `content-note` block of the course's content note page, if there is one."""
    doc = next((d for d in start if d.slug == "content-note"), None)
    if doc is None:
        return None
    lines = doc.body.split("\n")
    for block in find_blocks(doc.body):
        if block.kind == "content-note":
            return doc, "\n".join(block.lines(lines)).strip()
    return None


def render_glossary(ctx: SiteContext) -> SitePage:
    terms = sorted(ctx.project.glossary.terms, key=lambda t: t.term.lower())
    ids = {t.term.lower(): _term_id(t.term) for t in terms}
    out = ["# Glossary", "", ("Plain-language meanings of the words this course uses. Across the site, "
           "these words have a dotted underline: point at one, or move to it with the Tab key, to see "
           "its meaning."), ""]
    if not terms:
        return SitePage(GLOSSARY, "Glossary", "\n".join(out + ["There are no terms yet.", ""]),
                        "curriculum/glossary.yaml")
    items = []
    for t in terms:
        extra = ""
        if t.aliases:
            extra += f'<p class="course-glossary__also">Also: {", ".join(attr(a) for a in t.aliases)}</p>'
        if t.see:
            links = ", ".join(f'<a href="#{ids[s.lower()]}">{attr(s)}</a>' if s.lower() in ids else attr(s)
                              for s in t.see)
            extra += f'<p class="course-glossary__see">See also: {links}</p>'
        items.append(f'<dt id="{_term_id(t.term)}">{attr(t.term)}</dt>'
                     f"<dd><p>{inline_html(t.definition)}</p>{extra}</dd>")
    out += ['<dl class="course-glossary">', *items, "</dl>", ""]
    return SitePage(GLOSSARY, "Glossary", "\n".join(out), "curriculum/glossary.yaml")


def _term_id(term: str) -> str:
    return "term-" + (re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-") or "x")


def render_help(ctx: SiteContext) -> SitePage:
    region = ctx.region
    emergency = re.sub(r"[^0-9+]", "", region.emergency)
    out = ["# Get help now", "",
           (f"Support and crisis lines in {md_text(region.place_name)}. You do not have to be in crisis to "
           "contact them, and you can contact them for someone else."), "",
           '!!! help "If a life is in danger"',
           f"    Call **[{md_text(region.emergency)}](tel:{emergency})** now."
           + (f" {md_text(region.emergency_notes)}" if region.emergency_notes else ""), ""]
    out += help_lines_md(region)
    out += ["## If you are somewhere else", "",
            (f"This copy of the course lists services in {md_text(region.place_name)}. If you are in another "
            "country, call your local emergency number (for example 911, 999, 112 or 000) if a life is in "
            "danger, and ask your facilitator for local crisis lines."), ""]
    return SitePage(HELP, "Get help now", "\n".join(out), "curriculum/resources.yaml")


def help_lines_md(region: Region) -> list[str]:
    """The help page's lines, grouped by who they are for (crisis lines first in each group),
    each with its honest date: "Checked on the service's website on ..." only for a check on
    the service's own page, "Last reviewed ... from secondary sources" otherwise."""
    out: list[str] = []
    for key, heading, group in crisis_lines(region, crisis_only=False).groups():
        crisis = [x for x in group if x.resource.crisis]
        other = [x for x in group if not x.resource.crisis]
        sections = ((("Crisis lines", crisis), ("More support", other)) if key == "everyone"
                    else ((heading, crisis + other),))
        for title, entries in sections:
            if not entries:
                continue
            out += [f"## {title}", ""]
            for line in entries:
                res = line.resource
                out += [f"### {md_text(line.name)}", "", *[f"- {contact_md(c)}" for c in line.contacts], "",
                        f"**When:** {md_text(res.hours)}  ", f"**For:** {md_text(res.who_for)}"]
                if res.languages:
                    out[-1] += "  "
                    out.append(f"**Languages:** {md_text(', '.join(res.languages))}")
                out += [""]
                if res.notes:
                    out += [md_text(res.notes), ""]
                note = md_text(line.note)
                if res.source and res.source.startswith("https://"):
                    note += f" [{md_text(res.name)} website]({res.source})"
                cls = "course-meta" if line.checked else "course-meta course-meta--secondary"
                out += [note, f"{{ .{cls.replace(' ', ' .')} }}", ""]
    return out


def render_downloads(ctx: SiteContext) -> SitePage:
    out = ["# Downloads", "",
           ("Files to print or to load into a learning platform. They are made from the same "
           "source as this site."), ""]
    artifacts = sorted(ctx.artifacts, key=lambda a: (a.path, a.title))
    if not artifacts:
        out += ["There are no files to download in this build.", ""]
    for kind, title in ARTIFACT_GROUPS:
        group = [a for a in artifacts if a.kind == kind and a.role != LMS_PACKAGE_ROLE]
        if group:
            out += [f"## {title}", "", '<ul class="course-downloads">',
                    *(_render_artifact(ctx, a) for a in group), "</ul>", ""]
            if kind == "quiz":
                out += [LMS_FACILITATOR_NOTE, ""]
    packages = [a for a in artifacts if a.role == LMS_PACKAGE_ROLE]
    if packages:
        out += ["## The whole course for your learning platform", "", '<ul class="course-downloads">',
                *(_render_artifact(ctx, a) for a in packages), "</ul>", "", *LMS_PACKAGES_GUIDE, ""]
    if not ctx.facilitator:
        out += ["## Quiz files for learning platforms", "", LMS_PARTICIPANT_NOTE, ""]
    return SitePage(DOWNLOADS, "Downloads", "\n".join(out), "curriculum/course.yaml")


def _render_artifact(ctx: SiteContext, a: Artifact) -> str:
    # Raw HTML: the files are written after MkDocs runs, so MkDocs cannot check these links
    # (the site tests do).
    href = ctx.raw_href(DOWNLOADS, a.path)
    # The file name tells apart files with the same title (a bank per module, forms A and B).
    name = f' <span class="course-downloads__type">({attr(posixpath.basename(a.path))})</span>'
    return (f'<li><a href="{attr(href)}">{attr(a.title)}</a>{name}'
            f'<br><span class="course-downloads__desc">{attr(a.description)}</span></li>')


def render_about(ctx: SiteContext) -> SitePage:
    course, opts = ctx.project.course, ctx.opts
    name, url = LICENCES.get(course.license, (course.license, None))
    licence = f"[{md_text(name)}]({url})" if url else md_text(name)
    edition = "Facilitator edition" if ctx.facilitator else "Participant edition"
    setting = edition_title(ctx.project, opts)
    if setting:
        edition = f"{md_text(setting)}, {edition[0].lower()}{edition[1:]}"
    authors = ", ".join(md_text(a.name) + (f" ({md_text(a.role)})" if a.role else "") for a in course.authors)
    rows = [("Course", md_text(course.title)), ("Version", md_text(course.version)),
            ("Edition", f"{edition}, region: {md_text(ctx.region.name)}"),
            ("Built on", opts.build_date or "unknown"),
            ("Source revision", f"`{opts.revision}`" if opts.revision else "unknown"),
            ("Authors", authors), ("Licence", licence)]
    out = ["# About this course", ""]
    for key, value in rows:
        out += [key, f":   {value}", ""]
    out += [
           "You may share and adapt the course under the terms of its licence.", "",
           ("Peer supporters help alongside professionals and never replace them. If you are worried "
           f"about yourself or someone else, see [Get help now]({ctx.link(ABOUT, HELP)})."), ""]
    # This version's entry of CHANGELOG.md (`course diff --changelog`); participants get only
    # the part without quiz items, answers or facilitator pages (builder.diff.changelog).
    changes = version_section(ctx.project.root, course.version, ctx.facilitator)
    if changes:
        out += [f"## What changed in version {md_text(course.version)}", "", changes, ""]
    return SitePage(ABOUT, "About", "\n".join(out), "curriculum/course.yaml")
