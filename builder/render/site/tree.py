"""The site as data: every Markdown page and the navigation, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.model.project import Document
from builder.render.site.assets import linked_files
from builder.render.site.context import SiteContext, SitePage, module_pages
from builder.render.site.module import module_title, render_module
from builder.render.site.pages import (
    START_PAGES,
    render_about,
    render_course_page,
    render_downloads,
    render_glossary,
    render_help,
    render_home,
)
from builder.render.site.quiz import render_quiz_page
from builder.render.site.text import theme_text

# Nav titles go through theme_text: mkdocs-material prints them without escaping.
NavItem = dict[str, Any]


@dataclass
class SiteTree:
    pages: list[SitePage]
    nav: list[NavItem]
    assets: dict[str, Path] = field(default_factory=dict)  # tree path -> media file the pages link to

    def files(self) -> dict[str, str]:
        return {p.path: p.markdown for p in self.pages}


def visible_pages(ctx: SiteContext) -> tuple[list[Document], list[Document]]:
    """The course pages this edition shows, split into pages for everyone and pages for
    organisers and facilitators. Organiser pages are in both editions (they hold nothing
    secret); facilitator pages only in the facilitator edition."""
    everyone, organisers = [], []
    for doc in ctx.project.pages:
        audience = ctx.project.page_audience.get(doc.path, "all")
        if audience == "all":
            everyone.append(doc)
        elif audience == "organiser" or ctx.facilitator:
            organisers.append(doc)
    return everyone, organisers


def plan_site(ctx: SiteContext) -> SiteTree:
    everyone, organisers = visible_pages(ctx)
    start = [d for d in everyone if d.slug in START_PAGES]
    pages: list[SitePage] = [render_home(ctx, start)]
    nav: list[NavItem] = [{"Home": "index.md"}]

    course_pages = [render_course_page(ctx, d) for d in everyone]
    pages += course_pages
    if course_pages:
        nav.append({"Start here": [{theme_text(p.title): p.path} for p in course_pages]})

    module_nav: list[NavItem] = []
    for m in ctx.project.modules:
        mpages = render_module(ctx, m)
        quiz = render_quiz_page(ctx, m)
        if quiz is not None:
            # The quiz comes after key points, before the next module.
            mpages.append(quiz)
        pages += mpages
        # With navigation.indexes the overview (index.md) is the section's own page.
        module_nav.append({theme_text(module_title(m)): [
            p.path if p.path == module_pages(m)["overview"] else {theme_text(p.title): p.path} for p in mpages]})
    if module_nav:
        nav.append({"Modules": module_nav})

    organiser_pages = [render_course_page(ctx, d) for d in organisers]
    pages += organiser_pages
    if organiser_pages:
        section = "For organisers and facilitators" if ctx.facilitator else "For organisers"
        nav.append({section: [{theme_text(p.title): p.path} for p in organiser_pages]})

    for page in (render_glossary(ctx), render_help(ctx), render_downloads(ctx), render_about(ctx)):
        pages.append(page)
        nav.append({theme_text(page.title): page.path})
    lessons = [lesson for m in ctx.project.modules for lesson in m.lessons]
    return SiteTree(pages, nav, linked_files(ctx.project, [*everyone, *organisers, *lessons]))
