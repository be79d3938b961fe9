"""The renderer registry: the build renders whatever registered itself, in order, and the
site finds other renderers' files (each module's handout) by artifact metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import build as build_mod
from builder import render
from builder.model.load import load_project
from builder.model.project import Project
from builder.render import Artifact, BuildOptions, Renderer, RenderJob
from builder.render.site.context import handout_for
from tests.helpers import REPO

OPTS = BuildOptions(region="us", pdf=False)


def _project() -> Project:
    project, diags = load_project(REPO / "tests/fixtures/curricula/minimal", cache=False)
    assert project is not None, diags
    return project


def test_the_three_formats_register_themselves_site_first() -> None:
    assert [r.name for r in render.renderers()][:3] == ["site", "quiz", "pdf"]


def test_a_new_format_is_one_registration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A renderer registered from outside the build is planned, told every plan, and rendered
    after the ones before it, without any change to builder.build."""
    monkeypatch.setattr(render, "_REGISTRY", dict(render._REGISTRY))
    calls: list[str] = []
    seen: list[RenderJob] = []
    mine = Artifact("downloads/lms/course.zip", "LMS package", "For your LMS.", "other", role="lms-package")

    def fake(name: str, planned: list[Artifact], order: int) -> Renderer:
        def plan(project: Project, opts: BuildOptions) -> list[Artifact]:
            return planned

        def write(project: Project, out_root: Path, opts: BuildOptions, job: RenderJob) -> list[Artifact]:
            calls.append(name)
            seen.append(job)
            for a in planned:
                (out_root / a.path).parent.mkdir(parents=True, exist_ok=True)
                (out_root / a.path).write_text(name)
            return planned
        return Renderer(name, plan, write, order)

    for r in list(render._REGISTRY.values()):  # keep the real ones out of this test
        render._REGISTRY[r.name] = fake(r.name, [], r.order)
    render.register(fake("lms", [mine], order=30))
    out = tmp_path / "site"
    result = build_mod.build(_project(), out, OPTS)
    assert calls == ["site", "quiz", "pdf", "lms"]
    assert all(job.planned == (mine,) and job.output == out for job in seen)
    assert (out / "downloads/lms/course.zip").read_text() == "lms"
    assert result.artifacts == [mine]


def test_handouts_are_found_by_role_and_module_not_by_file_name() -> None:
    project = _project()
    m1 = project.modules[0]
    named_like_one = Artifact(f"downloads/handout-{m1.folder}.pdf", "Old guess", "", "pdf")
    other_module = Artifact("downloads/b.pdf", "M2 handout", "", "pdf", role="handout", module="M2")
    real = Artifact("downloads/sheet.pdf", "Module 1 handout", "", "pdf", role="handout", module=m1.id)
    assert handout_for(m1, [named_like_one, other_module]) is None
    assert handout_for(m1, [named_like_one, other_module, real]) == real


def test_the_pdf_plan_says_which_document_and_module(tmp_path: Path) -> None:
    from builder.render.print import plan_pdfs

    arts = plan_pdfs(_project(), BuildOptions(region="us", audience="facilitator"))
    handouts = [a for a in arts if a.role == "handout"]
    assert handouts and all(a.module.startswith("M") for a in handouts)
    assert {a.role for a in arts} >= {"workbook", "handout"}
