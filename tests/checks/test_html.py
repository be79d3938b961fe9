"""Hostile input: raw HTML, attribute lists, dangerous URLs, and paths that leave the project.

Each case writes authored text into a copy of the minimal fixture and compares the exact
diagnostic lines of `builder.checks.html` and `builder.checks.paths` (run directly, so other
checks' findings do not blur the picture; one test goes through `course check`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder.checks.html import check_html, mask_code, url_scheme
from builder.checks.paths import check_paths
from builder.diagnostics import sort_unique
from builder.model.load import load_project
from tests.helpers import check_lines, course_copy, run_cli
from tests.model.test_load_errors import BANK, LESSON, MODULE, fixture_text

FRONT = "---\ntitle: Listening well\nduration: 10\nobjectives: [M1.O1]\n---\n\n"
HINT_TAG = ("    hint: write Markdown instead; the allowed tags are <abbr title>, <br>, <kbd>, <mark>, <small>, "
            "<sub>, <sup>; to show a literal '<', write '\\<' or put the text in `code`")
L = LESSON


def lines(root: Path, hints: bool = False) -> list[str]:
    project, load_problems = load_project(root)
    assert project is not None and not load_problems, [d.format() for d in load_problems]
    out = []
    for d in sort_unique(check_html(project) + check_paths(project)):
        out.extend(d.format().split("\n") if hints else [d.format().split("\n")[0]])
    return out


def lesson(tmp_path: Path, body: str, **files: str | bytes) -> Path:
    return course_copy(tmp_path, files={LESSON: FRONT + body, **files})


def test_safe_subset_code_and_escapes_are_clean(tmp_path: Path) -> None:
    body = (
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>. H<sub>2</sub>O, x<sup>2</sup>, <mark>this</mark>, "
        "<small>that</small>.<br>\n"
        'Line two<br/> with <abbr title="cognitive behavioural therapy">CBT</abbr>.\n\n'
        '<!-- course: allow S13 reason="quoting a myth" -->\n'
        "Use `<script>` in code, ``a ` <iframe>`` too, \\<style> escaped, and <name> in brackets.\n"
        "See <https://988lifeline.org/?a=b> or <team@example.org>, 1 < 2 and 3 > 2.\n\n"
        '```html\n<iframe src="https://example.org"></iframe>\n```\n\n'
        '!!! note "Inside a block"\n    ~~~\n    <script>alert(1)</script>\n    ~~~\n'
        "    Still <kbd>fine</kbd>. {: #anchor .wide lang=fr title='x' }\n"
    )
    root = lesson(tmp_path, body)
    assert lines(root) == []
    # Through `course check` too, with the fixture's own special characters (`<care>` in a quiz stem).
    run = run_cli("check", "--root", str(root))
    assert run.lines[-1].endswith(" in 13 files")
    assert not [line for line in run.lines if re.search(r"\[(html|image|include|file)\.", line)]


def test_raw_html_outside_the_subset_names_the_line(tmp_path: Path) -> None:
    body = (
        'Hello <script>alert(1)</script> and <iframe src="https://evil.example"></iframe>.\n'  # 7
        "<style>body { display: none }</style>\n"
        '<img src="x.png" onerror="alert(1)"> and <SVG/onload=alert(1)> and </div>\n'
        '<kbd onclick="steal()">K</kbd> <abbr title="t" style="color:red">A</abbr> <sup class="x">1</sup>\n'
        '<care onmouseover="alert(1)">hover</care> <!DOCTYPE html> <?php echo 1 ?>\n'  # 11
        "<!-- fine --> <!-- x --!> <b>after</b>\n"
        '## Heading {: onclick="alert(1)" #top .big lang=fr }\n'
        "<!--> <kbd>x</kbd>\n"  # 14
        "```\n"
        "never closed, so not code <script>alert(2)</script>\n"
        '<a href="#" onclick="x\n'
    )
    assert lines(lesson(tmp_path, body)) == [
        f"{L}:7:7: error: raw HTML <script> is not allowed [html.tag]",
        f"{L}:7:37: error: raw HTML <iframe> is not allowed [html.tag]",
        f"{L}:8:1: error: raw HTML <style> is not allowed [html.tag]",
        f"{L}:9:1: error: raw HTML <img> is not allowed [html.tag]",
        f"{L}:9:42: error: raw HTML <svg> is not allowed [html.tag]",
        f"{L}:9:68: error: raw HTML </div> is not allowed [html.tag]",
        f"{L}:10:6: error: attribute 'onclick' is not allowed on <kbd> [html.attribute]",
        f"{L}:10:48: error: attribute 'style' is not allowed on <abbr> [html.attribute]",
        f"{L}:10:80: error: attribute 'class' is not allowed on <sup> [html.attribute]",
        f"{L}:11:1: error: raw HTML <care> is not allowed [html.tag]",
        f"{L}:11:43: error: raw HTML <!DOCTYPE> is not allowed [html.tag]",
        f"{L}:11:59: error: raw HTML <?...?> is not allowed [html.tag]",
        f"{L}:12:15: error: HTML comment is ended by '--!>' [html.tag]",
        f"{L}:12:27: error: raw HTML <b> is not allowed [html.tag]",
        f"{L}:13:15: error: attribute 'onclick' is not allowed in an attribute list [html.attribute]",
        f"{L}:14:1: error: HTML comment '<!-->' ends where it starts [html.tag]",
        f"{L}:16:27: error: raw HTML <script> is not allowed [html.tag]",
        f"{L}:17:1: error: unfinished HTML tag <a> is not allowed [html.tag]",
    ]


def test_hints_say_what_to_write_instead(tmp_path: Path) -> None:
    body = '<iframe></iframe> <kbd onclick="x">k</kbd> <abbr id="a">A</abbr>\n## H {: style="color: red" }\n'
    assert lines(lesson(tmp_path, body), hints=True) == [
        f"{L}:7:1: error: raw HTML <iframe> is not allowed [html.tag]",
        HINT_TAG,
        f"{L}:7:24: error: attribute 'onclick' is not allowed on <kbd> [html.attribute]",
        "    hint: event handlers (on...=) are never allowed: the course runs no author scripts",
        f"{L}:7:50: error: attribute 'id' is not allowed on <abbr> [html.attribute]",
        "    hint: <abbr> takes only: title",
        f"{L}:8:9: error: attribute 'style' is not allowed in an attribute list [html.attribute]",
        "    hint: style attributes are never allowed: the course's stylesheets set the look",
    ]


def test_unclosed_comment_is_an_error(tmp_path: Path) -> None:
    body = "Fine.\n\n<!-- a comment that never ends\n<script>alert(1)</script>\n"
    assert lines(lesson(tmp_path, body)) == [f"{L}:9:1: error: HTML comment is not closed with '-->' [html.tag]"]


def test_dangerous_urls_however_they_are_written(tmp_path: Path) -> None:
    body = (
        "[Click](javascript:alert(1)) ![pic](jav&#97;script:alert(1)) [two](<vbscript:msgbox>)\n"  # 7
        "[three](javascript\\:x) <javascript:alert(1)> ![data](data:image/png;base64,AAAA)\n"
        "[four]( \tJaVaScRiPt:void(0) ) [fine](https://988lifeline.org/) `[code](javascript:x)`\n\n"
        "[ref]: JavaScript:alert(1)\n"  # 11
    )
    assert lines(lesson(tmp_path, body)) == [
        f"{L}:7:9: error: link 'javascript:alert(1)' uses the 'javascript:' scheme, which is not allowed [html.url]",
        f"{L}:7:37: error: image 'jav&#97;script:alert(1)' uses the 'javascript:' scheme, which is not allowed "
        "[html.url]",
        f"{L}:7:69: error: link 'vbscript:msgbox' uses the 'vbscript:' scheme, which is not allowed [html.url]",
        f"{L}:8:9: error: link 'javascript\\:x' uses the 'javascript:' scheme, which is not allowed [html.url]",
        f"{L}:8:25: error: link 'javascript:alert(1)' uses the 'javascript:' scheme, which is not allowed "
        "[html.url]",
        f"{L}:8:54: error: image 'data:image/png;base64,AAAA' uses the 'data:' scheme, which is not allowed "
        "[html.url]",
        f"{L}:9:10: error: link 'JaVaScRiPt:void(0)' uses the 'javascript:' scheme, which is not allowed "
        "[html.url]",
        f"{L}:11:8: error: link 'JavaScript:alert(1)' uses the 'javascript:' scheme, which is not allowed "
        "[html.url]",
    ]


def test_yaml_text_fields_are_checked_where_the_value_starts(tmp_path: Path) -> None:
    module = (
        fixture_text(MODULE)
        .replace("summary: What the first module covers.", "summary: What the <iframe src=x></iframe> covers.")
        .replace("preparation: Print the scenario cards.",
                 'preparation: |\n    Print the cards.\n    <kbd onclick="x">P</kbd>')
        .replace("  - Notice changes, then ask.", "  - Notice changes, then ask. ![x](https://example.org/x.png)")
    )
    module2 = fixture_text("modules/02-second-steps/module.yaml").replace(
        "instructions: Fill in the plan.", "instructions: Fill in [the plan](plan.pdf).")
    bank = (
        fixture_text(BANK)
        .replace("stem: Which of these is an open question?", "stem: Which of these <script>x</script> is open?")
        .replace("feedback: It shows attention.", "feedback: '[More](javascript:alert(1))'")
    )
    resources = fixture_text("curriculum/resources.yaml").replace(
        "source: https://www.samaritans.org/", "source: 'javascript:alert(1)'")
    root = course_copy(tmp_path, files={MODULE: module, "modules/02-second-steps/module.yaml": module2, BANK: bank,
                                        "curriculum/resources.yaml": resources})
    assert lines(root) == [
        "curriculum/resources.yaml:37:17: error: URL 'javascript:alert(1)' uses the 'javascript:' scheme, which "
        "is not allowed [html.url]",
        "modules/01-first-steps/module.yaml:4:10: error: raw HTML <iframe> is not allowed [html.tag]",
        "modules/01-first-steps/module.yaml:36:5: error: image 'https://example.org/x.png' is loaded from "
        "another site [image.remote]",
        "modules/01-first-steps/module.yaml:38:16: error: attribute 'onclick' is not allowed on <kbd> "
        "[html.attribute]",
        "modules/02-second-steps/module.yaml:17:19: error: linked file 'plan.pdf' does not exist [file.missing]",
        "quizzes/01-first-steps.yaml:11:11: error: raw HTML <script> is not allowed [html.tag]",
        "quizzes/01-first-steps.yaml:29:19: error: link 'javascript:alert(1)' uses the 'javascript:' scheme, "
        "which is not allowed [html.url]",
    ]


def test_images_and_local_links_stay_inside_the_project(tmp_path: Path) -> None:
    body = (
        '![An ear](images/ear%20drawing.png "a drawing") and ![Same](<images/ear drawing.png>)\n'  # 7
        "See [the next lesson](02-noticing.md#signs-to-notice), [module 2](../02-second-steps/01-responding.md),\n"
        "[top](#why), [mail](mailto:team@example.org), [call](tel:988), [web](https://988lifeline.org/).\n\n"
        "![Remote](https://example.org/cat.png) ![Also remote](//cdn.example.org/x.png)\n"  # 11
        "![Missing](images/nope.png) [gone](03-gone.md) ![Abs](/etc/passwd) [up](../../../../etc/passwd)\n"
        "[file](file:///etc/passwd) ![Out](images/link.png)\n\n"
        "![Ref image][logo]\n\n"  # 15
        "[logo]: http://example.org/logo.png\n"
    )
    root = lesson(tmp_path, body, **{"modules/01-first-steps/images/ear drawing.png": b"\x89PNG\r\n"})
    (tmp_path / "secret.png").write_bytes(b"outside")
    os.symlink(tmp_path / "secret.png", root / "modules/01-first-steps/images/link.png")
    assert lines(root, hints=True) == [
        f"{L}:11:11: error: image 'https://example.org/cat.png' is loaded from another site [image.remote]",
        "    hint: save the image in the course and give its relative path: builds never fetch URLs",
        f"{L}:11:55: error: image '//cdn.example.org/x.png' is loaded from another site [image.remote]",
        "    hint: save the image in the course and give its relative path: builds never fetch URLs",
        f"{L}:12:12: error: image 'images/nope.png' does not exist [file.missing]",
        "    hint: create modules/01-first-steps/images/nope.png or fix the name",
        f"{L}:12:36: error: linked file '03-gone.md' does not exist [file.missing]",
        "    hint: create modules/01-first-steps/03-gone.md or fix the name",
        f"{L}:12:55: error: path '/etc/passwd' must be relative to its folder [file.outside]",
        "    hint: write the file name relative to the folder it is listed in",
        f"{L}:12:73: error: path '../../../../etc/passwd' leads outside the project [file.outside]",
        "    hint: keep every file of the course inside the repository",
        f"{L}:13:8: error: link 'file:///etc/passwd' points at a file outside the course [file.outside]",
        "    hint: put the file in the course and give its relative path",
        f"{L}:13:35: error: path 'images/link.png' leads outside the project [file.outside]",
        "    hint: keep every file of the course inside the repository",
        f"{L}:15:1: error: image 'http://example.org/logo.png' is loaded from another site [image.remote]",
        "    hint: save the image in the course and give its relative path: builds never fetch URLs",
    ]


def test_pages_resolve_from_their_own_folder(tmp_path: Path) -> None:
    page = fixture_text("curriculum/pages/welcome.md") + (
        "\n![Logo](logo.svg) [Lesson](../../modules/01-first-steps/01-listening.md)\n")
    root = course_copy(tmp_path, files={"curriculum/pages/welcome.md": page})
    assert lines(root) == [
        "curriculum/pages/welcome.md:10:9: error: image 'logo.svg' does not exist [file.missing]",
    ]
    (root / "curriculum/pages/logo.svg").write_text("<svg/>", encoding="utf-8")
    assert lines(root) == []


def test_snippet_includes_are_refused_even_in_code(tmp_path: Path) -> None:
    body = '--8<-- "includes/secret.md"\n;--8<-- "shown as text"\n```\n--8<-- "../../etc/passwd"\n```\n\n  -8<-\n'
    assert lines(lesson(tmp_path, body), hints=True) == [
        f"{L}:7:1: error: snippet include '--8<-- \"includes/secret.md\"' is not allowed [include.snippet]",
        "    hint: copy the text into this file; to show the marker itself, start the line with ';'",
        f"{L}:10:1: error: snippet include '--8<-- \"../../etc/passwd\"' is not allowed [include.snippet]",
        "    hint: copy the text into this file; to show the marker itself, start the line with ';'",
        f"{L}:13:3: error: snippet include '-8<-' is not allowed [include.snippet]",
        "    hint: copy the text into this file; to show the marker itself, start the line with ';'",
    ]


def test_course_check_reports_them_and_fails(tmp_path: Path) -> None:
    root = lesson(tmp_path, "Hi <script>alert(1)</script>\n")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    assert f"{L}:7:4: error: raw HTML <script> is not allowed [html.tag]" in run.lines


def test_masking_keeps_offsets_and_skips_only_closed_code() -> None:
    text = "a `<x>` b \\<y> ``c ` d`` e\n```\n<s>\n```\n~~~\nopen <t>"
    masked = mask_code(text)
    assert len(masked) == len(text)
    assert masked == "a       b   y> " + " " * 9 + " e\n   \n   \n   \n~~~\nopen <t>"


def test_url_scheme_reads_urls_as_a_browser_does() -> None:
    assert url_scheme("javascript:x") == "javascript"
    assert url_scheme(" \x01java\tscript:x") == "javascript"
    assert url_scheme("jav&#x61;script&colon;x") == "javascript"
    assert url_scheme("javascript\\:x") == "javascript"
    assert url_scheme("images/a:b.png") == ""
    assert url_scheme("02-noticing.md#x") == ""
    assert url_scheme("HTTPS://example.org") == "https"


def test_a_suppression_marker_does_not_silence_them(tmp_path: Path) -> None:
    root = lesson(tmp_path, '<!-- course: allow html.tag reason="testing" -->\n<script>alert(1)</script>\n')
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    assert f"{L}:8:1: error: raw HTML <script> is not allowed [html.tag]" in run.lines


def test_text_after_an_unclosed_fence_is_checked_like_the_prose_it_renders_as(tmp_path: Path) -> None:
    # Python-Markdown renders an unclosed ``` as a paragraph: the checks must read it too.
    lesson = "modules/01-first-steps/02-noticing.md"
    text = (course_copy(tmp_path).joinpath(lesson)).read_text()
    root = course_copy(tmp_path / "b", files={lesson: text + "\n```\nHe committed suicide.\n\n![](x.png)\n"})
    codes = [line.rsplit("[", 1)[-1].rstrip("]") for line in check_lines(root) if ": error:" in line
             or ": warning:" in line]
    assert "safe.S1" in codes and "a11y.alt-text" in codes
