"""The vendored schemas of the LMS package tests, compiled offline.

SCORM 1.2 (tests/vendor/scorm12), SCORM 2004 4th Edition (tests/vendor/scorm2004, ADL's
conformance test suite), cmi5 (tests/vendor/cmi5) and Common Cartridge 1.1 (the quiz
tests' tests/vendor/xsd/cc11). A manifest mixes namespaces, so each standard gets a small
driver schema that imports every namespace its manifests use from the vendored files; any
import of a web address (the ADL imscp_v1p1.xsd names http://www.w3.org/2001/xml.xsd) is
answered from the vendored copy by a resolver: nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

VENDOR = Path(__file__).resolve().parents[1] / "vendor"

DRIVERS: dict[str, dict[str, Path]] = {
    "scorm12": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": VENDOR / "scorm12/imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": VENDOR / "scorm12/adlcp_rootv1p2.xsd",
    },
    "scorm2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": VENDOR / "scorm2004/imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": VENDOR / "scorm2004/adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": VENDOR / "scorm2004/adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": VENDOR / "scorm2004/adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": VENDOR / "scorm2004/imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": VENDOR / "scorm2004/lom.xsd",
    },
    "cmi5": {
        "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd": VENDOR / "cmi5/CourseStructure.xsd",
    },
    "cc11": {
        "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": VENDOR / "xsd/cc11/ccv1p1_imscp_v1p2_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest": VENDOR / "xsd/cc11/ccv1p1_lommanifest_v1p0.xsd",
    },
}
# Web addresses some vendored schemas import, and the vendored copy that answers them.
LOCAL = {
    "http://www.w3.org/2001/xml.xsd": VENDOR / "scorm2004/xml.xsd",
}


# SCORM 1.2's `ims_xml.xsd` (the `xml:` namespace as IMS wrote it in 2001) makes the xml
# namespace its default namespace, which libxml2 refuses ("xml namespace URI cannot be the
# default namespace"). It defines only `xml:lang`, as the W3C's own xml.xsd does, so the
# W3C document stands in for it when the SCORM 1.2 schemas import it.
STAND_IN = {"ims_xml.xsd": VENDOR / "scorm2004/xml.xsd"}


class _Offline(etree.Resolver):
    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url in LOCAL:
            return self.resolve_filename(str(LOCAL[url]), context)
        name = (url or "").rsplit("/", 1)[-1]
        if name in STAND_IN and "scorm12" in (url or ""):
            return self.resolve_filename(str(STAND_IN[name]), context)
        if url and url.startswith(("http://", "https://")):
            raise OSError(f"schema import of {url} would need the network")
        return None


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>'
                      for ns, path in DRIVERS[name].items())
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    doc = etree.fromstring(driver.encode(), parser, base_url=str(VENDOR / f"{name}-driver.xsd"))
    return etree.XMLSchema(etree.ElementTree(doc))


def errors(name: str, data: bytes) -> list[str]:
    doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    s = schema(name)
    if s.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in s.error_log]
