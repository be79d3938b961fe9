"""Planning, audiences, reproducible bytes, the PDF cache, and problems reported as diagnostics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder.model.load import load_project
from builder.render import RenderError
from builder.render.print import plan_pdfs, render_specs, select
from tests.helpers import FIXTURES, REPO, course_copy
from tests.print.conftest import options, rich_course

LESSON = "modules/01-first-steps/01-listening.md"


def test_planning_never_imports_weasyprint() -> None:
    code = ("import sys; from pathlib import Path; from builder.model.load import load_project;"
            "from builder.render import BuildOptions; from builder.render.print import plan_pdfs;"
            f"p, _ = load_project(Path({str(FIXTURES / 'minimal')!r}));"
            "a = plan_pdfs(p, BuildOptions(region='us', audience='facilitator'));"
            "assert len(a) == 14, a; assert 'weasyprint' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_participant_builds_leave_out_answers_and_the_guide() -> None:
    project, _ = load_project(FIXTURES / "minimal")
    assert project is not None
    participant = {a.path for a in plan_pdfs(project, options(audience="participant"))}
    facilitator = {a.path for a in plan_pdfs(project, options(audience="facilitator"))}
    assert participant == {
        "downloads/workbook.pdf", "downloads/handout-01-first-steps.pdf", "downloads/handout-02-second-steps.pdf",
        "downloads/quiz-01-first-steps.pdf", "downloads/quiz-02-second-steps.pdf",
        "downloads/crisis-card-us.pdf", "downloads/certificate.pdf"}
    assert facilitator - participant == {
        "downloads/facilitator-guide.pdf", "downloads/quiz-01-first-steps-answers.pdf",
        "downloads/quiz-02-second-steps-answers.pdf", "downloads/form-pre-post-a.pdf",
        "downloads/form-pre-post-a-answers.pdf", "downloads/form-pre-post-b.pdf",
        "downloads/form-pre-post-b-answers.pdf"}
    for a in plan_pdfs(project, options(paper="letter")):
        assert a.kind == "pdf" and a.description.endswith("PDF, US Letter."), a


@pytest.mark.pdf
def test_same_sources_give_byte_identical_pdfs_and_the_cache_reuses_them(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project, _ = load_project(rich_course(tmp_path))
    assert project is not None
    specs = [*select(project, "quiz:M1", "us"), *select(project, "certificate", "us")]
    first = render_specs(project, specs, tmp_path / "one", options(jobs=1))
    second = render_specs(project, specs, tmp_path / "two", options())
    for s in specs:
        assert (tmp_path / "one" / s.name).read_bytes() == (tmp_path / "two" / s.name).read_bytes(), s.name
    assert not any(d["cached"] for d in [*first.documents.values(), *second.documents.values()])

    cache = str(tmp_path / "cache")
    render_specs(project, specs, tmp_path / "three", options(pdf_cache=cache))
    again = render_specs(project, specs, tmp_path / "four", options(pdf_cache=cache))
    assert all(d["cached"] for d in again.documents.values())
    assert all(d["pages"] >= 1 for d in again.documents.values())
    for s in specs:
        assert (tmp_path / "four" / s.name).read_bytes() == (tmp_path / "one" / s.name).read_bytes(), s.name


def _problems(root: Path) -> list[str]:
    project, diags = load_project(root)
    assert project is not None, diags
    with pytest.raises(RenderError) as e:
        render_specs(project, select(project, "workbook", "us"), root / "out", options())
    assert not (root / "out" / "workbook.pdf").exists(), "nothing half-written"
    return [d.format().split("\n")[0] for d in e.value.diagnostics]


def test_characters_missing_from_the_font_are_errors_with_their_place(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal" / LESSON).read_text()
    root = course_copy(tmp_path, files={LESSON: text.replace("- Put your phone away.", "- Put your phone away → now.")})
    [line] = _problems(root)
    assert line.startswith(f"{LESSON}:19:")
    assert "character '→' (RIGHTWARDS ARROW, U+2192) is not in the course font" in line and "[print.glyph]" in line


def test_images_without_alt_text_or_outside_the_project_are_errors(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal" / LESSON).read_text()
    root = course_copy(tmp_path, files={
        LESSON: text + "\n![](pic.png)\n\n![A logo](https://example.org/logo.png)\n\n![Secret](../../../x.png)\n",
        "modules/01-first-steps/pic.png": b"\x89PNG\r\n",
    })
    lines = _problems(root)
    assert any("image 'pic.png' has no alt text" in x and "[print.image-alt]" in x for x in lines), lines
    assert any("'https://example.org/logo.png' is not a file in the project" in x and "[print.fetch]" in x
               for x in lines), lines
    assert any("image '../../../x.png' not found in the project" in x for x in lines), lines


def test_cache_forgets_pdfs_unused_for_a_month(tmp_path: Path) -> None:
    import os
    import time

    from builder.render.print.engine import CACHE_DAYS, find_font_dir, render_jobs

    cache = tmp_path / "cache"
    cache.mkdir()
    for name, age_days in (("old", CACHE_DAYS + 1), ("recent", 1)):
        for suffix in (".pdf", ".pages"):
            f = cache / f"{name}{suffix}"
            f.write_text("1")
            then = time.time() - age_days * 86400
            os.utime(f, (then, then))
    render_jobs([], [tmp_path], find_font_dir(REPO), 1, "2026-11-22", cache)
    assert sorted(p.name for p in cache.iterdir()) == ["recent.pages", "recent.pdf"]
