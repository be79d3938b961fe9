"""The version rule: content changed, but `version` in curriculum/course.yaml did not.

Facilitators and LMS administrators go by the course's version. When lessons, objectives,
quiz items or help lines change, the version must change too, and by how much says what a
running cohort must do: a changed answer key, or a removed objective, lesson, module or quiz
item, is a major change (re-mark, re-brief); added content is minor; wording is a patch.

The baseline is the last release commit: the last commit that changed the `version:` line of
course.yaml, or CHANGELOG.md when that came later (regenerating the version's entry with
`course diff --changelog` says the version now covers what was added since), or the revision
given with `course check --since REV`. The rule warns (`version.not-bumped`) when

1. the working tree has uncommitted changes under curriculum/, modules/ or quizzes/
   (without `--since`; with it, always), and
2. the course's content now differs from the baseline's (compared as `course diff` does, so
   a reformatted YAML file or a comment is not a change), and
3. `version` is still the baseline's.

So an author who edits content after a release is told to bump the version (and by how much)
before committing; a clean checkout (CI's `course check --strict`) stays quiet whatever the
history, and `course check --since origin/main` gates a branch as a whole. Outside a git
repository, in a repository without commits, or without git, the rule is silent.

It is cheap: one `git status` call per run. The baseline commit is looked up once per HEAD, and
the baseline's snapshot (its content as data) is built once per baseline commit; both are
kept in the user's cache folder (builder.cache), never in the project.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from builder.diagnostics import Diagnostic, diag, register
from builder.diff import snapshot as snapshot_module
from builder.diff.compare import IMPACTS, Side, compare, parse_version
from builder.diff.revisions import CONTENT, DiffError, checked_out, git, resolve
from builder.diff.snapshot import FORMAT, Snap, snapshot
from builder.model.load import load_project
from builder.model.project import Project
from builder.util import write_atomic

NOT_BUMPED = register("version.not-bumped",
                      "Content changed since the version was last set, but `version` in course.yaml did not.",
                      "warning")
# A cached snapshot is only as good as the code that made it: the key holds snapshot.py's hash.
CACHE_FORMAT = f"version-rule-2:{FORMAT}:{hashlib.sha256(Path(snapshot_module.__file__).read_bytes()).hexdigest()[:16]}"
CHANGELOG = "CHANGELOG.md"


def next_version(version: str, kind: str) -> str:
    major, minor, patch = parse_version(version)
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _status(root: Path) -> tuple[str, bool] | None:
    """(HEAD commit, whether course content has uncommitted changes), or None outside git."""
    run = git(root, "status", "--porcelain=v2", "--branch", "--untracked-files=all", "--", *CONTENT)
    if run.returncode != 0:
        return None
    head = ""
    dirty = False
    for line in str(run.stdout).splitlines():
        if line.startswith("# branch.oid "):
            head = line.split()[-1]
        elif line and not line.startswith("#"):
            dirty = True
    if not head or head == "(initial)":
        return None
    return head, dirty


def _read_cache(path: Path | None) -> dict[str, object]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == CACHE_FORMAT else {}


def _baseline(root: Path, head: str, cache: dict[str, object]) -> str:
    """The last release commit (cached by HEAD): the last commit that changed the `version:`
    line of course.yaml, or CHANGELOG.md if that came later (`course diff --changelog`
    rewrites the version's entry to cover what was added since, under the same version)."""
    if cache.get("head") == head and isinstance(cache.get("baseline"), str):
        return str(cache["baseline"])
    run = git(root, "log", "-1", "--format=%H", "-G^version:", "HEAD", "--", "curriculum/course.yaml")
    version = str(run.stdout).strip() if run.returncode == 0 else ""
    run = git(root, "log", "-1", "--format=%H", "HEAD", "--", CHANGELOG)
    changelog = str(run.stdout).strip() if run.returncode == 0 else ""
    baseline = version
    if version and changelog and changelog != version:
        later = git(root, "merge-base", "--is-ancestor", version, changelog).returncode == 0
        baseline = changelog if later else version
    cache.update(head=head, baseline=baseline)
    return baseline


def _baseline_snapshot(root: Path, commit: str, cache: dict[str, object]) -> Snap | None:
    if cache.get("snapshot_of") == commit and isinstance(cache.get("snapshot"), dict):
        return cache["snapshot"]  # type: ignore[return-value]
    with checked_out(root, commit) as folder:
        project, _ = load_project(folder, cache=False)
        snap = snapshot(project) if project is not None else None
    cache.update(snapshot_of=commit, snapshot=snap)
    return snap


def check_version(project: Project, since: str | None = None, cache_file: Path | None = None) -> list[Diagnostic]:
    """The `version.not-bumped` warning, or nothing (see the module docstring).

    Raises DiffError when `since` names no revision; otherwise a git problem means silence."""
    root = project.root
    try:
        status = _status(root)
    except DiffError:
        return []
    if status is None:
        if since:
            raise DiffError(f"--since {since}: {root} is not in a git repository with commits")
        return []
    head, dirty = status
    if since is None and not dirty:
        return []
    cache = _read_cache(cache_file)
    before = json.dumps(cache, sort_keys=True)
    try:
        baseline = resolve(root, since) if since else _baseline(root, head, cache)
        if not baseline:
            return []
        old = _baseline_snapshot(root, baseline, cache)
    except DiffError:
        if since:
            raise
        return []
    finally:
        if cache_file is not None and json.dumps(cache, sort_keys=True) != before:
            cache["format"] = CACHE_FORMAT
            write_atomic(cache_file, json.dumps(cache), best_effort=True)
    if old is None:
        return []
    new = snapshot(project)
    version = project.course.version
    if parse_version(old["course"]["version"]) != parse_version(version):
        return []
    report = compare(old, new, Side(since or baseline[:12], baseline, old["course"]["version"], "", ""),
                     Side("working tree", "", version, "", ""))
    if not report.changes:
        return []
    kind = report.bump["suggested"]
    reasons = report.bump["reasons"]
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    where = "since " + (f"{since} ({baseline[:12]})" if since else f"the last release commit ({baseline[:12]})")
    return [diag(NOT_BUMPED, project.course.where("version"),
                 f"{len(report.changes)} content change{'s' if len(report.changes) != 1 else ''} {where}, "
                 f"but `version` is still {version}: a {kind} change ({shown})",
                 f"set `version: \"{next_version(version, kind)}\"` (a {kind} bump: "
                 f"{_why(kind)}); `course diff {baseline[:12]}` lists every change")]


def _why(kind: str) -> str:
    return {"major": "running cohorts must re-mark or re-brief",
            "minor": "content was added, moved or re-timed",
            "patch": "wording only"}[kind] if kind in IMPACTS else ""
