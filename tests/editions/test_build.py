"""Edition builds of the fixture course: the matrix layout, the edition on every PDF, the
vocabulary, and the leak test: no edition's output holds text that belongs only to another.

The leak test holds edition text out the way tests/site/test_participant_output.py holds
out facilitator text: the secrets are derived from the source (every `!!! edition` block, and
every lesson, activity, question and scenario marked `editions:`), each is looked for in every
file of a build read as text (HTML, search index, XML, zips, PDFs through pdftotext), and a
secret that the edition itself also says (its own copy of the course) cannot count as a leak.
The same walker, given one edition's secrets and another edition's build, must find them:
the detector works.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from builder.model.blocks import _OPEN, EDITION_OPEN, find_edition_blocks, resolve_terms
from builder.model.editions import for_edition, in_edition
from builder.model.load import load_project
from builder.model.project import Project
from tests.editions.course import edition_course
from tests.helpers import run_cli
from tests.site.test_participant_output import file_texts, md_plain, plain, probes, strings

pytestmark = [pytest.mark.pdf, pytest.mark.slow, pytest.mark.xdist_group("editions")]

EDITIONS = ("school", "workplace", "community")
AUDIENCES = ("participant", "facilitator")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edition_course(tmp_path_factory.mktemp("editions"))


@pytest.fixture(scope="module")
def project(course: Path) -> Project:
    p, _ = load_project(course, cache=False)
    assert p is not None
    return p


@pytest.fixture(scope="module")
def matrix(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`course build --all --region uk`: three editions x two audiences, with PDFs."""
    out = tmp_path_factory.mktemp("matrix") / "site"
    run = run_cli("build", "--root", str(course), "--all", "--region", "uk", "--out", str(out), "--parallel", "2")
    assert run.code == 0, run.out + run.err
    assert "6 of 6 builds done" in run.out
    return out


@pytest.fixture(scope="module")
def texts(matrix: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {(e, a): {rel: plain(t) for rel, t in file_texts(matrix / e / "uk" / a).items()}
            for e in EDITIONS for a in AUDIENCES}


# -- what belongs to which editions ------------------------------------------------------------


def _block_paragraphs(lines: list[str]) -> list[str]:
    """The paragraphs of a block's content, nested block openers left out."""
    paras, cur = [], []
    for line in lines:
        if not line.strip() or _OPEN.match(line.strip()) or EDITION_OPEN.match(line.strip()):
            if cur:
                paras.append(" ".join(cur))
            cur = []
            continue
        cur.append(line.strip())
    if cur:
        paras.append(" ".join(cur))
    return paras


def edition_pieces(project: Project) -> list[tuple[frozenset[str], str]]:
    """Every text written for some editions only, with those editions (Markdown as written)."""
    out: list[tuple[frozenset[str], str]] = []
    docs = [les for m in project.modules for les in m.lessons] + list(project.pages)
    for doc in docs:
        lines = doc.body.split("\n")
        if doc.meta.editions:
            out += [(frozenset(doc.meta.editions), p) for p in [doc.meta.title, *_block_paragraphs(lines)]]
            continue
        for b in find_edition_blocks(doc.body):
            out += [(frozenset(b.names), p) for p in _block_paragraphs(lines[b.start + 1:b.end])]
    for m in project.modules:
        out += [(frozenset(a.editions), s) for a in m.data.activities if a.editions for s in strings(a.model_dump())
                if s not in a.editions and s not in (a.id, a.kind)]
        adapt = m.data.facilitator_notes.adaptations
        out += [(frozenset({e}), getattr(adapt, e)) for e in EDITIONS if getattr(adapt, e, None)]
        if m.quiz is not None:
            out += [(frozenset(s.editions), s.text) for s in m.quiz.scenarios if s.editions]
            out += [(frozenset(q.editions), q.stem) for q in m.quiz.questions if q.editions]
    return out


def own_text(project: Project, edition: str) -> str:
    """Everything the edition's own copy of the course says (any audience)."""
    p = for_edition(project, edition)
    parts = [x for m in p.modules for les in m.lessons for x in (les.title, les.body)]
    parts += [x for d in p.pages for x in (d.title, d.body)]
    for m in p.modules:
        parts += strings(m.data.model_dump(mode="json"))
        if m.quiz is not None:
            parts += strings(m.quiz.model_dump(mode="json"))
    parts += strings(p.course.model_dump(mode="json")) + strings(p.glossary.model_dump(mode="json"))
    return md_plain("\n".join(parts))


def secrets_for(project: Project, edition: str) -> list[str]:
    """Text no build of `edition` may hold, as a reader would see it in that edition."""
    vocab = dict(next(e for e in project.course.editions if e.id == edition).vocabulary)
    own = own_text(project, edition)
    out = []
    for names, text in edition_pieces(project):
        if edition in names:
            continue
        secret = md_plain(resolve_terms(text, vocab))
        if secret and secret not in own:
            out.append(secret)
    return out


def leaks(secrets: list[str], texts: dict[str, str]) -> list[str]:
    return sorted({f"{rel}: {probe!r}" for s in secrets for probe in probes(s) for rel, t in texts.items()
                   if probe in t})


# -- the tests ---------------------------------------------------------------------------------


def test_the_matrix_layout(matrix: Path) -> None:
    for e in EDITIONS:
        for a in AUDIENCES:
            assert (matrix / e / "uk" / a / "index.html").is_file()
            assert (matrix / e / "uk" / a / "downloads" / "workbook.pdf").is_file()
    assert sorted(p.name for p in matrix.iterdir() if not p.name.startswith(".")) == sorted(EDITIONS)


def test_every_edition_has_secrets_to_hold(project: Project) -> None:
    for e in EDITIONS:
        assert len(secrets_for(project, e)) >= 2, e
    assert any("SCHOOLONLY" in s for s in secrets_for(project, "workplace"))
    assert any("WORKONLY" in s for s in secrets_for(project, "school"))
    assert not any("WORKONLY" in s for s in secrets_for(project, "workplace"))


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_edition_holds_another_editions_text(project: Project, texts: dict, edition: str, audience: str) -> None:
    assert leaks(secrets_for(project, edition), texts[(edition, audience)]) == []


def test_the_detector_finds_another_editions_text(project: Project, texts: dict) -> None:
    # The school build holds school text: given the workplace edition's secrets, the walker finds it,
    # in the site page, the search index and the workbook PDF.
    found = leaks(secrets_for(project, "workplace"), texts[("school", "participant")])
    assert any(f.startswith("modules/01-first-steps/01-listening") for f in found), found
    assert any(f.startswith("search/search_index.json") for f in found), found
    assert any(f.startswith("downloads/workbook.pdf") for f in found), found
    found = leaks(secrets_for(project, "school"), texts[("workplace", "facilitator")])
    assert any("WORKONLY Your employee assistance" in f for f in found), found  # the workplace-only question


def test_the_school_facilitator_paragraph_only_in_the_school_facilitator_build(texts: dict) -> None:
    probe = "SCHOOLONLY Remind students that you must pass on"
    assert any(probe in t for t in texts[("school", "facilitator")].values())
    for key in [("school", "participant"), ("workplace", "facilitator"), ("community", "facilitator")]:
        assert not any(probe in t for t in texts[key].values()), key


def test_the_facilitator_notes_keep_their_own_editions_adaptation(texts: dict) -> None:
    school = "".join(texts[("school", "facilitator")].values())
    work = "".join(texts[("workplace", "facilitator")].values())
    assert "SCHOOLONLY Use examples from class life" in school and "WORKONLY Use examples from team" not in school
    assert "WORKONLY Use examples from team life" in work and "SCHOOLONLY Use examples from class" not in work


def test_the_vocabulary_is_each_editions_own(texts: dict) -> None:
    page = "modules/01-first-steps/01-listening/index.html"
    assert "tell the safeguarding lead straight away. The school counsellor can talk" in \
        texts[("school", "participant")][page]
    assert "tell your line manager or HR straight away. The employee assistance programme can talk" in \
        texts[("workplace", "participant")][page]
    assert "tell the group's organiser straight away. Local services can talk" in \
        texts[("community", "participant")][page]
    for key, files in texts.items():
        assert not [rel for rel, t in files.items() if ":term[" in t or ":Term[" in t], key


def test_the_home_page_says_who_the_edition_is_for(texts: dict) -> None:
    assert "Who it is for Students aged 16 to 18 and school staff." in texts[("school", "participant")]["index.html"]
    assert "Who it is for Employees and managers." in texts[("workplace", "participant")]["index.html"]


def test_a_school_only_lesson_is_only_in_the_school_edition(matrix: Path) -> None:
    assert (matrix / "school" / "uk" / "participant" / "modules" / "01-first-steps" / "03-school-rules").is_dir()
    assert not (matrix / "workplace" / "uk" / "participant" / "modules" / "01-first-steps" / "03-school-rules").exists()


def _pdf_page(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("edition,title", [("school", "School edition"), ("workplace", "Workplace edition"),
                                           ("community", "Community edition")])
def test_the_pdfs_name_the_edition(matrix: Path, edition: str, title: str) -> None:
    downloads = matrix / edition / "uk" / "participant" / "downloads"
    cover = _pdf_page(downloads / "workbook.pdf", 1)
    assert title in cover and "Participant workbook" in cover
    assert title in _pdf_page(downloads / "workbook.pdf", 3)  # the running header
    assert title in _pdf_page(downloads / "certificate.pdf", 1)
    guide = matrix / edition / "uk" / "facilitator" / "downloads" / "facilitator-guide.pdf"
    assert title in _pdf_page(guide, 1)
    others = {"School edition", "Workplace edition", "Community edition"} - {title}
    assert not any(o in cover for o in others)


def test_a_build_without_edition_is_the_default_edition(course: Path, tmp_path: Path) -> None:
    run = run_cli("build", "--root", str(course), "--no-pdf", "--out", str(tmp_path / "site"))
    assert run.code == 0, run.out + run.err
    assert "edition community" in run.out and "region us" in run.out
    run = run_cli("build", "--root", str(course), "--no-pdf", "--edition", "school", "--out", str(tmp_path / "s2"))
    assert run.code == 0 and "edition school" in run.out and "region uk" in run.out  # the edition's default region
    run = run_cli("build", "--root", str(course), "--edition", "schools", "--out", str(tmp_path / "s3"))
    assert run.code == 2 and "no edition 'schools'" in run.err


def test_stats_and_matrix_commands(course: Path) -> None:
    school = run_cli("stats", "--root", str(course), "--edition", "school")
    work = run_cli("stats", "--root", str(course), "--edition", "workplace")
    assert school.code == work.code == 0
    assert school.lines[0] == "edition: school (School edition)"
    assert "lessons: 4;" in school.out and "lessons: 3;" in work.out
    assert "edition workplace: lessons 3" in run_cli("stats", "--root", str(course)).out
    run = run_cli("matrix", "--root", str(course), "--format", "github")
    assert json.loads(run.out) == {"include": [{"edition": "school", "default_region": "uk"},
                                               {"edition": "workplace", "default_region": "us"},
                                               {"edition": "community", "default_region": "us"}]}
    run = run_cli("matrix", "--root", str(course), "--format", "github", "--group", "build")
    include = json.loads(run.out)["include"]
    assert len(include) == 3 * 2 * 2 and {"edition": "school", "region": "uk", "audience": "facilitator"} in include


def test_for_edition_keeps_only_the_editions_items(project: Project) -> None:
    for e in EDITIONS:
        p = for_edition(project, e)
        m1 = p.modules[0]
        assert all(in_edition(les.meta.editions, e) for les in m1.lessons)
        assert [a.id for a in m1.data.activities if a.editions] == (["M1.A9"] if e == "community" else [])
        assert [q.id for q in m1.questions if q.editions] == (["M1.Q90"] if e == "workplace" else [])
        assert len(m1.data.lessons) == len(m1.lessons)
    assert project.modules[0].lessons[0].body.count(":term[") == 1  # the source is untouched
