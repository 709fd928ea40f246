"""Every calendar other projects collected from real clients gives sessions or one clear line.

Events skipped on the way (a zone that cannot be resolved) are said in one line too: the
file, a count and why, never the events' text.

The corpus lives beside the repository (../shared/ical-corpus) and is never copied in;
without it these tests skip.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.core.calendar import ical
from companion.core.calendar.errors import CalendarError, skipped_line
from companion.core.calendar.ical import EventRules, parse_sessions, read_sessions

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "ical-corpus"
FILES = sorted(CORPUS.rglob("*.ics")) if CORPUS.is_dir() else []
_FIRST_START = re.compile(rb"DTSTART[^:\r\n]*:(\d{4})(\d{2})(\d{2})")


def _days_to_try(data: bytes) -> list[date]:
    """The first few start dates in the file (where its events are), and a fixed day."""
    days = [date(2024, 3, 10)]
    for m in list(_FIRST_START.finditer(data))[:3]:
        try:
            days.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return days


@pytest.mark.skipif(not FILES, reason="no ../shared/ical-corpus next to the repository")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sessions_or_one_clear_line(path: Path) -> None:
    data = path.read_bytes()
    ical.clear_cache()
    rules = EventRules(heavy_keywords=("a",), exclude_keywords=("zz",))
    started = time.perf_counter()
    for day in _days_to_try(data):
        try:
            reading = read_sessions(data, path.name, day, 7, rules)
        except CalendarError as exc:
            message = str(exc)
            assert message.startswith(f"{path.name}: ")
            assert "\n" not in message and len(message) < 300
            assert "Traceback" not in message
            break
        for s in reading.sessions:
            assert s.start.tzinfo is not None and s.end > s.start
            assert s.end - s.start <= timedelta(minutes=180)
        line = skipped_line(path.name, reading.skipped)
        if line is not None:
            assert line.startswith(f"{path.name}: ") and "skipped" in line
            assert "\n" not in line and len(line) < 300 and set(reading.skipped) == {"zone"}
    assert time.perf_counter() - started < 10, "no file may take long (or hang)"


@pytest.mark.skipif(not FILES, reason="no ../shared/ical-corpus next to the repository")
def test_the_corpus_gives_real_sessions_too() -> None:
    """Most of the corpus is valid: the walk above must not pass by refusing everything."""
    with_sessions = 0
    for path in FILES:
        data = path.read_bytes()
        for day in _days_to_try(data)[1:]:
            try:
                if parse_sessions(data, path.name, day, 7):
                    with_sessions += 1
                    break
            except CalendarError:
                break
    assert with_sessions >= 50  # 60 today
