"""SCORM 1.2 and SCORM 2004 4th Edition packages: one SCO per module.

    imsmanifest.xml                 the course organisation: one item (SCO) per module
    lms-config.json                 the completion rule for the in-page runtime
    modules/NN-slug/*.html          each module's pages (its SCO's files)
    index.html, help.html, assets/, search/, ...   shared files (one asset resource)

Each module is one SCO whose launch page is the module's overview; its lessons, activities,
key points and self-check quiz are pages of that SCO (files of its resource). The pages
carry the runtime script (`assets/lms-runtime.js`), which finds the LMS API and reports
location, progress, the quiz score and completion/success by `completion:` in course.yaml.

Metadata (title, description, language, version, typical learning time) is LOM inside the
manifest (SCORM 2004: IEEE LOM) or in `metadata.xml`, which the SCORM 1.2 manifest names
with `adlcp:location` (IMS Metadata 1.2.1). With rule `mastery`,
SCORM 1.2 items carry `adlcp:masteryscore` and SCORM 2004 items a primary objective
satisfied by measure at `mastery_score / 100`, so the LMS judges the same pass mark.
"""

from __future__ import annotations

from lxml import etree

from builder.model.project import Project
from builder.render.lms.content import CONFIG, Content
from builder.render.lms.meta import Meta

XSI = "http://www.w3.org/2001/XMLSchema-instance"

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
MD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"


def ident(*parts: str) -> str:
    """An xs:ID from our identifiers (letters, digits, '-', '_', '.')."""
    return "-".join(parts).replace(":", "_").replace("/", "_")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _tostring(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------------------
# SCORM 1.2


def _lom12_fill(lom: etree._Element, meta: Meta) -> None:
    def ls(el: etree._Element, text: str) -> None:
        _sub(el, f"{{{MD12}}}langstring", text, **{"{http://www.w3.org/XML/1998/namespace}lang": meta.language})

    general = _sub(lom, f"{{{MD12}}}general")
    ls(_sub(general, f"{{{MD12}}}title"), meta.title)
    _sub(general, f"{{{MD12}}}language", meta.language)
    ls(_sub(general, f"{{{MD12}}}description"), meta.description)
    life = _sub(lom, f"{{{MD12}}}lifecycle")
    ls(_sub(life, f"{{{MD12}}}version"), meta.version)
    edu = _sub(lom, f"{{{MD12}}}educational")
    tlt = _sub(edu, f"{{{MD12}}}typicallearningtime")
    _sub(tlt, f"{{{MD12}}}datetime", meta.hhmmss)


METADATA12 = "metadata.xml"  # the course's IMS Metadata 1.2.1 record, named by adlcp:location


def metadata12(meta: Meta) -> bytes:
    """The SCORM 1.2 course metadata as its own file (`adlcp:location` in the manifest), the
    way SCORM 1.2 packages usually carry it."""
    root = etree.Element(f"{{{MD12}}}lom", nsmap={None: MD12, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{MD12} imsmd_rootv1p2p1.xsd")
    _lom12_fill(root, meta)
    return _tostring(root)


def manifest12(project: Project, content: Content, meta: Meta) -> bytes:
    course = project.course
    root = etree.Element(f"{{{CP12}}}manifest", nsmap={None: CP12, "adlcp": ADLCP12, "xsi": XSI},
                         identifier=ident(course.id, "scorm12"), version=course.version)
    root.set(f"{{{XSI}}}schemaLocation", f"{CP12} imscp_rootv1p1p2.xsd {ADLCP12} adlcp_rootv1p2.xsd")
    md = _sub(root, f"{{{CP12}}}metadata")
    _sub(md, f"{{{CP12}}}schema", "ADL SCORM")
    _sub(md, f"{{{CP12}}}schemaversion", "1.2")
    _sub(md, f"{{{ADLCP12}}}location", METADATA12)
    orgs = _sub(root, f"{{{CP12}}}organizations", default=ident("org", course.id))
    org = _sub(orgs, f"{{{CP12}}}organization", identifier=ident("org", course.id))
    _sub(org, f"{{{CP12}}}title", course.title)
    for part in content.parts:
        m = part.module
        item = _sub(org, f"{{{CP12}}}item", identifier=ident("item", m.id), identifierref=ident("sco", m.id),
                    isvisible="true")
        _sub(item, f"{{{CP12}}}title", f"{m.id}: {m.title}")
        if meta.mastery is not None and meta.rule == "mastery":
            _sub(item, f"{{{ADLCP12}}}masteryscore", f"{meta.mastery:g}")
    _resources(root, content, course.id, CP12, f"{{{ADLCP12}}}scormtype", [CONFIG, METADATA12])
    return _tostring(root)


# ---------------------------------------------------------------------------
# SCORM 2004 4th Edition


def _lom2004(parent: etree._Element, meta: Meta) -> None:
    def string(el: etree._Element, text: str) -> None:
        _sub(el, f"{{{LOM}}}string", text, language=meta.language)

    lom = _sub(parent, f"{{{LOM}}}lom")
    general = _sub(lom, f"{{{LOM}}}general")
    string(_sub(general, f"{{{LOM}}}title"), meta.title)
    _sub(general, f"{{{LOM}}}language", meta.language)
    string(_sub(general, f"{{{LOM}}}description"), meta.description)
    life = _sub(lom, f"{{{LOM}}}lifeCycle")
    string(_sub(life, f"{{{LOM}}}version"), meta.version)
    edu = _sub(lom, f"{{{LOM}}}educational")
    _sub(_sub(edu, f"{{{LOM}}}typicalLearningTime"), f"{{{LOM}}}duration", meta.iso_duration)


def manifest2004(project: Project, content: Content, meta: Meta) -> bytes:
    course = project.course
    nsmap = {None: CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS, "lom": LOM, "xsi": XSI}
    root = etree.Element(f"{{{CP}}}manifest", nsmap=nsmap, identifier=ident(course.id, "scorm2004"),
                         version=course.version)
    root.set(f"{{{XSI}}}schemaLocation",
             f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
             f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd {LOM} lom.xsd")
    md = _sub(root, f"{{{CP}}}metadata")
    _sub(md, f"{{{CP}}}schema", "ADL SCORM")
    _sub(md, f"{{{CP}}}schemaversion", "2004 4th Edition")
    _lom2004(md, meta)
    orgs = _sub(root, f"{{{CP}}}organizations", default=ident("org", course.id))
    org = _sub(orgs, f"{{{CP}}}organization", identifier=ident("org", course.id))
    _sub(org, f"{{{CP}}}title", course.title)
    for part in content.parts:
        m = part.module
        item = _sub(org, f"{{{CP}}}item", identifier=ident("item", m.id), identifierref=ident("sco", m.id))
        _sub(item, f"{{{CP}}}title", f"{m.id}: {m.title}")
        if meta.mastery is not None and meta.rule == "mastery":
            seq = _sub(item, f"{{{IMSSS}}}sequencing")
            objs = _sub(seq, f"{{{IMSSS}}}objectives")
            primary = _sub(objs, f"{{{IMSSS}}}primaryObjective", objectiveID=ident("mastery", m.id),
                           satisfiedByMeasure="true")
            _sub(primary, f"{{{IMSSS}}}minNormalizedMeasure", f"{meta.mastery / 100:g}")
    seq = _sub(org, f"{{{IMSSS}}}sequencing")
    _sub(seq, f"{{{IMSSS}}}controlMode", choice="true", flow="true")
    _resources(root, content, course.id, CP, f"{{{ADLCP}}}scormType", [CONFIG])
    return _tostring(root)


def _resources(root: etree._Element, content: Content, course_id: str, cp: str, scorm_type: str,
               extra: list[str]) -> None:
    """One SCO resource per module and one shared asset resource, as both SCORM versions list
    them; they differ only in namespaces, the spelling of scormtype and the shared extras."""
    res = _sub(root, f"{{{cp}}}resources")
    for part in content.parts:
        r = _sub(res, f"{{{cp}}}resource", identifier=ident("sco", part.module.id), type="webcontent",
                 href=part.launch)
        r.set(scorm_type, "sco")
        for f in content.module_files(part):
            _sub(r, f"{{{cp}}}file", href=f)
        _sub(r, f"{{{cp}}}dependency", identifierref=ident("shared", course_id))
    shared = _sub(res, f"{{{cp}}}resource", identifier=ident("shared", course_id), type="webcontent")
    shared.set(scorm_type, "asset")
    for f in sorted([*content.shared, *extra]):
        _sub(shared, f"{{{cp}}}file", href=f)
