"""The participant workbook: order, page numbers, running heads, what it must never hold."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.print.conftest import PdfSet, page_texts, squash, text

pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("print")]

TOC_LINE = re.compile(r"^(?P<title>\S.*?)\s*(?:\.\s*){3,}(?P<page>\d+)$")


@pytest.fixture(scope="module")
def workbook(pdfs: PdfSet) -> list[str]:
    return page_texts(pdfs["workbook.pdf"])


def toc(pages: list[str]) -> dict[str, int]:
    """Title -> page number, read from the printed table of contents."""
    start = next(i for i, t in enumerate(pages) if t.lstrip().startswith("Contents"))
    entries: dict[str, int] = {}
    for t in pages[start:start + 3]:
        for line in t.splitlines():
            m = TOC_LINE.match(line.strip())
            if m:
                entries.setdefault(m.group("title"), int(m.group("page")))
    return entries


def test_reading_order(pdfs: PdfSet) -> None:
    flat = squash(text(pdfs["workbook.pdf"]))
    order = ["Participant workbook", "How to use this workbook", "Contents", "Before you start", "Welcome",
             "Module 1: First steps", "Listening well", "Why listening matters", "Activity: Practise listening",
             "Noticing changes", "Activity: What helps", "Key points", "Self-check",
             "Module 2: Second steps", "Responding with care", "Getting help", "Answers to the self-checks",
             "Glossary", "Active listening", "Peer supporter", "Stigma", "Where to get help: United States",
             "Notes"]
    positions = []
    after = 0
    for phrase in order:
        i = flat.find(phrase, after)
        assert i >= 0, f"{phrase!r} missing or out of order"
        positions.append(i)
        after = i + len(phrase)


def test_toc_page_numbers_are_where_the_sections_start(workbook: list[str]) -> None:
    entries = toc(workbook)
    expected = {"Before you start", "Module 1: First steps", "Listening well", "Noticing changes",
                "Module 2: Second steps", "Responding with care", "Getting help", "Answers to the self-checks",
                "Glossary", "Where to get help: United States", "Notes"}
    assert expected <= set(entries), entries
    for title, number in entries.items():
        page = squash(workbook[number - 1])
        if title.startswith("Module "):
            # The module heading is set on two lines: "Module 1:" and its title.
            label, name = title.split(": ", 1)
            assert re.search(rf"{re.escape(label)}: {re.escape(name)}", page), (title, number)
            before = squash(workbook[number - 2])
            assert f"{label}: {name}" not in before.replace(name + " Fixture", ""), "module starts earlier"
        else:
            assert title in page, (title, number)


def test_toc_agrees_with_the_bookmarks(pdfs: PdfSet, workbook: list[str]) -> None:
    reader = PdfReader(pdfs["workbook.pdf"])

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    marks = dict(reversed(list(walk(reader.outline))))  # first bookmark of a title wins
    for title, number in toc(workbook).items():
        if title in ("Key points", "Self-check"):
            continue  # each module has one; the dict keeps only the first
        assert marks.get(title) == number, (title, number, marks.get(title))


def test_modules_start_on_right_hand_pages_after_a_blank_verso(workbook: list[str]) -> None:
    entries = toc(workbook)
    for title in ("Module 1: First steps", "Module 2: Second steps"):
        number = entries[title]
        assert number % 2 == 1, f"{title} starts on page {number}, a left-hand page"
        verso = workbook[number - 2]
        if "Page" not in verso:
            assert verso.strip() == "", "a blank verso carries no header or footer either"


def test_running_header_and_footer(workbook: list[str]) -> None:
    entries = toc(workbook)
    for number in range(entries["Module 1: First steps"], entries["Module 2: Second steps"]):
        page = workbook[number - 1]
        if not page.strip():
            continue  # blank verso
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "Module 1: First steps", (number, lines[:2])
        assert f"Page {number}" in lines[-3:], (number, lines[-3:])
        assert "Fixture Course · version 0.1.0" in lines[-3:], (number, lines[-3:])


def test_no_facilitator_text_in_the_participant_workbook(pdfs: PdfSet) -> None:
    workbook = text(pdfs["workbook.pdf"])
    guide = text(pdfs["facilitator-guide.pdf"])
    for marker in ("FACILITATOR-ONLY-MARKER", "SECOND-FACILITATOR-MARKER"):
        assert marker not in workbook
        assert marker in guide


def test_help_blocks_get_the_regions_crisis_lines(pdfs: PdfSet) -> None:
    flat = squash(text(pdfs["workbook.pdf"]))
    i = flat.index("HELP-BLOCK-MARKER")
    tail = flat[i:i + 300]
    assert "Help now in the United States" in tail
    assert "Emergency: 911" in tail
    assert "988 Suicide & Crisis Lifeline: Call or text 988" in tail


def test_collapsible_blocks_print_open_and_links_show_their_address(pdfs: PdfSet) -> None:
    flat = squash(text(pdfs["workbook.pdf"]))
    assert "A tip that folds away on screen DETAILS-MARKER" in flat
    assert "988 Lifeline (https://988lifeline.org/)" in flat


def test_loose_list_keeps_its_numbers(pdfs: PdfSet) -> None:
    flat = squash(text(pdfs["workbook.pdf"]))
    assert re.search(r"1\. Notice the change\. 2\. Ask how they are\. Give them time to answer\. 3\. Listen\.", flat)


def test_images_carry_their_alt_text(pdfs: PdfSet) -> None:
    reader = PdfReader(pdfs["workbook.pdf"])
    alts = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt")))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                for kid in kids if isinstance(kids, list) else [kids]:
                    if hasattr(kid, "get_object") and not isinstance(kid.get_object(), int):
                        walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert alts == ["Three steps in a row: notice, ask, listen"]


def test_self_check_answers_are_in_the_appendix_only(workbook: list[str]) -> None:
    appendix = toc(workbook)["Answers to the self-checks"]
    before, after = squash(" ".join(workbook[:appendix - 1])), squash(" ".join(workbook[appendix - 1:]))
    # Module 1's self-check holds the questions no assessment form draws; their answers and
    # feedback appear only in the appendix.
    assert "What is one word for negative beliefs" in before
    for answer in ("stigma or stigmas", "Notice, ask, then listen.", "A good answer names what the listener did"):
        assert answer not in before, answer
        assert answer in after, answer


def test_body_text_is_at_least_11_points(pdfs: PdfSet, workbook: list[str]) -> None:
    reader = PdfReader(pdfs["workbook.pdf"])
    number = next(i for i, t in enumerate(workbook) if "Active listening helps a person feel heard" in t)
    sizes: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        if "Active listening helps" in text or "full attention" in text:
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append(size * scale)

    reader.pages[number].extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 11, sizes


def test_the_sites_other_block_kinds_print(pdfs: PdfSet) -> None:
    flat = squash(text(pdfs["workbook.pdf"]))
    assert "At school TAB-SCHOOL-MARKER" in flat and "At work TAB-WORK-MARKER" in flat
    assert "Crisis line A phone line for people in distress" in flat
    assert "FOOTNOTE-MARKER: some lines are not open all night." in flat
    assert "Say I'm here and mean it." in flat
