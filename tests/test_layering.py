"""The layering holds: model -> checks -> render, with the CLI on top.

Renderers take the model and return artifacts; only `builder.cli` parses arguments and prints.
So no module under builder/render/ imports builder.cli, builder.build or builder.checks (a
renderer that needs a helper takes it from a neutral module such as builder.model), and none
prints or writes to the terminal. Read with `ast`, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import REPO

RENDER = REPO / "builder" / "render"
FORBIDDEN = ("builder.cli", "builder.build", "builder.checks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The absolute module names an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{a.name}" for a in node.names)]


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """What in `source` (the module `module`) breaks the renderers' rules, as `line: what` text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in _imported(node, module, is_package):
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    found.append(f"{node.lineno}: imports {name}")
                    break
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"{node.lineno}: calls print")
        elif (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
              and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append(f"{node.lineno}: uses sys.{node.attr}")
    return found


def test_renderers_never_import_upward_or_print() -> None:
    files = sorted(RENDER.rglob("*.py"))
    assert len(files) > 20  # the walk found the renderers
    problems = [f"{path.relative_to(REPO)}:{v}" for path in files
                for v in violations(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")]
    assert problems == []


@pytest.mark.parametrize("source", [
    "from builder.checks import check_project",
    "import builder.checks.texts",
    "from builder.checks.texts import local_target",
    "def f():\n    from builder.build import plan_all\n",
    "from builder import build",
    "from builder import cli as c",
    "from ... import checks",
    "from ...cli.common import say",
    "print('hello')",
    "def f():\n    print('x', file=None)\n",
    "import sys\nsys.stderr.write('x')\n",
])
def test_the_rule_catches(source: str) -> None:
    assert violations(source, "builder.render.site.pages") != []


@pytest.mark.parametrize("source", [
    "from builder.render import Artifact",
    "from builder.model.texts import local_target",
    "from builder.checks_like_name import x",
    "from .. import Artifact",
    "from . import pages",
    "fmt.print_me()",
    "pprint = 1",
])
def test_the_rule_allows(source: str) -> None:
    assert violations(source, "builder.render.site.pages") == []
