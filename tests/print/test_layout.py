"""Cheaper layout: only long words may break anywhere (assemble.mark_long_words + print.css)."""

from __future__ import annotations

from builder.render.print.assemble import mark_long_words
from builder.render.print.engine import STYLESHEET


def test_only_words_of_twenty_characters_are_marked_and_never_inside_a_tag() -> None:
    long = "https://example.org/a/very/long/path"
    html = (f'<html><head><title>{long}</title></head><body><p class="x" title="{long}">'
            f"A short line with nineteen-character and {long}.</p><td>Pneumonoultramicroscopic</td></body></html>")
    out = mark_long_words(html)
    assert f"<title>{long}</title>" in out  # the head is left alone
    assert f'title="{long}"' in out  # attributes are left alone
    assert f'<span class="long">{long}.</span>' in out
    assert '<span class="long">Pneumonoultramicroscopic</span>' in out
    assert "nineteen-character" in out and '<span class="long">nineteen' not in out


def test_the_stylesheet_lets_only_marked_words_break_anywhere() -> None:
    """Marked long words, and links (never marked: a span in a link breaks PDF/UA's Link tags)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    assert ".long, a { overflow-wrap: anywhere; }" in css
    assert "p, li, td, dd, dt { overflow-wrap" not in css
    cells = css[css.index("th, td {"):]
    assert "overflow-wrap" not in cells[:cells.index("}")]


def test_long_words_inside_links_are_not_wrapped_in_spans() -> None:
    from builder.render.print.assemble import mark_long_words

    html = ('<html><head><title>x</title></head><body><p>averyveryverylongwordindeedyes '
            '<a href="https://example.org/averyveryverylongpathindeed">averyveryverylongpathindeed</a>'
            ' andanotherverylongwordafter</p>'
            '</body></html>')
    out = mark_long_words(html)
    assert '<span class="long">averyveryverylongwordindeedyes</span>' in out
    assert '>averyveryverylongpathindeed</a>' in out
    assert '<span class="long">andanotherverylongwordafter</span>' in out
    assert out.replace('<span class="long">', "").replace("</span>", "") == html
