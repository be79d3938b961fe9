"""The block syntax helpers shared by every renderer."""

from __future__ import annotations

import pytest

from builder.model.blocks import facilitator_title, find_blocks, strip_blocks, with_default_titles

BODY = """## Title

!!! content-note
    This page covers suicide.

!!! tip "Own title"
    Kept.

```
!!! note
    inside a code fence: not a block
```

!!! facilitator
    Secret.
Done.
"""


def test_blocks_are_found_with_their_spans() -> None:
    blocks = find_blocks(BODY)
    assert [(b.kind, b.title, b.start, b.end) for b in blocks] == [
        ("content-note", None, 2, 4), ("tip", "Own title", 5, 7), ("facilitator", None, 13, 15)]


def test_default_titles_keep_line_numbers() -> None:
    titled = with_default_titles(BODY)
    assert titled.split("\n")[2] == '!!! content-note "Content note"'
    assert titled.split("\n")[5] == '!!! tip "Own title"'
    assert titled.split("\n")[9] == "!!! note"  # in a code fence: untouched
    assert titled.split("\n")[13] == '!!! facilitator "Facilitator notes"'
    assert titled.count("\n") == BODY.count("\n")


def test_strip_blocks_drops_facilitator_notes_only() -> None:
    out = strip_blocks(BODY)
    assert "Secret." not in out and "Kept." in out and "Done." in out


@pytest.mark.parametrize(("title", "shown"), [
    (None, "Facilitator notes"),
    ("Teaching this lesson", "Facilitator notes: teaching this lesson"),
    ("Running this lesson", "Facilitator notes: running this lesson"),
    ("UK schools", "Facilitator notes: UK schools"),
    ("PowerPoint slides", "Facilitator notes: PowerPoint slides"),
    ("Notes for the facilitator", "Notes for the facilitator"),
])
def test_facilitator_blocks_say_who_they_are_for(title: str | None, shown: str) -> None:
    assert facilitator_title(title) == shown
    opening = "!!! facilitator" + (f' "{title}"' if title else "")
    assert with_default_titles(f"{opening}\n    Text.\n").split("\n")[0] == f'!!! facilitator "{shown}"'
