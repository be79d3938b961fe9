"""QTI 1.2 zip in the shape Canvas imports (Settings > Import Course Content > QTI .zip).

Layout, as Canvas itself exports and text2qti writes:

    imsmanifest.xml
    <section id>/<section id>.xml        the QTI assessment (one per module or form variant)
    <section id>/assessment_meta.xml     Canvas quiz settings (title, points, unpublished)

Canvas has no ordering question: ordering becomes matching (item -> position).
"""

from __future__ import annotations

from lxml import etree

from builder.render.quiz import qti1
from builder.render.quiz.common import Collection, Export, Section, fmt_number, write_zip

NAME = "qti12"
LABEL = "QTI 1.2 (Canvas)"

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _ident(coll: Collection, section: Section) -> str:
    return f"{coll.ident}-{section.ident}".replace(".", "-")


def _meta(section: Section, ident: str) -> bytes:
    root = etree.Element(f"{{{CANVAS}}}quiz", nsmap={None: CANVAS, "xsi": XSI}, identifier=ident)
    root.set(f"{{{XSI}}}schemaLocation", f"{CANVAS} https://canvas.instructure.com/xsd/cccv1p0.xsd")

    def sub(tag: str, text: str) -> None:
        etree.SubElement(root, f"{{{CANVAS}}}{tag}").text = text

    sub("title", section.title)
    sub("description", "")
    sub("shuffle_answers", "false")
    sub("scoring_policy", "keep_highest")
    sub("quiz_type", "assignment")
    sub("points_possible", fmt_number(sum(i.points for i in section.items)))
    sub("show_correct_answers", "true")
    sub("allowed_attempts", "1")
    sub("one_question_at_a_time", "false")
    sub("available", "false")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest(coll: Collection, resources: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "xsi": XSI},
                         identifier=f"{coll.ident}-qti12-manifest")
    md = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(md, f"{{{CP}}}schema").text = "IMS Content"
    etree.SubElement(md, f"{{{CP}}}schemaversion").text = "1.1.3"
    etree.SubElement(root, f"{{{CP}}}organizations")
    res = etree.SubElement(root, f"{{{CP}}}resources")
    for ident, qti_href, meta_href in resources:
        r = etree.SubElement(res, f"{{{CP}}}resource", identifier=ident, type="imsqti_xmlv1p2")
        etree.SubElement(r, f"{{{CP}}}file", href=qti_href)
        etree.SubElement(r, f"{{{CP}}}dependency", identifierref=f"{ident}-meta")
        m = etree.SubElement(res, f"{{{CP}}}resource", identifier=f"{ident}-meta",
                             type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                             href=meta_href)
        etree.SubElement(m, f"{{{CP}}}file", href=meta_href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def package_files(coll: Collection, out: Export) -> dict[str, bytes]:
    """The files inside the zip, by path."""
    files: dict[str, bytes] = {}
    resources = []
    for section in coll.sections:
        ident = _ident(coll, section)
        qti_href, meta_href = f"{ident}/{ident}.xml", f"{ident}/assessment_meta.xml"
        files[qti_href] = qti1.assessment(section, "canvas", out, ident)
        files[meta_href] = _meta(section, ident)
        resources.append((ident, qti_href, meta_href))
    files["imsmanifest.xml"] = _manifest(coll, resources)
    return files


def export(coll: Collection) -> Export:
    """One `.zip` with an assessment per section."""
    out = Export()
    out.files[f"{coll.ident}-qti12.zip"] = write_zip(package_files(coll, out))
    return out
