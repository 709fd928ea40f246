"""Fetch a calendar feed over https (plain http only when allowed), carefully.

A plain blocking function for a worker thread: one deadline (10 s by default) for the
whole fetch, from the connection through the status line, the headers, any redirects and
the body, so a server that drips a byte every few seconds cannot hold it (a watchdog
shuts the connection at the deadline); a size cap (20 MB by default, enforced while
streaming, so an endless body stops at the cap); and one clear line for every way it
can go wrong. (Looking the host name up is the system resolver's, with its own timeout.)
The URL is a secret: messages name it masked (scheme and host only), never the
exception text of the network libraries (which may quote the full URL).
The body is returned in memory and never written to disk.

urllib.request, http.client and ssl are imported when a feed is fetched, not with this
module: they load OpenSSL and cost megabytes the idle tray app (which plans from the
standing week or the cache) never needs.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from companion import __version__
from companion.core.calendar.errors import CalendarError
from companion.core.calendar.secrets import mask_url
from companion.core.clock import Clock, SystemClock
from companion.i18n import _

if TYPE_CHECKING:
    import urllib.request

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


def format_size(n: int) -> str:
    """A size as a person reads it: "20 MB", "64 KB", "300 bytes"."""
    if n >= 1024 * 1024:
        return _("{size:g} MB").format(size=n / (1024 * 1024))
    if n >= 1024:
        return _("{size:g} KB").format(size=n / 1024)
    return _("{size} bytes").format(size=n)


def normalise_url(url: str) -> str:
    """webcal:// and webcals:// (what Apple and Google hand out) mean https://."""
    url = url.strip()
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("webcal", "webcals"):
        return "https" + url[len(scheme) :]
    return url


def check_url(url: str, *, allow_http: bool = False) -> str:
    """The URL to fetch, or CalendarError if it may not be fetched (wrong scheme, no host)."""
    name = mask_url(url)
    url = normalise_url(url)
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise CalendarError(_("{name}: not a valid web link").format(name=name)) from None
    scheme = parts.scheme.lower()
    if scheme == "http" and not allow_http:
        raise CalendarError(
            _(
                "{name}: plain http is not allowed (the link would travel unencrypted); "
                "use the https link, or allow http in Settings"
            ).format(name=name)
        )
    if scheme not in ("http", "https") or not host:
        raise CalendarError(
            _("{name}: not a web link; use an https:// address or a file").format(name=name)
        )
    return url


@lru_cache(maxsize=1)
def _redirects_class() -> Callable[[str, bool], urllib.request.HTTPRedirectHandler]:
    """The redirect handler class, defined on first use (it subclasses urllib's)."""
    import urllib.request  # lazy: see the module docstring

    class Redirects(urllib.request.HTTPRedirectHandler):
        """Follow redirects, but never from https down to plain http unless allowed."""

        def __init__(self, name: str, allow_http: bool) -> None:
            self._name = name
            self._allow_http = allow_http

        def redirect_request(  # noqa: PLR0917 - the signature urllib calls
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            scheme = urlsplit(newurl).scheme.lower()
            if scheme == "http" and not self._allow_http:
                raise CalendarError(
                    _(
                        "{name}: the server redirected to an unencrypted (http) address; "
                        "not followed"
                    ).format(name=self._name)
                )
            if scheme not in ("http", "https"):
                raise CalendarError(
                    _("{name}: the server redirected to a non-web address").format(name=self._name)
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return Redirects


def _Redirects(name: str, allow_http: bool) -> urllib.request.HTTPRedirectHandler:
    """A handler that follows redirects, but never from https down to plain http unless
    allowed; `name` (the masked URL) is what its errors say."""
    return _redirects_class()(name, allow_http)


class _Deadline:
    """The one deadline of a fetch: at `seconds` it shuts the connection in use, whatever
    the fetch is waiting for (a status line, a header, a redirect's answer, the body)."""

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._connection: Any = None
        self.passed = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def connection_class(self, cls: Callable[..., Any]) -> Callable[..., Any]:
        """`cls` (an http.client connection class), with each connection it makes watched."""

        def make(*args: Any, **kwargs: Any) -> Any:
            connection = cls(*args, **kwargs)
            with self._lock:
                if self.passed:
                    raise TimeoutError
                self._connection = connection
            return connection

        return make

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            connection = self._connection
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once


@lru_cache(maxsize=1)
def _handler_classes() -> tuple[type[Any], type[Any]]:
    """HTTP and HTTPS handlers whose connections a `_Deadline` watches (defined on first use)."""
    import urllib.request  # lazy: see the module docstring

    class Http(urllib.request.HTTPHandler):
        def __init__(self, deadline: _Deadline) -> None:
            super().__init__()
            self._deadline = deadline

        def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
            return super().do_open(self._deadline.connection_class(http_class), req, **kwargs)

    class Https(urllib.request.HTTPSHandler):
        def __init__(self, deadline: _Deadline) -> None:
            super().__init__()
            self._deadline = deadline

        def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
            return super().do_open(self._deadline.connection_class(http_class), req, **kwargs)

    return Http, Https


def _http_problem(code: int) -> str:
    if code in (404, 410):
        text = _("not found (HTTP {code}); the link may be wrong, or the calendar deleted")
    elif code in (401, 403):
        text = _("access denied (HTTP {code}); the link may have expired or need a login")
    elif code == 429:
        text = _("the server asks to slow down (HTTP {code}); it will be tried again later")
    elif 500 <= code < 600:
        text = _("the server had a problem (HTTP {code}); it will be tried again later")
    else:
        text = _("the server answered HTTP {code} instead of the calendar")
    return text.format(code=code)


def _network_problem(reason: object, timeout: float) -> str:
    import ssl  # lazy: see the module docstring (loaded already once a fetch was tried)

    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _("no answer within {seconds:g} s").format(seconds=timeout)
    if isinstance(reason, socket.gaierror):
        return _("cannot find the server (check the link and the network connection)")
    if isinstance(reason, ConnectionRefusedError):
        return _("the server refused the connection")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _("the server's certificate could not be verified; not connected")
    if isinstance(reason, ssl.SSLError):
        return _("the secure connection failed")
    if isinstance(reason, ConnectionError):
        return _("the connection was lost")
    if isinstance(reason, OSError):
        return _("cannot connect (network error)")
    return _("cannot connect")


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and b"<html" in head
    )


def fetch_calendar(
    url: str,
    *,
    allow_http: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    clock: Clock | None = None,
) -> bytes:
    """The body of the calendar at `url`; CalendarError (one line, URL masked) otherwise.

    `timeout` bounds the whole fetch: connection, status line, headers, redirects and
    body. Blocking; run it in a worker thread.
    """
    import urllib.request  # lazy: see the module docstring

    if clock is None:
        clock = SystemClock()
    name = mask_url(url)
    target = check_url(url, allow_http=allow_http)
    request = urllib.request.Request(  # noqa: S310 - check_url allowed only http(s)
        target,
        headers={
            "User-Agent": f"GroundingCompanion/{__version__}",
            "Accept": "text/calendar, text/plain;q=0.8, */*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    watch = _Deadline(timeout)
    http_handler, https_handler = _handler_classes()
    opener = urllib.request.build_opener(
        _Redirects(name, allow_http), http_handler(watch), https_handler(watch)
    )
    deadline = clock.monotonic() + timeout
    try:
        with watch, opener.open(request, timeout=timeout) as response:
            body = _read_body(
                response, name, timeout=timeout, max_bytes=max_bytes, deadline=deadline, clock=clock
            )
        if watch.passed:  # the body "ended" because the deadline shut the connection
            raise TimeoutError
        return body
    except Exception as exc:
        if watch.passed:  # whatever the shut connection looked like to urllib
            late = _("no complete answer within {seconds:g} s").format(seconds=timeout)
            raise _failed(name, late) from None
        raise _explained(exc, name, timeout) from None


def _explained(exc: Exception, name: str, timeout: float) -> CalendarError:
    """One line for what went wrong in a fetch, in fixed words (the URL masked)."""
    import http.client
    import urllib.error

    if isinstance(exc, CalendarError):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        code = exc.code
        exc.close()
        return _failed(name, _http_problem(code))
    if isinstance(exc, urllib.error.URLError):
        return _failed(name, _network_problem(exc.reason, timeout))
    if isinstance(exc, http.client.IncompleteRead):
        return _failed(name, _("the download was cut off; it will be tried again"))
    if isinstance(exc, TimeoutError):
        return _failed(name, _("no answer within {seconds:g} s").format(seconds=timeout))
    if isinstance(exc, (http.client.InvalidURL, ValueError)):
        return CalendarError(_("{name}: not a valid web link").format(name=name))
    if isinstance(exc, http.client.HTTPException):
        return _failed(name, _("the server sent a malformed answer"))
    if isinstance(exc, OSError):
        return _failed(name, _network_problem(exc, timeout))
    return _failed(name, _("cannot connect"))


def _failed(name: str, problem: str) -> CalendarError:
    return CalendarError(_("{name}: {problem}").format(name=name, problem=problem))


def _read_body(
    response: Any, name: str, *, timeout: float, max_bytes: int, deadline: float, clock: Clock
) -> bytes:
    declared = response.headers.get("Content-Length")
    expected: int | None = None
    if declared is not None and declared.strip().isdigit():
        expected = int(declared)
        if expected > max_bytes:
            raise CalendarError(
                _("{name}: the calendar is larger than {most} ({size}); not loaded").format(
                    name=name, most=format_size(max_bytes), size=format_size(expected)
                )
            )
    chunks: list[bytes] = []
    total = 0
    while True:
        if clock.monotonic() > deadline:
            raise CalendarError(
                _("{name}: no complete answer within {seconds:g} s").format(
                    name=name, seconds=timeout
                )
            )
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise CalendarError(
                _("{name}: the calendar is larger than {most}; not loaded").format(
                    name=name, most=format_size(max_bytes)
                )
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    del chunks
    if expected is not None and total < expected:
        raise CalendarError(
            _(
                "{name}: the download was cut off ({size} of {expected}); it will be tried again"
            ).format(name=name, size=format_size(total), expected=format_size(expected))
        )
    content_type = response.headers.get_content_type()
    if (content_type == "text/html" or _looks_like_html(body)) and b"BEGIN:VCALENDAR" not in body[
        :4096
    ].upper():
        raise CalendarError(
            _(
                "{name}: got a web page instead of a calendar (the link may have expired, "
                "be wrong, or need a login)"
            ).format(name=name)
        )
    return body
