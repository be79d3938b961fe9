"""`kill -9` of a running `course build` leaves no PDF worker behind, and the site it was
replacing stays as it was.

A forked pool worker holds both ends of the pool's pipes itself, so a killed parent closes
nothing it waits on: before the workers learnt to die with their parent, two of them stayed
blocked on a read forever. Processes are read from /proc (Linux), not through a library.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO, course_copy

pytestmark = [pytest.mark.pdf, pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc")]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every live process below `root`: pid -> start time (telling a reused pid apart)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None and st[0] != "Z":
            children.setdefault(st[1], []).append((int(entry), st[2]))
    found, todo = {}, [root]
    while todo:
        for pid, start in children.get(todo.pop(), []):
            found[pid] = start
            todo.append(pid)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def _workers(build: int) -> dict[int, int]:
    """The build's pool workers: forked (the build's own command line) or started by multiprocessing."""
    own = _cmdline(build)
    return {pid: start for pid, start in _descendants(build).items()
            if (cmd := _cmdline(pid)) == own or b"multiprocessing" in cmd}


def _alive(pid: int, start: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z" and st[2] == start  # a zombie has ended


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _course(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder.cli", *args]


def test_kill_9_of_a_build_leaves_no_worker_and_the_old_site(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    out = tmp_path / "site"
    env = {**os.environ, "COURSE_CACHE_DIR": str(tmp_path / "cache")}  # no cached PDFs: a pool must run
    first = subprocess.run(_course("build", "--root", str(root), "--out", str(out), "--no-pdf"),
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    before = _digests(out)

    build = subprocess.Popen(_course("build", "--root", str(root), "--out", str(out), "--jobs", "2"),
                             cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: dict[int, int] = {}
        while len(workers) < 2:
            assert build.poll() is None, "the build ended before its PDF workers were seen"
            assert time.monotonic() < deadline, "no PDF workers within 120 s"
            workers = _workers(build.pid)
            time.sleep(0.01)
        assert all(_alive(pid, start) for pid, start in workers.items())
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    deadline = time.monotonic() + 5
    while (left := [pid for pid, start in workers.items() if _alive(pid, start)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:  # do not leave them to the rest of the test run
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} of {len(workers)} workers outlived the killed build by 5 s"

    assert _digests(out) == before  # the previous site, untouched
    again = subprocess.run(_course("build", "--root", str(root), "--out", str(out), "--no-pdf"),
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr  # and nothing left blocks the next build
