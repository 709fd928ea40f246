"""Import, on the calling thread, everything a calendar read would import the first time.

The calendar code keeps its heavy libraries lazy (icalendar, recurring-ical-events,
zoneinfo, urllib and ssl, keyring), so the idle tray app never loads them. But a first
import inside a worker thread while Qt's GUI thread runs crashed PySide6 about one run
in four (its import hook reads each new module's source). So the GUI thread calls
`warm_up()` before it hands calendar work to a worker: `companion.runtime.tasks`
runs it as the task's `prepare` step. A tiny calendar that uses a Windows zone name, a
recurrence and an exception date reaches every lazy import a real one would. Once per
process; about 0.2 s the first time (mostly keyring).
"""

from __future__ import annotations

import contextlib
from datetime import date

from companion.core.calendar.errors import CalendarError
from companion.core.calendar.ical import parse_sessions
from companion.core.calendar.secrets import keyring_usable

# A custom time-zone block too: reading one imports dateutil's parser and decimal.
_SAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Practice Time\r\nBEGIN:STANDARD\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:warm-zone\r\nDTSTART;TZID=Practice Time:{d}T110000\r\n"
    "DTEND;TZID=Practice Time:{d}T115000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
    "UID:warm-up\r\nDTSTART;TZID=Eastern Standard Time:{d}T090000\r\n"
    "DTEND;TZID=Eastern Standard Time:{d}T095000\r\nRRULE:FREQ=DAILY\r\n"
    "EXDATE;TZID=Eastern Standard Time:20200101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
_done = False


def warm_up(day: date | None = None) -> None:
    """Load the calendar's lazy imports now (once per process)."""
    global _done  # noqa: PLW0603 (once per process)
    if _done:
        return
    _done = True
    day = day or date(2026, 1, 5)
    with contextlib.suppress(CalendarError):  # a failed sample still imported what it could
        parse_sessions(_SAMPLE.format(d=day.strftime("%Y%m%d")).encode(), "warm-up", day)
    # Fetching a link: urllib, http.client and ssl (lazy in fetch.py), and the idna codec.
    import http.client  # noqa: F401
    import ssl  # noqa: F401
    import urllib.request  # noqa: F401

    "calendar.example.org".encode("idna")
    keyring_usable()
