"""Packages of the minimal fixture course and of the real course, built once per session."""

from __future__ import annotations

import io
import zipfile

import pytest

from builder.model.load import load_project
from builder.model.project import Project
from builder.render import BuildOptions
from builder.render.lms import build_packages
from tests.helpers import REPO, course_copy

OPTS = BuildOptions(region="us", audience="facilitator", pdf=False)


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


@pytest.fixture(scope="session")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Project:
    # A copy: building writes the generated MkDocs project into the course's .build/ folder.
    project, diags = load_project(course_copy(tmp_path_factory.mktemp("lms-minimal")))
    assert project is not None and not [d for d in diags if d.severity == "error"]
    return project


@pytest.fixture(scope="session")
def minimal_packages(minimal: Project) -> dict[str, tuple[str, bytes]]:
    return build_packages(minimal, OPTS)


@pytest.fixture(scope="session")
def real() -> Project:
    project, diags = load_project(REPO)
    if project is None or [d for d in diags if d.severity == "error"]:
        pytest.skip("the real course does not load cleanly (its own check reports why)")
    return project


@pytest.fixture(scope="session")
def real_packages(real: Project) -> dict[str, tuple[str, bytes]]:
    return build_packages(real, OPTS)


