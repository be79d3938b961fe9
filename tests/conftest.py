"""Suite-wide settings that keep tests repeatable."""

from __future__ import annotations

import pytest

# Resource `verified_on` dates age with the clock; tests measure them against a fixed day so a
# fixture does not start failing a year from now. The real course is checked against the real
# date by `make check` and the pull-request workflow, which is where staleness must show.
# The pinned day is the day the real course's help lines were last reviewed (resources.yaml),
# so none of them is dated in the "future" of the tests.
PINNED_TODAY = "2026-12-06"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_TODAY", PINNED_TODAY)


@pytest.fixture(autouse=True)
def _private_parse_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests never read or write the developer's own parse cache.
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parse-cache"))
