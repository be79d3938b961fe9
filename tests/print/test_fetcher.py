"""WeasyPrint fetches nothing outside the project: no network, no other files."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from builder.render.print.engine import Job, find_font_dir, render_jobs

pytestmark = [pytest.mark.pdf]


@pytest.fixture()
def fetcher(tmp_path: Path):
    from builder.render.print.fetcher import SafeFetcher

    root = tmp_path / "course"
    (root / "img").mkdir(parents=True)
    (root / "img" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "img" / "escape.png").symlink_to(tmp_path / "secret.txt")
    return SafeFetcher([root]), root, tmp_path


def test_serves_files_inside_the_project(fetcher) -> None:
    f, root, _ = fetcher
    response = f.fetch((root / "img" / "a.png").as_uri())
    assert response.read() == b"\x89PNG"
    assert response.content_type == "image/png"


@pytest.mark.parametrize("url", [
    "https://example.org/a.png", "http://127.0.0.1:9/x.css", "ftp://example.org/f", "data:image/png;base64,AAAA",
    "file://example.org/etc/passwd",
])
def test_refuses_other_schemes_and_hosts(fetcher, url: str) -> None:
    f, _, _ = fetcher
    with pytest.raises(ValueError):
        f.fetch(url)
    assert f.refused == [url]


def test_refuses_files_outside_even_through_dotdot_or_symlinks(fetcher) -> None:
    f, root, tmp = fetcher
    for url in [(tmp / "secret.txt").as_uri(), root.as_uri() + "/img/../../secret.txt",
                (root / "img" / "escape.png").as_uri(), "file:///etc/passwd", (root / "missing.png").as_uri()]:
        with pytest.raises(ValueError):
            f.fetch(url)
    assert len(f.refused) == 5


def test_a_document_asking_for_the_network_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def no_connect(self, address):  # noqa: ANN001
        calls.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    html = ('<html lang="en"><head><title>T</title><link rel="stylesheet" href="https://example.org/x.css">'
            '</head><body><h1>T</h1><img alt="x" src="https://example.org/x.png">'
            '<img alt="y" src="file:///etc/hostname"></body></html>')
    target = tmp_path / "out.pdf"
    repo = Path(__file__).resolve().parents[2]
    [outcome] = render_jobs([Job("out.pdf", html, "", target)], [tmp_path], find_font_dir(repo), 1,
                            "2026-11-22", None)
    assert calls == []
    assert sorted(outcome.problems) == sorted(["refused to fetch https://example.org/x.css",
                                               "refused to fetch https://example.org/x.png",
                                               "refused to fetch file:///etc/hostname"])


def test_a_failed_render_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    repo = Path(__file__).resolve().parents[2]
    html = '<html lang="en"><head><title>T</title></head><body><h1>T</h1></body></html>'
    [outcome] = render_jobs([Job("x.pdf", html, "", blocker / "x.pdf")], [tmp_path], find_font_dir(repo), 1,
                            "2026-11-22", None)
    assert len(outcome.problems) == 1 and outcome.problems[0].startswith("WeasyPrint failed on x.pdf: ")
