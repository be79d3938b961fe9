"""Helpers for the site tests: an independent link checker, text extraction, axe-core."""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from tests.helpers import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def page_text(path: Path) -> str:
    """Everything a file says, as text: visible text, attributes and script contents."""
    return squash(path.read_text(encoding="utf-8"))


def visible_text(path: Path) -> str:
    """The text of an HTML page without scripts (what a reader can see or hear)."""
    doc = lxml.html.fromstring(path.read_bytes())
    for el in doc.xpath("//script|//style|//template"):
        el.drop_tree()
    return squash(doc.text_content())


def search_index_text(site: Path) -> str:
    """All the text the search index holds (titles and text, tags stripped)."""
    data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    parts = []
    for doc in data["docs"]:
        parts += [doc.get("title", ""), re.sub(r"<[^>]+>", " ", doc.get("text", ""))]
    return squash(" ".join(parts))


def url_of(site: Path, file: Path) -> str:
    """The site-relative URL a file is served at ("" for the home page)."""
    rel = file.relative_to(site).as_posix()
    return rel.removesuffix("index.html")


def broken_links(site: Path) -> list[str]:
    """Every href/src in every HTML page that does not resolve to a file of the site (or an id
    in it). Links to other hosts and to tel:, sms: and mailto: are not followed."""
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in sorted(site.rglob("*.html")):
        doc = lxml.html.fromstring(page.read_bytes())
        url = url_of(site, page)
        base = url[:-1] if url.endswith("/") else posixpath.dirname(url)
        for el, attr in [(e, "href") for e in doc.xpath("//a[@href]|//link[@href]")] + \
                        [(e, "src") for e in doc.xpath("//script[@src]|//img[@src]")]:
            value = el.get(attr)
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith("#") and not parts.path:
                if value.startswith("#") and len(value) > 1 and unquote(value[1:]) not in _ids(page, ids):
                    problems.append(f"{url_of(site, page)}: {value} (no such id)")
                continue
            # Root-relative paths (MkDocs' 404 page uses them) start from the site's root.
            target_url = posixpath.normpath(posixpath.join(base, unquote(parts.path)).lstrip("/"))
            target = site / target_url
            if value.rstrip("#").endswith("/") or target.is_dir():
                target = target / "index.html"
            if target_url.startswith("..") or not target.is_file():
                problems.append(f"{url_of(site, page)}: {value} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target, ids):
                problems.append(f"{url_of(site, page)}: {value} (no such id)")
    return problems


def _ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        cache[page] = set(lxml.html.fromstring(page.read_bytes()).xpath("//@id"))
    return cache[page]


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Run axe-core (from node_modules, injected) on the page; one line per violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => v.id + ' (' + v.impact + '): ' +
              v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""", AXE_TAGS)
    return list(result)
