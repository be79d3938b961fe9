"""`course serve`: preview the site with live reload.

MkDocs' own live-reload server serves a temporary build of the site and watches the course
sources (curriculum/, modules/, quizzes/). On a change it reloads the project, rewrites the
generated Markdown tree (only files whose text changed) and rebuilds the site with MkDocs;
then every open browser tab reloads. Pages whose Markdown did not change come from the
page cache (builder.render.site.pagecache). No PDFs or quiz exports are built: the Downloads page
lists them, but run `course build` to make them.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from builder.cli.common import print_text, region_help, resolve_region, warn
from builder.diagnostics import Diagnostic, format_text

if TYPE_CHECKING:
    from builder.model.project import Project
    from builder.render import Artifact, BuildOptions

HELP = "preview the site with live reload"
WATCHED = ("curriculum", "modules", "quizzes")


class Preview:
    """A live-reloading preview of one edition of the site.

    `serve()` blocks; call `shutdown()` from another thread (or press Ctrl-C) to stop it.
    `port=0` picks a free port: read `url` once `ready` is set.
    """

    def __init__(self, root: Path, *, region: str | None, audience: str, host: str = "127.0.0.1",
                 port: int = 8000, out: TextIO | None = None, edition: str | None = None) -> None:
        from mkdocs.livereload import LiveReloadServer

        self.root = root
        self.edition = edition  # None: the course's default edition (docs/editions.md)
        self.region = region
        self.audience = audience
        self.out = out or sys.stdout
        self.site_dir = Path(tempfile.mkdtemp(prefix="course-serve-"))
        self.ready = threading.Event()
        self.builds = 0  # finished builds, for tests and the log line
        self.problems = ""  # what the last rebuild reported, shown on every page until it is fixed
        self.kept = False  # whether the last rebuild failed and the previous site stayed up
        self._shown: list[str] = []
        self.server = LiveReloadServer(builder=self._build, host=host, port=port, root=str(self.site_dir),
                                       polling_interval=0.2)
        self.server.build_delay = 0.05
        self.server.error_handler = self._error_page
        inject = self.server._inject_js_into_html
        # Every HTML page the preview serves gets the live-reload script (MkDocs) and, while the
        # last rebuild reported problems, a panel at the top that lists them.
        self.server._inject_js_into_html = (  # type: ignore[method-assign]
            lambda content, epoch: inject(self._with_problems(content), epoch))
        for name in WATCHED:
            if (root / name).is_dir():
                self.server.watch(str(root / name))

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}/"

    def rebuild(self) -> bool:
        """Load the course and rebuild the site; on errors, report them and keep the last site.
        Returns whether the site was rebuilt."""
        started = time.monotonic()
        self._shown = []
        rebuilt = False
        try:
            rebuilt = self._rebuild(started)
            return rebuilt
        finally:
            self.problems, self.kept = "".join(self._shown), not rebuilt

    def _build(self) -> None:
        self.rebuild()

    def _rebuild(self, started: float) -> bool:
        from builder.model.load import load_project
        from builder.render import BuildOptions, RenderError, build_date

        project, diags = load_project(self.root)
        errors = [d for d in diags if d.severity == "error"]
        if errors:
            self._report(errors, len(project.sources) if project else 0)
        # A file that does not load would drop its pages: keep showing the last good site
        # until it is fixed. Only the first build shows whatever loads.
        if project is None or (errors and self.builds):
            self._say("course serve: kept the last good site; fix the errors above", shown=True)
            return False
        from builder.model.editions import default_edition, default_region, for_edition
        from builder.render.site import page_cache, prepare_site, run_mkdocs

        edition = self.edition or default_edition(project)
        if edition and edition not in {e.id for e in project.course.editions}:
            edition = default_edition(project)  # renamed in course.yaml while the preview runs
        project = for_edition(project, edition)
        region = (self.region or (default_region(project, edition) if edition else None)
                  or project.course.default_region).lower()
        opts = BuildOptions(region=region, audience=self.audience, pdf=False,  # type: ignore[arg-type]
                            build_date=build_date(), extra={"site_url": self.url}, edition=edition)
        try:
            folder, _ = prepare_site(project, opts, _planned(project, opts))
            # Its own page cache: the preview's pages (built for its address) are not the site's.
            pages = page_cache(project, folder, f"serve-{folder.root.name}")
            warnings = run_mkdocs(folder, self.site_dir, strict=False, pages=pages)
        except RenderError as e:
            self._report(e.diagnostics, len(project.sources))
            return False
        if warnings:
            self._report(warnings, len(project.sources))
        self.builds += 1
        self._say(f"course serve: site rebuilt in {time.monotonic() - started:.1f} s")
        return True

    def serve(self) -> None:
        """Build once, then serve and rebuild on every change until shut down."""
        # LiveReloadServer.serve() would bind after our first build; bind first, so the site
        # is built for its real address (port 0 = any free port), which instant navigation needs.
        self.server.server_bind()
        self.server.server_activate()
        self.rebuild()
        self.server.observer.start()
        self.server.serve_thread.start()
        self.ready.set()
        self._say(f"course serve: {self.url} (Ctrl-C to stop)")
        self.server._build_loop()

    def shutdown(self) -> None:
        self.server.shutdown()
        shutil.rmtree(self.site_dir, ignore_errors=True)

    def _error_page(self, code: int) -> bytes | None:
        page = self.site_dir / f"{code}.html"
        if code == 404 and page.is_file():
            return page.read_bytes()
        if code == 404 and self.problems:  # nothing built yet: the problems are the page
            html_page = (b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                         b"<title>Course preview: problems</title></head><body></body></html>")
            return bytes(self.server._inject_js_into_html(html_page, self.server._visible_epoch))
        return None

    def _with_problems(self, content: bytes) -> bytes:
        """`content` (an HTML page) with the problems of the last rebuild at the top of its body."""
        if not self.problems:
            return content
        match = re.search(rb"<body[^>]*>", content)
        at = match.end() if match else 0
        return content[:at] + problems_panel(self.problems, self.kept).encode() + content[at:]

    def _report(self, diags: list[Diagnostic], files: int) -> None:
        text = format_text(diags, files)
        self._shown.append(text)
        self.out.write(text)
        self.out.flush()

    def _say(self, line: str, shown: bool = False) -> None:
        if shown:
            self._shown.append(line + "\n")
        self.out.write(line + "\n")
        self.out.flush()


def problems_panel(text: str, kept: bool) -> str:
    """A panel listing what the last rebuild reported, as the terminal shows it."""
    what = ("This page is from the last build that worked. Fix the problems and save: the page reloads."
            if kept else "Fix them and save: the page reloads.")
    return ('<div id="course-serve-problems" role="alert" style="position:relative;z-index:10;margin:0;'
            'padding:1em 1.5em;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;'
            'font:16px/1.5 system-ui,sans-serif">'
            '<h2 style="margin:0 0 .5em;font-size:1.25em">course serve found problems in the course</h2>'
            f'<p style="margin:0 0 .5em">{what}</p>'
            f'<pre style="white-space:pre-wrap;margin:0;font-size:14px">{html.escape(text)}</pre></div>')


def _planned(project: Project, opts: BuildOptions) -> list[Artifact]:
    """What `course build` would write next to the site, so Downloads looks the same."""
    try:
        from builder.build import plan_all

        return plan_all(project, opts)
    except ImportError:  # a renderer that is not there yet
        return []


def add_arguments(p: argparse.ArgumentParser, root: Path | None = None) -> None:
    p.add_argument("--region", help=region_help(root))
    p.add_argument("--audience", choices=["participant", "facilitator"], default="participant")
    p.add_argument("--addr", default="127.0.0.1:8000")
    p.add_argument("--edition", help="the edition to preview (course.yaml `editions:`; default: default_edition)")


def run(args: argparse.Namespace) -> int:
    host, _, port = str(args.addr).rpartition(":")
    if not host or not port.isdigit():
        warn(f"course: error: --addr must be HOST:PORT, got '{args.addr}'")
        return 2
    from builder.model.load import load_project

    project, diags = load_project(args.root)
    if project is None:
        print_text([d for d in diags if d.severity == "error"], 0)
        return 1
    from builder.cli.build import resolve_edition
    from builder.model.editions import default_region

    edition = resolve_edition(project, args.edition)
    region = resolve_region(project, args.region or (default_region(project, edition) if edition else None))
    preview = Preview(args.root, region=region, audience=args.audience, host=host, port=int(port), edition=edition)
    try:
        preview.serve()
    except OSError as e:
        warn(f"course: error: cannot serve on {args.addr}: {e.strerror or e}")
        return 1
    except KeyboardInterrupt:
        warn("course serve: stopped")
    finally:
        preview.shutdown()
    return 0
