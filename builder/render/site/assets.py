"""Files that lessons and pages point at (images, PDFs): published next to the page.

The generated tree mirrors the source tree (modules/<folder>/…, curriculum/pages/…), so a
relative link or image path works on the site exactly as written. Only media files are
copied: a link to a YAML file would publish answers or facilitator notes, so it is left for
MkDocs to report as a missing target.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from builder.model.project import Document, Project
from builder.model.texts import local_target, markdown_links, mask_code

PUBLISHED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf",
                                ".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".vtt"})


def linked_files(project: Project, docs: list[Document]) -> dict[str, Path]:
    """Media files the given documents link to or show: path in the tree -> file on disk.
    Missing files and files outside the project are skipped (`course check` reports them)."""
    root = project.root.resolve()
    out: dict[str, Path] = {}
    for doc in docs:
        base = posixpath.dirname(doc.path)
        for link in markdown_links(doc.body, mask_code(doc.body)):
            target = local_target(base, link.url)
            if (target is None or Path(target).suffix.lower() not in PUBLISHED_SUFFIXES
                    or target.startswith(("../", "/"))):
                continue
            path = (root / target).resolve()
            if path.is_relative_to(root) and path.is_file():
                out[target] = path
    return dict(sorted(out.items()))
