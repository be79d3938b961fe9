"""Content-check results cached file by file, so `course check` re-reads only what changed.

Every content rule reads one file at a time: a lesson's body and front matter, one YAML file's
strings, one bank's questions, with the course settings (`curriculum/course.yaml`) and today's
date as the only outside inputs. So the diagnostics of a file are stored under a key made of
the file's own bytes, the course settings, today, and a digest of the code that checks them;
a run checks only the files whose key is new and takes the rest from the cache.

`tests/checks/content/test_cache.py` holds the rules to that promise: checking each file alone
gives exactly what checking the whole course gives. A run whose diagnostics name a file it did
not check (which would break the promise) is used but not stored.

The cache is a JSON file outside the project (see `builder.cache`): a file in the repository
could arrive in a pull request and hide a problem. A damaged cache file counts as empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from builder.diagnostics import Diagnostic
from builder.model.project import Project
from builder.model.where import Where
from builder.util import code_digest, write_atomic

VERSION = "content-checks-2"


@lru_cache(maxsize=1)
def rules_digest() -> str:
    """A hash of the code that decides what the content checks report."""
    # stats.count_words counts a lesson's words for timing.words-per-minute
    return code_digest(VERSION, "checks/**/*.py", "model/**/*.py", "diagnostics.py", "stats.py")


def dependencies(project: Project) -> dict[str, list[str]]:
    """Files whose diagnostics also depend on other files than course.yaml, and those files.

    A lesson's citations resolve to its module's `sources:`; a bank may cite them too; the
    session plans in course.yaml are checked against every module, bank and form.
    """
    deps: dict[str, list[str]] = {}
    for m in project.modules:
        for lesson in m.lessons:
            deps[lesson.path] = [m.path]
        if m.quiz_path:
            deps[m.quiz_path] = [m.path]
    forms = "quizzes/forms.yaml"
    deps[project.course.where().path] = sorted(
        {m.path for m in project.modules} | {m.quiz_path for m in project.modules if m.quiz_path}
        | ({forms} if forms in project.sources else set()))
    return deps


def file_keys(project: Project, today: dt.date) -> dict[str, str]:
    """The cache key of every source file of `project` (with the files it depends on)."""
    course = project.sources.get(project.course.where().path, "")
    context = f"{rules_digest()}\0{today.isoformat()}\0{course}"
    deps = dependencies(project)
    keys = {}
    for path, digest in project.sources.items():
        extra = "".join(f"\0{d}\0{project.sources.get(d, '')}" for d in deps.get(path, ()))
        keys[path] = hashlib.sha256(f"{context}\0{path}\0{digest}{extra}".encode()).hexdigest()
    return keys


def cached_content_checks(project: Project, cache: Path | None, today: dt.date | None = None) -> list[Diagnostic]:
    """`run_content_checks(project)`, reusing the stored results of unchanged files."""
    from builder.checks.content import run_content_checks
    from builder.checks.content.corpus import _today

    today = today or _today()
    if cache is None:
        return run_content_checks(project, today)
    keys = file_keys(project, today)
    stored = _load(cache)
    entries: dict[str, dict[str, object]] = {}
    found: list[Diagnostic] = []
    stale = []
    for path, key in keys.items():
        entry = stored.get(path)
        if isinstance(entry, dict) and entry.get("key") == key:
            try:
                found += [_diagnostic(row) for row in entry["diags"]]
                entries[path] = entry
                continue
            except (KeyError, TypeError, ValueError):
                pass  # a damaged entry: check the file again
        stale.append(path)
    if stale:
        fresh = run_content_checks(project, today, only=stale)
        found += fresh
        if all(d.where.path in keys and d.where.path in stale for d in fresh):
            by_path: dict[str, list[list[object]]] = {path: [] for path in stale}
            for d in fresh:
                by_path[d.where.path].append(_row(d))
            for path, rows in by_path.items():
                entries[path] = {"key": keys[path], "diags": rows}
    if entries != stored:
        _save(cache, entries)
    return found


def _row(d: Diagnostic) -> list[object]:
    return [d.where.path, d.where.line, d.where.col, d.severity, d.message, d.code, d.hint]


def _diagnostic(row: object) -> Diagnostic:
    if not isinstance(row, list) or len(row) != 7:
        raise ValueError("not a diagnostic")
    path, line, col, severity, message, code, hint = row
    if not (isinstance(path, str) and isinstance(line, int) and isinstance(col, int)
            and severity in ("error", "warning") and isinstance(message, str) and isinstance(code, str)
            and (hint is None or isinstance(hint, str))):
        raise ValueError("not a diagnostic")
    return Diagnostic(Where(path, line, col), severity, message, code, hint)


def _load(cache: Path) -> dict[str, object]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _save(cache: Path, entries: dict[str, dict[str, object]]) -> None:
    write_atomic(cache, json.dumps({"version": VERSION, "files": entries}, ensure_ascii=False, separators=(",", ":")),
                 best_effort=True)
