"""The offer card: no focus taken, no answer in its first second."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from companion.core.clock import FakeClock
from companion.ui.offer import OfferCard, headline_for

TZ = timezone(timedelta(hours=1))


def make_card(qtbot, clock: FakeClock) -> OfferCard:  # type: ignore[no-untyped-def]
    card = OfferCard(
        clock,
        headline="Session ended · 9 min until 11:00",
        suggestion=("box-5", "Box breathing · 5 min"),
        others=[("feet-on-the-floor", "Feet on the floor · 2 min")],
    )
    qtbot.addWidget(card)
    return card


def test_clicks_in_the_first_second_are_ignored(qtbot) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ))
    card = make_card(qtbot, clock)
    started: list[str] = []
    skipped: list[bool] = []
    card.start.connect(started.append)
    card.skip.connect(lambda: skipped.append(True))
    card.show()
    assert card.main_button is not None
    qtbot.mouseClick(card.main_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.skip_button, Qt.MouseButton.LeftButton)
    clock.advance(0.9)
    qtbot.mouseClick(card.skip_button, Qt.MouseButton.LeftButton)
    assert started == [] and skipped == []
    clock.advance(0.2)
    qtbot.mouseClick(card.main_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.other_buttons[0], Qt.MouseButton.LeftButton)
    assert started == ["box-5", "feet-on-the-floor"]


def test_the_card_never_takes_focus(qtbot) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ))
    notes = QLineEdit()
    qtbot.addWidget(notes)
    notes.show()
    notes.setFocus()
    notes.activateWindow()
    card = make_card(qtbot, clock)
    card.show()
    assert card.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert card.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert all(
        b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in card.findChildren(type(card.skip_button))
    )
    qtbot.keyClicks(notes, "session note")
    assert notes.text() == "session note"
    # Qt's offscreen platform activates every window it shows, whatever its flags, so
    # which window is active is checked on a real X11 screen (see the issue 5 note); here
    # the flags, and that buttons rebuilt as minutes pass stay unfocusable too.
    card.refresh("Session ended · 8 min until 11:00", ("box-5", "Box · 5 min"), [], can_snooze=True)
    assert all(
        b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in card.findChildren(type(card.skip_button))
    ), "a refreshed button could take focus"


def test_headline_counts_minutes_to_the_next_session() -> None:
    now = datetime(2026, 3, 2, 10, 50, tzinfo=TZ)
    assert headline_for(now, now + timedelta(minutes=9), now + timedelta(minutes=10)) == (
        "Session ended · 10 min until 11:00"
    )
    assert headline_for(now, now + timedelta(minutes=30), None) == (
        "Session ended · 30 min to yourself"
    )
