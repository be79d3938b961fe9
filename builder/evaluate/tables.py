"""Read a results file into a table of text cells that remembers where each row was.

CSV (comma, semicolon or tab separated, UTF-8 with or without a byte-order mark) and Excel
(.xlsx) are read with pandas (openpyxl for Excel); every cell stays text, so "-", "0.50" and
"007" arrive as written. A row's line is its physical line in a CSV file (a quoted cell may
span lines; the standard `csv` module counts them) or its row number in a worksheet.

Problems come back as diagnostics at `file:line:col` (`col` is the column's number), never as
exceptions: a wrong encoding, an empty file, a file that is not a table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from builder.diagnostics import Diagnostic, diag, register
from builder.model.where import Where

EVAL_FILE = register("eval.file", "A results file that cannot be read as a table.")
EVAL_ENCODING = register("eval.encoding", "A results file that is not UTF-8 text.")
EVAL_EMPTY = register("eval.empty", "A results file with no rows of results.")
EVAL_EXTRA = register("eval.unnamed-cells", "Cells to the right of the last column heading.", "warning")

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_BYTES = 50 * 1024 * 1024  # a course run's download is kilobytes; refuse what is not one


@dataclass
class Table:
    path: str  # as diagnostics show it
    header: list[str]
    rows: list[list[str]]  # text cells, "" when empty; every row as long as the header
    lines: list[int]  # where each row is: CSV line, or worksheet row number
    header_line: int = 1

    def where(self, row: int | None = None, col: int | None = None) -> Where:
        """Position of a row (index into `rows`; None = the header) and column (index)."""
        line = self.header_line if row is None else self.lines[row]
        return Where(self.path, line, 1 if col is None else col + 1)

    def column(self, *names: str) -> int | None:
        """Index of the first header that equals one of `names` (case and spaces ignored)."""
        wanted = [" ".join(n.split()).casefold() for n in names]
        for want in wanted:
            for i, h in enumerate(self.header):
                if " ".join(h.split()).casefold() == want:
                    return i
        return None


def _bad_byte(data: bytes, err: UnicodeDecodeError) -> Where:
    line = data.count(b"\n", 0, err.start) + 1
    col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
    return Where("", line, col)


def read_table(path: Path, shown: str) -> tuple[Table | None, list[Diagnostic]]:
    """The file at `path` as a `Table`, or None and the reasons it cannot be read."""
    try:
        size = path.stat().st_size
    except OSError as e:
        return None, [diag(EVAL_FILE, Where(shown, 1, 1), f"cannot read the file: {e.strerror or e}",
                           "check the path; give each results file as a separate argument")]
    if size == 0:
        return None, [diag(EVAL_EMPTY, Where(shown, 1, 1), "the file is empty",
                           "download the report again from the LMS, or fill in the paper template")]
    if size > MAX_BYTES:
        return None, [diag(EVAL_FILE, Where(shown, 1, 1), f"the file is {size:,} bytes, more than a results "
                           "download can be", "give the report downloaded from the quiz")]
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, shown)
    if path.suffix.lower() == ".xls":
        return None, [diag(EVAL_FILE, Where(shown, 1, 1), "old Excel files (.xls) are not read",
                           "download the report as .xlsx or CSV, or save it again as .xlsx")]
    return _read_csv(path.read_bytes(), shown)


def _read_excel(path: Path, shown: str) -> tuple[Table | None, list[Diagnostic]]:
    import pandas as pd

    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=str, keep_default_na=False,
                              engine="openpyxl")
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        return None, [diag(EVAL_FILE, Where(shown, 1, 1), f"not a readable Excel workbook ({type(e).__name__})",
                           "open it in a spreadsheet and save it as .xlsx or CSV UTF-8")]
    cells = [["" if c is None else str(c) for c in row] for row in frame.itertuples(index=False, name=None)]
    return _table(shown, cells, list(range(1, len(cells) + 1)))


def _separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda s: (counts[s], s == ","))


def _read_csv(data: bytes, shown: str) -> tuple[Table | None, list[Diagnostic]]:
    import pandas as pd

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [diag(EVAL_ENCODING, Where(shown, 1, 1), "the file is UTF-16 text, not UTF-8",
                           "save it again as 'CSV UTF-8 (comma delimited)'")]
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Excel's CSV UTF-8) is dropped
    except UnicodeDecodeError as e:
        at = _bad_byte(data, e)
        return None, [diag(EVAL_ENCODING, Where(shown, at.line, at.col),
                           f"the file is not UTF-8 text (byte 0x{data[e.start]:02X} cannot be read)",
                           "save it again as 'CSV UTF-8 (comma delimited)', or download it from the LMS "
                           "choosing UTF-8")]
    if "\x00" in text:
        return None, [diag(EVAL_FILE, Where(shown, 1, 1), "the file holds binary data, not text",
                           "give the CSV or .xlsx file the LMS downloaded")]
    if not text.strip():
        return None, [diag(EVAL_EMPTY, Where(shown, 1, 1), "the file holds no rows",
                           "download the report again from the LMS, or fill in the paper template")]
    sep = _separator(text.splitlines()[0] if text.splitlines() else "")
    # Where each record ends: the standard csv reader counts the lines a quoted cell spans.
    ends: list[int] = []
    width = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        for record in reader:
            ends.append(reader.line_num)
            width = max(width, len(record))
    except csv.Error as e:
        return None, [diag(EVAL_FILE, Where(shown, max(1, len(ends) + 1), 1), f"not a CSV table: {e}",
                           "check for a quote that is never closed")]
    try:
        # Named columns as wide as the widest row: a row with stray cells is read, then reported.
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=list(range(max(width, 1))), dtype=str,
                            keep_default_na=False,
                            skip_blank_lines=False, engine="python", quoting=csv.QUOTE_MINIMAL)
    except Exception as e:  # pandas' ParserError names the line
        m = re.search(r"line (\d+)", str(e))
        line = int(m.group(1)) if m else 1
        return None, [diag(EVAL_FILE, Where(shown, line, 1), f"not a CSV table: {str(e).splitlines()[0]}",
                           "every row must have as many cells as the header")]
    cells = [["" if c is None else str(c) for c in row] for row in frame.itertuples(index=False, name=None)]
    starts = [1] + [e + 1 for e in ends[:-1]]
    if len(starts) != len(cells):  # should not happen; keep positions honest if it does
        starts = list(range(1, len(cells) + 1))
    return _table(shown, cells, starts)


def _table(shown: str, cells: list[list[str]], lines: list[int]) -> tuple[Table | None, list[Diagnostic]]:
    keep = [(row, line) for row, line in zip(cells, lines, strict=True) if any(c.strip() for c in row)]
    if not keep:
        return None, [diag(EVAL_EMPTY, Where(shown, 1, 1), "the file holds no rows",
                           "download the report again from the LMS, or fill in the paper template")]
    (header, header_line), body = keep[0], keep[1:]
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    header = [" ".join(h.split()) for h in header[:width]]
    rows, row_lines, diags = [], [], []
    for row, line in body:
        extra = [i for i, c in enumerate(row[width:], start=width) if c.strip()]
        if extra:
            diags.append(diag(EVAL_EXTRA, Where(shown, line, extra[0] + 1),
                              f"{len(extra)} cell(s) after the last named column are not read",
                              "give the column a heading, or delete the stray cells"))
        rows.append([c.strip() for c in (row + [""] * width)[:width]])
        row_lines.append(line)
    return Table(shown, header, rows, row_lines, header_line), diags
