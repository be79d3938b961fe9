"""A build never loses work: failures, Ctrl-C, kill -9 and concurrent builds leave site/ whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import build as build_mod
from builder.model.load import load_project
from builder.model.project import Project
from builder.render import Artifact, BuildOptions
from tests.helpers import REPO

OPTS = BuildOptions(region="us")


def _project() -> Project:
    """The fixture course (the renderers are replaced; the build still stamps its inputs)."""
    project, diags = load_project(REPO / "tests/fixtures/curricula/minimal", cache=False)
    assert project is not None, diags
    return project


def previous_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    (out / "downloads").mkdir(parents=True)
    (out / "index.html").write_text("previous build")
    (out / "downloads" / "a.pdf").write_text("previous pdf")
    return out


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_success_swaps_the_new_site_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = previous_site(tmp_path)

    def render(project: object, staging: Path, opts: BuildOptions, out: object = None) -> list[Artifact]:
        (staging / "index.html").write_text("new build")
        return [Artifact("index.html", "Home", "home page", "page")]

    monkeypatch.setattr(build_mod, "render_all", render)
    build_mod.build(_project(), out, OPTS)
    assert snapshot(out) == {"index.html": "new build"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging, no lock left


@pytest.mark.parametrize("error", [RuntimeError("renderer failed"), KeyboardInterrupt()])
def test_failure_or_ctrl_c_leaves_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                error: BaseException) -> None:
    out = previous_site(tmp_path)
    before = snapshot(out)

    def render(project: object, staging: Path, opts: BuildOptions, out: object = None) -> list[Artifact]:
        (staging / "index.html").write_text("half written")
        raise error

    monkeypatch.setattr(build_mod, "render_all", render)
    with pytest.raises(type(error)):
        build_mod.build(_project(), out, OPTS)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


KILLED_BUILD = """
import sys, time
from pathlib import Path
from builder import build as b
from builder.model.load import load_project
from builder.render import BuildOptions
def render(project, staging, opts, out=None):
    (staging / "index.html").write_text("half written")
    Path(sys.argv[2]).write_text("rendering")
    time.sleep(60)
b.render_all = render
project, _ = load_project(Path("tests/fixtures/curricula/minimal"), cache=False)
b.build(project, Path(sys.argv[1]), BuildOptions(region="us"))
"""


def test_killed_build_leaves_previous_site_and_next_build_cleans_up(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = previous_site(tmp_path)
    before = snapshot(out)
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(out), str(marker)], cwd=REPO)
    try:
        # While it runs, a second build refuses with a clear message.
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert time.monotonic() < deadline, "the child build never started rendering"
            time.sleep(0.05)
        with pytest.raises(build_mod.BuildBusy, match=rf"another build \(process {proc.pid}\) is writing site/"):
            build_mod.build(_project(), out, OPTS)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert snapshot(out) == before
    debris = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("site", "marker"))
    assert debris == [".site.lock", f".staging-site-{proc.pid}"]  # what a kill leaves behind

    def render(project: object, staging: Path, opts: BuildOptions, out: object = None) -> list[Artifact]:
        (staging / "index.html").write_text("new build")
        return []

    monkeypatch.setattr(build_mod, "render_all", render)
    build_mod.build(_project(), out, OPTS)
    assert snapshot(out) == {"index.html": "new build"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marker", "site"]


def test_kill_between_the_two_renames_of_a_swap_is_repaired(tmp_path: Path) -> None:
    out = previous_site(tmp_path)
    before = snapshot(out)
    out.rename(tmp_path / f".old-site-{os.getpid()}")  # the state a kill mid-swap leaves
    build_mod.clean_debris(out)
    assert snapshot(out) == before
