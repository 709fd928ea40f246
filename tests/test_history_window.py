"""Look back: the history window renders with no data, a day, a month and five years;
its numbers reach screen readers; the glimmer jar searches newest first."""

from __future__ import annotations

import json
import threading
import time as systime
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.core import insights
from companion.core.clock import FakeClock
from companion.core.journal import SCHEMA_VERSION, Journal, JournalError
from companion.core.paths import Paths, resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
    to_doc,
)
from companion.core.settings import Settings
from companion.ui import style
from companion.ui.history import ChartSeries, ChartSpec, ChartView, HistoryWindow
from tests.pseudo_walk import problems

TZ = timezone(timedelta(hours=1))
TODAY = date(2026, 3, 6)  # a Friday
TITLES = {"box-5": "Box breathing", "pmr-4": "Muscle relaxation (4 groups)"}
THIS_WEEK = insights.period_containing("week", TODAY)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


def day_records(day: date, n: int) -> list[Record]:
    if day.weekday() >= 5:
        return []
    out: list[Record] = [DaySummaryRecord(at=at(day, 18), sessions=6, heavy=n % 4)]
    for k, hh in enumerate((9, 10, 11, 13, 14, 15)):
        out.append(
            OfferRecord(
                at=at(day, hh, 50),
                window_start=at(day, hh, 50),
                window_end=at(day, hh, 59),
                outcome="taken" if k % 2 == 0 else "skipped",
            )
        )
        if k % 2 == 0:
            out.append(
                PracticeRecord(
                    at=at(day, hh, 51),
                    exercise="box-5" if k else "pmr-4",
                    planned_seconds=300,
                    actual_seconds=300,
                    completed=True,
                    rating_before=6,
                    rating_after=3 if k else 4,
                )
            )
    out.append(GlimmerRecord(at=at(day, 12), text=f"a steady moment number {n}"))
    out.append(
        ReflectionRecord(
            at=at(day, 18, 5),
            day=day,
            still_with_me=n % 11,
            energy=5,
            connected=7,
            warning_signs=("body",),
        )
    )
    return out


def fill(journal: Journal, days: int) -> int:
    """`days` days of records ending today, written straight into the yearly files
    (appending 40,000 records through the API one by one would take minutes)."""
    files: dict[Path, dict[str, Any]] = defaultdict(
        lambda: {"meta": {"1": {"schema": SCHEMA_VERSION}}, "records": {}}
    )
    count = 0
    for n in range(days):
        day = TODAY - timedelta(days=days - 1 - n)
        for r in day_records(day, n):
            table = files[journal.file_for(r.on)]["records"]
            table[str(len(table) + 1)] = to_doc(r)
            count += 1
    for path, data in files.items():
        path.write_text(json.dumps(data, separators=(",", ":")))
    return count


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def make(qtbot, paths: Paths, days: int = 0, *, wait: bool = True, **kw) -> HistoryWindow:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(TODAY, 17, 30))
    journal = Journal(paths, clock, backups=False)
    fill(journal, days)
    journal.open()
    win = HistoryWindow(journal, clock, Settings(heavy_limit_percent=40), titles=TITLES, **kw)
    qtbot.addWidget(win)
    if wait:
        shown(qtbot, win)
    return win


def shown(qtbot, win: HistoryWindow, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the period chosen has its numbers on screen (they are read in a worker)."""
    qtbot.waitUntil(
        lambda: win.current is not None and win.current.period == win.period, timeout=timeout
    )


def jar_loaded(qtbot, win: HistoryWindow, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: win.jar.loaded, timeout=timeout)


def render(qtbot, win: HistoryWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitExposed(win):
        win.show()
    for card in win.cards.values():
        assert not card.chart.grab().toImage().isNull()
    assert not win.grab().toImage().isNull()


@pytest.mark.parametrize("days", [0, 1, 30])
def test_renders_with_little_data(qtbot, paths: Paths, days: int) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, days)
    render(qtbot, win)
    assert set(win.cards) == {"practice", "checkin", "breaks", "heavy", "glimmers", "wired", "flat"}
    if days == 0:
        assert win.current.is_empty
        assert "Nothing recorded" in win.summary.text()
        assert "No practice recorded" in win.cards["practice"].chart.accessibleDescription()
    else:
        assert not win.current.is_empty
    win.set_kind("month")
    shown(qtbot, win)
    render(qtbot, win)
    win.step(-1)
    shown(qtbot, win)
    render(qtbot, win)
    win.show_jar()
    jar_loaded(qtbot, win)
    assert win.jar.loaded
    workdays = sum(1 for n in range(days) if (TODAY - timedelta(days=n)).weekday() < 5)
    assert win.jar.model.rowCount() == workdays


@pytest.mark.slow
def test_renders_five_years_quickly(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    start = systime.perf_counter()
    win = make(qtbot, paths, 1825, wait=False)
    shown(qtbot, win, 20000)
    render(qtbot, win)
    win.set_kind("month")
    shown(qtbot, win, 20000)
    render(qtbot, win)
    for _ in range(12):
        win.step(-1)
    shown(qtbot, win, 20000)
    render(qtbot, win)
    win.set_kind("week")
    win.back_to_now()
    shown(qtbot, win, 20000)
    win.show_jar()
    jar_loaded(qtbot, win, 20000)
    assert win.jar.model.rowCount() > 1200
    assert systime.perf_counter() - start < 20  # generous: a test, not the benchmark


def test_the_week_view_numbers(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, 30)
    h = win.current
    assert h.period == insights.period_containing("week", TODAY)
    # Monday to Friday: 3 practices of 5 min each
    assert h.practice_minutes == (15.0,) * 5 + (0.0, 0.0)
    practice = win.cards["practice"].chart.accessibleDescription()
    assert "Practice minutes per day." in practice
    assert "Monday 2 March: 15 min" in practice and "Sunday 8 March: 0 min" in practice
    heavy = win.cards["heavy"].chart.accessibleDescription()
    assert "your limit 40 %: 40 %" in heavy
    breaks = win.cards["breaks"].chart.accessibleDescription()
    assert "Offered. Monday 2 March: 6" in breaks and "Taken. Monday 2 March: 3" in breaks
    wired = win.cards["wired"]  # 0-10 starts of 6 that came down 2 or 3: they helped
    assert wired.spec.labels == ["Box breathing", "Muscle relaxation (4 groups)"]
    assert "Box breathing: helped 44 of 44 times: 100 %" in wired.chart.accessibleDescription()
    assert (
        "Shown from 5 starts." in wired.note.text()
        and "from 6 or more, down 2" in wired.note.text()
    )
    assert win.cards["flat"].isHidden()  # no one-tap check-ins yet: said in one line
    assert "What helped when you came in flat" in win.not_charted.text()
    assert not win.next_button.isEnabled() and not win.now_button.isEnabled()
    win.step(-1)
    assert win.next_button.isEnabled() and win.now_button.isEnabled()
    win.step(1)
    win.step(1)  # the future is not shown
    assert win.period == insights.period_containing("week", TODAY)


def test_few_ratings_are_gathering_not_shown(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, 3)  # Wednesday to Friday: 3 pmr-4 ratings, 6 box-5 ratings
    wired = win.cards["wired"]
    assert wired.spec.labels == ["Box breathing"]
    assert "Muscle relaxation (4 groups) (3 of 5)" in wired.note.text()


def test_show_as_table(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, 30)
    card = win.cards["checkin"]
    assert card.stack.currentWidget() is card.chart
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.stack.currentWidget() is card.table
    assert card.toggle.text() == "Show as chart"
    t = card.table
    assert (t.rowCount(), t.columnCount()) == (7, 4)
    headers = [t.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["", "Still with me", "Energy", "Connected"]
    assert t.item(0, 0).text() == "Monday 2 March"
    assert t.item(0, 2).text() == "5" and t.item(6, 1).text() == "–"
    # the table follows the view
    win.set_kind("month")
    shown(qtbot, win)
    assert card.table.rowCount() == 31
    qtbot.keyClick(card.toggle, Qt.Key.Key_Space)
    assert card.stack.currentWidget() is card.chart


def test_the_glimmer_jar_searches_newest_first(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, 10)
    win.journal.add(
        GlimmerRecord(at=at(TODAY, 16), text="Sun on the window sill", felt_in=("face",))
    )
    assert not win.jar.loaded  # nothing read until the jar is opened
    win.show_jar()
    jar_loaded(qtbot, win)
    model = win.jar.model
    first = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert first.startswith("Sun on the window sill\nFri 6 March 2026, 16:00 · felt in face")
    assert model.rowCount() == 9
    win.jar.search.setText("NUMBER 9")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=2000)
    assert win.jar.count.text() == "1 of 9 glimmers matches."
    win.jar.search.setText("")
    win.jar.apply_search()
    assert model.rowCount() == 9


def test_keyboard_reaches_the_controls(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths, 30)
    with qtbot.waitExposed(win):
        win.show()
    win.activateWindow()
    win.week_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.week_button)
    # Week and Month are one control, like radio buttons: arrows move between them
    qtbot.keyClick(win.week_button, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is win.month_button
    qtbot.keyClick(win.month_button, Qt.Key.Key_Space)
    assert win.period.kind == "month" and win.month_button.isChecked()
    seen = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen[0] is win.prev_button
    qtbot.keyClick(win.prev_button, Qt.Key.Key_Space)
    assert win.period == insights.period_containing("month", TODAY).shifted(-1)
    assert win.cards["practice"].toggle in seen
    assert all(
        w.accessibleName()
        for w in (win.week_button, win.month_button, win.prev_button, win.next_button)
    )


@pytest.mark.parametrize("dark", [False, True])
def test_light_and_dark(qtbot, paths: Paths, dark: bool) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        style.apply(app, dark=dark)
        win = make(qtbot, paths, 30)
        render(qtbot, win)
        chart = win.cards["practice"].chart
        image = chart.grab().toImage()
        background = image.pixelColor(2, 2)
        assert (background.lightness() < 128) == dark
        # some bar pixels in the accent colour are there
        accent = style.palette_colors(chart).accent
        found = any(
            image.pixelColor(x, y) == accent
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        )
        assert found
    finally:
        app.setPalette(before)


def test_chart_view_draws_any_shape(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The reusable widget copes with gaps, negatives, a limit and tiny sizes."""
    specs = [
        ChartSpec("empty", [], []),
        ChartSpec("gaps", ["a", "b", "c"], [ChartSeries("x", [None, 3.0, None], "line")]),
        ChartSpec("limit", ["a"], [ChartSeries("x", [70.0])], unit="%", y_max=100, limit=50),
        ChartSpec("neg", ["p", "q"], [ChartSeries("d", [2.5, -1.0])], horizontal=True),
    ]
    for spec in specs:
        view = ChartView(spec)
        qtbot.addWidget(view)
        for w, h in ((400, 200), (30, 20)):
            view.resize(w, h)
            assert not view.grab().toImage().isNull()
    assert ChartSpec("neg", ["p"], [ChartSeries("d", [None])]).describe().endswith("yet.")


# --- reading in a worker -----------------------------------------------------------------


class Gate:
    """Every journal read made off the GUI thread waits until `open` is set (by the
    test; a worker never waits more than 10 s, so nothing can hang); `reading` is set
    once a worker has started to read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.reading = threading.Event()
        real = Journal.query

        def query(journal: Journal, *args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                self.reading.set()
                self.open.wait(10)
            return real(journal, *args, **kwargs)

        monkeypatch.setattr(Journal, "query", query)


def test_the_window_shows_before_the_history_is_read(qtbot, paths: Paths, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = Gate(monkeypatch)
    try:
        win = make(qtbot, paths, 30, wait=False)
        with qtbot.waitExposed(win):
            win.show()
        # the frame, the period's title and every chart's frame are there, calmly loading
        assert win.isVisible() and win.current is None
        assert win.title.text() == "2–8 March 2026"
        assert win.summary.text() == "Loading…" and not win.error.isVisible()
        assert set(win.cards) == {
            "practice",
            "checkin",
            "breaks",
            "heavy",
            "glimmers",
            "wired",
            "flat",
        }
        practice = win.cards["practice"].chart
        assert practice.accessibleDescription() == "Practice minutes per day. Loading…"
        height = win.cards["practice"].height()
        win.show_jar()
        assert win.jar.count.text() == "Loading…" and win.jar.model.rowCount() == 0
    finally:
        gate.open.set()
    shown(qtbot, win)
    jar_loaded(qtbot, win)
    assert win.current is not None and win.current.period == THIS_WEEK
    assert "Monday 2 March: 15 min" in practice.accessibleDescription()
    assert win.summary.text() == (
        "This week: 30 sessions, 7 heavy (23 %, your limit 40 %). You took 15 of 30 offered "
        "breaks. You practised for 75 min on 5 days. 5 glimmers noted."
    )
    assert win.cards["practice"].height() == height  # the numbers came in, nothing moved
    assert win.jar.model.rowCount() == 22


def test_an_older_answer_never_covers_a_newer_period(qtbot, paths: Paths, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    gate = Gate(monkeypatch)
    try:
        win = make(qtbot, paths, 30, wait=False)
        qtbot.waitUntil(gate.reading.is_set)  # this week is being read, slowly
        seen: list[insights.Period] = []
        win.history_shown.connect(lambda h: seen.append(h.period))
        win.step(-1)  # the person goes on to last week before this week's answer is back
        last_week = THIS_WEEK.shifted(-1)
        assert win.period == last_week and win.current is None
        assert win.title.text() == "23 Feb – 1 Mar 2026"
    finally:
        gate.open.set()
    # this week's answer arrives first, while last week is chosen: it is kept, not shown
    qtbot.waitUntil(lambda: THIS_WEEK in win._cache)
    assert seen in ([], [last_week])
    assert win.current is None or win.current.period == last_week
    shown(qtbot, win)
    assert seen == [last_week] and win.current is not None
    assert "Monday 23 February" in win.cards["practice"].chart.accessibleDescription()
    assert win.title.text() == "23 Feb – 1 Mar 2026"
    win.step(1)  # and this week's, read before, shows at once
    assert win.current is not None and win.current.period == THIS_WEEK
    assert seen == [last_week, THIS_WEEK]


def test_a_failed_read_says_so_in_one_line(qtbot, paths: Paths, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = Journal.query
    failing = [True]

    def query(self: Journal, *args: Any, **kwargs: Any) -> Any:
        if failing[0]:
            raise JournalError(
                "the journal in /data is locked by another program for over 10 s\nsecond line"
            )
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Journal, "query", query)
    win = make(qtbot, paths, 30, wait=False)
    with qtbot.waitExposed(win):
        win.show()
    qtbot.waitUntil(win.error.isVisible)
    line = win.error.text()
    assert line == (
        "Look back could not read your journal: "
        "the journal in /data is locked by another program for over 10 s"
    )
    assert "Traceback" not in line and "\n" not in line
    assert not win.summary.isVisible() and win.current is None
    assert (
        win.cards["practice"].chart.accessibleDescription() == "Practice minutes per day. Not read."
    )
    win.show_jar()
    qtbot.waitUntil(win.jar.error.isVisible)
    assert win.jar.error.text() == (
        "Your glimmers could not be read: "
        "the journal in /data is locked by another program for over 10 s"
    )
    assert not win.jar.loaded
    # once the journal can be read again, going to a period reads it
    failing[0] = False
    win.tabs.setCurrentIndex(0)
    win.step(-1)
    shown(qtbot, win)
    assert not win.error.isVisible() and win.summary.isVisible()


# --- words --------------------------------------------------------------------------------


def test_every_word_is_translated_and_nothing_is_cut_off(
    qtbot, qapp, paths: Paths, pseudo_locale
) -> None:  # type: ignore[no-untyped-def]
    palette, sheet, font = qapp.palette(), qapp.styleSheet(), qapp.font()
    style.apply(qapp, dark=False)
    try:
        win = make(qtbot, paths, 30)
        written = [f"a steady moment number {n}" for n in range(30)]
        with qtbot.waitExposed(win):
            win.show()
        assert problems(win, allowed=written) == []
        win.set_kind("month")
        shown(qtbot, win)
        assert problems(win, allowed=written) == []
        for card in win.cards.values():
            card.toggle.setChecked(True)  # the table view
        assert problems(win, allowed=written) == []
        table = win.cards["checkin"].table
        assert all("⟦" in table.item(r, 0).text() for r in range(table.rowCount()))
        win.show_jar()
        jar_loaded(qtbot, win)
        assert problems(win, allowed=written) == []
        meta = win.jar.model.data(win.jar.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
        assert meta.startswith("a steady moment number 29\n⟦")
    finally:
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_companion_history_asks_for_the_window(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from companion.commands import _window
    from companion.commands import history as command

    opened = []
    monkeypatch.setattr(_window, "open_window", lambda which, args: opened.append(which) or 0)
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["history"])
    assert args.func(args) == 0 and opened == ["history"]


def test_a_damaged_older_year_is_said_in_one_calm_line(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from companion.core.aside import dismiss_set_aside

    damaged = b'{"meta": {"1": {"schema": 2}}, "records": {"1": {"type": "glim'
    (paths.data / "journal-2025.json").write_bytes(damaged)

    def said(win: HistoryWindow) -> list[str]:
        return [
            w.text()
            for w in win.findChildren(QLabel)
            if w.isVisible() and "not be read" in w.text()
        ]

    win = make(qtbot, paths, 30)  # this week's trend reaches back into 2025
    with qtbot.waitExposed(win):
        win.show()
    (kept,) = paths.data.glob("journal-2025.json.corrupt-*")
    assert kept.read_bytes() == damaged  # set aside, never overwritten
    (line,) = said(win)
    assert line.startswith(
        f"Not shown here: your journal for 2025 could not be read; it was kept as {kept} ("
    )
    assert "\n" not in line and win.summary.isVisible() and not win.error.isVisible()
    win.set_kind("month")
    win.step(-3)  # December 2025: said there too
    shown(qtbot, win)
    assert said(win) == [line]

    dismiss_set_aside(paths, kept)  # once the person has seen it, it is not said again
    again = make(qtbot, paths, 30)
    with qtbot.waitExposed(again):
        again.show()
    assert said(again) == []


def test_the_glimmer_jar_says_a_damaged_year_too(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    """Glimmers from a year that could not be read are missing from the jar: it says so,
    as the charts do, instead of looking complete."""
    (paths.data / "journal-2025.json").write_bytes(b'{"meta": {"1": {"schema": 2}}, "rec')
    win = make(qtbot, paths, 30)
    with qtbot.waitExposed(win):
        win.show()
    win.show_jar()
    jar_loaded(qtbot, win)
    assert "Not shown here: your journal for 2025 could not be read" in win.jar.count.text()
