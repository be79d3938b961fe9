"""Markdown to safe HTML and plain text for the exporters."""

from __future__ import annotations

import pytest

from builder.render.quiz.gift import escape
from builder.render.quiz.text import md_html, md_inline, plain


@pytest.mark.parametrize("source, html", [
    ("Use <care> & \"quotes\"", '<p>Use &lt;care&gt; &amp; "quotes"</p>'),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("[x](javascript:alert(1)) [y](https://example.org)", '<p>x <a href="https://example.org">y</a></p>'),
    ("![a chart](chart.png)", "<p>a chart</p>"),
    ("**bold** and *it*", "<p><strong>bold</strong> and <em>it</em></p>"),
    ("a\x00b\x0bc", "<p>abc</p>"),
    ("---", "<p>---</p>"),
    ("&copy; ]]>", "<p>\u00a9 ]]&gt;</p>"),
])
def test_markdown_is_rendered_safely(source: str, html: str) -> None:
    assert md_html(source) == html


def test_inline_and_plain() -> None:
    assert md_inline("Nodding") == "Nodding"
    assert md_inline("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert plain("A *very*\n\n[good](https://e.org) <answer>") == "A very good <answer>"


def test_gift_escape_covers_every_special_character() -> None:
    assert escape("~ = # { } : \\ a\nb") == "\\~ \\= \\# \\{ \\} \\: \\\\ a\\nb"
