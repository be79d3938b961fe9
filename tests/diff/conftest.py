"""A course in a git repository, made in a temporary folder: the fixture course at tag v1,
and at tag v2 with a changed quiz key, a retitled lesson, a removed objective, a changed help
line and a reworded passage."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import course_copy
from tests.site.conftest import browser, open_page  # noqa: F401  (the site tests' Chromium, for test_site.py)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str, date: str = "2026-11-01T10:00:00+00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: {old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit(root: Path, message: str, date: str = "2026-11-01T10:00:00+00:00") -> str:
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")


M2 = "modules/02-second-steps/module.yaml"
RESPONDING = "modules/02-second-steps/01-responding.md"
NOTICING = "modules/01-first-steps/02-noticing.md"
BANK = "quizzes/01-first-steps.yaml"
RESOURCES = "curriculum/resources.yaml"
COURSE = "curriculum/course.yaml"


def v1_course(tmp: Path) -> Path:
    """The fixture course with a second objective in module 2 (so that v2 can remove it)."""
    root = course_copy(tmp, files={".gitignore": "build/\n.build/\n"})
    edit(root, M2, "    text: Respond to a friend who asks for help.\n",
         "    text: Respond to a friend who asks for help.\n  - id: M2.O2\n    text: Name one place to get help.\n")
    edit(root, RESPONDING, "objectives: [M2.O1]", "objectives: [M2.O1, M2.O2]")
    return root


def make_v2(root: Path, version: str = "1.0.0") -> None:
    # A changed key (true -> false), reworded stem.
    edit(root, BANK, "    answer: true\n", "    answer: false\n")
    edit(root, BANK, "stem: Sam's change in behaviour is worth noticing.",
         "stem: Sam's change in behaviour can be ignored.")
    # A retitled lesson with a reworded passage.
    edit(root, NOTICING, "title: Noticing changes", "title: Noticing when a friend struggles")
    edit(root, NOTICING, "A friend who stops joining in may be struggling.",
         "A friend who stops joining in may be having a hard time.")
    # A removed objective.
    edit(root, M2, "  - id: M2.O2\n    text: Name one place to get help.\n", "")
    edit(root, RESPONDING, "objectives: [M2.O1, M2.O2]", "objectives: [M2.O1]")
    # A changed help line: new hours, checked again.
    text = (root / RESOURCES).read_text(encoding="utf-8")
    uk = text.index("uk-samaritans")
    text = text[:uk] + text[uk:].replace("hours: 24 hours a day, 7 days a week", "hours: Every day, day and night", 1) \
        .replace("verified_on: 2026-11-01", "verified_on: 2026-12-01", 1)
    (root / RESOURCES).write_text(text, encoding="utf-8")
    edit(root, COURSE, 'version: "0.1.0"', f'version: "{version}"')


@pytest.fixture(scope="session")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test repository: tags v1 and v2 (version 0.1.0, then 1.0.0)."""
    root = v1_course(tmp_path_factory.mktemp("diff-repo"))
    git(root, "init", "-q", "-b", "main")
    commit(root, "v1")
    git(root, "tag", "v1")
    make_v2(root)
    commit(root, "v2", date="2026-12-01T10:00:00+00:00")
    git(root, "tag", "v2")
    return root
