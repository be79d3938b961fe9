"""`course new module` and `course new lesson`: start files that already pass `course check`.

Their placeholder sentences come from `builder.checks.content.placeholder`, the rule that reports
each one still in place (a warning: `course check --strict` fails until they are replaced)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from builder.checks.content import placeholder as ph
from builder.model.load import MODULE_FOLDER_RE


class ScaffoldError(Exception):
    pass


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug:
        raise ScaffoldError(f"cannot make a file name from {title!r}; use letters or digits")
    return slug[:40].rstrip("-")


def _course_modules(course_yaml: Path) -> list[str]:
    data = yaml.safe_load(course_yaml.read_text(encoding="utf-8")) or {}
    return list(data.get("modules") or [])


def new_module(root: Path, title: str) -> list[str]:
    course_yaml = root / "curriculum" / "course.yaml"
    if not course_yaml.exists():
        raise ScaffoldError("no curriculum/course.yaml here; run in the course repository or pass --root")
    numbers = [int(m.group(1)) for f in _course_modules(course_yaml) if (m := MODULE_FOLDER_RE.match(f))]
    n = max(numbers, default=0) + 1
    folder = f"{n:02d}-{slugify(title)}"
    mdir = root / "modules" / folder
    if mdir.exists():
        raise ScaffoldError(f"modules/{folder} already exists")
    mdir.mkdir(parents=True)
    mid = f"M{n}"
    (mdir / "module.yaml").write_text(
        f"""format: 1
id: {mid}
title: {yaml.safe_dump(title, default_style='"').strip()}
summary: >-
  {ph.MODULE_SUMMARY}
duration: 30
objectives:
  - id: {mid}.O1
    text: {ph.OBJECTIVE}
lessons:
  - 01-introduction.md
activities: []
key_points:
  - {ph.KEY_POINT}
facilitator_notes:
  preparation: {ph.PREPARATION}
""",
        encoding="utf-8",
    )
    _write_lesson(mdir / "01-introduction.md", "Introduction", f"{mid}.O1")
    quiz = root / "quizzes" / f"{folder}.yaml"
    quiz.parent.mkdir(exist_ok=True)
    quiz.write_text(
        f"""format: 1
module: {mid}
questions:
  - id: {mid}.Q01
    type: true_false
    objectives: [{mid}.O1]
    stem: {ph.QUESTION_STEM}
    answer: true
    feedback:
      general: {ph.QUESTION_FEEDBACK}
""",
        encoding="utf-8",
    )
    text = course_yaml.read_text(encoding="utf-8")
    new_text, count = re.subn(r"(^modules:\n(?:[ \t]+-[^\n]*\n)+)", lambda m: m.group(1) + f"  - {folder}\n",
                              text, count=1, flags=re.M)
    if count:
        course_yaml.write_text(new_text, encoding="utf-8")
        added = [f"curriculum/course.yaml (added {folder} to modules)"]
    else:
        added = [f"(add `- {folder}` to modules: in curriculum/course.yaml)"]
    return [f"modules/{folder}/module.yaml", f"modules/{folder}/01-introduction.md",
            f"quizzes/{folder}.yaml", *added]


def _write_lesson(path: Path, title: str, objective: str | None) -> None:
    objectives = f"[{objective}]" if objective else "[]"
    path.write_text(
        f"""---
title: {yaml.safe_dump(title, default_style='"').strip()}
duration: 10
objectives: {objectives}
---

## What this lesson covers

{ph.LESSON_BODY}

!!! reflection "Think about it"
    {ph.REFLECTION}
""",
        encoding="utf-8",
    )


def new_lesson(root: Path, module: str, title: str) -> list[str]:
    course_yaml = root / "curriculum" / "course.yaml"
    folders = _course_modules(course_yaml) if course_yaml.exists() else []
    match = [f for f in folders if module in (f, f.split("-", 1)[0], f"M{int(f[:2])}" if f[:2].isdigit() else "")
             or (module.isdigit() and f.startswith(f"{int(module):02d}-"))]
    if not match:
        raise ScaffoldError(f"no module {module!r}; modules: {', '.join(folders) or 'none'}")
    mdir = root / "modules" / match[0]
    module_yaml = mdir / "module.yaml"
    existing = sorted(mdir.glob("[0-9][0-9]-*.md"))
    n = max((int(p.name[:2]) for p in existing), default=0) + 1
    name = f"{n:02d}-{slugify(title)}.md"
    _write_lesson(mdir / name, title, None)
    text = module_yaml.read_text(encoding="utf-8")
    new_text, count = re.subn(r"(^lessons:\n(?:[ \t]+-[^\n]*\n)+)", lambda m: m.group(1) + f"  - {name}\n",
                              text, count=1, flags=re.M)
    if count:
        module_yaml.write_text(new_text, encoding="utf-8")
        return [f"modules/{match[0]}/{name}", f"modules/{match[0]}/module.yaml (added to lessons)"]
    return [f"modules/{match[0]}/{name}", f"(add `- {name}` to lessons: in modules/{match[0]}/module.yaml)"]
