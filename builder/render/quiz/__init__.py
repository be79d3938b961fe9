"""Quiz banks and forms for every LMS: Moodle XML, GIFT, Aiken, QTI 1.2 (Canvas), QTI 2.1,
Common Cartridge 1.1, JSON and CSV.

    plan_exports(project, opts) -> list[Artifact]     what `course build` will write
    export_all(project, out_root, opts) -> list[Artifact]
    export_format(collection, name) -> Export          one format, in memory (CLI, tests)
    bank_collection / form_collection                  what to export

Everything lands in `out_root/downloads/quizzes/`: for the course's banks and for every
form in `quizzes/forms.yaml`, one file per format (Aiken: one per module or variant), plus
`what-each-format-loses.txt`, the loss table instructors should read before importing.
Output bytes depend only on the source files (and SOURCE_DATE_EPOCH for zip dates).

Who gets them: every format carries the answers (Aiken `ANSWER:` lines, Moodle's
`fraction="100"`, the CSV's `correct` column, grader information), so LMS files are
organisers' and facilitators' material. Only a facilitator build (`opts.audience ==
"facilitator"`) plans and writes them; a participant build writes none (`EXPORT_AUDIENCES`).
`course export quizzes` is the organisers' own command and exports whatever it is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder.model import schema
from builder.model.forms import build_form
from builder.model.project import Project
from builder.render import Artifact, BuildOptions, Renderer, RenderJob, register
from builder.render.quiz import aiken, cc11, gift, moodle, qti12, qti21, tabular
from builder.render.quiz.common import Collection, Export, Loss, Section, bank_collection, make_item

OUT_DIR = "downloads/quizzes"
LOSS_FILE = "what-each-format-loses.txt"

# The build audiences that receive LMS files. Participants never do: every format holds the
# answer key of every bank and form.
EXPORT_AUDIENCES = frozenset({"facilitator"})


def ships_exports(opts: BuildOptions) -> bool:
    """Whether a build for `opts` writes quiz exports (only a facilitator build does)."""
    return opts.audience in EXPORT_AUDIENCES


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    export: Callable[[Collection], Export]
    names: Callable[[Collection], list[str]]  # file names it writes, without rendering
    use: str  # one line for the Downloads page


def _one(suffix: str) -> Callable[[Collection], list[str]]:
    return lambda c: [f"{c.ident}{suffix}"] if c.sections else []


def _aiken_names(c: Collection) -> list[str]:
    keep = [s for s in c.sections if any(i.kind in ("single", "true_false") for i in s.items)]
    if len(c.sections) == 1:
        return [f"{c.ident}-aiken.txt"] if keep else []
    whole = [f"{c.ident}-aiken.txt"] if keep and aiken.whole_file(c) else []
    return sorted([*whole, *(f"{c.ident}-{s.ident}-aiken.txt" for s in keep)])


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format(moodle.NAME, moodle.LABEL, moodle.export, _one("-moodle.xml"),
           "Moodle: Question bank > Import > Moodle XML format (every question type)"),
    Format(gift.NAME, gift.LABEL, gift.export, _one("-gift.txt"),
           "Moodle and other GIFT readers: plain-text questions"),
    Format(aiken.NAME, aiken.LABEL, aiken.export, _aiken_names,
           "Aiken: single-answer questions only, for the simplest importers "
           "(one file per module, one for the whole course)"),
    Format(qti12.NAME, qti12.LABEL, qti12.export, _one("-qti12.zip"),
           "Canvas: Settings > Import Course Content > QTI .zip file"),
    Format(qti21.NAME, qti21.LABEL, qti21.export, _one("-qti21.zip"),
           "Blackboard, Brightspace and other QTI 2.1 platforms"),
    Format(cc11.NAME, cc11.LABEL, cc11.export, _one(".imscc"),
           "Common Cartridge 1.1: any major LMS's course import"),
    Format(tabular.JSON_NAME, tabular.JSON_LABEL, tabular.export_json, _one("-questions.json"),
           "JSON: every field, for other tools"),
    Format(tabular.CSV_NAME, tabular.CSV_LABEL, tabular.export_csv, _one("-questions.csv"),
           "CSV: one row per question, for spreadsheets"),
)}


def export_format(coll: Collection, name: str) -> Export:
    """Render one format in memory. Raises KeyError for an unknown format name."""
    out = FORMATS[name].export(coll)
    out.losses = sorted(out.losses, key=_loss_key)
    return out


def _loss_key(loss: Loss) -> tuple[object, ...]:
    return (loss.qid != "*", loss.qid, loss.what)


def form_collection(project: Project, form: schema.Form) -> Collection:
    """A form as an export: one section per variant, item identifiers `<variant>.<question id>`."""
    course = project.course
    sections = []
    for v in form.variants:
        items = tuple(make_item(fi.module, fi.question, f"{v}.{fi.question.id}", fi.order)
                      for fi in build_form(project, form, v))
        if items:
            title = f"{form.title} (variant {v})"
            sections.append(Section(v, title, (course.title, f"Form: {form.title}", f"Variant {v}"),
                                    items))
    return Collection(f"{course.id}-form-{form.id}", f"{course.title}: {form.title}", tuple(sections),
                      course.language)


def collections(project: Project) -> list[Collection]:
    """What `course build` exports: the banks, then every form, each only if non-empty."""
    colls = [bank_collection(project)]
    if project.forms:
        colls += [form_collection(project, f) for f in project.forms.forms]
    return [c for c in colls if c.sections]


def plan_exports(project: Project, opts: BuildOptions) -> list[Artifact]:
    """The files `export_all` will write, without rendering them: none for participants."""
    if not ships_exports(opts):
        return []
    arts = []
    for coll in collections(project):
        for fmt in FORMATS.values():
            for name in fmt.names(coll):
                arts.append(Artifact(f"{OUT_DIR}/{name}", f"{coll.title}: {fmt.label}", fmt.use, "quiz"))
    if arts:
        arts.append(Artifact(f"{OUT_DIR}/{LOSS_FILE}", "What each quiz format cannot carry",
                             "Read before importing: questions each format changes or leaves out", "other"))
    return arts


def loss_table(label: str, losses: list[Loss]) -> str:
    """The loss table as text, e.g. for the terminal or the downloads folder."""
    if not losses:
        return f"{label} carries every question in full.\n"
    width = max(len("question"), *(len(lo.qid) for lo in losses))
    n = len({lo.qid for lo in losses})
    lines = [f"What {label} cannot carry ({n} question{'s' if n != 1 else ''}):",
             f"  {'question'.ljust(width)}  what is lost"]
    lines += [f"  {lo.qid.ljust(width)}  {lo.what}" for lo in losses]
    return "\n".join(lines) + "\n"


def export_all(project: Project, out_root: Path, opts: BuildOptions) -> list[Artifact]:
    """Write every format for the banks and every form under `out_root/downloads/quizzes/`
    (a facilitator build); a participant build writes nothing and returns []."""
    if not ships_exports(opts):
        return []
    planned = {a.path: a for a in plan_exports(project, opts)}
    folder = out_root / OUT_DIR
    written: list[Artifact] = []
    report: list[str] = []
    for coll in collections(project):
        report.append(f"== {coll.title} ==\n")
        for fmt in FORMATS.values():
            result = export_format(coll, fmt.name)
            for name, data in sorted(result.files.items()):
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
                path = f"{OUT_DIR}/{name}"
                written.append(planned.get(path) or Artifact(path, f"{coll.title}: {fmt.label}", fmt.use, "quiz"))
            report.append(loss_table(fmt.label, result.losses))
    if written:
        (folder / LOSS_FILE).write_text("\n".join(report), encoding="utf-8")
        written.append(planned[f"{OUT_DIR}/{LOSS_FILE}"])
    return written


def _render_build(project: Project, out_root: Path, opts: BuildOptions, job: RenderJob) -> list[Artifact]:
    return export_all(project, out_root, opts)


register(Renderer("quiz", plan_exports, _render_build, order=10))
