"""Commands import the heavy libraries (MkDocs, WeasyPrint, lxml, Jinja2) only when they run:
`course check`, `course --help` and the parser itself stay quick."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import FIXTURES, REPO

HEAVY = ("mkdocs", "weasyprint", "lxml", "jinja2", "material", "pymdownx")

SCRIPT = """
import contextlib, io, json, sys
from builder.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(%r))))
"""


@pytest.mark.parametrize("args, allowed", [
    (["check"], ()),
    (["stats"], ()),
    (["schema", "--out", "{tmp}/schema"], ()),
    (["export", "quizzes", "--format", "gift", "--out", "{tmp}/gift.txt"], ("lxml",)),
])
def test_commands_import_only_what_they_use(tmp_path, args: list[str], allowed: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    argv = [a.format(tmp=tmp_path) for a in args] + ["--root", str(FIXTURES / "minimal")]
    proc = subprocess.run([sys.executable, "-c", SCRIPT % (HEAVY,), *argv], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout.splitlines()[-1])
    assert [m for m in loaded if m not in allowed] == []


def test_the_parser_imports_no_heavy_library() -> None:
    code = ("import sys; from builder.cli import build_parser; build_parser(); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
