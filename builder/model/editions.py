"""Editions (docs/editions.md): the course as one setting (school, workplace, community) reads it.

`for_edition(project, edition_id)` returns a copy of the project holding only what that
edition shows: lessons, pages, activities, quiz questions and scenarios marked for other
editions are gone, every `!!! edition` block of another edition is blanked (its own are
unwrapped), and every `:term[name]` is the edition's words. Renderers get this copy, so no
renderer (site, print, quiz exports, LMS packages, or one written later) can show another
edition's text: what it is given holds none. The checks read the full project.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from builder.model import schema
from builder.model.blocks import filter_editions, resolve_terms
from builder.model.project import Document, Project


def editions(project: Project) -> list[schema.Edition]:
    return list(project.course.editions)


def edition(project: Project, edition_id: str) -> schema.Edition | None:
    return next((e for e in project.course.editions if e.id == edition_id), None)


def default_edition(project: Project) -> str:
    """The edition built without --edition: `default_edition`, else the first; "" without editions."""
    if not project.course.editions:
        return ""
    return project.course.default_edition or project.course.editions[0].id


def default_region(project: Project, edition_id: str) -> str:
    e = edition(project, edition_id)
    return (e.default_region if e is not None and e.default_region else None) or project.course.default_region


def in_edition(marked: Sequence[str], edition_id: str) -> bool:
    """An item marked `editions: marked` is in `edition_id` (unmarked: in every edition)."""
    return not marked or not edition_id or edition_id in marked


def edition_text(text: str, edition_id: str, vocabulary: dict[str, str]) -> str:
    """A lesson or page body (or any Markdown) as one edition reads it."""
    return resolve_terms(filter_editions(text, edition_id), vocabulary)


def for_edition(project: Project, edition_id: str) -> Project:
    """The project as `edition_id` shows it (see the module docstring). Without editions, or
    with edition_id "", the project itself.

    Editions may draw different questions onto the same form (a question only one edition
    has). The copy remembers every question a form draws in any edition, so that no
    edition's participants get the answers of a question that is a test question elsewhere.
    """
    if not edition_id or not project.course.editions or project.edition == edition_id:
        return project
    copy_ = _edition_copy(project, edition_id)
    if project.forms is not None:
        if project._drawn_by_any_edition is None:
            from builder.model.forms import form_question_ids

            drawn = set(form_question_ids(project))
            for other in project.course.editions:
                drawn |= form_question_ids(copy_ if other.id == edition_id else _edition_copy(project, other.id))
            project._drawn_by_any_edition = frozenset(drawn)
        copy_.forms_drawn_anywhere = project._drawn_by_any_edition
    return copy_


def _edition_copy(project: Project, edition_id: str) -> Project:
    if project.edition:
        raise ValueError(f"a copy of edition {project.edition!r} cannot become edition {edition_id!r}")
    ed = edition(project, edition_id)
    if ed is None:
        raise KeyError(edition_id)
    vocab = dict(ed.vocabulary)
    p = copy.copy(project)
    p.edition = edition_id
    p.course = copy.deepcopy(project.course)
    p.glossary = copy.deepcopy(project.glossary)
    p.forms = copy.deepcopy(project.forms)
    p.pages = [_doc(d, edition_id, vocab) for d in project.pages if in_edition(d.meta.editions, edition_id)]
    p.page_audience = {d.path: project.page_audience.get(d.path, "all") for d in p.pages}
    p.modules = []
    for m in project.modules:
        mm = copy.copy(m)
        mm.data = copy.deepcopy(m.data)
        mm.lessons = [_doc(les, edition_id, vocab) for les in m.lessons if in_edition(les.meta.editions, edition_id)]
        kept = {les.path.rsplit("/", 1)[-1] for les in mm.lessons}
        dropped = {les.path.rsplit("/", 1)[-1] for les in m.lessons} - kept
        mm.data.lessons = [name for name in m.data.lessons if name not in dropped]
        mm.data.activities = [a for a in mm.data.activities if in_edition(a.editions, edition_id)]
        # The facilitator notes' adaptation for another edition's setting is that edition's text.
        adapt = mm.data.facilitator_notes.adaptations
        for other in project.course.editions:
            if other.id != edition_id and other.id in type(adapt).model_fields:
                setattr(adapt, other.id, None)
        _terms(mm.data, vocab)
        if m.quiz is not None:
            mm.quiz = copy.deepcopy(m.quiz)
            mm.quiz.scenarios = [s for s in mm.quiz.scenarios if in_edition(s.editions, edition_id)]
            mm.quiz.questions = [q for q in mm.quiz.questions if in_edition(q.editions, edition_id)]
            _terms(mm.quiz, vocab)
        p.modules.append(mm)
    # Who the course is for, in this edition's copy, is the edition's audience (the site's
    # home page, the facilitator guide).
    p.course.audience = ed.audience
    _terms(p.course, vocab)
    _terms(p.glossary, vocab)
    return p


def _doc(doc: Document, edition_id: str, vocab: dict[str, str]) -> Any:
    d = copy.copy(doc)
    d.meta = copy.deepcopy(doc.meta)
    _terms(d.meta, vocab)
    d.body = edition_text(doc.body, edition_id, vocab)
    return d


def _terms(node: Any, vocab: dict[str, str]) -> None:
    """Resolve `:term[...]` in every string under a model object, in place."""
    if isinstance(node, schema.Node):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, str):
                new = resolve_terms(value, vocab)
                if new is not value:
                    setattr(node, name, new)
            else:
                _terms(value, vocab)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, str):
                node[i] = resolve_terms(item, vocab)
            else:
                _terms(item, vocab)
    elif isinstance(node, dict):
        for key, item in node.items():
            if isinstance(item, str):
                node[key] = resolve_terms(item, vocab)
            else:
                _terms(item, vocab)
