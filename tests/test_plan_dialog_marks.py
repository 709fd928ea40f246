"""Today's plan looks ahead: back-to-back heavy sessions and a heavy session with no break
after it carry a visible mark with words and an accessible text, not colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.ui.plan_dialog import MARK, PlanDialog, heavy_marks
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
