"""From the offer card to the first breath, end to end in the app on a fake clock: one
click on the card's main button shows the practice's first screen, and the first cue
plays within three seconds; the end screen holds the glimmer question after a session,
and a practice from the menu (no session just ended) asks none. One offer, one place: the
card, and no notification beside it; a card left alone lowers itself to the tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from companion.app import App
from companion.core.clock import FakeClock
from companion.ui.offer import LOWER_AFTER_S
from tests.fake_sound import FakeSound
from tests.test_app import MONDAY, FakeWakeups, close_app, confirmed, local, step_to


@pytest.fixture
def app(qtbot, data_dir: Path):  # type: ignore[no-untyped-def]
    a = App(
        confirmed(data_dir),
        FakeClock(local(MONDAY, 8, 30)),
        wakeups=FakeWakeups(),
        tray=True,
        sound=FakeSound(),
    )
    a.said = []  # type: ignore[attr-defined]
    a.view.notify = lambda title, text: a.said.append(text)  # type: ignore[attr-defined,method-assign]
    a.start()
    yield a
    close_app(a)


def fire_player(app: App) -> float:
    """Run the player's timer once, as Qt would (the clock moves to its moment)."""
    player = app.player
    assert player is not None
    timer = player.findChild(QTimer, "player-tick")
    assert timer is not None and timer.isActive()
    wait = timer.interval() / 1000.0
    timer.stop()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(wait)
    player.tick()  # type: ignore[attr-defined]
    return wait


def test_one_click_on_the_card_and_the_first_cue_plays_within_three_seconds(app: App) -> None:
    sound: FakeSound = app.sound  # type: ignore[assignment]
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    assert app.said == []  # type: ignore[attr-defined]  # the card, and no notification too
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(1.0)  # the card's one-second guard against stray clicks
    assert card.main_button is not None
    clicked_at = clock.monotonic()
    card.main_button.click()  # the one click
    player = app.player
    assert player is not None and player.isVisible()
    assert player.page == "practice"  # type: ignore[attr-defined]
    assert player.title_label.text() == player.exercise.title  # type: ignore[attr-defined]
    assert sound.heard() == ["start"]  # the chime at once, with the first screen
    fire_player(app)
    heard = sound.heard()
    assert heard[0] == "start"
    assert heard[1].startswith("cue:") or heard[1] == "step"
    seconds = clock.monotonic() - clicked_at
    assert seconds < 3.0
    print(f"card -> first cue: 1 click, {seconds:.3f} s after the click")


def test_the_end_screen_after_an_offer_holds_the_glimmer_question(app: App) -> None:
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(2)
    assert card.main_button is not None
    card.main_button.click()
    player = app.player
    assert player is not None
    fire_player(app)
    clock.advance(player.exercise.total_seconds)  # type: ignore[attr-defined]
    player.tick()  # type: ignore[attr-defined]
    assert player.page == "end"  # type: ignore[attr-defined]
    assert player.glimmer_asked  # type: ignore[attr-defined]


def test_a_practice_from_the_menu_asks_no_glimmer(app: App) -> None:
    step_to(app, local(MONDAY, 9, 50))
    clock: FakeClock = app.clock  # type: ignore[assignment]
    assert app.start_practice("feet-on-the-floor-short")
    player = app.player
    assert player is not None
    fire_player(app)
    clock.advance(player.exercise.total_seconds)  # type: ignore[attr-defined]
    player.tick()  # type: ignore[attr-defined]
    assert player.page == "end"  # type: ignore[attr-defined]
    assert not player.glimmer_asked  # type: ignore[attr-defined]


def test_a_card_left_alone_lowers_itself_to_the_tray_which_still_shows_it_waits(
    app: App,
) -> None:
    from companion.ui.tray import icon_for

    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    timer = card.findChild(QTimer, "offer-lower")
    assert timer is not None and timer.isActive()
    clock.advance(LOWER_AFTER_S - 1)
    card.check_lower()
    assert card.isVisible()
    clock.advance(1)
    card.check_lower()
    assert not card.isVisible() and card.is_lowered
    assert app.cards, "the offer still waits"
    app.refresh_view()
    assert (
        app.view.icon.icon().cacheKey()
        == icon_for(  # type: ignore[union-attr]
            app.day.status().state, offer=True
        ).cacheKey()
    )
    app.intents.tray_clicked.emit()  # a click on the icon brings it back
    assert card.isVisible() and not card.is_lowered


def test_flat_on_the_offered_practice_switches_in_one_click(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    step_to(app, local(MONDAY, 9, 50))
    (card,) = app.cards.values()
    clock: FakeClock = app.clock  # type: ignore[assignment]
    clock.advance(1)
    assert card.main_button is not None
    card.main_button.click()
    first = app.player
    assert first is not None
    settling = first.exercise.effect == "settling"  # type: ignore[attr-defined]
    first.checkin.buttons["flat" if settling else "wired"].click()  # type: ignore[attr-defined]
    button = first.switch_button  # type: ignore[attr-defined]
    assert button.isVisible()
    button.click()
    qtbot.waitUntil(lambda: app.player is not None and app.player is not first)
    second = app.player
    assert second.exercise.family != first.exercise.family  # type: ignore[attr-defined]
    assert second.exercise.effect != ("settling" if settling else "energising")  # type: ignore[attr-defined]
