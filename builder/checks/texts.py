"""Authored text, as the hostile-input checks read it: every Markdown body and YAML text value.

`project_texts` yields each run of text once (from the one walk over the course's text,
`builder.model.texts.authored_texts`), with where it came from and the folder its relative
links start from. The Markdown reading (code blanked, links and images found as written, a
URL's scheme read as a browser reads it) lives in `builder.model.texts` too, so renderers can
use it without importing the checks; it is re-exported here for the checks.
Used by `builder.checks.html` and `builder.checks.paths`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from builder.model.project import Project
from builder.model.texts import (  # noqa: F401 - re-exported for the checks
    Link,
    authored_texts,
    blank,
    fenced_lines,
    line_starts,
    local_target,
    markdown_links,
    mask_code,
    short,
    url_scheme,
)
from builder.model.where import Where


@dataclass(frozen=True)
class Text:
    """One run of authored Markdown: a lesson or page body, or a text value in a YAML file.

    `base` is the folder (relative to the project root) that relative links start from.
    Body positions are exact; a YAML value reports the position where the value starts.
    """

    path: str
    text: str
    start: Where
    base: str
    kind: Literal["body", "value", "url"] = "value"  # "url": a YAML field that holds a URL

    def where(self, offset: int) -> Where:
        """Position of `offset` in the text (for a YAML value: where the value starts)."""
        if self.kind != "body":
            return self.start
        starts = line_starts(self.text)
        i = max(bisect_right(starts, offset) - 1, 0)
        return Where(self.path, self.start.line + i, offset - starts[i] + 1)


# Characters without which a text holds no tag, link, attribute list or include.
_MARKUP = re.compile(r"[<\[{]|8<")


def project_texts(project: Project) -> Iterator[Text]:
    """Every Markdown body, every YAML text value that could hold markup, and every URL field,
    in a stable order."""
    for t in authored_texts(project):
        if t.kind == "value" and not _MARKUP.search(t.text):
            continue  # plain prose, the common case: no tag, link, attribute list or include
        yield Text(t.path, t.text, t.where, t.base, t.kind)
