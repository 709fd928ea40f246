"""The calendar setup in the settings window: add files and links, keep links secret, and
the Test, which reads the calendar with the rules *as typed in the form* (not yet saved)
for the day of the window's clock."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from companion.core.calendar import secrets
from companion.core.calendar.ical import EventRules, parse_sessions
from companion.core.clock import FakeClock, local_zone
from companion.core.paths import Paths
from companion.core.settings import CalendarSource, Settings, load_settings
from companion.ui.settings import SettingsWindow
from tests import test_settings_window as shared
from tests.test_settings_window import MARKER, all_texts, make_window

paths = shared.paths  # the fixtures
_close_windows = shared._close_windows

DAY = date(2026, 11, 23)  # a Monday


def _ics(tmp_path: Path) -> Path:
    today = date.today().strftime("%Y%m%d")
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:a@test",
            f"DTSTART:{today}T090000",
            f"DTEND:{today}T095000",
            f"SUMMARY:{MARKER} first",
            f"DESCRIPTION:{MARKER} notes",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:b@test",
            f"DTSTART:{today}T100000",
            f"DTEND:{today}T105000",
            f"SUMMARY:{MARKER} intake",
            f"LOCATION:{MARKER} room",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    path = tmp_path / f"{MARKER}.ics"
    path.write_text(text, encoding="utf-8")
    return path


def _day_with_lunch(day: date = DAY) -> str:
    """Two sessions and a lunch at 12:00 on `day` (floating local times)."""
    d = day.strftime("%Y%m%d")
    events = [("0900", "0950", "Client A"), ("1000", "1050", "Client B"), ("1200", "1245", "Lunch")]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for i, (start, end, title) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{i}@test",
            f"DTSTART:{d}T{start}00",
            f"DTEND:{d}T{end}00",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def _clock(day: date) -> FakeClock:
    return FakeClock(datetime(day.year, day.month, day.day, 8, 0, tzinfo=local_zone()))


# --- the Test, with a stand-in reader ----------------------------------------------------------


def test_calendar_test_shows_times_and_never_a_title(qtbot, paths: Paths, tmp_path) -> None:
    ics = _ics(tmp_path)
    seen: list[str] = []

    def test_calendar(spec: str, rules: Settings, day: date):
        seen.append(spec)
        rules_settings = Settings(heavy_keywords=("intake",))

        found = parse_sessions(
            Path(spec).read_bytes(),
            "cal",
            date.today(),
            1,
            EventRules.from_settings(rules_settings),
        )
        return [(s.start, s.end, s.heavy) for s in found]

    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.read_calendar = test_calendar
    window.schedule.source_calendar.setChecked(True)
    cal.choose_calendar_file = lambda: str(ics)
    qtbot.mouseClick(cal.add_file_button, Qt.MouseButton.LeftButton)
    assert cal.calendar_list.count() == 1
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        qtbot.mouseClick(cal.test_button, Qt.MouseButton.LeftButton)
    assert seen == [str(ics)]
    shown = blocker.args[0]
    assert shown == f"Today in {ics.name}: 2 sessions\n09:00–09:50\n10:00–10:50 · heavy"
    assert cal.test_result.text() == shown
    # The file name is the user's own; the calendar list shows the path. Take the file name
    # out and no event text is left anywhere in the window.
    text = all_texts(window).replace(str(ics), "").replace(ics.name, "")
    assert MARKER not in text


def test_calendar_test_that_raises_keeps_the_link_secret(qtbot, paths: Paths) -> None:
    url = "https://calendar.example.org/private/SECRET-TOKEN/basic.ics"

    def boom(spec: str, rules: Settings, day: date):
        raise RuntimeError(f"could not reach {spec}")

    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.read_calendar = boom
    cal.url_edit.setText(url)
    cal.add_url()
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        cal.test_selected()
    assert blocker.args[0] == "The test could not finish: could not reach the link"
    assert "SECRET-TOKEN" not in all_texts(window)


def test_a_url_source_goes_to_the_keyring_and_is_shown_masked(qtbot, paths: Paths) -> None:
    url = "https://calendar.example.org/private/SECRET-TOKEN/basic.ics"
    tested: list[str] = []

    def test_calendar(spec: str, rules: Settings, day: date):
        tested.append(spec)
        return []

    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.read_calendar = test_calendar
    cal.url_edit.setText(url)
    qtbot.mouseClick(cal.add_url_button, Qt.MouseButton.LeftButton)
    assert cal.calendar_list.item(0).text() == "Link · https://calendar.example.org/…"
    assert cal.url_edit.text() == ""
    assert "SECRET-TOKEN" not in all_texts(window)
    # Testing before saving uses the link as typed, in the worker.
    with qtbot.waitSignal(window.calendar_tested) as blocker:
        cal.test_selected()
    assert tested == [url]
    assert blocker.args[0] == "No sessions today in https://calendar.example.org/…"
    assert window.save()
    saved = load_settings(paths.settings)
    assert saved.schedule_source == "calendar"
    (source,) = saved.calendars
    assert source.kind == "url"
    assert source.label == "https://calendar.example.org/…"
    assert secrets.get_url(source.id, paths) == url  # the null keyring falls back to a 0600 file
    assert "SECRET-TOKEN" not in paths.settings.read_text(encoding="utf-8")

    # Opened again: the stored link is found for the Test, and removing it forgets it.
    again = make_window(qtbot, paths, saved)
    again_cal = again.schedule.calendars
    again_cal.read_calendar = test_calendar
    with qtbot.waitSignal(again.calendar_tested):
        again_cal.test_selected()
    assert tested == [url, url]
    again_cal.remove_selected()
    assert again.save()
    assert secrets.get_url(source.id, paths) is None


# --- the Test, with the real reader ----------------------------------------------------------


def test_calendar_test_with_the_real_reader(qtbot, paths: Paths, tmp_path) -> None:
    ics = _ics(tmp_path)
    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.heavy_edit.setText("intake")
    cal.choose_calendar_file = lambda: str(ics)
    cal.add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        cal.test_selected()
    assert blocker.args[0] == f"Today in {ics.name}: 2 sessions\n09:00–09:50\n10:00–10:50 · heavy"
    text = all_texts(window).replace(str(ics), "").replace(ics.name, "")
    assert MARKER not in text


def test_calendar_test_error_is_one_line(qtbot, paths: Paths, tmp_path) -> None:
    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.choose_calendar_file = lambda: str(tmp_path / "missing.ics")
    cal.add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        cal.test_selected()
    assert blocker.args[0] == f"{tmp_path / 'missing.ics'}: file not found"


def test_the_test_uses_keywords_typed_but_not_saved(qtbot, paths: Paths, tmp_path) -> None:
    """The bug of issue 10: the running app tested with the *saved* rules, so a lunch
    excluded in the form (not yet saved) still showed as a session."""
    ics = tmp_path / "practice.ics"
    ics.write_text(_day_with_lunch(), encoding="utf-8")
    # Nothing can hand the window a reader of its own that would use other rules.
    assert "test_calendar" not in inspect.signature(SettingsWindow).parameters
    window = make_window(qtbot, paths, clock=_clock(DAY))
    cal = window.schedule.calendars
    cal.choose_calendar_file = lambda: str(ics)
    qtbot.mouseClick(cal.add_file_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        qtbot.mouseClick(cal.test_button, Qt.MouseButton.LeftButton)
    assert "12:00" in blocker.args[0]  # before: the lunch counts as a session

    qtbot.keyClicks(cal.exclude_edit, "lunch")  # typed, not saved
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        qtbot.mouseClick(cal.test_button, Qt.MouseButton.LeftButton)
    shown = blocker.args[0]
    assert shown == "Today in practice.ics: 2 sessions\n09:00–09:50\n10:00–10:50"
    assert "12:00" not in shown
    assert not paths.settings.exists()  # nothing was saved


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (DAY, "Today in practice.ics: 2 sessions\n09:00–09:50\n10:00–10:50"),
        (date(2026, 11, 24), "No sessions today in practice.ics"),
    ],
)
def test_the_test_reads_the_day_of_the_windows_clock(
    qtbot, paths: Paths, tmp_path, day: date, expected: str
) -> None:
    """`--demo` runs on its own clock: the Test reads that clock's day, not the machine's."""
    ics = tmp_path / "practice.ics"
    ics.write_text(_day_with_lunch(DAY), encoding="utf-8")
    window = make_window(qtbot, paths, Settings(exclude_keywords=("lunch",)), clock=_clock(day))
    cal = window.schedule.calendars
    cal.choose_calendar_file = lambda: str(ics)
    cal.add_file()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        cal.test_selected()
    assert blocker.args[0] == expected


# --- links -------------------------------------------------------------------------------------


class _Feed(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        body = _day_with_lunch().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def http_feed() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/private-token/feed.ics"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_the_test_honours_allow_http_as_typed(qtbot, paths: Paths, http_feed: str) -> None:
    """ "Allow http" ticked but not saved lets the Test read an http link; unticked (still
    not saved), the Test refuses it."""
    window = make_window(qtbot, paths, clock=_clock(DAY))
    cal = window.schedule.calendars
    cal.exclude_edit.setText("lunch")
    cal.allow_http.click()
    assert cal.allow_http.isChecked()
    cal.url_edit.setText(http_feed)
    cal.add_url()
    assert cal.calendar_list.count() == 1
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        cal.test_selected()
    name = secrets.mask_url(http_feed)
    assert blocker.args[0] == f"Today in {name}: 2 sessions\n09:00–09:50\n10:00–10:50"

    cal.allow_http.click()  # unticked, not saved
    assert not cal.allow_http.isChecked()
    with qtbot.waitSignal(window.calendar_tested, timeout=10_000) as blocker:
        cal.test_selected()
    assert "plain http is not allowed" in blocker.args[0]
    assert "private-token" not in all_texts(window)
    assert not paths.settings.exists()


def test_a_plain_http_link_is_refused_unless_allowed(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.url_edit.setText("http://calendar.example.org/SECRET-TOKEN.ics")
    cal.add_url()
    assert cal.calendar_list.count() == 0
    assert "plain http is not allowed" in cal.test_result.text()
    assert "SECRET-TOKEN" not in all_texts(window).replace(cal.url_edit.text(), "")
    cal.allow_http.setChecked(True)
    cal.add_url()
    assert cal.calendar_list.count() == 1


def test_keywords_are_saved_as_lists(qtbot, paths: Paths) -> None:
    window = make_window(qtbot, paths)
    cal = window.schedule.calendars
    cal.exclude_edit.setText("lunch,  admin , ")
    cal.heavy_edit.setText("intake")
    assert window.save()
    saved = load_settings(paths.settings)
    assert saved.exclude_keywords == ("lunch", "admin")
    assert saved.heavy_keywords == ("intake",)


def test_a_link_stored_whole_as_a_label_is_shown_masked(qtbot, paths: Paths) -> None:
    """A label that holds a link without its https:// (an older or hand-edited file)
    is masked like any link: the token never reaches the window."""
    label = "calendar.google.com/calendar/ical/me/private-TOKEN987/basic.ics"
    settings = Settings(calendars=(CalendarSource("c1", "url", label=label),))
    window = make_window(qtbot, paths, settings)
    shown = window.schedule.calendars.calendar_list.item(0).text()
    assert "TOKEN987" not in shown and "calendar.google.com" in shown
