"""Checking one link as a citizen's browser would follow it, without SSRF.

:func:`check` asks for the link with ``HEAD`` and, when the server refuses
``HEAD`` or answers it with an error, with ``GET`` (headers only: the
connection is closed before any byte of the body is read). Redirects are
followed here, hop by hop, each hop through ``common/safe_http.py`` (scheme,
port and address checked before connecting: a link, or a redirect, to a
loopback or private address is refused without contacting it), and each hop
waits for the per-host rate limit (:class:`Throttle`). The answer becomes one
outcome (:data:`OUTCOMES`); a working link is then judged against the format
the resource declares (``data/link_media_types.yaml``): an HTML page where a
CSV was announced is the commonest dead link that still answers 200.

The outcome's label and explanation (:func:`label`, :func:`message`) are
English msgids, translated when they are read.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from ckanext.mogi.common import formats, safe_http
from ckanext.mogi.common.i18n import N_, translate

OK = "ok"
HTTP_ERROR = "http_error"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
REFUSED = "refused"
WRONG_TYPE = "wrong_type"
#: Every outcome; all but :data:`OK` are problems staff should fix.
OUTCOMES = (OK, HTTP_ERROR, REDIRECT_LOOP, TOO_MANY_REDIRECTS, TIMEOUT, UNREACHABLE,
            REFUSED, WRONG_TYPE)
PROBLEMS = OUTCOMES[1:]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})

#: Short labels (the badge); ``{status}`` the HTTP code, ``{seen}`` the content seen.
LABELS = {
    OK: N_("Link OK"),
    HTTP_ERROR: N_("Broken link: {status}"),
    REDIRECT_LOOP: N_("Broken link: redirect loop"),
    TOO_MANY_REDIRECTS: N_("Broken link: too many redirects"),
    TIMEOUT: N_("Broken link: no answer"),
    UNREACHABLE: N_("Broken link: server unreachable"),
    REFUSED: N_("Link refused: not checked"),
    WRONG_TYPE: N_("Unexpected content: {seen}"),
    None: N_("Link not checked yet"),
}


# ------------------------------------------------------------- the checker
@dataclass(frozen=True)
class Settings:
    """Timeout of each request (seconds), redirects followed, seconds between
    two requests to one host."""

    timeout: float
    max_redirects: int
    host_interval: float

    @classmethod
    def from_config(cls) -> Settings:
        from ckan.plugins import toolkit

        config = toolkit.config
        return cls(
            timeout=float(config.get("ckanext.mogi.governance.link_check.timeout")),
            max_redirects=int(config.get("ckanext.mogi.governance.link_check.max_redirects")),
            host_interval=float(config.get("ckanext.mogi.governance.link_check.host_interval")),
        )


class Throttle:
    """At most one request to each host every ``interval`` seconds (in this
    process: one link-check run at a time)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        pause = self._last.get(host, -self.interval) + self.interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last[host] = time.monotonic()


@dataclass
class Result:
    """What one check found; ``detail`` holds the parameters of its explanation."""

    outcome: str
    http_status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    redirects: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


def check(url: str, declared_format: str | None, policy: safe_http.FetchPolicy,
          settings: Settings, throttle: Throttle,
          headers: Mapping[str, str] | None = None) -> Result:
    """Check ``url`` (see the module docstring); never raises for what a link does."""
    try:
        result = _follow(url, "HEAD", policy, settings, throttle, headers)
        if result.outcome == HTTP_ERROR:  # HEAD refused, or an error: GET decides
            result = _follow(url, "GET", policy, settings, throttle, headers)
    except safe_http.RefusedDestination as exc:
        return Result(REFUSED, detail={"reason": exc.reason, **exc.params})
    except safe_http.FetchError as exc:
        if exc.reason == "timeout":
            return Result(TIMEOUT, detail={"seconds": settings.timeout})
        return Result(UNREACHABLE)
    if result.outcome == OK:
        expected = declared(declared_format)
        if not content_matches(expected, result.content_type):
            result.outcome = WRONG_TYPE
            result.detail = {"format": (expected or "").upper(),
                             "seen": type_name(result.content_type or "")}
    return result


def _follow(url: str, method: str, policy: safe_http.FetchPolicy, settings: Settings,
            throttle: Throttle, headers: Mapping[str, str] | None) -> Result:
    """One request per hop, each checked by ``safe_http``, up to the final answer."""
    seen = {url}
    current = url
    redirects = 0
    while True:
        throttle.wait(current)
        with safe_http.open_stream(current, policy, method=method, allow_redirects=False,
                                   headers=headers) as response:
            status = response.status_code
            location = response.headers.get("Location")
            content_type = media_type(response.headers.get("Content-Type"))
        if status in _REDIRECTS and location:
            target = urljoin(current, location)
            redirects += 1
            if target in seen:
                return Result(REDIRECT_LOOP, status, target, redirects=redirects)
            if redirects > settings.max_redirects:
                return Result(TOO_MANY_REDIRECTS, status, target, redirects=redirects,
                              detail={"max": settings.max_redirects})
            seen.add(target)
            current = target
            continue
        outcome = OK if 200 <= status < 300 else HTTP_ERROR
        return Result(outcome, status, current, content_type or None, redirects)


# ------------------------------------------------ content against format
@functools.cache
def _data() -> dict[str, Any]:
    path = resources.files("ckanext.mogi.governance").joinpath("data", "link_media_types.yaml")
    return yaml.safe_load(path.read_text("utf-8"))


@functools.cache
def _format_of_type() -> dict[str, str]:
    """Media type -> the format whose main (first) type it is, else the first
    format that lists it."""
    known: dict[str, str] = {}
    listed = _data()["formats"].items()
    for name, types in listed:
        known.setdefault(types[0], name)
    for name, types in listed:
        for media in types:
            known.setdefault(media, name)
    return known


def media_type(header: str | None) -> str:
    """``text/csv; charset=utf-8`` -> ``text/csv``."""
    return str(header or "").split(";", 1)[0].strip().lower()


def declared(value: str | None) -> str | None:
    """The resource's ``format`` as a format this module judges, else None."""
    name = formats.normalise(value)
    if "/" in name:
        name = _format_of_type().get(name, name)
    return name if name in _data()["formats"] else None


def content_matches(expected: str | None, seen: str | None) -> bool:
    """Whether content of type ``seen`` may be a file of format ``expected``;
    True when either is unknown or the type says nothing (octet-stream)."""
    if not expected or not seen or seen in _data()["generic"]:
        return True
    return seen in _data()["formats"][expected]


def type_name(seen: str) -> str:
    """A media type as people name it: ``text/html`` -> ``HTML``."""
    name = _format_of_type().get(seen)
    return name.upper() if name else seen


# ------------------------------------------------------------ explanations
def label(outcome: str | None, http_status: int | None = None,
          detail: Mapping[str, Any] | None = None) -> str:
    """The badge's words (request's or site's language)."""
    return translate(LABELS.get(outcome, LABELS[None])).format(
        status=http_status or "", seen=(detail or {}).get("seen", ""))


def message(outcome: str | None, http_status: int | None = None,
            final_url: str | None = None, redirects: int = 0,
            detail: Mapping[str, Any] | None = None) -> str:
    """What the outcome means and what to do (request's or site's language)."""
    detail = dict(detail or {})
    if outcome == REFUSED:
        reason = detail.pop("reason", "address")
        return safe_http.FetchError(reason, **detail).message
    text = _explanation(outcome, http_status, detail)
    params = {"status": http_status, "url": final_url, "redirects": redirects, **detail}
    text = translate(text).format(**params)
    if outcome == OK and redirects:
        text += " " + translate(N_("It redirects {redirects} time(s), to {url}.")).format(
            **params)
    return text


def _explanation(outcome: str | None, status: int | None, detail: Mapping[str, Any]) -> str:
    if outcome == OK:
        return N_("The server answered with HTTP code {status}.")
    if outcome == HTTP_ERROR:
        code = status or 0
        if code in (404, 410):
            return N_("The server says that the address does not exist (HTTP code {status}). "
                      "Check whether the file moved and correct the link.")
        if code in (401, 403):
            return N_("The server refuses access to the address (HTTP code {status}): the "
                      "file may require a login, which citizens do not have.")
        if code >= 500:
            return N_("The server of the link failed (HTTP code {status}). If it goes on, "
                      "tell whoever runs that site.")
        return N_("The server answered with HTTP code {status}: the link does not lead "
                  "to the file.")
    if outcome == REDIRECT_LOOP:
        return N_("The link redirects in a loop (it comes back to {url}) and never "
                  "reaches a file.")
    if outcome == TOO_MANY_REDIRECTS:
        return N_("The link redirects more than {max} times without reaching a file.")
    if outcome == TIMEOUT:
        return N_("The server of the link did not answer within {seconds:g} seconds.")
    if outcome == UNREACHABLE:
        return N_("Could not connect to the server of the link (unknown name, or the "
                  "connection was refused).")
    if outcome == WRONG_TYPE:
        if detail.get("seen") == "HTML":
            return N_("The link opens a web page (HTML), not a {format} file: it is probably "
                      "the page that offers the file, not the file itself.")
        return N_("The link answers with {seen}, but the resource's format is {format}.")
    return N_("The link of this resource has not been checked yet.")
