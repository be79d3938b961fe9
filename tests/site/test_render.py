"""The built site as files: pages, links, editions, what participants must never see.

These read the HTML with lxml and the search index as JSON: independent of our renderer.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from builder.model.blocks import find_blocks
from builder.model.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Reflection,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from builder.render import BuildOptions, RenderError
from builder.render.site import render_site
from builder.render.site.config import build_folder
from builder.render.site.text import render_body
from tests.helpers import course_copy, run_cli
from tests.site.conftest import BUILD_DATE, REVISION, Site, load
from tests.site.support import broken_links, page_text, search_index_text, squash, visible_text

pytestmark = pytest.mark.xdist_group("site")


def doc(site: Site, url: str) -> lxml.html.HtmlElement:
    path = site.root / url / "index.html" if not url.endswith(".html") else site.root / url
    return lxml.html.fromstring(path.read_bytes())


def text_of(site: Site, url: str) -> str:
    path = site.root / url / "index.html" if not url.endswith(".html") else site.root / url
    return visible_text(path)


def all_text_files(site: Site) -> dict[str, str]:
    files = [*site.root.rglob("*.html"), *site.root.rglob("search_index.*")]
    return {p.relative_to(site.root).as_posix(): page_text(p) for p in sorted(files)}


def facilitator_texts(site: Site) -> list[str]:
    """Every piece of facilitator-only text in the course model, one sentence-sized piece each."""
    project = site.project
    out: list[str] = []
    bodies = [(lesson.body) for m in project.modules for lesson in m.lessons] + [p.body for p in project.pages]
    for body in bodies:
        lines = body.split("\n")
        for block in find_blocks(body):
            if block.kind == "facilitator":
                out.append(" ".join(block.lines(lines)))
    for m in project.modules:
        notes = m.data.facilitator_notes
        out += [t for t in (notes.preparation, notes.timing, notes.sensitive_moments, notes.disclosure) if t]
        out += [t for t in notes.adaptations.model_dump().values() if t]
    out += [p.body.strip().split("\n")[-1] for p in project.pages
            if project.page_audience[p.path] == "facilitator"]
    return [squash(t) for t in out]


def answer_texts(site: Site) -> list[str]:
    """Feedback and model answers from the quiz banks (answer keys)."""
    out: list[str] = []
    for _, q in site.project.all_questions():
        out += [t for t in (q.feedback.general, q.feedback.correct, q.feedback.incorrect) if t]
        if isinstance(q, (SingleChoice, MultipleResponse)):
            out += [o.feedback for o in q.options if o.feedback]
        if isinstance(q, TrueFalse):
            out += [t for t in (q.feedback_true, q.feedback_false) if t]
        if isinstance(q, Reflection) and q.model_answer:
            out.append(q.model_answer)
    return [squash(t) for t in out]


# -- pages -------------------------------------------------------------------------------------


def test_every_page_is_there(participant_site: Site, facilitator_site: Site) -> None:
    urls = {p.relative_to(participant_site.root).as_posix() for p in participant_site.html_files()}
    expected = {"index.html", "404.html", "glossary/index.html", "help/index.html", "downloads/index.html",
                "about/index.html", "curriculum/pages/welcome/index.html",
                "curriculum/pages/organisers/index.html",  # organiser pages: in both editions
                "modules/01-first-steps/index.html", "modules/01-first-steps/01-listening/index.html",
                "modules/01-first-steps/02-noticing/index.html", "modules/01-first-steps/activities/index.html",
                "modules/01-first-steps/key-points/index.html", "modules/01-first-steps/quiz/index.html",
                "modules/02-second-steps/02-getting-help/index.html", "modules/02-second-steps/quiz/index.html"}
    assert expected <= urls
    assert "curriculum/pages/running-a-session/index.html" not in urls  # facilitator-only page
    assert (facilitator_site.root / "curriculum/pages/running-a-session/index.html").is_file()
    assert (participant_site.root / "modules/02-second-steps/images/steps.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("edition", ["participant_site", "facilitator_site", "offline_site"])
def test_no_broken_internal_links(edition: str, request: pytest.FixtureRequest) -> None:
    site: Site = request.getfixturevalue(edition)
    assert broken_links(site.root) == []


def test_link_checker_finds_a_broken_link(participant_site: Site, tmp_path: Path) -> None:
    # The checker itself must be able to fail.
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(participant_site.root, copy)
    (copy / "downloads" / "workbook-us.pdf").unlink()
    page = copy / "about" / "index.html"
    page.write_text(page.read_text().replace('href="../help/"', 'href="../help/#nowhere"', 1))
    problems = broken_links(copy)
    assert any("workbook-us.pdf (no file)" in p for p in problems)
    assert any("#nowhere (no such id)" in p for p in problems)


def test_home_page(participant_site: Site) -> None:
    text = text_of(participant_site, "")
    course = participant_site.project.course
    assert doc(participant_site, "").xpath("string(//article//h1)").strip() == course.title
    assert "Who it is for" in text and squash(course.audience) in text
    assert all(squash(o) in text for o in course.outcomes)
    assert "CONTENT-NOTE-MARKER" in text  # the content note page's note, on the home page
    assert "1. Keep it confidential" not in text and "Keep it confidential" in text  # ground rules list
    items = doc(participant_site, "").xpath("//div[contains(@class,'cards')][last()]//li")
    cards = [squash(li.text_content()) for li in items]
    assert [c.split(" What")[0] for c in cards] == ["Module 1: First steps", "Module 2: Second steps"]
    assert "About 45 min · 2 lessons" in cards[0] and "About 30 min · 2 lessons" in cards[1]


def test_module_overview(participant_site: Site) -> None:
    page = doc(participant_site, "modules/01-first-steps")
    text = squash(page.text_content())
    assert "Describe what active listening is." in text and "Identify a sign that a friend is struggling." in text
    rows = [[squash(td.text_content()) for td in tr.xpath("td")] for tr in page.xpath("//article//table//tr[td]")]
    assert rows[0] == ["Lesson 1", "Listening well", "10 min"]
    assert rows[2] == ["Role-play", "Practise listening", "10 min"]
    assert rows[-1] == ["", "Whole module", "45 min"]
    handout = page.xpath("//a[contains(., 'module handout')]/@href")
    assert handout == ["../../downloads/handout-01-first-steps.pdf"]
    assert not doc(participant_site, "modules/02-second-steps").xpath("//a[contains(., 'module handout')]")


def test_no_pdf_links_without_pdfs(tmp_path: Path) -> None:
    from tests.site.conftest import ARTIFACTS

    root = course_copy(tmp_path)
    render_site(load(root), tmp_path / "out", BuildOptions(region="us", pdf=False), ARTIFACTS)
    overview = visible_text(tmp_path / "out/modules/01-first-steps/index.html")
    downloads = visible_text(tmp_path / "out/downloads/index.html")
    assert "handout" not in overview.lower() and "workbook" not in downloads.lower()
    assert "Moodle XML" in downloads


def test_titles_are_text_never_markup(participant_site: Site) -> None:
    title = 'Getting help <now> & "later"'
    for page in participant_site.html_files():
        assert not lxml.html.fromstring(page.read_bytes()).xpath("//now"), page
    lesson = doc(participant_site, "modules/02-second-steps/02-getting-help")
    assert squash(lesson.xpath("string(//article//h1)")) == title
    assert title in [squash(a.text_content()) for a in lesson.xpath("//nav[contains(@class,'md-nav--primary')]//a")]
    assert lesson.xpath("string(//title)").startswith(title)


def test_lesson_activities_key_points(participant_site: Site) -> None:
    lesson = text_of(participant_site, "modules/01-first-steps/01-listening")
    assert "Lesson 1 of 2 in Module 1: First steps · about 10 min" in lesson
    activities = doc(participant_site, "modules/01-first-steps/activities")
    assert activities.xpath("//h2[@id='m1-a1']") and "Speaker" in activities.text_content()
    assert "Did the listener let silence happen?" in activities.text_content()
    assert "Notice changes, then ask." in text_of(participant_site, "modules/01-first-steps/key-points")


def test_help_blocks_get_the_regions_crisis_lines(participant_site: Site) -> None:
    page = doc(participant_site, "modules/02-second-steps/02-getting-help")
    block = page.xpath("//div[contains(@class,'admonition') and contains(@class,'help')]")[0]
    text = squash(block.text_content())
    assert "HELP-BLOCK-MARKER" in text and "988 Suicide & Crisis Lifeline" in text and "call 911" in text
    assert {"tel:988", "tel:911", "https://988lifeline.org/chat/"} <= set(block.xpath(".//a/@href"))
    region = participant_site.project.resources.regions["uk"]
    md = render_body("!!! help\n    Reach out.\n", facilitator=False, region=region, help_link="../help.md")
    assert "[Call 116 123](tel:116123)" in md and "[999](tel:999)" in md and "988" not in md


def test_help_page_and_header_link(participant_site: Site) -> None:
    text = text_of(participant_site, "help")
    assert "Call 911 now." in text and "988 Suicide & Crisis Lifeline" in text
    assert "Support and crisis lines in the United States." in text and "in United States" not in text
    assert "Samaritans" not in text  # another region
    for page in participant_site.html_files():
        links = lxml.html.fromstring(page.read_bytes()).xpath("//header//a[@data-course-help]")
        assert len(links) == 1 and squash(links[0].text_content()) == "Get help now", page


def test_downloads_lists_every_artifact(participant_site: Site) -> None:
    page = doc(participant_site, "downloads")
    for a in participant_site.artifacts:
        item = page.xpath(f"//li[a[@href='{posixpath.relpath(a.path, 'downloads')}']]")
        assert len(item) == 1, a.path
        assert a.title in item[0].text_content() and a.description in item[0].text_content()


def test_about_page(participant_site: Site) -> None:
    text = text_of(participant_site, "about")
    for expected in ("Fixture Course", "0.1.0", BUILD_DATE, REVISION, "Participant edition",
                     "Creative Commons Attribution-ShareAlike 4.0 International"):
        assert expected in text


def test_glossary_page_and_tooltips_everywhere(participant_site: Site) -> None:
    glossary = doc(participant_site, "glossary")
    assert glossary.xpath("//dt[@id='term-stigma']") and glossary.xpath("//a[@href='#term-active-listening']")
    lesson = doc(participant_site, "modules/01-first-steps/02-noticing")
    assert lesson.xpath("//article//abbr[@title='Negative beliefs about a group of people that lead to unfair "
                        "treatment.' and .='Stigma']")
    quiz = doc(participant_site, "modules/01-first-steps/quiz")
    assert quiz.xpath("//section[@data-qid='m1-q02']//abbr[.='active listening']")  # in our raw HTML too


# -- editions: what participants never see ----------------------------------------------------


def test_no_facilitator_text_in_the_participant_site(participant_site: Site, facilitator_site: Site) -> None:
    secrets = facilitator_texts(participant_site)
    assert len(secrets) >= 6 and any("FACILITATOR-ONLY-MARKER" in s for s in secrets)
    for name, text in all_text_files(participant_site).items():
        assert [s for s in secrets if s in text] == [], name
    # The same test finds them in the facilitator edition, with its banner on every page.
    everything = " ".join(all_text_files(facilitator_site).values())
    assert [s for s in secrets if s not in everything] == []
    for page in facilitator_site.html_files():
        assert "Facilitator edition." in visible_text(page), page


def test_answer_keys_only_in_the_self_check_feedback(participant_site: Site, facilitator_site: Site) -> None:
    bodies = squash(" ".join(x.body for m in participant_site.project.modules for x in m.lessons))
    answers = [a for a in answer_texts(participant_site) if a not in bodies]
    assert len(answers) >= 10
    index = search_index_text(participant_site.root)
    assert [a for a in answers if a in index] == []
    for page in participant_site.html_files():
        visible = visible_text(page)
        assert [a for a in answers if a in visible] == [], page
        if "/quiz/" not in page.as_posix():
            assert [a for a in answers if a in page_text(page)] == [], page
    # The answers are in the quiz data that gives feedback, and in the facilitator's answer key.
    quiz = page_text(participant_site.root / "modules/01-first-steps/quiz/index.html")
    assert "It invites the person to say more." in quiz
    key = text_of(facilitator_site, "modules/01-first-steps/quiz")
    assert "Answer key (facilitator edition)" in key and "How have things been for you lately?" in key
    assert "Answer key" not in text_of(participant_site, "modules/01-first-steps/quiz")


# -- quizzes -----------------------------------------------------------------------------------


def test_quiz_markup_and_data(participant_site: Site) -> None:
    page = doc(participant_site, "modules/01-first-steps/quiz")
    module = participant_site.project.module("M1")
    sections = page.xpath("//section[@data-qid]")
    assert [s.get("data-type") for s in sections] == [q.type for q in module.questions]
    data = json.loads(page.xpath("string(//div[@class='course-quiz']/@data-answers)"))
    assert data["total"] == 6  # every auto-graded question's points; the reflection is not scored
    for section, q in zip(sections, module.questions, strict=False):
        assert section.xpath(".//h2") and section.xpath(".//fieldset/legend")
        qd = data["questions"][section.get("data-qid")]
        if isinstance(q, SingleChoice):
            assert [o["correct"] for o in qd["options"]] == [o.correct for o in q.options]
        if isinstance(q, ShortAnswer):
            assert qd["accepted"] == q.accepted
        if isinstance(q, Matching):
            shown = [o.text for o in section.xpath("(.//select)[1]/option")][1:]
            assert shown == sorted(shown, key=str.lower)
            assert [shown[int(v) - 1] for v in qd["answers"]] == [p.right for p in q.pairs]
        if isinstance(q, Ordering):
            start = [squash(t.text_content()) for t in section.xpath(".//*[@class='course-quiz__item-text']")]
            assert sorted(start) == sorted(q.items) and start != q.items
    special = doc(participant_site, "modules/02-second-steps/quiz").xpath("//section[@data-qid='m2-q01']//legend")
    assert 'Use <care> & "quotes".' in squash(special[0].text_content())


# -- the build ---------------------------------------------------------------------------------


def test_offline_edition(offline_site: Site) -> None:
    root = offline_site.root
    assert (root / "index.html").is_file() and (root / "modules/01-first-steps/01-listening.html").is_file()
    assert "var __index =" in (root / "search/search_index.js").read_text()[:20]
    home = (root / "index.html").read_text()
    config = json.loads(lxml.html.fromstring(home).xpath("string(//script[@id='__config'])"))
    assert not [f for f in config["features"] if f.startswith("navigation.instant")]
    assert '<script src="assets/iframe-worker.js">' in home
    assert not [p for p in root.rglob("*.html") if re.search(r"(src|href)=\"(https?:)?//", p.read_text())
                and "unpkg" in p.read_text()]


def test_generated_folder_is_a_complete_mkdocs_project(participant_site: Site) -> None:
    folder = build_folder(participant_site.project, participant_site.opts)
    config = yaml.safe_load((folder / "mkdocs.yml").read_text())
    assert config["theme"]["font"] is False and config["theme"]["custom_dir"] == "overrides"
    assert config["nav"][0] == {"Home": "index.md"}
    glossary = next(e["abbr"]["glossary"] for e in config["markdown_extensions"] if isinstance(e, dict) and "abbr" in e)
    assert glossary["stigma"].startswith("Negative beliefs")
    assert (folder / "docs/assets/fonts/atkinson-hyperlegible-latin-400-normal.woff2").stat().st_size > 10_000
    assert (folder / "overrides/partials/header.html").is_file()


def test_rebuild_rewrites_only_what_changed(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    opts = BuildOptions(region="us", build_date=BUILD_DATE)
    pages = render_site(load(root), tmp_path / "a", opts, [])
    assert len(pages) == 18 and all((tmp_path / "a" / p.path).is_file() for p in pages)
    assert {p.kind for p in pages} == {"page"}
    folder = build_folder(load(root), opts)
    lesson, other = folder / "docs/modules/01-first-steps/01-listening.md", folder / "docs/about.md"
    stamps = (lesson.stat().st_mtime_ns, other.stat().st_mtime_ns)
    (folder / "docs/stale.md").write_text("left over")
    source = root / "modules/01-first-steps/01-listening.md"
    source.write_text(source.read_text().replace("Put your phone away.", "Put your phone away, please."))
    render_site(load(root), tmp_path / "b", opts, [])
    assert "please." in lesson.read_text() and lesson.stat().st_mtime_ns != stamps[0]
    assert other.stat().st_mtime_ns == stamps[1]
    assert not (folder / "docs/stale.md").exists()
    assert "Put your phone away, please." in visible_text(tmp_path / "b/modules/01-first-steps/01-listening/index.html")


def test_same_source_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    root = course_copy(tmp_path)
    opts = BuildOptions(region="us", build_date=BUILD_DATE)
    for out in ("one", "two"):
        render_site(load(root), tmp_path / out, opts, [])
    def files(name: str) -> dict[str, bytes]:
        return {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / name).rglob("*")) if p.is_file()}
    one, two = files("one"), files("two")
    assert one.keys() == two.keys() and [k for k in one if one[k] != two[k]] == []


def test_broken_link_fails_the_build_at_its_source(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    lesson = root / "modules/01-first-steps/02-noticing.md"
    lesson.write_text(lesson.read_text() + "\nSee [the next part](03-missing.md) and [notes](module.yaml).\n")
    with pytest.raises(RenderError) as e:
        render_site(load(root), tmp_path / "out", BuildOptions(region="us"), [])
    lines = [d.format() for d in e.value.diagnostics]
    assert any(line.startswith("modules/01-first-steps/02-noticing.md:1:1: error: site: ")
               and "03-missing.md" in line and "[site.mkdocs]" in line for line in lines), lines
    assert any("module.yaml" in line for line in lines), lines  # YAML (answers, notes) is never published


def test_unknown_region_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError) as e:
        render_site(load(course_copy(tmp_path)), tmp_path / "out", BuildOptions(region="fr"), [])
    assert "no region 'fr'" in e.value.diagnostics[0].message


def test_course_build_command(tmp_path: Path) -> None:
    root = course_copy(tmp_path)
    run = run_cli("build", "--root", str(root), "--no-pdf", "--region", "uk")
    assert run.code == 0, run.out + run.err
    help_page = visible_text(root / "site/help/index.html")
    assert "Samaritans" in help_page and "Call 999 now." in help_page
    downloads = doc(Site(root / "site", load(root), BuildOptions(region="uk"), []), "downloads")
    for href in downloads.xpath("//article//a/@href"):
        assert (root / "site/downloads" / href).is_file(), href


def test_questions_a_form_draws_are_never_self_checked_by_participants(participant_site: Site,
                                                                        facilitator_site: Site) -> None:
    """The site self-check shows answers after checking, so a question an assessment form
    draws (its answers are the post-test's answers) is on the facilitator's quiz page only."""
    from tests.site.conftest import FORM_QUESTION

    form_qid = FORM_QUESTION.lower().replace(".", "-")
    q = next(q for _, q in participant_site.project.all_questions() if q.id == FORM_QUESTION)
    secret = squash(q.feedback_false or q.feedback.general or "")
    assert secret
    for name, text in all_text_files(participant_site).items():
        assert form_qid not in text and secret not in text, name
    page = doc(facilitator_site, "modules/02-second-steps/quiz")
    data = json.loads(page.xpath("string(//div[@class='course-quiz']/@data-answers)"))
    assert form_qid in data["questions"] and page.xpath(f"//section[@data-qid='{form_qid}']")
    # The other question of that module is still there for participants.
    assert doc(participant_site, "modules/02-second-steps/quiz").xpath("//section[@data-qid='m2-q01']")


def test_downloads_say_where_organisers_get_the_lms_files(participant_site: Site, facilitator_site: Site) -> None:
    text = text_of(participant_site, "downloads")
    assert "Quiz files for learning platforms" in text and "course build --audience facilitator" in text
    assert not doc(participant_site, "downloads").xpath("//a[contains(@href, 'quizzes/')]")
    fac = doc(facilitator_site, "downloads")
    assert fac.xpath("//a[contains(@href, 'quizzes/moodle.xml')]")
    assert "do not share them with participants" in text_of(facilitator_site, "downloads")


def test_every_region_reads_naturally_in_a_sentence() -> None:
    """"in United States" is wrong English: the region data says how a sentence names it."""
    from builder.model.load import load_project
    from tests.helpers import REPO

    project, _ = load_project(REPO)
    assert project is not None
    expected = {"us": "the United States", "uk": "the United Kingdom", "ie": "Ireland", "ca": "Canada",
                "au": "Australia"}
    assert {k: r.place_name for k, r in project.resources.regions.items() if k in expected} == expected
