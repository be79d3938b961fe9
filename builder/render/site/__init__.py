"""The course site: the model rendered to Markdown, then built by MkDocs + mkdocs-material.

`render_site(project, out_root, opts, artifacts)` writes a plain Markdown tree and a generated
`mkdocs.yml` (the repository's mkdocs.yml plus nav and paths) into
`<root>/.build/site-src-<audience>-<region>/`, then runs MkDocs as a library, strict, into
`out_root`. See docs/site.md.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.diagnostics import diag
from builder.model.project import Project
from builder.model.where import Where
from builder.render import Artifact, BuildOptions, RenderError
from builder.render.site.config import (
    SITE_SETUP,
    BuildFolder,
    build_folder,
    directory_urls,
    load_base_config,
    run_mkdocs,
    write_build_folder,
)
from builder.render.site.context import SiteContext
from builder.render.site.tree import SiteTree, plan_site

__all__ = ["BuildFolder", "SiteTree", "prepare_site", "render_site", "run_mkdocs"]


def render_site(project: Project, out_root: Path, opts: BuildOptions, artifacts: list[Artifact]) -> list[Artifact]:
    """Render the site into `out_root` (MkDocs empties it first) and return its HTML pages.

    `artifacts` are the files other renderers will write next to the site (PDFs, quiz
    exports): the Downloads page lists them and module overviews link their handouts.
    Raises RenderError for a broken link, a missing font package or any MkDocs warning.
    """
    with _locked(project, opts):
        folder, tree = prepare_site(project, opts, artifacts)
        run_mkdocs(folder, Path(out_root), strict=True)
    folders = directory_urls(load_base_config(project), opts)
    return [Artifact(path=_html_path(p.path, folders), title=p.title, description="", kind="page")
            for p in tree.pages]


def prepare_site(project: Project, opts: BuildOptions, artifacts: list[Artifact]) -> tuple[BuildFolder, SiteTree]:
    """Write the generated MkDocs project for this edition (without running MkDocs)."""
    if opts.region not in project.resources.regions:
        raise RenderError([diag(SITE_SETUP, Where("curriculum/resources.yaml"),
                                f"no region '{opts.region}' in resources.yaml",
                                f"use one of: {', '.join(sorted(project.resources.regions))}")])
    base = load_base_config(project)
    ctx = SiteContext(project, opts, list(artifacts), directory_urls=directory_urls(base, opts))
    tree = plan_site(ctx)
    return write_build_folder(project, opts, base, tree, ctx.abbr), tree


def _html_path(md_path: str, directory_urls: bool) -> str:
    stem = md_path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


@contextmanager
def _locked(project: Project, opts: BuildOptions) -> Iterator[None]:
    """One writer per build folder: two builds of the same edition wait for each other."""
    folder = build_folder(project, opts)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
