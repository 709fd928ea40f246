"""First run (issue 15): the app never guesses a timetable. A fresh folder plans and
offers nothing, says "Set up your week", and opens the welcome; once the person confirms
a week (here one that starts at :15), every offer falls in a gap between its sessions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel

from companion.app import App
from companion.core.clock import FakeClock
from companion.core.paths import resolve_paths
from companion.core.records import OfferRecord
from companion.core.settings import WeeklySession
from tests.test_app import MONDAY, FakeSound, FakeWakeups, close_app, local


def _week_at_quarter_past() -> tuple[WeeklySession, ...]:
    """Monday to Thursday, 50 minutes from 09:15 to 16:15, lunch at 12:15."""
    starts = ("09:15", "10:15", "11:15", "13:15", "14:15", "15:15", "16:15")
    return tuple(WeeklySession(d, s, 50) for d in range(4) for s in starts)


def _run_week(app: App) -> None:
    """Every wake-up of a week, as the scheduler would; cards are left to close."""
    clock: FakeClock = app.clock  # type: ignore[assignment]
    end = clock.now() + timedelta(days=5)
    while clock.now() < end:
        upcoming = [t for t in app.wakeups.times if t > clock.now()]
        clock.advance(((min(upcoming) if upcoming else end) - clock.now()).total_seconds())
        app.on_wake()
        for window in list(app.windows.values()):
            window.close()


def fresh_app(data_dir: Path) -> App:
    a = App(
        resolve_paths(data_dir),
        FakeClock(local(MONDAY, 8, 0)),
        wakeups=FakeWakeups(),
        tray=False,
        sound=FakeSound(),
    )
    a.start()
    return a


def test_a_fresh_folder_offers_nothing_for_a_whole_week(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app(data_dir)
    try:
        assert app.windows.get("welcome") is not None  # the first start says hello
        assert app.view.status.text().startswith("Set up your week")
        day_line = next(a for a in app.view.menu.actions() if a.objectName() == "menu-day")
        assert day_line.text() == "Set up your week…" and day_line.isEnabled()
        _run_week(app)
        assert app.journal.query(OfferRecord) == []
        assert app.cards == {}
    finally:
        close_app(app)


def test_once_a_quarter_past_week_is_confirmed_every_offer_falls_in_a_gap(
    qtbot, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    app = fresh_app(data_dir)
    try:
        app.store.update(week=_week_at_quarter_past(), schedule_confirmed=True)
        _run_week(app)
        offers = app.journal.query(OfferRecord)
        assert len(offers) >= 20  # six gaps a day, four days
        for offer in offers:
            start = offer.window_start.astimezone()
            assert app.day.session_at(start) is None
            assert (start.hour, start.minute) in {
                (10, 5),
                (11, 5),
                (12, 5),
                (14, 5),
                (15, 5),
                (16, 5),
                (17, 5),  # after the day's last session: the closing offer
            }, f"an offer at {start:%a %H:%M} is not at the end of a :15 session"
        day_line = next(a for a in app.view.menu.actions() if a.objectName() == "menu-day")
        assert not day_line.isEnabled()  # now a line saying where the day stands
    finally:
        close_app(app)


def test_the_demo_s_practices_and_glimmers_are_on_the_demo_s_day(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 15, item 4: in --demo the practice runs on real seconds but is dated by the
    demo's clock, so the demo's own reflection and Look back show what was just done
    (they said "0 minutes of practice · 0 glimmers" when the real date differed)."""
    from datetime import datetime

    from companion.core.records import GlimmerRecord, PracticeRecord
    from companion.ui.player import LEAD_IN_S
    from tests.test_app import confirmed, step_to

    real = FakeClock(datetime(2026, 11, 29, 18, 0).astimezone(), monotonic_start=1000.0)
    demo = FakeClock(local(MONDAY, 9, 40))
    app = App(
        confirmed(data_dir),
        demo,
        wakeups=FakeWakeups(),
        tray=False,
        sound=FakeSound(),
        player_clock=real,
        demo=True,
    )
    app.store.update(ratings=False)
    app.start()
    try:
        step_to(app, local(MONDAY, 9, 50))
        demo.advance(2)
        (card,) = app.cards.values()
        card.main_button.click()
        player = app.player
        assert player is not None
        real.advance(LEAD_IN_S)  # the first screen, then the practice begins by itself
        player.tick()
        for _ in range(200):  # real seconds pass until the practice is over
            if player.page == "end":
                break
            real.advance(5)
            player.tick()
        assert player.glimmer_asked  # on the end screen, after the session's offer
        player.end_page.glimmer_edit.setText("She named one thing she is looking forward to")
        player.end_page.done_button.click()
        (practice,) = app.journal.query(PracticeRecord)
        (glimmer,) = app.journal.query(GlimmerRecord)
        assert practice.day == MONDAY and glimmer.day == MONDAY
        app.open_reflection()
        window = app.windows["reflect"]
        said = " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())
        assert "She named one thing" in said or "1 glimmer" in said
    finally:
        close_app(app)
