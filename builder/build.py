"""The build behind `course build`: render the site, quiz exports and PDFs into `site/` atomically.

Everything is written into a staging folder next to the output; only when every renderer
succeeded is it swapped into place. An error, Ctrl-C or a killed process leaves the previous
`site/` complete; leftover staging folders are removed by the next build. A lock file
makes a second concurrent build refuse with a clear message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from builder.model.editions import for_edition
from builder.model.project import Project
from builder.render import Artifact, BuildOptions, RenderJob, renderers
from builder.stamp import build_stamp, record_path, up_to_date, write_record

STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"


class BuildBusy(Exception):
    pass


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build per output folder at a time; a stale lock (dead process) is taken over."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise BuildBusy(f"another build (process {pid}) is writing {out.name}/; "
                                f"wait for it to finish, or delete {lock.name} if it is not running") from None
            lock.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_debris(out: Path) -> None:
    """Remove staging and old folders left by an interrupted build; restore a lost site."""
    parent = out.parent
    if not parent.exists():
        return
    olds = sorted(parent.glob(f"{OLD_PREFIX}{out.name}-*"))
    if not out.exists() and olds:
        olds[-1].rename(out)  # killed between the two renames of a swap
        olds = olds[:-1]
    for d in [*parent.glob(f"{STAGING_PREFIX}{out.name}-*"), *olds]:
        shutil.rmtree(d, ignore_errors=True)


def swap_into_place(staging: Path, out: Path) -> None:
    if out.exists():
        old = out.parent / f"{OLD_PREFIX}{out.name}-{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)


def source_revision(root: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return ""
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5)
        return rev.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def plan_all(project: Project, opts: BuildOptions) -> list[Artifact]:
    """Every registered renderer's plan: what a build with `opts` writes besides the pages."""
    project = for_edition(project, opts.edition)
    return [a for r in renderers() for a in r.plan(project, opts)]


def render_all(project: Project, staging: Path, opts: BuildOptions, out: Path) -> list[Artifact]:
    """Render every registered output into `staging`, in the renderers' order (the site first:
    MkDocs empties its folder).

    `out` is where staging will be swapped to: a renderer may reuse what it wrote there last
    time (the site does when the generated MkDocs project has not changed; PDFs have their
    own cache).
    """
    job = RenderJob(planned=tuple(plan_all(project, opts)), output=out, previous=out if out.is_dir() else None)
    written: list[Artifact] = []
    for renderer in renderers():
        written += renderer.render(project, staging, opts, job)
    return written


def keep_unchanged(staging: Path, out: Path) -> bool:
    """Make every staged file that equals the current output's file a hard link to it, and
    say whether the two folders hold exactly the same files with the same bytes.

    Renderers write fresh files (a PDF is copied out of the cache, an export written anew),
    so without this every file would get a new inode and modification time at the swap,
    and rsync, a CDN upload or a browser cache would see the whole site as changed.
    """
    if not out.is_dir():
        return False
    same = True
    staged = set()
    for dirpath, _, names in os.walk(staging):
        for name in names:
            new = Path(dirpath) / name
            rel = new.relative_to(staging)
            staged.add(rel)
            old = out / rel
            try:
                a, b = new.stat(), old.lstat()
            except OSError:
                same = False  # not in the current output
                continue
            if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
                continue
            if not old.is_file() or old.is_symlink() or a.st_size != b.st_size or new.read_bytes() != old.read_bytes():
                same = False
                continue
            try:
                tmp = new.with_name(f".{name}.keep")
                os.link(old, tmp)
                os.replace(tmp, new)
            except OSError:
                pass  # another file system: the fresh copy (same bytes) stays
    return same and all(Path(d, n).relative_to(out) in staged for d, _, names in os.walk(out) for n in names)


@dataclass
class BuildResult:
    artifacts: list[Artifact]
    changed: bool  # False: the output already held exactly this build, and was not touched

    def count(self, kind: str) -> int:
        """How many of the artifacts are of `kind` ("pdf", "quiz", "page", ...), for the summary."""
        return sum(a.kind == kind for a in self.artifacts)


def build(project: Project, out: Path, opts: BuildOptions) -> BuildResult:
    """Render everything into `out`, or nothing at all when `out` already holds this build.

    The stamp (builder.stamp) hashes every input; when it matches the last build's record and
    `out` is untouched since, no renderer runs. Otherwise every renderer runs with its own
    cache, and a result equal to `out` byte for byte is not swapped in.
    """
    project = for_edition(project, opts.edition)
    with build_lock(out):
        clean_debris(out)
        stamp, record = build_stamp(project, opts, out), record_path(project, out)
        done = up_to_date(record, stamp, out)
        if done is not None:
            return BuildResult(done, changed=False)
        staging = out.parent / f"{STAGING_PREFIX}{out.name}-{os.getpid()}"
        staging.mkdir(parents=True)
        try:
            written = render_all(project, staging, opts, out)
            changed = not keep_unchanged(staging, out)
            if changed:
                swap_into_place(staging, out)
            else:
                shutil.rmtree(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        write_record(record, stamp, out, written)
    return BuildResult(written, changed=changed)
