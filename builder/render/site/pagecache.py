"""The site's page cache: after a one-lesson edit MkDocs converts and templates only that page.

MkDocs has no correct incremental mode (`--dirty` leaves the search index and navigation
titles wrong), so every build still runs MkDocs over the whole generated project, and an
internal plugin (added in `run_mkdocs`, never in the user-facing mkdocs.yml) short-cuts the
two costly steps for pages that have not changed:

- Markdown conversion. A page's *page key* hashes the *frame key* (every file of the build
  folder except the page Markdown bodies, the page paths included, and the tools' versions),
  the page's path, its front matter and its Markdown as MkDocs is about to convert it. On a
  hit the page converts an empty document instead, and `page.content`, `page.toc`, the title
  and the anchors (for MkDocs' anchor validation) are restored from the cache before any
  other plugin's `on_page_content` runs, so plugins (the search index) see the real content
  exactly once, as in a fresh build.
- Templating. A page's HTML also shows other pages' titles and front matter (navigation,
  previous/next links), so the final HTML is reused only when the *site signature* (every
  page's path, title and front matter, known once all pages are read) is the one it was
  made with; the page is then templated with a trivial template and its cached HTML is
  written. Its entries in mkdocs-material's search index are cached with the HTML and
  appended in its place, so the index is the same, in the same order, without parsing the
  page again.

Entries are JSON files under `cache_root(project) / "site-pages" / <edition>/`, outside the
project (a file committed in a pull request is never read back). A missing, corrupt or
foreign entry is ignored and the page is rendered fresh. Entries are written only after a
build without warnings, and then the folder keeps exactly the pages of that build. Jinja's
compiled theme templates are kept in `site-templates/` next to it (Jinja checks each
against its source), which saves compiling the theme on every build.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.util import library_versions, write_atomic

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin

    from builder.render.site.config import BuildFolder

FORMAT = 1  # bump when an entry's fields change
TEMPLATE = "course-page-cache.html"  # the trivial template of a page whose final HTML is cached
PLUGIN_NAME = "course-page-cache"
_MISSING = object()
# Extensions that read files other than the page (or outside the build folder): their
# output is not covered by the keys, so the cache stays off when one is configured.
_READS_OTHER_FILES = ("snippets", "include")


def tool_versions() -> str:
    """The versions of everything that turns the build folder into HTML, as one string."""
    import builder

    return f"{library_versions('site')}\0builder={builder.__version__}"


def is_page(rel: str) -> bool:
    """Whether a build-folder path is a page MkDocs converts from Markdown."""
    return rel.startswith("docs/") and rel.endswith(".md")


def frame_key(folder: BuildFolder) -> str:
    """A hash of everything but the page bodies: config, nav, theme, assets, page paths, tools."""
    h = hashlib.sha256(f"page-cache {FORMAT}\0{tool_versions()}\0".encode())
    for rel in sorted(folder.hashes):
        h.update(f"{rel}\0{'' if is_page(rel) else folder.hashes[rel]}\0".encode())
    return h.hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@dataclass
class Entry:
    """What one page's conversion and templating produced."""

    key: str
    page: str  # docs-relative path
    content: str  # page.content right after Markdown conversion, before any plugin
    toc: list[dict[str, Any]]  # the table of contents as Python-Markdown toc tokens
    title: str | None  # the first heading, MkDocs' `_title_from_render`
    anchors: list[str]  # ids the page has (MkDocs validates links to them)
    links: dict[str, dict[str, str]] | None  # links to anchors in other pages, by page path
    signature: str | None = None  # the site signature `html` and `search` were made with
    html: str | None = None  # the final page, as MkDocs writes it
    search: list[dict[str, Any]] | None = None  # the page's entries in material's search index

    def to_json(self) -> str:
        # Key order kept: the search entries are written into the index as they are.
        # default=str: material writes its search index with the same fallback.
        return json.dumps({"format": FORMAT, **self.__dict__}, default=str)

    @classmethod
    def from_json(cls, text: str, key: str, page: str) -> Entry | None:
        """The entry, or None when the text is not a valid entry for this key and page."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
                return None
            entry = cls(**data)
            _check_toc(entry.toc)
            ok = (entry.key == key and entry.page == page and isinstance(entry.content, str)
                  and isinstance(entry.title, (str, type(None)))
                  and isinstance(entry.anchors, list) and all(isinstance(a, str) for a in entry.anchors)
                  and (entry.links is None or _string_map_of_maps(entry.links))
                  and isinstance(entry.signature, (str, type(None))) and isinstance(entry.html, (str, type(None)))
                  and (entry.search is None or (isinstance(entry.search, list)
                                                and all(isinstance(e, dict) for e in entry.search))))
        except (ValueError, TypeError, KeyError):
            return None
        return entry if ok else None


def _check_toc(tokens: Any) -> None:
    if not isinstance(tokens, list):
        raise TypeError("toc")
    for t in tokens:
        if not (isinstance(t, dict) and isinstance(t["name"], str) and isinstance(t["id"], str)
                and isinstance(t["level"], int)):
            raise TypeError("toc token")
        _check_toc(t["children"])


def _string_map_of_maps(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str)
                                                           for a, b in v.items())
        for k, v in value.items())


def _toc_tokens(toc: Any) -> list[dict[str, Any]]:
    return [{"name": item.title, "id": item.id, "level": item.level, "children": _toc_tokens(item.children)}
            for item in toc]


@dataclass
class PageCache:
    """The page cache of one edition; give it to `run_mkdocs(..., pages=cache)`.

    After the run, `rendered` lists the pages converted from Markdown, `templated` the pages
    run through the theme's templates, and `reused` the pages whose final HTML came from the
    cache (docs-relative paths, in build order)."""

    directory: Path
    frame: str
    templates: Path | None = None  # where Jinja keeps compiled theme templates
    enabled: bool = True
    rendered: list[str] = field(default_factory=list)
    templated: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    _entries: dict[str, Entry] = field(default_factory=dict)  # this run's entry of every page
    _changed: set[str] = field(default_factory=set)  # pages whose entry must be written

    @classmethod
    def for_folder(cls, directory: Path, folder: BuildFolder, templates: Path | None = None) -> PageCache:
        return cls(Path(directory), frame_key(folder), templates)

    def page_key(self, page: str, meta: Any, markdown: str) -> str:
        # MkDocs records links to anchors only when its page logger is not at DEBUG level.
        records_links = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
        h = hashlib.sha256(f"{self.frame}\0{page}\0{records_links}\0{_json(meta)}\0".encode())
        h.update(markdown.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def load(self, key: str, page: str) -> Entry | None:
        try:
            text = (self.directory / f"{key}.json").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return Entry.from_json(text, key, page)

    def attach(self, config: MkDocsConfig) -> None:
        """Add the cache's plugin to a loaded MkDocs config (after the user's plugins)."""
        config.plugins[PLUGIN_NAME] = _plugin(self)

    def save(self) -> None:
        """Write this run's new entries and drop every entry this run did not use."""
        if not self.enabled:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for page in sorted(self._changed):
                entry = self._entries[page]
                path = self.directory / f"{entry.key}.json"
                write_atomic(path, entry.to_json())
            used = {f"{e.key}.json" for e in self._entries.values()}
            for path in self.directory.iterdir():
                if path.name not in used:
                    path.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
        self._changed.clear()


def _search_index(config: MkDocsConfig) -> Any:
    """mkdocs-material's search index (its entries are cached with each page), or None."""
    for plugin in config.plugins.values():
        kind = type(plugin)
        if (kind.__module__, kind.__name__) == ("material.plugins.search.plugin", "SearchPlugin"):
            index = getattr(plugin, "search_index", None)
            if plugin.config.enabled and isinstance(getattr(index, "entries", None), list):
                return index
    return None


def _plugin(cache: PageCache) -> BasePlugin:
    """The MkDocs plugin that serves `cache` (MkDocs is imported only when a build runs)."""
    from jinja2 import ChoiceLoader, DictLoader, FileSystemBytecodeCache
    from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
    from mkdocs.structure.toc import get_toc

    class TemplateCache(FileSystemBytecodeCache):
        """Compiled theme templates (Jinja checks each against its source): a damaged file is
        compiled again, never an error."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - unpickling a damaged file can raise almost anything
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    class PageCachePlugin(BasePlugin):
        def __init__(self) -> None:
            super().__init__()
            self.hits: dict[str, tuple[Entry, str]] = {}  # page -> (its entry, the real Markdown)
            self.final: dict[str, tuple[Entry, Any]] = {}  # page -> (entry, its own `template`)
            self.signature = ""
            self.index: Any = None  # material's search index
            self.indexed = 0  # how many index entries there were before the current page
            self.search_meta: Any = _MISSING  # the `search` front matter of the current page
            self.new_search: list[dict[str, Any]] | None = None

        def on_config(self, config: MkDocsConfig) -> None:
            names = [e if isinstance(e, str) else next(iter(e)) for e in config.markdown_extensions]
            if any(part in name for name in names for part in _READS_OTHER_FILES):
                cache.enabled = False

        # Last, so the key covers the Markdown exactly as it will be converted.
        @event_priority(-10000)
        def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Any) -> str | None:
            uri = page.file.src_uri
            if not cache.enabled:
                cache.rendered.append(uri)
                return None
            key = cache.page_key(uri, page.meta, markdown)
            entry = cache.load(key, uri)
            if entry is not None and entry.links and any(files.get_file_from_path(p) is None for p in entry.links):
                entry = None
            if entry is None:
                cache._entries[uri] = Entry(key, uri, "", [], None, [], None)
                cache._changed.add(uri)
                cache.rendered.append(uri)
                return None
            cache._entries[uri] = entry
            self.hits[uri] = (entry, markdown)
            return ""  # converts in no time; the real results are restored in on_page_content

        # First: every other plugin sees the page's real content, once.
        @event_priority(10000)
        def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Any) -> str | None:
            uri = page.file.src_uri
            if uri in self.hits:
                entry, page.markdown = self.hits[uri]
                page.toc = get_toc(entry.toc)  # type: ignore[arg-type]  # the tokens _toc_tokens wrote: _TocToken dicts
                page._title_from_render = entry.title
                page.present_anchor_ids = set(entry.anchors)
                if entry.links is not None:
                    page.links_to_anchors = {files.get_file_from_path(p): links for p, links in entry.links.items()}
                return entry.content
            if uri in cache._changed:
                entry = cache._entries[uri]
                entry.content = html
                entry.toc = _toc_tokens(page.toc)
                entry.title = page._title_from_render
                entry.anchors = sorted(page.present_anchor_ids or ())
                links = getattr(page, "links_to_anchors", None)
                entry.links = None if links is None else {f.src_uri: dict(v) for f, v in links.items()}
            return None

        # Every page has been read: the titles and front matter other pages show are known.
        @event_priority(-10000)
        def on_env(self, env: Any, *, config: MkDocsConfig, files: Any) -> Any:
            pages = [f.page for f in files.documentation_pages() if f.page is not None]
            self.signature = hashlib.sha256("\0".join(
                f"{p.file.src_uri}\0{p.url}\0{p.title}\0{_json(p.meta)}" for p in pages).encode()).hexdigest()
            self.index = _search_index(config)
            for page in pages:
                entry = self.hits.get(page.file.src_uri, (None, ""))[0]
                if (entry is not None and entry.html is not None and entry.signature == self.signature
                        and (self.index is None or entry.search is not None)):
                    self.final[page.file.src_uri] = (entry, page.meta.get("template", _MISSING))
                    page.meta["template"] = TEMPLATE  # skip the theme's templates: the HTML is cached
            env.loader = ChoiceLoader([DictLoader({TEMPLATE: ""}), env.loader])
            if cache.templates is not None:
                try:
                    cache.templates.mkdir(parents=True, exist_ok=True)
                    env.bytecode_cache = TemplateCache(str(cache.templates))
                except OSError:
                    pass
            return env

        # Around material's search plugin: a page whose final HTML is cached gets its cached
        # index entries instead of being parsed again; any other page's new entries are kept.
        @event_priority(10000)
        def _before_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> None:
            if self.index is None:
                return
            self.indexed = len(self.index.entries)
            if page.file.src_uri in self.final:
                self.search_meta = page.meta.get("search", _MISSING)
                page.meta["search"] = {"exclude": True}  # material's plugin skips the page

        @event_priority(-10000)
        def _after_context(self, context: Any, *, page: Any, config: MkDocsConfig, nav: Any) -> None:
            if self.index is None:
                return
            final = self.final.get(page.file.src_uri)
            if final is None:
                self.new_search = copy.deepcopy(self.index.entries[self.indexed:])
                return
            if self.search_meta is _MISSING:
                page.meta.pop("search", None)
            else:
                page.meta["search"] = self.search_meta
            self.index.entries.extend(copy.deepcopy(final[0].search or []))

        on_page_context = CombinedEvent(_before_context, _after_context)

        # Last, so the cached HTML is the page after every plugin's changes.
        @event_priority(-10000)
        def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str | None:
            uri = page.file.src_uri
            search, self.new_search = self.new_search, None
            if uri in self.final:
                entry, template = self.final.pop(uri)
                if template is _MISSING:
                    page.meta.pop("template", None)
                else:
                    page.meta["template"] = template
                cache.reused.append(uri)
                return entry.html
            cache.templated.append(uri)
            known = cache._entries.get(uri)
            if known is not None and (known.html, known.signature, known.search) != (output, self.signature, search):
                known.html, known.signature, known.search = output, self.signature, search
                cache._changed.add(uri)
            return None

    return PageCachePlugin()
