"""A WeasyPrint URL fetcher that never leaves the project.

PDFs are built from the project's own files: lesson images under the project root and the
course font under node_modules/@fontsource. Everything else (http, https, ftp, data URLs to
nowhere, `file:` paths outside those folders, `..` escapes, symlinks pointing out) is
refused and recorded, so the renderer can report it instead of printing a silent gap.

Imports WeasyPrint: only the PDF worker imports this module.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SafeFetcher(URLFetcher):
    """Serves `file:` URLs under `roots` only; refuses and records everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def allows(self, url: str) -> Path | None:
        """The local file `url` names, if it is inside an allowed folder."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
            return path
        return None

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.allows(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: print uses only files inside the project")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
