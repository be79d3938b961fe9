"""Every file of a participant build holds no answer beyond the self-checks.

`course build` (participant, the default) is run on the fixture course and on the real
course, with PDFs, and every file it wrote is read as text: HTML, JavaScript, CSS, the
search index, XML, gzip and zip contents, and PDFs through pdftotext. A file the walker
cannot read fails the test, so nothing is skipped unseen.

What participants may have (the self-check design of docs/site.md, "Editions"):
- a module's self-check page on the site, whose `data-answers` attribute holds the answers,
  feedback and model answers of the module's questions that NO assessment form draws (shown
  only after the reader checks an answer);
- the workbook's "Answers to the self-checks" for those same questions;
- question papers without answers (module quiz PDFs), which print stems and options only.
A reflection's model answer is self-check content there ("Show model answer"); the LMS
exports carry the same text as information for graders, and the course has no other
grader-only field, so "grader notes" means: model answers of form questions, and any
`<graderinfo>` at all.

What no file may hold:
- an LMS export: a file under `downloads/quizzes/`, a zip, cartridge or CSV, an Aiken
  `ANSWER:` line, a Moodle answer `fraction=`, `<graderinfo>`, a QTI correct response, a CSV
  header with a `correct` column;
- an answer key: the PDF keys, the facilitator's key on a quiz page ("answer key" anywhere);
- of a question a form draws, anything beyond its stem and options: its feedback, model
  answer or accepted answers, or its id in self-check data;
- the answers or feedback of any question outside its self-check page and the workbook;
- facilitator-only text: `!!! facilitator` blocks, module facilitator notes, facilitator
  pages, the facilitator edition's banner.

The same walker run on the facilitator build must find leaks of every kind: the detectors work.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import lxml.html
import pytest

from builder.model.blocks import find_blocks, strip_blocks
from builder.model.editions import default_edition, for_edition
from builder.model.forms import form_question_ids
from builder.model.load import load_project
from builder.model.project import Project
from builder.model.schema import MultipleResponse, Question, Reflection, ShortAnswer, SingleChoice, TrueFalse
from tests.helpers import REPO, course_copy, run_cli

pytestmark = [pytest.mark.pdf, pytest.mark.slow, pytest.mark.xdist_group("participant-output")]

BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf"}

# Paths no participant output may have: LMS exports and answer-key documents.
FORBIDDEN_PATHS = [re.compile(p) for p in (
    r"(^|/)quizzes/", r"\.(imscc|zip|csv)(!|$)", r"-aiken\.txt$", r"-gift\.txt$", r"-moodle\.xml$",
    r"-questions\.json$", r"-qti(12|21)", r"-answers\.pdf$", r"facilitator-guide\.pdf$", r"(^|/)form-[^/]*\.pdf$")]

# Text no participant file may contain (matched on the file as written and as text).
MARKERS = [re.compile(p) for p in (
    r"(?m)^\s*ANSWER:\s*[A-Z]\b",  # Aiken
    r"fraction=\"",  # Moodle XML answers
    r"<graderinfo", r"<correctResponse", r"<varequal", r"<respcondition",  # Moodle, QTI 2.1, QTI 1.2
    r"(?mi)^\ufeff?(?:\"?[a-z_]+\"?,)+\"?correct\"?(?:,|$)",  # a CSV header with a `correct` column
    r"(?i)answer key",  # the PDF keys, the facilitator's key on quiz pages
    r"Keep this key separate",
    r"Facilitator edition\.",  # the facilitator banner
)]

SELF_CHECK_PAGE = re.compile(r"^modules/[^/]+/quiz(/index)?\.html$")
WORKBOOK = re.compile(r"^downloads/workbook(-part-\d+)?\.pdf$")


# -- reading every file ------------------------------------------------------------------------


def file_texts(root: Path) -> dict[str, str]:
    """Every file under `root` as text, by path (zip members as `archive!member`)."""
    out: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        out.update(_texts(path.relative_to(root).as_posix(), path.read_bytes()))
    return out


def _texts(rel: str, data: bytes) -> dict[str, str]:
    suffix = PurePosixPath(rel).suffix.lower()
    if data[:5] == b"%PDF-":
        return {rel: pdf_text(data)}
    if data[:4] == b"PK\x03\x04":
        out = {rel: ""}
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                out.update(_texts(f"{rel}!{name}", zf.read(name)))
        return out
    if data[:2] == b"\x1f\x8b":
        return _texts(rel.removesuffix(".gz"), gzip.decompress(data))
    if suffix in BINARY:
        return {}
    try:
        return {rel: data.decode("utf-8")}
    except UnicodeDecodeError:
        raise AssertionError(f"{rel}: a file the leak test cannot read; teach it this format") from None


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout


QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u00a0": " ", "\u00ad": ""})


def plain(text: str) -> str:
    """Text as a reader gets it: entities decoded (twice: attributes hold escaped HTML), tags
    and JSON escapes removed, typographic quotes made plain, whitespace squashed."""
    text = html.unescape(html.unescape(text))
    text = re.sub(r"<[^>]*>", " ", text).replace('\\"', '"').replace("\\n", " ").replace("\\/", "/")
    text = re.sub(r"[*_`]+", "", text.translate(QUOTES))
    return " ".join(text.split())


def md_plain(text: str) -> str:
    """Authored Markdown as plain text: links become their words, emphasis marks go."""
    return plain(re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text))


def probes(text: str) -> list[str]:
    """Pieces of a secret to look for: the whole of a short one; the first and last 40
    characters of a long one (a page break in a PDF can split the middle)."""
    if len(text) < 20:
        return []
    return [text] if len(text) <= 60 else [text[:40], text[-40:]]


# -- what is secret ----------------------------------------------------------------------------


def answer_texts(q: Question) -> list[str]:
    """A question's answers and feedback: what a self-check shows only after checking."""
    out = [t for t in (q.feedback.general, q.feedback.correct, q.feedback.incorrect) if t]
    if isinstance(q, (SingleChoice, MultipleResponse)):
        out += [o.feedback for o in q.options if o.feedback]
    if isinstance(q, TrueFalse):
        out += [t for t in (q.feedback_true, q.feedback_false) if t]
    if isinstance(q, ShortAnswer):
        out += q.accepted
    if isinstance(q, Reflection) and q.model_answer:
        out.append(q.model_answer)
    return [md_plain(t) for t in out]


def facilitator_texts(project: Project) -> list[str]:
    out: list[str] = []
    bodies = [lesson.body for m in project.modules for lesson in m.lessons] + [p.body for p in project.pages]
    for body in bodies:
        lines = body.split("\n")
        out += [" ".join(b.lines(lines)) for b in find_blocks(body) if b.kind == "facilitator"]
    for m in project.modules:
        notes = m.data.facilitator_notes
        out += [t for t in (notes.preparation, notes.timing, notes.sensitive_moments, notes.disclosure) if t]
        out += [t for t in notes.adaptations.model_dump().values() if isinstance(t, str) and t]
    out += [p.body for p in project.pages if project.page_audience.get(p.path, "all") == "facilitator"]
    return [md_plain(t) for t in out]


def strings(data: object) -> list[str]:
    """Every string in a model dump, leaving out anything under a key that names facilitators."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [x for k, v in data.items() if "facilitator" not in str(k) for x in strings(v)]
    if isinstance(data, (list, tuple)):
        return [x for v in data for x in strings(v)]
    return []


def public_text(project: Project) -> str:
    """What participants may read anyway: lessons and pages without facilitator blocks, module
    texts, the glossary, and question stems and options (question papers print them). A
    secret that is also said here cannot count as a leak."""
    parts = [x for m in project.modules for lesson in m.lessons for x in (lesson.title, strip_blocks(lesson.body))]
    parts += [m.title for m in project.modules] + [p.title for p in project.pages]
    parts += [strip_blocks(p.body) for p in project.pages if project.page_audience.get(p.path, "all") != "facilitator"]
    for m in project.modules:
        parts += strings(m.data.model_dump())  # summary, key points, activities, sources...
        parts += [x for lesson in m.lessons for x in strings(lesson.meta.model_dump())]
    parts += strings(project.course.model_dump()) + strings(project.glossary.model_dump())
    for _, q in project.all_questions():
        parts.append(q.stem)
        if isinstance(q, (SingleChoice, MultipleResponse)):
            parts += [o.text for o in q.options]
    return md_plain("\n".join(p for p in parts if p))


# -- the check ---------------------------------------------------------------------------------


def leaks(project: Project, root: Path) -> list[str]:
    """Every way the build in `root` gives participants more than the self-checks.

    The build is of the course's default edition: its answers, forms and facilitator text are
    that edition's (its copy also knows every question any edition's forms draw). Whether a
    build holds another edition's text is tests/editions' leak test.
    """
    project = for_edition(project, project.edition or default_edition(project))
    texts = file_texts(root)
    assert len(texts) > 10, f"nothing built in {root}"
    public = public_text(project)
    on_forms = form_question_ids(project)
    found: list[str] = []
    found += [f"{rel}: an LMS export or answer-key file"
              for rel in texts if any(p.search(rel) for p in FORBIDDEN_PATHS)]
    plain_texts = {rel: plain(t) for rel, t in texts.items()}
    for rel, raw in texts.items():
        found += [f"{rel}: {m.pattern}" for m in MARKERS if m.search(raw) or m.search(plain_texts[rel])]

    def look(label: str, secrets: list[str], where: dict[str, str]) -> None:
        for secret in secrets:
            for probe in probes(secret):
                if probe in public:
                    continue  # the course says this to participants anyway
                found.extend(f"{rel}: {label} {probe!r}" for rel, text in where.items() if probe in text)

    look("facilitator text", facilitator_texts(project), plain_texts)
    outside = {rel: t for rel, t in plain_texts.items() if not SELF_CHECK_PAGE.search(rel) and not WORKBOOK.search(rel)}
    for _, q in project.all_questions():
        look(f"answer of {q.id} (on a form)" if q.id in on_forms else f"answer of {q.id}", answer_texts(q),
             plain_texts if q.id in on_forms else outside)
    # Self-check pages: the answer data covers only questions no form draws, and nothing of it
    # is on the page outside the `data-answers` attribute.
    form_ids = {q.lower().replace(".", "-") for q in on_forms}
    for rel in texts:
        if not SELF_CHECK_PAGE.search(rel):
            continue
        doc = lxml.html.fromstring((root / rel).read_bytes())
        for quiz in doc.xpath("//*[@data-answers]"):
            data = json.loads(quiz.get("data-answers"))
            found += [f"{rel}: self-check data of form question {q}" for q in data["questions"] if q in form_ids]
            del quiz.attrib["data-answers"]
        rest = plain(lxml.html.tostring(doc, encoding="unicode"))
        for _, q in project.all_questions():
            look(f"answer of {q.id} outside the quiz data", answer_texts(q), {rel: rest})
    return sorted(set(found))


# -- builds ------------------------------------------------------------------------------------


def build(root: Path, out: Path, *args: str) -> Project:
    run = run_cli("build", "--root", str(root), "--out", str(out), *args)
    assert run.code == 0, run.out + run.err
    project, _ = load_project(root)
    assert project is not None
    return project


@pytest.fixture(scope="module")
def fixture_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return course_copy(tmp_path_factory.mktemp("leaks"))


def test_the_fixture_course_participant_build_holds_no_answers(fixture_course: Path, tmp_path: Path) -> None:
    project = build(fixture_course, tmp_path / "site")
    assert form_question_ids(project), "the fixture's forms draw no question: nothing is tested"
    assert (tmp_path / "site/downloads/workbook.pdf").is_file()
    assert leaks(project, tmp_path / "site") == []


def test_the_facilitator_build_shows_every_detector_working(fixture_course: Path, tmp_path: Path) -> None:
    """The facilitator build has everything participants must not: the walker finds each kind."""
    project = build(fixture_course, tmp_path / "site", "--audience", "facilitator")
    found = "\n".join(leaks(project, tmp_path / "site"))
    for expected in ("downloads/quizzes/fixture-course-form-pre-post-A-aiken.txt: (?m)^\\s*ANSWER:",
                     "-moodle.xml: fraction=", "-moodle.xml: <graderinfo", "-questions.csv: (?mi)",
                     "-qti21.zip!", "downloads/quiz-01-first-steps-answers.pdf: (?i)answer key",
                     "downloads/facilitator-guide.pdf: facilitator text",
                     "modules/01-first-steps/quiz/index.html: (?i)answer key",
                     "self-check data of form question m1-q02", "(on a form)", "Facilitator edition"):
        assert expected in found, expected


def test_the_real_course_participant_build_holds_no_answers(tmp_path: Path) -> None:
    root = tmp_path / "course"
    for name in ("curriculum", "modules", "quizzes"):
        shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "CHANGELOG.md"):  # the About page shows the changelog's entry
        if (REPO / name).is_file():
            shutil.copy(REPO / name, root / name)
    project = build(root, tmp_path / "site")
    assert len(form_question_ids(project)) > 20
    assert leaks(project, tmp_path / "site") == []
