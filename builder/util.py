"""Small helpers every layer shares (the standard library only, so model, checks, renderers,
the build and the CLI can all import them without importing one another):

- `write_atomic`: a file is written whole or not at all;
- `node_modules`: where the front-end packages (the course font, the iframe-worker shim) are;
- `LIBRARIES` / `library_versions`: the libraries whose versions shape the outputs;
- `code_digest`: a hash of the builder's own files, for cache keys.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import metadata
from pathlib import Path

# The checkout the builder runs from: its node_modules serve a course that has none.
CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGE = Path(__file__).resolve().parent
FONT_PACKAGE = "@fontsource/atkinson-hyperlegible"

# The libraries whose versions change what an output holds, by the output they shape.
LIBRARIES: dict[str, tuple[str, ...]] = {
    "model": ("PyYAML", "pydantic"),
    "site": ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2", "Pygments"),
    "pdf": ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2"),
    "quiz": ("lxml",),
}


def write_atomic(path: Path, data: bytes | str, *, best_effort: bool = False) -> bool:
    """Write `data` to `path` through a temporary file in the same folder, so a reader never
    sees half a file; the file gets the usual mode (0644). With `best_effort` (caches: a
    cache that cannot be written only makes the next run slower) an OSError is swallowed.
    Returns whether the file was written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return True
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if best_effort and isinstance(e, OSError):
            return False
        raise


def node_modules(root: Path) -> Path | None:
    """The front-end packages the renderers use: the project's `node_modules`, else the
    builder checkout's; whichever holds the course font. None when neither does."""
    for candidate in (root / "node_modules", CHECKOUT / "node_modules"):
        if (candidate / FONT_PACKAGE).is_dir():
            return candidate.resolve()
    return None


def library_versions(*groups: str) -> str:
    """`dist=version` of every library in the named groups of LIBRARIES (all when none are
    named), one per line-part; a library that is not installed shows as `dist=-`."""
    names: list[str] = []
    for group in groups or tuple(LIBRARIES):
        names += [n for n in LIBRARIES[group] if n not in names]
    parts = []
    for dist in names:
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    return "\0".join(parts)


def code_digest(version: str, *patterns: str) -> str:
    """A hash of `version` and the builder's files matching `patterns` (globs relative to the
    package; every file when none are given), by path and content."""
    if patterns:
        files = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    else:
        files = {p for p in PACKAGE.rglob("*") if p.is_file()}
    h = hashlib.sha256(version.encode())
    for path in sorted(p for p in files if "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
