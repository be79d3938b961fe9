"""Every rule of the content checks against its case file: exact diagnostics, and clean negatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.checks import check_project
from builder.checks.content import PREFIXES
from tests.checks.content.casefile import LESSON, Case, parse
from tests.helpers import course_copy

CASES_DIR = Path(__file__).parent / "cases"
CASES = [case for path in sorted(CASES_DIR.glob("*.txt")) for case in parse(path)]
TODAY = "2026-11-22"


def _content_lines(root: Path, hints: bool) -> list[str]:
    result = check_project(root)
    out = []
    for d in result.diagnostics:
        if d.code.startswith(PREFIXES) or d.code.startswith("suppress."):
            assert d.hint, f"no hint: {d.format()}"  # every finding suggests a rewording or fix
            out.extend(d.format().split("\n") if hints else [d.format().split("\n")[0]])
    return out


def _build(tmp_path: Path, case: Case) -> Path:
    files = dict(case.files)
    if LESSON in files:
        module = Path(__file__).parents[2] / "fixtures/curricula/minimal/modules/01-first-steps/module.yaml"
        text = module.read_text(encoding="utf-8").replace(
            "  - 02-noticing.md\n", "  - 02-noticing.md\n  - 03-case.md\n"
        )
        files.setdefault("modules/01-first-steps/module.yaml", text.replace("duration: 45", "duration: 60"))
    return course_copy(tmp_path, files=files)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.source}-{c.title}" for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_TODAY", TODAY)
    root = _build(tmp_path, case)
    assert _content_lines(root, case.with_hints) == case.expect, case.source


def test_case_files_cover_every_content_code() -> None:
    """Each registered content code fires in at least one case (so none is untested)."""
    from builder.checks.content import content_codes
    from builder.diagnostics import CODES

    expected = "\n".join(line for case in CASES for line in case.expect)
    codes = content_codes() | {c for c in CODES if c.startswith("suppress.")}
    missing = sorted(c for c in codes if f"[{c}]" not in expected)
    assert not missing, f"codes with no case: {missing}"


def test_minimal_fixture_course_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared fixture course must stay free of content diagnostics (other tests rely on it)."""
    monkeypatch.setenv("COURSE_TODAY", TODAY)
    root = Path(__file__).parents[2] / "fixtures/curricula/minimal"
    assert _content_lines(root, hints=False) == []
