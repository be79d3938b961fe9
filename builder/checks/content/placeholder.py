"""Placeholder text: what `course new` writes for the author to replace, still in place.

`builder.scaffold` writes its start files from the sentences below (it imports them from
here, so the scaffold and this rule cannot drift apart). A scaffolded module passes
`course check` as it is, so that an author can build and look at it at once; but its
placeholder sentences must never reach participants, so each one left in a source file is a
warning: `course check --strict` (CI, publishing) fails until it is replaced.
"""

from __future__ import annotations

import re
from typing import Iterator

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register

PLACEHOLDER = register("content.placeholder", "Placeholder text from `course new`, not yet replaced.", "warning")

# What `course new module` / `course new lesson` write, field by field.
MODULE_SUMMARY = "One or two sentences on what this module is about and why it matters."
OBJECTIVE = "Describe the main idea of this module."
KEY_POINT = "The first thing to remember."
PREPARATION = "What to read and prepare before the session."
LESSON_BODY = "Write the lesson here in short paragraphs. Use `##` and `###` headings."
REFLECTION = "A question for participants to think about."
QUESTION_STEM = "Replace this with a statement that is true or false."
QUESTION_FEEDBACK = "Explain why the statement is true or false."

SENTENCES = (MODULE_SUMMARY, OBJECTIVE, KEY_POINT, PREPARATION, LESSON_BODY, REFLECTION, QUESTION_STEM,
             QUESTION_FEEDBACK)
# Openings that mark a placeholder whatever follows (a half-edited "Replace this with ...").
OPENINGS = ("Replace this with", "One or two sentences on")


def _pattern() -> re.Pattern[str]:
    def flexible(text: str) -> str:  # any run of spaces or a line break between words (folded YAML)
        return r"\s+".join(re.escape(word) for word in text.split())

    sentences = [flexible(s) for s in SENTENCES]
    # An opening counts at the start of a line or a sentence only, up to the end of its sentence.
    openings = [rf"(?:^|(?<=[.!?] )){flexible(o)}\b[^.!?\n]*[.!?]?" for o in OPENINGS]
    return re.compile("|".join(sentences + openings), re.MULTILINE)


PATTERN = _pattern()


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    # The source files as written (front matter, every YAML field, identifiers included): the
    # scaffold's sentences are found wherever an author left them, at their exact position.
    for path in corpus.paths:
        src = corpus.source(path)
        if src is None:
            continue
        for m in PATTERN.finditer(src.text):
            text = " ".join(m.group(0).split())
            shown = text if len(text) <= 60 else text[:57] + "..."
            yield diag(PLACEHOLDER, src.where(m.start()), f"placeholder text from `course new`: \"{shown}\"",
                       "write the real text here: placeholders must not be published")
