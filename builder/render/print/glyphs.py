"""Every character printed must be in the course font.

WeasyPrint silently falls back to whatever system font has a missing glyph (an arrow, an
emoji), which embeds a stranger font and may print differently on another machine. This
check finds such characters before rendering and names the lesson they come from.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from builder.diagnostics import Diagnostic, diag
from builder.model.project import Project
from builder.model.schema import Node
from builder.model.where import Where

if TYPE_CHECKING:
    from builder.render.print.engine import Job

_TAG = re.compile(r"<[^>]*>")
_HEAD = re.compile(r"<head>.*?</head>", re.S)


@functools.lru_cache(maxsize=4)
def font_coverage(font_dir: Path) -> frozenset[int]:
    """Code points the regular face of the course font can draw (all subsets together)."""
    from fontTools.ttLib import TTFont

    cover: set[int] = set()
    for f in sorted(font_dir.glob("*-400-normal.woff2")):
        cover.update(TTFont(str(f)).getBestCmap())
    return frozenset(cover)


def missing_glyphs(project: Project, jobs: Iterable[Job], font_dir: Path) -> list[Diagnostic]:
    """Diagnostics for characters in the documents' text that the font cannot draw."""
    from builder.render.print.assemble import PRINT_PROBLEM

    cover = font_coverage(font_dir)
    missing: set[str] = set()
    for job in jobs:
        text = html.unescape(_TAG.sub(" ", _HEAD.sub("", job.html)))
        missing.update(c for c in set(text) if ord(c) not in cover and not c.isspace())
    diags = []
    for c in sorted(missing):
        name = unicodedata.name(c, f"U+{ord(c):04X}")
        diags.append(diag(PRINT_PROBLEM["print.glyph"], _where(project, c),
                          f"character '{c}' ({name}, U+{ord(c):04X}) is not in the course font, so the "
                          "PDF would use a system font", "write it another way, e.g. '->' for an arrow"))
    return diags


def _where(project: Project, c: str) -> Where:
    docs = [*project.pages, *(lesson for m in project.modules for lesson in m.lessons)]
    for doc in docs:
        for i, line in enumerate(doc.body.split("\n")):
            if c in line:
                return doc.where(i, line.index(c) + 1)
    models: list[object] = [project.course, project.resources, project.glossary, project.forms]
    for m in project.modules:
        models += [m.data, m.quiz]
    for node in models:
        found = _find_in(node, c)
        if found:
            return found
    return Where("curriculum/course.yaml", 1, 1)


def _find_in(value: object, c: str) -> Where | None:
    """Where the string field (or list of strings) of a model tree that holds `c` was written."""
    if isinstance(value, Node):
        for name in type(value).model_fields:
            v = getattr(value, name)
            if (isinstance(v, str) and c in v) or (isinstance(v, list) and any(
                    isinstance(x, str) and c in x for x in v)):
                return value.where(name)
            found = _find_in(v, c)
            if found:
                return found
    elif isinstance(value, (list, tuple, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            found = _find_in(item, c)
            if found:
                return found
    return None
