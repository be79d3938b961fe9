"""Checks over a loaded project. Each returns diagnostics as data; only the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.checks.content import run_content_checks
from builder.checks.html import check_html
from builder.checks.paths import check_paths
from builder.checks.structure import run_structure_checks
from builder.diagnostics import Diagnostic, sort_unique
from builder.model.forms import form_diagnostics
from builder.model.load import load_project
from builder.model.project import Project


@dataclass
class CheckResult:
    project: Project | None
    diagnostics: list[Diagnostic]

    @property
    def files(self) -> int:
        return len(self.project.sources) if self.project else 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def check_project(root: Path) -> CheckResult:
    """Load the project at `root` and run every check; never raises for bad input."""
    project, diags = load_project(root)
    if project is not None:
        diags = diags + run_structure_checks(project) + run_content_checks(project)
        diags = diags + check_html(project) + check_paths(project)
        if not any(d.severity == "error" for d in diags):  # forms draw from valid banks only
            diags = diags + form_diagnostics(project)
    return CheckResult(project, sort_unique(diags))
