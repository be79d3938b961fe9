"""builder.util: the one atomic write, node_modules lookup, library list and code digest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder import util


def test_write_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    assert util.write_atomic(target, "first")
    assert util.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        util.write_atomic(target, "new")
    assert util.write_atomic(target, "new", best_effort=True) is False  # a cache: swallowed
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_node_modules_prefers_the_project_then_the_checkout(tmp_path: Path) -> None:
    checkout = util.node_modules(tmp_path)  # the project has none: the builder checkout's
    assert checkout is None or checkout == (util.CHECKOUT / "node_modules").resolve()
    (tmp_path / "node_modules" / util.FONT_PACKAGE).mkdir(parents=True)
    assert util.node_modules(tmp_path) == (tmp_path / "node_modules").resolve()


def test_library_versions_names_every_library_once() -> None:
    everything = util.library_versions().split("\0")
    names = [part.split("=", 1)[0] for part in everything]
    assert len(names) == len(set(names))
    assert set(names) == {n for group in util.LIBRARIES.values() for n in group}
    assert util.library_versions("pdf").split("\0")[0].startswith("weasyprint=")


def test_code_digest_follows_version_and_files() -> None:
    a = util.code_digest("v1", "diagnostics.py")
    assert a == util.code_digest("v1", "diagnostics.py")
    assert a != util.code_digest("v2", "diagnostics.py")
    assert a != util.code_digest("v1", "diagnostics.py", "util.py")
    assert util.code_digest("v1") != util.code_digest("v1", "diagnostics.py")  # no pattern: every file
