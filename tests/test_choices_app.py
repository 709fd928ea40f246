"""The tray and the cards the app shows at the end of the day (issue 12, item 3): the
day's last offer comes after its last session and suggests "leave it at the door", and
the tray leads with it once the sessions are over."""

from __future__ import annotations

from pathlib import Path

from companion.app import App
from tests.test_app import MONDAY, close_app, local, started_app, step_to


def test_after_the_last_session_the_card_and_the_tray_offer_leave_it_at_the_door(
    qtbot,
    data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    app: App = started_app(data_dir, local(MONDAY, 16, 30))  # in the last session (16:00)
    try:
        assert "leave-it-at-the-door" not in [c.id for c in app.practices_now()]
        assert app.cards == {}
        step_to(app, local(MONDAY, 16, 51))  # the built-in week's last session ended 16:50
        (card,) = app.cards.values()
        offer = app.day.offer(next(iter(app.cards)))
        assert offer is not None and offer.closing
        suggestion = app._offer_choices(offer).suggestion
        assert suggestion is not None and suggestion.id == "leave-it-at-the-door"
        assert app.practices_now()[0].id == "leave-it-at-the-door"
        assert card.isVisible()
    finally:
        close_app(app)
