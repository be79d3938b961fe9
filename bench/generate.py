"""Synthetic courses at N times the size of ours, for the benchmark.

The real course is copied, and each module is repeated `factor` times under new numbers and
ids (M1 -> M7, M13, ...), so every copy is a valid module with its own lessons and bank.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

MODULE_RE = re.compile(r"^(\d{2})-(.+)$")


def _renumber(text: str, old: int, new: int) -> str:
    text = re.sub(rf"\bM{old}\.([OAQS]\d+)", rf"M{new}.\1", text)
    text = re.sub(rf"^(\s*(?:id|module): )M{old}\s*$", rf"\g<1>M{new}", text, flags=re.M)
    return text


def generate(src: Path, dst: Path, factor: int) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src / "curriculum", dst / "curriculum")
    (dst / "modules").mkdir(parents=True)
    (dst / "quizzes").mkdir()
    course_path = dst / "curriculum" / "course.yaml"
    course = yaml.safe_load(course_path.read_text(encoding="utf-8"))
    originals = list(course["modules"])
    folders = []
    for copy in range(factor):
        for i, folder in enumerate(originals):
            m = MODULE_RE.match(folder)
            assert m, folder
            old = int(m.group(1))
            new = copy * len(originals) + i + 1
            slug = m.group(2) if copy == 0 else f"{m.group(2)}-{copy + 1}"
            new_folder = f"{new:02d}-{slug}"
            folders.append(new_folder)
            for path in sorted((src / "modules" / folder).iterdir()):
                text = _renumber(path.read_text(encoding="utf-8"), old, new)
                if path.name == "module.yaml" and copy:
                    text = re.sub(r"^title: (.*)$", rf"title: \1 (part {copy + 1})", text, count=1, flags=re.M)
                (dst / "modules" / new_folder).mkdir(exist_ok=True)
                (dst / "modules" / new_folder / path.name).write_text(text, encoding="utf-8")
            bank = src / "quizzes" / f"{folder}.yaml"
            if bank.exists():
                (dst / "quizzes" / f"{new_folder}.yaml").write_text(
                    _renumber(bank.read_text(encoding="utf-8"), old, new), encoding="utf-8")
    forms = src / "quizzes" / "forms.yaml"
    if forms.exists():
        shutil.copy(forms, dst / "quizzes" / "forms.yaml")
    text = course_path.read_text(encoding="utf-8")
    listing = "modules:\n" + "".join(f"  - {f}\n" for f in folders)
    text = re.sub(r"^modules:\n(?:[ \t]+-[^\n]*\n)+", lambda _: listing, text, count=1, flags=re.M)
    course_path.write_text(text, encoding="utf-8")
    for extra in ("mkdocs.yml", "package.json"):
        if (src / extra).exists():
            shutil.copy(src / extra, dst / extra)
    if (src / "node_modules").exists():
        (dst / "node_modules").symlink_to((src / "node_modules").resolve())
    return dst


if __name__ == "__main__":
    out = generate(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
    print(out)
