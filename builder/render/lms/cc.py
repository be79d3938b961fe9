"""IMS Common Cartridge 1.1: the whole course, for Canvas, Moodle and other course imports.

    imsmanifest.xml                  CC 1.1 manifest: one folder per module
    modules/NN-slug/*.html           lessons, activities, key points: web content
    quizzes/<module id>/assessment.xml   the module's quiz: a CC QTI assessment (builder.render.quiz.qti1)
    help.html                        the help lines, a page of its own at the top
    index.html, assets/, ...         shared files (one web content resource)

The organisation is: "Get help now" (the help lines page), then per module a folder with its
overview, lessons, activities and key points, then its quiz as an assessment. The quiz is the
module's self-check as participants get it (questions a form draws stay out: they belong to
the pre/post test), written by the same CC QTI code as the quiz exports, with the same
scoring (whole-number weights; `case="Yes"` on multiple response). A cartridge has no
runtime API: the runtime script keeps progress in the browser only.
"""

from __future__ import annotations

from lxml import etree, html

from builder.model.forms import form_question_ids
from builder.model.project import Project
from builder.render.lms.content import CONFIG, Content, ModulePart
from builder.render.lms.meta import Meta
from builder.render.lms.scorm import ident
from builder.render.quiz import qti1
from builder.render.quiz.common import Export, Section, make_item

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WEB = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def quiz_section(project: Project, part: ModulePart) -> Section | None:
    """The module's quiz as participants get it: without the questions forms draw."""
    drawn = form_question_ids(project)
    m = part.module
    items = tuple(make_item(m, q) for q in m.questions if q.id not in drawn)
    if not items:
        return None
    title = f"{m.id}: {m.title}: self-check quiz"
    return Section(m.id, title, (project.course.title, title), items)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{CP}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def cartridge_files(project: Project, content: Content, meta: Meta) -> tuple[dict[str, bytes], Export]:
    """The cartridge's files besides the site content: the manifest and the assessments."""
    course = project.course
    out = Export()
    files: dict[str, bytes] = {}
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "lomimscc": LOMM, "xsi": XSI},
                         identifier=ident("cc", course.id, "course"))
    root.set(f"{{{XSI}}}schemaLocation",
             f"{CP} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
             f"{LOMM} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd")
    md = _sub(root, "metadata")
    _sub(md, "schema", "IMS Common Cartridge")
    _sub(md, "schemaversion", "1.1.0")
    lom = etree.SubElement(md, f"{{{LOMM}}}lom")
    general = etree.SubElement(lom, f"{{{LOMM}}}general")
    title = etree.SubElement(general, f"{{{LOMM}}}title")
    etree.SubElement(title, f"{{{LOMM}}}string", language=meta.language).text = meta.title
    etree.SubElement(general, f"{{{LOMM}}}language").text = meta.language
    desc = etree.SubElement(general, f"{{{LOMM}}}description")
    etree.SubElement(desc, f"{{{LOMM}}}string", language=meta.language).text = meta.description
    orgs = _sub(root, "organizations")
    org = _sub(orgs, "organization", identifier=ident("org", course.id), structure="rooted-hierarchy")
    top = _sub(org, "item", identifier=ident("root", course.id))
    resources: list[tuple[str, str, str, list[str]]] = []  # (id, type, href, files)
    shared_id = ident("shared", course.id)

    def page(parent: etree._Element, rid: str, href: str, title_text: str) -> None:
        item = _sub(parent, "item", identifier=ident("item", rid), identifierref=rid)
        _sub(item, "title", title_text)
        resources.append((rid, WEB, href, [href]))

    page(top, ident("page", "help"), content.help_page, "Get help now")
    for part in content.parts:
        m = part.module
        folder = _sub(top, "item", identifier=ident("module", m.id))
        _sub(folder, "title", f"{m.id}: {m.title}")
        for n, href in enumerate(content.module_files(part)):
            if href == part.quiz:
                continue  # the quiz is the assessment below
            page(folder, ident("page", m.id, str(n)), href, _page_title(content, href))
        section = quiz_section(project, part)
        if section is not None:
            href = f"quizzes/{m.id}/assessment.xml"
            files[href] = qti1.assessment(section, "cc", out, ident(course.id, m.id, "quiz"))
            rid = ident("quiz", m.id)
            item = _sub(folder, "item", identifier=ident("item", rid), identifierref=rid)
            _sub(item, "title", "Self-check quiz")
            resources.append((rid, ASSESSMENT, "", [href]))
    res = _sub(root, "resources")
    in_pages = {f for _, _, _, fs in resources for f in fs}
    for rid, kind, href, fs in resources:
        attrs = {"identifier": rid, "type": kind}
        if href:
            attrs["href"] = href
        r = _sub(res, "resource", **attrs)
        for f in fs:
            _sub(r, "file", href=f)
        if kind == WEB:
            _sub(r, "dependency", identifierref=shared_id)
    shared = _sub(res, "resource", identifier=shared_id, type=WEB)
    for f in sorted({*content.files, CONFIG} - in_pages):
        _sub(shared, "file", href=f)
    files["imsmanifest.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return files, out


def _page_title(content: Content, href: str) -> str:
    """A page's title, from its <h1> (what the reader sees at the top)."""
    doc = html.fromstring(content.files[href])
    h1 = doc.find(".//h1")
    text = " ".join(h1.text_content().split()) if h1 is not None else ""
    return text.rstrip("¶").strip() or href
