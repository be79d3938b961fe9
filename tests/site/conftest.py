"""Site tests: the fixture course built once per session in three editions, served over
http://127.0.0.1 by a threaded http.server, and driven by Debian's Chromium through Playwright.

The session course is the minimal fixture plus what the site must handle: a lesson with a
help block, an image, links to another lesson and an anchor, a collapsible block and a second
facilitator block; a content note and ground rules page (for the home page); and a page for
facilitators only.
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from builder.model.load import load_project
from builder.model.project import Project
from builder.render import Artifact, BuildOptions
from builder.render.quiz import ships_exports
from builder.render.site import render_site
from tests.helpers import REPO, course_copy

# $CHROMIUM (a path or a command name) or `chromium` on PATH; Debian's package is `chromium`.
CHROMIUM = os.environ.get("CHROMIUM") or "chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUILD_DATE = "2026-11-22"
REVISION = "0123456789ab"
SCREENSHOTS = Path(__file__).parent / "screenshots"

HELP_LESSON = """---
title: Getting help <now> & "later"
duration: 10
objectives: [M2.O1]
summary: When and how to pass a worry on.
---

## When to get help

Some moments need more than a friend. Go back to [listening well](../01-first-steps/01-listening.md#what-to-do)
when you are unsure what to say, and see [first words](01-responding.md#first-words).

![Three steps in a row: notice, ask, listen](images/steps.png)

!!! help "If you need help now"
    You do not have to cope alone. HELP-BLOCK-MARKER

??? tip "A tip that folds away"
    DETAILS-MARKER: open me.

!!! facilitator
    SECOND-FACILITATOR-MARKER: keep an eye on the time.
"""

CONTENT_NOTE = """---
title: Content note
duration: 5
summary: The hard topics in this course.
---

!!! content-note
    This course talks about distress. CONTENT-NOTE-MARKER It is OK to step away.

## Looking after yourself

Take breaks.
"""

GROUND_RULES = """---
title: Ground rules
duration: 5
summary: How we keep the group safe.
---

## Our ground rules

### 1. Keep it confidential

What is shared stays in the room.

### 2. You have the right to pass

Say "pass".
"""

FACILITATOR_PAGE = """---
title: Running a session
duration: 5
---

## Before the session

FACILITATOR-PAGE-MARKER: arrive early and set out the chairs.
"""

FORMS = """format: 1
forms:
  - id: pre-post
    title: Pre/post test
    modules: [M2]
    draw:
      objectives: all
      per_objective: 1
      types: [true_false]
    seed: 7
    variants: [A, B]
"""
FORM_QUESTION = "M2.Q02"  # the one question the form draws: never self-checked by participants

ARTIFACTS = [
    Artifact("downloads/workbook-us.pdf", "Participant workbook", "Every lesson with space to write.", "pdf"),
    Artifact("downloads/handout-01-first-steps.pdf", "Module 1 handout", "Key points and a worksheet.", "pdf",
             role="handout", module="M1"),
    Artifact("downloads/quizzes/moodle.xml", "Moodle XML", "All quiz banks for Moodle.", "quiz"),
]


def png_bytes(width: int = 160, height: int = 40) -> bytes:
    """A tiny valid PNG (grey pixels), made without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def site_course(tmp: Path) -> Path:
    """The minimal fixture plus the pages and lesson described in the module docstring."""
    root = course_copy(tmp, files={
        "modules/02-second-steps/02-getting-help.md": HELP_LESSON,
        "modules/02-second-steps/images/steps.png": png_bytes(),
        "curriculum/pages/content-note.md": CONTENT_NOTE,
        "curriculum/pages/ground-rules.md": GROUND_RULES,
        "curriculum/pages/running-a-session.md": FACILITATOR_PAGE,
    })
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text().replace(
        "  - file: pages/organisers.md\n    audience: organiser\n",
        "  - file: pages/ground-rules.md\n  - file: pages/content-note.md\n"
        "  - file: pages/organisers.md\n    audience: organiser\n"
        "  - file: pages/running-a-session.md\n    audience: facilitator\n"))
    module = root / "modules" / "02-second-steps" / "module.yaml"
    module.write_text(module.read_text().replace("  - 01-responding.md\n",
                                                 "  - 01-responding.md\n  - 02-getting-help.md\n"))
    # The pre/post form draws one question (M2.Q02), so every question type of M1 stays on the
    # participants' self-check, and one question shows what a form's question does there.
    (root / "quizzes" / "forms.yaml").write_text(FORMS)
    return root


def load(root: Path) -> Project:
    project, diags = load_project(root)
    errors = [d.format() for d in diags if d.severity == "error"]
    assert project is not None and not errors, errors
    return project


def publish_artifacts(site: Path, artifacts: list[Artifact]) -> None:
    """Write the files the PDF and quiz renderers would put next to the site."""
    for a in artifacts:
        path = site / a.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n" if a.path.endswith(".pdf") else b"<quiz/>\n")


@dataclass
class Site:
    root: Path  # the built site
    project: Project
    opts: BuildOptions
    artifacts: list[Artifact]
    url: str = ""  # http://127.0.0.1:PORT/ once served

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(tmp: Path, root: Path, site_url: str = "", **options: object) -> Site:
    project = load(root)
    extra = {"site_url": site_url} if site_url else {}
    opts = BuildOptions(region="us", build_date=BUILD_DATE, revision=REVISION, extra=extra, **options)  # type: ignore[arg-type]
    out = tmp / f"site-{opts.audience}{'-offline' if opts.offline else ''}"
    # As a build plans them: quiz exports (they hold the answers) only for facilitators.
    artifacts = [a for a in ARTIFACTS if a.kind != "quiz" or ships_exports(opts)]
    render_site(project, out, opts, artifacts)
    publish_artifacts(out, artifacts)
    return Site(out, project, opts, artifacts)


@pytest.fixture(scope="session")
def course_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def participant_site(course_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    # Served at a known address (site_url), as a hosted site would be: material's instant
    # navigation needs it.
    tmp = tmp_path_factory.mktemp("built")
    server, url = serve(tmp / "site-participant")
    site = build_site(tmp, course_root, site_url=url)
    site.url = url
    yield site
    server.shutdown()


@pytest.fixture(scope="session")
def facilitator_site(course_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    site = build_site(tmp_path_factory.mktemp("built"), course_root, audience="facilitator")
    server, site.url = serve(site.root)
    yield site
    server.shutdown()


@pytest.fixture(scope="session")
def offline_site(course_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_site(tmp_path_factory.mktemp("built"), course_root, offline=True)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real course as it is in the repository (whatever loads), participant edition."""
    tmp = tmp_path_factory.mktemp("real")
    for name in ("curriculum", "modules", "quizzes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, tmp / "course" / name)
    project, _ = load_project(tmp / "course")
    if project is None or not project.modules:
        pytest.skip("the real course does not load yet (curriculum/course.yaml)")
    opts = BuildOptions(region=project.course.default_region, build_date=BUILD_DATE, revision=REVISION)
    try:
        from builder.build import plan_all

        artifacts = plan_all(project, opts)
    except ImportError:
        artifacts = []
    render_site(project, tmp / "site", opts, artifacts)
    publish_artifacts(tmp / "site", artifacts)
    site = Site(tmp / "site", project, opts, artifacts)
    server, site.url = serve(site.root)
    yield site
    server.shutdown()


# -- the browser ------------------------------------------------------------------------------


# Other test folders import `browser` (tests/diff, tests/lms), which makes one fixture per
# folder; Playwright's sync API runs one instance per thread, so they all share this one.
_SHARED: dict[str, Any] = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not _SHARED["users"]:
        executable = shutil.which(CHROMIUM)
        if executable is None:
            pytest.fail(f"Chromium not found as {CHROMIUM!r}: apt-get install chromium (see the Makefile's "
                        "test-deps), or set CHROMIUM to the browser's path")
        playwright = sync_playwright().start()
        try:
            _SHARED["browser"] = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        except BaseException:
            playwright.stop()
            raise
        _SHARED["playwright"] = playwright
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("browser").close()
            _SHARED.pop("playwright").stop()


class Requests(list):
    """Every URL the page asked for, checked at the end of each test."""

    def foreign(self, *allowed_prefixes: str) -> list[str]:
        return [u for u in self if not u.startswith(allowed_prefixes)]


@pytest.fixture
def open_page(browser: object) -> Iterator[object]:
    """`open_page(site_url, width=1366, height=900, ignore_errors=())` -> a fresh page that
    records requests.

    After the test, every request must have gone to the site's own server (or, for file://
    sites, to the file system): the site loads nothing from anywhere else. And no script
    may have failed."""
    contexts: list[tuple[object, Requests, tuple[str, ...], list[str]]] = []

    def make(origin: str, width: int = 1366, height: int = 900,  # type: ignore[no-untyped-def]
             ignore_errors: tuple[str, ...] = ()):
        context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        requests = Requests()
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.requests = requests
        errors: list[str] = []
        page.on("pageerror", lambda e: None if str(e) in ignore_errors else errors.append(str(e)))
        allowed = ("file://",) if origin.startswith("file:") else (origin.rstrip("/") + "/", )
        contexts.append((context, requests, allowed + ("data:", "blob:", "about:"), errors))
        return page

    yield make
    for context, requests, allowed, errors in contexts:
        context.close()  # type: ignore[attr-defined]
        assert requests.foreign(*allowed) == [], "requests to other hosts"
        assert errors == [], "JavaScript errors on the page"
