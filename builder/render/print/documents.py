"""Which printable documents a course has, what they are called and who they are for.

Planning is cheap (no Markdown, no WeasyPrint): the site's Downloads page and the build
use it before anything is rendered.

A participant build offers what participants may see: the workbook, handouts, module
question papers, the crisis card and the certificate. A facilitator build adds the
facilitator guide, the answer keys and the assessment forms (a participant who has read
the post-test before taking it tells us nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model.project import Module, Project
from builder.render import Audience, BuildOptions

WHAT_HELP = "workbook | facilitator | handout:M | quiz:M | form:ID | card | certificate | list"


@dataclass(frozen=True)
class DocSpec:
    """One printable document."""

    kind: str  # workbook | handout | facilitator | quiz | answers | form | form-answers | card | certificate
    name: str  # file name under downloads/
    title: str
    description: str
    audience: Audience = "participant"  # "facilitator": only in facilitator builds
    module: str = ""  # module id, for handout/quiz/answers
    form: str = ""  # form id, for form/form-answers
    variant: str = ""  # form variant letter
    region: str = ""  # for the card
    modules: tuple[str, ...] = ()  # a workbook volume: only these modules (empty: all)


class SelectError(Exception):
    """`course print WHAT` named something the course does not have."""


def _module_stem(m: Module) -> str:
    return m.folder


# A workbook holds at most this many modules. A longer course gets volumes, each with its own
# contents and appendices: one document of a thousand pages would need gigabytes of memory
# in one WeasyPrint process, hold up the whole build on one core, and be re-rendered whole
# after any lesson edit. Six modules (our course) stay one book.
MODULES_PER_VOLUME = 6


def workbook_specs(project: Project) -> list[DocSpec]:
    title = project.course.title
    mods = project.modules
    volumes = [mods[i:i + MODULES_PER_VOLUME] for i in range(0, len(mods), MODULES_PER_VOLUME)]
    if len(volumes) <= 1:
        return [DocSpec("workbook", "workbook.pdf", f"{title}: participant workbook",
                        "Every module with space to write, self-checks with answers, glossary and where to "
                        "get help.")]
    return [DocSpec("workbook", f"workbook-part-{k}.pdf", f"{title}: participant workbook, part {k} of {len(volumes)}",
                    f"Modules {vol[0].number} to {vol[-1].number} with space to write, self-checks with answers, "
                    "glossary and where to get help.", modules=tuple(m.id for m in vol))
            for k, vol in enumerate(volumes, 1)]


def all_specs(project: Project, region: str) -> list[DocSpec]:
    """Every document the course can print, in the order the Downloads page lists them."""
    title = project.course.title
    specs = workbook_specs(project)
    specs += [
        DocSpec("facilitator", "facilitator-guide.pdf", f"{title}: facilitator guide",
                "Session plans with timings, preparation, facilitator notes, role-plays, safety protocol "
                "and answer keys.", audience="facilitator"),
    ]
    for m in project.modules:
        specs.append(DocSpec("handout", f"handout-{_module_stem(m)}.pdf", f"Module {m.number} handout: {m.title}",
                             "Key points, a worksheet and where to get help, on a few pages.", module=m.id))
    for m in project.modules:
        if not m.questions:
            continue
        specs.append(DocSpec("quiz", f"quiz-{_module_stem(m)}.pdf", f"Module {m.number} quiz: {m.title}",
                             f"Question paper, {len(m.questions)} questions, no answers.", module=m.id))
        specs.append(DocSpec("answers", f"quiz-{_module_stem(m)}-answers.pdf",
                             f"Module {m.number} quiz answer key: {m.title}",
                             "Answers, points and feedback for the module question paper.",
                             audience="facilitator", module=m.id))
    for form in project.forms.forms if project.forms else []:
        for v in form.variants:
            stem = f"form-{form.id}-{v.lower()}"
            specs.append(DocSpec("form", f"{stem}.pdf", f"{form.title}, variant {v}",
                                 "Question paper for the assessment form, no answers.",
                                 audience="facilitator", form=form.id, variant=v))
            specs.append(DocSpec("form-answers", f"{stem}-answers.pdf", f"{form.title}, variant {v}: answer key",
                                 "Answers and points for the assessment form.",
                                 audience="facilitator", form=form.id, variant=v))
    if region in project.resources.regions:
        name = project.resources.regions[region].name
        specs.append(DocSpec("card", f"crisis-card-{region}.pdf", f"Pocket crisis card ({name})",
                             "Credit-card size, several to a page with cut marks; print both sides.",
                             region=region))
    specs.append(DocSpec("certificate", "certificate.pdf", f"{title}: certificate of completion",
                         "A certificate with a line for the participant's name."))
    return specs


# What a participant build may print: nothing with an answer key (the workbook's self-check
# answers leave out every question a form draws; module question papers have no answers).
# Answer keys, assessment forms and the facilitator guide are for facilitators only.
PARTICIPANT_KINDS = frozenset({"workbook", "handout", "quiz", "card", "certificate"})


def plan_specs(project: Project, opts: BuildOptions) -> list[DocSpec]:
    """The documents a build for `opts.audience` offers: a participant build only documents
    of a participant kind that are meant for participants."""
    specs = all_specs(project, opts.region)
    if opts.audience == "facilitator":
        return specs
    return [s for s in specs if s.audience == "participant" and s.kind in PARTICIPANT_KINDS]


def select(project: Project, what: str, region: str) -> list[DocSpec]:
    """The document(s) `course print WHAT` means; raises SelectError with a helpful message."""
    specs = all_specs(project, region)
    kind, _, arg = what.partition(":")
    kind = kind.strip().lower()
    if kind in ("workbook", "facilitator", "certificate", "card") and not arg:
        found = [s for s in specs if s.kind == kind]
        if kind == "card" and not found:
            raise SelectError(f"no region '{region}' in curriculum/resources.yaml "
                              f"(regions: {', '.join(sorted(project.resources.regions))})")
        return found
    if kind in ("handout", "quiz") and arg:
        m = project.module(arg) or project.module(arg.upper())
        if m is None:
            raise SelectError(f"no module '{arg}' (modules: {', '.join(x.id for x in project.modules)})")
        found = [s for s in specs if s.module == m.id and s.kind in ((kind,) if kind == "handout"
                                                                       else ("quiz", "answers"))]
        if not found:
            raise SelectError(f"module {m.id} has no quiz questions to print")
        return found
    if kind == "form" and arg:
        form_id, _, variant = arg.partition(":")
        if not project.forms or not any(f.id == form_id for f in project.forms.forms):
            known = ", ".join(f.id for f in project.forms.forms) if project.forms else "none"
            raise SelectError(f"no form '{form_id}' in quizzes/forms.yaml (forms: {known})")
        found = [s for s in specs if s.form == form_id and (not variant or s.variant == variant.upper())]
        if not found:
            raise SelectError(f"form '{form_id}' has no variant '{variant}'")
        return found
    raise SelectError(f"unknown document '{what}'; choose one of: {WHAT_HELP}")
