"""The pull-request workflow posts `course diff` for content changes: the command it runs is
one the CLI accepts, it runs on the paths that hold content, and only its job may comment."""

from __future__ import annotations

import shlex

import yaml

from builder.cli import build_parser
from tests.helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "course-diff.yml"


def test_the_workflow_posts_the_markdown_report_on_content_pull_requests() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert set(on) == {"pull_request"}
    assert on["pull_request"]["paths"] == ["curriculum/**", "modules/**", "quizzes/**"]
    assert flow["permissions"] == {"contents": "read"}
    job = flow["jobs"]["report"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    [report] = [s for s in job["steps"] if "--format markdown" in s.get("run", "")]
    assert report["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    [line] = [x.strip() for x in report["run"].splitlines() if x.strip().startswith("course diff")]
    argv = shlex.split(line.replace("${BASE_REF}", "main"))
    assert argv[:2] == ["course", "diff"]
    args = build_parser().parse_args(argv[1:])
    assert (args.old, args.new, args.format, args.max_chars) == ("origin/main", "HEAD", "markdown", 60000)
    [post] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/github-script@")]
    script = post["with"]["script"]
    assert "updateComment" in script and "createComment" in script and "<!-- course diff report -->" in script
    assert 'echo "<!-- course diff report -->"' in report["run"]
    # The PDF for facilitators, after the comment, as the run's artifact.
    [pdf] = [s for s in job["steps"] if "--format pdf" in s.get("run", "")]
    args = build_parser().parse_args(shlex.split(pdf["run"].replace("${BASE_REF}", "main"))[1:])
    assert (args.old, args.new, args.format, str(args.out)) == ("origin/main", "HEAD", "pdf", "what-changed.pdf")
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "what-changed.pdf"
    steps = job["steps"]
    assert steps.index(post) < steps.index(pdf) < steps.index(upload)
