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


def render_site(project: Project, out_root: Path, opts: BuildOptions, artifacts: list[Artifact],
                reuse: Path | None = None, record: Path | None = None) -> list[Artifact]:
    """Render the site into `out_root` (MkDocs empties it first) and return its HTML pages.

    `artifacts` are the files other renderers will write next to the site (PDFs, quiz
    exports): the Downloads page lists them and module overviews link their handouts.
    With `reuse` (the previous build's output folder) and `record` (a file outside the
    project, see builder.cache), MkDocs runs only when the generated MkDocs project differs
    from the one recorded for `reuse`; otherwise the recorded pages are hard-linked into
    `out_root`. The record pins every file by inode, size and modification time, so only
    files this machine's build wrote are ever reused, never files that came from elsewhere
    (a committed `site/`, say). Raises RenderError for a broken link, a missing font
    package or any MkDocs warning.
    """
    out_root = Path(out_root)
    with _locked(project, opts):
        folder, tree = prepare_site(project, opts, artifacts)
        key = source_key(folder)
        if reuse is None or record is None or not _reuse(reuse, out_root, key, record):
            run_mkdocs(folder, out_root, strict=True)
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
    from importlib import metadata

    import builder

    h = hashlib.sha256(folder.digest.encode())
    for dist in ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown"):
        h.update(f"{dist}={metadata.version(dist)}\0".encode())
    h.update(f"builder={builder.__version__}\0".encode())
    return h.hexdigest()


def _file_ids(root: Path) -> dict[str, list[int]]:
    ids = {}
    for p in root.rglob("*"):
        if p.is_file():
            st = p.stat()
            ids[p.relative_to(root).as_posix()] = [st.st_ino, st.st_size, st.st_mtime_ns]
    return ids


def _write_record(record: Path, key: str, out_root: Path) -> None:
    """Remember which files MkDocs wrote for `key` (renames keep inodes: valid after the swap)."""
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_name(record.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"key": key, "files": _file_ids(out_root)}, sort_keys=True))
    os.replace(tmp, record)


def _reuse(previous: Path, out_root: Path, key: str, record: Path) -> bool:
    """Hard-link the previous build's pages when they came from the same MkDocs project."""
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError):
        return False
    files: dict[str, list[int]] = data.get("files", {}) if data.get("key") == key else {}
    if not files:
        return False
    current = _file_ids(previous)
    if any(current.get(rel) != ids for rel, ids in files.items()):
        return False  # something changed or replaced the files since we wrote them
    for rel in files:
        target = out_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(previous / rel, target)
    return True


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
