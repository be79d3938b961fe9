"""The command line: output formats, exit codes, scaffolding, JSON Schema, stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from builder.model.source import split_front_matter
from tests.helpers import REPO, check_lines, course_copy, run_cli
from tests.model.test_load_errors import MODULE, fixture_text


def broken(tmp_path: Path) -> Path:
    text = fixture_text(MODULE).replace("duration: 45", "duraton: 45")
    return course_copy(tmp_path, files={MODULE: text,
                                        "modules/01-first-steps/09-x.md": "---\ntitle: X\nduration: 1\n---\n"})


def test_json_format(tmp_path: Path) -> None:
    run = run_cli("check", "--root", str(broken(tmp_path)), "--format", "json")
    assert run.code == 1
    data = json.loads(run.out)
    assert data["summary"] == "2 errors in 14 files"
    assert data["diagnostics"][0] == {
        "path": "modules/01-first-steps/module.yaml", "line": 1, "col": 1, "severity": "error",
        "code": "schema.missing", "message": "missing required key 'duration'", "hint": "add `duration:` here",
    }
    assert [d["code"] for d in data["diagnostics"]] == ["schema.missing", "schema.unknown-key"]


def test_github_annotations_when_running_in_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = run_cli("check", "--root", str(broken(tmp_path)))
    assert run.lines[0] == ("::error file=modules/01-first-steps/module.yaml,line=1,col=1,title=schema.missing::"
                            "missing required key 'duration' [schema.missing]%0Ahint: add `duration:` here")
    assert run.lines[-1] == "2 errors in 14 files"  # the readable report follows the annotations


def test_no_traceback_and_exit_status_from_a_real_process(tmp_path: Path) -> None:
    root = broken(tmp_path)
    (root / "curriculum/glossary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "check", "--root", str(root)],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "curriculum/glossary.yaml:1:1: error: file is binary, not text [file.binary]" in proc.stdout


def test_root_defaults_to_current_folder(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "check"], capture_output=True, text=True,
                          cwd=root, env={"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", os.defpath)})
    assert proc.stdout == "no problems in 13 files\n"
    assert proc.returncode == 0


def test_new_module_and_lesson_scaffold_files_that_load_but_are_not_publishable(tmp_path: Path) -> None:
    """They pass `course check` (warnings only, so a new module builds at once) and fail
    `course check --strict` until their placeholder text is replaced (tests/checks/content/
    test_placeholder.py has the details)."""
    root = course_copy(tmp_path)
    run = run_cli("new", "module", "Peer support online", "--root", str(root))
    assert run.code == 0, run.err
    assert run.lines[:3] == ["created modules/03-peer-support-online/module.yaml",
                             "created modules/03-peer-support-online/01-introduction.md",
                             "created quizzes/03-peer-support-online.yaml"]
    run = run_cli("new", "lesson", "M3", "Staying safe on social media", "--root", str(root))
    assert run.code == 0, run.err
    assert run.lines[0] == "created modules/03-peer-support-online/02-staying-safe-on-social-media.md"
    lines = check_lines(root)
    assert lines[-1] == "10 warnings in 17 files"
    assert all(line.endswith("[content.placeholder]") for line in lines[:-1]), lines
    assert run_cli("check", "--root", str(root)).code == 0
    assert run_cli("check", "--strict", "--root", str(root)).code == 1
    course = yaml.safe_load((root / "curriculum/course.yaml").read_text())
    assert course["modules"][-1] == "03-peer-support-online"


def test_new_lesson_for_unknown_module(tmp_path: Path) -> None:
    run = run_cli("new", "lesson", "M9", "Title", "--root", str(course_copy(tmp_path)))
    assert run.code == 1
    assert run.err == "course: error: no module 'M9'; modules: 01-first-steps, 02-second-steps\n"


def _yaml_files(root: Path) -> list[tuple[str, object]]:
    """Every curriculum file of the repository's own course, as data, with its schema name."""
    out: list[tuple[str, object]] = []
    cur = root / "curriculum"
    out.append(("course.schema.json", yaml.safe_load((cur / "course.yaml").read_text())))
    out.append(("resources.schema.json", yaml.safe_load((cur / "resources.yaml").read_text())))
    out.append(("glossary.schema.json", yaml.safe_load((cur / "glossary.yaml").read_text())))
    for m in sorted((root / "modules").glob("*/module.yaml")):
        out.append(("module.schema.json", yaml.safe_load(m.read_text())))
        for md in sorted(m.parent.glob("*.md")):
            front, _, _ = split_front_matter(md.read_text())
            out.append(("lesson-front-matter.schema.json", yaml.safe_load(front or "")))
    for q in sorted((root / "quizzes").glob("[0-9]*.yaml")):
        out.append(("quiz.schema.json", yaml.safe_load(q.read_text())))
    if (root / "quizzes" / "surveys.yaml").is_file():
        out.append(("surveys.schema.json", yaml.safe_load((root / "quizzes" / "surveys.yaml").read_text())))
    return out


def test_generated_json_schema_accepts_the_course_and_rejects_mistakes(tmp_path: Path) -> None:
    run = run_cli("schema", "--root", str(tmp_path), "--out", "schema")
    assert run.code == 0
    schemas = {p.name: json.loads(p.read_text()) for p in (tmp_path / "schema").glob("*.json")}
    assert len(schemas) == 8
    # An independent validator (jsonschema) must accept every real file ...
    for name, data in _yaml_files(REPO / "tests/fixtures/curricula/minimal") + _yaml_files(REPO):
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schemas[name])
    # ... and reject the mistakes `course check` rejects.
    module = yaml.safe_load(fixture_text(MODULE))
    module["objectivs"] = module.pop("objectives")
    with pytest.raises(jsonschema.ValidationError, match="objectivs"):
        jsonschema.validate(module, schemas["module.schema.json"])
    bank = yaml.safe_load(fixture_text("quizzes/01-first-steps.yaml"))
    bank["questions"][0]["type"] = "singel"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bank, schemas["quiz.schema.json"])


def test_stats_on_fixture(tmp_path: Path) -> None:
    run = run_cli("stats", "--root", str(course_copy(tmp_path)))
    assert run.code == 0
    assert run.lines[0].split() == ["module", "min", "lessons", "words", "objectives", "taught", "assessed", "x2",
                                    "activities", "key", "points", "questions", "single", "multiple",
                                    "true_false", "short_answer", "matching", "ordering", "reflection"]
    assert run.lines[1].split() == ["M1", "First", "steps", "45", "2", "72", "2", "2", "2", "2", "2", "7",
                                    "1", "1", "1", "1", "1", "1", "1"]
    assert run.lines[-2].startswith("modules: 2; lessons: 3; lesson words: ")
