"""The course site: the model rendered to Markdown, then built by MkDocs + mkdocs-material.

`render_site(project, out_root, opts, artifacts)` writes a plain Markdown tree and a generated
`mkdocs.yml` (the repository's mkdocs.yml plus nav and paths) into
`<root>/.build/site-src-<audience>-<region>/`, then runs MkDocs as a library, strict, into
`out_root`. See docs/site.md.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.cache import cache_root, file_ids
from builder.diagnostics import diag
from builder.model.project import Project
from builder.model.where import Where
from builder.render import Artifact, BuildOptions, Renderer, RenderError, RenderJob, register
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
from builder.render.site.pagecache import PageCache, tool_versions
from builder.render.site.tree import SiteTree, plan_site
from builder.util import write_atomic

__all__ = ["BuildFolder", "PageCache", "SiteTree", "page_cache", "prepare_site", "render_site", "run_mkdocs"]


def render_site(project: Project, out_root: Path, opts: BuildOptions, artifacts: list[Artifact],
                reuse: Path | None = None, record: Path | None = None) -> list[Artifact]:
    """Render the site into `out_root` (MkDocs empties it first) and return its HTML pages.

    `artifacts` are the files other renderers will write next to the site (PDFs, quiz
    exports): the Downloads page lists them and module overviews link their handouts.

    MkDocs always runs over the whole generated project (its `--dirty` mode gets search and
    navigation wrong), but with the page cache (`page_cache`, builder.render.site.pagecache):
    a page whose Markdown and frame (config, nav, theme, assets, page list) are unchanged is
    neither converted nor templated again, so after a one-lesson edit only that lesson's
    page (and pages whose Markdown the edit changed, such as its module overview) is rendered.

    With `reuse` (the previous build's output folder) and `record` (a file outside the
    project, see builder.cache), MkDocs runs only when the generated MkDocs project differs
    from the one recorded for `reuse`; otherwise the recorded pages are hard-linked into
    `out_root` (when MkDocs does run, `course build` itself keeps the files of unchanged
    pages: builder.build.keep_unchanged). The record pins every file by inode, size and
    modification time, so only files this machine's build wrote are ever reused, never
    files that came from elsewhere (a committed `site/`, say). Raises RenderError for a
    broken link, a missing font package or any MkDocs warning.
    """
    out_root = Path(out_root)
    with _locked(project, opts):
        folder, tree = prepare_site(project, opts, artifacts)
        key = source_key(folder)
        if reuse is None or record is None or not _reuse(reuse, out_root, key, record):
            run_mkdocs(folder, out_root, strict=True, pages=page_cache(project, folder))
        if record is not None:
            _write_record(record, key, out_root)
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


def source_key(folder: BuildFolder) -> str:
    """A hash of everything MkDocs reads: the generated project and the tools' versions."""
    return hashlib.sha256(f"{folder.digest}\0{tool_versions()}".encode()).hexdigest()


def page_cache(project: Project, folder: BuildFolder, name: str = "") -> PageCache:
    """The page cache of this edition, outside the project (see builder.cache). A cache keeps
    only the pages of its last build: `name` gives a use of its own (the preview) its own."""
    cache = cache_root(project.root)
    return PageCache.for_folder(cache / "site-pages" / (name or folder.root.name), folder, cache / "site-templates")


def _write_record(record: Path, key: str, out_root: Path) -> None:
    """Remember which files MkDocs wrote for `key` (renames keep inodes: valid after the swap)."""
    write_atomic(record, json.dumps({"key": key, "files": file_ids(out_root)}, sort_keys=True), best_effort=True)


def _reuse(previous: Path, out_root: Path, key: str, record: Path) -> bool:
    """Hard-link the previous build's pages when they came from the same MkDocs project."""
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError):
        return False
    files: dict[str, list[int]] = data.get("files", {}) if data.get("key") == key else {}
    if not files:
        return False
    current = file_ids(previous)
    if any(current.get(rel) != ids for rel, ids in files.items()):
        return False  # something changed or replaced the files since we wrote them
    for rel in files:
        target = out_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(previous / rel, target)
    return True


def site_record(project: Project, out: Path, opts: BuildOptions) -> Path:
    """Where the site renderer records what it wrote into `out` (outside the project)."""
    edition = f"{out.resolve()}\0{opts.audience}\0{opts.region}\0{opts.offline}"
    return cache_root(project.root) / f"site-{hashlib.sha256(edition.encode()).hexdigest()[:20]}.json"


def _plan_build(project: Project, opts: BuildOptions) -> list[Artifact]:
    return []  # the pages are known once the site is planned from every other artifact


def _render_build(project: Project, out_root: Path, opts: BuildOptions, job: RenderJob) -> list[Artifact]:
    """The site of a build: reuses the pages it wrote into `job.previous` when nothing changed."""
    record = site_record(project, job.output, opts) if job.output is not None else None
    return render_site(project, out_root, opts, list(job.planned), reuse=job.previous, record=record)


register(Renderer("site", _plan_build, _render_build, order=0))


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
