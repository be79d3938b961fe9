"""`course diff`: a content-aware change report between two revisions (or folders) of a course.

    old = load_side(root, "v1"); new = load_side(root, "HEAD")
    report = diff(old, new)
    markdown(report) / html_page(report) / as_json(report) / render_pdf(report, root, target)

`snapshot` turns a loaded project into comparable data, `compare` finds what changed and the
version bump it calls for, `render` writes the report, `pdf` prints it, `revisions` reads a
side from a folder or a git revision, `changelog` reads a version's section of CHANGELOG.md.
Nothing here prints: the command line (builder/cli/diff.py) does.
"""

from __future__ import annotations

from builder.diff.compare import Change, Detail, Report, Side, compare
from builder.diff.revisions import DiffError, Loaded, load_side

__all__ = ["Change", "Detail", "DiffError", "Loaded", "Report", "Side", "compare", "diff", "load_side"]


def diff(old: Loaded, new: Loaded) -> Report:
    """Compare two loaded sides."""
    def side(x: Loaded) -> Side:
        c = x.snap["course"]
        return Side(x.label, x.revision, c["version"], c["title"], c["language"])

    return compare(old.snap, new.snap, side(old), side(new))
