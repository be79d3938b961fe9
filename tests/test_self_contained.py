"""The suite runs from a fresh clone on any machine: no test names a machine path, and only the
seed-corpus tests read ../shared (and skip, with the reason, when it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import REPO

# An absolute path into a particular machine's layout, in a string literal.
MACHINE_PATH = re.compile(r"""["'](/work/|/usr/(local/)?s?bin/|/opt/|/home/|/root/|/srv/|/mnt/|[A-Z]:\\\\)""")
# ../shared, however spelt: "../shared", REPO.parent / "shared".
SHARED = re.compile(r"""\.\./shared|parent\s*/\s*["']shared["']""")
SEED_TESTS = {"tests/checks/content/test_seeds.py", "tests/checks/content/test_units.py"}


def _test_sources() -> dict[str, str]:
    files = [p for ext in ("py", "js") for p in (REPO / "tests").rglob(f"*.{ext}")]
    return {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8") for p in sorted(files)
            if p != Path(__file__) and "vendor" not in p.relative_to(REPO).parts}


def test_no_test_names_a_machine_path() -> None:
    found = [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
             for name, text in _test_sources().items() for m in MACHINE_PATH.finditer(text)]
    assert found == []


def test_only_the_seed_corpus_tests_read_shared() -> None:
    readers = {name for name, text in _test_sources().items() if SHARED.search(text)}
    assert readers <= SEED_TESTS, readers - SEED_TESTS


def test_the_seed_corpus_tests_skip_with_the_reason_when_shared_is_absent() -> None:
    for name in SEED_TESTS:
        text = (REPO / name).read_text(encoding="utf-8")
        assert re.search(r"skip(if)?\(.*shared/seeds is not next to the repository", text), name


def test_the_patterns_see_what_they_forbid() -> None:
    assert MACHINE_PATH.search('CHROMIUM = "/usr/bin/chromium"')
    assert MACHINE_PATH.search("Path('/work/shared/xsd')")
    assert not MACHINE_PATH.search('shutil.which("chromium")')
    assert SHARED.search('XSD = REPO.parent / "shared" / "xsd"')
    assert not SHARED.search('"a shared fixture"')
