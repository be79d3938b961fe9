"""One Markdown pipeline (builder.markdown): every target reads the course's Markdown alike.

The structure tests render every lesson and page of the real course with each target's
Markdown (the site's extensions are the ones the generated mkdocs.yml lists) and every YAML
text with the targets that render YAML text, and check that tables, list items and blocks
arrive as elements, never as Markdown syntax in the text: no `|---|` rows, no `!!! `, no list
markers at the start of a line, and as many <table>, <li> and block elements as the source has.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from lxml import html as lxml_html

from builder.markdown import (
    SAFE_TAGS,
    TARGETS,
    blank_comment_lines,
    convert,
    edition_body,
    mkdocs_extensions,
    new_markdown,
)
from builder.model.load import load_project
from builder.model.project import Project
from builder.model.texts import authored_texts, fenced_lines
from builder.render.print.markdown import DocContext, PrintMarkdown
from builder.render.quiz.text import md_html
from builder.render.site.text import block_html, render_body
from tests.helpers import REPO

# -- what the source holds ---------------------------------------------------------------------

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
_BLOCK = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+[A-Za-z][\w-]*")


def source_counts(text: str) -> dict[str, int]:
    """Tables (by their rule row), list items and blocks written in `text`, code left out."""
    lines = blank_comment_lines(text).split("\n")
    code = fenced_lines(lines)
    mine = [line for i, line in enumerate(lines) if i not in code]
    return {"table": sum(bool(_TABLE_RULE.match(x)) for x in mine),
            "li": sum(bool(_ITEM.match(x)) for x in mine),
            "block": sum(bool(_BLOCK.match(x)) for x in mine)}


# -- what a target made ------------------------------------------------------------------------

_MARKDOWN_LEFT = [
    (re.compile(r"^\s*\|.*-{3,}.*\|"), "a table rule row"),
    (re.compile(r"^\s*\|.*\|\s*$"), "a table row"),
    (re.compile(r"!!! |\?\?\?\+? [a-z]"), "block syntax"),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)]) \S"), "a list marker"),
]


_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "div", "blockquote"}


def html_counts(fragment: str) -> dict[str, int]:
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = [el for el in root.iter("div", "details")
              if el.tag == "details" or "admonition" in (el.get("class") or "").split()]
    return {"table": len(root.findall(".//table")), "li": len(root.findall(".//li")), "block": len(blocks)}


def markdown_in_text(fragment: str) -> list[str]:
    """Lines of text (outside code) that still look like Markdown block syntax."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")

    def in_code(el: object) -> bool:
        return any(a.tag in ("code", "pre") for a in [el, *el.iterancestors()])  # type: ignore[attr-defined]

    def block_of(el: object) -> str:
        """The tag of the block the text is in (a heading or cell may start with '1. ')."""
        return next((a.tag for a in [el, *el.iterancestors()] if a.tag in _BLOCKS), "")  # type: ignore[attr-defined]

    found = []
    for el in root.iter():
        parent = el.getparent()
        pieces = [(el.text, el) if not in_code(el) else (None, el),
                  (el.tail, parent) if parent is not None and not in_code(parent) else (None, el)]
        for piece, holder in pieces:
            for line in (piece or "").split("\n"):
                for pattern, what in _MARKDOWN_LEFT:
                    if pattern.search(line) and (what != "a list marker" or block_of(holder) in ("p", "li", "dd")):
                        found.append(f"{what}: {line.strip()!r}")
    return found


@pytest.fixture(scope="module")
def course() -> Project:
    project, diags = load_project(REPO, cache=False)
    assert project is not None, [str(d) for d in diags]
    return project


def _documents(project: Project) -> list:
    return [lesson for m in project.modules for lesson in m.lessons] + list(project.pages)


def _site(text: str) -> str:
    """What MkDocs does with the generated mkdocs.yml: the same extensions, raw HTML passing."""
    names, configs = [], {}
    for ext in mkdocs_extensions({}):
        name = ext if isinstance(ext, str) else next(iter(ext))
        names.append(name)
        if not isinstance(ext, str):
            configs[name] = ext[name]
    return markdown.markdown(text, extensions=names, extension_configs=configs)


def test_site_target_is_the_generated_mkdocs_list() -> None:
    names = [e if isinstance(e, str) else next(iter(e)) for e in mkdocs_extensions({"CBT": "x"})]
    assert names == [name for name, _ in TARGETS["site"].extensions]
    assert {"abbr": {"glossary": {"CBT": "x"}}} in mkdocs_extensions({"CBT": "x"})
    assert [n for n, _ in TARGETS["print"].extensions] == [n for n in names if n != "md_in_html"]


def test_every_lesson_reaches_every_target_as_structure(course: Project) -> None:
    printer = PrintMarkdown(course.root, None)  # no region: help blocks get no extra list
    region = course.resources.regions[course.course.default_region]
    problems = []
    checked = 0
    for doc in _documents(course):
        body = edition_body(doc.body, facilitator=True)
        want = source_counts(doc.body)
        outputs = {
            "site": _site(body),
            "print": printer.block(body, DocContext(doc.path)),
        }
        for target, out in outputs.items():
            got = html_counts(out)
            if got != want:
                problems.append(f"{doc.path} ({target}): source has {want}, output has {got}")
            problems += [f"{doc.path} ({target}): {p}" for p in markdown_in_text(out)]
        # The page as the site hands it to MkDocs: participant edition, crisis lines added.
        page = _site(render_body(doc.body, facilitator=False, region=region, help_link="help.md"))
        problems += [f"{doc.path} (site page): {p}" for p in markdown_in_text(page)]
        checked += 1
    assert checked >= 30
    assert problems == []


def test_every_yaml_text_reaches_its_targets_as_structure(course: Project) -> None:
    """Module notes and summaries go into site pages and PDFs; quiz text also into the
    site's quiz pages (site-fragment) and the LMS files."""
    printer = PrintMarkdown(course.root, None)
    problems = []
    lists = 0
    for t in authored_texts(course):
        if t.kind != "value" or not t.prose:
            continue
        want = source_counts(t.text)
        lists += want["li"]
        outputs = [("site", _site(t.text)), ("print", printer.block(t.text, DocContext(t.path)))]
        if t.path.startswith("quizzes/"):
            outputs += [("site-fragment", block_html(t.text)), ("lms", md_html(t.text))]
        for target, out in outputs:
            got = html_counts(out) if out.strip() else {"table": 0, "li": 0, "block": 0}
            if got != want:
                problems.append(f"{t.where} {t.key} ({target}): source has {want}, output has {got}")
            problems += [f"{t.where} {t.key} ({target}): {p}" for p in markdown_in_text(out)]
    assert lists > 0  # the course's YAML does hold lists: the test saw them
    assert problems == []


def test_the_words_matter_table_is_a_table_in_every_target(course: Project) -> None:
    """The table right under a suppression marker in M1 'Words matter' (the workbook used to
    print it as '| Instead of | Try | |---|---|')."""
    lesson = next(x for m in course.modules for x in m.lessons if x.path.endswith("05-words-matter.md"))
    assert re.search(r"<!--.*-->\n\|", lesson.body), "the lesson no longer has a table under a marker"
    body = edition_body(lesson.body, facilitator=False)
    for out in (_site(body), PrintMarkdown(course.root, None).block(body, DocContext(lesson.path))):
        root = lxml_html.fragment_fromstring(out, create_parent="div")
        heads = [" ".join(th.text_content().split()) for th in root.iter("th")]
        assert "Instead of" in heads
        assert "course: allow" not in out


# -- the factory's rules, on small inputs -------------------------------------------------------


@pytest.mark.parametrize("target", [t for t, spec in TARGETS.items() if spec.raw_html == "safe"])
def test_safe_targets_pass_the_subset_and_print_other_tags_as_text(target: str) -> None:
    md = new_markdown(target)
    out = convert(md, 'A <kbd>Tab</kbd> and <abbr title="x">X</abbr> <script>alert(1)</script> <care>')
    assert "<kbd>Tab</kbd>" in out and '<abbr title="x">X</abbr>' in out
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;care&gt;" in out
    assert set(SAFE_TAGS) == {"abbr", "br", "kbd", "mark", "small", "sub", "sup"}


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_comment_line_never_glues_a_table_or_list_to_it(target: str) -> None:
    extensions = [n for n, _ in TARGETS[target].extensions]
    md = new_markdown(target)
    out = convert(md, "Text.\n<!-- course: allow S13 reason=\"x\" -->\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                      "<!-- note -->\n- one\n- two\n\nInline <!-- gone --> words.")
    assert "course: allow" not in out and "note" not in out
    # Inside a line a comment vanishes, except on the site's pages (MkDocs keeps raw HTML).
    assert ("gone" in out) == (TARGETS[target].raw_html == "builder")
    assert out.count("<li>") == 2
    assert ("<table>" in out) == ("tables" in extensions)
    assert not markdown_in_text(out) or "tables" not in extensions


def test_comment_lines_in_code_stay_and_positions_hold() -> None:
    text = "a\n<!-- x -->\n```\n<!-- code -->\n```\n    <!-- in a block -->\nb <!-- inline --> c\n<!--\nmany\n-->\n"
    out = blank_comment_lines(text)
    assert out.split("\n") == ["a", "", "```", "<!-- code -->", "```", "", "b <!-- inline --> c", "", "", "", ""]


def test_edition_body_drops_facilitator_blocks_only_for_participants() -> None:
    body = '!!! facilitator\n    Secret.\n\n!!! help\n    Talk to someone.\n'
    assert "Secret" not in edition_body(body, facilitator=False)
    assert '!!! facilitator "' in edition_body(body, facilitator=True)
    assert '!!! help "If you need help now"' in edition_body(body, facilitator=False)


def test_mkdocs_yml_may_not_set_extensions(tmp_path: Path) -> None:
    from builder.render import RenderError
    from builder.render.site.config import load_base_config

    project, _ = load_project(REPO / "tests/fixtures/curricula/minimal", cache=False)
    assert project is not None
    fake = type("P", (), {"root": tmp_path})()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n\nmarkdown_extensions:\n  - tables\n")
    with pytest.raises(RenderError) as e:
        load_base_config(fake)  # type: ignore[arg-type]
    d = e.value.diagnostics[0]
    assert (d.where.path, d.where.line, d.code) == ("mkdocs.yml", 3, "site.setup")
