"""Load a course project from disk into typed, position-aware objects.

`load_project(root)` reads every file the curriculum names, validates each against its
pydantic model, maps validation errors back to YAML line and column, and returns the
assembled `Project` (or None when `course.yaml` itself is unusable) with every
diagnostic found on the way. It never raises for bad input.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError

from builder.cache import cache_root
from builder.diagnostics import Diagnostic, diag, register
from builder.model import schema
from builder.model.project import Document, Lesson, Module, Project
from builder.model.source import (
    ParseCache,
    Positions,
    read_text,
    rel,
    resolve_inside,
    split_front_matter,
)
from builder.model.where import Where

SCHEMA_UNKNOWN = register("schema.unknown-key", "A key the format does not define.")
SCHEMA_MISSING = register("schema.missing", "A required key is missing.")
SCHEMA_TYPE = register("schema.type", "A value of the wrong type.")
SCHEMA_VALUE = register("schema.value", "A value outside what the format allows.")
MODULE_FOLDER = register("module.folder", "A module folder not named NN-slug.")
LESSON_FRONT = register("lesson.front-matter", "A lesson without YAML front matter.")
ORPHAN = register("file.orphan", "A file in the curriculum that nothing lists.", "warning")

MODULE_FOLDER_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
LESSON_FILE_RE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")

_PATTERN_NAMES = {
    schema.SLUG: "lower-case words joined by hyphens, like 'peer-support'",
    schema.MODULE_ID: "a module id like M4",
    schema.OBJECTIVE_ID: "an objective id like M4.O2",
    schema.ACTIVITY_ID: "an activity id like M4.A1",
    schema.QUESTION_ID: "a question id like M4.Q07",
    schema.SCENARIO_ID: "a scenario id like M4.S1",
    schema.REGION: "a two-letter region code like 'us' or 'uk'",
    schema.DOMAIN: "a domain name like 'example.org'",
}

_TYPE_WORDS = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping",
    "date": "a date (YYYY-MM-DD)",
    "model": "a mapping",
}


def cache_file(root: Path) -> Path:
    """The parse cache of the project at `root` (outside it: see builder.cache)."""
    return cache_root(root) / "parse.pickle"


def load_project(root: Path, cache: bool = True) -> tuple[Project | None, list[Diagnostic]]:
    """Load the project at `root`. With `cache`, parsed YAML is reused from the user's cache."""
    root = root.resolve()
    loader = _Loader(root, ParseCache(cache_file(root) if cache else None))
    result = loader.load()
    loader.cache.save()
    return result


class _Loader:
    def __init__(self, root: Path, cache: ParseCache) -> None:
        self.root = root
        self.cache = cache
        self.diags: list[Diagnostic] = []
        self.sources: dict[str, str] = {}

    # -- files -----------------------------------------------------------------------------

    def _read(self, path: Path) -> str | None:
        text, data, problem = read_text(self.root, path)
        if data:
            self.sources[rel(self.root, path)] = hashlib.sha256(data).hexdigest()
        if problem:
            self.diags.append(problem)
        return text

    def _yaml(self, path: Path, model: type[schema.Node]) -> Any:
        text = self._read(path)
        if text is None:
            return None
        name = rel(self.root, path)
        data, positions, problems = self.cache.parse(text, name)
        self.diags.extend(problems)
        if data is None and not problems:
            self.diags.append(diag(SCHEMA_MISSING, Where(name, 1, 1), "file holds no YAML data",
                                   "write the file's keys, e.g. `id:` and `title:`"))
            return None
        if data is None:
            return None
        return validate(model, data, positions, self.diags)

    # -- the project -----------------------------------------------------------------------

    def load(self) -> tuple[Project | None, list[Diagnostic]]:
        cur = self.root / "curriculum"
        course_path = cur / "course.yaml"
        if not course_path.exists():
            self.diags.append(diag(register("project.no-course", "No curriculum/course.yaml in the project."),
                                   Where("curriculum/course.yaml", 1, 1),
                                   "no curriculum/course.yaml here",
                                   "run `course check` in the course repository or pass --root DIR"))
            return None, self.diags
        course = self._yaml(course_path, schema.Course)
        resources = self._yaml(cur / "resources.yaml", schema.Resources)
        glossary = self._yaml(cur / "glossary.yaml", schema.Glossary) if (cur / "glossary.yaml").exists() \
            else schema.Glossary()
        forms_path = self.root / "quizzes" / "forms.yaml"
        forms = self._yaml(forms_path, schema.Forms) if forms_path.exists() else None
        if course is None:
            return None, self.diags
        modules = self._modules(course)
        pages, audience = self._pages(course)
        self._orphans(course, modules)
        project = Project(
            root=self.root,
            course=course,
            resources=resources if resources is not None else schema.Resources.model_construct(regions={}),
            glossary=glossary if glossary is not None else schema.Glossary(),
            modules=modules,
            pages=pages,
            page_audience=audience,
            forms=forms,
            sources=dict(sorted(self.sources.items())),
        )
        return project, self.diags

    def _modules(self, course: schema.Course) -> list[Module]:
        modules = []
        for i, folder in enumerate(course.modules):
            where = course.where("modules", i)
            m = MODULE_FOLDER_RE.match(folder)
            if not m:
                self.diags.append(diag(MODULE_FOLDER, where, f"module folder {folder!r} is not named NN-slug",
                                       "name module folders like '04-warning-signs'"))
                continue
            path, problem = resolve_inside(self.root, self.root / "modules", folder, where, "module folder")
            if problem:
                self.diags.append(problem)
                continue
            assert path is not None
            data = self._yaml(path / "module.yaml", schema.ModuleFile)
            quiz_path = self.root / "quizzes" / f"{folder}.yaml"
            if data is None:
                # Still report the lessons' and the bank's own problems in this run, so that an
                # author sees every error at once, not one batch per fix.
                for md in sorted(path.glob("*.md")):
                    if LESSON_FILE_RE.match(md.name):
                        self._document(md, Where(rel(self.root, md), 1, 1))
                if quiz_path.exists():
                    self._yaml(quiz_path, schema.QuizBank)
                continue
            module = Module(folder=folder, number=int(m.group(1)), slug=m.group(2), data=data,
                            path=f"modules/{folder}/module.yaml")
            for j, name in enumerate(data.lessons):
                lesson = self._lesson(module, path, name, data.where("lessons", j))
                if lesson is not None:
                    module.lessons.append(lesson)
            if quiz_path.exists():
                module.quiz_path = rel(self.root, quiz_path)
                module.quiz = self._yaml(quiz_path, schema.QuizBank)
            modules.append(module)
        return modules

    def _document(self, path: Path, where: Where) -> tuple[schema.LessonMeta, str, int] | None:
        text = self._read(path)
        if text is None:
            return None
        name = rel(self.root, path)
        front, body, body_line = split_front_matter(text)
        if front is None:
            self.diags.append(diag(LESSON_FRONT, Where(name, 1, 1), "no YAML front matter at the top of the file",
                                   "start the file with '---', then 'title:' and 'duration:', then '---'"))
            return None
        data, positions, problems = self.cache.parse(front, name, line_offset=1)
        self.diags.extend(problems)
        if problems:
            return None
        if not isinstance(data, dict):
            self.diags.append(diag(LESSON_FRONT, Where(name, 2, 1), "front matter must be a mapping of keys",
                                   "write 'title: …' and 'duration: …' between the '---' lines"))
            return None
        meta = validate(schema.LessonMeta, data, positions, self.diags)
        if meta is None:
            return None
        return meta, body, body_line

    def _lesson(self, module: Module, folder: Path, name: str, where: Where) -> Lesson | None:
        path, problem = resolve_inside(self.root, folder, name, where)
        if problem:
            self.diags.append(problem)
            return None
        assert path is not None
        m = LESSON_FILE_RE.match(path.name)
        if not m:
            self.diags.append(diag(MODULE_FOLDER, where, f"lesson file {name!r} is not named NN-slug.md",
                                   "name lesson files like '02-what-is-stigma.md'"))
            return None
        loaded = self._document(path, where)
        if loaded is None:
            return None
        meta, body, body_line = loaded
        return Lesson(path=rel(self.root, path), slug=m.group(2), meta=meta, body=body, body_line=body_line,
                      module_id=module.id, stem=path.stem)

    def _pages(self, course: schema.Course) -> tuple[list[Document], dict[str, str]]:
        pages: list[Document] = []
        audience: dict[str, str] = {}
        for page in course.pages:
            path, problem = resolve_inside(self.root, self.root / "curriculum", page.file, page.where("file"))
            if problem:
                self.diags.append(problem)
                continue
            assert path is not None
            loaded = self._document(path, page.where("file"))
            if loaded is None:
                continue
            meta, body, body_line = loaded
            slug = re.sub(r"^\d+-", "", path.stem)
            doc = Document(path=rel(self.root, path), slug=slug, meta=meta, body=body, body_line=body_line)
            pages.append(doc)
            audience[doc.path] = page.audience
        return pages, audience

    def _orphans(self, course: schema.Course, modules: list[Module]) -> None:
        listed = set(course.modules)
        lessons_of = {m.folder: set(m.data.lessons) for m in modules}
        modules_dir = self.root / "modules"
        if modules_dir.is_dir():
            for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
                if folder.name not in listed:
                    self.diags.append(diag(ORPHAN, Where(rel(self.root, folder), 1, 1),
                                           f"module folder {folder.name!r} is not listed in course.yaml",
                                           "add it to `modules:` in curriculum/course.yaml or delete it"))
                    continue
                if folder.name not in lessons_of:
                    continue  # its module.yaml did not load: that error is already reported
                for md in sorted(folder.glob("*.md")):
                    if md.name not in lessons_of[folder.name]:
                        self.diags.append(diag(ORPHAN, Where(rel(self.root, md), 1, 1),
                                               f"lesson file {md.name!r} is not listed in module.yaml",
                                               f"add it to `lessons:` in modules/{folder.name}/module.yaml "
                                               "or delete it"))
        quizzes = self.root / "quizzes"
        if quizzes.is_dir():
            for bank in sorted(quizzes.glob("*.yaml")):
                if bank.stem not in ("forms", "surveys") and bank.stem not in listed:
                    self.diags.append(diag(ORPHAN, Where(rel(self.root, bank), 1, 1),
                                           f"quiz bank {bank.name!r} matches no module in course.yaml",
                                           "name a bank after its module folder, e.g. quizzes/04-warning-signs.yaml"))



# -- validation with positions ------------------------------------------------------------


def validate(model: type[schema.Node], data: Any, positions: Positions, diags: list[Diagnostic]) -> Any:
    """Validate `data` against `model`; on failure append one diagnostic per error."""
    try:
        obj = model.model_validate(data)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            diags.append(_diagnostic(model, data, positions, err))
        return None
    attach_positions(obj, positions, ())
    return obj


def attach_positions(obj: Any, positions: Positions, loc: tuple[Any, ...]) -> None:
    if isinstance(obj, schema.Node):
        obj._where = positions.value(loc)
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            obj._field_where[name] = positions.value(loc + (name,))
            if isinstance(value, list):
                for i, _ in enumerate(value):
                    obj._field_where[f"{name}[{i}]"] = positions.value(loc + (name, i))
            attach_positions(value, positions, loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            attach_positions(item, positions, loc + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            attach_positions(item, positions, loc + (key,))


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], bool]:
    """Turn a pydantic error location into a path through the data (dropping union tags).

    The flag says whether the last part names a mapping key rather than a value.
    """
    out: list[Any] = []
    cur = data
    for part in loc:
        if part == "[key]":
            return tuple(out), True
        if isinstance(cur, dict) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif isinstance(part, str) and part in schema.QUESTION_TYPES or (isinstance(part, str) and "[" in part):
            continue  # a union tag or a pydantic type label
        else:
            out.append(part)
            cur = None
    return tuple(out), False


def _diagnostic(model: type[schema.Node], data: Any, positions: Positions, err: Mapping[str, Any]) -> Diagnostic:
    kind, loc, value = err["type"], tuple(err["loc"]), err.get("input")
    dloc, is_key = _data_loc(data, loc)
    name = _loc_name(dloc)
    if kind == "extra_forbidden":
        key = dloc[-1] if dloc else "?"
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        return diag(SCHEMA_UNKNOWN, positions.key(dloc), f"unknown key '{key}'", hint)
    if kind == "missing":
        parent = dloc[:-1]
        return diag(SCHEMA_MISSING, positions.value(parent), f"missing required key '{dloc[-1]}'"
                    + (f" in {_loc_name(parent)}" if parent else ""),
                    f"add `{dloc[-1]}:` here")
    if kind == "union_tag_invalid":
        tags = ", ".join(schema.QUESTION_TYPES)
        close = difflib.get_close_matches(str(err.get("ctx", {}).get("tag", "")), schema.QUESTION_TYPES, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"use one of: {tags}"
        return diag(SCHEMA_VALUE, positions.value(dloc + ("type",)),
                    f"unknown question type {_show(err.get('ctx', {}).get('tag'))}", hint)
    if kind == "union_tag_not_found":
        return diag(SCHEMA_MISSING, positions.value(dloc), f"{name or 'item'} has no 'type'",
                    f"add `type:` with one of: {', '.join(schema.QUESTION_TYPES)}")
    where = positions.key(dloc) if is_key else positions.value(dloc)
    label = f"{name}: " if name else ""
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        expected = _PATTERN_NAMES.get(pattern, f"text matching {pattern}")
        return diag(SCHEMA_VALUE, where, f"{label}{_show(value)} is not {expected}")
    if kind == "literal_error":
        return diag(SCHEMA_VALUE, where, f"{label}{_show(value)} is not allowed",
                    f"use {err.get('ctx', {}).get('expected', 'an allowed value')}")
    if kind in ("too_short", "too_long"):
        return diag(SCHEMA_VALUE, where, f"{label}{err['msg'].lower()}")
    if kind in ("string_too_short", "string_too_long"):  # not a type error: the text is there
        size = f" (it has {len(value):,})" if isinstance(value, str) and value else ""
        return diag(SCHEMA_VALUE, where, f"{label}text should have {err['msg'].split(' have ', 1)[-1]}{size}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return diag(SCHEMA_VALUE, where, f"{label}{_show(value)}: {err['msg'].lower()}")
    words = next((w for k, w in _TYPE_WORDS.items() if kind.startswith(k)), None)
    if words:
        return diag(SCHEMA_TYPE, where, f"{label}expected {words}, got {_show(value)}")
    return diag(SCHEMA_VALUE, where, f"{label}{err['msg']} (got {_show(value)})")


def _loc_name(loc: tuple[Any, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _show(value: Any) -> str:
    """A value as an author would recognise it (YAML-ish, never a Python repr)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        short = value if len(value) <= 60 else value[:57] + "..."
        return f"'{short}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            tp = field.annotation
        elif origin is list:
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        elif origin in (Union, types.UnionType):
            members = [m for m in typing.get_args(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
            match = [m for m in members if "type" in m.model_fields
                     and typing.get_args(m.model_fields["type"].annotation) == (part,)]
            if not match:
                return []
            tp = match[0]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []
