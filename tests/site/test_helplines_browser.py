"""The help page of every region, read in a real browser (Debian's Chromium, Playwright).

Each region is built once (`course build --region R --no-pdf`, which checks first) from the
minimal fixture course carrying the repository's curriculum/resources.yaml and link allowlist,
then served on 127.0.0.1; the tests read the lines the 2026-12 review added, and how each line's
date is worded, from the page as a reader sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.helpers import REPO, course_copy, run_cli
from tests.site.conftest import serve
from tests.site.support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

REGIONS = ("us", "uk", "ie", "ca", "au")
CHECKED = "Checked on the service's website on 6 December 2026."
REVIEWED = "Last reviewed on 6 December 2026 from secondary sources; confirm before relying on it."


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    real = REPO / "curriculum"
    root = course_copy(tmp_path_factory.mktemp("helplines"), files={
        "curriculum/resources.yaml": (real / "resources.yaml").read_text(encoding="utf-8")})
    course_yaml = root / "curriculum" / "course.yaml"
    data = yaml.safe_load(course_yaml.read_text(encoding="utf-8"))
    allow = yaml.safe_load((real / "course.yaml").read_text(encoding="utf-8"))["link_allowlist"]
    data["link_allowlist"] = sorted(set(data["link_allowlist"]) | set(allow))
    course_yaml.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=REGIONS)
def help_url(request: pytest.FixtureRequest, course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One build per region, shared by every test of that region; the URL of its help page
    (`http://127.0.0.1:PORT/REGION/help/`: the site is served one folder up, under the region)."""
    region = request.param
    out = tmp_path_factory.mktemp(f"site-{region}") / region
    run = run_cli("build", "--root", str(course), "--region", region, "--no-pdf", "--out", str(out))
    assert run.code == 0, run.out + run.err
    server, url = serve(out.parent)
    yield f"{url}{region}/help/"
    server.shutdown()


def _region(url: str) -> str:
    return url.rstrip("/").split("/")[-2]


def read(open_page, url: str):  # type: ignore[no-untyped-def]
    page = open_page(url.rsplit("/help/", 1)[0] + "/")
    page.goto(url)
    expect(page.locator("article h1")).to_have_text("Get help now")
    return page


ENTRY_JS = """name => {
  const h = [...document.querySelectorAll('article h3')].find(e => e.innerText.trim() === name);
  if (!h) return null;
  const out = [];
  for (let e = h.nextElementSibling; e && !/^H[1-3]$/.test(e.tagName); e = e.nextElementSibling) out.push(e.innerText);
  return out.join(' ');
}"""


def entry(page, name: str) -> str:  # type: ignore[no-untyped-def]
    """The text a reader sees for one line: from its heading to the next heading."""
    text = page.evaluate(ENTRY_JS, name)
    assert text is not None, f"no heading {name!r} on the page"
    return " ".join(text.split())


# What a reader of each region's page must find (name -> words in its entry), and which group
# heading it stands under.
ADDED = {
    "us": {"The Trevor Project": (["Call 1-866-488-7386", "Text START to 678-678"], "For LGBTQ+ people")},
    "uk": {"Childline": (["Call 0800 1111 (free)"], "For young people"),
           "PAPYRUS HOPELINE247": (["Call 0800 068 4141"], "For young people")},
    "ie": {"Pieta": (["Call 1800 247 247 (free)", "Text HELP to 51444"], "Crisis lines"),
           "Childline (ISPCC)": (["Call 1800 66 66 66 (free)"], "For young people"),
           "50808 text service": (["Text HELLO to 50808"], "Crisis lines")},
    "ca": {"Hope for Wellness Help Line": (["Call 1-855-242-3310", "Cree, Ojibway or Inuktitut"],
                                           "For Indigenous peoples"),
           "Kids Help Phone": (["Call 1-800-668-6868", "Text CONNECT to 686868"], "For young people")},
    "au": {"Kids Helpline": (["Call 1800 55 1800 (free)", "aged 5 to 25"], "For young people"),
           "13YARN": (["Call 13 92 76", "Aboriginal and Torres Strait Islander"], "For Indigenous peoples")},
}


# Corrections: words a line's entry must show, and words it must not (9-8-8 Canada is English
# and French; the Cree, Ojibway and Inuktitut offer is Hope for Wellness's).
CORRECTED = {
    "us": ("Crisis Text Line", ["In Spanish: text AYUDA to 741741"], ["250"]),
    "uk": ("Shout", ["Text SHOUT to 85258", CHECKED], ["secondary"]),
    "ie": ("50808 text service", ["Text HELLO to 50808"], []),
    "ca": ("9-8-8: Suicide Crisis Helpline", ["Languages: English, French"], ["Cree", "Ojibway", "Inuktitut"]),
    "au": ("Lifeline Australia", ["Text 0477 13 11 14", "all open 24 hours a day"], []),
}


def test_corrected_lines(help_url: str, open_page) -> None:  # type: ignore[no-untyped-def]
    region = _region(help_url)
    name, said, unsaid = CORRECTED[region]
    body = entry(read(open_page, help_url), name)
    for w in said:
        assert w in body, (region, name, w, body)
    for w in unsaid:
        assert w not in body, (region, name, w, body)


def test_added_lines_under_their_groups(help_url: str, open_page) -> None:  # type: ignore[no-untyped-def]
    region = _region(help_url)
    page = read(open_page, help_url)
    headings = page.locator("article h2").all_inner_texts()
    text = page.locator("article").inner_text()
    for name, (words, group) in ADDED[region].items():
        assert group in headings, (region, group, headings)
        # the line comes after its group's heading, and before the next group's
        assert text.index("\n" + group + "\n") < text.index("\n" + name + "\n"), (region, name)
        body = entry(page, name)
        for w in words:
            assert w in body, (region, name, w, body)
        assert REVIEWED in body and "Checked" not in body, (region, name, body)  # all rest on secondary sources
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def test_every_line_is_dated_honestly_and_links_its_service(help_url: str, open_page) -> None:  # type: ignore[no-untyped-def]
    region = _region(help_url)
    page = read(open_page, help_url)
    data = yaml.safe_load((REPO / "curriculum" / "resources.yaml").read_text(encoding="utf-8"))["regions"][region]
    for r in data["resources"]:
        body = entry(page, r["name"])
        if r.get("verification", "service-page") == "service-page":
            assert CHECKED in body and "secondary" not in body, (r["id"], body)
        else:
            assert REVIEWED in body and "Checked" not in body, (r["id"], body)
        link = page.get_by_role("link", name=f"{r['name']} website", exact=True)
        assert link.get_attribute("href") == r["source"], r["id"]


def test_phone_numbers_are_tappable(help_url: str, open_page) -> None:  # type: ignore[no-untyped-def]
    region = _region(help_url)
    page = read(open_page, help_url)
    hrefs = {"us": ("Call 1-866-488-7386", "tel:18664887386"), "uk": ("Call 0800 1111 (free)", "tel:08001111"),
             "ie": ("Text HELP to 51444", "sms:51444"), "ca": ("Call 1-800-668-6868", "tel:18006686868"),
             "au": ("Call 13 92 76", "tel:139276")}
    label, href = hrefs[region]
    assert page.get_by_role("link", name=label, exact=True).get_attribute("href") == href


def test_help_page_passes_axe(help_url: str, open_page) -> None:  # type: ignore[no-untyped-def]
    """The longer, grouped page with its caveats stays accessible (axe-core, WCAG 2.2 AA)."""
    page = read(open_page, help_url)
    assert axe_violations(page) == []
