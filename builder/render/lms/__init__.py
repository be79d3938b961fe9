"""The whole course as LMS packages: SCORM 1.2, SCORM 2004 4th Edition, cmi5 and a full
IMS Common Cartridge 1.1 (docs/lms-packages.md).

    plan_packages(project, opts) -> list[Artifact]        what `course build` will write
    build_packages(project, opts, formats) -> {format: (file name, bytes)}
    FORMATS                                               the four formats

Every package holds the same content (builder.render.lms.content): the participant edition
of the site, built offline by the site renderer, with each module as one unit (SCO, AU or
cartridge folder) and the in-page runtime script `assets/lms-runtime.js` in every page, which
reports progress, the quiz score and completion/success by `completion:` in course.yaml
(written into the package as `lms-config.json`). Nothing in a package loads anything from
another host.

Who gets them: organisers and facilitators, like the quiz exports (the cartridge's quizzes
hold answer keys): only a facilitator build writes them, into `downloads/lms/`, and
`course package --format …` writes one on request. Bytes depend only on the sources and the
build date (the About page's "Built on" and the zip entries' dates: both from
SOURCE_DATE_EPOCH when it is set).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from builder.model.project import Project
from builder.render import Artifact, BuildOptions, Renderer, RenderJob, register
from builder.render.lms import cc, cmi5, scorm
from builder.render.lms.content import CONFIG, Content, build_content
from builder.render.lms.meta import Meta, course_meta
from builder.render.quiz.common import write_zip

OUT_DIR = "downloads/lms"
ROLE = "lms-package"
AUDIENCES = frozenset({"facilitator"})


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    suffix: str  # file name after the course id
    use: str  # one line for the Downloads page
    files: Callable[[Project, Content, Meta], dict[str, bytes]]  # manifest and other own files


def _scorm12(project: Project, content: Content, meta: Meta) -> dict[str, bytes]:
    return {"imsmanifest.xml": scorm.manifest12(project, content, meta), scorm.METADATA12: scorm.metadata12(meta)}


def _scorm2004(project: Project, content: Content, meta: Meta) -> dict[str, bytes]:
    return {"imsmanifest.xml": scorm.manifest2004(project, content, meta)}


def _cmi5(project: Project, content: Content, meta: Meta) -> dict[str, bytes]:
    return {"cmi5.xml": cmi5.cmi5_xml(project, content, meta)}


def _cc(project: Project, content: Content, meta: Meta) -> dict[str, bytes]:
    return cc.cartridge_files(project, content, meta)[0]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("scorm12", "SCORM 1.2", "-scorm12.zip", "SCORM 1.2: one activity per module; every LMS imports it "
           "(Moodle, Blackboard, Brightspace, TalentLMS, Cornerstone)", _scorm12),
    Format("scorm2004", "SCORM 2004 4th Edition", "-scorm2004.zip", "SCORM 2004 4th Edition: one activity per "
           "module, with pass marks the LMS applies (Cornerstone, Brightspace, Blackboard)", _scorm2004),
    Format("cmi5", "cmi5 (xAPI)", "-cmi5.zip", "cmi5: one assignable unit per module, statements to the LMS's "
           "own record store (Moodle with the cmi5 plugin, Cornerstone, TalentLMS)", _cmi5),
    Format("cc", "Common Cartridge 1.1 (whole course)", "-course.imscc", "Common Cartridge: every lesson as a "
           "page and each module's quiz (Canvas, Moodle, Brightspace, Blackboard, Schoology)", _cc),
)}


def ships_packages(opts: BuildOptions) -> bool:
    return opts.audience in AUDIENCES


def file_name(project: Project, fmt: str) -> str:
    return f"{project.course.id}{FORMATS[fmt].suffix}"


def lms_config(meta: Meta, standard: str) -> bytes:
    """`lms-config.json`, read by the runtime: the standard, the rule, the pass mark, what to report."""
    data = {"standard": standard, "rule": meta.rule, "mastery_score": meta.mastery, "report": list(meta.report)}
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def package_bytes(project: Project, fmt: str, content: Content, meta: Meta | None = None) -> bytes:
    """One package as zip bytes: the content, lms-config.json and the format's own files."""
    meta = meta or course_meta(project)
    own = FORMATS[fmt].files(project, content, meta)
    files = {**content.files, CONFIG: lms_config(meta, fmt), **own}
    first = ("imsmanifest.xml",) if "imsmanifest.xml" in own else ("cmi5.xml",)
    return write_zip(files, first=first)


def build_packages(project: Project, opts: BuildOptions,
                   formats: list[str] | None = None) -> dict[str, tuple[str, bytes]]:
    """Render the given formats (all by default): {format: (file name, zip bytes)}."""
    content = build_content(project, opts)
    meta = course_meta(project)
    return {fmt: (file_name(project, fmt), package_bytes(project, fmt, content, meta))
            for fmt in (formats or list(FORMATS))}


def plan_packages(project: Project, opts: BuildOptions) -> list[Artifact]:
    if not ships_packages(opts):
        return []
    return [Artifact(f"{OUT_DIR}/{file_name(project, f.name)}", f"{project.course.title}: {f.label}", f.use,
                     "other", role=ROLE) for f in FORMATS.values()]


def _render_build(project: Project, out_root: Path, opts: BuildOptions, job: RenderJob) -> list[Artifact]:
    planned = plan_packages(project, opts)
    if not planned:
        return []
    folder = out_root / OUT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in build_packages(project, opts).values():
        (folder / name).write_bytes(data)
    return planned


register(Renderer("lms", plan_packages, _render_build, order=80))
