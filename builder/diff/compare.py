"""Compare two course snapshots: what changed, for whom it matters, and which version bump.

`compare(old, new)` returns a `Report`: a list of `Change`s (modules, lessons, objectives,
activities, quiz items, help lines, session plans, course pages, glossary terms), each with
field-by-field details, word-level diffs of changed passages grouped by heading, and an
`impact` that decides the suggested version bump:

- major: an answer key changed, or an objective, lesson, module or quiz item was removed
  (cohorts already running have taught or assessed what is gone, or marked against a key);
- minor: something was added, moved, retitled or re-timed, or a help line's contact changed;
- patch: wording only.

Every change names the editions and languages it reaches (`scope`). Editions
(docs/editions.md): an item marked `editions: [school]` reaches those editions, a lesson or
page whose text changed only inside `!!! edition "school"` blocks reaches only the editions
whose reading of it changed, and a change to an edition's definition (its vocabulary) reaches
that edition; everything else reaches "all" editions. The course has one language, so every
change reaches it ("all"); translations will fill in the language axis the same way.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import asdict, dataclass, field
from typing import Any

from builder.diff.snapshot import FORMAT, Snap

IMPACTS = ("major", "minor", "patch")
AREAS = ("course", "edition", "module", "lesson", "objective", "activity", "question", "help", "timetable", "page",
         "glossary")
AREA_NAMES = {"course": "Course", "edition": "Editions", "module": "Modules", "lesson": "Lessons",
              "objective": "Objectives",
              "activity": "Activities", "question": "Quiz questions", "help": "Help lines",
              "timetable": "Timetable", "page": "Course pages", "glossary": "Glossary"}
ALL = "all"
CONTEXT_WORDS = 6
MAX_HUNKS = 12


@dataclass
class Detail:
    """One changed field: old and new values, or a word diff (`hunks`) of a passage."""

    field: str
    old: str | None = None
    new: str | None = None
    # Each hunk is a list of [op, text] with op "=" (context), "-" (removed) or "+" (added).
    hunks: list[list[list[str]]] = dataclasses.field(default_factory=list)  # `field` names a field here
    more: int = 0  # hunks left out to keep the report short


@dataclass
class Change:
    area: str  # one of AREAS
    kind: str  # added | removed | changed
    id: str  # stable: M4.Q03, modules/04-warning-signs/01-what-to-look-for.md, uk/uk-samaritans
    title: str
    impact: str  # major | minor | patch
    module: str = ""  # module id, for grouping
    where: str = ""  # path:line in the new revision (the old one for removals)
    key_changed: bool = False
    retitled: list[str] = field(default_factory=list)  # [old title, new title]
    moved: list[str] = field(default_factory=list)  # [from, to] in words
    reasons: list[str] = field(default_factory=list)  # why the impact
    details: list[Detail] = field(default_factory=list)
    scope: dict[str, list[str]] = field(default_factory=lambda: {"editions": [ALL], "languages": [ALL]})


@dataclass
class Side:
    label: str  # as given on the command line: v1, HEAD, a folder
    revision: str  # full commit id, or "" for a folder
    version: str
    title: str
    language: str


@dataclass
class Report:
    old: Side
    new: Side
    changes: list[Change]
    bump: dict[str, Any]
    scope: dict[str, list[str]]
    module_titles: dict[str, str] = field(default_factory=dict)  # module id -> "Module 4: Title"

    @property
    def key_changes(self) -> list[Change]:
        return [c for c in self.changes if c.key_changed]

    @property
    def attention(self) -> list[Change]:
        """What running cohorts must hear about first: every major change."""
        return [c for c in self.changes if c.impact == "major"]

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for c in self.changes:
            row = out.setdefault(c.area, {"added": 0, "removed": 0, "changed": 0, "moved": 0, "retitled": 0})
            row[c.kind] += 1
            row["moved"] += bool(c.moved)
            row["retitled"] += bool(c.retitled)
        return {a: out[a] for a in AREAS if a in out}

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "old": asdict(self.old), "new": asdict(self.new), "scope": self.scope,
                "bump": self.bump, "summary": self.summary(),
                "attention": [c.id for c in self.attention], "key_changes": [c.id for c in self.key_changes],
                "changes": [asdict(c) for c in self.changes]}


# -- words ------------------------------------------------------------------------------------


def word_hunks(old: str, new: str, context: int = CONTEXT_WORDS) -> list[list[list[str]]]:
    """A word-level diff: groups of [op, words] with a few words of context around changes."""
    a, b = old.split(), new.split()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    for group in sm.get_grouped_opcodes(context):
        hunk: list[list[str]] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.append(["=", " ".join(a[i1:i2])])
                continue
            if i2 > i1:
                hunk.append(["-", " ".join(a[i1:i2])])
            if j2 > j1:
                hunk.append(["+", " ".join(b[j1:j2])])
        hunks.append(hunk)
    return hunks


def similarity(old: str, new: str) -> float:
    a, b = old.split(), new.split()
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def text_detail(name: str, old: str, new: str) -> Detail | None:
    """A field's change: short values as old/new, passages as a word diff."""
    if old == new:
        return None
    if not old or not new or (len(old) <= 80 and len(new) <= 80):
        return Detail(name, old or None, new or None)
    hunks = word_hunks(old, new)
    return Detail(name, hunks=hunks[:MAX_HUNKS], more=max(0, len(hunks) - MAX_HUNKS))


def value_detail(name: str, old: Any, new: Any) -> Detail | None:
    if old == new:
        return None
    def show(v: object) -> str:
        return ", ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))

    return Detail(name, show(old) or None, show(new) or None)


def _details(*items: Detail | None) -> list[Detail]:
    return [d for d in items if d is not None]


def section_details(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[Detail]:
    """Word diffs of a body, grouped by heading: sections are matched by heading, then (for a
    renamed heading) by text."""
    def label(h: str) -> str:
        return f"section \"{h}\"" if h else "opening text"

    old_left = list(range(len(old)))
    pairs: list[tuple[int | None, int | None]] = []
    for at, s in enumerate(new):
        i = next((i for i in old_left if old[i]["heading"] == s["heading"]), None)
        if i is not None:
            old_left.remove(i)
        pairs.append((i, at))
    # Renamed headings: an unmatched new section takes the unmatched old one most like it.
    for k, (i, j) in enumerate(pairs):
        if i is None and j is not None and old_left:
            text = new[j]["text"]
            best = max(old_left, key=lambda x: similarity(old[x]["text"], text))
            if similarity(old[best]["text"], text) >= 0.6:
                old_left.remove(best)
                pairs[k] = (best, j)
    out: list[Detail] = []
    for i, j in pairs:
        assert j is not None
        s = new[j]
        if i is None:
            out.append(Detail(f"new {label(s['heading'])}", None, _clip(s["text"])))
            continue
        o = old[i]
        if o["heading"] != s["heading"]:
            out.append(Detail("heading", o["heading"] or None, s["heading"] or None))
        if o["text"] != s["text"]:
            hunks = word_hunks(o["text"], s["text"])
            out.append(Detail(label(s["heading"]), hunks=hunks[:MAX_HUNKS], more=max(0, len(hunks) - MAX_HUNKS)))
    for i in old_left:
        out.append(Detail(f"removed {label(old[i]['heading'])}", _clip(old[i]["text"]), None))
    return out


def _clip(text: str, words: int = 40) -> str:
    w = text.split()
    return " ".join(w[:words]) + (" ..." if len(w) > words else "")


# -- matching ---------------------------------------------------------------------------------


def _order_moves(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids whose order relative to the others changed (not in a longest common subsequence)."""
    common_old = [x for x in old_ids if x in set(new_ids)]
    common_new = [x for x in new_ids if x in set(old_ids)]
    sm = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    kept = {x for block in sm.get_matching_blocks() for x in common_old[block.a:block.a + block.size]}
    return set(common_new) - kept


def _match_lessons(old: list[Snap], new: list[Snap]) -> tuple[list[tuple[Snap, Snap]], list[Snap], list[Snap]]:
    """Pair lessons across revisions: same file, else same slug, else same title, else a body
    at least 60% alike (a lesson renamed and rewritten a little)."""
    pairs: list[tuple[Snap, Snap]] = []
    old_left, new_left = list(old), list(new)

    def body(s: Snap) -> str:
        return " ".join(x["text"] for x in s["sections"])

    for key in ("path", "slug", "title"):
        for n in list(new_left):
            o = next((o for o in old_left if o[key] == n[key]), None)
            if o is not None:
                pairs.append((o, n))
                old_left.remove(o)
                new_left.remove(n)
    for n in list(new_left):
        scored = sorted(((similarity(body(o), body(n)), k) for k, o in enumerate(old_left)), reverse=True)
        if scored and scored[0][0] >= 0.6:
            o = old_left[scored[0][1]]
            pairs.append((o, n))
            old_left.remove(o)
            new_left.remove(n)
    return pairs, old_left, new_left


# -- the comparison ---------------------------------------------------------------------------


class _Compare:
    def __init__(self, old: Snap, new: Snap) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        # The editions of the course (docs/editions.md), the new revision's order first.
        ids = [e["id"] for e in new["course"].get("editions", [])]
        self.editions = ids + [e["id"] for e in old["course"].get("editions", []) if e["id"] not in ids]
        self.module_titles = {m["id"]: f"Module {m['number']}: {m['title']}" for m in [*old["modules"],
                                                                                      *new["modules"]]}
        for m in new["modules"]:  # the new title wins
            self.module_titles[m["id"]] = f"Module {m['number']}: {m['title']}"

    def add(self, change: Change) -> None:
        self.changes.append(change)

    # -- editions -------------------------------------------------------------------------------

    def scope(self, *lists: list[str]) -> dict[str, list[str]]:
        """The editions items marked `editions: [...]` reach (an empty list: every edition)."""
        if not self.editions or any(not x for x in lists):
            return {"editions": [ALL], "languages": [ALL]}
        reached = {e for x in lists for e in x}
        return self.named(reached)

    def named(self, reached: set[str]) -> dict[str, list[str]]:
        if not self.editions or set(self.editions) <= reached:
            return {"editions": [ALL], "languages": [ALL]}
        return {"editions": [e for e in self.editions if e in reached] or [ALL], "languages": [ALL]}

    def body_scope(self, o: Snap, n: Snap) -> dict[str, list[str]]:
        """The editions whose reading of a lesson or page changed: each edition reads the body
        with its own `!!! edition` blocks and without the others'."""
        if not self.editions:
            return {"editions": [ALL], "languages": [ALL]}
        ob, nb = o.get("bodies", {}), n.get("bodies", {})
        changed = {e for e in self.editions if ob.get(e, ob.get("")) != nb.get(e, nb.get(""))}
        marked = set(n.get("editions") or self.editions) | set(o.get("editions") or self.editions)
        return self.named(changed & marked or marked)

    def edition_changes(self) -> None:
        old = {e["id"]: e for e in self.old["course"].get("editions", [])}
        new = {e["id"]: e for e in self.new["course"].get("editions", [])}
        for eid, e in new.items():
            if eid not in old:
                self.add(Change("edition", "added", eid, e["title"], "minor", where=e["where"],
                                reasons=[f"edition {eid} added"], scope={"editions": [eid], "languages": [ALL]}))
                continue
            o = old[eid]
            c = Change("edition", "changed", eid, e["title"], "patch", where=e["where"],
                       scope={"editions": [eid], "languages": [ALL]})
            if o["title"] != e["title"]:
                c.retitled = [o["title"], e["title"]]
                c.impact, c.reasons = "minor", [f"edition {eid} retitled"]
            c.details = _details(text_detail("audience", o["audience"], e["audience"]))
            for term in sorted(set(o["vocabulary"]) | set(e["vocabulary"])):
                d = value_detail(f"term {term}", o["vocabulary"].get(term), e["vocabulary"].get(term))
                if d:
                    c.details.append(d)
            if c.details or c.retitled:
                self.add(c)
        for eid, o in old.items():
            if eid not in new:
                self.add(Change("edition", "removed", eid, o["title"], "major", where=o["where"],
                                reasons=[f"edition {eid} removed"], scope={"editions": [eid], "languages": [ALL]}))

    def run(self) -> list[Change]:
        self.course()
        self.edition_changes()
        self.modules()
        self.questions()
        self.help()
        self.timetable()
        self.pages()
        self.glossary()
        order = {a: i for i, a in enumerate(AREAS)}
        positions = {m["id"]: i for i, m in enumerate(self.new["modules"])}
        positions.update({m["id"]: 1000 + i for i, m in enumerate(self.old["modules"]) if m["id"] not in positions})
        return sorted(self.changes, key=lambda c: (order[c.area], positions.get(c.module, -1), _natural(c.id)))

    # -- course and modules -------------------------------------------------------------------

    def course(self) -> None:
        o, n = self.old["course"], self.new["course"]
        details = _details(text_detail("title", o["title"], n["title"]),
                           value_detail("language", o["language"], n["language"]))
        added = [x for x in n["outcomes"] if x not in o["outcomes"]]
        removed = [x for x in o["outcomes"] if x not in n["outcomes"]]
        details += [Detail("outcome added", None, x) for x in added] + [Detail("outcome removed", x, None)
                                                                          for x in removed]
        minutes = [sum(m["duration"] for m in side["modules"]) for side in (self.old, self.new)]
        if minutes[0] != minutes[1]:
            details.append(Detail("duration (minutes)", str(minutes[0]), str(minutes[1])))
        if details:
            impact = "minor" if (added or removed or o["title"] != n["title"] or minutes[0] != minutes[1]) else "patch"
            self.add(Change("course", "changed", n["id"], n["title"], impact, where=n["where"], details=details,
                            reasons=["course outcomes, title or length changed"] if impact == "minor" else []))

    def modules(self) -> None:
        old = {m["id"]: m for m in self.old["modules"]}
        new = {m["id"]: m for m in self.new["modules"]}
        moved = _order_moves([m["id"] for m in self.old["modules"]], [m["id"] for m in self.new["modules"]])
        for mid, m in new.items():
            title = self.module_titles[mid]
            if mid not in old:
                self.add(Change("module", "added", mid, title, "minor", module=mid, where=m["where"],
                                reasons=[f"module {mid} added"],
                                details=[Detail("lessons", None, ", ".join(x["title"] for x in m["lessons"]))]))
                for obj in m["objectives"]:
                    self.add(Change("objective", "added", obj["id"], obj["text"], "minor", module=mid,
                                    where=obj["where"], reasons=[f"objective {obj['id']} added"]))
                continue
            o = old[mid]
            c = Change("module", "changed", mid, title, "patch", module=mid, where=m["where"])
            if o["title"] != m["title"]:
                c.retitled = [o["title"], m["title"]]
                c.impact, c.reasons = "minor", [f"module {mid} retitled"]
            if mid in moved:
                c.moved = [f"position {o['position']}", f"position {m['position']}"]
                c.impact, c.reasons = "minor", [*c.reasons, f"module {mid} moved"]
            c.details = _details(value_detail("folder", o["folder"], m["folder"]),
                                 value_detail("duration (minutes)", o["duration"], m["duration"]),
                                 text_detail("summary", o["summary"], m["summary"]),
                                 text_detail("facilitator notes", o["facilitator_notes"], m["facilitator_notes"]))
            if o["duration"] != m["duration"]:
                c.impact, c.reasons = _raise(c.impact, "minor"), [*c.reasons, f"module {mid} re-timed"]
            for k in [x for x in m["key_points"] if x not in o["key_points"]]:
                c.details.append(Detail("key point added", None, k))
            for k in [x for x in o["key_points"] if x not in m["key_points"]]:
                c.details.append(Detail("key point removed", k, None))
            if c.details or c.retitled or c.moved:
                self.add(c)
            self.objectives(o, m)
            self.activities(o, m)
        for mid, o in old.items():
            if mid not in new:
                self.add(Change("module", "removed", mid, self.module_titles[mid], "major", module=mid,
                                where=o["where"], reasons=[f"module {mid} removed"]))
                for obj in o["objectives"]:
                    self.add(Change("objective", "removed", obj["id"], obj["text"], "major", module=mid,
                                    where=obj["where"], reasons=[f"objective {obj['id']} removed"]))
        self.lessons()

    def objectives(self, om: Snap, nm: Snap) -> None:
        old = {x["id"]: x for x in om["objectives"]}
        new = {x["id"]: x for x in nm["objectives"]}
        for oid, x in new.items():
            if oid not in old:
                self.add(Change("objective", "added", oid, x["text"], "minor", module=nm["id"], where=x["where"],
                                reasons=[f"objective {oid} added"]))
            elif old[oid]["text"] != x["text"]:
                self.add(Change("objective", "changed", oid, x["text"], "patch", module=nm["id"], where=x["where"],
                                details=_details(Detail("text", old[oid]["text"], x["text"]))))
        for oid, x in old.items():
            if oid not in new:
                self.add(Change("objective", "removed", oid, x["text"], "major", module=om["id"], where=x["where"],
                                reasons=[f"objective {oid} removed"]))

    def activities(self, om: Snap, nm: Snap) -> None:
        old = {x["id"]: x for x in om["activities"]}
        new = {x["id"]: x for x in nm["activities"]}
        for aid, x in new.items():
            if aid not in old:
                self.add(Change("activity", "added", aid, x["title"], "minor", module=nm["id"], where=x["where"],
                                reasons=[f"activity {aid} added"],
                                details=[Detail("duration (minutes)", None, str(x["duration"]))],
                                scope=self.scope(x.get("editions", []))))
                continue
            o = old[aid]
            c = Change("activity", "changed", aid, x["title"], "patch", module=nm["id"], where=x["where"],
                       scope=self.scope(o.get("editions", []), x.get("editions", [])))
            if o["title"] != x["title"]:
                c.retitled = [o["title"], x["title"]]
            c.details = _details(value_detail("kind", o["kind"], x["kind"]),
                                 value_detail("duration (minutes)", o["duration"], x["duration"]),
                                 value_detail("objectives", o["objectives"], x["objectives"]),
                                 text_detail("instructions and prompts", o["text"], x["text"]))
            if c.retitled or o["duration"] != x["duration"] or o["kind"] != x["kind"]:
                c.impact, c.reasons = "minor", [f"activity {aid} retitled or re-timed"]
            if c.details or c.retitled:
                self.add(c)
        for aid, x in old.items():
            if aid not in new:
                self.add(Change("activity", "removed", aid, x["title"], "minor", module=om["id"], where=x["where"],
                                reasons=[f"activity {aid} removed"], scope=self.scope(x.get("editions", []))))

    def lessons(self) -> None:
        old = [x for m in self.old["modules"] for x in m["lessons"]]
        new = [x for m in self.new["modules"] for x in m["lessons"]]
        pairs, removed, added = _match_lessons(old, new)
        # Moves within a module: order changed relative to the lessons both revisions have there.
        stayed = [(o, n) for o, n in pairs if o["module"] == n["module"]]
        reordered: set[str] = set()
        for mid in {n["module"] for _, n in stayed}:
            here = [(o, n) for o, n in stayed if n["module"] == mid]
            old_order = [n["path"] for o, n in sorted(here, key=lambda p: p[0]["position"])]
            new_order = [n["path"] for o, n in sorted(here, key=lambda p: p[1]["position"])]
            reordered |= _order_moves(old_order, new_order)
        for o, n in pairs:
            c = Change("lesson", "changed", n["path"], n["title"], "patch", module=n["module"], where=n["where"])
            if o["title"] != n["title"]:
                c.retitled = [o["title"], n["title"]]
                c.impact, c.reasons = "minor", [f"lesson \"{o['title']}\" retitled"]
            if o["module"] != n["module"]:
                c.moved = [str(self.module_titles.get(o["module"], o["module"])), self.module_titles[n["module"]]]
            elif n["path"] in reordered:
                c.moved = [f"lesson {o['position']}", f"lesson {n['position']}"]
            if c.moved:
                c.impact, c.reasons = "minor", [*c.reasons, f"lesson \"{n['title']}\" moved"]
            c.details = _details(value_detail("file", o["path"], n["path"]),
                                 value_detail("duration (minutes)", o["duration"], n["duration"]),
                                 value_detail("objectives", o["objectives"], n["objectives"]),
                                 text_detail("summary", o["summary"], n["summary"]))
            if o["duration"] != n["duration"] or o["objectives"] != n["objectives"]:
                c.impact = _raise(c.impact, "minor")
                c.reasons.append(f"lesson \"{n['title']}\" re-timed or re-aligned")
            meta = bool(c.details or c.retitled or c.moved)
            c.details += section_details(o["sections"], n["sections"])
            c.scope = self.scope(o.get("editions", []), n.get("editions", [])) if meta else self.body_scope(o, n)
            if c.details or c.retitled or c.moved:
                self.add(c)
        for n in added:
            self.add(Change("lesson", "added", n["path"], n["title"], "minor", module=n["module"], where=n["where"],
                            reasons=[f"lesson \"{n['title']}\" added"],
                            details=[Detail("duration (minutes)", None, str(n["duration"]))],
                            scope=self.scope(n.get("editions", []))))
        for o in removed:
            self.add(Change("lesson", "removed", o["path"], o["title"], "major", module=o["module"], where=o["where"],
                            reasons=[f"lesson \"{o['title']}\" removed"], scope=self.scope(o.get("editions", []))))

    # -- quiz items ---------------------------------------------------------------------------

    def questions(self) -> None:
        old = {q["id"]: q for q in self.old["questions"]}
        new = {q["id"]: q for q in self.new["questions"]}
        for qid, q in new.items():
            title = _clip(q["stem"], 14)
            if qid not in old:
                self.add(Change("question", "added", qid, title, "minor", module=q["module"], where=q["where"],
                                reasons=[f"question {qid} added"],
                                details=[Detail("answer", None, q["key"]["text"] or None)],
                                scope=self.scope(q.get("editions", []))))
                continue
            o = old[qid]
            c = Change("question", "changed", qid, title, "patch", module=q["module"], where=q["where"],
                       scope=self.scope(o.get("editions", []), q.get("editions", [])))
            if key_changed(o, q):
                c.key_changed = True
                c.impact, c.reasons = "major", [f"answer key of {qid} changed"]
                c.details.append(Detail("answer key", o["key"]["text"] or "(none)", q["key"]["text"] or "(none)"))
            c.details += _details(value_detail("type", o["type"], q["type"]),
                                  text_detail("stem", o["stem"], q["stem"]),
                                  value_detail("objectives", o["objectives"], q["objectives"]),
                                  value_detail("points", o["points"], q["points"]),
                                  value_detail("scenario", o["scenario"], q["scenario"]))
            c.details += self._options(o, q, c)
            for name in sorted(set(o["feedback"]) | set(q["feedback"])):
                d = text_detail(f"feedback ({name})", o["feedback"].get(name, ""), q["feedback"].get(name, ""))
                if d:
                    c.details.append(d)
            if c.details:
                self.add(c)
        for qid, o in old.items():
            if qid not in new:
                self.add(Change("question", "removed", qid, _clip(o["stem"], 14), "major", module=o["module"],
                                where=o["where"], reasons=[f"question {qid} removed from quizzes and forms"],
                                scope=self.scope(o.get("editions", []))))

    def _options(self, o: Snap, n: Snap, c: Change) -> list[Detail]:
        out: list[Detail] = []
        old_texts = [x["text"] for x in o["options"]]
        new_texts = [x["text"] for x in n["options"]]
        if o["type"] != n["type"] or o["type"] in ("matching", "ordering"):
            if old_texts != new_texts:
                out.append(Detail("items", " | ".join(old_texts) or None, " | ".join(new_texts) or None))
            return out
        sm = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                for a, b in zip(o["options"][i1:i2], n["options"][j1:j2], strict=True):
                    d = text_detail(f"option {b['letter']} feedback", a["feedback"], b["feedback"])
                    if d:
                        out.append(d)
                continue
            olds, news = o["options"][i1:i2], n["options"][j1:j2]
            for k in range(max(len(olds), len(news))):
                a = olds[k] if k < len(olds) else None
                b = news[k] if k < len(news) else None
                if a and b:
                    d = text_detail(f"option {b['letter']}", a["text"], b["text"])
                    if d:
                        out.append(d)
                    d = text_detail(f"option {b['letter']} feedback", a["feedback"], b["feedback"])
                    if d:
                        out.append(d)
                elif b:
                    out.append(Detail(f"option {b['letter']} added", None, b["text"]))
                    c.impact = _raise(c.impact, "minor")
                elif a:
                    out.append(Detail(f"option {a['letter']} removed", a["text"], None))
                    c.impact = _raise(c.impact, "minor")
        return out

    # -- help lines, plans, pages, glossary ---------------------------------------------------

    def help(self) -> None:
        old, new = self.old["help"], self.new["help"]
        for code in sorted(set(old) | set(new)):
            o, n = old.get(code), new.get(code)
            if n is None:
                assert o is not None
                self.add(Change("help", "removed", code, o["name"], "minor", where=o["where"],
                                reasons=[f"region {code} removed"]))
                continue
            if o is None:
                self.add(Change("help", "added", code, n["name"], "minor", where=n["where"],
                                reasons=[f"region {code} added"],
                                details=[Detail("lines", None, ", ".join(x["name"] for x in n["lines"]))]))
                continue
            if o["emergency"] != n["emergency"]:
                self.add(Change("help", "changed", code, f"{n['name']}: emergency number", "minor", where=n["where"],
                                reasons=[f"emergency number of {code} changed"],
                                details=[Detail("emergency number", o["emergency"], n["emergency"])]))
            olines = {x["id"]: x for x in o["lines"]}
            nlines = {x["id"]: x for x in n["lines"]}
            for rid, x in nlines.items():
                label = f"{n['name']}: {x['name']}"
                if rid not in olines:
                    self.add(Change("help", "added", f"{code}/{rid}", label, "minor", where=x["where"],
                                    reasons=[f"help line {x['name']} added"],
                                    details=[Detail("contacts", None, "; ".join(x["contacts"]))]))
                    continue
                y = olines[rid]
                c = Change("help", "changed", f"{code}/{rid}", label, "patch", where=x["where"])
                c.details = _details(
                    value_detail("name", y["name"], x["name"]),
                    value_detail("contacts", y["contacts"], x["contacts"]),
                    text_detail("hours", y["hours"], x["hours"]),
                    text_detail("who it is for", y["who_for"], x["who_for"]),
                    value_detail("languages", y["languages"], x["languages"]),
                    value_detail("crisis line", "yes" if y["crisis"] else "no", "yes" if x["crisis"] else "no"),
                    value_detail("group", y["group"], x["group"]),
                    text_detail("notes", y["notes"], x["notes"]),
                    value_detail("how it was checked", y["verification"], x["verification"]),
                    value_detail("checked on", y["checked_on"], x["checked_on"]),
                    value_detail("source", y["source"], x["source"]))
                if y["contacts"] != x["contacts"] or y["crisis"] != x["crisis"] or y["name"] != x["name"]:
                    c.impact, c.reasons = "minor", [f"help line {x['name']} changed its contacts"]
                if c.details:
                    self.add(c)
            for rid, y in olines.items():
                if rid not in nlines:
                    self.add(Change("help", "removed", f"{code}/{rid}", f"{o['name']}: {y['name']}", "minor",
                                    where=y["where"], reasons=[f"help line {y['name']} removed"]))

    def timetable(self) -> None:
        old = {p["id"]: p for p in self.old["timetable"]}
        new = {p["id"]: p for p in self.new["timetable"]}
        for pid, p in new.items():
            if pid not in old:
                self.add(Change("timetable", "added", pid, p["title"], "minor", where=p["where"],
                                reasons=[f"session plan {pid} added"],
                                details=[Detail("total minutes", None, str(p["minutes"]))]))
                continue
            o = old[pid]
            c = Change("timetable", "changed", pid, p["title"], "minor", where=p["where"],
                       reasons=[f"session plan {pid} changed"])
            if o["title"] != p["title"]:
                c.retitled = [o["title"], p["title"]]
            c.details = _details(value_detail("total minutes", o["minutes"], p["minutes"]),
                                 text_detail("summary", o["summary"], p["summary"]))
            sm = difflib.SequenceMatcher(None, o["rows"], p["rows"], autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                if tag != "equal":
                    c.details.append(Detail("rows", "; ".join(o["rows"][i1:i2]) or None,
                                            "; ".join(p["rows"][j1:j2]) or None))
            if c.details or c.retitled:
                self.add(c)
        for pid, o in old.items():
            if pid not in new:
                self.add(Change("timetable", "removed", pid, o["title"], "minor", where=o["where"],
                                reasons=[f"session plan {pid} removed"]))

    def pages(self) -> None:
        pairs, removed, added = _match_lessons(self.old["pages"], self.new["pages"])
        for o, n in pairs:
            c = Change("page", "changed", n["path"], n["title"], "patch", where=n["where"])
            if o["title"] != n["title"]:
                c.retitled = [o["title"], n["title"]]
            c.details = _details(value_detail("file", o["path"], n["path"]),
                                 value_detail("audience", o["audience"], n["audience"]))
            meta = bool(c.details or c.retitled)
            c.details += section_details(o["sections"], n["sections"])
            c.scope = self.scope(o.get("editions", []), n.get("editions", [])) if meta else self.body_scope(o, n)
            if c.details or c.retitled:
                self.add(c)
        for n in added:
            self.add(Change("page", "added", n["path"], n["title"], "minor", where=n["where"],
                            reasons=[f"page \"{n['title']}\" added"], scope=self.scope(n.get("editions", []))))
        for o in removed:
            self.add(Change("page", "removed", o["path"], o["title"], "minor", where=o["where"],
                            reasons=[f"page \"{o['title']}\" removed"], scope=self.scope(o.get("editions", []))))

    def glossary(self) -> None:
        old = {t["term"].casefold(): t for t in self.old["glossary"]}
        new = {t["term"].casefold(): t for t in self.new["glossary"]}
        for k, t in new.items():
            if k not in old:
                self.add(Change("glossary", "added", t["term"], t["term"], "patch", where=t["where"],
                                details=[Detail("definition", None, t["definition"])]))
            elif old[k]["definition"] != t["definition"]:
                self.add(Change("glossary", "changed", t["term"], t["term"], "patch", where=t["where"],
                                details=_details(text_detail("definition", old[k]["definition"], t["definition"]))))
        for k, t in old.items():
            if k not in new:
                self.add(Change("glossary", "removed", t["term"], t["term"], "patch", where=t["where"]))


def key_changed(old: Snap, new: Snap) -> bool:
    """Whether marking changes: another type, other correct letters, a correct option that is
    now a different answer (not a rewording of the old one), or another true/false, accepted
    answer, pairing or order."""
    if old["type"] != new["type"]:
        return old["type"] != "reflection" or new["type"] != "reflection"
    if old["type"] in ("single", "multiple"):
        ok, nk = old["key"], new["key"]
        if ok["letters"] != nk["letters"]:
            return True
        return any(similarity(a, b) < 0.6 for a, b in zip(ok["texts"], nk["texts"], strict=True))
    return bool(old["key"]["text"] != new["key"]["text"])


def _raise(current: str, to: str) -> str:
    return current if IMPACTS.index(current) <= IMPACTS.index(to) else to


def _natural(text: str) -> list[Any]:
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def parse_version(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split(".")] + [0, 0]
    return parts[0], parts[1], parts[2]


def bump_kind(old: str, new: str) -> str:
    """What kind of bump went from `old` to `new`: major, minor, patch, none or lower."""
    a, b = parse_version(old), parse_version(new)
    if b == a:
        return "none"
    if b < a:
        return "lower"
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


def suggest(changes: list[Change]) -> tuple[str, list[str]]:
    """The bump the changes call for, and the reasons for it (those of the deciding impact)."""
    if not changes:
        return "none", []
    kind = min((c.impact for c in changes), key=IMPACTS.index)
    reasons = [r for c in changes if c.impact == kind for r in c.reasons] or ["wording changed"]
    return kind, list(dict.fromkeys(reasons))


def compare(old: Snap, new: Snap, old_side: Side, new_side: Side) -> Report:
    comparison = _Compare(old, new)
    changes = comparison.run()
    kind, reasons = suggest(changes)
    done = bump_kind(old_side.version, new_side.version)
    enough = kind == "none" or (done not in ("none", "lower") and IMPACTS.index(done) <= IMPACTS.index(kind))
    bump = {"suggested": kind, "reasons": reasons, "old_version": old_side.version,
            "new_version": new_side.version, "actual": done, "enough": enough}
    languages = sorted({old_side.language, new_side.language})
    reached = [c.scope["editions"] for c in changes]
    editions = [ALL] if not changes or any(r == [ALL] for r in reached) else \
        [e for e in comparison.editions if any(e in r for r in reached)]
    return Report(old_side, new_side, changes, bump, {"editions": editions, "languages": languages},
                  comparison.module_titles)
