"""Where a project's caches live: in the user's cache folder, never inside the project.

Caches hold parsed YAML (a pickle: loading it runs code) and rendered PDFs (copied into the
published site). A file inside the repository could arrive in a pull request, so nothing is
ever read back from the project tree. The folder is COURSE_CACHE_DIR, else
$XDG_CACHE_HOME/course-builder, else ~/.cache/course-builder, with one subfolder per project
path.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_root(project_root: Path) -> Path:
    base = os.environ.get("COURSE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "course-builder")
    digest = hashlib.sha256(str(project_root.resolve()).encode()).hexdigest()[:20]
    return Path(base) / digest


def file_ids(folder: Path) -> dict[str, list[int]]:
    """Every file under `folder`: relative path -> [inode, size, modification time].

    Records of what a build wrote pin files this way: a file replaced or edited since (a
    committed `site/`, a hand edit) no longer matches and is never taken for the build's own.
    """
    ids = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            ids[os.path.relpath(path, folder).replace(os.sep, "/")] = [st.st_ino, st.st_size, st.st_mtime_ns]
    return ids
