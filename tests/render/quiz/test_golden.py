"""Golden files: the exact exports of the minimal fixture, read and reviewed by a person.

Regenerate after an intended change with `UPDATE_GOLDENS=1 pytest tests/render/quiz`, then
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.render.quiz import FORMATS, loss_table
from tests.render.quiz import checkers
from tests.render.quiz.conftest import GOLDEN

UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


def _expand(files: dict[str, bytes]) -> dict[str, bytes]:
    """Zip-based exports are compared file by file, so diffs stay readable."""
    out = {}
    for name, data in files.items():
        if name.endswith((".zip", ".imscc")):
            for inner, content in checkers.unzip(data).items():
                out[f"{name}/{inner}"] = content
        else:
            out[name] = data
    return out


def _compare(folder: Path, actual: dict[str, bytes]) -> None:
    if UPDATE:
        for name, data in actual.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    expected = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(expected)
    for name in actual:
        assert actual[name].decode("utf-8") == expected[name].decode("utf-8"), name


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_bank_export_matches_golden(exports: dict, fmt: str) -> None:
    _compare(GOLDEN / "bank" / fmt, _expand(exports[("fixture-course", fmt)].files))


@pytest.mark.parametrize("fmt", ["moodle", "gift", "qti21"])
def test_form_export_matches_golden(exports: dict, fmt: str) -> None:
    _compare(GOLDEN / "form" / fmt, _expand(exports[("fixture-course-form-pre-post", fmt)].files))


def test_loss_tables_match_golden(exports: dict) -> None:
    text = "\n".join(loss_table(f.label, exports[("fixture-course", f.name)].losses) for f in FORMATS.values())
    _compare(GOLDEN / "losses", {"fixture-course.txt": text.encode("utf-8")})
