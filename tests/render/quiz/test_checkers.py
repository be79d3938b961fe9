"""The checkers reject broken samples: our validity tests can fail."""

from __future__ import annotations

import io
import zipfile

from tests.render.quiz import checkers
from tests.render.quiz.conftest import one_file


def _rezip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_gift_pegjs_rejects_an_unescaped_brace() -> None:
    good, bad = checkers.parse_gift(["::a::Pick {=yes ~no}\n", "::a::Pick {=y{es ~no}\n"])
    assert good["ok"] and not bad["ok"]


def test_moodle_checker_rejects_bad_fractions(exports: dict) -> None:
    data = one_file(exports[("fixture-course", "moodle")])
    assert checkers.check_moodle_xml(data) == []
    broken = data.replace(b'fraction="50"', b'fraction="45"', 1)
    assert any("not one Moodle offers" in p for p in checkers.check_moodle_xml(broken))
    no_right = data.replace(b'<answer fraction="100" format="html">', b'<answer fraction="0" format="html">', 1)
    assert any("without a 100% answer" in p for p in checkers.check_moodle_xml(no_right))


def test_aiken_reader_rejects_bad_answer_letters() -> None:
    assert checkers.read_aiken("Q?\nA. x\nB. y\nANSWER: B\n")[1] == []
    assert checkers.read_aiken("Q?\nA. x\nB. y\nANSWER: C\n")[1]
    assert checkers.read_aiken("Q?\nA. x\nANSWER: A\n")[1]


def test_qti21_checker_catches_broken_references(exports: dict) -> None:
    files = checkers.unzip(one_file(exports[("fixture-course", "qti21")]))
    item = files["items/M1.Q01.xml"]
    files["items/M1.Q01.xml"] = item.replace(b"<value>o2</value>", b"<value>o9</value>")
    assert any("names no choice" in p for p in checkers.check_qti21_zip(_rezip(files)))
    files["items/M1.Q01.xml"] = item.replace(b'responseIdentifier="RESPONSE"', b'responseIdentifier="R2"')
    assert any("undeclared response" in p for p in checkers.check_qti21_zip(_rezip(files)))
    files["items/M1.Q01.xml"] = item
    del files["items/M1.Q02.xml"]
    assert any("not in the package" in p for p in checkers.check_qti21_zip(_rezip(files)))


def test_xsd_rejects_an_invalid_item(exports: dict) -> None:
    files = checkers.unzip(one_file(exports[("fixture-course", "qti21")]))
    bad = files["items/M1.Q01.xml"].replace(b"<itemBody>", b"<itemBody><bogus/>")
    assert checkers.xsd_errors("qti21", bad)
    files = checkers.unzip(one_file(exports[("fixture-course", "cc11")]))
    bad = files["imsmanifest.xml"].replace(b"imsqti_xmlv1p2/imscc_xmlv1p1/assessment", b"imsqti_xmlv1p2")
    assert checkers.xsd_errors("cc11", bad)


def test_cc_checker_requires_literal_true_false(exports: dict) -> None:
    files = checkers.unzip(one_file(exports[("fixture-course", "cc11")]))
    files["M2/assessment.xml"] = files["M2/assessment.xml"].replace(b'ident="true"', b'ident="t"')
    assert any("true/false idents" in p for p in checkers.check_cc11(_rezip(files)))
