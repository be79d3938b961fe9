"""Exact positions inside YAML string values.

The model keeps where each value starts; a finding inside a value (a word on the third line
of a folded quiz stem, after an escape in a quoted one) needs the column of that word. The
loader's values are matched back against the source text here.
"""

from __future__ import annotations

_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}


def _scalar_chars(source: str, start: int, limit: int) -> tuple[str, list[int]]:
    """The characters a YAML scalar starting at `start` spells, each with its source offset.

    Quoted scalars are decoded (escapes such as \\u00e9 and \\", doubled single quotes), so
    positions after an escape stay exact; other scalars are taken as written.
    """
    quote = source[start : start + 1]
    if quote not in ("'", '"'):
        end = min(len(source), start + limit)
        return source[start:end], list(range(start, end))
    chars: list[str] = []
    offsets: list[int] = []
    i, n = start + 1, len(source)
    while i < n and len(chars) < limit:
        ch = source[i]
        if quote == "'" and ch == "'":
            if source.startswith("''", i):
                chars.append("'")
                offsets.append(i)
                i += 2
                continue
            break
        if quote == '"' and ch == '"':
            break
        if quote == '"' and ch == "\\" and i + 1 < n:
            code = source[i + 1]
            if code in _HEX_WIDTH:
                width = _HEX_WIDTH[code]
                try:
                    chars.append(chr(int(source[i + 2 : i + 2 + width], 16)))
                except ValueError:
                    chars.append(code)
                offsets.append(i)
                i += 2 + width
                continue
            if code == "\n":  # an escaped line break joins the lines
                i += 2
                while i < n and source[i] in " \t":
                    i += 1
                continue
            chars.append(_ESCAPES.get(code, code))
            offsets.append(i)
            i += 2
            continue
        chars.append(ch)
        offsets.append(i)
        i += 1
    return "".join(chars), offsets


def align(source: str, start: int, value: str, look: int = 40) -> list[int]:
    """Source offset of each character of a YAML string value that starts at `start`.

    The value's characters appear in the (decoded) source in order, with extra characters
    between them (block indicators, indentation, folded line breaks); a short look-ahead
    skips those. A character not found keeps the last position.
    """
    chars, offsets = _scalar_chars(source, start, 4 * len(value) + 400)
    out: list[int] = []
    j = 0
    n = len(chars)
    for ch in value:
        stop = min(n, j + look)
        if ch.isspace():
            k = next((k for k in range(j, stop) if chars[k].isspace()), -1)
        else:
            k = chars.find(ch, j, stop)
        if k == -1:
            out.append(offsets[min(j, n - 1)] if n else start)
        else:
            out.append(offsets[k])
            j = k + 1
    return out
