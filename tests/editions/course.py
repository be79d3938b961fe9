"""The fixture course with three editions: what the edition tests build and check.

The minimal fixture plus, in M1:
- `:term[report-to]` / `:Term[help-route]` in lesson 1, whose values differ by edition;
- an `!!! edition "school"` scenario, an `!!! edition "workplace community"` passage, and a
  school-only paragraph inside a facilitator block;
- a school-only lesson (`editions: [school]` in its front matter);
- a workplace-only quiz question and a community-only activity.
Every edition-only text carries a marker word (SCHOOLONLY, WORKONLY, COMMUNITYONLY) so a test
can tell at a glance whose text it found; the leak test does not rely on them.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIXTURES, course_copy

EDITIONS_YAML = """
default_edition: community
editions:
  - id: school
    title: School edition
    audience: Students aged 16 to 18 and school staff.
    default_region: uk
    vocabulary:
      report-to: the safeguarding lead
      help-route: the school counsellor
  - id: workplace
    title: Workplace edition
    audience: Employees and managers.
    vocabulary:
      report-to: your line manager or HR
      help-route: the employee assistance programme
  - id: community
    title: Community edition
    audience: Volunteers in clubs and groups.
    vocabulary:
      report-to: the group's organiser
      help-route: local services
"""

LESSON_EXTRA = """
## Who to tell

If you are worried about a friend's safety, tell :term[report-to] straight away.
:Term[help-route] can talk with them in private.

!!! edition "school"
    !!! scenario "In the common room"
        SCHOOLONLY Maya sits alone in the sixth-form common room and has stopped coming to drama club.

!!! edition "workplace community"
    !!! scenario "After the meeting"
        WORKONLY COMMUNITYONLY Sam has missed three meetings in a row and answers messages late at night.

!!! facilitator "Running this part"
    Give people time to think.

    !!! edition "school"
        SCHOOLONLY Remind students that you must pass on any worry about a student's safety.
"""

SCHOOL_LESSON = """---
title: School rules on confidentiality
duration: 5
objectives: [M1.O1]
editions: [school]
---

## What your school expects

SCHOOLONLY A student peer supporter keeps things private, except when someone may be unsafe.
"""

WORK_QUESTION = """  - id: M1.Q90
    type: true_false
    editions: [workplace]
    objectives: [M1.O1]
    stem: WORKONLY Your employee assistance programme is confidential within its stated limits.
    answer: true
"""

COMMUNITY_ACTIVITY = """  - id: M1.A9
    kind: discussion
    title: Group check-in
    duration: 5
    editions: [community]
    instructions: COMMUNITYONLY Talk in pairs about who in your group you would tell first.
    prompts:
      - Who organises your group?
"""


ADAPTATIONS = """  adaptations:
    school: SCHOOLONLY Use examples from class life and name the safeguarding lead.
    workplace: WORKONLY Use examples from team life and name the EAP.
"""


def edition_course(tmp_path: Path) -> Path:
    """A copy of the minimal fixture with the edition content above."""
    src = FIXTURES / "minimal"
    course = (src / "curriculum" / "course.yaml").read_text(encoding="utf-8") + EDITIONS_YAML
    lesson = (src / "modules" / "01-first-steps" / "01-listening.md").read_text(encoding="utf-8") + LESSON_EXTRA
    module = (src / "modules" / "01-first-steps" / "module.yaml").read_text(encoding="utf-8")
    module = module.replace("  - 02-noticing.md\n", "  - 02-noticing.md\n  - 03-school-rules.md\n", 1)
    module = module.replace("activities:\n", "activities:\n" + COMMUNITY_ACTIVITY, 1)
    module = module.replace("  adaptations:\n    school: Use examples from class life.\n", ADAPTATIONS, 1)
    assert ADAPTATIONS in module
    quiz = (src / "quizzes" / "01-first-steps.yaml").read_text(encoding="utf-8")
    quiz = quiz.replace("questions:\n", "questions:\n" + WORK_QUESTION, 1)
    return course_copy(tmp_path, files={
        "curriculum/course.yaml": course,
        "modules/01-first-steps/01-listening.md": lesson,
        "modules/01-first-steps/03-school-rules.md": SCHOOL_LESSON,
        "modules/01-first-steps/module.yaml": module,
        "quizzes/01-first-steps.yaml": quiz,
    })
