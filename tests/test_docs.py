"""Documentation that cannot drift: every diagnostic code is documented for instructors."""

from __future__ import annotations

import re

import builder.checks  # noqa: F401  (registers every code)
import builder.checks.structure  # noqa: F401
from builder.diagnostics import CODES
from tests.helpers import REPO


def test_every_diagnostic_code_is_documented() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    documented = set(re.findall(r"`([a-z0-9]+(?:[.-][a-zA-Z0-9-]+)+)`", docs))
    missing = sorted(code for code in CODES if code not in documented)
    assert not missing, f"document these codes in docs/: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("\n## ", readme.index("make test"))] if "\n## " in readme else readme
    assert "make build" in head and "make test" in head
    assert head.index("make build") < head.index("make test")
