"""The vendored schemas are exactly what the checkers compile, each named in LICENSES.md.

tests/vendor/xsd holds the five schemas `checkers.SCHEMAS` names and every file they import or
include: a file too few and a fresh clone cannot compile a schema; a file too many is an
unaccounted-for third-party file in the repository.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tests.render.quiz import checkers

XS = "{http://www.w3.org/2001/XMLSchema}"


def _closure(roots: list[Path]) -> set[Path]:
    """Every schema file reachable from `roots` through xs:import/include/redefine."""
    seen: set[Path] = set()
    todo = [r.resolve() for r in roots]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for el in etree.parse(str(path)).getroot().iter(f"{XS}import", f"{XS}include", f"{XS}redefine"):
            location = el.get("schemaLocation")
            if location:
                assert "://" not in location, f"{path}: imports {location} from the network"
                todo.append((path.parent / location).resolve())
    return seen


def test_vendored_xsds_are_exactly_the_ones_the_checkers_use() -> None:
    assert checkers.XSD.is_relative_to(checkers.REPO / "tests")
    used = _closure(list(checkers.SCHEMAS.values()))
    present = {p.resolve() for p in checkers.XSD.rglob("*.xsd")}
    assert sorted(map(str, used - present)) == []  # missing: the schema cannot compile
    assert sorted(map(str, present - used)) == []  # unused: drop it (and its LICENSES.md row)


def test_every_vendored_file_has_its_origin_and_licence_noted() -> None:
    notes = (checkers.XSD / "LICENSES.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1] for line in notes.splitlines() if line.startswith("| `")}
    files = {p.relative_to(checkers.XSD).as_posix() for p in checkers.XSD.rglob("*.xsd")}
    assert rows == files


def test_every_schema_compiles_from_the_vendored_copy() -> None:
    for name in checkers.SCHEMAS:
        assert isinstance(checkers.schema(name), etree.XMLSchema)
