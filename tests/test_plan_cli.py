"""`companion plan`: the JSON shape, the table, sources given on the command line, broken
sources, and privacy (no event text and no feed URL anywhere it should not be)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from companion.cli import main
from companion.core.calendar import ical, secrets
from companion.core.paths import resolve_paths
from companion.core.settings import CalendarSource, Settings, save_settings

MARKER = "MRS-QUILLFEATHER-7731"
TOKEN = "tok-5f2e9c1a77d04b1e"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture(autouse=True)
def _fresh() -> None:
    ical.clear_cache()


def feed(day: date, starts: list[tuple[int, int]], *, zone: str = "America/New_York") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for i, (h, m) in enumerate(starts):
        start = datetime(day.year, day.month, day.day, h, m)
        end = start + timedelta(minutes=50)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{i}@test",
            f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={zone}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{MARKER} (trauma)",
            f"DESCRIPTION:Notes about {MARKER}",
            f"LOCATION:{MARKER} street 5",
            f"ATTENDEE;CN={MARKER}:mailto:{MARKER.lower()}@example.org",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


class Served:
    """A local http.server whose answers the test sets: path -> (status, content type, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                code, ctype, body = routes.get(self.path, (404, "text/plain", b"no"))
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def served() -> Iterator[Served]:
    server = Served()
    yield server
    server.close()


# Most of these plan the built-in standing week, as its confirmed owner would.
pytestmark = pytest.mark.usefixtures("confirmed_week")


def run_plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- output ---------------------------------------------------------------------------------


def test_json_has_exactly_the_promised_shape(
    capsys: pytest.CaptureFixture[str], data_dir: Path, local_tz: Callable[[str], None]
) -> None:
    local_tz("America/New_York")
    code, out, err = run_plan(capsys, "--date", "2024-03-11", "--json")  # the Monday after DST
    assert (code, err) == (0, "")
    plan = json.loads(out)
    assert list(plan) == ["date", "timezone", "sessions", "breaks", "closing", "reflection_at"]
    assert plan["date"] == "2024-03-11" and plan["timezone"] == "America/New_York"
    assert len(plan["sessions"]) == 7 and len(plan["breaks"]) == 6
    assert all(list(s) == ["start", "end", "heavy"] for s in plan["sessions"])
    assert all(list(b) == ["start", "end", "minutes", "exercise"] for b in plan["breaks"])
    assert plan["sessions"][0] == {
        "start": "2024-03-11T09:00:00-04:00",
        "end": "2024-03-11T09:50:00-04:00",
        "heavy": False,
    }
    assert plan["breaks"][0]["start"] == "2024-03-11T09:50:00-04:00"
    assert plan["breaks"][0]["end"] == "2024-03-11T09:59:00-04:00"
    assert plan["breaks"][0]["minutes"] == 9 and isinstance(plan["breaks"][0]["exercise"], str)
    assert plan["reflection_at"] == "2024-03-11T17:00:00-04:00"
    # The day's closing practice, after the last session and before the reflection.
    assert plan["closing"] == {
        "start": "2024-03-11T16:50:00-04:00",
        "end": "2024-03-11T17:00:00-04:00",
        "minutes": 10,
        "exercise": "leave-it-at-the-door",
    }
    for item in [*plan["sessions"], *plan["breaks"], plan["closing"]]:
        assert ISO.match(item["start"]) and ISO.match(item["end"])
    # A free day: no sessions, no breaks, no reflection.
    code, out, _err = run_plan(capsys, "--date", "2024-03-10", "--json")
    assert json.loads(out) == {
        "date": "2024-03-10",
        "timezone": "America/New_York",
        "sessions": [],
        "breaks": [],
        "closing": None,
        "reflection_at": None,
    }


def test_the_plain_table(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run_plan(capsys, "--date", "2024-06-10")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Monday 10 June 2024 (")
    assert lines[1].strip() == "09:00–09:50  session"
    assert lines[2].strip().startswith("09:50–09:59  break · 9 min · ")
    assert lines[-2].strip() == "16:50–17:00  to close the day · Leave it at the door"
    assert lines[-1].strip() == "17:00  reflection"
    code, out, _err = run_plan(capsys, "--date", "2024-06-09")
    assert out.strip().endswith(": no sessions")


def test_bad_date_is_one_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run_plan(capsys, "--date", "10/06/2024")
    assert code == 1 and out == ""
    assert err == "companion: --date: '10/06/2024' is not a date; use YYYY-MM-DD\n"


# --- sources on the command line ------------------------------------------------------------


def test_ics_files_replace_the_configured_schedule(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data_dir: Path,
    local_tz: Callable[[str], None],
) -> None:
    local_tz("America/New_York")
    day = date(2024, 3, 10)  # DST starts at 02:00
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    a.write_bytes(feed(day, [(9, 0), (10, 0)]))
    b.write_bytes(feed(day, [(10, 0), (13, 0)], zone="Europe/London"))  # 13:00 London = 09:00 NY
    code, out, err = run_plan(capsys, "--date", "2024-03-10", "--json", "--ics", str(a), str(b))
    assert (code, err) == (0, "")
    plan = json.loads(out)
    assert [(s["start"], s["end"]) for s in plan["sessions"]] == [
        ("2024-03-10T06:00:00-04:00", "2024-03-10T06:50:00-04:00"),  # 10:00 London (GMT)
        (
            "2024-03-10T09:00:00-04:00",
            "2024-03-10T09:50:00-04:00",
        ),  # both 09:00 NY and 13:00 London
        ("2024-03-10T10:00:00-04:00", "2024-03-10T10:50:00-04:00"),
    ]
    assert [b["minutes"] for b in plan["breaks"]] == [129, 9]


def test_a_broken_source_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, served: Served
) -> None:
    html = tmp_path / "saved.ics"
    html.write_text("<!DOCTYPE html><html><title>Sign in</title></html>")
    cases = [
        (str(tmp_path / "missing.ics"), "missing.ics: file not found"),
        (str(html), "saved.ics: got a web page instead of a calendar"),
        (f"{served.base}/{TOKEN}/cal.ics", "plain http is not allowed"),
    ]
    for spec, expected in cases:
        code, out, err = run_plan(capsys, "--ics", spec)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith("companion: ") and expected in err
        assert "Traceback" not in err and TOKEN not in err


def test_a_feed_url_on_the_command_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, served: Served
) -> None:
    paths = resolve_paths().ensure()
    save_settings(paths.settings, Settings(allow_http=True))
    day = date(2024, 6, 10)
    served.routes[f"/{TOKEN}/cal.ics"] = (200, "text/calendar", feed(day, [(9, 0)], zone="UTC"))
    code, out, err = run_plan(
        capsys, "--date", "2024-06-10", "--json", "--ics", f"{served.base}/{TOKEN}/cal.ics"
    )
    assert (code, err) == (0, "")
    assert len(json.loads(out)["sessions"]) == 1
    served.routes[f"/{TOKEN}/cal.ics"] = (404, "text/plain", b"gone")
    code, out, err = run_plan(capsys, "--ics", f"{served.base}/{TOKEN}/cal.ics")
    assert code == 1 and f"companion: {served.base}/…: not found (HTTP 404)" in err


# --- configured sources, the cache, privacy ---------------------------------------------------


def test_configured_feeds_fall_back_to_the_cache_and_keep_everything_private(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    served: Served,
    local_tz: Callable[[str], None],
) -> None:
    local_tz("America/New_York")
    paths = resolve_paths().ensure()  # the test's own data folder (conftest)
    today = datetime.now().astimezone().date()
    url = f"{served.base}/{TOKEN}/private.ics"
    served.routes[f"/{TOKEN}/private.ics"] = (200, "text/calendar", feed(today, [(9, 0), (10, 0)]))
    local = tmp_path / "local.ics"
    local.write_bytes(feed(today, [(14, 0)]))
    secrets.store_url("web", url, paths)
    save_settings(
        paths.settings,
        Settings(
            schedule_source="calendar",
            allow_http=True,
            heavy_keywords=("trauma",),
            calendars=(
                CalendarSource(id="web", kind="url", label=secrets.mask_url(url)),
                CalendarSource(id="file", kind="file", path=str(local)),
            ),
        ),
    )
    outputs: list[str] = []
    with caplog.at_level(logging.DEBUG):
        code, out, err = run_plan(capsys, "--json")
        outputs += [out, err]
        assert (code, err) == (0, "")
        plan = json.loads(out)
        assert [s["heavy"] for s in plan["sessions"]] == [True, True, True]

        # The feed link now answers with a login page: the cached sessions are used, and said so.
        served.routes[f"/{TOKEN}/private.ics"] = (
            200,
            "text/html",
            b"<html><body>Log in</body></html>",
        )
        code, out, err = run_plan(capsys)
        outputs += [out, err]
        assert code == 1
        (line,) = err.splitlines()
        assert line.startswith(f"companion: {served.base}/…: got a web page instead of a calendar")
        assert "using the sessions cached" in line
        assert out.count("session") >= 3

        code, out, err = main(["doctor", "--json"]), *capsys.readouterr()
        outputs += [out, err]
        assert "got a web page" in out

    outputs.append(caplog.text)
    for text in outputs:
        assert MARKER not in text and MARKER.lower() not in text
        assert TOKEN not in text
    for path in paths.data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert MARKER.encode() not in content and MARKER.lower().encode() not in content, path
            if path != secrets.fallback_path(paths):  # no keyring in tests: the link's one home
                assert TOKEN.encode() not in content, path


# --- a link is a secret wherever it turns up -------------------------------------------------

LINK = f"calendar.google.com/calendar/ical/me%40example.org/private-{TOKEN}/basic.ics"


def test_a_link_without_https_is_masked_not_read_as_a_file(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run_plan(capsys, "--ics", LINK)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("companion: calendar.google.com/…: ")
    assert "https://" in err  # says what to add
    assert TOKEN not in err and "me%40example" not in err


@pytest.mark.parametrize(
    "source",
    [
        CalendarSource(id="a", kind="file", path=f"https://{LINK}"),  # a link saved as a path
        CalendarSource(id="a", kind="file", path=LINK),
        CalendarSource(id="a", kind="url", label=LINK),  # a label that is the whole link
    ],
    ids=["path-https", "path-bare", "label-bare"],
)
def test_a_link_saved_under_the_wrong_key_is_never_echoed(
    capsys: pytest.CaptureFixture[str], data_dir: Path, source: CalendarSource
) -> None:
    paths = resolve_paths().ensure()
    save_settings(paths.settings, Settings(schedule_source="calendar", calendars=(source,)))
    code, out, err = run_plan(capsys)
    assert code == 1 and "calendar.google.com/…" in err
    doctor = main(["doctor"]), *capsys.readouterr()
    for text in (out, err, *doctor[1:], paths.calendar_cache.read_text()):
        assert TOKEN not in text and "me%40example" not in text


def test_an_old_cache_line_with_a_link_in_it_is_masked_when_shown(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    paths = resolve_paths().ensure()
    source = CalendarSource(id="a", kind="file", path="/nowhere/work.ics")
    save_settings(paths.settings, Settings(schedule_source="calendar", calendars=(source,)))
    paths.calendar_cache.write_text(
        json.dumps(
            {
                "version": 1,
                "sources": {"a": {"error": f"https://{LINK}: file not found", "sessions": []}},
            }
        )
    )
    main(["doctor"])
    out, err = capsys.readouterr()
    assert "calendar.google.com/…" in out and TOKEN not in out + err


# --- dates at the ends of the calendar -------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30"])
def test_a_date_at_the_end_of_time_is_one_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, day: str
) -> None:
    feed_file = tmp_path / "a.ics"
    feed_file.write_bytes(feed(date(2024, 6, 10), [(9, 0)]))
    for extra in ([], ["--ics", str(feed_file)]):
        code, out, err = run_plan(capsys, "--date", day, *extra)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith(f"companion: --date: {day} ")
        assert "Traceback" not in err


# --- a folder whose week was never set up ---------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "fresh"
    monkeypatch.setenv("COMPANION_DATA_DIR", str(folder))
    return folder


def test_an_unconfirmed_week_plans_nothing_and_says_how_to_set_it(
    capsys: pytest.CaptureFixture[str], fresh: Path
) -> None:
    code, out, err = run_plan(capsys, "--date", "2024-06-10")
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert line.startswith("Your week is not set up yet, so nothing is planned.")
    assert "--ics" in line
    code, out, _err = run_plan(capsys, "--date", "2024-06-10", "--json")
    plan = json.loads(out)
    assert plan["schedule"] == "unconfirmed"
    assert plan["sessions"] == [] and plan["breaks"] == [] and plan["closing"] is None


def test_ics_still_plans_from_that_feed_on_an_unconfirmed_folder(
    capsys: pytest.CaptureFixture[str], fresh: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"
        "DTSTART:20240610T091500\r\nDTEND:20240610T100500\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240610T101500\r\nDTEND:20240610T110500\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    code, out, _err = run_plan(capsys, "--date", "2024-06-10", "--ics", str(feed), "--json")
    assert code == 0
    plan = json.loads(out)
    assert "schedule" not in plan and len(plan["sessions"]) == 2 and len(plan["breaks"]) == 1
