"""The one walk over authored text (builder.model.texts.authored_texts)."""

from __future__ import annotations

from builder.model.load import load_project
from builder.model.texts import authored_texts
from tests.helpers import REPO

MINIMAL = REPO / "tests" / "fixtures" / "curricula" / "minimal"


def _project():  # type: ignore[no-untyped-def]
    project, diags = load_project(MINIMAL, cache=False)
    assert project is not None, [str(d) for d in diags]
    return project


def test_every_body_once_then_every_yaml_string_with_its_place() -> None:
    project = _project()
    texts = list(authored_texts(project))
    docs = [x.path for m in project.modules for x in m.lessons] + [p.path for p in project.pages]
    bodies = [t for t in texts if t.kind == "body"]
    assert [t.path for t in bodies] == docs
    assert texts[: len(bodies)] == bodies  # bodies come first
    for t in bodies:
        assert t.doc is not None and t.text == t.doc.body and t.where.line == t.doc.body_line
    stem = next(t for t in texts if t.text == "Which of these is an open question?")
    assert (stem.path, stem.field, stem.index, stem.key, stem.kind, stem.prose) == (
        "quizzes/01-first-steps.yaml", "stem", None, "stem", "value", True)
    assert stem.where.line > 1 and stem.base == "quizzes"
    point = next(t for t in texts if t.text == "Notice changes, then ask.")
    assert point.key == "key_points[1]" and point.base == "modules/01-first-steps"


def test_ids_and_settings_are_not_prose_and_url_fields_are_urls() -> None:
    texts = list(authored_texts(_project()))
    by_field = {(type(t.owner).__name__, t.field): t for t in texts if t.owner is not None}
    assert not by_field[("SingleChoice", "id")].prose
    assert not by_field[("Objective", "text")].prose  # module objectives sit under `objectives`
    assert by_field[("Contact", "value")].kind == "url" and by_field[("Contact", "value")].prose
    assert by_field[("Activity", "scenario")].prose  # an activity's scenario is prose ...
    assert not by_field[("TrueFalse", "scenario")].prose  # ... a question's names a scenario


def test_only_limits_the_walk_to_those_files() -> None:
    project = _project()
    only = {"quizzes/01-first-steps.yaml", "modules/01-first-steps/01-listening.md"}
    texts = list(authored_texts(project, only))
    assert texts and {t.path for t in texts} <= only | {"<unknown>"}
    assert {t.path for t in texts if t.kind == "body"} == {"modules/01-first-steps/01-listening.md"}
