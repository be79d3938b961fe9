"""`course import`: question banks from Moodle XML, GIFT, Aiken and QTI 1.2 (Canvas) into
the course's bank format.

    plan_import(project, module, files, out=None, fmt=None) -> ImportPlan   (no I/O but reading)
    apply(plan)                                                             (writes, atomically)

Readers (`gift`, `aiken`, `moodle_xml`, `qti12`) turn each file into drafts and skipped
questions (`common.ReadResult`); `bank` gives ids and writes YAML. Before anything is
written, the resulting bank is checked the way `course check` checks it, on a copy of the
project: an import whose bank would not load, or would have errors, writes nothing.
Diagnostics are data; only `builder.cli.import_` prints.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import Diagnostic, diag
from builder.importers import aiken, gift, moodle_xml, qti12
from builder.importers.bank import Prepared, append_to_bank, new_bank, prepare
from builder.importers.common import (
    FORMAT,
    MAX_FILE_BYTES,
    MEDIA,
    TARGET,
    TOO_LARGE,
    ReadResult,
    Skipped,
    decode,
    media_name,
)
from builder.model.project import Module, Project
from builder.model.where import Where

FORMATS = ("moodle", "gift", "aiken", "qti12")
MEDIA_FOLDER = "media"  # inside the module folder: modules/NN-slug/media/


@dataclass
class ImportPlan:
    module: Module
    target: Path  # the file written (the module's bank, or --out)
    text: str  # its whole new content
    appended: bool  # True: the questions were appended to an existing bank
    questions: list[dict[str, object]]
    media: dict[Path, bytes]
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, id in the bank)

    @property
    def ok(self) -> bool:
        return not self.errors


def detect(data: bytes, path: Path) -> str | None:
    """The format of a file, from its content (the suffix only breaks ties)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        return "qti12"
    if head.startswith(b"<"):
        if b"<quiz" in data[:65536]:
            return "moodle"
        if b"questestinterop" in data[:65536]:
            return "qti12"
        return None
    text = data[:200_000].decode("utf-8", "replace")
    if "{" in text and ("}" in text):
        return "gift"
    if "\nANSWER:" in text or text.startswith("ANSWER:"):
        return "aiken"
    return "gift" if path.suffix.lower() == ".gift" else None


def read_file(path: Path, shown: str, fmt: str | None, media_dir: str) -> ReadResult:
    out = ReadResult()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            out.diagnostics.append(diag(TOO_LARGE, Where(shown, 1, 1), f"file is {size:,} bytes; the limit is "
                                        f"{MAX_FILE_BYTES:,}", "split the bank into smaller exports"))
            return out
        data = path.read_bytes()
    except OSError as e:
        out.diagnostics.append(diag(FORMAT, Where(shown, 1, 1), f"file cannot be read ({e.strerror})"))
        return out
    if not data.strip():
        out.diagnostics.append(diag(FORMAT, Where(shown, 1, 1), "file is empty"))
        return out
    kind = fmt or detect(data, path)
    if kind is None:
        out.diagnostics.append(diag(FORMAT, Where(shown, 1, 1), "cannot tell which question format this file is",
                                    f"name it with --format ({', '.join(FORMATS)})"))
        return out
    if kind == "moodle":
        return moodle_xml.read(data, shown, media_dir)
    if kind == "qti12":
        return qti12.read(data, shown, media_dir)
    text, problem = decode(data, shown)
    if problem is not None:
        out.diagnostics.append(problem)
        return out
    assert text is not None
    return gift.read(text, shown) if kind == "gift" else aiken.read(text, shown)


def plan_import(project: Project, module: Module, files: list[tuple[Path, str]], out: Path | None = None,
                fmt: str | None = None, verify: bool = True) -> ImportPlan:
    """Read `files` ((path, name shown in diagnostics)) for `module`; nothing is written."""
    root = project.root
    media_rel = f"modules/{module.folder}/{MEDIA_FOLDER}"
    bank_path = root / "quizzes" / f"{module.folder}.yaml"
    target = out if out is not None else bank_path
    # Links from the bank's folder (quizzes/) to the module's media folder.
    media_dir = f"../{media_rel}"
    result = ReadResult()
    for path, shown in files:
        result.extend(read_file(path, shown, fmt, media_dir))
    result.notes += _unlink_missing(result, media_dir)
    existing_text = bank_path.read_text(encoding="utf-8") if (out is None and bank_path.exists()) else None
    existing_q = list(module.quiz.questions) if module.quiz is not None else []
    taken = {q.id for _, q in project.all_questions()}
    prepared: Prepared = prepare(result.drafts, result.media, module.id, [o.id for o in module.objectives],
                                 taken, existing_q, {})
    plan = ImportPlan(module=module, target=target, text="", appended=existing_text is not None,
                      questions=prepared.questions, media={}, skipped=sorted(result.skipped))
    plan.errors = [d for d in result.diagnostics + prepared.diagnostics if d.severity == "error"]
    plan.warnings = sorted([s.diagnostic() for s in plan.skipped] + result.notes
                           + [d for d in result.diagnostics if d.severity != "error"])
    plan.duplicates = [(str(d.where), qid) for d, qid in prepared.duplicates]
    used = {n for d in result.drafts for n in d.media}
    wanted = {media_name(n) for n in used}
    for name, data in prepared.media.items():
        if name in wanted:
            dest = root / media_rel / name
            if dest.exists() and dest.read_bytes() != data:
                plan.errors.append(diag(TARGET, Where(f"{media_rel}/{name}", 1, 1),
                                        "a different file of this name is already in the module",
                                        "rename or remove it, then import again"))
                continue
            plan.media[dest] = data
    if plan.errors:
        return plan
    if not plan.questions:
        return plan
    if existing_text is not None:
        text, problem = append_to_bank(existing_text, plan.questions, str(bank_path.relative_to(root)))
        if problem is not None:
            plan.errors.append(problem)
            return plan
        assert text is not None
        plan.text = text
    else:
        plan.text = new_bank(module.id, plan.questions)
    # The YAML must say exactly what was meant.
    loaded = yaml.safe_load(plan.text)
    got = (loaded or {}).get("questions") or []
    if got[len(got) - len(plan.questions):] != plan.questions:
        plan.errors.append(diag(TARGET, Where(str(target), 1, 1), "the written YAML would not read back as the "
                                "imported questions (a bug in course import)", "please report it"))
        return plan
    if verify:
        errors, warnings = _verify(project, module, plan)
        plan.errors += errors
        plan.warnings += warnings
    if not plan.errors:
        no_obj = [q["id"] for q in plan.questions if not q.get("objectives")]
        if no_obj:
            from builder.checks.structure import NO_OBJECTIVE

            plan.warnings.append(diag(NO_OBJECTIVE, Where(_rel(target, root), 1, 1),
                                      f"{len(no_obj)} imported question(s) name no objective: "
                                      f"{', '.join(str(i) for i in no_obj)}",
                                      f"add `objectives: [{module.id}.O1]` (or another objective) to each"))
    return plan


def _unlink_missing(result: ReadResult, media_dir: str) -> list[Diagnostic]:
    """Links and images to files the import does not carry become plain text (with a warning),
    so that the bank never points at a file that is not there."""
    have = {media_name(m.name) for m in result.media}
    notes = []
    for d in result.drafts:
        gone = [raw for raw in d.media if media_name(raw) not in have]
        if not gone:
            continue
        targets = {t for raw in gone for t in (raw, f"{media_dir}/{media_name(raw)}")}
        alts = "|".join(re.escape(x) for x in sorted(targets, key=len, reverse=True))
        image = re.compile(rf"!\[([^\]]*)\]\(<?(?:{alts})>?(?: \"[^\"]*\")?\)")
        link = re.compile(rf"\[([^\]]*)\]\(<?(?:{alts})>?(?: \"[^\"]*\")?\)")

        d.data = _fix_links(d.data, image, link)  # type: ignore[assignment]
        d.media = [raw for raw in d.media if raw not in gone]
        for raw in gone:
            notes.append(diag(MEDIA, d.where, f"'{raw}' is linked from '{d.name or 'a question'}' but the "
                              "import does not contain it: the link became plain text",
                              "add the file to the module yourself and link it again"))
    return notes


def _fix_links(value: object, image: re.Pattern[str], link: re.Pattern[str]) -> object:
    if isinstance(value, str):
        value = image.sub(lambda m: f"({m.group(1) or 'image'}: file not imported)", value)
        return link.sub(lambda m: m.group(1), value)
    if isinstance(value, list):
        return [_fix_links(v, image, link) for v in value]
    if isinstance(value, dict):
        return {k: _fix_links(v, image, link) for k, v in value.items()}
    return value


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "build", ".cache", "__pycache__")


def _verify(project: Project, module: Module, plan: ImportPlan) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Check the project as it would be after the import, on a copy. Returns (errors,
    warnings) about the imported questions, each placed at the question's line in its source
    file. Into the module's bank, errors stop the import; into an `--out` file (a bank for
    review that the builder does not read) they are reported as warnings to fix on the way in.
    """
    from builder.checks import check_project
    from builder.checks.structure import NO_OBJECTIVE

    root = project.root
    bank_rel = f"quizzes/{module.folder}.yaml"
    target_is_bank = plan.target.resolve() == (root / bank_rel).resolve()
    with tempfile.TemporaryDirectory(prefix="course-import-") as tmp:
        copy = Path(tmp) / "project"
        copy.mkdir()
        for part in ("curriculum", "modules", "quizzes", "mkdocs.yml"):
            src = root / part
            if src.is_dir():
                shutil.copytree(src, copy / part, ignore=_COPY_IGNORE, symlinks=False)
            elif src.is_file():
                shutil.copy2(src, copy / part)
        (copy / bank_rel).write_text(plan.text, encoding="utf-8")
        for dest, data in plan.media.items():
            placed = copy / dest.relative_to(root)
            placed.parent.mkdir(parents=True, exist_ok=True)
            placed.write_bytes(data)
        after = check_project(copy)
    # Which lines of the bank hold which imported question.
    node = yaml.compose(plan.text, Loader=yaml.SafeLoader)
    seq = next(v for k, v in node.value if k.value == "questions")
    spans = [(item.start_mark.line + 1, item.end_mark.line + 1, q)
             for item, q in zip(seq.value[len(seq.value) - len(plan.questions):], plan.questions, strict=True)]
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for d in after.diagnostics:
        if d.where.path != bank_rel or d.code == NO_OBJECTIVE.id:
            continue
        q = next((q for first, last, q in spans if first <= d.where.line <= last), None)
        if q is None:
            continue
        origin: dict[str, Any] = q["imported"]  # type: ignore[assignment]
        moved = Diagnostic(Where(str(origin["file"]), int(origin["line"]), 1),
                           d.severity if target_is_bank else "warning",
                           f"{d.message} (question {q['id']} as imported)", d.code, d.hint)
        (errors if moved.severity == "error" else warnings).append(moved)
    return errors, warnings


def apply(plan: ImportPlan) -> list[Path]:
    """Write the plan: media first, then the bank (each atomically). Returns what was written."""
    from builder.util import write_atomic

    if plan.errors or not plan.questions:
        return []
    written = []
    for dest, data in sorted(plan.media.items()):
        if not dest.exists():
            write_atomic(dest, data)
            written.append(dest)
    write_atomic(plan.target, plan.text)
    written.append(plan.target)
    return written
