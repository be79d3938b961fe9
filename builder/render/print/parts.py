"""Long documents (workbook, facilitator guide) rendered as parts and merged into one PDF/UA file.

WeasyPrint lays out one document in one process; a 190-page workbook then holds up the whole
build on one core, and any lesson edit lays it out again from scratch. So a long document is
cut into parts at its right-hand page breaks (front matter, each module, end matter), each part
is rendered by the process pool on its own, and `merge` joins the part PDFs.

Three things make the parts line up with a single render of the same HTML:

- Page numbers: part k starts at the page the *page map* gives it, with
  `@page :first { counter-reset: page S }`; every part starts on a right-hand page and a blank
  page goes before it when the pages before it end on a right-hand page.
- Links into other parts (the contents, "on page N", links between lessons) point at a
  placeholder `https://xref.invalid/ID` and carry the target's page number from the page map in
  `data-page` (print.css prints it where `target-counter` would); the merge turns them back into
  internal links to the named destination ID.
- The page map (every anchor's page) comes from the previous build of the document, stored
  with the PDF cache. Without one the document is rendered whole, as it always was, and the map
  is taken from that render. After the parts are rendered the map is checked against the pages
  they really have; parts whose input changed under the corrected map are rendered again (the
  cache keeps the others) until nothing changes.

pikepdf does not merge structure trees, outlines or name trees by itself: `merge` does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from builder.util import write_atomic

SPLIT_KINDS = frozenset({"workbook", "facilitator"})
XREF = "https://xref.invalid/"
MERGE_VERSION = "parts-merge-1"  # part of the merged file's cache key
MAX_ROUNDS = 3  # page-map corrections before giving up and rendering the document whole


def parts_mode(extra: dict[str, str]) -> str:
    """"off" (always one render: the default), "auto" (parts when a page map is known), or
    "always" (render whole for the map first when there is none, then parts: for tests).

    "off" is the default because "auto" gives a first build (one render, no map yet) and the
    builds after it (merged parts) different bytes for the same source; outputs must be
    byte-identical for the same source whatever the cache holds. Opt in with
    COURSE_PDF_PARTS=auto for fast one-lesson rebuilds while writing."""
    mode = extra.get("pdf_parts") or os.environ.get("COURSE_PDF_PARTS", "") or "off"
    return mode if mode in ("auto", "off", "always") else "off"


@dataclass
class Split:
    """A document's HTML cut into parts: (id of the part's first element, body fragment)."""

    head: str  # up to and including <body ...>
    tail: str  # </body></html>
    parts: list[tuple[str, str]]
    ids: list[set[str]] = field(default_factory=list)  # the ids each part holds

    def __post_init__(self) -> None:
        self.ids = [set(re.findall(r'\sid="([^"]+)"', frag)) for _, frag in self.parts]


_TAG = re.compile(r'<(/?)(section|nav|div)\b([^>]*)>')
_CLASS = re.compile(r'\bclass="([^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')


def split_html(html: str) -> Split | None:
    """Cut before each top-level `section.part` that starts on a right-hand page (print.css:
    `.part { break-before: right }`, but not `.front-part` nor a part right after an appendix).
    None when there is nothing to cut."""
    body = re.search(r"<body\b[^>]*>", html)
    end = html.rfind("</body>")
    if not body or end < 0:
        return None
    start = body.end()
    depth, previous, cuts = 0, "", []
    for m in _TAG.finditer(html, start, end):
        closing, attrs = m.group(1), m.group(3)
        if closing:
            depth -= 1
            continue
        if depth == 0:
            classes = set(_CLASS.search(attrs).group(1).split()) if _CLASS.search(attrs) else set()
            ident = _ID.search(attrs)
            right = ("part" in classes and "front-part" not in classes
                     and not {"part", "appendix"} <= set(previous.split()))
            if right and ident and m.start() > start:
                cuts.append((m.start(), ident.group(1)))
            previous = " ".join(sorted(classes))
        depth += 1
    if not cuts:
        return None
    bounds = [(start, "")] + cuts
    parts = [(ident, html[pos:(bounds[i + 1][0] if i + 1 < len(bounds) else end)])
             for i, (pos, ident) in enumerate(bounds)]
    return Split(html[:start], html[end:], parts)


@dataclass
class PageMap:
    """Where everything of a long document lands: every anchor's page number (1-based)."""

    anchors: dict[str, int]

    def to_json(self) -> str:
        return json.dumps({"anchors": self.anchors}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PageMap | None:
        try:
            data = json.loads(text)
            return cls({str(k): int(v) for k, v in data["anchors"].items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def map_key(name: str, page_css: str) -> str:
    """Which stored page map belongs to a document: its name and page rules (a map that does
    not know a part's first element is not used: `starts_of`)."""
    return hashlib.sha256(f"{name}\0{page_css}\0".encode()).hexdigest()[:32]


def load_map(cache_dir: Path | None, key: str) -> PageMap | None:
    if cache_dir is None:
        return None
    f = cache_dir / f"pagemap-{key}.json"
    try:
        return PageMap.from_json(f.read_text(encoding="utf-8"))
    except OSError:
        return None


def save_map(cache_dir: Path | None, key: str, pm: PageMap) -> None:
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_dir / f"pagemap-{key}.json", pm.to_json().encode())


def starts_of(split: Split, pm: PageMap) -> list[int] | None:
    """Each part's first page number, or None when the map does not know a part."""
    starts = [1]
    for ident, _ in split.parts[1:]:
        if ident not in pm.anchors:
            return None
        starts.append(pm.anchors[ident])
    return starts


def part_html(split: Split, k: int, pm: PageMap) -> str:
    """Part k as a whole HTML document; links into other parts carry their page number."""
    own = split.ids[k]

    def fix(m: re.Match[str]) -> str:
        tag, target = m.group(0), m.group(1)
        if target in own or target not in pm.anchors:
            return tag
        tag = tag.replace(f'href="#{target}"', f'href="{XREF}{target}" data-page="{pm.anchors[target]}"', 1)
        if ' class="' in tag:
            return tag.replace(' class="', ' class="xref ', 1)
        return "<a class=\"xref\"" + tag[2:]

    body = re.sub(r'<a\b[^>]*\bhref="#([^"]+)"[^>]*>', fix, split.parts[k][1])
    return split.head + body + split.tail


def part_page_css(page_css: str, start: int) -> str:
    return page_css + (f"@page :first {{ counter-reset: page {start}; }}\n" if start != 1 else "")


def map_from_whole(anchors: dict[str, int]) -> PageMap:
    return PageMap({k: v + 1 for k, v in anchors.items()})


def map_from_parts(page_counts: list[int], anchors: list[dict[str, int]]) -> tuple[PageMap, list[int]]:
    """The map the rendered parts really give, and each part's start page (every part starts on
    a right-hand, odd page)."""
    starts, page = [], 1
    for n in page_counts:
        if page % 2 == 0:
            page += 1
        starts.append(page)
        page += n
    merged: dict[str, int] = {}
    for start, local in zip(starts, anchors, strict=True):
        for k, v in local.items():
            merged.setdefault(k, start + v)
    return PageMap(merged), starts


# -- the merge ----------------------------------------------------------------------------------

class MergeError(Exception):
    pass


def merge(part_pdfs: list[Path], starts: list[int], target: Path) -> int:
    """Join the part PDFs into `target` (written atomically): pages (with a blank page where a
    part must start on a right-hand page), structure trees, parent trees, outlines, named
    destinations and links; metadata, language and viewer preferences from the first part.
    Table-header ids are prefixed per part. Returns the page count."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    sources = [pikepdf.open(p) for p in part_pdfs]
    try:
        out = pikepdf.new()
        first = sources[0]
        # Catalogue and document information from the first part: every part has the same <head>.
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents"):
            if key in first.Root:
                out.Root[key] = _copy(out, first, first.Root[key])
        if first.trailer.get("/Info") is not None:
            out.trailer.Info = _copy(out, first, first.trailer.Info)
        version = first.pdf_version

        doc = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([doc])))
        doc.P = root
        page_entries: list[tuple[int, object]] = []
        annot_entries: list[tuple[int, object]] = []  # (key, element): numbered after all pages
        dests: dict[str, object] = {}
        outline_items: list[tuple[object, object]] = []  # (first, last) of each part's top level
        outline_count = 0
        total_pages = sum(len(s.pages) for s in sources) + sum(
            1 for i in range(1, len(starts)) if starts[i] != starts[i - 1] + len(sources[i - 1].pages))
        page_no = 0
        annot_order = 0
        for k, (src, start) in enumerate(zip(sources, starts, strict=True)):
            while page_no + 1 < start:  # a blank left-hand page before a part
                prev = out.pages[-1]
                out.add_blank_page(page_size=(float(prev.mediabox[2]), float(prev.mediabox[3])))
                blank = out.pages[-1]
                blank.obj.StructParents = page_no
                page_entries.append((page_no, Array()))
                page_no += 1
            if page_no + 1 != start:
                raise MergeError(f"part {k + 1} should start on page {start}, but {page_no} pages come before it")
            tree = src.Root.get("/StructTreeRoot")
            if tree is None:
                raise MergeError(f"part {k + 1} is not tagged")
            _prefix_ids(src, f"p{k}-")
            old_nums = _nums(tree.ParentTree)
            n = len(src.pages)
            # Top-level structure elements, re-parented to the one Document element.
            kids = list(tree.K[0].K)
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and "/P" in kid:
                    del kid["/P"]
            for page in src.pages:
                _rewrite_links(page)
                out.pages.append(page)
            # What else this part brings, copied in one go (qpdf's foreign-object map is shared
            # with the pages just appended, so references to them land on the copies).
            page_keys = [int(pg.obj.StructParents) if "/StructParents" in pg.obj else None for pg in src.pages]
            annot_keys = sorted({int(a.StructParent) for pg in src.pages for a in pg.obj.get("/Annots", [])
                                 if "/StructParent" in a})
            names = src.Root.get("/Names")
            part_dests = _name_tree(names.Dests) if names is not None and "/Dests" in names else []
            outlines = src.Root.get("/Outlines")
            has_outline = outlines is not None and "/First" in outlines
            bundle = [*kids, *[old_nums.get(key, Array()) if key is not None else Array() for key in page_keys],
                      *[old_nums[key] for key in annot_keys if key in old_nums], *[d for _, d in part_dests]]
            if has_outline:
                bundle.append(outlines)
            copied = out.copy_foreign(src.make_indirect(Array(bundle)))
            pos = 0
            for kid in copied[pos:pos + len(kids)]:
                if isinstance(kid, pikepdf.Dictionary):
                    kid.P = doc
                doc.K.append(kid)
            pos += len(kids)
            for i, key in enumerate(page_keys):
                if key is not None:
                    out.pages[page_no + i].obj.StructParents = page_no + i
                    page_entries.append((page_no + i, copied[pos + i]))
            pos += len(page_keys)
            # Annotations numbered after all pages, in the order the part numbered them, as
            # the single render does.
            renumber = {}
            for key in annot_keys:
                renumber[key] = total_pages + annot_order
                if key in old_nums:
                    annot_entries.append((total_pages + annot_order, copied[pos]))
                    pos += 1
                annot_order += 1
            for i in range(n):
                for annot in out.pages[page_no + i].obj.get("/Annots", []):
                    if "/StructParent" in annot:
                        annot.StructParent = renumber[int(annot.StructParent)]
            for (name, _), dest in zip(part_dests, copied[pos:pos + len(part_dests)], strict=True):
                dests.setdefault(name, dest)
            pos += len(part_dests)
            if has_outline:
                top = copied[pos]
                outline_items.append((top.First, top.Last))
                outline_count += int(outlines.get("/Count", 0))
            page_no += n
        if page_no != total_pages:
            raise MergeError(f"merged {page_no} pages, expected {total_pages}")

        nums = Array()
        for key, value in page_entries:
            nums.append(key)
            nums.append(value)
        for key, elem in annot_entries:
            nums.append(key)
            nums.append(elem)
        root.ParentTree = out.make_indirect(Dictionary(Nums=nums))
        root.ParentTreeNextKey = total_pages + annot_order
        out.Root.StructTreeRoot = root
        if dests:
            flat = Array()
            for name in sorted(dests):
                flat.append(String(name))
                flat.append(dests[name])
            out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=flat)))
        if outline_items:
            top = out.make_indirect(Dictionary(Count=outline_count))
            for i, (head, _) in enumerate(outline_items):
                item = head
                while True:
                    item.Parent = top
                    if "/Next" not in item:
                        break
                    item = item.Next
                if i:
                    prev_last = outline_items[i - 1][1]
                    prev_last.Next = head
                    head.Prev = prev_last
            top.First, top.Last = outline_items[0][0], outline_items[-1][1]
            out.Root.Outlines = top
        for page in out.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and str(action.get("/URI", "")).startswith(XREF):
                    raise MergeError(f"a link to {action.URI} has no target in the document")
        tmp = target.with_name(f".{target.name}.{os.getpid()}.merge")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            out.save(tmp, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                     compress_streams=True, linearize=False, min_version=version)
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        return total_pages
    finally:
        for s in sources:
            s.close()


def _copy(out, src, obj):  # noqa: ANN001, ANN202
    """`obj` of `src` in `out`: indirect objects through qpdf's foreign-object map (shared by
    everything copied from one source, so references to its pages land on the copied pages),
    direct arrays and dictionaries by first making them indirect."""
    import pikepdf

    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)) and not obj.is_indirect:
        obj = src.make_indirect(obj)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
        return out.copy_foreign(obj)
    return obj


def _nums(parent_tree: object) -> dict[int, object]:
    """A number tree as a dict (flat /Nums or /Kids)."""
    out: dict[int, object] = {}
    stack = [parent_tree]
    while stack:
        node = stack.pop()
        if "/Nums" in node:  # type: ignore[operator]
            arr = node.Nums  # type: ignore[attr-defined]
            for i in range(0, len(arr), 2):
                out[int(arr[i])] = arr[i + 1]
        stack.extend(node.get("/Kids", []))  # type: ignore[attr-defined]
    return out


def _name_tree(node: object) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if "/Names" in n:  # type: ignore[operator]
            arr = n.Names  # type: ignore[attr-defined]
            out += [(str(arr[i]), arr[i + 1]) for i in range(0, len(arr), 2)]
        stack.extend(n.get("/Kids", []))  # type: ignore[attr-defined]
    return out


def _rewrite_links(page: object) -> None:
    """Placeholder links into other parts become internal links to the named destination."""
    from pikepdf import String

    for annot in page.obj.get("/Annots", []):  # type: ignore[attr-defined]
        action = annot.get("/A")
        if action is None or "/URI" not in action:
            continue
        uri = str(action.URI)
        if uri.startswith(XREF):
            ident = uri[len(XREF):]
            del annot["/A"]
            annot.Dest = String(ident)
            annot.Contents = String(ident)


def _prefix_ids(src: object, prefix: str) -> None:
    """Prefix structure-element /ID values (WeasyPrint numbers table headers by the table's
    object number, which another part may use too) and the /Headers that point at them."""
    import pikepdf
    from pikepdf import Array, String

    for obj in src.objects:  # type: ignore[attr-defined]
        if not isinstance(obj, pikepdf.Dictionary) or "/S" not in obj:
            continue
        if obj.S not in ("/TH", "/TD"):
            continue
        if "/ID" in obj:
            obj.ID = String(prefix + str(obj.ID))
        attrs = obj.get("/A")
        for a in (attrs if isinstance(attrs, pikepdf.Array) else [attrs] if attrs is not None else []):
            if isinstance(a, pikepdf.Dictionary) and "/Headers" in a:
                a.Headers = Array([String(prefix + str(h)) for h in a.Headers])


# -- planning the renders -------------------------------------------------------------------------

@dataclass
class _Long:
    """One long document on its way through the parts pipeline."""

    job: object  # engine.Job of the whole document
    split: Split | None  # None: rendered whole for its page map, never cut
    key: str  # its page map's key
    pm: PageMap | None
    parts: list[object] = field(default_factory=list)  # engine.Job per part, as last rendered
    outcomes: list[object] = field(default_factory=list)  # engine.Outcome per part
    rounds: int = 0


def render_with_parts(jobs: list, kinds: list[str], cache_dir: Path | None, mode: str, run, work: Path) -> list:
    """Render `jobs` (engine.Job, with each document's kind in `kinds`) through `run` (a
    render_jobs call), long documents in parts where a page map allows. Returns one
    engine.Outcome per job, in order; part PDFs are written under `work` only."""
    from dataclasses import replace

    from builder.render.print.engine import Outcome

    longs: dict[int, _Long] = {}
    if mode != "off":
        for i, (job, kind) in enumerate(zip(jobs, kinds, strict=True)):
            if kind not in SPLIT_KINDS:
                continue
            key = map_key(job.name, job.page_css)
            pm = load_map(cache_dir, key)
            if pm is None and cache_dir is None and mode != "always":
                continue  # nowhere to keep a map: one render, as always
            # Without a map (and in "auto") the document is rendered whole: no need to cut it,
            # so a first build does no work that today's single render did not.
            split = split_html(job.html) if pm is not None or mode == "always" else None
            if (pm is not None or mode == "always") and (split is None or len(split.parts) < 2):
                continue  # nothing to cut
            if split is not None and pm is not None and starts_of(split, pm) is None:
                pm = None
            longs[i] = _Long(job, split, key, pm)

    def part_jobs(d: _Long, i: int, pm: PageMap) -> list:
        starts = starts_of(d.split, pm)
        assert starts is not None
        stem = Path(d.job.name).stem  # type: ignore[attr-defined]
        return [replace(d.job, name=f"{d.job.name}#part{k + 1}", html=part_html(d.split, k, pm),  # type: ignore[call-arg]
                        page_css=part_page_css(d.job.page_css, starts[k]), anchors=True,  # type: ignore[attr-defined]
                        target=work / f"{i:02d}-{stem}-part{k + 1:02d}.pdf")
                for k in range(len(d.split.parts))]

    results: dict[int, object] = {}
    # Round one: everything else, whole renders where no map is known (they give the map),
    # and every part of the documents that have one.
    first: list = []
    for i, job in enumerate(jobs):
        d = longs.get(i)
        if d is None:
            first.append(job)
        elif d.pm is None:
            first.append(replace(job, anchors=True))
        else:
            d.parts = part_jobs(d, i, d.pm)
            first.extend(d.parts)
    outcomes = {o.name: o for o in run(first)}
    pending: dict[int, _Long] = {}
    for i, job in enumerate(jobs):
        d = longs.get(i)
        if d is None:
            results[i] = outcomes[job.name]
            continue
        if d.pm is None:
            whole = outcomes[job.name]
            results[i] = whole
            if not whole.problems:  # type: ignore[attr-defined]
                d.pm = map_from_whole(whole.anchors)  # type: ignore[attr-defined]
                save_map(cache_dir, d.key, d.pm)
                if mode == "always" and d.split is not None:
                    d.parts = part_jobs(d, i, d.pm)
                    d.outcomes = [None] * len(d.parts)
                    pending[i] = d
            continue
        d.outcomes = [outcomes[p.name] for p in d.parts]
        pending[i] = d
    # Further rounds: a part's page count changed, so later parts start elsewhere and links
    # into them print other numbers; render again only the parts whose input changed.
    while pending:
        todo: list = []
        redo: dict[int, list[int]] = {}
        for i, d in list(pending.items()):
            if any(o is not None and o.problems for o in d.outcomes):  # type: ignore[attr-defined]
                results[i] = _combined(d, Outcome)
                del pending[i]
                continue
            if all(o is not None for o in d.outcomes):
                pm, starts = map_from_parts([o.pages for o in d.outcomes],  # type: ignore[attr-defined]
                                            [o.anchors for o in d.outcomes])  # type: ignore[attr-defined]
                wanted = part_jobs(d, i, pm)
                changed = [k for k, (a, b) in enumerate(zip(d.parts, wanted, strict=True))
                           if (a.html, a.page_css) != (b.html, b.page_css)]  # type: ignore[attr-defined]
                if not changed:
                    results[i] = _finish(d, starts, pm, cache_dir, Outcome)
                    del pending[i]
                    continue
                d.rounds += 1
                if d.rounds > MAX_ROUNDS:  # does not settle: render it whole, as always
                    whole = run([replace(d.job, anchors=True)])[0]  # type: ignore[call-arg]
                    if not whole.problems:
                        save_map(cache_dir, d.key, map_from_whole(whole.anchors))
                    results[i] = whole
                    del pending[i]
                    continue
                d.parts = wanted
            else:
                changed = [k for k, o in enumerate(d.outcomes) if o is None]
            redo[i] = changed
            todo.extend(d.parts[k] for k in changed)
        if not todo:
            break
        fresh = {o.name: o for o in run(todo)}
        for i, changed in redo.items():
            d = pending[i]
            for k in changed:
                d.outcomes[k] = fresh[d.parts[k].name]  # type: ignore[attr-defined]
    return [results[i] for i in range(len(jobs))]


def _combined(d: _Long, outcome_cls, pages: int = 0):  # noqa: ANN001, ANN202
    outs = [o for o in d.outcomes if o is not None]
    return outcome_cls(d.job.name, pages=pages, seconds=sum(o.seconds for o in outs),  # type: ignore[attr-defined]
                       cached=all(o.cached for o in outs),
                       problems=[p for o in outs for p in o.problems],
                       warnings=[w for o in outs for w in o.warnings])


def _finish(d: _Long, starts: list[int], pm: PageMap, cache_dir: Path | None, outcome_cls):  # noqa: ANN001, ANN202
    """Merge the settled parts into the document's target (from the cache when these very
    parts were merged before) and keep the page map for the next build."""
    target: Path = d.job.target  # type: ignore[attr-defined]
    keys = [o.key for o in d.outcomes]  # type: ignore[attr-defined]
    cached = None
    if cache_dir is not None and all(keys):
        h = hashlib.sha256(MERGE_VERSION.encode())
        h.update(("\0".join(keys) + "\0" + ",".join(map(str, starts))).encode())
        cached = cache_dir / f"merged-{h.hexdigest()}.pdf"
    hit = cached is not None and cached.is_file() and cached.with_suffix(".pages").is_file()
    if hit:
        assert cached is not None
        write_atomic(target, cached.read_bytes())
        os.utime(cached)
        pages = int(cached.with_suffix(".pages").read_text() or 0)
    else:
        try:
            pages = merge([p.target for p in d.parts], starts, target)  # type: ignore[attr-defined]
        except MergeError as e:
            out = _combined(d, outcome_cls)
            out.problems.append(f"merging the parts of {d.job.name} failed: {e}")  # type: ignore[attr-defined]
            return out
        if cached is not None:
            cached.with_suffix(".pages").write_text(str(pages))
            write_atomic(cached, target.read_bytes())
    save_map(cache_dir, d.key, pm)
    out = _combined(d, outcome_cls, pages)
    out.cached = out.cached and hit
    return out
