"""Look back in words first: the week's words above the charts, a heavy share of 0% that
says 0%, the limit's words never covered, quiet charts named in one line instead of
empty frames, and what helped per starting state."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QColor

from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import Paths
from companion.core.records import DaySummaryRecord, PracticeRecord, Record
from companion.core.settings import Settings
from companion.ui import style
from companion.ui.history import ChartSeries, ChartSpec, ChartView, HistoryWindow
from tests.test_history_window import TITLES, TODAY, at, paths, shown

__all__ = ["paths"]  # the fixture

MONDAY = TODAY - timedelta(days=TODAY.weekday())


def window(qtbot, paths: Paths, records: list[Record]) -> HistoryWindow:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(TODAY, 17, 30))
    journal = Journal(paths, clock, backups=False)
    journal.open()
    for r in records:
        journal.add(r)
    win = HistoryWindow(journal, clock, Settings(heavy_limit_percent=40), titles=TITLES)
    qtbot.addWidget(win)
    shown(qtbot, win)
    return win


def quiet_week() -> list[Record]:
    """Sessions every day, none heavy; nothing else."""
    return [
        DaySummaryRecord(at=at(MONDAY + timedelta(days=n), 18), sessions=4, heavy=0)
        for n in range(5)
    ]


def test_a_week_with_sessions_and_none_heavy_says_0_percent(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = window(qtbot, paths, quiet_week())
    assert win.summary.text() == "This week: 20 sessions, none heavy (0 %, your limit 40 %)."
    heavy = win.cards["heavy"]
    assert heavy.isVisible() or not heavy.isHidden()
    said = heavy.chart.accessibleDescription()
    assert "No sessions counted" not in said
    assert "your limit 40 %: 40 %" in said and "week of Monday 2 March: 0 %" in said
    assert "week of Monday 23 February: none" in said  # a week with no sessions is not 0%


def test_charts_with_nothing_to_show_are_named_in_one_line(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = window(qtbot, paths, quiet_week())
    win.show()
    qtbot.waitExposed(win)
    shown_cards = {k for k, c in win.cards.items() if c.isVisible()}
    assert shown_cards == {"heavy"}
    line = win.not_charted.text()
    assert win.not_charted.isVisible()
    for key in ("practice", "checkin", "breaks", "glimmers", "wired", "flat"):
        assert win.cards[key].spec.title in line
    # a week with more to show brings its charts back
    win.step(-1)
    shown(qtbot, win)
    assert win.summary.text().startswith("Nothing recorded in this week yet.")


def test_what_helped_from_flat_is_charted(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    def tapped(ex: str, before: str, after: str, day: date) -> PracticeRecord:
        return PracticeRecord(
            at=at(day, 10),
            exercise=ex,
            planned_seconds=120,
            actual_seconds=120,
            completed=True,
            state_before=before,
            state_after=after,
        )

    records: list[Record] = []
    for n in range(5):
        day = MONDAY - timedelta(days=n)
        records += [
            tapped("box-5", "flat", "flat", day),  # lower-or-flat is never help
            tapped("pmr-4", "flat", "between", day),
        ]
    records.append(tapped("box-5", "wired", "between", MONDAY))
    win = window(qtbot, paths, records)
    flat = win.cards["flat"]
    assert not flat.isHidden()
    assert flat.spec.labels == ["Muscle relaxation (4 groups)", "Box breathing"]
    said = flat.chart.accessibleDescription()
    assert "Muscle relaxation (4 groups): helped 5 of 5 times: 100 %" in said
    assert "Box breathing: helped 0 of 5 times: 0 %" in said
    wired = win.cards["wired"]  # one start: still gathering, so it stays with its note
    assert not wired.isHidden() and "Box breathing (1 of 5)" in wired.note.text()


def test_low_0_to_10_starts_are_not_scored_and_the_card_says_why(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    records: list[Record] = [
        PracticeRecord(
            at=at(MONDAY - timedelta(days=n), 10),
            exercise="box-5",
            planned_seconds=300,
            actual_seconds=300,
            completed=True,
            rating_before=2,
            rating_after=0,
        )
        for n in range(6)
    ]
    win = window(qtbot, paths, records)
    wired = win.cards["wired"]
    assert wired.spec.labels == []  # a fall from 2 to 0 is never shown as settling
    assert "6 ratings that started at 5 or lower are left out" in wired.note.text()
    assert not wired.isHidden()


# --- the chart itself ---------------------------------------------------------------------------


def heavy_spec(values: list[float | None]) -> ChartSpec:
    return ChartSpec(
        "Heavy sessions, share per week",
        [f"W{n}" for n in range(len(values))],
        [ChartSeries("Heavy share", values, role="third")],
        unit="%",
        y_max=100,
        limit=50.0,
        limit_label="your limit 50 %",
        empty_text="No sessions counted in these weeks.",
        zeros=True,
        value_labels=True,
    )


def warm_pixels(view: ChartView, box) -> int:  # type: ignore[no-untyped-def]
    image = view.grab().toImage()
    warm = QColor(style.palette_colors(view).warm)
    ratio = image.width() / view.width()
    count = 0
    for x in range(int(box.left() * ratio), int(box.right() * ratio)):
        for y in range(int(box.top() * ratio), int(box.bottom() * ratio)):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - warm.red())
                + abs(c.green() - warm.green())
                + abs(c.blue() - warm.blue())
                < 90
            ):
                count += 1
    return count


def test_an_empty_chart_never_covers_the_limit_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ChartView(heavy_spec([None] * 8))
    qtbot.addWidget(view)
    view.resize(420, view.sizeHint().height())
    assert view.spec.is_empty()
    plot, fm, y_of = view.plot_rect()
    limit = view.limit_box(fm, plot, y_of)
    assert limit is not None
    assert not view.empty_box(plot, y_of).intersects(limit)
    # the words "your limit 50 %" are painted as fully as on a chart with numbers
    full = ChartView(heavy_spec([10.0] * 8))
    qtbot.addWidget(full)
    full.resize(view.size())
    painted = warm_pixels(full, limit)
    assert painted > 20
    assert warm_pixels(view, limit) >= 0.95 * painted


def test_zero_is_a_value_when_the_chart_says_so() -> None:
    assert not heavy_spec([None, 0.0]).is_empty()
    assert heavy_spec([None, None]).is_empty()
    plain = ChartSpec("Minutes", ["a", "b"], [ChartSeries("m", [0.0, 0.0])])
    assert plain.is_empty()  # a day with no practice is not something to chart
