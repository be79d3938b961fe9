"""Case files for the content checks: inputs and the exact diagnostic lines they must produce.

A case file holds many cases (the MyST-Parser fixture style):

    === S1: "committed suicide" in a lesson
    --- safe-lesson
    He committed suicide last year.
    --- expect
    modules/01-first-steps/03-case.md:8:4: error: 'committed suicide' implies ... [safe.S1]

Sections:
- `--- lesson`: the body of a new lesson `modules/01-first-steps/03-case.md`, added to
  module M1. Its front matter is four lines (title "Case"), so body line 1 is file line 5.
- `--- safe-lesson`: the same, wrapped so that page-level safe-messaging rules pass: three
  lines of content note above (body line 1 is file line 8) and a help block and a hopeful
  sentence below.
- `--- file PATH`: a whole file of the fixture course, written as given.
- `--- expect`: the content diagnostics expected, one per line, in `course check` order.
  Hint lines (`    hint: ...`) are compared only when the case lists some. Empty means the
  input must stay clean.

`\\u{XXXX}` anywhere stands for that character, so invisible and look-alike characters stay
visible in the case files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LESSON = "modules/01-first-steps/03-case.md"
FRONT = "---\ntitle: Case\nduration: 5\n---\n"
SAFE_TOP = "!!! content-note\n    This lesson talks about suicide. Help is listed below.\n\n"
SAFE_BOTTOM = (
    '\n\n!!! help "If you need help now"\n    Please reach out now.\n\nHelp works, and people recover.\n'
)


@dataclass
class Case:
    title: str
    source: str  # "file.txt:line" of the case header, for failure messages
    files: dict[str, str] = field(default_factory=dict)
    expect: list[str] = field(default_factory=list)

    @property
    def with_hints(self) -> bool:
        return any(line.startswith("    hint:") for line in self.expect)


def decode(text: str) -> str:
    return re.sub(r"\\u\{([0-9A-Fa-f]{4,6})\}", lambda m: chr(int(m.group(1), 16)), text)


def parse(path: Path) -> list[Case]:
    cases: list[Case] = []
    section: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if not cases or section is None:
            return
        case = cases[-1]
        text = decode("\n".join(buffer).strip("\n"))
        if section == "expect":
            case.expect = [line for line in text.split("\n") if line.strip()]
        elif section in ("lesson", "safe-lesson"):
            body = text if section == "lesson" else SAFE_TOP + text + SAFE_BOTTOM
            case.files[LESSON] = FRONT + body + "\n"
        elif section.startswith("file "):
            case.files[section[5:].strip()] = text + "\n"
        else:
            raise ValueError(f"{case.source}: unknown section '--- {section}'")

    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("=== "):
            flush()
            cases.append(Case(line[4:].strip(), f"{path.name}:{n}"))
            section, buffer = None, []
        elif re.match(r"^--- (lesson|safe-lesson|expect|file .+)$", line):
            flush()
            section, buffer = line[4:], []
        elif section is not None:
            buffer.append(line)
    flush()
    return cases
