"""The printable "What changed for facilitators" PDF, made like the course's other PDFs: the
print engine (WeasyPrint, PDF/UA, the course font embedded, a fetcher that stays home) with
the course's print stylesheet, A4 or US Letter, and the build date in the metadata.
"""

from __future__ import annotations

from pathlib import Path

from builder.diff.compare import Report
from builder.diff.render import html_page

PDF_NAME = "what-changed.pdf"


class PdfError(Exception):
    pass


def printable(html: str, font_dir: Path) -> str:
    """`html` with every character the course font cannot draw written as [U+XXXX] (an old
    revision's text may hold one): the PDF never falls back to a system font."""
    from builder.render.print.glyphs import font_coverage

    cover = font_coverage(font_dir)
    return "".join(c if ord(c) in cover or c.isspace() else f"[U+{ord(c):04X}]" for c in html)


def render_pdf(report: Report, root: Path, target: Path, *, paper: str = "a4", author: str = "",
               build_date: str = "") -> int:
    """Write the report as a PDF at `target`; returns its number of pages. `root` is the
    project (where the course font is found)."""
    from builder.render.print.engine import FontMissing, Job, find_font_dir, page_css, render_jobs

    try:
        font_dir = find_font_dir(root)
    except FontMissing as e:
        raise PdfError(str(e)) from None
    html = printable(html_page(report, for_print=True, author=author, build_date=build_date), font_dir)
    footer = f"What changed for facilitators · {report.new.title} · version {report.new.version}"
    job = Job(PDF_NAME, html, page_css(paper, printable(footer, font_dir)), target)  # type: ignore[arg-type]
    [outcome] = render_jobs([job], [font_dir], font_dir, 1, build_date, None)
    if outcome.problems:
        target.unlink(missing_ok=True)
        raise PdfError("; ".join(outcome.problems))
    return outcome.pages
