"""Today's plan looks ahead: back-to-back heavy sessions and a heavy session with no break
after it carry a visible mark with words and an accessible text, not colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.core.planner import heavy_marks
from companion.ui.plan_dialog import MARK, PlanDialog
from tests.test_plan_dialog import DAY, B, Plan, S, at, sample


def heavy_day() -> Plan:
    sessions = [
        S(at(9), at(9, 50), heavy=True),
        S(at(10), at(10, 50), heavy=True),  # right after a heavy one; no break after it
        S(at(10, 55), at(11, 45)),
        S(at(13), at(13, 50), heavy=True),  # the day's last: the day ends there
    ]
    breaks = [
        B(at(9, 50), at(9, 59), 9, "box-5", after_heavy=True),
        B(at(11, 45), at(12, 55), 70, "walk-5"),
    ]
    return Plan(DAY, sessions, breaks, at(14))


def test_back_to_back_heavy_and_no_break_after_are_marked(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PlanDialog(heavy_day(), titles={"box-5": "Box breathing", "walk-5": "A short walk"})
    qtbot.addWidget(dialog)
    assert dialog.texts() == [
        "09:00–09:50  Session · heavy",
        "09:50–09:59  Break, 9 min · after a heavy session  Box breathing",
        f"10:00–10:50  Session · heavy\n{MARK} heavy in a row, no break after",
        "10:55–11:45  Session",
        "11:45–12:55  Break, 70 min  A short walk",
        "13:00–13:50  Session · heavy",
        "14:00  End-of-day reflection",
    ]
    row = dialog.rows.topLevelItem(2)
    assert row is not None
    spoken = row.data(1, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == ("Session, heavy. Marked: heavy in a row, no break after.")
    assert MARK not in spoken  # a reader hears words, not a glyph
    dialog.show()
    assert dialog.ahead.isVisible()
    assert dialog.ahead.text().startswith(f"{MARK} 1 heavy session comes right after")


def test_each_mark_on_its_own() -> None:
    a, b, c = at(9), at(10), at(11)
    heavy_then_light = [S(a, at(9, 50), heavy=True), S(b, at(10, 50))]
    # no break planned between them (a 10-minute gap): the heavy one is marked
    assert [bool(m) for m in heavy_marks(heavy_then_light, [])] == [True, False]
    assert heavy_marks(heavy_then_light, [])[0].no_break_after
    # with a break after it: nothing to mark
    gap = [B(at(9, 50), at(9, 59), 9, None)]
    assert not any(heavy_marks(heavy_then_light, gap))
    # two heavy with a break between: the second is still right after a heavy one
    two = [S(a, at(9, 50), heavy=True), S(b, at(10, 50), heavy=True), S(c, at(11, 50))]
    breaks = [B(at(9, 50), at(9, 59), 9, None), B(at(10, 50), at(10, 59), 9, None)]
    marks = heavy_marks(two, breaks)
    assert not marks[0] and marks[1].after_heavy and not marks[1].no_break_after
    # light sessions are never marked, and the order given does not matter
    assert heavy_marks(list(reversed(two)), breaks) == list(reversed(marks))


def test_a_calm_day_has_no_marks_and_no_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PlanDialog(sample())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ahead.isVisible()
    assert all(MARK not in row for row in dialog.texts())


def test_the_marks_are_translated_and_nothing_is_cut_off(pseudo_locale, house_style, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.pseudo_walk import problems

    dialog = PlanDialog(heavy_day(), titles={"box-5": "Box breathing", "walk-5": "A short walk"})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert problems(dialog) == []
    assert dialog.ahead.text().startswith("⟦")
    marked = dialog.texts()[2]
    assert MARK in marked and marked.count("⟦") >= 2


def test_only_a_short_gap_makes_two_heavy_sessions_back_to_back() -> None:
    """A heavy session after lunch is not "heavy in a row"; one ten minutes after the last
    heavy one is, although the planner fits a 9-minute break in that gap."""
    sessions = [
        S(at(11, 50), at(12, 40), heavy=True),
        S(at(13, 30), at(14, 20), heavy=True),  # 50 minutes after the heavy one before
        S(at(14, 30), at(15, 20), heavy=True),  # 10 minutes after it
        S(at(15, 30), at(16, 20)),
    ]
    breaks = [
        B(at(12, 40), at(13, 29), 49, None, after_heavy=True),
        B(at(14, 20), at(14, 29), 9, None, after_heavy=True),
        B(at(15, 20), at(15, 29), 9, None, after_heavy=True),
    ]
    marks = heavy_marks(sessions, breaks)
    assert not marks[0] and not marks[1]
    assert marks[2].after_heavy and not marks[2].no_break_after
    assert not marks[3]


def test_the_planned_day_marks_what_the_note_says(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The planner's own breaks: a 49-minute break before a heavy session leaves it
    unmarked, a 4- or 9-minute one does not; every mark is one the note explains."""
    from companion.core.calendar.week import week_sessions
    from companion.core.planner import plan_day
    from companion.core.settings import Settings, WeeklySession

    day = DAY  # a Tuesday
    starts = [("09:00", True), ("09:55", True), ("11:00", False), ("11:50", True)]
    starts += [("13:30", True), ("14:30", True), ("15:30", True), ("16:45", False)]
    week = tuple(WeeklySession(day.weekday(), t, 50, heavy) for t, heavy in starts)
    settings = Settings(week=week)
    plan = plan_day(week_sessions(settings, day), settings, day, None)
    dialog = PlanDialog(plan)
    qtbot.addWidget(dialog)
    marked = [row.split("  ")[0] for row in dialog.texts() if MARK in row]
    assert marked == ["09:55–10:45", "14:30–15:20", "15:30–16:20"]  # not 13:30, after lunch
    assert dialog.ahead.text().startswith(
        f"{MARK} 3 heavy sessions come right after another heavy one "
        "(no break or under 15 min between) or have no break after them."
    )


def _cut_cells(tree) -> list[str]:  # type: ignore[no-untyped-def]
    """Cells of `tree` whose words do not all show: the header wider than the view (the
    list scrolls sideways), or a cell whose wrapped words need more room than it has."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QStyle

    QApplication.processEvents()
    header = tree.header()
    out = []
    if header.length() > tree.viewport().width() or tree.horizontalScrollBar().isVisible():
        out.append(f"the list scrolls sideways: {header.length()} > {tree.viewport().width()}")
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
    fm = tree.fontMetrics()
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        for column in range(tree.columnCount()):
            words = item.text(column)
            if not words:
                continue
            cell = tree.visualRect(tree.indexFromItem(item, column))
            room = QRect(0, 0, cell.width() - margin, 10_000)
            need = fm.boundingRect(room, int(Qt.TextFlag.TextWordWrap), words)
            longest = max(fm.horizontalAdvance(w) for w in words.split())
            if need.height() > cell.height() or longest > room.width():
                out.append(f"row {row} column {column} {words!r}: {need} in {cell}")
    return out


def test_every_column_shows_in_full_at_150_percent_in_a_longer_language(
    pseudo_locale, house_style, qtbot
) -> None:  # type: ignore[no-untyped-def]
    """On a 1280x800 screen at 150 % (a window of at most 768x480) in the pseudo-locale the
    suggested practice is seen without scrolling sideways: "What" wraps instead."""
    from PySide6.QtWidgets import QApplication

    from tests.pseudo_walk import problems

    plan = heavy_day()
    plan.breaks[1] = B(at(11, 45), at(12, 55), 70, "walk-5", after_heavy=True)
    plan.closing = B(at(13, 50), at(14), 10, "leave-it-at-the-door")
    titles = {
        "box-5": "Box breathing",
        "walk-5": "A short walk away from the screen",
        "leave-it-at-the-door": "Leave it at the door",
    }
    dialog = PlanDialog(plan, titles=titles)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(min(dialog.width(), 768), min(dialog.height(), 480))
    for _ in range(3):
        QApplication.processEvents()
    assert problems(dialog, allowed=titles.values()) == []
    assert _cut_cells(dialog.rows) == []
