"""The workbook prints tables as tables: the words table of M1 'Words matter', which sits
right under a suppression marker and used to be printed as '| Instead of | Try | |---|---|'.

Renders the module 1 part of the real course's participant workbook and reads it back with
pdftotext. It needs the real course to load, not to pass every check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.model.load import load_project
from builder.render.print import render_specs
from builder.render.print.documents import DocSpec
from tests.helpers import REPO
from tests.print.conftest import options, squash, text

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

LESSON = "modules/01-education-awareness/05-words-matter.md"


def _table_rows(body: str) -> list[list[str]]:
    """The cells of the first pipe table under a comment line, as the author wrote them."""
    lines = body.split("\n")
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("<!--")
                 and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("|"))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip().startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            rows.append(cells)
    return rows


def test_the_words_matter_table_prints_as_cells(tmp_path: Path) -> None:
    project, diags = load_project(REPO, cache=False)
    assert project is not None, [str(d) for d in diags]
    lesson = next(x for m in project.modules for x in m.lessons if x.path == LESSON)
    module = next(m for m in project.modules if lesson in m.lessons)
    rows = _table_rows(lesson.body)
    assert len(rows) >= 3 and rows[0][0] == "Instead of"
    spec = DocSpec("workbook", "workbook-m1.pdf", "Workbook, module 1", "test", modules=(module.id,))
    render_specs(project, [spec], tmp_path, options(audience="participant"))
    words = text(tmp_path / "workbook-m1.pdf")
    assert "Instead of" in words
    assert not re.search(r"\|\s*-{3,}", words), "the pipe table's rule row is printed as text"
    assert not re.search(r"\|\s*Instead of\s*\|", words), "the table is printed as pipe syntax"
    flat = squash(words)
    for row in rows:
        # Each row's cells follow one another as separate cells, with no '|' between them.
        cells = [squash(c) for c in row]
        assert re.search(r"\s+".join(re.escape(c) for c in cells), flat), row
