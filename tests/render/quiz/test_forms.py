"""Forms: deterministic draws, same questions in every variant, different orders."""

from __future__ import annotations

import pytest

from builder.model import schema
from builder.model.forms import build_form, draw_form, find_form, form_diagnostics
from builder.model.load import load_project
from tests.helpers import course_copy


def test_draw_is_one_question_per_objective_of_allowed_types(minimal) -> None:
    form = find_form(minimal, "pre-post")
    drawn = draw_form(minimal, form)
    assert drawn.diagnostics == []
    ids = [q.id for _, q in drawn.questions]
    assert len(ids) == 3 == len(set(ids))
    objectives = [o.id for m in minimal.modules for o in m.objectives]
    for (_, q), obj in zip(drawn.questions, objectives, strict=False):
        assert obj in q.objectives and q.type in ("single", "multiple", "true_false")


def test_variants_share_questions_but_not_orders(minimal) -> None:
    a, b = build_form(minimal, "pre-post", "A"), build_form(minimal, "pre-post", "B")
    assert sorted(i.question.id for i in a) == sorted(i.question.id for i in b)
    assert [i.question.id for i in a] != [i.question.id for i in b]
    assert [i.number for i in a] == [1, 2, 3]
    orders_a = {i.question.id: i.order for i in a}
    for item in b:
        if len(item.order) > 1:
            assert item.order != orders_a[item.question.id]
            assert sorted(item.order) == list(range(len(item.order)))
        if isinstance(item.question, schema.SingleChoice):
            assert [o.text for o in item.shown()] == [item.question.options[k].text for k in item.order]


def test_same_input_same_form(minimal) -> None:
    again, _ = load_project(minimal.root)
    assert build_form(minimal, "pre-post", "B") == build_form(again, "pre-post", "B")


def test_other_seed_other_draw(tmp_path) -> None:
    root = course_copy(tmp_path)
    seen = set()
    original = (root / "quizzes" / "forms.yaml").read_text()
    assert "seed: 7" in original
    for seed in range(1, 9):
        (root / "quizzes" / "forms.yaml").write_text(original.replace("seed: 7", f"seed: {seed}"))
        project, _ = load_project(root)
        seen.add(tuple(i.question.id for i in build_form(project, "pre-post", "A")))
    assert len(seen) > 1


def test_ordering_never_shown_in_answer_order(tmp_path) -> None:
    root = course_copy(tmp_path, files={"quizzes/forms.yaml": (
        "format: 1\nforms:\n  - id: order\n    title: Order\n    draw: {types: [ordering], objectives: [M1.O2]}\n"
        "    seed: 3\n    variants: [A, B, C, D]\n")})
    project, _ = load_project(root)
    for v in "ABCD":
        (item,) = build_form(project, "order", v)
        assert item.order != (0, 1, 2)
        assert item.shown() != item.question.items


def test_shortfall_is_a_warning(tmp_path) -> None:
    root = course_copy(tmp_path, files={"quizzes/forms.yaml": (
        "format: 1\nforms:\n  - id: big\n    title: Big\n    draw: {per_objective: 5}\n    seed: 1\n")})
    project, _ = load_project(root)
    diags = form_diagnostics(project)
    assert {d.code for d in diags} == {"form.short"}
    assert any("objective M2.O1" in d.message and "have 2" in d.message for d in diags)
    assert diags[0].where.path == "quizzes/forms.yaml"


def test_unknown_form_or_variant(minimal) -> None:
    with pytest.raises(KeyError):
        build_form(minimal, "nope", "A")
    with pytest.raises(KeyError):
        build_form(minimal, "pre-post", "Z")
