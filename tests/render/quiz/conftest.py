"""Shared fixtures for the quiz export tests: the minimal course, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.model.load import load_project
from builder.model.project import Project
from builder.render.quiz import FORMATS, export_format, form_collection
from builder.render.quiz.common import Collection, Export, bank_collection
from tests.helpers import FIXTURES


@pytest.fixture(scope="session")
def minimal() -> Project:
    project, diags = load_project(FIXTURES / "minimal")
    assert project is not None and not diags
    return project


@pytest.fixture(scope="session")
def bank(minimal: Project) -> Collection:
    return bank_collection(minimal)


@pytest.fixture(scope="session")
def form(minimal: Project) -> Collection:
    assert minimal.forms is not None
    return form_collection(minimal, minimal.forms.forms[0])


@pytest.fixture(scope="session")
def exports(bank: Collection, form: Collection) -> dict[tuple[str, str], Export]:
    """(collection ident, format) -> Export, for the banks and the pre/post form."""
    return {(c.ident, f): export_format(c, f) for c in (bank, form) for f in FORMATS}


def one_file(export: Export) -> bytes:
    assert len(export.files) == 1, sorted(export.files)
    return next(iter(export.files.values()))


GOLDEN = Path(__file__).with_name("golden")
