"""External links: only to domains on `course.yaml` `link_allowlist`, and only over https.

Every form of link counts: Markdown links, reference definitions, `<...>`
autolinks, bare `https://...` and `www....` URLs, and bare domain names such as
`example.com` (renderers and readers treat them as links, and spam often uses them).
A host is allowed when it is an allowlisted domain or a subdomain of one. Relative links,
`#anchors`, `mailto:` and `tel:` are not external links and are left to other checks, as are
images (every remote image is `image.remote`) and `javascript:`/`data:` URLs (`html.url`).
"""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urlsplit

from builder.checks.content.corpus import Corpus, Prose
from builder.checks.content.markdown import blank_comments
from builder.diagnostics import Diagnostic, diag, register

NOT_ALLOWED = register("links.not-allowed", "A link to a host that is not on the course's link allowlist.")
HTTP = register("links.http", "A plain http:// link (use https://).", "warning")
ALLOWLIST = register("links.allowlist-entry", "A link allowlist entry that is not a bare domain.", "warning")

_TLDS = (
    "com|org|net|info|biz|io|ai|uk|ie|ca|au|nz|gov|edu|int|app|dev|shop|store|online|site|xyz|health"
    "|care|life|club|live|news|blog|top|tv|ly|gg|cc|ru|cn|de|fr|nl|eu"
)
_MD_LINK = re.compile(
    r"!?\[[^\[\]\n]*\]\(\s*<?(?P<url>(?:[^()\s>]|\([^()\s]*\))+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)"
)
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.M)
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][\w+.-]*:[^<>\s]+)>")
_BARE = re.compile(
    r"(?<![\w/@.-])(?P<url>(?:https?|ftp|file|javascript|data)://[^\s<>()\[\]\"'`]+|www\.[^\s<>()\[\]\"'`]+)",
    re.I,
)
_DOMAIN = re.compile(
    r"(?<![\w@./:-])(?P<url>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")"
    r"(?:/[^\s<>()\[\]\"'`]*)?)(?![\w-])",
    re.I,
)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")")
_TLD_HINT = re.compile(r"[a-z0-9]\.(?:" + _TLDS + r")\b")
_DOMAIN_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")
_TRAILING = ".,;:!?'\"]"


def check(corpus: Corpus) -> Iterator[Diagnostic]:
    course = corpus.project.course
    allow = []
    for i, entry in enumerate(course.link_allowlist):
        domain = _domain_of(entry)
        if domain != entry:
            where = course.where("link_allowlist", i)
            hint = f"write it as '{domain}'" if domain else "write a domain name such as 'samaritans.org'"
            if corpus.wants(where.path):
                yield diag(ALLOWLIST, where, f"link allowlist entry '{entry}' is not a bare domain name", hint)
        if domain:
            allow.append(domain)
    for prose in corpus.all_prose:
        for start, url in find_links(prose.raw):
            yield from _check_url(prose, start, url, allow)


def _domain_of(entry: str) -> str:
    """The domain an allowlist entry names ('https://www.Example.org/x' -> 'www.example.org')."""
    text = entry.strip().lower()
    if "/" in text:
        text = urlsplit(text if "://" in text else "https://" + text).hostname or ""
    return text.rstrip(".") if _DOMAIN_NAME.fullmatch(text.rstrip(".")) else ""


def find_links(text: str) -> list[tuple[int, str]]:
    """(offset, url) of every external-looking link in `text`, in order, each once."""
    text = blank_comments(text)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    lower = text.lower()
    for pattern, keys in (
        (_MD_LINK, ("](",)),
        (_REF_DEF, ("]:",)),
        (_AUTOLINK, ("<",)),
        (_BARE, ("://", "www.")),
        (_DOMAIN, None),
    ):
        if keys is not None and not any(k in lower for k in keys):
            continue  # cheap tests first: most texts hold no link at all
        if keys is None and not _TLD_HINT.search(lower):
            continue
        for m in pattern.finditer(text):
            url = m.group("url").rstrip(_TRAILING)
            start = m.start("url")
            if not url or any(s <= start < e for s, e in taken):
                continue
            taken.append((start, start + len(url)))
            if not m.group().startswith("!"):  # images are embeds, reported by `image.remote`
                found.append((start, url))
    return sorted(found)


def host_allowed(host: str, allow: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in allow)


def _check_url(prose: Prose, start: int, url: str, allow: list[str]) -> Iterator[Diagnostic]:
    lowered = url.lower()
    if lowered.startswith(("#", "/", "./", "../", "mailto:", "tel:")):
        return
    scheme_match = re.match(r"([a-z][a-z0-9+.-]*):", lowered)
    scheme = scheme_match.group(1) if scheme_match else ""
    if scheme and "://" not in lowered:
        return  # javascript:, data: and the like are not links to a host: `html.url` reports them
    if not scheme and not (lowered.startswith("www.") or _HOST.fullmatch(lowered.split("/", 1)[0])):
        return  # a relative link such as `02-listening.md` is not external
    try:
        host = urlsplit(url if scheme else "https://" + url).hostname or ""
    except ValueError:
        host = ""
    if not host:
        return
    if not host_allowed(host, allow):
        yield diag(
            NOT_ALLOWED,
            prose.where(start),
            f"link to '{host}' ({_short(url)}), which is not on the link allowlist",
            "remove it, or link to a trusted page on a domain in `link_allowlist` in curriculum/course.yaml "
            "(new domains need review)",
        )
    elif scheme == "http":
        yield diag(
            HTTP,
            prose.where(start),
            f"link '{_short(url)}' uses plain http://",
            f"write https://{url.split('://', 1)[1]}",
        )


def _short(url: str) -> str:
    return url if len(url) <= 70 else url[:67] + "..."
