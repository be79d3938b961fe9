"""Characters that look right but are not: look-alike letters, invisible and bidi controls, odd spaces.

Every source file the loader read is scanned as raw text, line by line (front matter, YAML
keys and comments included): a Cyrillic "е" (U+0435) in a word looks exactly like a Latin
"e" but does not search, sort, spell-check or read aloud correctly; a zero-width space splits
a word invisibly; a right-to-left override can make text display differently from how it
reads. Pure-ASCII lines, the vast majority, are skipped at once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from builder.checks.content.corpus import Corpus
from builder.diagnostics import Diagnostic, diag, register
from builder.model.where import Where

MIXED = register("chars.mixed-script", "A word mixing Latin letters with look-alikes from another script.")
INVISIBLE = register("chars.invisible", "An invisible character: zero-width, soft hyphen, tag or control.")
BIDI = register("chars.bidi", "A bidirectional control character, which can reorder how text is displayed.")
NBSP = register("chars.nbsp", "A non-breaking or unusual space between letters.", "warning")

# Letters of other scripts that look like Latin ones (after Unicode's confusables list).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "B", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "у": "y",
    "х": "x", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "υ": "u", "ι": "i", "κ": "k", "χ": "x", "ε": "e", "τ": "t",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}

# Scripts whose letters are used to imitate Latin ones.
SPOOF_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "MATHEMATICAL", "FULLWIDTH",
                           "LISU", "DESERET", "OLD", "TIFINAGH", "VAI"})
BIDI_CHARS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
INVISIBLE_CHARS = frozenset({
    0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
    *range(0x206A, 0x2070), 0x3164, 0xFEFF, 0xFFA0, 0xFFF9, 0xFFFA, 0xFFFB, *range(0xE0000, 0xE0080),
})
# Joiners and variation selectors build emoji; they are only suspicious next to letters.
JOINERS = frozenset({0x200C, 0x200D, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})
NBSP_CHARS = frozenset({0x00A0, 0x2007, 0x202F, 0x1680, *range(0x2000, 0x200B), 0x205F, 0x3000})

_WORD = re.compile(r"[^\W\d_]+")


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    for path in corpus.paths:
        src = corpus.source(path)
        if src is None:
            continue
        for n, line in enumerate(src.lines, start=1):
            if not line.isascii():
                yield from _check_line(path, n, line)


def _check_line(path: str, n: int, line: str) -> Iterator[Diagnostic]:
    yield from _look_alikes(path, n, line)
    prev_cp = -1
    for i, ch in enumerate(line):
        cp = ord(ch)
        if cp < 0x80 and ch != "\t" and (cp < 0x20 or cp == 0x7F):
            yield diag(INVISIBLE, Where(path, n, i + 1), f"control character {_name(ch)}",
                       "delete it; it cannot be seen but changes how the text behaves")
        elif cp < 0x80:
            pass
        elif cp in BIDI_CHARS:
            yield diag(BIDI, Where(path, n, i + 1), f"bidirectional control character {_name(ch)}",
                       "delete it; it can make text display in a different order from how it reads")
        elif cp in INVISIBLE_CHARS or (cp in JOINERS and _touches_letter(line, i)) or \
                (unicodedata.category(ch) == "Cc" and cp not in (0x85,)):
            if cp != prev_cp:  # one report per run of the same character
                yield diag(INVISIBLE, Where(path, n, i + 1), f"invisible character {_name(ch)}",
                           "delete it; it cannot be seen but breaks search, spelling and screen readers")
        elif cp in NBSP_CHARS and _between_letters(line, i):
            yield diag(NBSP, Where(path, n, i + 1), f"{_name(ch)} between letters",
                       "replace it with a normal space (or delete it if it splits a word)")
        prev_cp = cp


def _look_alikes(path: str, n: int, line: str) -> Iterator[Diagnostic]:
    """One report per line: the first word with a look-alike letter, and how many more there are."""
    found: list[tuple[int, str, str]] = []  # (column index of the odd letter, word, the letter)
    latin_line = None
    for m in _WORD.finditer(line):
        word = m.group()
        if word.isascii():
            continue
        scripts = {_script(c) for c in word}
        odd = next((i for i, c in enumerate(word) if _script(c) in SPOOF_SCRIPTS), None)
        if odd is None:
            continue
        if "LATIN" in scripts:
            found.append((m.start() + odd, word, word[odd]))
        elif all(c in CONFUSABLES for c in word):
            if latin_line is None:
                latin_line = sum(1 for w in _WORD.findall(line) if w.isascii()) >= 2
            if latin_line:  # a whole word of look-alikes inside English text
                found.append((m.start(), word, word[0]))
    if not found:
        return
    col, word, letter = found[0]
    more = f" (and {len(found) - 1} more on this line)" if len(found) > 1 else ""
    fixed = "".join(CONFUSABLES.get(c, c) for c in word)
    hint = f"retype it as '{fixed}' with plain Latin letters" if fixed.isascii() else \
        "retype the word with plain Latin letters"
    yield diag(MIXED, Where(path, n, col + 1),
               f"'{word}' contains {_name(letter)}, which looks like a Latin letter{more}", hint)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _touches_letter(line: str, i: int) -> bool:
    return any(0 <= j < len(line) and line[j].isalnum() for j in (i - 1, i + 1))


def _between_letters(line: str, i: int) -> bool:
    return 0 < i < len(line) - 1 and line[i - 1].isalpha() and line[i + 1].isalpha()
