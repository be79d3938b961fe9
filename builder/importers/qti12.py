"""QTI 1.2 reader: Canvas's quiz exports (a `.zip` with `imsmanifest.xml`, or one
`questestinterop` XML file), and QTI 1.2 from other tools where it uses the same shapes.

Canvas names each item's kind in `question_type` metadata; without it, the kind is read
from the response (`response_lid` single or multiple, `response_str`). Items become:

| Canvas type | bank type |
| --- | --- |
| multiple_choice_question | single |
| true_false_question | true_false |
| multiple_answers_question | multiple |
| short_answer_question | short_answer |
| matching_question | matching |
| essay_question | reflection |

Not representable, listed with their line: numerical, calculated (formula), fill in
multiple blanks, multiple drop-downs, file upload and text-only items. Canvas has no
ordering type (our own exports write ordering as matching, item -> "Step n"), so ordering
comes back as matching. Files a zip carries (`$IMS-CC-FILEBASE$/…`, relative paths) are
copied into the module.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any
from urllib.parse import unquote

from builder.diagnostics import diag
from builder.importers.common import (
    FORMAT,
    MAX_FILE_BYTES,
    MAX_ZIP_TOTAL,
    MEDIA,
    TOO_LARGE,
    Draft,
    Media,
    ReadResult,
    Skipped,
    local,
    one_line,
    parse_xml,
    to_markdown,
)
from builder.model.where import Where

NAME = "qti12"
_FILEBASE = "$IMS-CC-FILEBASE$/"
_UNSUPPORTED = {
    "numerical_question": "numerical answers (with tolerances) have no question type in the bank format",
    "calculated_question": "calculated (formula) questions compute their answers from random values",
    "fill_in_multiple_blanks_question": "several blanks in one text have no question type in the bank format",
    "multiple_dropdowns_question": "several drop-downs in one text have no question type in the bank format",
    "file_upload_question": "file-upload answers have no question type in the bank format",
    "text_only_question": "a text-only item is text shown between questions, not a question",
}
_KNOWN = {"multiple_choice_question", "true_false_question", "multiple_answers_question",
          "short_answer_question", "matching_question", "essay_question"}


def read(data: bytes, name: str, media_dir: str | None = None) -> ReadResult:
    """A zip package or a single QTI 1.2 XML file."""
    out = ReadResult()
    if data[:4] == b"PK\x03\x04":
        _read_zip(out, data, name, media_dir)
    else:
        _read_xml(out, data, name, name, media_dir, {})
    return out


def _read_zip(out: ReadResult, data: bytes, name: str, media_dir: str | None) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        out.diagnostics.append(diag(FORMAT, Where(name, 1, 1), f"zip file cannot be read ({e})",
                                    "export the quiz again, and import the .zip as it was downloaded"))
        return
    total = sum(i.file_size for i in infos)
    big = next((i for i in infos if i.file_size > MAX_FILE_BYTES), None)
    if total > MAX_ZIP_TOTAL or big is not None or len(infos) > 10_000:
        what = f"'{big.filename}' unpacks to {big.file_size:,} bytes" if big else f"it unpacks to {total:,} bytes"
        out.diagnostics.append(diag(TOO_LARGE, Where(name, 1, 1), f"zip refused: {what}",
                                    f"the limits are {MAX_FILE_BYTES:,} bytes a file and {MAX_ZIP_TOTAL:,} in all"))
        return
    files = {i.filename: i for i in infos if not i.is_dir()}

    def get(path: str) -> bytes | None:
        info = files.get(path)
        if info is None:
            return None
        with zf.open(info) as f:
            return f.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]

    qti_files: list[str] = []
    manifest = get("imsmanifest.xml")
    if manifest is not None:
        root, problems = parse_xml(manifest, f"{name}!imsmanifest.xml")
        out.diagnostics += problems
        if root is None:
            return
        for res in root.iter():
            if local(res.tag) != "resource":
                continue
            kind = res.get("type") or ""
            if "qti" not in kind.lower() and "assessment" not in kind.lower():
                continue
            href = res.get("href")
            hrefs = [f.get("href") for f in res if local(f.tag) == "file" and f.get("href")]
            for h in ([href] if href else []) + hrefs:
                if h and h.endswith(".xml") and h not in qti_files and not h.endswith("assessment_meta.xml"):
                    qti_files.append(h)
    else:
        qti_files = sorted(n for n in files if n.endswith(".xml") and not n.endswith("assessment_meta.xml"))
    if not qti_files:
        out.diagnostics.append(diag(FORMAT, Where(name, 1, 1), "the zip holds no QTI 1.2 assessment",
                                    "import a Canvas quiz export (.zip with imsmanifest.xml) or a QTI 1.2 .xml file"))
        return
    for q in qti_files:
        body = get(q)
        if body is None:
            out.diagnostics.append(diag(FORMAT, Where(f"{name}!imsmanifest.xml", 1, 1),
                                        f"the manifest lists '{q}', which is not in the zip"))
            continue
        _read_xml(out, body, f"{name}!{q}", name, media_dir, {"get": get, "base": posixpath.dirname(q)})


def _read_xml(out: ReadResult, data: bytes, shown: str, name: str, media_dir: str | None,
              package: dict[str, Any]) -> None:
    root, problems = parse_xml(data, shown)
    if root is None:
        out.diagnostics += problems
        return
    if local(root.tag) != "questestinterop":
        if package:
            return  # another kind of XML in the package (metadata, a QTI 2 item): not ours
        out.diagnostics.append(diag(FORMAT, Where(shown, root.sourceline or 1, 1),
                                    f"root element is <{local(root.tag)}>, not <questestinterop>: not QTI 1.2",
                                    "import a Canvas quiz export (.zip) or a QTI 1.2 .xml file"))
        return
    for container in root.iter():
        if local(container.tag) not in ("assessment", "objectbank"):
            continue
        title = container.get("title") or ""
        for item in container.iter():
            if local(item.tag) == "item":
                _item(out, item, shown, title, media_dir, package)
    if not any(local(c.tag) in ("assessment", "objectbank") for c in root.iter()):
        for item in root.iter():
            if local(item.tag) == "item":
                _item(out, item, shown, "", media_dir, package)


def _find(el: Any, tag: str) -> Any:
    for c in el.iter():
        if local(c.tag) == tag:
            return c
    return None


def _all(el: Any, tag: str) -> list[Any]:
    return [c for c in el.iter() if local(c.tag) == tag]


def _meta(item: Any) -> dict[str, str]:
    out = {}
    for f in _all(item, "qtimetadatafield"):
        label, entry = _find(f, "fieldlabel"), _find(f, "fieldentry")
        if label is not None:
            out[(label.text or "").strip()] = (entry.text or "").strip() if entry is not None else ""
    return out


class _Ctx:
    def __init__(self, out: ReadResult, shown: str, media_dir: str | None, package: dict[str, Any]) -> None:
        self.out, self.shown, self.media_dir, self.package = out, shown, media_dir, package
        self.used: list[str] = []
        self.remote: list[str] = []

    def material(self, el: Any) -> str:
        """Markdown of the first <mattext> under `el`."""
        if el is None:
            return ""
        m = _find(el, "mattext")
        if m is None:
            return ""
        kind = (m.get("texttype") or "text/plain").lower()
        md, used, remote = to_markdown(m.text or "", "html" if "html" in kind else "plain_text", self.media_dir)
        self.remote += remote
        for u in used:
            self._media(u, m)
        return md

    def _media(self, url: str, el: Any) -> None:
        self.used.append(url)
        get = self.package.get("get")
        if get is None:
            return
        path = unquote(url)
        candidates = ([f"web_resources/{path[len(_FILEBASE):]}"] if path.startswith(_FILEBASE)
                      else [posixpath.normpath(posixpath.join(self.package.get("base", ""), path)), path])
        for c in candidates:
            data = get(c)
            if data is not None:
                self.out.media.append(Media(url, data, Where(self.shown, el.sourceline or 1, 1)))
                return


def _feedbacks(ctx: _Ctx, item: Any) -> dict[str, str]:
    return {fb.get("ident") or "": ctx.material(fb) for fb in _all(item, "itemfeedback")}


def _conditions(item: Any) -> list[tuple[Any, float | None, list[str]]]:
    """(respcondition, SCORE it sets or None, feedback ids it shows)."""
    out = []
    for rc in _all(item, "respcondition"):
        score = None
        for sv in rc:
            if local(sv.tag) == "setvar" and (sv.get("varname") or "SCORE") == "SCORE":
                try:
                    score = float((sv.text or "0").strip())
                except ValueError:
                    score = None
        fbs = [d.get("linkrefid") or "" for d in rc if local(d.tag) == "displayfeedback"]
        out.append((rc, score, fbs))
    return out


def _item(out: ReadResult, item: Any, shown: str, title: str, media_dir: str | None,
          package: dict[str, Any]) -> None:
    ctx = _Ctx(out, shown, media_dir, package)
    where = Where(shown, item.sourceline or 1, 1)
    meta = _meta(item)
    qname = item.get("title") or ""
    kind = meta.get("question_type") or _infer(item)
    if kind in _UNSUPPORTED or kind not in _KNOWN:
        out.skipped.append(Skipped(where, kind or "unknown", _UNSUPPORTED.get(
            kind, "this item's kind is not one the bank format knows"), qname))
        return
    pres = _find(item, "presentation")
    if pres is None:
        out.skipped.append(Skipped(where, kind, "the item has no presentation (no question text)", qname))
        return
    stem_mat = next((c for c in pres if local(c.tag) == "material"), None)
    stem = ctx.material(stem_mat) if stem_mat is not None else ""
    fbs = _feedbacks(ctx, item)
    conds = _conditions(item)
    body = _READERS[kind](ctx, item, pres, conds, fbs, where, qname)
    if body is None:
        return
    if not stem:
        out.skipped.append(Skipped(where, kind, "the item has no question text", qname))
        return
    feedback = body.setdefault("feedback", {})
    if fbs.get("general_fb"):
        feedback["general"] = fbs["general_fb"]
    data: dict[str, Any] = {"stem": stem, **body}
    try:
        points = float(meta.get("points_possible") or 1)
    except ValueError:
        points = 1.0
    if points != 1 and 0 < points <= 100:
        data["points"] = int(points) if points == int(points) else points
    tags = [f"category:{title}"] if title else []
    for r in ctx.remote:
        out.notes.append(diag(MEDIA, where, f"image {r} is on another site: left out of '{qname}'"))
    out.drafts.append(Draft(data=data, where=where, fmt=NAME, source_id=item.get("ident") or "", name=qname,
                            tags=tags, media=ctx.used))


def _infer(item: Any) -> str:
    lid = _find(item, "response_lid")
    if lid is not None:
        if len(_all(item, "response_lid")) > 1:
            return "matching_question"
        return "multiple_answers_question" if (lid.get("rcardinality") or "") == "Multiple" \
            else "multiple_choice_question"
    if _find(item, "response_str") is not None:
        return "short_answer_question" if _find(item, "varequal") is not None else "essay_question"
    if _find(item, "response_num") is not None:
        return "numerical_question"
    return ""


def _labels(ctx: _Ctx, lid: Any) -> list[tuple[str, str]]:
    return [(lab.get("ident") or "", one_line(ctx.material(lab))) for lab in _all(lid, "response_label")]


def _correct_feedback(fbs: dict[str, str], feedback: dict[str, str]) -> None:
    if fbs.get("correct_fb"):
        feedback["correct"] = fbs["correct_fb"]
    inc = fbs.get("general_incorrect_fb") or fbs.get("incorrect_fb")
    if inc:
        feedback["incorrect"] = inc


def _option_feedback(conds: list[tuple[Any, float | None, list[str]]], fbs: dict[str, str]) -> dict[str, str]:
    """Feedback shown for choosing one label (a condition on that label alone)."""
    out: dict[str, str] = {}
    for rc, score, ids in conds:
        if score is not None:
            continue
        eq = [v for v in rc.iter() if local(v.tag) == "varequal"]
        if len(eq) == 1 and ids and (eq[0].getparent() is not None and local(eq[0].getparent().tag) == "conditionvar"):
            fb = fbs.get(ids[0], "")
            if fb:
                out[(eq[0].text or "").strip()] = fb
    return out


def _single(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
            qname: str) -> dict[str, Any] | None:
    right = set()
    for rc, score, _ in conds:
        if score is not None and score > 0:
            right |= {(v.text or "").strip() for v in rc.iter() if local(v.tag) == "varequal"}
    return _choice(ctx, pres, conds, fbs, "single", right)


def _true_false(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
                qname: str) -> dict[str, Any] | None:
    d = _single(ctx, item, pres, conds, fbs, where, qname)
    assert d is not None
    by_text = {o["text"].strip().lower(): o for o in d["options"]}
    if set(by_text) != {"true", "false"}:
        return d  # a true/false item with other words: keep it as single choice
    answer = bool(by_text["true"].get("correct"))
    out: dict[str, Any] = {"type": "true_false", "answer": answer, "feedback": d["feedback"]}
    if by_text["true"].get("feedback"):
        out["feedback_true"] = by_text["true"]["feedback"]
    if by_text["false"].get("feedback"):
        out["feedback_false"] = by_text["false"]["feedback"]
    return out


def _multiple(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
              qname: str) -> dict[str, Any] | None:
    right: set[str] = set()
    for rc, score, _ in conds:
        if score is not None and score > 0:
            for v in rc.iter():
                if local(v.tag) == "varequal" and not any(local(a.tag) == "not" for a in v.iterancestors()):
                    right.add((v.text or "").strip())
    return _choice(ctx, pres, conds, fbs, "multiple", right)


def _choice(ctx: _Ctx, pres: Any, conds: list, fbs: dict[str, str], kind: str,
            right: set[str]) -> dict[str, Any]:
    """A single- or multiple-choice item: its options in order, `right` the correct idents."""
    lid = _find(pres, "response_lid")
    labels = _labels(ctx, lid) if lid is not None else []
    per = _option_feedback(conds, fbs)
    options = []
    for ident, text in labels:
        opt: dict[str, Any] = {"text": text or "-"}
        if ident in right:
            opt["correct"] = True
        if per.get(ident):
            opt["feedback"] = per[ident]
        options.append(opt)
    feedback: dict[str, str] = {}
    _correct_feedback(fbs, feedback)
    return {"type": kind, "options": options, "feedback": feedback}


def _short(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
           qname: str) -> dict[str, Any] | None:
    accepted: list[str] = []
    case = False
    for rc, score, _ in conds:
        if score is not None and score > 0:
            for v in rc.iter():
                if local(v.tag) == "varequal" and (v.text or "").strip():
                    value = one_line(v.text or "")
                    if value not in accepted:
                        accepted.append(value)
                    case = case or (v.get("case") or "No").lower() == "yes"
    if not accepted:
        ctx.out.skipped.append(Skipped(where, "short_answer_question", "no answer gives credit", qname))
        return None
    feedback: dict[str, str] = {}
    _correct_feedback(fbs, feedback)
    d: dict[str, Any] = {"type": "short_answer", "accepted": accepted, "feedback": feedback}
    if case:
        d["case_sensitive"] = True
    return d


def _matching(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
              qname: str) -> dict[str, Any] | None:
    lids = _all(pres, "response_lid")
    answer_of: dict[str, str] = {}
    for rc, score, _ in conds:
        if score is not None and score > 0:
            for v in rc.iter():
                if local(v.tag) == "varequal":
                    answer_of[v.get("respident") or ""] = (v.text or "").strip()
    pairs, used = [], set()
    rights: dict[str, str] = {}
    for lid in lids:
        mat = next((c for c in lid if local(c.tag) == "material"), None)
        left = one_line(ctx.material(mat)) if mat is not None else ""
        labels = _labels(ctx, lid)
        rights.update({k: t for k, t in labels if k not in rights})
        key = answer_of.get(lid.get("ident") or "")
        if left and key in rights:
            pairs.append({"left": left, "right": rights[key]})
            used.add(key)
    distractors = [t for k, t in rights.items() if k not in used and t]
    feedback: dict[str, str] = {}
    _correct_feedback(fbs, feedback)
    d: dict[str, Any] = {"type": "matching", "pairs": pairs, "feedback": feedback}
    if distractors:
        d["distractors"] = distractors
    return d


def _essay(ctx: _Ctx, item: Any, pres: Any, conds: list, fbs: dict[str, str], where: Where,
           qname: str) -> dict[str, Any] | None:
    return {"type": "reflection", "feedback": {}}


_READERS = {
    "multiple_choice_question": _single,
    "true_false_question": _true_false,
    "multiple_answers_question": _multiple,
    "short_answer_question": _short,
    "matching_question": _matching,
    "essay_question": _essay,
}
