"""Shared fixtures: the real course (read only) and its pre/post form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from builder.evaluate.instrument import Instrument, instrument
from builder.model.forms import find_form
from builder.model.load import load_project
from builder.model.project import Project
from tests.helpers import REPO
from tests.site.conftest import browser  # noqa: F401  (the site tests' one Chromium)


@pytest.fixture(scope="session")
def project() -> Project:
    p, _ = load_project(REPO, cache=False)
    assert p is not None
    return p


@pytest.fixture(scope="session")
def inst(project: Project) -> Instrument:
    form = find_form(project, "pre-post")
    assert form is not None
    return instrument(project, form)


@pytest.fixture(scope="session")
def salt() -> Iterator[bytes]:
    yield b"test-salt"
