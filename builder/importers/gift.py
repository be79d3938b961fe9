"""GIFT reader, written from the format's grammar (Moodle Docs, "GIFT format", and what
Moodle's own `qformat_gift` accepts).

Why a parser of our own: the GIFT parsers on PyPI are not kept up. `pygiftparser` had its
last release in 2017, `pygiftparserrgmf` is a 0.0.x alpha last released in 2022, and
`gift-to-moodlexml` (2026, 0.1.x) converts an extended dialect to Moodle XML rather than
offering a parser; the well-kept parser, gift-pegjs, is JavaScript. The grammar is small, so
this module follows it directly and is tested against Moodle's own GIFT fixtures and
example file (tests/vendor/moodle-qformat/).

The grammar, as read here:

- Questions are separated by blank lines. Lines starting with `//` are comments; a comment
  may carry `[id:…]` and `[tag:…]` for the question that follows (Moodle reads these too).
- `$CATEGORY: a/b/c` sets the category of the questions after it (our tags: `category:c`).
- A question is `::name::` (optional), `[html]`/`[markdown]`/`[plain]`/`[moodle]` (optional),
  the text, and an answer block `{…}`; text after the block makes a "missing word"
  question, whose blank is shown as `_____` in the stem.
- In the block: nothing (essay), `T`/`TRUE`/`F`/`FALSE` with `#wrong#right` feedback,
  `#…` (numerical: not representable), `=left -> right` pairs (matching), `=`/`~`
  answers with `%n%` weights and `#feedback` (choice or short answer), and `####` general
  feedback at the end.
- `\\` escapes `~ = # { } :` and itself; `\\n` is a line break.
"""

from __future__ import annotations

import re
from typing import Any

from builder.diagnostics import diag
from builder.importers.common import (
    CHANGED,
    MEDIA,
    SYNTAX,
    Draft,
    ReadResult,
    Skipped,
    one_line,
    plain_to_markdown,
    to_markdown,
)
from builder.model.where import Where

NAME = "gift"
_SPECIAL = "~=#{}:"
_FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]+)?)%")
_TAG = re.compile(r"\[(id|tag):([^\]]*)\]")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _find(text: str, chars: str, start: int = 0) -> int:
    """Index of the first unescaped character of `chars` at or after `start`, or -1."""
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c in chars:
            return i
        i += 1
    return -1


def _find_str(text: str, needle: str, start: int = 0) -> int:
    i = start
    while i <= len(text) - len(needle):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            return i
        i += 1
    return -1


def _split(text: str, seps: str) -> list[tuple[str, str]]:
    """Split at unescaped `seps` characters: [(separator before, piece)], the first with ''."""
    out: list[tuple[str, str]] = []
    sep, start = "", 0
    while True:
        i = _find(text, seps, start)
        if i < 0:
            out.append((sep, text[start:]))
            return out
        out.append((sep, text[start:i]))
        sep, start = text[i], i + 1


def unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class _Text:
    """Converts GIFT text pieces to Markdown in the question's format."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.media: list[str] = []
        self.remote: list[str] = []

    def md(self, raw: str, fmt: str | None = None) -> str:
        raw = raw.strip()
        m = _FORMAT.match(raw)
        if m:
            fmt, raw = m.group(1).lower(), raw[m.end():].strip()
        text = unescape(raw)
        kinds = {"html": "html", "markdown": "markdown", "plain": "plain_text"}
        kind = kinds.get(fmt or self.fmt, "moodle_auto_format")
        md, used, remote = to_markdown(text, kind)
        self.media += used
        self.remote += remote
        return md


def read(data: str, name: str) -> ReadResult:
    """Parse a GIFT file (already decoded) into drafts and skipped questions."""
    out = ReadResult()
    category: list[str] = []
    for start, lines in _blocks(data):
        meta_id, body_line = "", start
        meta_tags: list[str] = []
        body: list[str] = []
        for n, line in enumerate(lines):
            if line.lstrip().startswith("//") and not body:
                for kind, value in _TAG.findall(line):
                    if kind == "id":
                        meta_id = value.strip()
                    elif value.strip():
                        meta_tags.append(value.strip())
                continue
            if line.lstrip().startswith("//"):
                continue  # a comment line inside a question
            if not body:
                body_line = start + n
            body.append(line)
        if not body:
            continue
        text = "\n".join(body)
        if text.lstrip().startswith("$CATEGORY:"):
            path = text.split(":", 1)[1].strip()
            category = [p for p in path.replace("$course$", "").replace("$system$", "").split("/") if p.strip()]
            continue
        _question(out, text, Where(name, body_line, 1), category, meta_id, meta_tags)
    return out


def _blocks(data: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, with the line number each starts on."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 1
    for n, line in enumerate(data.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.strip():
            if not current:
                first = n
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _error(out: ReadResult, where: Where, text: str, offset: int, message: str, hint: str) -> None:
    line = where.line + text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    out.diagnostics.append(diag(SYNTAX, Where(where.path, line, col), message, hint))


def _question(out: ReadResult, text: str, where: Where, category: list[str], meta_id: str,
              meta_tags: list[str]) -> None:
    name = ""
    rest = text.strip()
    offset = len(text) - len(text.lstrip())
    if rest.startswith("::"):
        end = _find_str(rest, "::", 2)
        if end < 0:
            _error(out, where, text, offset, "question name `::` is not closed", "write the name as ::name::")
            return
        name = unescape(rest[2:end]).strip()
        offset += end + 2
        rest = rest[end + 2:]
    fmt = "moodle"
    m = _FORMAT.match(rest)
    if m:
        fmt = m.group(1).lower()
        offset += m.end()
        rest = rest[m.end():]
    open_ = _find(rest, "{")
    if open_ < 0:
        _error(out, where, text, offset, "question has no answer block `{…}`",
               "add the answers in braces, e.g. {=right ~wrong}, or escape a literal brace as \\{")
        return
    close = _find(rest, "}", open_ + 1)
    if close < 0:
        _error(out, where, text, offset + open_, "answer block `{` is not closed",
               "close the answers with `}` (a literal brace inside text is written \\})")
        return
    nested = _find(rest[open_ + 1:close], "{")
    if nested >= 0:
        _error(out, where, text, offset + open_ + 1 + nested, "`{` inside an answer block",
               "escape a literal brace as \\{")
        return
    if _find(rest, "{", close + 1) >= 0:
        _error(out, where, text, offset + _find(rest, "{", close + 1), "a second answer block in one question",
               "separate questions with a blank line")
        return
    before, answers, after = rest[:open_], rest[open_ + 1:close], rest[close + 1:]
    tx = _Text(fmt)
    after_text = after.strip()
    if after_text and after_text not in (".", '";', "\";"):
        stem_raw = before.rstrip() + " \\_\\_\\_\\_\\_ " + after.lstrip()
    else:
        stem_raw = before
    tags = [*meta_tags]
    if category:
        tags.append("category:" + "/".join(c.strip() for c in category))
    label = name or one_line(unescape(before))[:60]
    draft = _answers(out, tx, answers, where, label)
    if draft is None:
        return
    stem = tx.md(stem_raw) if stem_raw.strip() else ""
    if not stem:
        _error(out, where, text, offset, "question has no text", "write the question before the `{`")
        return
    draft["stem"] = stem
    for r in tx.remote:
        out.notes.append(diag(MEDIA, where, f"image {r} is on another site: left out of '{label}'"))
    out.drafts.append(Draft(data=draft, where=where, fmt=NAME, source_id=meta_id, name=name, tags=tags,
                            media=tx.media))



def _answers(out: ReadResult, tx: _Text, body: str, where: Where, label: str) -> dict[str, Any] | None:
    general = ""
    gi = _find_str(body, "####")
    if gi >= 0:
        general = tx.md(body[gi + 4:])
        body = body[:gi]
    stripped = body.strip()
    feedback: dict[str, str] = {"general": general} if general else {}

    if not stripped:
        return {"type": "reflection", "feedback": feedback}
    head = _split(stripped, "#")
    word = head[0][1].strip().upper()
    if word in _TF and _find(stripped, "=~") < 0:
        answer = _TF[word]
        fbs = [tx.md(p) for _, p in head[1:]]
        wrong = fbs[0] if fbs else ""
        right = fbs[1] if len(fbs) > 1 else ""
        d: dict[str, Any] = {"type": "true_false", "answer": answer, "feedback": feedback}
        fb_true, fb_false = (right, wrong) if answer else (wrong, right)
        if fb_true:
            d["feedback_true"] = fb_true
        if fb_false:
            d["feedback_false"] = fb_false
        return d
    if stripped.startswith("#"):
        out.skipped.append(Skipped(where, "numerical", "numerical answers (with a tolerance or range) "
                                   "have no question type in the bank format", label))
        return None
    items = [(sep, piece) for sep, piece in _split(stripped, "=~") if sep]
    if not items:
        out.diagnostics.append(diag(SYNTAX, where, f"answers of '{label}' do not start with `=` or `~`",
                                    "write each answer as =right or ~wrong"))
        return None
    if all(sep == "=" for sep, _ in items) and any(_find_str(piece, "->") >= 0 for _, piece in items):
        # Matching: no grade weights (a left side may start with `%n%`) and no feedback.
        return _matching(out, tx, [(sep, 100.0, piece, "") for sep, piece in items], where, label, feedback)
    parsed = []
    for sep, piece in items:
        w = _WEIGHT.match(piece.strip())
        weight = float(w.group(1)) if w else (100.0 if sep == "=" else 0.0)
        piece = piece.strip()[w.end():] if w else piece
        parts = _split(piece, "#")
        parsed.append((sep, weight, parts[0][1], "#".join(p for _, p in parts[1:])))
    if all(sep == "=" for sep, *_ in parsed):
        return _short(out, tx, parsed, where, label, feedback)
    return _choice(out, tx, parsed, where, label, feedback)


def _matching(out: ReadResult, tx: _Text, parsed: list[tuple[str, float, str, str]], where: Where, label: str,
              feedback: dict[str, str]) -> dict[str, Any] | None:
    pairs, distractors = [], []
    for _, _, text, _ in parsed:
        i = _find_str(text, "->")
        if i < 0:
            out.diagnostics.append(diag(SYNTAX, where, f"matching question '{label}' has an answer without `->`",
                                        "write each pair as =left -> right"))
            return None
        left, right = text[:i].strip(), one_line(plain_to_markdown(unescape(text[i + 2:])))
        if not left:
            distractors.append(right)
        else:
            pairs.append({"left": one_line(tx.md(left)), "right": right})
    d: dict[str, Any] = {"type": "matching", "pairs": pairs, "feedback": feedback}
    if distractors:
        d["distractors"] = distractors
    return d


def _short(out: ReadResult, tx: _Text, parsed: list[tuple[str, float, str, str]], where: Where, label: str,
           feedback: dict[str, str]) -> dict[str, Any] | None:
    accepted, correct_fb = [], []
    for _, weight, text, fb in parsed:
        value = one_line(unescape(text))
        if weight >= 100:
            accepted.append(value.replace("\\*", "*"))
            if fb.strip():
                correct_fb.append(tx.md(fb))
        elif value == "*" and weight <= 0:
            if fb.strip():
                feedback["incorrect"] = tx.md(fb)
        else:
            out.notes.append(diag(CHANGED, where,
                                  f"'{label}': answer '{value}' gives {weight:g}% credit; "
                                  "the bank format has no partial credit for short answers: left out"))
    if not accepted:
        out.skipped.append(Skipped(where, "short-answer", "no answer gives full credit", label))
        return None
    if correct_fb:
        if len(set(correct_fb)) == 1 and len(correct_fb) == len(accepted):
            feedback["correct"] = correct_fb[0]
        else:
            feedback["correct"] = correct_fb[0]
            out.notes.append(diag(CHANGED, where,
                                  f"'{label}': accepted answers have different feedback; "
                                  "the bank format has one `correct` feedback: the first is kept"))
    return {"type": "short_answer", "accepted": accepted, "feedback": feedback}



def _choice(out: ReadResult, tx: _Text, parsed: list[tuple[str, float, str, str]], where: Where, label: str,
            feedback: dict[str, str]) -> dict[str, Any] | None:
    single = any(sep == "=" for sep, *_ in parsed)  # Moodle: no `=` answer makes a multiple-answer question
    options = []
    for _, weight, text, fb in parsed:
        opt: dict[str, Any] = {"text": one_line(tx.md(text))}
        correct = weight >= 100 if single else weight > 0
        if single and 0 < weight < 100:
            out.notes.append(diag(CHANGED, where,
                                  f"'{label}': option '{opt['text']}' gives {weight:g}% credit; single choice "
                                  "has no partial credit in the bank format: it is marked wrong"))
        if correct:
            opt["correct"] = True
        if fb.strip():
            opt["feedback"] = tx.md(fb)
        options.append(opt)
    return {"type": "single" if single else "multiple", "options": options, "feedback": feedback}

