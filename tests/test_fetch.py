"""Fetching a feed URL against a local http.server, and keeping the URL secret."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from companion.core.calendar import fetch, secrets
from companion.core.calendar.errors import CalendarError
from companion.core.files import mode_of
from companion.core.paths import resolve_paths

FEED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    b"DTSTART:20240610T090000Z\r\nDTEND:20240610T095000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
TOKEN = "private-0123456789abcdef"
RELEASE = threading.Event()
DRIP = 0.1  # seconds between the bytes of a dripping answer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(
        self, code: int, body: bytes, ctype: str = "text/calendar", length: int | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, path: str) -> None:
        """A byte every DRIP seconds: of the status line, the headers, or the body."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n"
        padding = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 40) for i in range(20))
        if path == "/drip-status":
            slow, fast = head + padding + b"\r\n" + FEED, b""
        elif path == "/drip-headers":
            slow, fast = padding + b"\r\n" + FEED, head
        else:  # the body, with no length: only the deadline can end it
            slow, fast = FEED * 50, head + b"\r\n"
        try:
            self.wfile.write(fast)
            self.wfile.flush()
            for i in range(len(slow)):
                self.wfile.write(slow[i : i + 1])
                self.wfile.flush()
                if RELEASE.wait(DRIP):
                    return
        except OSError:
            pass  # the client gave up, as it should
        self.close_connection = True

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == f"/{TOKEN}/basic.ics":
            self._send(200, FEED)
        elif path == "/login":
            self._send(
                200,
                b"<!DOCTYPE html><html><body><form>Sign in</form></body></html>",
                "text/html; charset=utf-8",
            )
        elif path == "/declared-huge":
            self._send(200, b"", length=50_000_000)
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()  # no length: read until the server closes, which it never would
            block = b"X-FILLER:" + b"x" * 8000 + b"\r\n"
            try:
                for _ in range(10_000):
                    self.wfile.write(block)
            except OSError:
                pass  # the client stopped reading at the cap, as it should
        elif path == "/truncated":
            self._send(200, FEED[:40], length=len(FEED))
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED[:20])
            self.wfile.flush()
            RELEASE.wait(5)
        elif path.startswith("/drip-"):
            self._drip(path)
        elif path == "/to-http":
            self.send_response(302)
            self.send_header(
                "Location", f"http://127.0.0.1:{self.server.server_address[1]}/{TOKEN}/basic.ics"
            )
            self.end_headers()
        elif path == "/server-error":
            self._send(503, b"busy", "text/plain")
        elif path == "/forbidden":
            self._send(403, b"no", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    RELEASE.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    RELEASE.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def get(url: str, **kw: object) -> bytes:
    return fetch.fetch_calendar(url, allow_http=True, timeout=kw.pop("timeout", 2.0), **kw)  # type: ignore[arg-type]


def failure(url: str, **kw: object) -> str:
    with pytest.raises(CalendarError) as caught:
        get(url, **kw)
    message = str(caught.value)
    assert "\n" not in message
    assert TOKEN not in message and "/login" not in message and "basic.ics" not in message
    assert message.startswith("http://127.0.0.1:")
    return message


def test_a_feed_is_fetched(server: str) -> None:
    assert get(f"{server}/{TOKEN}/basic.ics") == FEED


def test_404(server: str) -> None:
    assert "not found (HTTP 404)" in failure(f"{server}/{TOKEN}/gone.ics")


def test_403_and_503(server: str) -> None:
    assert "access denied (HTTP 403)" in failure(f"{server}/forbidden")
    assert "HTTP 503" in failure(f"{server}/server-error")


def test_an_html_login_page_instead_of_a_calendar(server: str) -> None:
    assert "got a web page instead of a calendar" in failure(f"{server}/login?token={TOKEN}")


def test_a_body_over_the_cap_is_refused_before_and_while_reading(server: str) -> None:
    assert "larger than 20 MB" in failure(f"{server}/declared-huge")
    assert "larger than 64 KB" in failure(f"{server}/endless", max_bytes=64 * 1024)


def test_a_truncated_feed(server: str) -> None:
    assert "cut off" in failure(f"{server}/truncated")


def test_a_response_that_stalls_past_the_timeout(server: str) -> None:
    assert "within 0.5 s" in failure(f"{server}/stall", timeout=0.5)


@pytest.mark.parametrize("part", ["status", "headers", "body"])
def test_one_deadline_for_the_whole_answer_even_when_it_drips(server: str, part: str) -> None:
    """A server that sends a byte every so often never trips a per-read timeout: a status
    line or headers dripped one byte every 2 s held `plan --ics` for 151 s, not 10."""
    started = time.perf_counter()
    message = failure(f"{server}/drip-{part}", timeout=0.8)
    elapsed = time.perf_counter() - started
    assert "no complete answer within 0.8 s" in message
    assert elapsed < 0.8 + 0.7, f"took {elapsed:.1f} s"


def test_connection_refused() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert "refused" in failure(f"http://127.0.0.1:{port}/{TOKEN}/basic.ics")


def test_plain_http_needs_the_flag_and_redirects_never_downgrade(server: str) -> None:
    with pytest.raises(CalendarError, match="plain http is not allowed"):
        fetch.fetch_calendar(f"{server}/{TOKEN}/basic.ics")
    with pytest.raises(CalendarError, match=r"not a web link"):
        fetch.fetch_calendar(f"file:///etc/{TOKEN}")
    assert fetch.check_url("webcal://example.org/x.ics") == "https://example.org/x.ics"
    # An https URL that redirects to http is refused when http is not allowed.
    handler = fetch._Redirects("https://example.org/…", allow_http=False)
    with pytest.raises(CalendarError, match="redirected to an unencrypted"):
        handler.redirect_request(None, None, 302, "Found", {}, f"{server}/{TOKEN}/basic.ics")  # type: ignore[arg-type]


# --- the URL is a secret ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            f"https://calendar.google.com/calendar/ical/me/{TOKEN}/basic.ics",
            "https://calendar.google.com/…",
        ),
        (
            f"https://user:{TOKEN}@outlook.office365.com:8443/owa/calendar.ics?x=1",
            "https://outlook.office365.com:8443/…",
        ),
        (f"webcal://p01-caldav.icloud.com/published/2/{TOKEN}", "webcal://p01-caldav.icloud.com/…"),
        ("not a url at all", "(calendar link)…"),
        ("https://[::1]:99999/x", "(calendar link)…"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert secrets.mask_url(url) == masked


def test_without_a_keyring_the_url_goes_to_a_private_file_with_one_warning(
    caplog: pytest.LogCaptureFixture, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets, "_warned", set())
    paths = resolve_paths().ensure()
    url = f"https://calendar.example.org/{TOKEN}/basic.ics"
    assert not secrets.keyring_usable()  # tests run with the null keyring
    with caplog.at_level(logging.WARNING):
        assert secrets.store_url("work", url, paths) is False
        secrets.store_url("home", url + "?2", paths)
        assert secrets.get_url("work", paths) == url
    warnings_ = [r for r in caplog.records if "keyring" in r.getMessage()]
    assert len(warnings_) == 1
    assert TOKEN not in caplog.text
    path = secrets.fallback_path(paths)
    assert mode_of(path) == 0o600
    secrets.delete_url("work", paths)
    assert secrets.get_url("work", paths) is None
    assert set(json.loads(path.read_text())["links"]) == {"home"}


def test_a_usable_keyring_keeps_the_url_out_of_the_data_folder(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    memory = Memory()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        paths = resolve_paths().ensure()
        url = f"https://calendar.example.org/{TOKEN}/basic.ics"
        assert secrets.store_url("work", url, paths) is True
        assert secrets.get_url("work", paths) == url
        assert not secrets.fallback_path(paths).exists()
        secrets.delete_url("work", paths)
        assert memory.items == {}
    finally:
        keyring.set_keyring(previous)
