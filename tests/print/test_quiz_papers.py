"""Question papers never show answers; answer keys match the papers they go with; form
variants come from the quiz package's drawing (one algorithm) and differ in order only."""

from __future__ import annotations

import re

import pytest
import yaml

from builder.model.forms import build_form
from tests.helpers import FIXTURES
from tests.print.conftest import PdfSet, squash, text

pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("print")]

BANK = yaml.safe_load((FIXTURES / "minimal/quizzes/01-first-steps.yaml").read_text())["questions"]
Q = {q["id"]: q for q in BANK}


def lettered(paper: str, after: str, count: int) -> dict[str, str]:
    """Letter -> text of the `count` lettered lines that follow the line `after`."""
    lines = [line.strip() for line in paper.splitlines()]
    start = next(i for i, line in enumerate(lines) if after in line)
    found: dict[str, str] = {}
    for line in lines[start + 1:]:
        m = re.match(r"^([A-J]) (.+)$", line)
        if m:
            found[m.group(1)] = m.group(2)
            if len(found) == count:
                break
    assert len(found) == count, (after, found)
    return found


def test_question_paper_holds_every_question_and_no_answer(pdfs: PdfSet) -> None:
    paper = squash(text(pdfs["quiz-01-first-steps.pdf"], raw=True))
    for q in BANK:
        assert q["stem"] in paper, q["id"]
    secret = [q["feedback"]["general"] for q in BANK if q.get("feedback", {}).get("general")]
    secret += [o["feedback"] for q in BANK for o in q.get("options", []) if o.get("feedback")]
    secret += [Q["M1.Q07"]["model_answer"], Q["M1.Q03"]["feedback_true"], "stigma or stigmas", "answer key"]
    for s in secret:
        assert s not in paper, s


def test_answer_key_matches_the_paper(pdfs: PdfSet) -> None:
    paper = text(pdfs["quiz-01-first-steps.pdf"], raw=True)
    key = squash(text(pdfs["quiz-01-first-steps-answers.pdf"], raw=True))
    assert "B (How have things been for you lately?)" in key
    assert "A, C (Nodding; Summarising what you heard)" in key
    assert "stigma or stigmas" in key
    assert Q["M1.Q07"]["model_answer"] in key

    # Matching: the right-hand column is printed scrambled; the key names its letters.
    right = lettered(paper, "Choose from:", 3)
    assert list(right.values()) != [p["right"] for p in Q["M1.Q05"]["pairs"]], "printed in answer order"
    letter_of = {v: k for k, v in right.items()}
    expected = "; ".join(f"{n} = {letter_of[p['right']]}" for n, p in enumerate(Q["M1.Q05"]["pairs"], 1))
    assert expected in key

    # Ordering: the items are printed scrambled; the key gives the letters in the right order.
    items = lettered(paper, "Put the steps in order.", 3)
    assert list(items.values()) != Q["M1.Q06"]["items"], "printed in the answer order"
    letter_of = {v: k for k, v in items.items()}
    assert ", ".join(letter_of[i] for i in Q["M1.Q06"]["items"]) in key


def test_special_characters_print_as_written(pdfs: PdfSet) -> None:
    paper = squash(text(pdfs["quiz-02-second-steps.pdf"], raw=True))
    assert 'Use <care> & "quotes".' in paper
    assert '"Everyone feels like that {sometimes}."' in paper


def _stems(pdf) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text(pdf, raw=True), flags=re.M)


def test_form_variants_follow_the_quiz_packages_drawing(pdfs: PdfSet) -> None:
    project = pdfs.project
    for variant in ("A", "B"):
        items = build_form(project, "pre-post", variant)
        stems = _stems(pdfs[f"form-pre-post-{variant.lower()}.pdf"])
        assert [squash(s) for s in stems] == [squash(i.question.stem) for i in items]
        paper = text(pdfs[f"form-pre-post-{variant.lower()}.pdf"], raw=True)
        for item in items:
            shown = item.shown()
            if shown and hasattr(shown[0], "text"):
                opts = lettered(paper, item.question.stem[:30], len(shown))
                assert [squash(o) for o in opts.values()] == [squash(o.text) for o in shown]
    a, b = _stems(pdfs["form-pre-post-a.pdf"]), _stems(pdfs["form-pre-post-b.pdf"])
    assert sorted(a) == sorted(b) and a != b


def test_form_answer_keys_stay_out_of_the_papers(pdfs: PdfSet) -> None:
    for v in ("a", "b"):
        paper = squash(text(pdfs[f"form-pre-post-{v}.pdf"], raw=True))
        key = squash(text(pdfs[f"form-pre-post-{v}-answers.pdf"], raw=True))
        assert "answer key" in key and "answer key" not in paper
        for item in build_form(pdfs.project, "pre-post", v.upper()):
            general = item.question.feedback.general
            if general:
                assert general in key and general not in paper
            shown = item.shown()
            if shown and hasattr(shown[0], "correct"):
                # The key's letters are those of this variant's option order.
                letters = ", ".join("ABCDEFGHIJ"[i] for i, o in enumerate(shown) if o.correct)
                texts = "; ".join(o.text for o in shown if o.correct)
                assert f"{item.number} {letters} ({texts})" in key
