"""Shared pieces of the page-runtime tests (tests/lms/test_runtime_*.py).

- `lms_web`: the fixture course's participant site (as `course build` writes it, module 1 with
  every question type) in a folder served over http://127.0.0.1, next to the LMS harness page
  (tests/lms/harness.html) and scorm-again's dist file from node_modules (the npm devDependency;
  nothing comes from a CDN). The test writes `lms-config.json` beside the site's `assets/`, as a
  package build does.
- `LRS`: a local stand-in for a cmi5 LMS and its LRS on another 127.0.0.1 port: the one-time
  fetch-token URL, the LMS.LaunchData state document, the AU's own state documents and the
  statements resource, recording every request it gets.
- `answer_quiz`: answers module 1's self-check in the page (or frame), all right or two wrong.

Chromium comes from the site tests' `browser` fixture ($CHROMIUM or `chromium` on PATH).
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers import REPO
from tests.site.conftest import build_site, serve, site_course

HARNESS = Path(__file__).parent / "harness.html"
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm-again.min.js"

MODULE = "modules/01-first-steps/"
PAGES = [MODULE, MODULE + "01-listening/", MODULE + "02-noticing/", MODULE + "activities/",
         MODULE + "key-points/", MODULE + "quiz/"]
TITLES = ["Module 1: First steps", "Listening well", "Noticing changes", "Activities: First steps",
          "Key points: First steps", "Self-check quiz: First steps"]
# What the runtime may keep in suspend data: pages seen, location, its title, best score, attempted
# (and, for cmi5, whether completed and passed were sent). Never an answer.
STATE_KEYS = {"v", "s", "l", "t", "q", "a", "c", "p"}
ANSWER_TEXTS = ["How have things been", "Nodding", "Summarising", "Stigma", "What was that like",
                "Notice a change", "Ask how they are"]


# The same module as SCORM packages hold it (builder.render.lms): pages are files, the package
# root holds assets/ and lms-config.json.
PACKAGE_PAGES = [MODULE, MODULE + "01-listening.html", MODULE + "02-noticing.html", MODULE + "activities.html",
                 MODULE + "key-points.html", MODULE + "quiz.html"]
# completion: in course.yaml for the packages the tests play, by standard.
PACKAGE_COMPLETION = {"scorm12": "completion:\n  rule: all-lessons-viewed\n  mastery_score: 80\n",
                      "scorm2004": "completion:\n  rule: mastery\n  mastery_score: 80\n",
                      "cmi5": "completion:\n  rule: mastery\n  mastery_score: 80\n"}


@dataclass
class Web:
    root: Path  # served folder: harness.html, scorm-again.min.js, and the content under `base`
    url: str  # http://127.0.0.1:PORT/
    base: str = "site/"
    pages: list[str] = field(default_factory=lambda: list(PAGES))  # the module's page keys, in order

    @property
    def site(self) -> Path:
        return self.root / self.base

    @property
    def site_url(self) -> str:
        return self.url + self.base

    @property
    def launch(self) -> str:
        """The module's launch page (its overview), as the manifest or the site links it."""
        return self.site_url + (self.pages[0] if self.base == "site/" else self.pages[0] + "index.html")

    def configure(self, **config: Any) -> None:
        """Write lms-config.json as the package build does (the module's pages by default)."""
        data = {"format": 1, "module": "M1", "rule": "all-lessons-viewed", "mastery_score": 80,
                "report": ["completion", "success", "score"], "pages": PAGES}
        data.update(config)
        (self.site / "lms-config.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def lms_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is not installed: run `npm ci` (it is a devDependency in package.json)")
    tmp = tmp_path_factory.mktemp("lms-runtime")
    site = build_site(tmp, site_course(tmp / "course"))
    root = tmp / "web"
    root.mkdir()
    shutil.copytree(site.root, root / "site")
    shutil.copy(HARNESS, root / "harness.html")
    shutil.copy(SCORM_AGAIN, root / "scorm-again.min.js")
    server, url = serve(root)
    yield Web(root, url)
    server.shutdown()


@pytest.fixture(scope="module")
def package_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Web]]:
    """The SCORM 1.2, SCORM 2004 and cmi5 packages `course package` makes of the same course (with the
    completion: of PACKAGE_COMPLETION), unzipped into one served folder, next to the harness."""
    from builder.model.load import load_project
    from builder.render.lms import build_packages
    from tests.lms.conftest import OPTS, unzip

    tmp = tmp_path_factory.mktemp("lms-packages")
    root = tmp / "web"
    root.mkdir()
    shutil.copy(HARNESS, root / "harness.html")
    shutil.copy(SCORM_AGAIN, root / "scorm-again.min.js")
    for standard, completion in PACKAGE_COMPLETION.items():
        course = site_course(tmp / standard)
        yaml = course / "curriculum" / "course.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8") + completion, encoding="utf-8")
        project, _ = load_project(course)
        assert project is not None
        for name, data in unzip(build_packages(project, OPTS, [standard])[standard][1]).items():
            (root / standard / name).parent.mkdir(parents=True, exist_ok=True)
            (root / standard / name).write_bytes(data)
    server, url = serve(root)
    yield {standard: Web(root, url, f"{standard}/", list(PACKAGE_PAGES)) for standard in PACKAGE_COMPLETION}
    server.shutdown()


# -- a cmi5 LMS and LRS on 127.0.0.1 ----------------------------------------------------------

TOKEN = "dGVzdC1hdTpzZWNyZXQ="  # what the fetch URL hands out, once
SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
COURSE_IRI = "https://example.org/courses/fixture-course"


@dataclass
class LRS:
    url: str = ""
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    statements: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # method, path?query, headers
    states: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    fetches: dict[str, int] = field(default_factory=dict)  # fetch path -> times asked
    launch_data: dict[str, Any] = field(default_factory=dict)
    session_id: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_session(self, mastery: float | None = 0.8, mode: str = "Normal") -> str:
        """A new launch: a fresh session id and fetch URL; returns the fetch URL."""
        self.session_id = str(uuid.uuid4())
        self.launch_data = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": COURSE_IRI + "/au/m1", "objectType": "Activity"}]},
                "extensions": {SESSION_EXT: self.session_id},
            },
            "launchMode": mode, "moveOn": "CompletedAndPassed", "returnURL": "https://example.org/lms",
        }
        if mastery is not None:
            self.launch_data["masteryScore"] = mastery
        return f"{self.url}fetch/{self.session_id}"

    def verbs(self) -> list[str]:
        return [s["verb"]["id"].rsplit("/", 1)[-1] for s in self.statements]


def _handler(lrs: LRS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, code: int, body: Any = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self) -> tuple[str, dict[str, list[str]], bytes]:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lrs.lock:
                lrs.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            parts = urlsplit(self.path)
            return parts.path, parse_qs(parts.query), body

        def _authorised(self) -> bool:
            return (self.headers.get("Authorization") == f"Basic {TOKEN}"
                    and self.headers.get("X-Experience-API-Version", "").startswith("1.0"))

        def do_OPTIONS(self) -> None:  # noqa: N802 (CORS preflight: the AU is on another origin)
            self._record()
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version")
            self.send_header("Access-Control-Max-Age", "600")
            self.end_headers()

        def do_POST(self) -> None:  # noqa: N802
            path, _query, body = self._record()
            if path.startswith("/fetch/"):
                with lrs.lock:
                    lrs.fetches[path] = lrs.fetches.get(path, 0) + 1
                    first = lrs.fetches[path] == 1 and path.endswith(lrs.session_id)
                if first:
                    return self._send(200, {"auth-token": TOKEN})
                return self._send(200, {"error-code": "1", "error-text": "This fetch URL was already used."})
            if path == "/lrs/statements" and self._authorised():
                statement = json.loads(body)
                with lrs.lock:
                    lrs.statements.append(statement)
                return self._send(200, [statement.get("id")])
            return self._send(403 if path.startswith("/lrs/") else 404, {"error": path})

        def _state_key(self, query: dict[str, list[str]]) -> tuple[str, str, str, str]:
            return tuple(query.get(k, [""])[0] for k in ("activityId", "agent", "registration", "stateId"))  # type: ignore[return-value]

        def do_GET(self) -> None:  # noqa: N802
            path, query, _ = self._record()
            if path != "/lrs/activities/state" or not self._authorised():
                return self._send(403, {"error": path})
            key = self._state_key(query)
            if key[3] == "LMS.LaunchData":
                return self._send(200, lrs.launch_data)
            with lrs.lock:
                stored = lrs.states.get(key)
            if stored is None:
                return self._send(404, {"error": "no such state"})
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(stored)))
            self.end_headers()
            self.wfile.write(stored)

        def do_PUT(self) -> None:  # noqa: N802
            path, query, body = self._record()
            if path != "/lrs/activities/state" or not self._authorised():
                return self._send(403, {"error": path})
            with lrs.lock:
                lrs.states[self._state_key(query)] = body
            self._send(204)

    return Handler


@pytest.fixture
def lrs() -> Iterator[LRS]:
    store = LRS()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield store
    server.shutdown()


# -- the quiz ----------------------------------------------------------------------------------


def answer_quiz(scope: Any, *, all_right: bool) -> None:
    """Answer module 1's six graded questions (a page or a frame locator). With all_right=False
    questions 1 and 3 are wrong: 4 of 6 points, 66.67 %."""
    scope.locator("#m1-q01").get_by_label("How have things been for you lately?" if all_right
                                          else "Are you OK?").check()
    scope.locator("#m1-q02").get_by_label("Nodding").check()
    scope.locator("#m1-q02").get_by_label("Summarising what you heard").check()
    scope.locator("#m1-q03").get_by_label("True" if all_right else "False").check()
    scope.locator("#m1-q04").get_by_label("Your answer").fill("Stigma")
    for i, right in enumerate(['"What was that like?"', '"You sound worried."', '"So far you have told me..."']):
        scope.locator(f"#m1-q05-m{i}").select_option(label=right)
    order = scope.locator("#m1-q06 .course-quiz__order")
    wanted = ["Notice a change", "Ask how they are", "Listen"]
    for _ in range(6):  # bubble the items into the right order with the move buttons
        items = order.locator(".course-quiz__item-text").all_inner_texts()
        wrong = next((k for k, t in enumerate(items) if t != wanted[k]), None)
        if wrong is None:
            break
        order.locator(".course-quiz__item").nth(items.index(wanted[wrong])).locator(
            "[data-quiz-action=up]").click()
    scope.get_by_role("button", name="Show my score").click()
    scope.locator(".course-quiz__score").get_by_text("Your score").wait_for()
