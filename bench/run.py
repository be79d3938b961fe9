"""`make bench`: how fast and how lean `course build` is, against the raw tools it drives.

For synthetic courses at 1x, 3x and 10x the size of ours (bench/generate.py) it measures, each
in a fresh process: a cold build, a no-change rebuild, a rebuild after one lesson edit,
`course check`, and peak memory; then the raw cost of the same work done by `mkdocs build` on
the generated Markdown tree and by WeasyPrint on the generated HTML alone, in the same run, so
the ratios hold even when the machine's speed drifts. It writes bench/RESULTS.md.

This is a benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402

PY = sys.executable
# Course sizes at which the parallel speed-up is measured (each costs two more one-worker runs).
# At 1x one 188-page workbook is most of the PDF work and bounds it; at 3x the workbook comes
# in volumes, as it does for any course of more than six modules.
SPEEDUP_FACTORS = (1, 3)
# Course sizes whose cold build and raw-tool runs are repeated (medians of REPEATS pairs).
REPEAT_FACTORS = (1,)
REPEATS = 3


@dataclass
class Timed:
    seconds: float
    peak_mib: float
    code: int
    out: str


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timed:
    """Run a command; wall time and the peak resident memory of it and its children."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    assert proc.stdout is not None
    out = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return Timed(seconds, usage.ru_maxrss / 1024, proc.returncode, out)


RAW_WEASYPRINT = r"""
import sys, time, os, pickle
from concurrent.futures import ProcessPoolExecutor
jobs = pickle.load(open(sys.argv[1], "rb"))
workers = int(sys.argv[2])
_css = None
def init(css_text):
    global _css
    import weasyprint
    _css = weasyprint.CSS(string=css_text)
def render(job):
    import weasyprint
    name, html, page_css, base = job
    weasyprint.HTML(string=html, base_url=base).write_pdf(
        os.path.join(sys.argv[3], name), stylesheets=[_css, weasyprint.CSS(string=page_css)],
        pdf_variant="pdf/ua-1")
css_text = open(sys.argv[4]).read()
jobs.sort(key=lambda j: -len(j[1]))
if workers == 1:
    init(css_text)
    times = []
    for j in jobs:
        started = time.perf_counter()
        render(j)
        times.append(time.perf_counter() - started)
    print("job-seconds", *times)
else:
    with ProcessPoolExecutor(workers, initializer=init, initargs=(css_text,)) as pool:
        list(pool.map(render, jobs))
"""


def dump_print_jobs(root: Path, out: Path) -> tuple[Path, Path]:
    """The exact HTML documents our build hands WeasyPrint, for the raw WeasyPrint run."""
    import pickle

    from builder.checks import check_project
    from builder.render import BuildOptions
    from builder.render.print import plan_specs
    from builder.render.print.assemble import Assembler
    from builder.render.print.engine import STYLESHEET, find_font_dir, font_faces_css, page_css

    project = check_project(root).project
    assert project is not None
    opts = BuildOptions(region=project.course.default_region, paper="a4", build_date="2026-01-01")
    assembler = Assembler(project, opts)
    jobs = []
    for spec in plan_specs(project, opts):
        jobs.append((spec.name, assembler.html(spec), page_css(opts.paper, assembler.footer(spec)),
                     root.as_uri() + "/"))
    out.mkdir(parents=True, exist_ok=True)
    jobs_file = out / "jobs.pickle"
    jobs_file.write_bytes(pickle.dumps(jobs))
    css_file = out / "print.css"
    css_file.write_text(font_faces_css(find_font_dir(REPO)) + "\n" + STYLESHEET.read_text(encoding="utf-8"))
    return jobs_file, css_file


def bench_course(factor: int, work: Path, jobs: int) -> dict[str, float]:
    root = generate(REPO, work / f"course-{factor}x", factor)
    # The synthetic course is not a git checkout: stop git from finding this repository above it
    # (its revision, printed in every PDF, would change with each commit made during a run).
    env = dict(os.environ, COURSE_CACHE_DIR=str(work / f"cache-{factor}x"), SOURCE_DATE_EPOCH="1767225600",
               GIT_CEILING_DIRECTORIES=str(work.resolve()))
    shutil.rmtree(env["COURSE_CACHE_DIR"], ignore_errors=True)
    course = [PY, "-m", "builder.cli"]
    r: dict[str, float] = {"factor": factor}
    lessons = sorted(root.glob("modules/*/[0-9][0-9]-*.md"))
    r["lessons"] = len(lessons)

    check = timed(course + ["check", "--root", str(root)], env)  # nothing cached yet
    assert check.code == 0, check.out
    r["check_cold"] = check.seconds

    cold = timed(course + ["build", "--root", str(root), "--jobs", str(jobs)], env)
    assert cold.code == 0, cold.out
    r["cold"], r["cold_mib"] = cold.seconds, cold.peak_mib
    r["pdf_pages"] = _pdf_pages(root / "site" / "downloads")

    again = timed(course + ["build", "--root", str(root), "--jobs", str(jobs)], env)
    assert again.code == 0, again.out
    r["nochange"] = again.seconds

    lesson = lessons[len(lessons) // 2]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more short sentence for the benchmark.\n",
                      encoding="utf-8")
    # What an author runs after an edit: one file changed since the last check.
    check = timed(course + ["check", "--root", str(root)], env)
    assert check.code == 0, check.out
    r["check"] = check.seconds
    edit = timed(course + ["build", "--root", str(root), "--jobs", str(jobs)], env)
    assert edit.code == 0, edit.out
    r["one_lesson"], r["max_mib"] = edit.seconds, max(cold.peak_mib, again.peak_mib, edit.peak_mib)

    # The raw tools on the very inputs our build produced.
    src = next((root / ".build").glob("site-src-participant-*"))
    raw_site = timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(src / "mkdocs.yml"), "-d", str(work / "raw-site")],
                     env, cwd=src)
    assert raw_site.code == 0, raw_site.out
    r["raw_mkdocs"] = raw_site.seconds
    jobs_file, css_file = dump_print_jobs(root, work / f"raw-{factor}x")
    raw_pdf_dir = work / f"raw-{factor}x" / "pdf"
    raw_pdf_dir.mkdir(exist_ok=True)
    raw_pdf = timed([PY, "-c", RAW_WEASYPRINT, str(jobs_file), str(jobs), str(raw_pdf_dir), str(css_file)], env)
    assert raw_pdf.code == 0, raw_pdf.out
    r["raw_weasyprint"] = raw_pdf.seconds
    if factor in REPEAT_FACTORS:
        # Small runs drift by a few seconds with the machine: pair ours and the raw tools
        # again and keep the medians, so the overhead ratio is not one lucky or unlucky pair.
        colds, mkdocs_runs, weasy_runs = [r["cold"]], [r["raw_mkdocs"]], [r["raw_weasyprint"]]
        for i in range(REPEATS - 1):
            env_i = dict(env, COURSE_CACHE_DIR=str(work / f"cache-repeat-{i}"))
            shutil.rmtree(env_i["COURSE_CACHE_DIR"], ignore_errors=True)
            timed(course + ["check", "--root", str(root)], env_i)  # as before the first cold build
            again_cold = timed(course + ["build", "--root", str(root), "--jobs", str(jobs), "--out", "site-repeat"],
                               env_i)
            assert again_cold.code == 0, again_cold.out
            colds.append(again_cold.seconds)
            mkdocs_runs.append(timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(src / "mkdocs.yml"), "-d",
                                      str(work / "raw-site")], env, cwd=src).seconds)
            weasy_runs.append(timed([PY, "-c", RAW_WEASYPRINT, str(jobs_file), str(jobs), str(raw_pdf_dir),
                                     str(css_file)], env).seconds)
            shutil.rmtree(env_i["COURSE_CACHE_DIR"], ignore_errors=True)
            shutil.rmtree(root / "site-repeat", ignore_errors=True)
        r["cold"], r["raw_mkdocs"], r["raw_weasyprint"] = (statistics.median(colds), statistics.median(mkdocs_runs),
                                                           statistics.median(weasy_runs))
    if factor in SPEEDUP_FACTORS:
        one = timed([PY, "-c", RAW_WEASYPRINT, str(jobs_file), "1", str(raw_pdf_dir), str(css_file)], env)
        r["raw_weasyprint_1_worker"] = one.seconds
        seconds = next(line for line in one.out.splitlines() if line.startswith("job-seconds"))
        times = [float(t) for t in seconds.split()[1:]]
        # No scheduler beats this: the longest single PDF is rendered by one worker alone.
        r["speedup_bound"] = min(jobs, sum(times) / max(times))
        env_one = dict(env, COURSE_CACHE_DIR=str(work / "cache-1job"))
        shutil.rmtree(env_one["COURSE_CACHE_DIR"], ignore_errors=True)
        timed(course + ["check", "--root", str(root)], env_one)  # as before the cold build above
        ours_one = timed(course + ["build", "--root", str(root), "--jobs", "1", "--out", "site-1job"], env_one)
        shutil.rmtree(work / "cache-1job", ignore_errors=True)
        r["cold_1_worker"] = ours_one.seconds
    return r


def _pdf_pages(folder: Path) -> int:
    total = 0
    for pdf in folder.glob("*.pdf"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        total += next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), 0)
    return total


def report(results: list[dict[str, float]], jobs: int) -> str:
    base = results[0]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `make bench` on {dt.date.today().isoformat()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {jobs} PDF workers. Seconds are wall time of a "
        "whole `course` process; memory is the peak resident size of the build and its workers. At "
        + ", ".join(f"{f}x" for f in REPEAT_FACTORS) + f" the cold build and the raw tools are medians of "
        f"{REPEATS} runs.",
        "",
        "| course | lessons | PDF pages | cold build | no-change rebuild | one-lesson rebuild | `course check` "
        "| `course check`, nothing cached | peak memory | raw mkdocs | raw WeasyPrint | ours / raw | cold per lesson |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        raw = r["raw_mkdocs"] + r["raw_weasyprint"]
        lines.append(
            f"| {int(r['factor'])}x | {int(r['lessons'])} | {int(r['pdf_pages'])} | {r['cold']:.1f} s "
            f"| {r['nochange']:.2f} s | {r['one_lesson']:.2f} s | {r['check']:.2f} s | {r['check_cold']:.2f} s "
            f"| {r['max_mib']:.0f} MiB "
            f"| {r['raw_mkdocs']:.1f} s | {r['raw_weasyprint']:.1f} s | {r['cold'] / raw:.2f} "
            f"| {1000 * r['cold'] / r['lessons']:.0f} ms |")
    lines += ["", "## Against the targets", ""]
    overhead = max(r["cold"] / (r["raw_mkdocs"] + r["raw_weasyprint"]) - 1 for r in results)
    growth = [(r["cold"] / base["cold"]) / (r["lessons"] / base["lessons"]) for r in results[1:]]
    top = results[-1]
    lines += [
        f"- Overhead of a cold build over the raw tools doing the same work: at most {100 * overhead:+.0f} % "
        "(target: at most +15 %).",
        "- Growth with course size (cold time ratio / size ratio; 1.0 is linear): "
        + (", ".join(f"{int(r['factor'])}x {g:.2f}" for r, g in zip(results[1:], growth, strict=False)) or "n/a") + ".",
        f"- Peak memory at {int(top['factor'])}x: {top['max_mib']:.0f} MiB (target: under 1024 MiB).",
        f"- `course check` at {int(top['factor'])}x after a one-lesson edit: {top['check']:.2f} s "
        f"(target: under 3 s); with nothing cached (the very first check): {top['check_cold']:.2f} s.",
        f"- No-change rebuild of our course: {base['nochange']:.2f} s (target: about 1 s); one-lesson rebuild: "
        f"{base['one_lesson']:.2f} s (it re-renders the workbook, which holds every lesson).",
    ]
    for r in results:
        if "cold_1_worker" in r:
            lines.append(
                f"- Parallel PDF speed-up at {int(r['factor'])}x: raw WeasyPrint "
                f"{r['raw_weasyprint_1_worker'] / r['raw_weasyprint']:.2f}x with {jobs} workers; our whole cold "
                f"build {r['cold_1_worker'] / r['cold']:.2f}x (target: at least 1.6). The longest PDF alone "
                f"bounds any schedule at {r['speedup_bound']:.2f}x (all PDF work / the longest PDF's work).")
    return "\n".join(lines) + "\n"


# -- long PDFs in parts (issue 18), side by side with the single render ------------------------------

PRINT_TIMES = r"""
import json, sys
from pathlib import Path
import builder.render.print.engine as engine
from builder.checks import check_project
from builder.render import BuildOptions, build_date
from builder.render.print import plan_specs, render_specs
real, seconds = engine.render_jobs, []
def timed_jobs(jobs, *a, **k):
    out = real(jobs, *a, **k)
    seconds.extend(o.seconds for o in out if not o.cached)
    return out
engine.render_jobs = timed_jobs
root, out = Path(sys.argv[1]), Path(sys.argv[2])
project = check_project(root).project
from builder.cli.build import resolve_edition
from builder.model.editions import default_region
# As `course build` does (edition, region, paper), so the page maps it stored apply.
edition = resolve_edition(project, None)
region = default_region(project, edition) if edition else project.course.default_region
opts = BuildOptions(edition=edition, region=region, paper=BuildOptions.paper_for(region), build_date=build_date(),
                    jobs=1)
render_specs(project, plan_specs(project, opts), out, opts)
print("job-seconds", *seconds)
"""


def _strip_cache(cache: Path) -> None:
    """Everything a cold build would not have, but the page maps of the long PDFs."""
    if cache.is_dir():
        for f in cache.rglob("*"):
            if f.is_file() and not f.name.startswith("pagemap-"):
                f.unlink()


def bench_parts(work: Path, jobs: int, rounds: int, speedup: bool = True) -> dict[str, dict[str, list[float]]]:
    """Whole `course build` of the 1x course with the long PDFs in one render (COURSE_PDF_PARTS=off,
    today's path) and in parts (auto), interleaved round by round: cold without a page map, cold
    with one, a one-lesson edit, and the cold build with a page map on one worker."""
    root = generate(REPO, work / "course-parts", 1)
    lessons = sorted(root.glob("modules/*/[0-9][0-9]-*.md"))
    lesson = lessons[len(lessons) // 2]
    original = lesson.read_text(encoding="utf-8")
    course = [PY, "-m", "builder.cli"]
    results: dict[str, dict[str, list[float]]] = {m: {} for m in ("off", "auto")}
    for r in range(rounds):
        for mode in ("off", "auto"):
            cache = work / f"cache-parts-{mode}"
            shutil.rmtree(cache, ignore_errors=True)
            env = dict(os.environ, COURSE_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH="1767225600",
                       GIT_CEILING_DIRECTORIES=str(work.resolve()), COURSE_PDF_PARTS=mode)
            lesson.write_text(original, encoding="utf-8")
            for d in ("site-a", "site-b", "site-c"):
                shutil.rmtree(root / d, ignore_errors=True)

            def build(out: str, n: int = jobs, env: dict[str, str] = env) -> float:
                t = timed(course + ["build", "--root", str(root), "--jobs", str(n), "--out", out], env)
                assert t.code == 0, t.out
                return t.seconds

            got = results[mode]
            timed(course + ["check", "--root", str(root)], env)
            got.setdefault("cold", []).append(build("site-a"))
            _strip_cache(cache)
            timed(course + ["check", "--root", str(root)], env)
            got.setdefault("cold_map", []).append(build("site-b"))
            lesson.write_text(original + f"\nOne more short sentence for the benchmark, round {r}.\n", encoding="utf-8")
            timed(course + ["check", "--root", str(root)], env)
            got.setdefault("edit", []).append(build("site-b"))
            if not speedup:
                print(f"  round {r + 1} {mode}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in got.items()), flush=True)
                continue
            _strip_cache(cache)
            timed(course + ["check", "--root", str(root)], env)
            got.setdefault("cold_map_1", []).append(build("site-c", 1))
            # The bound on any 2-worker schedule: all PDF work / the longest single render.
            _strip_cache(cache)
            t = timed([PY, "-c", PRINT_TIMES, str(root), str(work / "print-times"), str(cache)], env, cwd=REPO)
            assert t.code == 0, t.out
            times = [float(x) for x in next(x for x in t.out.splitlines() if x.startswith("job-seconds")).split()[1:]]
            got.setdefault("bound", []).append(min(jobs, sum(times) / max(times)))
            print(f"  round {r + 1} {mode}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in got.items()), flush=True)
    lesson.write_text(original, encoding="utf-8")
    return results


def parts_report(res: dict[str, dict[str, list[float]]], jobs: int, rounds: int) -> str:
    med = {m: {k: statistics.median(v) for k, v in d.items()} for m, d in res.items()}
    off, on = med["off"], med["auto"]
    rows = [("Cold build, no page map yet", "cold", 1.0), ("Cold build with a page map", "cold_map", 0.65),
            ("One-lesson edit, whole `course build`", "edit", 0.3)]
    lines = [
        "## Long PDFs in parts (issue 18)",
        "",
        f"Measured by `bench/run.py --parts` on {dt.date.today().isoformat()}: the 1x course, whole `course build` "
        f"processes, {jobs} PDF workers, {rounds} interleaved rounds (today's single render, then parts), medians. "
        "Today's path is the same code with `COURSE_PDF_PARTS=off`.",
        "",
        "| build | single render (today) | parts | ratio | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for title, key, target in rows:
        lines.append(f"| {title} | {off[key]:.1f} s | {on[key]:.1f} s | {on[key] / off[key]:.2f}x "
                     f"| at most {target}x |")
    if "cold_map_1" not in off:
        return "\n".join(lines) + "\n\n- Every round: " + "; ".join(
            f"{m} " + ", ".join(f"{k} " + "/".join(f"{x:.1f}" for x in v) for k, v in d.items())
            for m, d in res.items()) + ".\n"
    lines += [
        f"| Cold build with a page map, 1 worker | {off['cold_map_1']:.1f} s | {on['cold_map_1']:.1f} s "
        f"| {on['cold_map_1'] / off['cold_map_1']:.2f}x | |",
        "",
        f"- Parallel speed-up of the cold build (1 worker / {jobs} workers, with a page map): today "
        f"{off['cold_map_1'] / off['cold_map']:.2f}x against a bound of {off['bound']:.2f}x; with parts "
        f"{on['cold_map_1'] / on['cold_map']:.2f}x against a bound of {on['bound']:.2f}x (all PDF work / the longest "
        "single render in the pool, from the renders' own timings).",
        "- Every round: " + "; ".join(
            f"{m} " + ", ".join(f"{k} " + "/".join(f"{x:.1f}" for x in v) for k, v in d.items())
            for m, d in res.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


PARTS_BEGIN, PARTS_END = "<!-- parts: begin -->", "<!-- parts: end -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,3,10", help="course sizes, as multiples of ours")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--parts", type=int, default=0, metavar="ROUNDS",
                        help="only compare long PDFs in parts with today's single render, in ROUNDS rounds")
    parser.add_argument("--no-speedup", action="store_true",
                        help="with --parts: leave out the one-worker builds and the bound (they take longest)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.parts:
        text = parts_report(bench_parts(args.work, args.jobs, args.parts, not args.no_speedup), args.jobs, args.parts)
        old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        block = f"{PARTS_BEGIN}\n{text}{PARTS_END}\n"
        if PARTS_BEGIN in old:
            old = old[:old.index(PARTS_BEGIN)] + old[old.index(PARTS_END) + len(PARTS_END) + 1:]
        args.out.write_text(old.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        print(text)
        return 0
    results = []
    for factor in (int(f) for f in args.factors.split(",")):
        print(f"benchmarking {factor}x ...", flush=True)
        results.append(bench_course(factor, args.work, args.jobs))
        print("  " + ", ".join(f"{k} {v:.2f}" for k, v in results[-1].items()), flush=True)
    text = report(results, args.jobs)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
