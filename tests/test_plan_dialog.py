"""Today's plan: sessions, breaks and the reflection as a calm list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from companion.ui.plan_dialog import PlanDialog

DAY = date(2026, 3, 10)


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hh, mm).astimezone()


@dataclass
class S:
    start: datetime
    end: datetime
    heavy: bool = False


@dataclass
class B:
    start: datetime
    end: datetime
    minutes: int
    exercise: str | None
    after_heavy: bool = False


@dataclass
class Plan:
    date: date
    sessions: list[S] = field(default_factory=list)
    breaks: list[B] = field(default_factory=list)
    reflection_at: datetime | None = None
    closing: B | None = None


def sample() -> Plan:
    sessions = [S(at(9), at(9, 50)), S(at(10), at(10, 50), heavy=True), S(at(11), at(11, 50))]
    breaks = [
        B(at(9, 50), at(9, 59), 9, "box-5"),
        B(at(10, 50), at(10, 59), 9, "cyclic-sighing-5", after_heavy=True),
        B(at(11, 50), at(11, 50) + timedelta(minutes=3), 3, None),
    ]
    return Plan(DAY, sessions, breaks, at(12))


def test_lists_sessions_breaks_and_reflection_in_order(qtbot) -> None:
    dialog = PlanDialog(sample(), titles={"box-5": "Box breathing"})
    qtbot.addWidget(dialog)
    rows = dialog.texts()
    assert rows == [
        "09:00–09:50  Session",
        "09:50–09:59  Break, 9 min  Box breathing",
        "10:00–10:50  Session · heavy",
        "10:50–10:59  Break, 9 min · after a heavy session  Cyclic sighing 5",
        "11:00–11:50  Session",
        "11:50–11:53  Break, 3 min  a pause (no practice fits)",
        "12:00  End-of-day reflection",
    ]
    assert dialog.heading.text() == "Tuesday 10 March"
    assert dialog.summary.text() == "3 sessions (1 heavy) · 3 breaks · reflection at 12:00"


def test_the_day_s_closing_practice_is_its_last_offer(qtbot) -> None:  # type: ignore[no-untyped-def]
    """After the last session, before the reflection: "leave it at the door"."""
    plan = sample()
    plan.closing = B(at(11, 50), at(11, 58), 8, "leave-it-at-the-door")
    plan.breaks = plan.breaks[:2]
    dialog = PlanDialog(plan, titles={"leave-it-at-the-door": "Leave it at the door"})
    qtbot.addWidget(dialog)
    assert dialog.texts()[-3:] == [
        "11:00–11:50  Session",
        "11:50–11:58  To close the day  Leave it at the door",
        "12:00  End-of-day reflection",
    ]
    row = dialog.rows.topLevelItem(5)
    assert row is not None and row.data(0, Qt.ItemDataRole.UserRole) == "closing"
    # a day with no closing window (no practice written for it fits) shows no such row
    plan.closing = None
    dialog = PlanDialog(plan)
    qtbot.addWidget(dialog)
    assert not any("To close the day" in row for row in dialog.texts())


def test_a_free_day_says_so(qtbot) -> None:
    dialog = PlanDialog(Plan(DAY))
    qtbot.addWidget(dialog)
    assert dialog.texts() == []
    assert dialog.summary.text() == "A free day: no sessions, nothing planned."
    assert dialog.rows.isHidden()


def test_every_control_is_named(qtbot) -> None:
    dialog = PlanDialog(sample())
    qtbot.addWidget(dialog)
    assert dialog.rows.accessibleName()
    for button in dialog.findChildren(QPushButton):
        assert button.accessibleName()


def test_close_is_the_plain_primary_action(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PlanDialog(sample())
    qtbot.addWidget(dialog)
    [close] = dialog.findChildren(QPushButton)
    assert close.text() == "Close" and close.icon().isNull()  # no ✗ icon
    assert close.objectName() == "primary" and close.isDefault()
    dialog.show()
    close.click()
    assert not dialog.isVisible()


@pytest.mark.parametrize("free", [False, True])
def test_the_plan_is_translated_and_nothing_is_cut_off(
    pseudo_locale, house_style, qtbot, free: bool
) -> None:  # type: ignore[no-untyped-def]
    from tests.pseudo_walk import problems

    dialog = PlanDialog(Plan(DAY) if free else sample(), titles={"box-5": "Box breathing"})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert problems(dialog) == []
    assert dialog.heading.text().startswith("⟦")  # "Tuesday 10 March", from the locale
    header = dialog.rows.headerItem()
    assert all(header.text(i).startswith("⟦") for i in range(3))
    # Every row's words are translated; practice titles are the library's data.
    for row in dialog.texts():
        assert "⟦" in row, row
