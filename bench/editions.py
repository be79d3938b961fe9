"""The edition matrix benchmark (issue 15): `course build --all` against separate builds.

On a copy of the real course it measures, each with an empty cache (COURSE_CACHE_DIR) at the
start:

1. the matrix, cold: `course build --all` (editions x regions x audiences, in parallel);
2. the matrix after a one-lesson edit (one sentence added to one lesson);
3. the same builds as separate `course build --edition E --region R --audience A` commands
   run back to back, cold;
4. those separate builds after the same one-lesson edit;

and reports the ratios (matrix / separate) and how many output files each edit replaced
(a file whose bytes did not change keeps its inode: builder.build.keep_unchanged), so a
reader sees whether an edit rebuilt only what holds the lesson.

    python bench/editions.py                     # 3 editions x 5 regions x 2 audiences (30 builds)
    python bench/editions.py --regions uk        # a small run: 3 x 1 x 2 (6 builds)
    python bench/editions.py --no-pdf            # the sites only

It writes bench/EDITIONS.md (or --report). A benchmark, not a test: it asserts nothing.

Give `--work` a folder outside any git repository when others commit while it runs: a build
names its source revision (git HEAD) on every page, so a commit between two runs changes
every page and the "after an edit" runs would measure that instead of the edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COURSE = str(Path(sys.executable).with_name("course"))
EDITED_LESSON = "modules/02-communication-skills/01-what-is-active-listening.md"


def run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def copy_course(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("curriculum", "modules", "quizzes", "mkdocs.yml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def edit_one_lesson(root: Path) -> str:
    path = root / EDITED_LESSON
    if not path.exists():  # the course changed: take the first lesson of the second module
        path = sorted((root / "modules").glob("02-*/01-*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence for the benchmark.\n", encoding="utf-8")
    return str(path.relative_to(root))


def changed(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(1 for rel, ino in after.items() if before.get(rel) != ino)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", type=Path, default=HERE / "work" / "editions")
    ap.add_argument("--regions", nargs="*", default=None, help="only these regions (default: all)")
    ap.add_argument("--editions", nargs="*", default=None, help="only these editions (default: all)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--report", type=Path, default=HERE / "EDITIONS.md")
    args = ap.parse_args()

    sys.path.insert(0, str(REPO))
    from builder.matrix import matrix_entries
    from builder.model.load import load_project

    work = args.work
    root = copy_course(work / "course")
    project, _ = load_project(root, cache=False)
    assert project is not None
    entries = matrix_entries(project, editions=args.editions, regions=args.regions)
    pdf = ["--no-pdf"] if args.no_pdf else []
    results: dict[str, float] = {}
    files: dict[str, int] = {}

    def env_for(cache: Path) -> dict[str, str]:
        if cache.exists():
            shutil.rmtree(cache)
        return {**os.environ, "COURSE_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1796428800"}

    # -- the matrix --------------------------------------------------------------------------
    env = env_for(work / "cache-matrix")
    out = work / "matrix"
    shutil.rmtree(out, ignore_errors=True)
    if args.editions and len(args.editions) > 1:
        raise SystemExit("--editions: give one edition, or none for every edition")
    narrow = ["--edition", args.editions[0]] if args.editions else []
    matrix_runs: list[list[str]] = []
    regions = sorted({e.region for e in entries})
    for region in (regions if args.regions else [None]):
        matrix_runs.append([COURSE, "build", "--root", str(root), "--all", "--out", str(out), *narrow, *pdf]
                           + (["--region", region] if region else []))
    results["matrix cold"] = sum(run(cmd, env) for cmd in matrix_runs)
    before = inodes(out)
    lesson = edit_one_lesson(root)
    results["matrix after a one-lesson edit"] = sum(run(cmd, env) for cmd in matrix_runs)
    files["matrix after a one-lesson edit"] = changed(before, inodes(out))
    files["matrix total"] = len(before)

    # -- separate builds ---------------------------------------------------------------------
    root = copy_course(work / "course")
    env = env_for(work / "cache-single")
    out = work / "single"
    shutil.rmtree(out, ignore_errors=True)
    cmds = [[COURSE, "build", "--root", str(root), "--edition", e.edition, "--region", e.region,
             "--audience", e.audience, "--out", str(e.folder(out)), *pdf] for e in entries]
    results["separate builds cold"] = sum(run(cmd, env) for cmd in cmds)
    before = inodes(out)
    edit_one_lesson(root)
    results["separate builds after a one-lesson edit"] = sum(run(cmd, env) for cmd in cmds)
    files["separate builds after a one-lesson edit"] = changed(before, inodes(out))

    cold = results["matrix cold"] / results["separate builds cold"]
    edit = results["matrix after a one-lesson edit"] / results["separate builds after a one-lesson edit"]
    n_ed = len({e.edition for e in entries})
    n_reg = len({e.region for e in entries})
    lines = [
        "# Edition matrix benchmark (bench/editions.py)", "",
        f"Run on {dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; the real course copied, "
        f"{n_ed} editions x {n_reg} regions x {len({e.audience for e in entries})} audiences = {len(entries)} builds"
        f"{', no PDFs' if args.no_pdf else ', with PDFs'}; the edit: one sentence added to {lesson}.", "",
        "| run | seconds |", "| --- | ---: |",
        *[f"| {k} | {v:.1f} |" for k, v in results.items()], "",
        f"Matrix / separate: **{cold:.2f}x** cold, **{edit:.2f}x** after the edit.", "",
        f"Output files replaced by the edit: matrix {files['matrix after a one-lesson edit']} of "
        f"{files['matrix total']}; separate builds {files['separate builds after a one-lesson edit']} "
        "(every other file kept its inode: same bytes).", "",
    ]
    args.report.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
