"""Help lines: grouped by who they are for, and dated honestly in every output.

A line that rests on secondary sources (`verification: secondary`) must never be shown as
"checked"; only a line whose details were found on the service's own page says so. These
tests drive the wording and each renderer that shows lines (site help page and help blocks,
printed help blocks) with the repository's real resources.yaml, and pin the corrections the
2026-12 review asked for.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
import yaml

from builder.checks import check_project
from builder.model.load import load_project
from builder.model.project import Project
from builder.model.schema import Region, Resource
from builder.render.helplines import card_footnote, date_note, grouped, is_checked, long_date
from builder.render.print.markdown import crisis_lines_element
from builder.render.site.pages import help_lines_md
from builder.render.site.text import crisis_lines_md
from builder.schema_export import schemas
from tests.helpers import REPO, check_lines, course_copy

CHECKED = "Checked on the service's website"

REAL_YAML = (REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8")
REAL_ALLOWLIST = yaml.safe_load((REPO / "curriculum" / "course.yaml").read_text(encoding="utf-8"))["link_allowlist"]


def line(**extra: object) -> Resource:
    data = {"id": "x-line", "name": "X Line", "contacts": [{"kind": "call", "value": "123"}],
            "hours": "24 hours a day", "who_for": "Anyone", "source": "https://example.org/"}
    data.update(extra)
    return Resource.model_validate(data)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The minimal fixture course with the repository's resources.yaml and link allowlist."""
    root = course_copy(tmp_path_factory.mktemp("real-lines"), files={"curriculum/resources.yaml": REAL_YAML})
    course = root / "curriculum" / "course.yaml"
    data = yaml.safe_load(course.read_text(encoding="utf-8"))
    data["link_allowlist"] = sorted(set(data["link_allowlist"]) | set(REAL_ALLOWLIST))
    course.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    project, diags = load_project(root)
    assert project is not None, [d.format() for d in diags]
    return project


# -- wording ---------------------------------------------------------------------------------

def test_wording_of_a_check_on_the_service_page() -> None:
    r = line(verification="service-page", verified_on=dt.date(2026, 12, 6))
    assert is_checked(r)
    assert date_note(r) == "Checked on the service's website on 6 December 2026."


def test_wording_of_a_secondary_review_never_says_checked() -> None:
    r = line(verification="secondary", reviewed_on=dt.date(2026, 12, 6))
    assert not is_checked(r)
    assert date_note(r) == "Last reviewed on 6 December 2026 from secondary sources; confirm before relying on it."
    # Even a wrongly filled secondary entry (verified_on, which `course check` rejects) is not "checked".
    wrong = line(verification="secondary", verified_on=dt.date(2026, 12, 6))
    assert not is_checked(wrong) and "Checked" not in date_note(wrong)


def test_long_date_is_unambiguous() -> None:
    assert long_date(dt.date(2026, 1, 2)) == "2 January 2026"


def test_card_footnote() -> None:
    checked = line(verified_on=dt.date(2026, 12, 6))
    secondary = line(verification="secondary", reviewed_on=dt.date(2026, 12, 1))
    assert card_footnote([checked]) == "Numbers checked on the services' websites on 6 Dec 2026."
    assert card_footnote([secondary]) == ("* last reviewed 1 Dec 2026 from secondary sources: "
                                          "confirm before relying on it.")
    both = card_footnote([checked, secondary])
    assert both.startswith("Numbers checked on the services' websites on 6 Dec 2026; * last reviewed 1 Dec 2026")


def test_groups_in_page_order_and_file_order_within() -> None:
    lines = [line(id="a", group="youth"), line(id="b"), line(id="c", group="indigenous"), line(id="d", group="youth")]
    assert [(k, [r.id for r in g]) for k, _, g in grouped(lines)] == [
        ("everyone", ["b"]), ("youth", ["a", "d"]), ("indigenous", ["c"])]


def test_schema_offers_the_new_keys() -> None:
    """`course schema` (editor completion) knows group, verification and reviewed_on."""
    s = schemas()["resources.schema.json"]
    props = s["$defs"]["Resource"]["properties"]  # type: ignore[index]
    assert props["group"]["enum"] == ["everyone", "youth", "lgbtq", "indigenous"]
    assert props["verification"]["enum"] == ["service-page", "secondary"]
    assert "reviewed_on" in props and "verified_on" in props
    assert "verified_on" not in s["$defs"]["Resource"].get("required", [])  # type: ignore[index]


# -- every renderer, with the real data --------------------------------------------------------

def _sections(md: list[str]) -> dict[str, str]:
    """The help page's Markdown cut at each `### Name` heading."""
    text = "\n".join(md)
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    return {html.unescape(parts[i].replace("\\", "")): parts[i + 1] for i in range(1, len(parts), 2)}


def test_help_page_dates_every_line_honestly(real: Project) -> None:
    for code, region in real.resources.regions.items():
        sections = _sections(help_lines_md(region))
        assert set(sections) == {r.name for r in region.resources}, code
        for r in region.resources:
            body = sections[r.name]
            if is_checked(r):
                assert f"{CHECKED} on 6 December 2026." in body, r.id
            else:
                assert "Checked" not in body and "checked" not in body, r.id
                assert "Last reviewed on 6 December 2026 from secondary sources" in body, r.id
            assert f"]({r.source})" in body, r.id  # a link to the service's own page


def test_help_page_groups_lines_by_who_they_are_for(real: Project) -> None:
    titles = {code: [ln[3:] for ln in help_lines_md(region) if ln.startswith("## ")]
              for code, region in real.resources.regions.items()}
    assert titles["us"] == ["Crisis lines", "For LGBTQ+ people"]
    assert titles["uk"] == ["Crisis lines", "More support", "For young people"]
    assert titles["ie"] == ["Crisis lines", "For young people"]
    assert titles["ca"] == ["Crisis lines", "For young people", "For Indigenous peoples"]
    assert titles["au"] == ["Crisis lines", "For young people", "For Indigenous peoples"]


def test_site_help_blocks_date_every_crisis_line(real: Project) -> None:
    for code, region in real.resources.regions.items():
        block = [ln for ln in crisis_lines_md(region, "../help/") if ln.startswith("- **") and "Emergency" not in ln]
        crisis = [r for _, _, g in grouped(r for r in region.resources if r.crisis) for r in g]
        assert len(block) == len(crisis), code
        for text, r in zip(block, crisis, strict=True):
            assert text.startswith(f"- **{r.name.replace('&', '&amp;')}**"), (code, text)
            assert (CHECKED in text) == is_checked(r), text
            if r.group != "everyone":
                assert "(for " in text.split(":")[0], text  # the group is named after the line


def test_printed_help_blocks_date_every_crisis_line(real: Project) -> None:
    for code, region in real.resources.regions.items():
        box = crisis_lines_element(region)
        items = [" ".join("".join(li.itertext()).split()) for li in box.iter("li")][1:]  # after the emergency line
        crisis = [r for _, _, g in grouped(r for r in region.resources if r.crisis) for r in g]
        assert len(items) == len(crisis), code
        for text, r in zip(items, crisis, strict=True):
            assert text.startswith(r.name), text
            assert (CHECKED in text) == is_checked(r), text
            assert "Checked" in text or "Last reviewed on 6 December 2026 from secondary sources" in text
        assert etree.tostring(box)  # serialisable as it is appended to every help block


# -- the data the review asked for ---------------------------------------------------------------

def _by_id(region: Region) -> dict[str, Resource]:
    return {r.id: r for r in region.resources}


def test_review_corrections_are_in_the_data(real: Project) -> None:
    regions = real.resources.regions
    ca = _by_id(regions["ca"])
    assert ca["ca-988-helpline"].languages == ["English", "French"]  # not Cree/Ojibway/Inuktitut
    assert any("Cree" in lang for lang in ca["ca-hope-for-wellness"].languages)
    assert ca["ca-hope-for-wellness"].group == "indigenous"
    assert [c.value for c in ca["ca-hope-for-wellness"].contacts if c.kind == "call"] == ["1-855-242-3310"]
    assert [c.value for c in ca["ca-kids-help-phone"].contacts if c.kind == "call"] == ["1-800-668-6868"]
    assert [c.label for c in _by_id(regions["ie"])["ie-text-50808"].contacts] == ["Text HELLO to 50808"]
    expected = {
        "us": {"us-trevor-project": "lgbtq"},
        "uk": {"uk-childline": "youth", "uk-papyrus-hopeline247": "youth", "uk-nhs-111": "everyone"},
        "ie": {"ie-pieta": "everyone", "ie-childline": "youth"},
        "ca": {"ca-hope-for-wellness": "indigenous", "ca-kids-help-phone": "youth"},
        "au": {"au-kids-helpline": "youth", "au-13yarn": "indigenous"},
    }
    for code, lines in expected.items():
        have = _by_id(regions[code])
        for rid, group in lines.items():
            assert rid in have and have[rid].group == group, (code, rid)


def test_real_data_passes_the_resource_and_link_checks(real: Project) -> None:
    result = check_project(real.root)
    found = [d.format() for d in result.diagnostics if d.where.path == "curriculum/resources.yaml"]
    assert found == []


def test_every_entry_says_how_it_was_checked(real: Project) -> None:
    for region in real.resources.regions.values():
        for r in region.resources:
            assert r.source and r.source.startswith("https://"), r.id
            if r.verification == "service-page":
                assert r.verified_on and r.reviewed_on is None, r.id
            else:
                assert r.reviewed_on and r.verified_on is None, r.id


def test_each_entry_lists_the_pages_found(real: Project) -> None:
    """The pages each entry was compared with are recorded under it, as the file's header says."""
    text = (Path(real.root) / "curriculum" / "resources.yaml").read_text(encoding="utf-8")
    chunks = re.split(r"^      - id: ", text, flags=re.M)[1:]
    assert len(chunks) == sum(len(r.resources) for r in real.resources.regions.values())
    for chunk in chunks:
        rid = chunk.split("\n", 1)[0]
        assert re.search(r"^        # .*https?://", chunk, re.M), f"{rid}: no page recorded"


def test_a_secondary_entry_without_a_source_is_an_error_at_its_position(tmp_path: Path) -> None:
    """`course check` names the file, line and column of the entry that lacks its source URL."""
    entry = """      - id: uk-childline
        name: Childline
        crisis: true
        group: youth
        contacts:
          - kind: call
            value: 0800 1111
        hours: "Phone: 24 hours a day, 7 days a week."
        who_for: Children and young people in the UK under 19.
        verification: secondary
        reviewed_on: 2026-12-01
"""
    text = (REPO / "tests/fixtures/curricula/minimal/curriculum/resources.yaml").read_text(encoding="utf-8")
    text = text.rstrip("\n") + "\n" + entry
    line_no = text.splitlines().index("      - id: uk-childline") + 1
    root = course_copy(tmp_path, files={"curriculum/resources.yaml": text})
    found = [ln for ln in check_lines(root) if "resources." in ln]
    assert found == [f"curriculum/resources.yaml:{line_no}:13: error: resource 'uk-childline' (uk) has no "
                     "`source` URL [resources.no-source]"]
