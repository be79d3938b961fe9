"""Fuzzing: random and mutated curricula end in diagnostics or valid output, never a crash.

Every example is a whole course on disk: the minimal fixture with one kind of damage (flipped
bytes, truncation, values of the wrong type, deleted keys, deep nesting, alias bombs, huge
strings within the size limit, random Markdown and raw HTML), or a random course built from
scratch. It goes through `check_project` and, when that finds no error, through the quiz
exporters into a temporary folder. The outcome must be well-formed diagnostics or output
files that independent parsers accept (lxml, zipfile, json, csv); any exception, or no answer
within TIME_LIMIT seconds (SIGALRM), fails the example.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from builder.checks import CheckResult, check_project
from builder.diagnostics import CODES, Diagnostic
from builder.render import BuildOptions, RenderError
from tests.helpers import FIXTURES, REPO

try:
    from builder.render.quiz import export_all
except ImportError:  # pragma: no cover - the quiz exporters are another part of the project
    export_all = None  # type: ignore[assignment]

# A hang guard, not a speed target: generous enough for a loaded 2-core machine.
TIME_LIMIT = 30
SOURCE = FIXTURES / "minimal"
FILES: dict[str, bytes] = {
    p.relative_to(SOURCE).as_posix(): p.read_bytes()
    for p in sorted(SOURCE.rglob("*"))
    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(SOURCE).parts)
}
YAML_FILES = sorted(f for f in FILES if f.endswith(".yaml"))
MD_FILES = sorted(f for f in FILES if f.endswith(".md"))
# 40 examples per test keeps the file under 45 s; FUZZ_EXAMPLES=1000 for a deeper hunt.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)


class Hang(BaseException):
    """No answer within the time limit (a BaseException, so no `except Exception` hides it)."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_course(files: dict[str, bytes]) -> CheckResult:
    """Write `files` as a course, check it, export its quizzes when it is clean; judge the outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        with time_limit(TIME_LIMIT):
            result = check_project(root)
            _judge_diagnostics(result.diagnostics)
            if result.project is not None and not result.errors and export_all is not None:
                out = Path(tmp) / "out"
                try:
                    artifacts = export_all(result.project, out, BuildOptions(region="us", audience="facilitator"))
                except RenderError as e:  # a clean refusal is a valid outcome
                    assert e.diagnostics, "RenderError without diagnostics"
                    _judge_diagnostics(e.diagnostics)
                else:
                    assert artifacts or not result.project.all_questions(), "questions, but nothing exported"
                    _judge_outputs(out, [a.path for a in artifacts])
        return result


def _judge_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        assert d.code in CODES, f"unregistered code {d.code}"
        assert d.severity in ("error", "warning")
        assert d.where.line >= 1 and d.where.col >= 1, d.format()
        path = PurePosixPath(d.where.path)
        assert not path.is_absolute() and ".." not in path.parts, d.format()
        assert d.message and "Traceback" not in d.message and "<class " not in d.message, d.format()
        assert d.format().startswith(f"{d.where.path}:{d.where.line}:{d.where.col}: {d.severity}: ")


def _judge_outputs(out: Path, paths: list[str]) -> None:
    for rel in paths:
        data = (out / rel).read_bytes()
        assert data, rel
        _judge_file(rel, data)


def _judge_file(name: str, data: bytes) -> None:
    suffix = name.rsplit(".", 1)[-1]
    if suffix == "xml":
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    elif suffix in ("zip", "imscc"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None, name
            for inner in z.namelist():
                if inner.endswith((".xml", ".json", ".csv", ".txt", ".gift")):
                    _judge_file(inner, z.read(inner))
    elif suffix == "json":
        json.loads(data.decode("utf-8"))
    elif suffix == "csv":
        list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    else:
        data.decode("utf-8")


def test_the_unharmed_fixture_exports() -> None:
    # The baseline the mutations start from: clean, and through the exporters.
    assert run_course(dict(FILES)).diagnostics == []


# -- byte-level damage ------------------------------------------------------------------------

BYTE_OPS = st.lists(
    st.tuples(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat"]), st.integers(0, 10**6),
              st.binary(min_size=1, max_size=8)),
    min_size=1, max_size=6)


@FUZZ
@given(name=st.sampled_from(sorted(FILES)), ops=BYTE_OPS)
def test_damaged_bytes(name: str, ops: list[tuple[str, int, bytes]]) -> None:
    data = bytearray(FILES[name])
    for op, pos, blob in ops:
        at = pos % (len(data) + 1)
        if op == "flip" and data:
            data[at % len(data)] ^= 1 << (blob[0] % 8)
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = blob
        elif op == "delete":
            del data[at : at + blob[0] % 64 + 1]
        elif op == "repeat":
            data[at:at] = data[at : at + blob[0] % 64 + 1] * 3
    run_course({**FILES, name: bytes(data)})


# -- wrong values in YAML ---------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.dates(), st.sampled_from(["", " ", "M1", "M1.O9", "M9.Q01", "single", "us", "xx",
                                                       "01-first-steps", "../../../etc/passwd", "<script>"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def _paths(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield loc
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, loc + (i,))


def _front_matter(name: str) -> tuple[Any, str]:
    text = FILES[name].decode("utf-8")
    if name.endswith(".md"):
        _, front, body = text.split("---\n", 2)
        return yaml.safe_load(front), body
    return yaml.safe_load(text), ""


def _write(name: str, data: Any, body: str) -> bytes:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return (f"---\n{text}---\n{body}" if name.endswith(".md") else text).encode("utf-8")


@FUZZ
@given(name=st.sampled_from(YAML_FILES + MD_FILES), pick=st.integers(0, 10**6),
       op=st.sampled_from(["replace", "delete", "unknown-key", "duplicate", "nest"]), value=VALUES,
       depth=st.integers(1, 60))
def test_wrong_values_and_missing_keys(name: str, pick: int, op: str, value: Any, depth: int) -> None:
    data, body = _front_matter(name)
    paths = list(_paths(data))
    loc = paths[pick % len(paths)]
    if not loc:
        data = value
    else:
        parent = data
        for part in loc[:-1]:
            parent = parent[part]
        key = loc[-1]
        if op == "replace":
            parent[key] = value
        elif op == "delete":
            del parent[key]
        elif op == "unknown-key" and isinstance(parent[key], dict):
            parent[key]["colour"] = value
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif op == "nest":
            for _ in range(depth):
                value = [value] if depth % 2 else {"a": value}
            parent[key] = value
    run_course({**FILES, name: _write(name, data, body)})


# -- hostile YAML: nesting, aliases, size -----------------------------------------------------

@st.composite
def hostile_yaml(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["flow", "compact", "indented", "bomb", "huge", "many-keys", "unicode"]))
    n = draw(st.integers(1, 5_000)) if kind != "flow" else draw(st.sampled_from([41, 500, 30_000, 100_000]))
    if kind == "flow":
        return "x: " + "[" * n + "]" * n + "\n"
    if kind == "compact":
        return "x:\n" + "  " + "- " * min(n * 10, 100_000) + "y\n"
    if kind == "indented":
        return "".join(" " * i + f"k{i}:\n" for i in range(min(n, 600))) + " " * 600 + "v\n"
    if kind == "bomb":
        levels, width = draw(st.integers(2, 12)), draw(st.integers(2, 10))
        lines = ['a0: &a0 "lol"']
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
        return "\n".join(lines) + "\n"
    if kind == "huge":
        size = draw(st.integers(1, 1_900_000))
        return "title: " + draw(st.sampled_from(["a", "é", "<b>", "\\u202e"])) * size + "\n"
    if kind == "many-keys":
        return "".join(f"key{i}: {i}\n" for i in range(n * 2))
    return "title: " + draw(st.text(min_size=1, max_size=200)).replace("\x00", "") + "\n"


@FUZZ
@given(name=st.sampled_from(YAML_FILES), text=hostile_yaml(), where=st.sampled_from(["whole", "append"]))
def test_hostile_yaml(name: str, text: str, where: str) -> None:
    data = text.encode("utf-8") if where == "whole" else FILES[name] + b"\nextra:\n" + b"".join(
        b"  " + line.encode("utf-8") + b"\n" for line in text.splitlines())
    run_course({**FILES, name: data})


# -- random Markdown ---------------------------------------------------------------------------

MD_PIECES = [
    "## Heading\n", "# Title\n", "###### deep\n", "!!! help\n    Call someone.\n", "!!! Facilitator\n    z\n",
    "!!! facilitator \"x\"\n    y\n", "??? tip\n", "!!! nope\n", "```\ncode <script>\n```\n",
    "```\nunclosed\n", "~~~\n", "`code`", "``", "<script>alert(1)</script>", "<kbd>k</kbd>",
    "<abbr title=\"x\">y</abbr>", "<!-- c -->", "<!--", "--!>", "<img src=x onerror=y>", "[a](javascript:x)",
    "[b](../../../etc/passwd)",
    "![c](https://example.org/x.png)", "![d](missing.png)", "[e](02-noticing.md#x)", "<https://example.org>",
    "[ref]: data:x\n", "{: onclick=x }", "--8<-- \"x.md\"\n", ";--8<--\n",
    "| a | b |\n| --- | --- |\n| 1 |\n",
    "- item\n", "1. one\n", "> quote\n", "***\n", "---\n", "\n", "\n\n", "    indented\n", "\t", "\r\n",
    "\x0b", "\u202e", "\u200b", "\u00e9", "\U0001f600", "\u4e2d\u6587", "\u0421\u0442a\u043b\u0438\u043d",
    "suicide", "committed suicide", "988", "www.example.com", "<!-- course: allow S13 reason=\"x\" -->\n",
    "<!-- course: allow nope -->\n", "*[ABBR]: Abbreviation\n", "[^1]", "[^1]: note\n", "$x$", "\\", "\\<",
    "&amp;", "&#0;", "&#xD800;", "<", ">", "{", "}", "[", "]", "(", ")",
]
MARKDOWN = st.lists(st.sampled_from(MD_PIECES) | st.text(max_size=12), max_size=30).map("".join)


@FUZZ
@given(name=st.sampled_from(MD_FILES), body=MARKDOWN,
       front=st.sampled_from(["keep", "none", "empty", "broken", "unterminated"]))
def test_random_markdown(name: str, body: str, front: str) -> None:
    head = FILES[name].decode("utf-8").split("---\n", 2)[1]
    text = {"keep": f"---\n{head}---\n", "none": "", "empty": "---\n---\n", "broken": "---\ntitle: [\n---\n",
            "unterminated": f"---\n{head}"}[front] + body
    run_course({**FILES, name: text.encode("utf-8", "surrogatepass")})


# -- random courses from scratch --------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@st.composite
def random_course(draw: st.DrawFn) -> dict[str, bytes]:
    """A course with 1-3 modules whose structure is mostly right and whose text is anything."""
    files: dict[str, bytes] = {k: v for k, v in FILES.items() if k.startswith("curriculum/")}
    n_modules = draw(st.integers(1, 3))
    folders = [f"{i + 1:02d}-m{i + 1}" for i in range(n_modules)]
    course = yaml.safe_load(FILES["curriculum/course.yaml"])
    course["modules"] = folders
    course["title"] = draw(TEXT)
    files["curriculum/course.yaml"] = _dump(course)
    for i, folder in enumerate(folders):
        mid = f"M{i + 1}"
        objectives = [{"id": f"{mid}.O{j + 1}", "text": draw(TEXT)} for j in range(draw(st.integers(1, 3)))]
        lessons = [f"{j + 1:02d}-l{j + 1}.md" for j in range(draw(st.integers(1, 2)))]
        files[f"modules/{folder}/module.yaml"] = _dump({
            "id": mid, "title": draw(TEXT), "summary": draw(TEXT), "duration": draw(st.integers(1, 600)),
            "objectives": objectives, "lessons": lessons})
        for lesson in lessons:
            meta = {"title": draw(TEXT), "duration": draw(st.integers(1, 30)),
                    "objectives": [draw(st.sampled_from(objectives))["id"]]}
            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + draw(MARKDOWN)
            files[f"modules/{folder}/{lesson}"] = text.encode("utf-8", "surrogatepass")
        questions = [draw(question(f"{mid}.Q{k + 1:02d}", [o["id"] for o in objectives]))
                     for k in range(draw(st.integers(0, 5)))]
        files[f"quizzes/{folder}.yaml"] = _dump({"module": mid, "questions": questions})
    return files


@st.composite
def question(draw: st.DrawFn, qid: str, objectives: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short_answer", "matching", "ordering",
                                 "reflection"]))
    q: dict[str, Any] = {"id": qid, "type": kind, "objectives": [draw(st.sampled_from(objectives))],
                         "stem": draw(TEXT)}
    texts = draw(st.lists(TEXT, min_size=2, max_size=5, unique_by=lambda t: t.strip().casefold()))
    if kind in ("single", "multiple"):
        right = draw(st.integers(0, len(texts) - 1))
        q["options"] = [{"text": t, "correct": j == right, "feedback": draw(st.none() | TEXT)}
                        for j, t in enumerate(texts)]
    elif kind == "true_false":
        q["answer"] = draw(st.booleans())
    elif kind == "short_answer":
        q["accepted"] = texts
    elif kind == "matching":
        rights = draw(st.lists(TEXT, min_size=len(texts), max_size=len(texts),
                               unique_by=lambda t: t.strip().casefold()))
        q["pairs"] = [{"left": a, "right": b} for a, b in zip(texts, rights, strict=False)]
    elif kind == "ordering":
        q["items"] = texts
    if draw(st.booleans()):
        q["feedback"] = {"general": draw(TEXT)}
    return q


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8", "surrogatepass")


@FUZZ
@given(files=random_course())
def test_random_courses(files: dict[str, bytes]) -> None:
    run_course(files)


# -- regressions found by fuzzing -------------------------------------------------------------

def test_regression_deep_flow_nesting_is_a_diagnostic_not_a_segfault(tmp_path: Path) -> None:
    # 100,000 nested `[` (200 KB, well under the size limit) overflowed libyaml's recursive
    # composer: the process died with SIGSEGV and no diagnostic. A subprocess keeps a
    # regression from taking the test run down with it.
    course = tmp_path / "course"
    for rel, data in FILES.items():
        (course / rel).parent.mkdir(parents=True, exist_ok=True)
        (course / rel).write_bytes(data)
    (course / "curriculum/glossary.yaml").write_text("terms: " + "[" * 100_000 + "]" * 100_000 + "\n")
    (course / "quizzes/forms.yaml").write_text("forms:\n  - " + "- " * 100_000 + "x\n")
    run = subprocess.run([sys.executable, "-m", "builder.cli", "check", "--root", str(course)], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, (run.returncode, run.stderr[-500:])
    assert "Traceback" not in run.stdout + run.stderr
    # Our behaviour, not a library's wording: one error at each file, on the line the nesting
    # is on, from the YAML layer. Which layer sees it first (our depth guard: yaml.limit, or a
    # YAML library's own nesting limit: yaml.syntax) is the libraries' business.
    errors = [m.groups() for m in re.finditer(r"^([^:\n]+):(\d+):\d+: error: .*\[([\w.-]+)\]$", run.stdout, re.M)]
    assert sorted((path, line) for path, line, _ in errors) == [("curriculum/glossary.yaml", "1"),
                                                                ("quizzes/forms.yaml", "2")], run.stdout
    assert {code for _, _, code in errors} <= {"yaml.limit", "yaml.syntax"}, run.stdout


def test_regression_escaped_control_character_is_a_diagnostic(tmp_path: Path) -> None:
    # A module title written as "\x1F" passed `course check` and crashed the quiz exporters
    # (lxml: "All strings must be XML compatible"). The loader now refuses such escapes.
    module_path, bank_path = "modules/02-second-steps/module.yaml", "quizzes/01-first-steps.yaml"
    module = FILES[module_path].replace(b"title: Second steps", b'title: "Second\\x1F"')
    bank = FILES[bank_path].replace(b"title: At lunch", b'title: "At \\uFFFF lunch"')
    result = run_course({**FILES, module_path: module, bank_path: bank})
    assert [d.format() for d in result.diagnostics] == [
        "modules/02-second-steps/module.yaml:3:8: error: text holds the character U+001F, which no output "
        "can hold [yaml.character]\n    hint: remove the escape sequence that writes it",
        "quizzes/01-first-steps.yaml:5:12: error: text holds the character U+FFFF, which no output can hold "
        "[yaml.character]\n    hint: remove the escape sequence that writes it",
    ]


def test_regression_text_too_long_is_not_called_a_type_error() -> None:
    # A 900,000-character glossary definition was reported as "expected text, got 'ééé...'":
    # pydantic's string_too_long/string_too_short fell through to the type-error wording.
    glossary = FILES["curriculum/glossary.yaml"].replace(
        b"definition: Negative beliefs about a group of people that lead to unfair treatment.",
        b"definition: " + "\u00e9".encode() * 401).replace(b"term: Stigma", b"term: ''")
    result = run_course({**FILES, "curriculum/glossary.yaml": glossary})
    assert [d.format() for d in result.diagnostics] == [
        "curriculum/glossary.yaml:6:11: error: terms[2].term: text should have at least 1 character "
        "[schema.value]",
        "curriculum/glossary.yaml:7:17: error: terms[2].definition: text should have at most 400 characters "
        "(it has 401) [schema.value]",
    ]
