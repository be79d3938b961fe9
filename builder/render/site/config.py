"""The generated MkDocs project: base mkdocs.yml + nav + paths, theme files, fonts, and MkDocs runs.

The build folder (`<root>/.build/site-src-<audience>-<region>[-offline][-<edition>]/`) holds a complete,
self-contained MkDocs project: `mkdocs.yml`, `docs/` (Markdown and assets) and `overrides/`.
Files are rewritten only when their content changes, so a rebuild after one edit touches one
file, and stale files are removed.
"""

from __future__ import annotations

import copy
import hashlib
import html
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from builder import util
from builder.diagnostics import Diagnostic, diag, register
from builder.markdown import mkdocs_extensions
from builder.model.project import Project
from builder.model.where import Where
from builder.render import BuildOptions, RenderError, edition_title
from builder.render.site.text import Abbreviations, theme_text
from builder.render.site.tree import SiteTree

if TYPE_CHECKING:
    from builder.render.site.pagecache import PageCache

SITE_MKDOCS = register("site.mkdocs", "A problem MkDocs found while building the site (a broken link or anchor).")
SITE_SETUP = register("site.setup", "Something the site build needs is missing (mkdocs.yml, node_modules).")

REPO = Path(__file__).resolve().parents[3]
THEME = Path(__file__).resolve().parent / "theme"
FONT_PACKAGE = Path("@fontsource") / "atkinson-hyperlegible" / "files"
FONT_FILES = [f"atkinson-hyperlegible-{subset}-{weight}-{style}.woff2"
              for subset in ("latin", "latin-ext") for weight in (400, 700) for style in ("normal", "italic")]
IFRAME_WORKER = Path("iframe-worker") / "shim" / "index.js"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the glossary makes the file long


@dataclass
class BuildFolder:
    root: Path  # the generated MkDocs project
    config_file: Path
    sources: dict[str, str]  # docs-relative Markdown path -> project file it came from
    digest: str = ""  # SHA-256 over every generated file (path and bytes): what MkDocs reads
    hashes: dict[str, str] = field(default_factory=dict)  # folder-relative path -> SHA-256 of its bytes


def build_folder(project: Project, opts: BuildOptions) -> Path:
    suffix = ("-offline" if opts.offline else "") + (f"-{opts.edition}" if opts.edition else "")
    return project.root / ".build" / f"site-src-{opts.audience}-{opts.region}{suffix}"


def find_base_config(project: Project) -> Path:
    """The project's own mkdocs.yml, else the builder repository's."""
    for candidate in (project.root / "mkdocs.yml", REPO / "mkdocs.yml"):
        if candidate.is_file():
            return candidate
    raise RenderError([diag(SITE_SETUP, Where("mkdocs.yml"), "no mkdocs.yml to base the site on",
                            "restore mkdocs.yml at the top of the repository")])


def node_modules(project: Project) -> Path:
    """The front-end packages (builder.util.node_modules), or a RenderError saying how to get them."""
    found = util.node_modules(project.root)
    if found is not None and (found / FONT_PACKAGE).is_dir():
        return found
    raise RenderError([diag(SITE_SETUP, Where("package.json"), "the course font is not installed "
                            "(node_modules/@fontsource/atkinson-hyperlegible)", "run `npm ci` (or `make build`)")])


def load_base_config(project: Project) -> dict[str, Any]:
    """The base mkdocs.yml as data."""
    path = find_base_config(project)
    try:
        base = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = Where(_display(project, path), mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
        raise RenderError([diag(SITE_SETUP, where,
                                f"mkdocs.yml is not valid YAML: {getattr(e, 'problem', e)}")]) from None
    if not isinstance(base, dict):
        raise RenderError([diag(SITE_SETUP, Where(_display(project, path)), "mkdocs.yml must be a mapping of keys")])
    if "markdown_extensions" in base:
        line = next((i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                     if text.startswith("markdown_extensions")), 1)
        raise RenderError([diag(SITE_SETUP, Where(_display(project, path), line, 1),
                                "mkdocs.yml sets markdown_extensions, which the builder sets so that the site, "
                                "print and LMS files read Markdown alike",
                                "remove markdown_extensions from mkdocs.yml; the list is TARGETS in "
                                "builder/markdown.py")])
    return base


def directory_urls(base: dict[str, Any], opts: BuildOptions) -> bool:
    """Whether pages get folder URLs (`help/`) or file URLs (`help.html`, offline builds)."""
    return bool(base.get("use_directory_urls", True)) and not opts.offline


def write_build_folder(project: Project, opts: BuildOptions, base: dict[str, Any], tree: SiteTree,
                       abbr: Abbreviations) -> BuildFolder:
    """Write (or update) the generated MkDocs project for one edition and return where it is."""
    root = build_folder(project, opts)
    modules = node_modules(project)
    files: dict[str, bytes] = {f"docs/{path}": text.encode("utf-8") for path, text in tree.files().items()}
    files.update({f"docs/{path}": source.read_bytes() for path, source in tree.assets.items()})
    files.update(_theme_files(opts, modules))
    config = merged_config(base, project, opts, tree, abbr)
    files["mkdocs.yml"] = ("# Generated by `course build` from the repository's mkdocs.yml: do not edit.\n"
                           + yaml.dump(config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False,
                                       width=1000)).encode()
    _sync(root, files)
    h = hashlib.sha256()
    hashes = {}
    for rel in sorted(files):
        digest = hashlib.sha256(files[rel]).digest()
        hashes[rel] = digest.hex()
        h.update(f"{rel}\0".encode())
        h.update(digest)
    return BuildFolder(root, root / "mkdocs.yml", {p.path: p.source or p.path for p in tree.pages},
                       h.hexdigest(), hashes)


def merged_config(base: dict[str, Any], project: Project, opts: BuildOptions, tree: SiteTree,
                  abbr: Abbreviations) -> dict[str, Any]:
    """The base config with what only this build knows filled in."""
    course = project.course
    config = copy.deepcopy(base)
    offline = opts.offline
    # The theme prints these without escaping.
    edition = edition_title(project, opts)
    config["site_name"] = theme_text(f"{course.title}: {edition}" if edition else course.title)
    config["site_description"] = html.escape(" ".join(course.summary.split()), quote=True)
    config["copyright"] = theme_text(f"{course.title} {course.version} · {course.license}")
    # Instant navigation and canonical links need the address the site is served at.
    site_url = opts.extra.get("site_url") or config.get("site_url")
    if site_url:
        config["site_url"] = site_url
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    if offline:
        # The offline plugin turns these off too; say so here so the file tells the truth.
        config["use_directory_urls"] = False
    theme = config.setdefault("theme", {})
    theme["language"] = course.language.split("-")[0]
    theme.setdefault("custom_dir", "overrides")
    features = [f for f in theme.get("features", []) if not (offline and f.startswith("navigation.instant"))]
    theme["features"] = features
    plugins = [p for p in config.get("plugins", []) if _plugin_name(p) != "offline"]
    if offline:
        plugins.append("offline")
    config["plugins"] = plugins
    # The one extension list (builder.markdown), which print reads lessons with too; placed
    # after the plugins, where mkdocs.yml used to list it.
    at = list(config).index("plugins") + 1
    items = list(config.items())
    config = dict([*items[:at], ("markdown_extensions", mkdocs_extensions(dict(abbr))), *items[at:]])
    folders = directory_urls(base, opts)
    extra = config.setdefault("extra", {})
    extra["course"] = {
        "edition": opts.audience,
        "facilitator": opts.audience == "facilitator",
        "region": opts.region,
        "region_name": project.resources.regions[opts.region].name,
        "help": "help/" if folders else "help.html",
        "about": "about/" if folders else "about.html",
        "version": course.version,
        "offline": offline,
        "setting": opts.edition,  # the edition of docs/editions.md ("edition" above is the audience)
    }
    _edit_links(config, opts, tree)
    config["nav"] = tree.nav
    return config


def _edit_links(config: dict[str, Any], opts: BuildOptions, tree: SiteTree) -> None:
    """"Edit this page" links, when mkdocs.yml (or `opts.extra["repo_url"]`) names the repository.

    Lessons and course pages keep their project paths on the site, but generated pages do not
    (a module's overview comes from its module.yaml, the help page from resources.yaml), so
    each page's source file goes into `extra.course.edit_sources` and the theme's actions
    partial (overrides/partials/actions.html) links that file: `repo_url` + `edit_uri`
    (default `edit/main/`, GitHub's edit view of the main branch) + the source path. Our
    partials/source.html links the repository without Material's facts script, which would
    ask api.github.com for stars and forks: the site contacts no outside host."""
    repo_url = opts.extra.get("repo_url") or config.get("repo_url")
    if not repo_url:
        return
    config["repo_url"] = repo_url
    config.setdefault("edit_uri", "edit/main/")
    features = config["theme"]["features"]
    if "content.action.edit" not in features:
        features.append("content.action.edit")
    config["extra"]["course"]["edit_sources"] = {p.path: p.source for p in tree.pages if p.source}


def _plugin_name(plugin: Any) -> str:
    return next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)


def _theme_files(opts: BuildOptions, modules: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(THEME.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(THEME).as_posix()
            dest = rel if rel.startswith("overrides/") else f"docs/{rel}"
            files[dest] = path.read_bytes()
    for name in FONT_FILES:
        files[f"docs/assets/fonts/{name}"] = (modules / FONT_PACKAGE / name).read_bytes()
    if opts.offline:
        # Material's offline plugin would load this shim from a CDN; we serve our copy.
        files["docs/assets/iframe-worker.js"] = (modules / IFRAME_WORKER).read_bytes()
    return files


def _sync(root: Path, files: dict[str, bytes]) -> None:
    """Make `root` hold exactly `files`: write what changed, delete what is gone."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = root / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    # Delete what is no longer generated; site/ is where a manual `mkdocs build` would write.
    wanted = {root / rel for rel in files}
    for path in sorted(root.rglob("*"), reverse=True):
        if path == root / "site" or path.is_relative_to(root / "site"):
            continue
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _display(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# Running MkDocs


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_mkdocs_logs() -> Iterator[_Collect]:
    """MkDocs reports through logging; collect its warnings instead of printing them."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, _ = old
        logger.setLevel(old[1])


def run_mkdocs(folder: BuildFolder, site_dir: Path, *, strict: bool = True,
               pages: PageCache | None = None) -> list[Diagnostic]:
    """Build the site with MkDocs as a library. Returns MkDocs' warnings as diagnostics; with
    `strict`, any warning raises RenderError instead (like `mkdocs build --strict`).

    With `pages` (see builder.render.site.pagecache), pages whose Markdown and frame are
    unchanged since a previous run are restored from the cache instead of converted and
    templated; the cache is updated only when the build finished without warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    with _captured_mkdocs_logs() as logs:
        failure: str | None = None
        try:
            config = load_config(config_file=str(folder.config_file), site_dir=str(site_dir), strict=strict)
            if pages is not None:
                pages.attach(config)
            build(config)
        except (Abort, ConfigurationError, PluginError) as e:
            failure = str(e)
    diags = [_diagnostic(folder, r.getMessage()) for r in logs.records]
    if failure and not diags:
        diags.append(diag(SITE_MKDOCS, Where("mkdocs.yml"), f"MkDocs stopped: {failure}"))
    if failure or (strict and diags):
        raise RenderError(diags)
    if pages is not None and not diags:
        pages.save()
    return diags


_DOC_IN_MESSAGE = re.compile(r"'([^']+\.md)'")


def _diagnostic(folder: BuildFolder, message: str) -> Diagnostic:
    """Point an MkDocs warning at the source file the generated page came from."""
    text = " ".join(message.split())
    for match in _DOC_IN_MESSAGE.finditer(text):
        if match.group(1) in folder.sources:
            return diag(SITE_MKDOCS, Where(folder.sources[match.group(1)]), f"site: {text}")
    return diag(SITE_MKDOCS, Where("mkdocs.yml"), f"site: {text}")
