"""`completion:` in course.yaml: the rule an LMS package uses to complete and pass a module.

    completion:
      rule: mastery            # all-lessons-viewed | quiz-attempted | mastery
      mastery_score: 80        # percent, 0-100; needed by mastery
      report: [completion, success, score]

Each problem is an error at the key it is about, with a hint:
- `completion.rule`: a rule the packages do not know;
- `completion.mastery-score`: a mastery score outside 0-100, or rule mastery without one;
- `completion.no-quiz`: under a quiz-based rule (quiz-attempted, mastery), a module whose
  self-check quiz participants never get (no questions, or only questions an assessment form
  draws, which the participant edition leaves out): that module could never be completed;
- `completion.report`: a report item the packages do not know.
"""

from __future__ import annotations

from builder.diagnostics import Diagnostic, diag, register
from builder.model.forms import form_question_ids
from builder.model.project import Project

RULES = ("all-lessons-viewed", "quiz-attempted", "mastery")
QUIZ_RULES = frozenset({"quiz-attempted", "mastery"})
REPORTS = ("completion", "success", "score")

RULE = register("completion.rule", "completion rule the LMS packages do not know")
SCORE = register("completion.mastery-score", "mastery score missing or outside 0-100")
NO_QUIZ = register("completion.no-quiz", "a quiz-based completion rule, but a module has no self-check quiz")
REPORT = register("completion.report", "completion report item the LMS packages do not know")


def quiz_questions(project: Project, module_id: str) -> list[str]:
    """Ids of the questions of a module's self-check quiz as participants (and so LMS
    packages) get it: without the questions an assessment form draws, and without
    reflections, which nobody scores."""
    drawn = form_question_ids(project)
    module = project.module(module_id)
    if module is None:
        return []
    return [q.id for q in module.questions if q.id not in drawn and q.type != "reflection"]


def check_completion(project: Project) -> list[Diagnostic]:
    course = project.course
    c = course.completion
    out: list[Diagnostic] = []
    if c.rule not in RULES:
        out.append(diag(RULE, c.where("rule"), f"unknown completion rule '{c.rule}'",
                        f"use one of: {', '.join(RULES)}"))
    if c.mastery_score is not None and not 0 <= c.mastery_score <= 100:
        out.append(diag(SCORE, c.where("mastery_score"),
                        f"mastery score {c.mastery_score:g} is outside 0-100",
                        "give the percent of a module's quiz that passes it, e.g. 80"))
    elif c.rule == "mastery" and c.mastery_score is None:
        out.append(diag(SCORE, c.where("rule"), "rule mastery needs a mastery_score",
                        "add `mastery_score: 80` (percent, 0-100) under completion:"))
    for i, item in enumerate(c.report):
        if item not in REPORTS:
            out.append(diag(REPORT, c.where("report", i), f"unknown report item '{item}'",
                            f"use any of: {', '.join(REPORTS)}"))
    if c.rule in QUIZ_RULES:
        for i, folder in enumerate(course.modules):
            m = next((m for m in project.modules if m.folder == folder), None)
            if m is None or quiz_questions(project, m.id):
                continue
            out.append(diag(NO_QUIZ, course.where("modules", i),
                            f"module {m.id} has no self-check quiz, so rule '{c.rule}' can never complete it",
                            "add scored questions to its quiz file (questions a form draws are not on the "
                            "self-check), or use rule all-lessons-viewed"))
    return out
