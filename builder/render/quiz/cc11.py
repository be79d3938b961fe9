"""IMS Common Cartridge 1.1 (`.imscc`) with each section as an assessment.

A cartridge is the package every major LMS imports as course content (Canvas, Moodle,
Blackboard, Brightspace, Schoology, Sakai). Layout:

    imsmanifest.xml                      CC 1.1 manifest (LOM title, one organisation)
    <section id>/assessment.xml          QTI 1.2, Common Cartridge profile

The CC QTI profile has only single/multiple choice, true/false, fill-in and essay, so
matching and ordering questions are split into one single-choice question per left-hand
entry (the loss table says so for each).
"""

from __future__ import annotations

from lxml import etree

from builder.render.quiz import qti1
from builder.render.quiz.common import Collection, Export, write_zip

NAME = "cc11"
LABEL = "Common Cartridge 1.1"

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def _id(*parts: str) -> str:
    """An xs:ID (NCName) built from our identifiers."""
    return "-".join(parts).replace(".", "_").replace(":", "_")


def _manifest(coll: Collection, resources: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "lomimscc": LOMM, "xsi": XSI},
                         identifier=_id("cc", coll.ident))
    root.set(f"{{{XSI}}}schemaLocation",
             f"{CP} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
             f"{LOMM} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd")
    md = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(md, f"{{{CP}}}schema").text = "IMS Common Cartridge"
    etree.SubElement(md, f"{{{CP}}}schemaversion").text = "1.1.0"
    lom = etree.SubElement(md, f"{{{LOMM}}}lom")
    title = etree.SubElement(etree.SubElement(lom, f"{{{LOMM}}}general"), f"{{{LOMM}}}title")
    etree.SubElement(title, f"{{{LOMM}}}string", language=coll.language).text = coll.title
    orgs = etree.SubElement(root, f"{{{CP}}}organizations")
    org = etree.SubElement(orgs, f"{{{CP}}}organization", identifier=_id("org", coll.ident),
                           structure="rooted-hierarchy")
    top = etree.SubElement(org, f"{{{CP}}}item", identifier=_id("root", coll.ident))
    res = etree.SubElement(root, f"{{{CP}}}resources")
    for ident, href, title_text in resources:
        it = etree.SubElement(top, f"{{{CP}}}item", identifier=_id("item", ident), identifierref=ident)
        etree.SubElement(it, f"{{{CP}}}title").text = title_text
        r = etree.SubElement(res, f"{{{CP}}}resource", identifier=ident, type=ASSESSMENT)
        etree.SubElement(r, f"{{{CP}}}file", href=href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def package_files(coll: Collection, out: Export) -> dict[str, bytes]:
    """The files inside the cartridge, by path."""
    files: dict[str, bytes] = {}
    resources = []
    for section in coll.sections:
        ident = _id("res", coll.ident, section.ident)
        href = f"{section.ident}/assessment.xml"
        files[href] = qti1.assessment(section, "cc", out, _id(coll.ident, section.ident))
        resources.append((ident, href, section.title))
    files["imsmanifest.xml"] = _manifest(coll, resources)
    return files


def export(coll: Collection) -> Export:
    """One `.imscc` file (a zip) with an assessment per section."""
    out = Export()
    out.files[f"{coll.ident}.imscc"] = write_zip(package_files(coll, out))
    return out
