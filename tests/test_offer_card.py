"""The offer card: no focus taken, no answer in its first second."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLineEdit

from companion.core.clock import FakeClock
from companion.ui import offer
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


# --- real rounded corners ----------------------------------------------------------------------


@pytest.mark.qt_log_ignore("^This plugin does not support setting window masks$")
def test_the_window_shape_leaves_the_corners_out(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The offscreen test platform cannot shape windows (the card skips it there); shape it
    # here as on a real desktop, where the shape is an X11 shape mask.
    monkeypatch.setattr(offer, "platform_shapes_windows", lambda: True)
    clock = FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ))
    card = make_card(qtbot, clock)
    card.show()
    qtbot.waitExposed(card)
    for size in (QSize(card.width(), card.height()), QSize(420, 260)):
        card.resize(size)
        shape = card.mask()
        w, h = size.width() - 1, size.height() - 1
        assert not shape.isEmpty()
        for corner in (QPoint(0, 0), QPoint(w, 0), QPoint(0, h), QPoint(w, h)):
            assert not shape.contains(corner), f"square corner at {corner} of {size}"
        # ... and only the corners: the edges and the middle are all card.
        for inside in (QPoint(w // 2, 0), QPoint(0, h // 2), QPoint(w, h // 2), QPoint(w // 2, h)):
            assert shape.contains(inside), inside
        assert shape.contains(QPoint(offer.RADIUS, offer.RADIUS // 3))
        assert shape.boundingRect() == QRect(0, 0, size.width(), size.height())


def test_the_rounded_region_is_exact_and_symmetric() -> None:
    region = offer.rounded_region(QSize(100, 60), 12)
    inside = {(x, y) for x in range(100) for y in range(60) if region.contains(QPoint(x, y))}
    # A pixel is in when its centre is inside the rounded rectangle.
    for x in range(100):
        for y in range(60):
            cx = min(max(x + 0.5, 12), 88)
            cy = min(max(y + 0.5, 12), 48)
            want = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= 144
            assert ((x, y) in inside) == want, (x, y)
    assert (0, 0) not in inside and (11, 0) in inside and (99, 59) not in inside


# --- under the pseudo-locale -------------------------------------------------------------------


def test_the_card_is_translated_and_nothing_is_cut_off(pseudo_locale, house_style, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.pseudo_walk import problems

    clock = FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ))
    now = clock.now()
    headline = headline_for(now, now + timedelta(minutes=9), now + timedelta(minutes=10))
    assert headline.startswith("⟦") and "11:00" in headline
    # Labels and the note come from the app and the library, as data here.
    data = ["Box breathing · 5 min", "Feet on the floor · 2 min", "Hand on heart · 3 min"]
    note = "That was a heavy one. You might give yourself the longer pause."
    card = OfferCard(
        clock,
        headline=headline,
        suggestion=("box-5", data[0]),
        others=[("feet-on-the-floor", data[1]), ("hand-on-heart", data[2])],
        note=note,
    )
    qtbot.addWidget(card)
    card.place_near(None)
    card.show()
    qtbot.waitExposed(card)
    assert problems(card, allowed=[*data, note]) == []
    assert card.main_button is not None and card.main_button.objectName() == "primary"


def test_a_long_practice_name_is_never_cut_on_its_button(house_style, qtbot) -> None:  # type: ignore[no-untyped-def]
    """In a longer language or at 150 %, the suggested practice's name can be wider than
    two thirds of the screen (where QWidget.adjustSize stops): the card still fits it."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen().availableGeometry().width()
    label = "A long practice name " * 2
    card = OfferCard(
        FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ)),
        headline="Session ended",
        suggestion=("x", label),
    )
    qtbot.addWidget(card)
    while card.main_button is not None and card.main_button.sizeHint().width() < screen * 0.75:
        label += "and longer "
        card.set_choices(("x", label))
    card.show()
    card.place_near(None)
    assert card.main_button is not None
    assert card.main_button.width() >= card.main_button.sizeHint().width()
    assert card.width() <= screen


def test_a_card_left_alone_without_a_tray_stops_staying_on_top(qtbot) -> None:  # type: ignore[no-untyped-def]
    from companion.ui.offer import LOWER_AFTER_S

    clock = FakeClock(datetime(2026, 3, 2, 10, 50, tzinfo=TZ))
    card = OfferCard(
        clock,
        headline="Session ended · 9 min until 11:00",
        suggestion=("box-5", "Box breathing · 5 min"),
        hide_when_lowered=False,
    )
    qtbot.addWidget(card)
    lowered: list[bool] = []
    card.lowered.connect(lambda: lowered.append(True))
    card.show()
    assert card.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    clock.advance(LOWER_AFTER_S)
    card.check_lower()
    assert lowered == [True]
    assert card.isVisible()  # still there to answer, in the stand-in window's place
    assert not card.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert card.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus  # still never focus
    clock.advance(LOWER_AFTER_S)
    card.check_lower()
    assert lowered == [True]  # once
