"""`course build`: check, then render the site, quiz exports and PDFs into `site/` atomically.

Everything is written into a staging folder next to the output; only when every renderer
succeeded is it swapped into place. An error, Ctrl-C or a killed process leaves the previous
`site/` complete; leftover staging folders are removed by the next build. A lock file
makes a second concurrent build refuse with a clear message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from builder.checks import check_project
from builder.diagnostics import format_text
from builder.model.project import Project
from builder.render import Artifact, BuildOptions, RenderError, build_date

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
                                f"wait for it to finish, or delete {lock.name} if it is not running")
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
    from builder.render.quiz import plan_exports

    artifacts = plan_exports(project, opts)
    if opts.pdf:
        from builder.render.print import plan_pdfs

        artifacts += plan_pdfs(project, opts)
    return artifacts


def render_all(project: Project, staging: Path, opts: BuildOptions) -> list[Artifact]:
    """Render every output into `staging`. The site goes first: MkDocs empties its folder."""
    from builder.render.quiz import export_all
    from builder.render.site import render_site

    planned = plan_all(project, opts)
    render_site(project, staging, opts, planned)
    written = export_all(project, staging, opts)
    if opts.pdf:
        from builder.render.print import render_pdfs

        written += render_pdfs(project, staging, opts)
    return written


def build(project: Project, out: Path, opts: BuildOptions) -> list[Artifact]:
    with build_lock(out):
        clean_debris(out)
        staging = out.parent / f"{STAGING_PREFIX}{out.name}-{os.getpid()}"
        staging.mkdir(parents=True)
        try:
            written = render_all(project, staging, opts)
            swap_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return written


def options_from_args(project: Project, args: argparse.Namespace) -> BuildOptions:
    region = (args.region or project.course.default_region).lower()
    return BuildOptions(
        region=region,
        audience=args.audience,
        offline=args.offline,
        paper=BuildOptions.paper_for(region),
        jobs=args.jobs,
        pdf=not args.no_pdf,
        build_date=build_date(),
        revision=source_revision(project.root),
    )


def cmd_build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    result = check_project(args.root)
    failed = result.errors or (args.strict and result.warnings)
    if result.diagnostics:
        sys.stdout.write(format_text(result.diagnostics, result.files))
    if failed or result.project is None:
        print("course: build stopped: fix the errors above; site/ was left as it was", file=sys.stderr)
        return 1
    project = result.project
    opts = options_from_args(project, args)
    if opts.region not in project.resources.regions:
        print(f"course: error: no region '{opts.region}' in curriculum/resources.yaml "
              f"(regions: {', '.join(sorted(project.resources.regions))})", file=sys.stderr)
        return 2
    out = args.out if args.out.is_absolute() else args.root / args.out
    try:
        written = build(project, out, opts)
    except BuildBusy as e:
        print(f"course: error: {e}", file=sys.stderr)
        return 1
    except RenderError as e:
        sys.stdout.write(format_text(e.diagnostics, result.files))
        print("course: build failed; site/ was left as it was", file=sys.stderr)
        return 1
    pdfs = sum(a.kind == "pdf" for a in written)
    quizzes = sum(a.kind == "quiz" for a in written)
    print(f"built {out.name}/ ({opts.audience}, region {opts.region}): site, {pdfs} PDFs, "
          f"{quizzes} quiz exports in {time.monotonic() - started:.1f} s")
    return 0
