"""Images, local links and includes must stay inside the project.

The site and the PDFs never fetch a URL and never read a file outside the course, so:

- an image (`![alt](path)`, also through a reference definition) must be a file in the
  project; an `http(s)://` or `//host/` image is an error;
- a link to a local file must resolve inside the project: absolute paths, `../` that climbs
  out of it, `file:` URLs and symlinks that lead outside are errors, and so is a missing
  target (`#anchors`, `mailto:`, `tel:` and web links are left to the content checks);
- snippet includes (`--8<-- "file"`, pymdownx.snippets) are not part of the format: the
  site does not enable them, and should it ever, an author's include would read a file the
  builder does not check.

Relative paths start from the folder of the file the text is in (a lesson's module folder,
`curriculum/pages/`, or the folder of a YAML file).
"""

from __future__ import annotations

import html
import re
from typing import Iterator
from urllib.parse import unquote

from builder.checks.html import BAD_SCHEMES
from builder.checks.texts import Link, Text, markdown_links, mask_code, project_texts, short, url_scheme
from builder.diagnostics import Diagnostic, diag, register
from builder.model.project import Project
from builder.model.source import FILE_OUTSIDE, resolve_inside

IMAGE_REMOTE = register("image.remote", "An image loaded from another site (builds never fetch URLs).")
INCLUDE_SNIPPET = register("include.snippet", "A snippet include (--8<--) in curriculum text.")

_SNIPPET = re.compile(r"^[ \t]*(?P<marker>-+8<-+)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*$", re.M)


def check_paths(project: Project) -> list[Diagnostic]:
    """Every image, local link and include in the project's texts, checked against the disk."""
    out: list[Diagnostic] = []
    for text in project_texts(project):
        if text.kind == "url":
            continue  # a web address field, not Markdown: builder.checks.html checks its scheme
        out.extend(_check_includes(text))
        for link in markdown_links(text.text, mask_code(text.text)):
            out.extend(_check_link(project, text, link))
    return out


def _check_includes(text: Text) -> Iterator[Diagnostic]:
    # Snippets run before Markdown sees code fences, so a marker inside a fence includes too.
    for m in _SNIPPET.finditer(text.text):
        yield diag(INCLUDE_SNIPPET, text.where(m.start("marker")),
                   f"snippet include '{short(m.group().strip())}' is not allowed",
                   "copy the text into this file; to show the marker itself, start the line with ';'")


def _check_link(project: Project, text: Text, link: Link) -> Iterator[Diagnostic]:
    url = link.url.strip()
    what = "image" if link.image else "link"
    scheme = url_scheme(url)
    where = text.where(link.offset)
    if not url or url.startswith("#") or scheme in BAD_SCHEMES:
        return  # anchors are fine; dangerous schemes are reported by builder.checks.html
    if scheme in ("http", "https") or (not scheme and url.startswith("//")):
        if link.image:
            yield diag(IMAGE_REMOTE, where, f"image '{short(url)}' is loaded from another site",
                       "save the image in the course and give its relative path: builds never fetch URLs")
        return
    if scheme == "file":
        yield diag(FILE_OUTSIDE, where, f"{what} '{short(url)}' points at a file outside the course",
                   "put the file in the course and give its relative path")
        return
    if scheme:
        return  # mailto:, tel: and other schemes are the content checks' business
    path = _resolve_path(url)
    if not path:
        return  # only a query or an anchor
    _, problem = resolve_inside(project.root, project.root / text.base, path, where,
                                "image" if link.image else "linked file")
    if problem is not None:
        yield problem


def _resolve_path(url: str) -> str:
    """The file part of a relative URL as the site would look it up on disk."""
    url = html.unescape(url)
    url = re.sub(r"\\(?=[!-/:-@\[-`{-~])", "", url)
    return unquote(re.split(r"[?#]", url, maxsplit=1)[0])
