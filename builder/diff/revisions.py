"""The two sides of a comparison: a folder as it is, or the project at a git revision.

A revision is read with `git archive` (no work tree, no checkout, no network) into a
temporary folder, keeping only the course's own folders (curriculum/, modules/, quizzes/),
regular files only: a symbolic link or a path that climbs out is never written.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from builder.diff.snapshot import Snap, snapshot
from builder.model.load import load_project

CONTENT = ("curriculum", "modules", "quizzes")
GIT_TIMEOUT = 60


class DiffError(Exception):
    """A side that cannot be read: an unknown revision, no course there, git missing."""


@dataclass
class Loaded:
    label: str
    revision: str  # full commit id; "" for a folder
    snap: Snap
    errors: list[str]  # the loader's errors at that side (the comparison uses what loaded)


def git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    """Run git in `root`; raises DiffError when git is missing."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not binary,
                              timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as e:
        raise DiffError(f"cannot run git: {e}") from None


def resolve(root: Path, rev: str) -> str:
    """The full commit id of `rev` in the repository that holds `root`."""
    if rev.startswith("-"):
        raise DiffError(f"'{rev}' is not a revision")
    run = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if run.returncode != 0 or not run.stdout.strip():
        raise DiffError(f"'{rev}' is neither a folder nor a git revision of {root}")
    return str(run.stdout.strip())


def prefix(root: Path) -> str:
    """Where the project sits inside its repository ('' at the top)."""
    run = git(root, "rev-parse", "--show-prefix")
    return str(run.stdout.strip()) if run.returncode == 0 else ""


def extract(root: Path, commit: str, dest: Path) -> None:
    """Write the course folders of `commit` into `dest` (regular files and folders only)."""
    pre = prefix(root)
    tree = f"{commit}:{pre.rstrip('/')}" if pre else commit
    listed = git(root, "ls-tree", "--name-only", tree)
    present = [name for name in CONTENT if name in set(str(listed.stdout).split("\n"))]
    if listed.returncode != 0 or "curriculum" not in present:
        raise DiffError(f"{commit[:12]} has no curriculum/ folder: not a revision of this course")
    run = git(root, "archive", "--format=tar", tree, "--", *present, binary=True)
    if run.returncode != 0:
        raise DiffError(f"git archive {tree} failed: {run.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(run.stdout), mode="r:") as tar:
        for member in tar.getmembers():
            path = PurePosixPath(member.name)
            if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] not in CONTENT:
                continue
            target = dest.joinpath(*path.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                data = tar.extractfile(member)
                target.write_bytes(data.read() if data else b"")


def load_folder(folder: Path, label: str, revision: str = "") -> Loaded:
    project, diags = load_project(folder, cache=False)
    if project is None:
        raise DiffError(f"{label}: no course could be read ({'; '.join(d.message for d in diags[:3])})")
    errors = [d.format().split("\n")[0] for d in diags if d.severity == "error"]
    return Loaded(label, revision, snapshot(project), errors)


def load_revision(root: Path, rev: str) -> Loaded:
    commit = resolve(root, rev)
    with tempfile.TemporaryDirectory(prefix="course-diff-") as tmp:
        extract(root, commit, Path(tmp))
        loaded = load_folder(Path(tmp), rev, commit)
    # Positions name files relative to the project, so they read the same for both sides.
    return loaded


def load_side(root: Path, what: str) -> Loaded:
    """`what` is a folder (relative to the current folder, or absolute) or a git revision."""
    folder = Path(what)
    if folder.is_dir() and (folder / "curriculum").is_dir():
        return load_folder(folder.resolve(), what)
    return load_revision(root, what)


@contextmanager
def checked_out(root: Path, rev: str) -> Iterator[Path]:
    """The course folders of `rev` in a temporary folder, for as long as the block runs."""
    commit = resolve(root, rev)
    with tempfile.TemporaryDirectory(prefix="course-diff-") as tmp:
        extract(root, commit, Path(tmp))
        yield Path(tmp)
