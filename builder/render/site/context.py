"""What every page renderer needs to know about one build of the site."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from builder.model.forms import form_question_ids
from builder.model.project import Module, Project
from builder.model.schema import Question, Region
from builder.render import Artifact, BuildOptions
from builder.render.site.text import Abbreviations, abbreviations, relative

# Generated pages with fixed paths (relative to the docs folder). Lessons and course pages
# keep their project paths (modules/<folder>/<stem>.md, curriculum/pages/<name>.md), so the
# relative links and images an author writes work on the site as in the source tree.
HOME = "index.md"
GLOSSARY = "glossary.md"
HELP = "help.md"
DOWNLOADS = "downloads.md"
ABOUT = "about.md"


@dataclass
class SitePage:
    """One Markdown page of the generated tree."""

    path: str  # relative to the docs folder, POSIX style
    title: str  # the title in the navigation
    markdown: str
    source: str | None = None  # the project file it came from, for diagnostics


@dataclass
class SiteContext:
    project: Project
    opts: BuildOptions
    artifacts: list[Artifact]
    directory_urls: bool
    abbr: Abbreviations = field(init=False)
    on_forms: frozenset[str] = field(init=False)  # question ids some assessment form draws

    def __post_init__(self) -> None:
        self.abbr = abbreviations(self.project.glossary)
        self.on_forms = form_question_ids(self.project)
        if not self.opts.pdf:
            # No PDFs are written in this build (--no-pdf): link none.
            self.artifacts = [a for a in self.artifacts if a.kind != "pdf"]

    @property
    def facilitator(self) -> bool:
        return self.opts.audience == "facilitator"

    def self_check(self, module: Module) -> list[Question]:
        """The questions of a module's self-check page in this edition. A participant edition
        leaves out every question an assessment form draws (as the workbook does): the
        self-check shows its answers, and participants must never see a form's answers."""
        if self.facilitator:
            return list(module.questions)
        return [q for q in module.questions if q.id not in self.on_forms]

    @property
    def region(self) -> Region:
        return self.project.resources.regions[self.opts.region]

    def link(self, from_page: str, to_page: str) -> str:
        """A Markdown link target between two generated pages (MkDocs checks it)."""
        return relative(from_page, to_page)

    def raw_href(self, from_page: str, site_path: str) -> str:
        """An href for raw HTML from a page to a file of the built site (e.g. a PDF) that MkDocs
        does not know about: relative to the URL the page will have."""
        return posixpath.relpath(site_path, self.url_dir(from_page))

    def url_dir(self, page: str) -> str:
        """The folder of the built site a page's URL resolves relative links against."""
        stem = page[:-3]
        if self.directory_urls and posixpath.basename(stem) != "index":
            return stem
        return posixpath.dirname(stem) or "."


def module_dir(module: Module) -> str:
    return f"modules/{module.folder}"


def module_pages(module: Module) -> dict[str, str]:
    """Paths of a module's generated pages, by role."""
    base = module_dir(module)
    return {"overview": f"{base}/index.md", "activities": f"{base}/activities.md",
            "key_points": f"{base}/key-points.md", "quiz": f"{base}/quiz.md"}


def lesson_page(module: Module, stem: str) -> str:
    return f"{module_dir(module)}/{stem}.md"


def handout_for(module: Module, artifacts: list[Artifact]) -> Artifact | None:
    """The module's handout among the planned artifacts: the one whose role is "handout" and
    whose module is this module's id."""
    for a in sorted(artifacts, key=lambda a: a.path):
        if a.role == "handout" and a.module == module.id:
            return a
    return None
