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
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from builder.diagnostics import Diagnostic, format_text
from builder.model.load import load_project
from builder.render import Artifact, BuildOptions, RenderError, build_date
from builder.render.site import page_cache, prepare_site, run_mkdocs

WATCHED = ("curriculum", "modules", "quizzes")


class Preview:
    """A live-reloading preview of one edition of the site.

    `serve()` blocks; call `shutdown()` from another thread (or press Ctrl-C) to stop it.
    `port=0` picks a free port: read `url` once `ready` is set.
    """

    def __init__(self, root: Path, *, region: str | None, audience: str, host: str = "127.0.0.1",
                 port: int = 8000, out=sys.stdout) -> None:
        from mkdocs.livereload import LiveReloadServer

        self.root = root
        self.region = region
        self.audience = audience
        self.out = out
        self.site_dir = Path(tempfile.mkdtemp(prefix="course-serve-"))
        self.ready = threading.Event()
        self.builds = 0  # finished builds, for tests and the log line
        self.server = LiveReloadServer(builder=self.rebuild, host=host, port=port, root=str(self.site_dir),
                                       polling_interval=0.2)
        self.server.build_delay = 0.05
        self.server.error_handler = self._error_page
        for name in WATCHED:
            if (root / name).is_dir():
                self.server.watch(str(root / name))

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> bool:
        """Load the course and rebuild the site; on errors, report them and keep the last site.
        Returns whether the site was rebuilt."""
        started = time.monotonic()
        project, diags = load_project(self.root)
        errors = [d for d in diags if d.severity == "error"]
        if errors:
            self._report(errors, len(project.sources) if project else 0)
        # A file that does not load would drop its pages: keep showing the last good site
        # until it is fixed. Only the first build shows whatever loads.
        if project is None or (errors and self.builds):
            print("course serve: kept the last good site; fix the errors above", file=self.out, flush=True)
            return False
        region = (self.region or project.course.default_region).lower()
        opts = BuildOptions(region=region, audience=self.audience, pdf=False,  # type: ignore[arg-type]
                            build_date=build_date(), extra={"site_url": self.url})
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
        print(f"course serve: site rebuilt in {time.monotonic() - started:.1f} s", file=self.out, flush=True)
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
        print(f"course serve: {self.url} (Ctrl-C to stop)", file=self.out, flush=True)
        self.server._build_loop()

    def shutdown(self) -> None:
        self.server.shutdown()
        shutil.rmtree(self.site_dir, ignore_errors=True)

    def _error_page(self, code: int) -> bytes | None:
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    def _report(self, diags: list[Diagnostic], files: int) -> None:
        self.out.write(format_text(diags, files))
        self.out.flush()


def _planned(project, opts: BuildOptions) -> list[Artifact]:
    """What `course build` would write next to the site, so Downloads looks the same."""
    try:
        from builder.build import plan_all

        return plan_all(project, opts)
    except ImportError:  # a renderer that is not there yet
        return []


def cmd_serve(args: argparse.Namespace) -> int:
    host, _, port = str(args.addr).rpartition(":")
    if not host or not port.isdigit():
        print(f"course: error: --addr must be HOST:PORT, got '{args.addr}'", file=sys.stderr)
        return 2
    project, diags = load_project(args.root)
    if project is None:
        sys.stdout.write(format_text([d for d in diags if d.severity == "error"], 0))
        return 1
    region = (args.region or project.course.default_region).lower()
    if region not in project.resources.regions:
        print(f"course: error: no region '{region}' in curriculum/resources.yaml "
              f"(regions: {', '.join(sorted(project.resources.regions))})", file=sys.stderr)
        return 2
    preview = Preview(args.root, region=region, audience=args.audience, host=host, port=int(port))
    try:
        preview.serve()
    except OSError as e:
        print(f"course: error: cannot serve on {args.addr}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("course serve: stopped", file=sys.stderr)
    finally:
        preview.shutdown()
    return 0
