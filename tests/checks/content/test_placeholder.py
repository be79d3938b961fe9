"""`course new` start files are reported as placeholder text until an author fills them in.

A freshly scaffolded module loads and builds (`course check` exits 0), but each placeholder
sentence is a `content.placeholder` warning, so `course check --strict` (CI, publishing) fails;
the same module with every placeholder replaced passes --strict.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.checks.content import placeholder
from tests.helpers import course_copy, run_cli

# A real sentence for each placeholder, as an author would write it.
FILLED = {
    placeholder.MODULE_SUMMARY: "This module is about support that people find online.",
    placeholder.OBJECTIVE: "Name two ways to offer support to a friend online.",
    placeholder.KEY_POINT: "Kind words online matter as much as kind words in person.",
    placeholder.PREPARATION: "Read the lessons of this module.",
    placeholder.LESSON_BODY: "People often reach out to friends online first. A short, kind reply can help.",
    placeholder.REFLECTION: "How do you like friends to reply when you share something online?",
    placeholder.QUESTION_STEM: "A short, kind reply online can help a friend feel heard.",
    placeholder.QUESTION_FEEDBACK: "A kind reply shows that you noticed and that you care.",
}


def _scaffold(tmp_path: Path) -> tuple[Path, list[Path]]:
    root = course_copy(tmp_path)
    assert run_cli("new", "module", "Peer support online", "--root", str(root)).code == 0
    assert run_cli("new", "lesson", "M3", "Staying safe", "--root", str(root)).code == 0
    files = sorted((root / "modules" / "03-peer-support-online").iterdir()) + [
        root / "quizzes" / "03-peer-support-online.yaml"]
    return root, files


def test_every_scaffolded_placeholder_is_reported_and_strict_fails(tmp_path: Path) -> None:
    root, files = _scaffold(tmp_path)
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.out  # it loads and builds: placeholders are warnings
    found = [line for line in run.lines if not line.startswith("    ")][:-1]
    assert found and all(line.endswith("[content.placeholder]") and ": warning: " in line for line in found), found
    # Exactly one report per placeholder written, each where the scaffold put it.
    written = [(f.relative_to(root).as_posix(), line_no)
               for f in files for line_no, line in enumerate(f.read_text().splitlines(), 1)
               if any(s in line for s in placeholder.SENTENCES)]
    assert sorted((m[1], int(m[2])) for m in (re.match(r"([^:]+):(\d+):", line) for line in found)) == \
        sorted(written)
    assert len(written) == 10
    hints = [line for line in run.lines if line.startswith("    hint: ")]
    assert len(hints) == len(found) and all("placeholder" in h for h in hints)

    strict = run_cli("check", "--strict", "--root", str(root))
    assert strict.code == 1
    assert "[content.placeholder]" in strict.out


def test_a_filled_in_module_passes_strict(tmp_path: Path) -> None:
    root, files = _scaffold(tmp_path)
    for f in files:
        text = f.read_text(encoding="utf-8")
        for sentence, real in FILLED.items():
            text = text.replace(sentence, real)
        f.write_text(text, encoding="utf-8")
    run = run_cli("check", "--strict", "--root", str(root))
    assert (run.code, run.lines[-1:]) == (0, ["no problems in 17 files"]), run.out


def test_the_scaffold_writes_the_rules_sentences() -> None:
    """One source for both: scaffold.py writes the rule's constants, never its own copies."""
    source = (Path(placeholder.__file__).parents[2] / "scaffold.py").read_text(encoding="utf-8")
    assert not [s for s in placeholder.SENTENCES if s in source]
    assert all(f"ph.{name}" in source for name in ("MODULE_SUMMARY", "OBJECTIVE", "KEY_POINT", "PREPARATION",
                                                     "LESSON_BODY", "REFLECTION", "QUESTION_STEM",
                                                     "QUESTION_FEEDBACK"))
