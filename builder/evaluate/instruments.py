"""The surveys of `quizzes/surveys.yaml` as things to hand out: printable forms (PDF, through the
print engine), LMS files, and a CSV template to type paper answers into.

- Moodle: the Feedback activity's XML import (Feedback > Templates > Import questions), the
  activity made for anonymous surveys: rating items become `multichoicerated` (values 1..n,
  presentation `r>>>>>1####Not at all|2####Slightly|...`), choice items `multichoice`
  (`r>>>>>` one answer, `c>>>>>` several), text items `textarea` (presentation `width|height`),
  as mod/feedback's own export writes them.
- Canvas and other QTI 1.2 readers: a `questestinterop` assessment with ungraded
  multiple-choice, multiple-answer and essay items (points 0). After importing, set the quiz
  type to "ungraded survey" and tick "keep submissions anonymous".
- Paper: `survey_template(survey)`: headings `survey, phase, group`, then one column per item.
  A rating is typed as its number (1 = lowest) or its words, a choice as the option number(s),
  text as written.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from builder.model.surveys import Survey, Surveys
from builder.render.quiz.common import write_zip

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def survey_template(survey: Survey) -> str:
    return ",".join(["survey", "phase", "group", *(it.id for it in survey.items)]) + "\n"


def _cdata(parent: etree._Element, tag: str, text: str) -> etree._Element:
    el = etree.SubElement(parent, tag)
    el.text = etree.CDATA(text)
    return el


def moodle_feedback_xml(survey: Survey, surveys: Surveys) -> bytes:
    """The survey as a Moodle Feedback activity import file."""
    root = etree.Element("FEEDBACK", VERSION="200701", COMMENT="XML-Importfile for mod/feedback")
    items = etree.SubElement(root, "ITEMS")
    for n, it in enumerate(survey.items, start=1):
        if it.type == "rating":
            typ = "multichoicerated"
            levels = surveys.scales.get(it.scale or "", [])
            presentation = "r>>>>>" + "|".join(f"{k}####{lvl}" for k, lvl in enumerate(levels, start=1)) + "<<<<<1"
        elif it.type == "choice":
            typ = "multichoice"
            presentation = ("c" if it.multiple else "r") + ">>>>>" + "|".join(it.options)
        else:
            typ = "textarea"
            presentation = f"40|{it.lines}"
        el = etree.SubElement(items, "ITEM", TYPE=typ, REQUIRED="0")
        _cdata(el, "ITEMID", str(n))
        text = f"{survey.stem} {it.text}" if survey.stem else it.text
        _cdata(el, "ITEMTEXT", text)
        _cdata(el, "ITEMLABEL", it.id)
        _cdata(el, "PRESENTATION", presentation)
        _cdata(el, "OPTIONS", "h" if it.type != "text" else "")
        _cdata(el, "DEPENDITEM", "0")
        _cdata(el, "DEPENDVALUE", "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _mat(parent: etree._Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype="text/plain")


def qti12_zip(survey: Survey, surveys: Surveys, ident: str) -> bytes:
    """The survey as a QTI 1.2 package (Canvas: Import Course Content > QTI .zip)."""
    q = etree.Element("questestinterop", nsmap={None: QTI_NS})
    a = _sub(q, "assessment", ident=ident, title=survey.title)
    sec = _sub(a, "section", ident="root_section")
    for it in survey.items:
        item = _sub(sec, "item", ident=f"{ident}-{it.id}", title=it.id)
        md = _sub(_sub(item, "itemmetadata"), "qtimetadata")
        kind = {"rating": "multiple_choice_question", "text": "essay_question"}.get(
            it.type, "multiple_answers_question" if it.multiple else "multiple_choice_question")
        for label, entry in (("question_type", kind), ("points_possible", "0")):
            f = _sub(md, "qtimetadatafield")
            _sub(f, "fieldlabel", label)
            _sub(f, "fieldentry", entry)
        pres = _sub(item, "presentation")
        _mat(pres, f"{survey.stem} {it.text}" if survey.stem else it.text)
        if it.type == "text":
            _sub(_sub(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib")
            continue
        choices = surveys.scales.get(it.scale or "", []) if it.type == "rating" else it.options
        lid = _sub(pres, "response_lid", ident="response1", rcardinality="Multiple" if it.multiple else "Single")
        rc = _sub(lid, "render_choice")
        for k, text in enumerate(choices, start=1):
            _mat(_sub(rc, "response_label", ident=f"{it.id}-{k}"), text)
    data = etree.tostring(q, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    manifest = _manifest(ident)
    return write_zip({"imsmanifest.xml": manifest, f"{ident}.xml": data})


def _manifest(ident: str) -> bytes:
    ns = "http://www.imsglobal.org/xsd/imscp_v1p1"
    m = etree.Element("manifest", identifier=f"{ident}-manifest", nsmap={None: ns})
    etree.SubElement(m, "organizations")
    res = etree.SubElement(etree.SubElement(m, "resources"), "resource", identifier=ident,
                           type="imsqti_xmlv1p2", href=f"{ident}.xml")
    etree.SubElement(res, "file", href=f"{ident}.xml")
    meta = etree.SubElement(m, "metadata")
    _sub(meta, "schema", "IMS Content")
    _sub(meta, "schemaversion", "1.1.3")
    return etree.tostring(m, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def help_context(project: Any, region: str) -> dict[str, Any]:
    """The region's emergency number and its crisis lines for everyone, with how current each
    is (the same honest wording as every other output): printed at the foot of every form."""
    from builder.render.helplines import date_note

    reg = project.resources.regions[region]
    lines = [{"name": r.name, "contacts": [c.label or c.value for c in r.contacts], "hours": r.hours.rstrip(". "),
              "note": date_note(r)} for r in reg.resources if r.crisis and r.group == "everyone"]
    return {"emergency": reg.emergency, "place": reg.place_name, "lines": lines}


def form_context(survey: Survey, surveys: Surveys, course_title: str,
                 help: dict[str, Any] | None = None) -> dict[str, Any]:
    items = []
    for it in survey.items:
        levels = surveys.scales.get(it.scale or "", []) if it.type == "rating" else []
        items.append({"id": it.id, "type": it.type, "text": it.text, "levels": levels, "options": it.options,
                      "multiple": it.multiple, "lines": it.lines})
    return {"course": course_title, "survey": survey, "items": items, "help": help,
            "ratings": [i for i in items if i["type"] == "rating"]}


def write_instruments(project: Any, out: Any, build_date: str, pdf: bool = True,
                      region: str | None = None) -> tuple[list[Any], list[str]]:
    """Every survey's form (PDF), Moodle Feedback XML, QTI 1.2 package and CSV template, and the
    knowledge form's paper template, into `out`. Returns the files written and PDF problems."""
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from builder.evaluate.instrument import instrument
    from builder.evaluate.readers import paper_template
    from builder.model.surveys import load_surveys
    from builder.util import write_atomic

    out = Path(out)
    files: list[Path] = []
    problems: list[str] = []
    if project.forms is not None:
        for form in project.forms.forms:
            target = out / f"paper-template-{form.id}.csv"
            write_atomic(target, paper_template(instrument(project, form)))
            files.append(target)
    surveys, _ = load_surveys(project.root)
    if surveys is None:
        return files, problems
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    jobs = []
    for s in surveys.surveys:
        ident = f"{project.course.id}-survey-{s.id}"
        for name, data in ((f"survey-{s.id}-template.csv", survey_template(s).encode()),
                           (f"survey-{s.id}-moodle-feedback.xml", moodle_feedback_xml(s, surveys)),
                           (f"survey-{s.id}-qti12.zip", qti12_zip(s, surveys, ident))):
            write_atomic(out / name, data)
            files.append(out / name)
        if pdf:
            from builder.render.print.engine import Job, page_css

            help = help_context(project, region or project.course.default_region)
            html = env.get_template("survey-form.html.j2").render(**form_context(s, surveys, project.course.title,
                                                                                 help))
            jobs.append(Job(f"survey-{s.id}.pdf", html, page_css("a4", f"{project.course.title}: {s.title}"),
                            out / f"survey-{s.id}.pdf"))
    if jobs:
        from builder.render.print.engine import find_font_dir, render_jobs

        for job, outcome in zip(jobs, render_jobs(jobs, [out.resolve()], find_font_dir(project.root), 1,
                                                  build_date, None), strict=True):
            problems += outcome.problems
            if not outcome.problems:
                files.append(job.target)
    return files, problems
