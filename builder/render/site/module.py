"""A module's pages: overview (objectives, time, agenda, handout), lessons, activities, key points."""

from __future__ import annotations

import html

import yaml

from builder.model.project import Lesson, Module
from builder.model.schema import Activity, FacilitatorNotes
from builder.render.site.context import (
    HELP,
    SiteContext,
    SitePage,
    handout_for,
    lesson_page,
    module_pages,
)
from builder.render.site.text import duration, md_text, render_body
from builder.render.sources import references_md, sources_of, with_citations

ACTIVITY_KINDS = {"role-play": "Role-play", "discussion": "Discussion", "reflection": "Reflection",
                  "worksheet": "Worksheet"}


def module_title(module: Module) -> str:
    return f"Module {module.number}: {module.title}"


def activity_anchor(activity: Activity) -> str:
    return activity.id.lower().replace(".", "-")


def front_matter(**meta: str | None) -> str:
    """YAML front matter for a generated page (only the keys that have a value). The theme
    puts `description` into an attribute without escaping it, so it is escaped here."""
    data = {k: html.escape(" ".join(v.split()), quote=True) for k, v in meta.items() if v}
    if not data:
        return ""
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=1000) + "---\n\n"


def render_module(ctx: SiteContext, module: Module) -> list[SitePage]:
    """Every page of one module, in reading order."""
    paths = module_pages(module)
    pages = [SitePage(paths["overview"], "Overview", _render_overview(ctx, module), module.path)]
    for i, lesson in enumerate(module.lessons, 1):
        pages.append(SitePage(lesson_page(module, lesson.stem), lesson.title,
                              _render_lesson(ctx, module, lesson, i), lesson.path))
    if module.data.activities:
        pages.append(SitePage(paths["activities"], "Activities", _render_activities(ctx, module), module.path))
    if module.data.key_points:
        pages.append(SitePage(paths["key_points"], "Key points", _render_key_points(ctx, module), module.path))
    return pages


def _render_overview(ctx: SiteContext, module: Module) -> str:
    page = module_pages(module)["overview"]
    data = module.data
    out = [front_matter(description=data.summary), f"# {md_text(module_title(module))}", "",
           data.summary.strip(), "",
           f"**Time:** about {duration(data.duration)} · **Lessons:** {len(module.lessons)}"
           + (f" · **Activities:** {len(data.activities)}" if data.activities else ""), "",
           "## What you will learn", "", "By the end of this module you will be able to:", ""]
    out += [f"- {md_text(o.text)}" for o in data.objectives]
    out += ["", "## Agenda", "", "| Part | What | Time |", "| --- | --- | --- |"]
    for i, lesson in enumerate(module.lessons, 1):
        link = ctx.link(page, lesson_page(module, lesson.stem))
        out.append(f"| Lesson {i} | [{md_text(lesson.title)}]({link}) | {duration(lesson.meta.duration)} |")
    for activity in data.activities:
        link = f"{ctx.link(page, module_pages(module)['activities'])}#{activity_anchor(activity)}"
        kind = ACTIVITY_KINDS.get(activity.kind, activity.kind)
        out.append(f"| {kind} | [{md_text(activity.title)}]({link}) | {duration(activity.duration)} |")
    if data.key_points:
        out.append(f"| Summary | [Key points]({ctx.link(page, module_pages(module)['key_points'])}) | |")
    if ctx.self_check(module):
        out.append(f"| Self-check | [Self-check quiz]({ctx.link(page, module_pages(module)['quiz'])}) | |")
    out += [f"| | **Whole module** | **{duration(data.duration)}** |", ""]
    handout = handout_for(module, ctx.artifacts)
    if handout is not None:
        href = ctx.raw_href(page, handout.path)
        out += ["## Handout", "",
                f'<a class="md-button" href="{href}" download>Download the module handout (PDF)</a>', ""]
        if handout.description:
            out += [md_text(handout.description), ""]
    if ctx.facilitator:
        out += _render_facilitator_notes(data.facilitator_notes)
        out += references_md(module)  # the sources behind the module's facts (facilitator edition)
    return "\n".join(out)


def _render_facilitator_notes(notes: FacilitatorNotes) -> list[str]:
    sections = [("Preparation", notes.preparation), ("Timing", notes.timing),
                ("Sensitive moments", notes.sensitive_moments),
                ("If someone discloses distress", notes.disclosure)]
    adapt = notes.adaptations
    settings = [("In a school", adapt.school), ("At work", adapt.workplace),
                ("In a community group", adapt.community), ("Online", adapt.online)]
    if not any(text for _, text in sections + settings):
        return []
    out = ["## Facilitator notes", ""]
    for title, text in sections:
        if text:
            out += [f'!!! facilitator "{title}"', _indent(text.strip()), ""]
    if any(text for _, text in settings):
        out += ['!!! facilitator "Adapting this module"']
        for title, text in settings:
            if text:
                out += [f"    **{title}:** {' '.join(text.split())}", ""]
    return out


def _render_lesson(ctx: SiteContext, module: Module, lesson: Lesson, number: int) -> str:
    page = lesson_page(module, lesson.stem)
    objectives = [o for o in (ctx.project.objective(i) for i in lesson.meta.objectives) if o]
    out = [front_matter(description=lesson.meta.summary), f"# {md_text(lesson.title)}", "",
           (f"Lesson {number} of {len(module.lessons)} in {md_text(module_title(module))}"
            f" · about {duration(lesson.meta.duration)}"), "{ .course-meta }", ""]
    if objectives:
        out += ["In this lesson you will learn to:", ""]
        out += [f"- {md_text(o.text[:1].lower() + o.text[1:])}" for o in objectives]
        out += [""]
    body = with_citations(lesson.body, sources_of(module, lesson), facilitator=ctx.facilitator)
    out.append(render_body(body, facilitator=ctx.facilitator, region=ctx.region,
                           help_link=ctx.link(page, HELP)))
    return "\n".join(out)


def _render_activities(ctx: SiteContext, module: Module) -> str:
    out = [f"# Activities: {md_text(module.title)}", ""]
    for activity in module.data.activities:
        kind = ACTIVITY_KINDS.get(activity.kind, activity.kind)
        out += [f"## {md_text(activity.title)} {{ #{activity_anchor(activity)} }}", "",
                f"{kind} · about {duration(activity.duration)}", "{ .course-meta }", "",
                activity.instructions.strip(), ""]
        if activity.scenario:
            out += ['!!! scenario "The situation"', _indent(activity.scenario.strip()), ""]
        out += _list_section("Roles", activity.roles)
        out += _list_section("What you need", activity.materials)
        out += _list_section("Observer checklist", activity.observer_checklist)
        out += _list_section("Questions to talk or write about", activity.prompts)
    return "\n".join(out)


def _render_key_points(ctx: SiteContext, module: Module) -> str:
    out = [f"# Key points: {md_text(module.title)}", "", '!!! key-points "Remember"']
    out += [f"    - {md_text(p)}" for p in module.data.key_points]
    return "\n".join(out + [""])


def _list_section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"**{title}**", "", *[f"- {md_text(i)}" for i in items], ""]


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))
