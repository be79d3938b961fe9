"""`course diff v1 v2` on a test repository names each changed question and lesson, calls out
the changed key, and gives the same bytes every time, in every format."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from tests.diff.conftest import commit, edit, git, make_v2, v1_course
from tests.helpers import run_cli


def diff(repo: Path, *args: str) -> str:
    run = run_cli("diff", *args, "--root", str(repo))
    assert run.code == 0, run.err
    return run.out


def test_markdown_names_each_change_and_calls_out_the_key(repo: Path) -> None:
    md = diff(repo, "v1", "v2")
    head, _, rest = md.partition("## Summary")
    assert head.startswith("# What changed: Fixture Course, version 0.1.0 to 1.0.0\n")
    assert "**Suggested version bump: major**" in head
    assert "answer key of M1.Q03 changed" in head and "objective M2.O2 removed" in head
    assert "(major): enough." in head
    # Read first: the changed key, with the old and new answer, and the removed objective.
    read_first = head.split("## Read first: changes that affect running cohorts", 1)[1]
    assert ("- **Answer key changed: M1.Q03** (`quizzes/01-first-steps.yaml:") in read_first
    assert "Was: **True**. Now: **False**." in read_first
    assert "- **Objective removed:** M2.O2 “Name one place to get help.”" in read_first
    assert "Reaches:** all editions; language: en." in head
    # The question: key change called out again, and its reworded stem word by word.
    q = next(line for line in rest.splitlines() if "M1.Q03" in line)
    assert q.startswith("- **Question M1.Q03 changed** **(ANSWER KEY CHANGED)**")
    assert "  - **Stem:** was <del>Sam's change in behaviour is worth noticing.</del>, now <ins>Sam's change in " \
           "behaviour can be ignored.</ins>" in rest
    # The lesson: retitled, and the passage under its heading as a word diff.
    assert "- **Lesson changed**: “Noticing when a friend struggles” `modules/01-first-steps/02-noticing.md:1`" in rest
    assert "  - **Title:** was <del>Noticing changes</del>, now <ins>Noticing when a friend struggles</ins>" in rest
    # Six words of context on either side of the change.
    assert ("  - **Section \"Signs to notice\":** … who stops joining in may be <del>struggling.</del> "
            "<ins>having a hard time.</ins> Stigma can stop people asking for …") in rest
    # The help line.
    assert "- **Help line changed**: “United Kingdom: Samaritans”" in rest
    assert ("  - **Hours:** was <del>24 hours a day, 7 days a week</del>, "
            "now <ins>Every day, day and night</ins>") in rest
    assert "  - **Checked on:** was <del>2026-11-01</del>, now <ins>2026-12-01</ins>" in rest
    # Nothing else changed: no other question, lesson or line is named.
    assert "M1.Q01" not in md and "Listening well" not in md and "988" not in md


def test_json_shape(repo: Path) -> None:
    data = json.loads(diff(repo, "v1", "v2", "--format", "json"))
    assert set(data) == {"format", "old", "new", "scope", "bump", "summary", "attention", "key_changes", "changes"}
    assert data["old"]["label"] == "v1" and data["new"]["version"] == "1.0.0"
    assert len(data["old"]["revision"]) == 40
    assert data["scope"] == {"editions": ["all"], "languages": ["en"]}
    assert data["bump"] == {"suggested": "major",
                            "reasons": ["objective M2.O2 removed", "answer key of M1.Q03 changed"],
                            "old_version": "0.1.0", "new_version": "1.0.0", "actual": "major", "enough": True}
    assert data["key_changes"] == ["M1.Q03"]
    assert data["attention"] == ["M2.O2", "M1.Q03"]
    by_id = {c["id"]: c for c in data["changes"]}
    assert set(by_id) == {"M1.Q03", "modules/01-first-steps/02-noticing.md", "M2.O2", "uk/uk-samaritans",
                          "modules/02-second-steps/01-responding.md"}  # no longer teaches M2.O2
    assert [d for d in by_id["modules/02-second-steps/01-responding.md"]["details"]] == [
        {"field": "objectives", "old": "M2.O1, M2.O2", "new": "M2.O1", "hunks": [], "more": 0}]
    q = by_id["M1.Q03"]
    assert (q["area"], q["kind"], q["impact"], q["key_changed"], q["module"]) == ("question", "changed", "major", True,
                                                                                  "M1")
    assert {"field": "answer key", "old": "True", "new": "False", "hunks": [], "more": 0} in q["details"]
    assert q["scope"] == {"editions": ["all"], "languages": ["all"]}
    lesson = by_id["modules/01-first-steps/02-noticing.md"]
    assert lesson["retitled"] == ["Noticing changes", "Noticing when a friend struggles"]
    assert lesson["impact"] == "minor"
    [section] = [d for d in lesson["details"] if d["field"] == 'section "Signs to notice"']
    assert [["-", "struggling."], ["+", "having a hard time."]] == [h for h in section["hunks"][0] if h[0] != "="]
    assert by_id["M2.O2"]["kind"] == "removed" and by_id["M2.O2"]["impact"] == "major"
    assert by_id["uk/uk-samaritans"]["impact"] == "patch"
    assert data["summary"]["question"] == {"added": 0, "removed": 0, "changed": 1, "moved": 0, "retitled": 0}


def test_every_format_is_deterministic(repo: Path) -> None:
    for fmt in ("markdown", "json", "html"):
        assert diff(repo, "v1", "v2", "--format", fmt) == diff(repo, "v1", "v2", "--format", fmt), fmt


def test_html_is_a_page_with_the_changes_marked(repo: Path) -> None:
    page = diff(repo, "v1", "v2", "--format", "html")
    tree = lxml_html.fromstring(page.encode())
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title") == "What changed: Fixture Course 1.0.0"
    assert [d.text for d in tree.iter("del")][:1] and "struggling." in [d.text for d in tree.iter("del")]
    assert "having a hard time." in [i.text for i in tree.iter("ins")]
    assert "Answer key changed: M1.Q03" in [s.text for s in tree.iter("strong")]
    assert "http" not in page.lower().replace("http-equiv", ""), "the page loads nothing from anywhere"


def test_no_change_and_folders_as_sides(repo: Path, tmp_path: Path) -> None:
    md = diff(repo, "v2", "v2")
    assert "No content changed." in md and "no new version is needed" in md
    # Two folders (no git at all): the working tree against a copy with one more lesson.
    other = v1_course(tmp_path / "a")
    data = json.loads(run_cli("diff", str(repo), str(other), "--format", "json").out)
    assert data["old"]["revision"] == "" and data["new"]["version"] == "0.1.0"
    assert data["bump"]["actual"] == "lower" and data["bump"]["enough"] is False


def test_moves_additions_and_removals(tmp_path: Path) -> None:
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    # Swap the lessons of module 1, add a lesson to module 2, remove question M1.Q07.
    edit(root, "modules/01-first-steps/module.yaml", "  - 01-listening.md\n  - 02-noticing.md\n",
         "  - 02-noticing.md\n  - 01-listening.md\n")
    (root / "modules/02-second-steps/02-more.md").write_text(
        "---\ntitle: Going further\nduration: 5\nobjectives: [M2.O1]\n---\n\n## Next\n\nKeep going.\n")
    edit(root, M2_PATH, "  - 01-responding.md\n", "  - 01-responding.md\n  - 02-more.md\n")
    text = (root / "quizzes/01-first-steps.yaml").read_text()
    (root / "quizzes/01-first-steps.yaml").write_text(text[:text.index("  - id: M1.Q07")])
    commit(root, "two")
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root)).out)
    by_id = {c["id"]: c for c in data["changes"]}
    assert by_id["modules/02-second-steps/02-more.md"]["kind"] == "added"
    assert by_id["M1.Q07"]["kind"] == "removed" and by_id["M1.Q07"]["impact"] == "major"
    moved = [c for c in data["changes"] if c["moved"]]
    assert len(moved) == 1 and moved[0]["moved"][0].startswith("lesson ")
    assert data["bump"]["suggested"] == "major"


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    run = run_cli("diff", "no-such-tag", "v2", "--root", str(repo))
    assert run.code == 2 and "'no-such-tag' is neither a folder nor a git revision" in run.err


def test_changelog_entry_keeps_answers_out_of_the_part_for_everyone(repo: Path, tmp_path: Path) -> None:
    from builder.diff.changelog import version_section

    out = tmp_path / "CHANGELOG.md"
    run = run_cli("diff", "v1", "v2", "--changelog", "--out", str(out), "--root", str(repo))
    assert run.code == 0, run.err
    text = out.read_text()
    assert text.startswith("# Changelog\n") and "\n## 1.0.0 (" in text
    # Again: the entry is replaced, not added twice.
    run_cli("diff", "v1", "v2", "--changelog", "--out", str(out), "--root", str(repo))
    assert out.read_text().count("\n## 1.0.0 (") == 1
    (tmp_path / "curriculum").mkdir()
    everyone = version_section(tmp_path, "1.0.0", facilitator=False)
    facilitators = version_section(tmp_path, "1.0.0", facilitator=True)
    assert everyone and facilitators
    assert "Objective removed:** M2.O2" in everyone and "Noticing when a friend struggles" in everyone
    assert "M1.Q03" not in everyone and "True" not in everyone
    assert "Answer key changed: M1.Q03" in facilitators and "Was: **True**. Now: **False**." in facilitators
    assert version_section(tmp_path, "9.9.9", facilitator=True) is None


M2_PATH = "modules/02-second-steps/module.yaml"
_ = make_v2


def test_new_defaults_to_the_working_tree(tmp_path: Path) -> None:
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    edit(root, "modules/01-first-steps/01-listening.md", "You give your full attention.",
         "You give the person your full attention.")
    data = json.loads(run_cli("diff", "HEAD", "--format", "json", "--root", str(root)).out)
    assert data["new"] == {"label": "working tree", "revision": "", "version": "0.1.0", "title": "Fixture Course",
                           "language": "en"}
    [change] = data["changes"]
    assert change["id"] == "modules/01-first-steps/01-listening.md" and change["impact"] == "patch"
    assert data["bump"]["suggested"] == "patch" and data["bump"]["reasons"] == ["wording changed"]


def test_a_lesson_moved_to_another_module(tmp_path: Path) -> None:
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    git(root, "mv", "modules/01-first-steps/02-noticing.md", "modules/02-second-steps/02-noticing.md")
    edit(root, "modules/01-first-steps/module.yaml", "  - 02-noticing.md\n", "")
    edit(root, M2_PATH, "  - 01-responding.md\n", "  - 01-responding.md\n  - 02-noticing.md\n")
    commit(root, "two")
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root)).out)
    [lesson] = [c for c in data["changes"] if c["area"] == "lesson"]
    assert lesson["moved"] == ["Module 1: First steps", "Module 2: Second steps"]
    assert lesson["kind"] == "changed" and lesson["impact"] == "minor"
    assert {"field": "file", "old": "modules/01-first-steps/02-noticing.md",
            "new": "modules/02-second-steps/02-noticing.md", "hunks": [], "more": 0} in lesson["details"]


def test_modules_reordered_and_retitled_timetable_and_glossary(tmp_path: Path) -> None:
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    edit(root, "curriculum/course.yaml", "  - 01-first-steps\n  - 02-second-steps\n",
         "  - 02-second-steps\n  - 01-first-steps\n")
    edit(root, M2_PATH, "title: Second steps", "title: Helping a friend")
    edit(root, "curriculum/glossary.yaml", "lead to unfair treatment.", "lead to unfair treatment of them.")
    (root / "curriculum/course.yaml").write_text((root / "curriculum/course.yaml").read_text() + (
        "timetable:\n  - id: one-day\n    title: One day\n    sessions:\n"
        "      - title: Day 1\n        start: \"09:00\"\n"
        "        slots:\n          - {slot: module, module: M2, minutes: 30}\n"
        "          - {slot: module, module: M1, minutes: 45}\n"))
    commit(root, "two")
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root)).out)
    by_id = {c["id"]: c for c in data["changes"]}
    assert by_id["M2"]["retitled"] == ["Second steps", "Helping a friend"]
    # One of the two changed its place relative to the other: the report names one move.
    [moved] = [c for c in data["changes"] if c["moved"]]
    assert moved["area"] == "module" and moved["impact"] == "minor"
    assert moved["moved"] in (["position 1", "position 2"], ["position 2", "position 1"])
    assert by_id["Stigma"]["area"] == "glossary" and by_id["Stigma"]["impact"] == "patch"
    plan = by_id["one-day"]
    assert (plan["area"], plan["kind"], plan["impact"]) == ("timetable", "added", "minor")
    assert plan["details"] == [{"field": "total minutes", "old": None, "new": "75", "hunks": [], "more": 0}]
    assert data["bump"]["suggested"] == "minor"
    md = run_cli("diff", "HEAD~1", "HEAD", "--root", str(root)).out
    assert "## Timetable" in md and "- **Session plan added**: “One day”" in md
    assert "  - **Title:** was <del>Second steps</del>, now <ins>Helping a friend</ins>" in md


EDITIONS = """editions:
  - id: school
    title: School edition
    audience: Students and staff.
    vocabulary:
      report-to: the safeguarding lead
  - id: work
    title: Workplace edition
    audience: Employees.
    vocabulary:
      report-to: your manager
"""


def test_each_change_names_the_editions_it_reaches(tmp_path: Path) -> None:
    root = v1_course(tmp_path)
    course = root / "curriculum/course.yaml"
    course.write_text(course.read_text() + EDITIONS)
    edit(root, BANK_PATH, "  - id: M1.Q02\n", "  - id: M1.Q02\n    editions: [work]\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    # Text only the school edition reads, a question only the workplace edition has, the
    # workplace's words for a term, and a passage every edition reads.
    edit(root, "modules/01-first-steps/02-noticing.md", "## Signs to notice\n",
         "## Signs to notice\n\n!!! edition \"school\"\n    Tell your form tutor what you noticed.\n")
    edit(root, BANK_PATH, "stem: Which actions show active listening?", "stem: Which actions show listening?")
    edit(root, "curriculum/course.yaml", "report-to: your manager", "report-to: your line manager")
    edit(root, "modules/01-first-steps/01-listening.md", "You give your full attention.",
         "You give the person your full attention.")
    commit(root, "two")
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root)).out)
    scope = {c["id"]: c["scope"]["editions"] for c in data["changes"]}
    assert scope == {"modules/01-first-steps/02-noticing.md": ["school"], "M1.Q02": ["work"], "work": ["work"],
                     "modules/01-first-steps/01-listening.md": ["all"]}
    assert data["scope"]["editions"] == ["all"]
    [term] = [c for c in data["changes"] if c["area"] == "edition"]
    assert term["details"] == [{"field": "term report-to", "old": "your manager", "new": "your line manager",
                                "hunks": [], "more": 0}]
    md = run_cli("diff", "HEAD~1", "HEAD", "--root", str(root)).out
    assert "“Noticing changes” `modules/01-first-steps/02-noticing.md:1` (editions: school; all languages)" in md
    # Without the change every edition reads, the report reaches two editions only.
    edit(root, "modules/01-first-steps/01-listening.md", "You give the person your full attention.",
         "You give your full attention.")
    commit(root, "three")
    data = json.loads(run_cli("diff", "HEAD~2", "HEAD", "--format", "json", "--root", str(root)).out)
    assert data["scope"]["editions"] == ["school", "work"]
    assert "**Reaches:** editions: school, work; language: en." in run_cli("diff", "HEAD~2", "HEAD", "--root",
                                                                           str(root)).out


BANK_PATH = "quizzes/01-first-steps.yaml"


def test_keys_by_question_type(tmp_path: Path) -> None:
    """Reordered matching pairs keep the key; another accepted answer, another order, options
    moved to other letters change it."""
    root = v1_course(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "one")
    bank = root / BANK_PATH
    text = bank.read_text()
    # M1.Q05 (matching): swap two pairs. M1.Q04 (short answer): one more accepted answer.
    # M1.Q06 (ordering): another order. M1.Q01 (single): the correct option moves from B to A.
    text = text.replace("""      - left: Open question
        right: '"What was that like?"'
      - left: Reflecting
        right: '"You sound worried."'
""", """      - left: Reflecting
        right: '"You sound worried."'
      - left: Open question
        right: '"What was that like?"'
""")
    text = text.replace("accepted: [stigma, stigmas]", "accepted: [stigma, stigmas, stigmatisation]")
    text = text.replace("      - Ask how they are\n      - Listen\n", "      - Listen\n      - Ask how they are\n")
    text = text.replace("""      - text: Are you OK?
        feedback: This can be answered with yes or no.
      - text: How have things been for you lately?
        correct: true
        feedback: It invites the person to say more.
""", """      - text: How have things been for you lately?
        correct: true
        feedback: It invites the person to say more.
      - text: Are you OK?
        feedback: This can be answered with yes or no.
""")
    bank.write_text(text)
    commit(root, "two")
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root)).out)
    assert data["key_changes"] == ["M1.Q01", "M1.Q04", "M1.Q06"]
    assert "M1.Q05" not in {c["id"] for c in data["changes"] if c["key_changed"]}
    [q1] = [c for c in data["changes"] if c["id"] == "M1.Q01"]
    assert {"field": "answer key", "old": "B: How have things been for you lately?",
            "new": "A: How have things been for you lately?", "hunks": [], "more": 0} in q1["details"]
