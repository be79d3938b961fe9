"""Crisis lines are chosen and worded once (builder.render.crisis) for every output."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from builder.model.load import load_project
from builder.model.schema import Contact
from builder.render import BuildOptions
from builder.render.crisis import contact_href, contact_text, crisis_lines
from builder.render.print.assemble import Assembler
from builder.render.print.markdown import crisis_lines_element
from builder.render.site.text import crisis_lines_md
from tests.helpers import REPO


def test_every_output_shows_the_same_lines_in_the_same_order() -> None:
    project, diags = load_project(REPO, cache=False)
    assert project is not None, [str(d) for d in diags]
    for code, region in project.resources.regions.items():
        crisis = crisis_lines(region)
        names = [line.name for line in crisis.lines]
        assert names and all(line.resource.crisis for line in crisis.lines)
        assert [g for g, _, _ in crisis.groups()] == list(dict.fromkeys(line.group for line in crisis.lines))
        site = [ln for ln in crisis_lines_md(region, "help.md") if ln.startswith("- **") and "Emergency" not in ln]
        assert [ln[4:].split("**")[0] for ln in site] == [n.replace("&", "&amp;") for n in names], code
        printed = [li.findtext("strong") for li in crisis_lines_element(region).iter("li")][1:]
        assert printed == names, code
        card = Assembler(project, BuildOptions(region=code))._context_card(
            type("Spec", (), {"region": code})())  # type: ignore[arg-type]
        assert [r["name"] for r in card["crisis"]] + [r["name"] for g in card["groups"] for r in g["lines"]] == names
        everything = crisis_lines(region, crisis_only=False)
        assert len(everything.lines) == len(region.resources)
        assert etree.tostring(crisis_lines_element(region), encoding="unicode").count("date-note") == len(names)


def test_contacts_read_and_link_alike_everywhere() -> None:
    call = Contact(kind="call", value="116 123", label=None)
    assert (contact_href(call), contact_text(call.kind, call.value, call.label)) == ("tel:116123", "Call 116 123")
    text = Contact(kind="text", value="741741", label="Text HOME to 741741")
    assert (contact_href(text), contact_text(text.kind, text.value, text.label)) == ("sms:741741",
                                                                                     "Text HOME to 741741")
    assert contact_href(Contact(kind="web", value="https://example.org/", label=None)) == "https://example.org/"
    assert contact_href(Contact(kind="chat", value="Open the app", label=None)) is None
