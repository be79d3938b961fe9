"""The per-file content-check cache: same answers as a full run, and only changed files re-checked.

The cache rests on one promise (builder/checks/content/cache.py): a file's content diagnostics
depend on that file, the course settings and today alone. The first tests check the promise
itself on every case file of the content rules and on the real course; the others check the
cache's bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from builder.checks import check_project
from builder.checks.content import cache as content_cache
from builder.checks.content import run_content_checks
from builder.checks.content.cache import cached_content_checks
from builder.model.load import load_project
from builder.model.project import Project
from tests.checks.content.test_cases import CASES, _build
from tests.helpers import REPO, course_copy

TODAY = dt.date(2026, 11, 22)


def _load(root: Path) -> Project:
    project, diags = load_project(root, cache=False)
    assert project is not None, [d.format() for d in diags]
    return project


def _file_by_file(project: Project) -> list[str]:
    return sorted(d.format() for path in project.sources for d in run_content_checks(project, TODAY, only=[path]))


def _whole(project: Project) -> list[str]:
    return sorted(d.format() for d in run_content_checks(project, TODAY))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source}-{c.title}" for c in CASES])
def test_each_file_alone_gives_what_the_whole_course_gives(case, tmp_path: Path) -> None:
    project = _load(_build(tmp_path, case))
    whole = _whole(project)
    assert _file_by_file(project) == whole
    if case.expect:
        assert whole, "the case should have content findings"


def test_the_real_course_file_by_file() -> None:
    project = _load(REPO)
    assert _file_by_file(project) == _whole(project)


def test_seeded_findings_survive_the_cache(tmp_path: Path) -> None:
    """A course full of findings: cold and warm cached runs equal the uncached run."""
    files = {
        "modules/01-first-steps/02-noticing.md": "---\ntitle: Noticing\nduration: 5\n---\n\n"
        "He committed suicide last year. Buy kratom now at https://example.com/deal today!\n",
    }
    root = course_copy(tmp_path, files=files)
    project = _load(root)
    expected = _whole(project)
    assert any("safe." in line for line in expected) and any("links." in line for line in expected)
    store = tmp_path / "cache.json"
    assert sorted(d.format() for d in cached_content_checks(project, store, TODAY)) == expected
    assert sorted(d.format() for d in cached_content_checks(project, store, TODAY)) == expected


def _checked_files(monkeypatch: pytest.MonkeyPatch) -> list[list[str] | None]:
    calls: list[list[str] | None] = []
    real = run_content_checks

    def spy(project, today=None, only=None):  # type: ignore[no-untyped-def]
        calls.append(None if only is None else sorted(only))
        return real(project, today, only)

    monkeypatch.setattr("builder.checks.content.run_content_checks", spy)
    return calls


def test_only_changed_files_are_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course_copy(tmp_path)
    store = tmp_path / "cache.json"
    calls = _checked_files(monkeypatch)
    first = cached_content_checks(_load(root), store, TODAY)
    assert calls == [sorted(_load(root).sources)]
    lesson = root / "modules/01-first-steps/02-noticing.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nHe committed suicide.\n", encoding="utf-8")
    second = cached_content_checks(_load(root), store, TODAY)
    assert calls[1:] == [["modules/01-first-steps/02-noticing.md"]]
    assert len(second) > len(first)
    third = cached_content_checks(_load(root), store, TODAY)
    assert len(calls) == 2 and sorted(third) == sorted(second)  # the third run re-checked nothing


def test_course_settings_and_today_are_part_of_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course_copy(tmp_path)
    store = tmp_path / "cache.json"
    calls = _checked_files(monkeypatch)
    everything = sorted(_load(root).sources)
    cached_content_checks(_load(root), store, TODAY)
    cached_content_checks(_load(root), store, TODAY + dt.timedelta(days=1))
    course = root / "curriculum/course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    cached_content_checks(_load(root), store, TODAY + dt.timedelta(days=1))
    assert calls == [everything, everything, everything]


def test_a_stale_resource_is_reported_on_a_later_day_without_any_edit(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    store = tmp_path / "cache.json"
    project = _load(root)
    assert not [d for d in cached_content_checks(project, store, TODAY) if d.code == "resources.stale"]
    later = cached_content_checks(project, store, TODAY + dt.timedelta(days=3 * 365))
    assert [d for d in later if d.code == "resources.stale"]


@pytest.mark.parametrize("damage", ["not json", '{"version": "content-checks-1", "files": []}',
                                    "ROWS"])
def test_a_damaged_cache_is_a_miss(tmp_path: Path, damage: str) -> None:
    files = {"modules/01-first-steps/02-noticing.md": "---\ntitle: Noticing\nduration: 5\n---\n\n"
             "He committed suicide last year.\n"}
    project = _load(course_copy(tmp_path, files=files))
    store = tmp_path / "cache.json"
    expected = _whole(project)
    cached_content_checks(project, store, TODAY)
    if damage == "ROWS":  # right shape, rows emptied or mangled: must not hide the finding
        data = json.loads(store.read_text())
        for entry in data["files"].values():
            entry["diags"] = [["x"]] if entry["diags"] else entry["diags"]
        damage = json.dumps(data)
    store.write_text(damage)
    assert sorted(d.format() for d in cached_content_checks(project, store, TODAY)) == expected


def test_check_project_keeps_the_cache_outside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    root = course_copy(tmp_path)
    # A cache planted in the project (as a pull request could) is never read.
    (root / ".cache").mkdir()
    (root / ".cache" / "content-checks.json").write_text("{}")
    check_project(root)
    assert list((tmp_path / "cache").rglob("content-checks.json"))
    assert not [p for p in root.rglob("*.json") if p.name == "content-checks.json" and ".cache" not in p.parts]


def test_rules_digest_follows_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    first = content_cache.rules_digest()
    content_cache.rules_digest.cache_clear()
    monkeypatch.setattr(content_cache, "VERSION", "content-checks-test")
    try:
        assert content_cache.rules_digest() != first
    finally:
        content_cache.rules_digest.cache_clear()


def test_files_are_checked_again_when_a_file_they_depend_on_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lesson cites its module's sources; course.yaml's session plans read the modules: an
    edit to a module.yaml re-checks the module, its lessons, its bank and course.yaml."""
    module = "modules/01-first-steps/module.yaml"
    lesson = "modules/01-first-steps/02-noticing.md"
    source = "\nsources:\n  - id: M1-who-2022\n    title: World mental health report\n    year: 2022\n"
    root = course_copy(tmp_path)
    text = (root / module).read_text(encoding="utf-8")
    (root / module).write_text(text + source, encoding="utf-8")
    (root / lesson).write_text((root / lesson).read_text(encoding="utf-8") + "\nAbout 1 in 8.[^M1-who-2022]\n",
                               encoding="utf-8")
    store = tmp_path / "cache.json"
    calls = _checked_files(monkeypatch)
    first = cached_content_checks(_load(root), store, TODAY)
    assert not [d for d in first if d.code.startswith("sources.")]
    (root / module).write_text(text, encoding="utf-8")  # the source is gone
    second = cached_content_checks(_load(root), store, TODAY)
    assert calls[1] == sorted(["curriculum/course.yaml", module, "modules/01-first-steps/01-listening.md", lesson,
                               "quizzes/01-first-steps.yaml"])
    assert [d.format().split("\n")[0] for d in second if d.code == "sources.unknown"] == [
        f"{lesson}:14:14: error: citation 'M1-who-2022' names no source of this page or module [sources.unknown]"]
