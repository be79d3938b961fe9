"""Checks over a loaded project. Each returns diagnostics as data; only the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.cache import cache_root
from builder.checks.completion import check_completion
from builder.checks.content.cache import cached_content_checks
from builder.checks.editions import check_editions
from builder.checks.html import check_html
from builder.checks.paths import check_paths
from builder.checks.structure import run_structure_checks
from builder.checks.version import check_version
from builder.diagnostics import Diagnostic, sort_unique
from builder.model.forms import form_diagnostics
from builder.model.load import load_project
from builder.model.project import Project
from builder.model.surveys import survey_diagnostics


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


def check_project(root: Path, cache: bool = True, since: str | None = None) -> CheckResult:
    """Load the project at `root` and run every check; never raises for bad input.

    With `cache`, parsed YAML and the content checks' results of unchanged files are reused
    from the user's cache folder (see builder.cache); the result is the same either way.
    `since` is the baseline revision of the version rule (builder.checks.version); an
    unknown revision raises builder.diff.DiffError.
    """
    project, diags = load_project(root, cache=cache)
    if project is not None:
        content = cached_content_checks(project, cache_root(root) / "content-checks.json" if cache else None)
        diags = diags + run_structure_checks(project) + content
        diags = diags + check_html(project) + check_paths(project) + survey_diagnostics(project)
        diags = diags + check_completion(project) + check_editions(project)
        if not any(d.severity == "error" for d in diags):  # forms draw from valid banks only
            diags = diags + form_diagnostics(project)
            diags = diags + check_version(project, since, cache_root(root) / "version-rule.json" if cache else None)
    return CheckResult(project, sort_unique(diags))
