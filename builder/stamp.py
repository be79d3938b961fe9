"""A build's stamp: one hash of everything a build reads, and a record of what it wrote.

Each renderer keeps its own finer cache (the site by its generated MkDocs project, each PDF
by its HTML), but computing those keys means assembling every page and PDF's HTML, which
alone takes seconds. The stamp lets a rebuild with no change skip all of that: when the
inputs hash to the stamp recorded by the last build of the same output folder, and that
folder still holds exactly the files the build wrote (same inode, size and modification
time), the build is already done.

The inputs are:
- every source file the loader read (by content hash, from `Project.sources`);
- every other file under `curriculum/`, `modules/` and `quizzes/`, and every file a text
  links to or shows anywhere in the project (by size and modification time, as the PDF
  cache does for images);
- the repository's `mkdocs.yml`, `package.json`, `package-lock.json` and `CHANGELOG.md` (the About
  page shows the version's entry), and the front-end
  packages the site and PDFs use (the course font, the iframe-worker shim);
- the builder's own files (code, templates, stylesheets, theme) and the versions of the
  libraries that render (MkDocs, Material, Markdown, WeasyPrint ...);
- the build options (region, audience, offline, paper, PDFs or not, build date, source
  revision, site URL) and the output folder.

`tests/build/test_stamp.py` changes each of these and expects a real rebuild. The record lives
in the user's cache folder, never in the project (see builder.cache).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from builder.cache import cache_root, file_ids
from builder.model.project import Project
from builder.render import Artifact, BuildOptions
from builder.util import code_digest, library_versions, node_modules, write_atomic

VERSION = "build-stamp-1"
CONTENT_FOLDERS = ("curriculum", "modules", "quizzes")
ROOT_FILES = ("mkdocs.yml", "package.json", "package-lock.json", "CHANGELOG.md")  # CHANGELOG: the About page
FRONT_END = ("@fontsource/atkinson-hyperlegible", "iframe-worker")


@lru_cache(maxsize=1)
def builder_digest() -> str:
    """A hash of the builder's own files and the versions of every library it renders with."""
    return hashlib.sha256(f"{code_digest(VERSION)}\0{library_versions()}".encode()).hexdigest()


def build_stamp(project: Project, opts: BuildOptions, out: Path) -> str:
    """The hash of everything a build of `project` into `out` with `opts` reads."""
    root = project.root.resolve()
    h = hashlib.sha256(builder_digest().encode())
    shown = {k: v for k, v in dataclasses.asdict(opts).items() if k != "jobs"}  # workers change no byte
    h.update(json.dumps(shown, sort_keys=True).encode())
    h.update(f"\0{out.resolve()}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\0".encode())
    for source, digest in sorted(project.sources.items()):
        h.update(f"source\0{source}\0{digest}\0".encode())
    files: set[Path] = set()
    for folder in CONTENT_FOLDERS:
        if (root / folder).is_dir():
            files.update(p for p in (root / folder).rglob("*") if p.is_file())
    files.update(root / name for name in ROOT_FILES)
    files.update(_linked_files(project, root))
    modules = node_modules(project.root)
    if modules is not None:
        for package in FRONT_END:
            if (modules / package).is_dir():
                files.update(p for p in (modules / package).rglob("*") if p.is_file())
    for path in sorted(files):
        try:
            st = path.stat()
            h.update(f"file\0{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(f"missing\0{path}\0".encode())
    return h.hexdigest()


def _linked_files(project: Project, root: Path) -> set[Path]:
    """Local files the project's texts link to or show, wherever they are in the project."""
    from builder.checks.texts import local_target, markdown_links, mask_code, project_texts

    out = set()
    for text in project_texts(project):
        if text.kind == "url":
            continue
        for link in markdown_links(text.text, mask_code(text.text)):
            target = local_target(text.base, link.url)
            path = (root / target).resolve() if target is not None else None
            if path is not None and path.is_relative_to(root) and path.is_file():
                out.add(path)
    return out


# -- the record of the last build ---------------------------------------------------------------


def record_path(project: Project, out: Path) -> Path:
    """Where the last build into `out` is recorded (outside the project)."""
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:20]
    return cache_root(project.root) / f"build-{name}.json"


def write_record(record: Path, stamp: str, out: Path, artifacts: list[Artifact]) -> None:
    data = {"version": VERSION, "stamp": stamp, "files": file_ids(out),
            "artifacts": [dataclasses.asdict(a) for a in artifacts]}
    write_atomic(record, json.dumps(data, sort_keys=True), best_effort=True)  # none: the next build renders again


def up_to_date(record: Path, stamp: str, out: Path) -> list[Artifact] | None:
    """The artifacts of the last build when it had this stamp and `out` is exactly as it left it."""
    try:
        data = json.loads(record.read_text())
        if data.get("version") != VERSION or data.get("stamp") != stamp or not out.is_dir():
            return None
        if data["files"] != file_ids(out):
            return None
        return [Artifact(**a) for a in data["artifacts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
