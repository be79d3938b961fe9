"""Aiken reader: single-answer multiple choice, as Moodle's `qformat_aiken` reads it.

    Question text (one or more lines)
    A. First option            (or "A)" ; Moodle also accepts no space after the letter)
    B. Second option
    ANSWER: B

Everything Aiken has is representable (single choice; "A. True / B. False" stays a
two-option single-choice question, as written). A question Moodle would reject (fewer than
two options, no ANSWER line, an ANSWER naming no option) is an error at its line.
"""

from __future__ import annotations

import re

from builder.diagnostics import diag
from builder.importers.common import SYNTAX, Draft, ReadResult, one_line, plain_to_markdown
from builder.model.where import Where

NAME = "aiken"
_OPTION = re.compile(r"^([A-Z])[.)]\s*(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$")


def read(data: str, name: str) -> ReadResult:
    out = ReadResult()
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    for n, raw in enumerate(data.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer:
            where = Where(name, start or n, 1)
            letter = answer.group(1).strip()
            if not stem:
                out.diagnostics.append(diag(SYNTAX, Where(name, n, 1), "ANSWER line without a question before it",
                                            "write the question text, then its options A. B. …, then ANSWER:"))
            elif len(options) < 2:
                out.diagnostics.append(diag(SYNTAX, where, "question has fewer than two options",
                                            "give at least two options, A. and B."))
            elif letter not in [k for k, _ in options]:
                out.diagnostics.append(diag(SYNTAX, Where(name, n, 9), f"ANSWER '{letter}' names no option",
                                            f"use one of: {', '.join(k for k, _ in options)}"))
            else:
                out.drafts.append(Draft(
                    data={"type": "single", "stem": plain_to_markdown("\n".join(stem)),
                          "options": [{"text": one_line(plain_to_markdown(t)), **({"correct": True} if k == letter
                                                                                   else {})}
                                      for k, t in options],
                          "feedback": {}},
                    where=where, fmt=NAME, name=one_line(" ".join(stem))[:60]))
            stem, options, start = [], [], 0
            continue
        if option and stem:
            options.append((option.group(1), option.group(2)))
            continue
        if options:
            out.diagnostics.append(diag(SYNTAX, Where(name, start, 1), "question has no ANSWER line",
                                        "end each question with a line like ANSWER: B"))
            stem, options = [], []
        if not stem:
            start = n
        stem.append(line)
    if stem or options:
        out.diagnostics.append(diag(SYNTAX, Where(name, start or 1, 1), "question has no ANSWER line",
                                    "end each question with a line like ANSWER: B"))
    return out
