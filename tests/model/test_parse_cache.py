"""The parse cache never changes what `course check` says, and a damaged cache is harmless."""

from __future__ import annotations

from pathlib import Path

from builder.model.load import cache_file
from tests.helpers import check_lines, course_copy
from tests.model.test_load_errors import MODULE, fixture_text


def test_cached_runs_report_the_same_and_follow_edits(tmp_path: Path) -> None:
    root = course_copy(tmp_path, files={MODULE: fixture_text(MODULE).replace("duration: 45", "duration: x")})
    first = check_lines(root)
    assert cache_file(root).exists()
    assert check_lines(root) == first  # served from the cache
    assert first[0].endswith("duration: expected a whole number, got 'x' [schema.type]")
    (root / MODULE).write_text(fixture_text(MODULE))
    assert check_lines(root) == ["no problems in 13 files"]


def test_cache_lives_outside_the_project(tmp_path: Path) -> None:
    # A pickle inside the repository could arrive in a pull request and run code when loaded.
    root = course_copy(tmp_path)
    check_lines(root)
    assert cache_file(root).exists()
    assert not cache_file(root).resolve().is_relative_to(root.resolve())
    assert not list(root.rglob("*.pickle"))


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    check_lines(root)
    cache_file(root).write_bytes(b"parse-cache-1" + b"\x80\x05garbage")
    assert check_lines(root) == ["no problems in 13 files"]
    cache_file(root).write_bytes(b"not ours at all")
    assert check_lines(root) == ["no problems in 13 files"]
