"""What goes inside every LMS package: the participant edition of the site, built offline.

The packages are loaded into an LMS for learners, so they hold the **participant** edition
(no facilitator notes, no answer keys, no question an assessment form draws), built by the
same site renderer as the website (`builder.render.site.render_site`) with `offline=True`:
pages are files (`lesson.html`, not `lesson/`), as an LMS serves a package's files one by
one, and Material's offline mode keeps search and fonts inside the folder.

From that folder a package takes what its pages need, nothing else:
- every HTML page reachable from the module pages by links (the site navigation reaches the
  course pages, the help lines, the glossary), and every file a page, stylesheet or script
  configuration names (`src`, `href`, `srcset`, CSS `url()`, Material's search worker);
- the theme's `assets/` and the `search/` index, which scripts load at run time;
- `lms-config.json` (written by the package, see builder.render.lms): the completion rule
  the in-page runtime (`assets/lms-runtime.js`) applies.
The sitemap, the 404 page, source maps (`*.map`) and files nothing names are left out.
"""

from __future__ import annotations

import json
import posixpath
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from builder.model.project import Module, Project
from builder.render import BuildOptions
from builder.render.site import render_site
from builder.render.site.context import lesson_page, module_pages

RUNTIME = "assets/lms-runtime.js"  # the in-page runtime (the site theme's; engineer lms-runtime)
CONFIG = "lms-config.json"  # read by the runtime: ../lms-config.json from assets/
ALWAYS = ("assets/", "search/")  # loaded by scripts, not named in the HTML
SKIP = ("sitemap.xml", "sitemap.xml.gz", "404.html")
SKIP_SUFFIXES = (".map",)  # source maps: for developers' tools, never loaded by a page
_CSS_URL = re.compile(rb"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_CSS_IMPORT = re.compile(rb"""@import\s+['"]([^'"]+)['"]""")


@dataclass
class ModulePart:
    """One module as one SCO / AU / cartridge unit."""

    module: Module
    launch: str  # the module's overview page, e.g. "modules/01-x/index.html"
    pages: list[str]  # its pages in reading order: overview, lessons, activities, key points, quiz
    quiz: str | None  # its self-check quiz page, if participants get one


@dataclass
class Content:
    files: dict[str, bytes]  # package path -> bytes
    parts: list[ModulePart]
    help_page: str  # the help lines page ("help.html")
    shared: list[str] = field(default_factory=list)  # files not in any module part, sorted

    def module_files(self, part: ModulePart) -> list[str]:
        return [p for p in part.pages if p in self.files]


def _html_path(md: str) -> str:
    return md[:-3] + ".html"


def module_parts(project: Project, present: set[str]) -> list[ModulePart]:
    parts = []
    for m in project.modules:
        roles = module_pages(m)
        pages = [_html_path(roles["overview"])]
        pages += [_html_path(lesson_page(m, lesson.stem)) for lesson in m.lessons]
        pages += [_html_path(roles[k]) for k in ("activities", "key_points", "quiz")]
        pages = [p for p in pages if p in present]
        quiz = _html_path(roles["quiz"])
        parts.append(ModulePart(m, pages[0], pages, quiz if quiz in present else None))
    return parts


def _local(base: str, ref: str) -> str | None:
    """A reference in file `base` as a package path, or None if it leaves the package."""
    ref = ref.strip()
    if not ref or ref.startswith(("#", "data:", "mailto:", "tel:", "sms:", "javascript:")):
        return None
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if joined.startswith("../") or joined == "..":
        return None
    if path.endswith("/"):
        joined = f"{joined}/index.html"
    return joined


def references(path: str, data: bytes) -> list[str]:
    """The package files that file `path` names (resolved, possibly missing)."""
    refs: list[str] = []
    if path.endswith(".html"):
        doc = lxml_html.fromstring(data)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("src", "href", "poster", "data"):
                v = el.get(attr)
                if v:
                    refs.append(v)
            srcset = el.get("srcset")
            if srcset:
                refs += [c.strip().split(" ")[0] for c in srcset.split(",") if c.strip()]
            if el.tag == "script" and el.get("id") == "__config" and el.text:
                try:
                    search = json.loads(el.text).get("search")
                except ValueError:
                    search = None
                if isinstance(search, str):
                    refs.append(search)
            if el.tag == "style" and el.text:
                refs += [m.decode() for m in _CSS_URL.findall(el.text.encode())]
    elif path.endswith(".css"):
        refs += [m.decode() for m in _CSS_URL.findall(data) + _CSS_IMPORT.findall(data)]
    out = []
    for ref in refs:
        local = _local(path, ref)
        if local is not None:
            out.append(local)
    return out


def collect(site: Path, parts: list[ModulePart], extra: list[str]) -> dict[str, bytes]:
    """The files reachable from the module pages (and `extra`), plus ALWAYS folders."""
    available = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    todo = [p for part in parts for p in part.pages] + extra
    todo += [rel for rel in available if rel.startswith(ALWAYS)]
    files: dict[str, bytes] = {}
    while todo:
        rel = todo.pop()
        if rel in files or rel in SKIP or rel.endswith(SKIP_SUFFIXES) or rel not in available:
            continue
        data = available[rel].read_bytes()
        files[rel] = data
        if rel.endswith((".html", ".css")):
            todo += references(rel, data)
    return files


def build_content(project: Project, opts: BuildOptions) -> Content:
    """Build the participant edition offline into a temporary folder and take the package's files."""
    site_opts = replace(opts, audience="participant", offline=True, pdf=False)
    with tempfile.TemporaryDirectory(prefix="course-lms-") as tmp:
        site = Path(tmp) / "site"
        render_site(project, site, site_opts, [])
        present = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
        parts = module_parts(project, present)
        help_page = "help.html"
        files = collect(site, parts, [help_page, "index.html"])
    in_parts = {p for part in parts for p in part.pages}
    shared = sorted(p for p in files if p not in in_parts)
    return Content(files, parts, help_page, shared)
