"""From drafts to a bank: ids, objectives and difficulty from tags, YAML text, and where it goes.

Ids: a draft whose source id is already an id of the target module (`M4.Q07`, as our own
exports write it) keeps it when it is free; every other draft gets the next free number of
the module, in file order. The same bank and the same files always give the same ids.

Tags that name one of the module's objectives become `objectives`, `difficulty:hard` becomes
`difficulty`; other tags (categories as `category:a/b`) stay tags. A draft with no objective
gets none: `course check` warns about it (`question.no-objective`) until an author links it.

Where it goes: one bank per module (`quizzes/NN-slug.yaml`). If the module has none, the
bank is created; if it has one, the questions are appended at the end of its `questions:`
list, leaving every byte the author wrote as it was. `--out` writes a separate bank file
instead (for review; the builder does not read it until it is moved into place).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from builder.diagnostics import Diagnostic, diag
from builder.importers.common import INVALID, TARGET, Draft, Media, media_name
from builder.model import schema
from builder.model.where import Where

_KEY_ORDER = ("id", "type", "objectives", "difficulty", "points", "stem", "options", "answer", "accepted",
              "case_sensitive", "pairs", "distractors", "items", "model_answer", "lines", "feedback_true",
              "feedback_false", "feedback", "tags", "imported")
_DIFFICULTY = re.compile(r"^difficulty:(easy|medium|hard)$")
_TAG_OK = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Prepared:
    questions: list[dict[str, Any]]
    media: dict[str, bytes]  # file name in the module's media folder -> bytes
    diagnostics: list[Diagnostic]
    duplicates: list[tuple[Draft, str]]  # drafts already in the bank: (draft, id there)


# Not part of what a question asks: who it is linked to, where it came from, how it is shown.
_IGNORED = {"id", "objectives", "tags", "imported", "difficulty", "lines"}
_QUESTION: TypeAdapter[Any] = TypeAdapter(schema.Question)


def validated(q: dict[str, Any]) -> tuple[Any, str | None]:
    """The draft as a question model (with a placeholder id), or the first validation problem."""
    try:
        return _QUESTION.validate_python({"id": "M1.Q1", **{k: v for k, v in q.items() if k != "id"}}), None
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"] if p not in schema.QUESTION_TYPES)
        return None, f"{where}: {err['msg']}" if where else err["msg"]


def _pruned(value: Any) -> Any:
    """Empty mappings, lists and None left out (a loaded `feedback: {}` equals no feedback)."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ({}, [], None)}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def content_key(question: Any) -> str:
    """What makes two questions the same, whatever their id, objectives, tags or origin."""
    keep = _pruned(question.model_dump(exclude_defaults=True, exclude=_IGNORED))
    return hashlib.sha256(json.dumps(keep, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def prepare(drafts: list[Draft], media: list[Media], module_id: str, objectives: list[str],
            taken_ids: set[str], existing: list[Any], root_rel: dict[str, str]) -> Prepared:
    """Give drafts ids, objectives, difficulty and provenance; pick the media they use."""
    diags: list[Diagnostic] = []
    pattern = re.compile(rf"^{re.escape(module_id)}\.Q([0-9]+)$")
    numbers = [int(m.group(1)) for i in taken_ids if (m := pattern.match(i))]
    width = max([2, *(len(i.split(".Q")[1]) for i in taken_ids if pattern.match(i))])
    next_n = max(numbers, default=0) + 1
    seen_content = {content_key(q): q.id for q in existing}
    used_ids = set(taken_ids)
    out, dups = [], []
    wanted = {d.source_id for d in drafts if pattern.match(d.source_id or "")}
    for d in drafts:
        q = dict(d.data)
        fb = {k: v for k, v in (q.get("feedback") or {}).items() if v}
        q["feedback"] = fb
        if not fb:
            q.pop("feedback")
        model, problem = validated(q)
        if model is None:
            diags.append(diag(INVALID, d.where, f"question '{d.name or d.data.get('stem', '')[:40]}' does not fit "
                              f"the bank format: {problem}", "fix it in the source, or leave it out of the import"))
            continue
        key = content_key(model)
        if key in seen_content:
            dups.append((d, seen_content[key]))
            continue
        if d.source_id and pattern.match(d.source_id) and d.source_id not in used_ids:
            qid = d.source_id
        else:
            while f"{module_id}.Q{next_n:0{width}d}" in used_ids | wanted:
                next_n += 1
            qid = f"{module_id}.Q{next_n:0{width}d}"
        used_ids.add(qid)
        seen_content[key] = qid
        objs, tags, difficulty = [], [], None
        for t in d.tags:
            t = _TAG_OK.sub(" ", t).strip()
            if t in objectives and t not in objs:
                objs.append(t)
            elif (m := _DIFFICULTY.match(t)):
                difficulty = m.group(1)
            elif t and t not in tags:
                tags.append(t)
        q["id"] = qid
        if objs:
            q["objectives"] = objs
        if difficulty and difficulty != "medium":
            q["difficulty"] = difficulty
        if tags:
            q["tags"] = tags
        q["imported"] = {"format": d.fmt, "file": root_rel.get(d.where.path, d.where.path), "line": d.where.line,
                         **({"name": d.name} if d.name else {})}
        out.append({k: q[k] for k in _KEY_ORDER if k in q})
    files: dict[str, bytes] = {}
    for item in media:
        name = media_name(item.name)
        if name in files and files[name] != item.data:
            diags.append(diag(TARGET, item.where, f"two different embedded files are both named '{name}'",
                              "rename one of them in the LMS, then export again"))
            continue
        files[name] = item.data
    return Prepared(out, files, diags, dups)


# ---------------------------------------------------------------------------
# YAML


class _Dumper(yaml.SafeDumper):
    """Block YAML as our banks are written: nested lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


class _Flow(list):
    """A list written on one line, `[M4.O1, M4.O2]`, as authors write objectives and tags."""


_PLAIN_END = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|^\s|\s$")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not re.search(r"[ \t]\n|\n[ \t]*\n[ \t]*\n", value) and not _PLAIN_END.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 80 and "\n" not in value and not _PLAIN_END.search(value) and "  " not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)


def dump_questions(questions: list[dict[str, Any]], indent: str = "  ") -> str:
    """The questions as block-style YAML list items, each line indented by `indent`."""
    if not questions:
        return ""
    shaped = [{k: (_Flow(v) if k in ("objectives", "tags") else v) for k, v in q.items()} for q in questions]
    text = yaml.dump(shaped, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96,
                     default_flow_style=False, indent=2)
    # PyYAML writes list items at the parent's indentation; banks indent them under `questions:`.
    lines = []
    for line in text.splitlines():
        lines.append(indent + line if line else line)
    return "\n".join(lines) + "\n"


def new_bank(module_id: str, questions: list[dict[str, Any]]) -> str:
    head = (f"# Questions imported by `course import`. Each has an `imported:` note saying where it came\n"
            f"# from; link every question to an objective (`objectives: [{module_id}.O1]`).\n"
            f"format: 1\nmodule: {module_id}\nquestions:\n")
    return head + dump_questions(questions)


def append_to_bank(text: str, questions: list[dict[str, Any]], path: str) -> tuple[str | None, Diagnostic | None]:
    """`text` (an author's bank) with `questions` appended to its `questions:` list, every
    existing byte kept. Refuses (with a diagnostic) when the list cannot be safely extended:
    `questions:` is not the last top-level key, or is written in flow style (`[...]`)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = Where(path, (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1)
        return None, diag(TARGET, where, "the bank does not parse as YAML, so nothing can be appended",
                          "run `course check` and fix the bank first")
    if node is None or not isinstance(node, yaml.MappingNode):
        return None, diag(TARGET, Where(path, 1, 1), "the bank is not a mapping of keys", "run `course check`")
    keys = [(k.value, v) for k, v in node.value]
    body = text if text.endswith("\n") else text + "\n"
    if not any(k == "questions" for k, _ in keys):
        return body + "questions:\n" + dump_questions(questions), None
    last_key, last = keys[-1]
    if last_key != "questions":
        k = next(kn for kn, v in node.value if kn.value == "questions")
        return None, diag(TARGET, Where(path, k.start_mark.line + 1, k.start_mark.column + 1),
                          "`questions:` is not the last key of the bank, so questions cannot be appended to it "
                          "without rewriting it", "move `questions:` to the end of the file, or use --out")
    if isinstance(last, yaml.SequenceNode) and last.flow_style:
        if last.value:
            return None, diag(TARGET, Where(path, last.start_mark.line + 1, last.start_mark.column + 1),
                              "`questions:` is written as a flow list `[...]`",
                              "write it as a block list, or use --out")
        # `questions: []`: the empty flow list is the only thing replaced.
        start, end = last.start_mark.index, last.end_mark.index
        return text[:start].rstrip(" ") + "\n" + dump_questions(questions) + text[end:].lstrip("\n"), None
    indent = "  "
    if isinstance(last, yaml.SequenceNode) and last.value:
        indent = " " * last.value[0].start_mark.column
        indent = indent[:-2] if len(indent) >= 2 else ""
    elif isinstance(last, yaml.ScalarNode) and last.value in ("", "~", "null"):
        indent = "  "
    else:
        return None, diag(TARGET, Where(path, last.start_mark.line + 1, last.start_mark.column + 1),
                          "`questions:` is not a list", "run `course check`")
    return body + dump_questions(questions, indent), None
