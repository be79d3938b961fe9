"""cmi5 (xAPI) package: `cmi5.xml` course structure with one AU per module.

    cmi5.xml            course structure (cmi5 1.0 CourseStructure.xsd)
    lms-config.json     the completion rule for the in-page runtime
    modules/..., assets/, ...   the same files as the SCORM packages

Each AU's `url` is the module's overview page, relative to the package. The LMS launches it
with the cmi5 launch parameters (endpoint, fetch, registration, activityId, actor); the
in-page runtime reads them, gets its auth token from the `fetch` URL and sends the cmi5
statements (initialized, completed, passed/failed with the score, terminated) to that
endpoint only. `moveOn` and `masteryScore` come from `completion:` in course.yaml:

    all-lessons-viewed, quiz-attempted  ->  moveOn="Completed"
    mastery (mastery_score S)           ->  moveOn="CompletedAndPassed" masteryScore="S/100"

`launchMethod="AnyWindow"`: the pages work in the LMS's frame or a window of their own.
"""

from __future__ import annotations

from lxml import etree

from builder.model.project import Project
from builder.render.lms.content import Content
from builder.render.lms.meta import Meta, plain

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def course_iri(project: Project) -> str:
    """The course's publisher id: a URN made from the course id (stable across versions)."""
    return f"urn:course:{project.course.id}"


def move_on(meta: Meta) -> tuple[str, str | None]:
    if meta.rule == "mastery" and meta.mastery is not None:
        return "CompletedAndPassed", f"{meta.mastery / 100:g}"
    return "Completed", None


def _text(parent: etree._Element, tag: str, text: str, lang: str) -> None:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    etree.SubElement(el, f"{{{NS}}}langstring", lang=lang).text = text


def cmi5_xml(project: Project, content: Content, meta: Meta) -> bytes:
    root = etree.Element(f"{{{NS}}}courseStructure", nsmap={None: NS})
    course = etree.SubElement(root, f"{{{NS}}}course", id=course_iri(project))
    _text(course, "title", meta.title, meta.language)
    _text(course, "description", meta.description, meta.language)
    moveon, mastery = move_on(meta)
    for part in content.parts:
        m = part.module
        attrs = {"id": f"{course_iri(project)}:au:{m.id}", "moveOn": moveon, "launchMethod": "AnyWindow"}
        if mastery is not None:
            attrs["masteryScore"] = mastery
        au = etree.SubElement(root, f"{{{NS}}}au", attrs)
        _text(au, "title", f"{m.id}: {m.title}", meta.language)
        _text(au, "description", plain(m.data.summary), meta.language)
        etree.SubElement(au, f"{{{NS}}}url").text = part.launch
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
