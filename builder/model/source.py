"""Reading source files safely, and YAML with the position of every value.

Curriculum files arrive in pull requests, so they are untrusted: files are size-limited,
must be UTF-8 text inside the project, and YAML is composed with the safe loader (the
C one when available), then turned into plain data by our own walk, which refuses unknown
tags, duplicate keys, too-deep nesting and alias bombs before they can expand.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import Diagnostic, diag, register
from builder.model.where import Where

try:  # libyaml is about 10x faster; fall back quietly when it is not compiled in
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 40

FILE_MISSING = register("file.missing", "A file the curriculum names does not exist.")
FILE_OUTSIDE = register("file.outside", "A path leaves the project (../, absolute, symlink).")
FILE_TOO_LARGE = register("file.too-large", "A source file is larger than the size limit.")
FILE_BINARY = register("file.binary", "A source file is binary, not text.")
FILE_ENCODING = register("file.encoding", "A source file is not valid UTF-8.")
FILE_EMPTY = register("file.empty", "A source file is empty.")
YAML_SYNTAX = register("yaml.syntax", "YAML that does not parse.")
YAML_DUPLICATE = register("yaml.duplicate-key", "The same key twice in one mapping.")
YAML_TAG = register("yaml.tag", "A YAML tag other than the plain data types.")
YAML_LIMIT = register("yaml.limit", "YAML nested too deeply or expanding to too many values.")
YAML_CHARACTER = register("yaml.character", "An escape writing a control character or surrogate into text.")

# Characters XML, JSON-in-UTF-8 and PDFs cannot carry: C0 controls but tab, LF and CR; lone
# surrogates; the non-characters U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_STANDARD_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class SourceError(Exception):
    """Raised inside this module only; carries the diagnostic to report."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Positions:
    """Positions of values (and of mapping keys) by their path from the document root."""

    path: str
    values: dict[tuple[Any, ...], Where] = field(default_factory=dict)
    keys: dict[tuple[Any, ...], Where] = field(default_factory=dict)

    def value(self, loc: tuple[Any, ...]) -> Where:
        """Position of the value at `loc`, or of its nearest ancestor that has one."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, Where(self.path, 1, 1))

    def key(self, loc: tuple[Any, ...]) -> Where:
        return self.keys.get(loc) or self.value(loc)

    def shifted(self, lines: int) -> Positions:
        def move(d: dict[tuple[Any, ...], Where]) -> dict[tuple[Any, ...], Where]:
            return {k: w.shifted(lines) for k, w in d.items()}

        return Positions(self.path, move(self.values), move(self.keys))


def resolve_inside(
    root: Path, base: Path, name: str, where: Where, what: str = "file"
) -> tuple[Path | None, Diagnostic | None]:
    """Resolve `name` relative to `base` and make sure it stays inside `root`.

    Absolute paths, `..` escapes and symlinks that lead out of the project are refused.
    """
    if not name or os.path.isabs(name) or name.startswith("~") or "\\" in name:
        return None, diag(FILE_OUTSIDE, where, f"path {name!r} must be relative to its folder",
                          "write the file name relative to the folder it is listed in")
    candidate = base / name
    real_root = root.resolve()
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):  # symlink loops
        return None, diag(FILE_OUTSIDE, where, f"path {name!r} cannot be resolved")
    if not real.is_relative_to(real_root):
        return None, diag(FILE_OUTSIDE, where, f"path {name!r} leads outside the project",
                          "keep every file of the course inside the repository")
    if not candidate.exists():
        return candidate, diag(FILE_MISSING, where, f"{what} {name!r} does not exist",
                               _missing_hint(root, base, name))
    return candidate, None


def _missing_hint(root: Path, base: Path, name: str) -> str:
    """'did you mean …' when a file of a similar name is there; else the project path to create."""
    target = Path(os.path.normpath(base / name))
    folder = target.parent
    if folder.is_dir():
        # Compare names without their common extension, so that '.png' alone never makes a match.
        stems = {p.stem: p.name for p in folder.iterdir()
                 if p.suffix == target.suffix and not p.name.startswith(".")}
        close = difflib.get_close_matches(target.stem, sorted(stems), n=1, cutoff=0.75)
        if close:
            found = stems[close[0]]
            written = posixpath.join(posixpath.dirname(name.replace(os.sep, "/")), found)
            return f"did you mean '{written}'? ({rel(root, folder / found)} exists)"
    return f"create {rel(root, target)} or fix the name"


def rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(root: Path, path: Path) -> tuple[str | None, bytes, Diagnostic | None]:
    """Read a source file as UTF-8 text, refusing what a curriculum file must never be."""
    name = rel(root, path)
    here = Where(name, 1, 1)
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        return None, b"", diag(FILE_OUTSIDE, here, "file is a link that leads outside the project",
                               "replace the symlink with the file itself")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, b"", diag(FILE_TOO_LARGE, here,
                                   f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                                   "split it into smaller files")
        data = path.read_bytes()
    except FileNotFoundError:
        return None, b"", diag(FILE_MISSING, here, "file does not exist")
    except OSError as e:
        return None, b"", diag(FILE_MISSING, here, f"file cannot be read ({e.strerror})")
    if not data.strip():
        return None, data, diag(FILE_EMPTY, here, "file is empty", "add content or remove the file")
    if b"\x00" in data:
        return None, data, diag(FILE_BINARY, here, "file is binary, not text",
                                "curriculum files are UTF-8 text (YAML or Markdown)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, data, diag(FILE_ENCODING, Where(name, line, col),
                                f"byte 0x{data[e.start]:02x} is not valid UTF-8",
                                "save the file as UTF-8 (most editors: 'Save with encoding')")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), data, None


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, Positions, list[Diagnostic]]:
    """Parse one YAML document into plain data plus the positions of every value."""
    positions = Positions(path)
    try:
        too_deep = _too_deep(text, path, line_offset)
        if too_deep is not None:
            return None, positions, [too_deep]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        return None, positions, [_syntax_error(e, text, path, line_offset)]
    except yaml.YAMLError as e:
        return None, positions, [diag(YAML_SYNTAX, Where(path, 1 + line_offset, 1), f"YAML: {e}")]
    if node is None:
        return None, positions, []
    walker = _Walker(path, positions, line_offset)
    if "*" in text and _expanded_size(node, 0, {}) > MAX_NODES:
        # An alias bomb: refuse it now rather than after walking 200,000 values (seconds).
        return None, positions, [diag(YAML_LIMIT, walker.where(node),
                                      f"document expands to more than {MAX_NODES:,} values",
                                      "remove repeated anchors/aliases (an 'alias bomb') or split the file")]
    try:
        data = walker.walk(node, (), 0)
    except SourceError as e:
        return None, positions, [e.diagnostic]
    return data, positions, walker.diagnostics


def _syntax_error(e: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> Diagnostic:
    """A YAML syntax error at the place an author has to fix, with a hint for the usual causes."""
    problem = (e.problem or "invalid YAML").strip()
    context = (e.context or "").strip()
    mark = e.problem_mark or e.context_mark
    hint = "check indentation, and quote text that contains ': ' or starts with a symbol"
    if context.startswith("while scanning a quoted scalar") and e.context_mark is not None:
        # The scanner only notices an unclosed quote where the text ends (often the closing
        # `---` of front matter): point at the quote that was opened instead.
        mark = e.context_mark
        problem = "a quoted value is never closed"
        context = ""
        hint = "add the closing quote on this value, or remove the opening one"
    elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        problem = "a tab character where YAML expects spaces"
        hint = "replace the tab with spaces: YAML indents with spaces only"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    where = Where(path, line + line_offset, col)
    detail = f" ({context})" if context else ""
    return diag(YAML_SYNTAX, where, f"YAML syntax: {problem}{detail}", hint)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column:column + 1] if line < len(lines) else ""


# libyaml's composer recurses once per nesting level and overflows the C stack (a segfault, not
# an exception) somewhere past 20,000 levels: 60 KB of `[` or `- - -` is enough. Indented nesting
# cannot get that deep within MAX_FILE_BYTES, but flow and compact nesting can, so when a text has
# many of their markers, measure the depth on the event stream (the parser does not recurse).
_NESTING_MARKERS = ("[", "{", "- ", "-\t", "? ", "?\t")
_DEPTH_SCAN_FROM = 2_000


def _too_deep(text: str, path: str, line_offset: int) -> Diagnostic | None:
    if sum(text.count(m) for m in _NESTING_MARKERS) <= _DEPTH_SCAN_FROM:
        return None
    try:
        return _depth_scan(text, path, line_offset, _Loader)
    except yaml.MarkedYAMLError as error:
        # libyaml (PyYAML 6.0.4 on) has a nesting limit of its own, and reading ahead through
        # `[[[...` its scanner meets it before the parser hands us level MAX_DEPTH + 1. The
        # pure-Python parser has no such limit: it tells too deep (ours to report) from a real
        # syntax error (libyaml's report stands), whatever either library calls its errors.
        if _Loader is yaml.SafeLoader:
            raise
        try:
            found = _depth_scan(text, path, line_offset, yaml.SafeLoader)
        except yaml.YAMLError:
            found = None
        if found is None:
            raise error from None
        return found


def _depth_scan(text: str, path: str, line_offset: int, loader: Any) -> Diagnostic | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the same node _Walker would stop at
                mark = event.start_mark
                return diag(YAML_LIMIT, Where(path, mark.line + 1 + line_offset, mark.column + 1),
                            f"values are nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _expanded_size(node: yaml.Node, depth: int, sizes: dict[int, int]) -> int:
    """How many values `node` becomes once aliases are expanded (shared nodes counted once each)."""
    if depth > MAX_DEPTH + 1:
        return 1  # _Walker refuses this depth anyway
    if id(node) not in sizes:
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else (
            node.value if isinstance(node, yaml.SequenceNode) else [])
        sizes[id(node)] = 1 + sum(_expanded_size(child, depth + 1, sizes) for child in children)
    return sizes[id(node)]


class _Walker:
    def __init__(self, path: str, positions: Positions, line_offset: int) -> None:
        self.path = path
        self.positions = positions
        self.offset = line_offset
        self.count = 0
        self.diagnostics: list[Diagnostic] = []

    def where(self, node: yaml.Node) -> Where:
        return Where(self.path, node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def walk(self, node: yaml.Node, loc: tuple[Any, ...], depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SourceError(diag(YAML_LIMIT, self.where(node),
                                   f"document expands to more than {MAX_NODES:,} values",
                                   "remove repeated anchors/aliases (an 'alias bomb') or split the file"))
        if depth > MAX_DEPTH:
            raise SourceError(diag(YAML_LIMIT, self.where(node),
                                   f"values are nested more than {MAX_DEPTH} levels deep"))
        if node.tag not in _STANDARD_TAGS:
            raise SourceError(diag(YAML_TAG, self.where(node), f"unsupported YAML tag {node.tag!r}",
                                   "use plain strings, numbers, lists and mappings"))
        self.positions.values.setdefault(loc, self.where(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.walk(key_node, loc + ("<key>",), depth + 1)
                if isinstance(key, (list, dict)):
                    raise SourceError(diag(YAML_SYNTAX, self.where(key_node), "a mapping key must be plain text"))
                if key in out:
                    self.diagnostics.append(diag(YAML_DUPLICATE, self.where(key_node),
                                                 f"key {key!r} appears twice in this mapping",
                                                 "remove or rename one of them; the later one would win"))
                self.positions.keys[loc + (key,)] = self.where(key_node)
                out[key] = self.walk(value_node, loc + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        constructor = _SCALARS.yaml_constructors[node.tag]
        value = constructor(_SCALARS, node)
        if isinstance(value, str) and (bad := _UNWRITABLE.search(value)):
            # Only an escape ("\x01", "\ud800") gets these past the YAML reader; no output can hold them.
            message = f"text holds the character U+{ord(bad.group()):04X}, which no output can hold"
            self.diagnostics.append(diag(YAML_CHARACTER, self.where(node), message,
                                         "remove the escape sequence that writes it"))
        return value


_SCALARS = yaml.constructor.SafeConstructor()


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from a Markdown file.

    Returns (front matter or None, body, line number in the file where the body starts).
    """
    if not text.startswith("---\n"):
        return None, text, 1
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.rstrip().endswith("\n---"):
            end = len(text.rstrip()) - 4
            front = text[4 : end + 1]
            return front, "", front.count("\n") + 3
        return None, text, 1
    front = text[4 : end + 1]
    body = text[end + 5 :]
    return front, body, front.count("\n") + 3


class ParseCache:
    """Parsed YAML (data, positions, diagnostics) keyed by a hash of the file's text.

    Parsing dominates `course check` on large courses; the cache is one pickle file under
    `.cache/` that is read once and rewritten atomically only when something changed. Entries
    of files not seen in a run are dropped, so it never grows beyond the course. A damaged
    or foreign cache file is ignored, never trusted for more than a miss.
    """

    # The parser's own code is part of the key: a change to how parse_yaml reports (a message,
    # a position, a hint) must never be hidden behind results cached by the previous code.
    VERSION = b"parse-cache-3:" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16].encode()

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.changed = False
        if path is not None and path.exists():
            try:
                import pickle

                with path.open("rb") as f:
                    if f.read(len(self.VERSION)) == self.VERSION:
                        self.old = pickle.load(f)
            except Exception:  # noqa: BLE001 - any damage means a cold cache
                self.old = {}

    @staticmethod
    def key(text: str, path: str, line_offset: int) -> str:
        return hashlib.sha256(f"{path}\0{line_offset}\0{text}".encode()).hexdigest()

    def parse(self, text: str, path: str, line_offset: int = 0) -> tuple[Any, Positions, list[Diagnostic]]:
        key = self.key(text, path, line_offset)
        hit = self.old.get(key)
        if hit is None:
            hit = parse_yaml(text, path, line_offset)
            self.changed = True
        self.new[key] = hit
        return hit

    def save(self) -> None:
        if self.path is None or not (self.changed or self.old.keys() != self.new.keys()):
            return
        import pickle
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".parse-")
            with os.fdopen(fd, "wb") as f:
                f.write(self.VERSION)
                pickle.dump(self.new, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout simply runs without a cache
