"""Print tests: the fixture course's PDFs, rendered once per session, judged by poppler,
pypdf and page-validation (never by re-reading our own HTML).

The session course is a copy of the minimal fixture plus one lesson that exercises what
print must handle: a help block, a collapsible block, an image with alt text, a loose list,
links to another lesson and to the web, and a second facilitator block.
"""

from __future__ import annotations

import fcntl
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from builder.model.load import load_project
from builder.model.project import Project
from builder.render import BuildOptions
from builder.render.print import PrintReport, plan_specs, render_pdfs, render_specs, select
from tests.helpers import course_copy

BUILD_DATE = "2026-11-22"

RICH_LESSON = """---
title: Getting help
duration: 10
objectives: [M2.O1]
---

## When to get help

Some moments need more than a friend. Go back to [listening well](../01-first-steps/01-listening.md)
or read about the [988 Lifeline](https://988lifeline.org/).

![Three steps in a row: notice, ask, listen](images/steps.png)

1. Notice the change.

2. Ask how they are.

    Give them time to answer.

3. Listen.

=== "At school"
    TAB-SCHOOL-MARKER: talk to the school counsellor.

=== "At work"
    TAB-WORK-MARKER: talk to the employee assistance programme.

Crisis line
: A phone line for people in distress, open at all hours.[^hours]

[^hours]: FOOTNOTE-MARKER: some lines are not open all night.

Say `I'm here` and mean it.

| Where | Address |
| --- | --- |
| A very long address | https://example.org/a/very/long/path/that/never/breaks/on/its/own/because/it/has/no/spaces/at/all/anywhere.html |
| A long word | Pneumonoultramicroscopicsilicovolcanoconiosisandsomemorelettersthatkeepgoingandgoingandgoingbeyondthewidthofanypageatallwithoutasinglebreak |

!!! help "If you need help now"
    You do not have to cope alone. HELP-BLOCK-MARKER

??? tip "A tip that folds away on screen"
    DETAILS-MARKER: on paper this text is always shown.

!!! facilitator
    SECOND-FACILITATOR-MARKER: keep an eye on the time.
"""  # noqa: E501 - the table's unbreakable address and word are the point (overflow tests)


def png_bytes() -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("L", (300, 80), 255)
    draw = ImageDraw.Draw(im)
    for i in range(3):
        draw.rectangle((10 + i * 100, 10, 90 + i * 100, 70), outline=0, width=4)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def rich_course(tmp: Path) -> Path:
    root = course_copy(tmp, files={
        "modules/02-second-steps/02-getting-help.md": RICH_LESSON,
        "modules/02-second-steps/images/steps.png": png_bytes(),
    })
    yml = root / "modules/02-second-steps/module.yaml"
    yml.write_text(yml.read_text().replace("  - 01-responding.md\n", "  - 01-responding.md\n  - 02-getting-help.md\n"))
    return root


def options(paper: str = "a4", region: str = "us", audience: str = "facilitator", jobs: int = 2,
            **extra: str) -> BuildOptions:
    return BuildOptions(region=region, audience=audience, paper=paper, build_date=BUILD_DATE,  # type: ignore[arg-type]
                        jobs=jobs, extra={"pdf_cache": "off", **extra})


@dataclass
class PdfSet:
    project: Project
    folder: Path
    report: PrintReport
    titles: dict[str, str]  # file name -> title

    def __getitem__(self, name: str) -> Path:
        path = self.folder / name
        assert path.is_file(), f"{name} was not written"
        return path


def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
               build: Callable[[Path], None]) -> Path:
    """A folder that `build` fills once per test session, whichever xdist worker asks first.

    The PDF sets are the slow part of these tests. `--dist loadgroup` should keep their tests
    on one worker, but with pytest 9 and pytest-xdist 3.8 the group marker has no effect, so
    every worker would render everything again: the first one renders, the others wait and
    reuse its files (the pattern the pytest-xdist docs give for session fixtures).
    """
    base = tmp_path_factory.getbasetemp()
    base = base if worker_id == "master" else base.parent
    folder = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".done").write_text("")
    return folder


def _load(root: Path) -> Project:
    project, diags = load_project(root)
    assert project is not None, diags
    return project


def _report(folder: Path) -> PrintReport:
    data = json.loads((folder / "report.json").read_text())
    return PrintReport(data["documents"], data["seconds"])


def _save_report(folder: Path, report: PrintReport) -> None:
    (folder / "report.json").write_text(json.dumps({"documents": report.documents, "seconds": report.seconds}))


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PdfSet:
    """Every PDF of the rich fixture course (facilitator build, US, A4)."""

    def build(folder: Path) -> None:
        from builder.render.print import LAST_REPORT

        project = _load(rich_course(folder))
        render_pdfs(project, folder / "minimal" / "site", options())
        _save_report(folder, LAST_REPORT)

    folder = shared_dir(tmp_path_factory, worker_id, "pdfs", build)
    project = _load(folder / "minimal")
    return PdfSet(project, folder / "minimal" / "site" / "downloads", _report(folder),
                  {s.name: s.title for s in plan_specs(project, options())})


LETTER_DOCS = ("card", "quiz:M1", "handout:M1", "workbook")


@pytest.fixture(scope="session")
def letter_pdfs(pdfs: PdfSet, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PdfSet:
    """A few documents on US Letter, with the UK's crisis lines."""
    specs = [s for what in LETTER_DOCS for s in select(pdfs.project, what, "uk")]

    def build(folder: Path) -> None:
        _save_report(folder, render_specs(pdfs.project, specs, folder, options(paper="letter", region="uk")))

    folder = shared_dir(tmp_path_factory, worker_id, "letter", build)
    return PdfSet(pdfs.project, folder, _report(folder), {s.name: s.title for s in specs})


# -- poppler ----------------------------------------------------------------------------------

def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = run("pdfinfo", "-isodates", str(path))
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


def pages(path: Path) -> int:
    return int(pdfinfo(path)["Pages"])


def text(path: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """pdftotext in reading order (no -layout); `raw` keeps the content stream's order."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else [])]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return run(*args, str(path), "-")


def page_texts(path: Path) -> list[str]:
    """The text of every page (index 0 = page 1)."""
    return text(path).split("\f")[: pages(path)]


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s)
