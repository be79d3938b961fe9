"""HTML to PDF with WeasyPrint: the course font, a fetcher that stays home, a process pool.

WeasyPrint is imported only inside `_Worker` (in the pool's processes, or in this process when
one document is rendered), never at module import: `course build --no-pdf`, `plan_pdfs` and
the site never pay for it.

Rendering many documents in a few long-lived processes is the fast path (measured 1.5-1.8x
over one process per document); each worker parses the shared stylesheet and loads the
fonts once. A finished PDF is cached by a hash of everything that shapes it, so a rebuild
with unchanged sources copies instead of rendering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from builder.render import Paper
from builder.util import library_versions, node_modules, write_atomic

FONT_PACKAGE = Path("node_modules/@fontsource/atkinson-hyperlegible/files")
FONT_FAMILY = "Atkinson Hyperlegible"
STYLESHEET = Path(__file__).parent / "templates" / "print.css"
PAPER_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}

# unicode-range of the two fontsource subsets (copied from the package's index.css), so
# WeasyPrint picks the right file for each character.
_SUBSETS = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,"
             "U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,"
                 "U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,"
                 "U+2113,U+2C60-2C7F,U+A720-A7FF",
}


@dataclass(frozen=True)
class Job:
    """One PDF to write: its HTML and where it goes."""

    name: str  # file name, e.g. "workbook.pdf"
    html: str
    page_css: str  # paper size and running footer text for this document
    target: Path
    anchors: bool = False  # also report the page of every anchor (for a long document's page map)


@dataclass
class Outcome:
    name: str
    pages: int = 0
    seconds: float = 0.0
    cached: bool = False
    problems: list[str] = field(default_factory=list)  # fetches refused, images not loaded
    warnings: list[str] = field(default_factory=list)  # anything else WeasyPrint logged
    anchors: dict[str, int] = field(default_factory=dict)  # id -> page index (0-based), when asked
    key: str = ""  # the cache key it was rendered under ("" without a cache)


class FontMissing(Exception):
    pass


def find_font_dir(root: Path) -> Path:
    """The course font files, in the front-end packages (builder.util.node_modules): the
    project's node_modules, else the builder checkout's."""
    modules = node_modules(root)
    d = modules / FONT_PACKAGE.relative_to("node_modules") if modules is not None else None
    if d is not None and (d / "atkinson-hyperlegible-latin-400-normal.woff2").is_file():
        return d.resolve()
    raise FontMissing(f"the course font is missing: {FONT_PACKAGE} (run `npm ci`); "
                      "PDFs are never made with a substitute system font")


def font_faces_css(font_dir: Path) -> str:
    """@font-face rules for the regular, bold and italic faces of both subsets."""
    rules = []
    for subset, ranges in _SUBSETS.items():
        for weight in (400, 700):
            for style in ("normal", "italic"):
                f = font_dir / f"atkinson-hyperlegible-{subset}-{weight}-{style}.woff2"
                rules.append(f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
                             f"font-style: {style}; src: url('{f.as_uri()}') format('woff2'); "
                             f"unicode-range: {ranges}; }}")
    return "\n".join(rules)


def page_css(paper: Paper, footer: str) -> str:
    """The per-document page rules: paper size and the footer text."""
    return (f"@page {{ size: {PAPER_SIZES[paper]}; }}\n"
            f"@page certificate {{ size: {PAPER_SIZES[paper]} landscape; }}\n"
            f":root {{ --footer: {css_string(footer)}; }}\n"
            f"@page :right {{ @bottom-left {{ content: {css_string(footer)}; }} }}\n"
            f"@page :left {{ @bottom-right {{ content: {css_string(footer)}; }} }}\n")


def css_string(text: str) -> str:
    """A CSS string literal for any text."""
    return '"' + re.sub(r'(["\\])', r"\\\1", text).replace("\n", " ") + '"'


def epoch_of(date: str) -> int:
    """Midnight UTC of an ISO date, for the timestamps fontTools writes into font subsets."""
    try:
        d = dt.date.fromisoformat(date)
    except ValueError:
        d = dt.date(1980, 1, 1)
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp())


def shared_inputs_key(font_dir: Path) -> bytes:
    """What shapes every PDF alike: the stylesheet, the fonts and the library versions."""
    h = hashlib.sha256(STYLESHEET.read_bytes())
    h.update(f"{library_versions('pdf')}\0".encode())
    for f in sorted(font_dir.glob("*.woff2")):
        st = f.stat()
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.digest()


def cache_key(job: Job, shared: bytes) -> str:
    """Everything that shapes the PDF bytes: its HTML and page CSS, the images it shows, and
    the inputs all PDFs share (`shared_inputs_key`, computed once per render)."""
    h = hashlib.sha256(shared)
    for part in (job.html, job.page_css):
        h.update(part.encode())
        h.update(b"\0")
    for f in [Path(p) for p in sorted(set(re.findall(r'src="file://([^"]+)"', job.html)))]:
        try:
            st = f.stat()
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(f"{f}:missing\0".encode())
    return h.hexdigest()


def render_jobs(jobs: list[Job], allowed: list[Path], font_dir: Path, workers: int, build_date: str,
                cache_dir: Path | None) -> list[Outcome]:
    """Render every job (in a pool when there are several), reusing cached PDFs."""
    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[Job, str]] = []
    shared = shared_inputs_key(font_dir) if cache_dir else b""
    for job in jobs:
        key = cache_key(job, shared) if cache_dir else ""
        cached = cache_dir / f"{key}.pdf" if cache_dir else None
        anchors_file = cached.with_suffix(".anchors.json") if cached is not None else None
        if (cached is not None and anchors_file is not None and cached.is_file()
                and cached.with_suffix(".pages").is_file() and (not job.anchors or anchors_file.is_file())):
            _copy_atomic(cached, job.target)
            os.utime(cached)  # recently used: kept by _prune
            pages = int(cached.with_suffix(".pages").read_text() or 0)
            anchors = json.loads(anchors_file.read_text()) if job.anchors else {}
            outcomes[job.name] = Outcome(job.name, pages=pages, cached=True, anchors=anchors, key=key)
        else:
            todo.append((job, key))
    # Longest first, so the workbook does not start last and hold up the whole build.
    todo.sort(key=lambda jk: -len(jk[0].html))
    # The font folder is always readable: @font-face rules point into it.
    init = (tuple(str(a) for a in [*allowed, font_dir]), str(font_dir), epoch_of(build_date))
    n = max(1, min(workers, len(todo)))
    if not todo:
        results: list[Outcome] = []  # everything cached: WeasyPrint is not even imported
    elif n == 1:
        worker = _Worker(*init)
        results = [worker.render(job) for job, _ in todo]
    else:
        with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(*init, os.getpid())) as pool:
            results = list(pool.map(_render_in_worker, [job for job, _ in todo]))
    for (job, key), out in zip(todo, results, strict=True):
        out.key = key
        outcomes[job.name] = out
        if cache_dir and not out.problems and job.target.is_file():
            cache_dir.mkdir(parents=True, exist_ok=True)
            if job.anchors:
                write_atomic(cache_dir / f"{key}.anchors.json", json.dumps(out.anchors, sort_keys=True).encode())
            # The page count first: a PDF without one is not a cache hit.
            (cache_dir / f"{key}.pages").write_text(str(out.pages))
            _copy_atomic(job.target, cache_dir / f"{key}.pdf")
    if cache_dir:
        _prune(cache_dir)
    return [outcomes[job.name] for job in jobs]


CACHE_DAYS = 30


def _prune(cache_dir: Path) -> None:
    """Forget PDFs no build has used for a month: the cache stays small without a clean step."""
    limit = time.time() - CACHE_DAYS * 86400
    for f in cache_dir.glob("*.pdf"):
        with contextlib.suppress(OSError):
            if f.stat().st_mtime < limit:
                f.unlink()
                f.with_suffix(".pages").unlink(missing_ok=True)
                f.with_suffix(".anchors.json").unlink(missing_ok=True)
    for f in cache_dir.glob("pagemap-*.json"):  # the page maps of long documents (parts.py)
        with contextlib.suppress(OSError):
            if f.stat().st_mtime < limit:
                f.unlink()


def _copy_atomic(src: Path, dst: Path) -> None:
    write_atomic(dst, src.read_bytes())


# -- the worker side -------------------------------------------------------------------------

_WORKER: _Worker | None = None


def _init_worker(allowed: tuple[str, ...], font_dir: str, epoch: int, build_pid: int) -> None:
    global _WORKER
    _die_with_parent(build_pid)
    _WORKER = _Worker(allowed, font_dir, epoch)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(build_pid: int) -> None:
    """End this worker when the build that started it is gone, even after `kill -9`.

    A killed build closes nothing a worker waits on (a forked worker holds both ends of the
    pool's pipes itself), so without this the workers would block on a read forever. On Linux
    the kernel sends SIGKILL when the worker's parent exits. Everywhere, and in case the build
    died before the prctl took effect: a daemon thread exits once the worker's parent changed
    (it was re-parented) or the build's process is gone.
    """
    import signal
    import sys
    import threading

    parent = os.getppid()  # the build itself, or a fork server it started
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def orphaned() -> bool:
        if os.getppid() != parent:
            return True
        try:
            os.kill(build_pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, and someone else's: cannot happen for our own parent
            pass
        return False

    if orphaned():
        os._exit(1)

    def watch() -> None:
        while not orphaned():
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-build", daemon=True).start()


def _render_in_worker(job: Job) -> Outcome:
    assert _WORKER is not None
    return _WORKER.render(job)


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


class _Worker:
    """Holds WeasyPrint, the parsed stylesheet and the loaded fonts for many documents."""

    def __init__(self, allowed: tuple[str, ...], font_dir: str, epoch: int) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from builder.render.print.fetcher import SafeFetcher

        self.epoch = epoch
        self.fetcher = SafeFetcher([Path(a) for a in allowed])
        self.fonts = FontConfiguration()
        css = font_faces_css(Path(font_dir)) + "\n" + STYLESHEET.read_text(encoding="utf-8")
        self.log = _LogCollector()
        logging.getLogger("weasyprint").addHandler(self.log)
        self.stylesheet = CSS(string=css, font_config=self.fonts, url_fetcher=self.fetcher)

    def render(self, job: Job) -> Outcome:
        from weasyprint import CSS, HTML

        started = time.perf_counter()
        self.log.records.clear()
        self.fetcher.refused.clear()
        # fontTools stamps subset fonts with SOURCE_DATE_EPOCH or the current time: pin it to
        # the build date so the same sources give byte-identical PDFs.
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = saved if saved and saved.isdigit() else str(self.epoch)
        tmp = job.target.with_name(f".{job.target.name}.{os.getpid()}.tmp")
        try:
            doc = HTML(string=job.html, base_url=self.fetcher.roots[0].as_uri() + "/",
                       url_fetcher=self.fetcher).render(
                stylesheets=[self.stylesheet, CSS(string=job.page_css, font_config=self.fonts)],
                font_config=self.fonts, pdf_variant="pdf/ua-1")
            job.target.parent.mkdir(parents=True, exist_ok=True)
            doc.write_pdf(tmp, pdf_variant="pdf/ua-1", optimize_images=False)
            os.replace(tmp, job.target)
        except Exception as e:  # reported as a diagnostic by the caller, with the document's name
            with contextlib.suppress(OSError):
                tmp.unlink()
            return Outcome(job.name, problems=[f"WeasyPrint failed on {job.name}: {e!r}"])
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        problems = [f"refused to fetch {url}" for url in self.fetcher.refused]
        # WeasyPrint also logs each refusal ("Failed to load ...: refused to fetch"): once is enough.
        problems += [r for r in self.log.records if "Failed to load" in r and "refused to fetch" not in r]
        warnings = [r for r in self.log.records if "Failed to load" not in r]
        anchors: dict[str, int] = {}
        if job.anchors:
            for i, pg in enumerate(doc.pages):
                for name in pg.anchors:
                    anchors.setdefault(name, i)
        return Outcome(job.name, pages=len(doc.pages), seconds=time.perf_counter() - started,
                       problems=problems, warnings=warnings, anchors=anchors)

