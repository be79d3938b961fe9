"""The version rule (`version.not-bumped`): silent outside git and on a clean checkout, a
warning with the right kind of bump when course content has uncommitted changes since the
last version change, and `--since REV` to compare with a revision whatever the tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.checks import check_project
from tests.diff.conftest import COURSE, NOTICING, commit, edit, git, make_v2, v1_course
from tests.helpers import course_copy, run_cli

CODE = "version.not-bumped"


def rule(root: Path, since: str | None = None, cache: bool = False) -> list[str]:
    result = check_project(root, cache=cache, since=since)
    assert not result.errors, [d.format() for d in result.errors]
    return [d.format() for d in result.diagnostics if d.code == CODE]


@pytest.fixture
def released(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose one commit set version 0.1.0."""
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    return root, commit(root, "0.1.0")


def test_silent_outside_git_and_without_commits(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    edit(root, NOTICING, "may be struggling", "may be having a hard time")
    assert rule(root) == []
    git(root, "init", "-q", "-b", "main")
    assert rule(root) == []  # a repository, but no commit yet
    run = run_cli("check", "--root", str(root), "--since", "HEAD")
    assert run.code == 2 and "not in a git repository with commits" in run.err


def test_clean_checkout_is_silent_and_since_compares_anyway(released: tuple[Path, str]) -> None:
    root, first = released
    edit(root, NOTICING, "may be struggling", "may be having a hard time")
    commit(root, "reword without a bump")
    # CI's fresh clone: nothing uncommitted, so `course check --strict` stays clean.
    assert rule(root) == []
    assert CODE not in run_cli("check", "--strict", "--root", str(root)).out
    # A branch gated as a whole: compare with a revision.
    [warning] = rule(root, since=first[:7])
    assert warning.startswith(f"{COURSE}:5:10: warning: 1 content change since {first[:7]} ({first[:12]}), "
                              "but `version` is still 0.1.0: a patch change (wording changed) [version.not-bumped]")
    assert 'hint: set `version: "0.1.1"` (a patch bump: wording only)' in warning
    strict = run_cli("check", "--strict", "--root", str(root), "--since", first)
    assert strict.code == 1 and CODE in strict.out
    run = run_cli("check", "--root", str(root), "--since", "no-such-rev")
    assert run.code == 2 and "'no-such-rev' is neither a folder nor a git revision" in run.err


@pytest.mark.parametrize(("change", "kind", "suggested"), [
    ("wording", "patch", "0.1.1"),
    ("lesson", "minor", "0.2.0"),
    ("key", "major", "1.0.0"),
    ("objective", "major", "1.0.0"),
])
def test_uncommitted_changes_warn_with_the_kind_of_bump(released: tuple[Path, str], change: str, kind: str,
                                                        suggested: str) -> None:
    root, first = released
    if change == "wording":
        edit(root, NOTICING, "may be struggling", "may be having a hard time")
    elif change == "lesson":
        (root / "modules/02-second-steps/02-more.md").write_text(
            "---\ntitle: Going further\nduration: 5\nobjectives: [M2.O1]\n---\n\n## Next\n\nKeep going.\n")
        edit(root, "modules/02-second-steps/module.yaml", "  - 01-responding.md\n",
             "  - 01-responding.md\n  - 02-more.md\n")
    elif change == "key":
        edit(root, "quizzes/01-first-steps.yaml", "    answer: true\n", "    answer: false\n")
    else:
        edit(root, "modules/02-second-steps/module.yaml", "  - id: M2.O2\n    text: Name one place to get help.\n", "")
        edit(root, "modules/02-second-steps/01-responding.md", "objectives: [M2.O1, M2.O2]", "objectives: [M2.O1]")
    [warning] = rule(root)
    assert f"since the last release commit ({first[:12]}), but `version` is still 0.1.0: a {kind} change" in warning
    assert f'set `version: "{suggested}"` (a {kind} bump' in warning
    assert f"`course diff {first[:12]}` lists every change" in warning
    # Bumping the version in the same edit silences it.
    edit(root, COURSE, 'version: "0.1.0"', f'version: "{suggested}"')
    assert rule(root) == []


def test_the_baseline_is_the_last_commit_that_changed_the_version(released: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = released
    make_v2(root, version="1.0.0")
    bump = commit(root, "1.0.0: new key, lesson retitled", date="2026-12-01T10:00:00+00:00")
    # A comment or a reformatted file is not a content change.
    (root / COURSE).write_text((root / COURSE).read_text() + "# a comment\n")
    assert rule(root) == []
    # A reworded passage, committed, then another edit of the same lesson: one lesson changed
    # since 1.0.0 was set, a patch.
    edit(root, "modules/01-first-steps/01-listening.md", "You give your full attention.",
         "You give the person your full attention.")
    commit(root, "reword", date="2026-12-02T10:00:00+00:00")
    assert rule(root) == []  # clean again
    edit(root, "modules/01-first-steps/01-listening.md", "helps a person feel heard", "helps someone feel heard")
    [warning] = rule(root, cache=True)
    assert f"1 content change since the last release commit ({bump[:12]}), but `version` is still 1.0.0: " \
           "a patch change" in warning
    assert rule(root, cache=True) == [warning]  # the cached baseline gives the same answer
    # The version's CHANGELOG entry, regenerated and committed, makes the release cover the edit.
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## 1.0.0 (2026-12-03)\n\nReworded.\n")
    release = commit(root, "CHANGELOG: 1.0.0 covers the rewording", date="2026-12-03T10:00:00+00:00")
    (root / COURSE).write_text((root / COURSE).read_text() + "# another comment\n")
    assert rule(root, cache=True) == []  # the rewording is in the release now
    edit(root, NOTICING, "stop people asking", "stop people from asking")
    [warning] = rule(root, cache=True)
    assert f"1 content change since the last release commit ({release[:12]})" in warning


def test_one_git_call_per_run_once_the_baseline_is_cached(released: tuple[Path, str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import builder.checks.version as version
    import builder.diff.revisions as revisions

    calls: list[tuple[str, ...]] = []
    real = revisions.git

    def counting(root: Path, *args: str, binary: bool = False):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(root, *args, binary=binary)

    monkeypatch.setattr(version, "git", counting)
    monkeypatch.setattr(revisions, "git", counting)
    root, _ = released
    assert rule(root, cache=True) == [] and [c[0] for c in calls] == ["status"]  # clean: nothing else
    edit(root, NOTICING, "may be struggling", "may be having a hard time")
    calls.clear()
    assert len(rule(root, cache=True)) == 1
    assert [c[0] for c in calls][:2] == ["status", "log"]  # the first time: find and read the baseline
    calls.clear()
    assert len(rule(root, cache=True)) == 1
    assert [c[0] for c in calls] == ["status"]


def test_silent_without_git(released: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = released
    edit(root, NOTICING, "may be struggling", "may be having a hard time")
    monkeypatch.setenv("PATH", "")  # no git to run
    assert rule(root) == []
