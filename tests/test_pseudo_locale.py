"""Every window of the running app under the pseudo-locale (COMPANION_LANG=pseudo): each
visible string is marked for translation (wrapped in ⟦ ⟧) and nothing is cut off when the
words are about 40 % longer. One walk through the app as a person meets it: the tray's
stand-in window and its menus, an offer card, Today's plan, the glimmer prompt, the
practice player, the reflection, Look back, "If today was a lot…", "About these words" and
every tab of the settings.

Each window's own tests walk its other states (errors, empty days, dialogs); this one
makes sure no window of the app is left out.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget

from companion.app import App
from companion.core.settings import SupportContact
from companion.ui.about_words import CITATIONS
from tests.pseudo_walk import problems
from tests.test_app import MONDAY, close_app, local, started_app, step_to


@pytest.fixture
def app(qtbot, data_dir, pseudo_locale, house_style) -> Iterator[App]:  # type: ignore[no-untyped-def]
    a = started_app(data_dir, local(MONDAY, 9, 40))  # after the language is chosen
    yield a
    close_app(a)


def walk(qtbot, window: QWidget, allowed: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    qtbot.waitExposed(window)
    window.resize(window.size())  # laid out as shown
    return problems(window, allowed=allowed)


def test_every_window_of_the_app_is_translated_and_nothing_is_cut_off(app: App, qtbot) -> None:  # type: ignore[no-untyped-def]
    ana = SupportContact("Ana Silva", reach="0123 456 789", role="supervisor")
    app.store.update(support_contacts=(ana,))  # the People tab and the card with someone
    data = [str(app.paths.data), str(app.paths.config), ana.name, ana.reach, ana.role]
    found: dict[str, list[str]] = {}

    found["stand-in window and menus"] = walk(qtbot, app.view, data)  # type: ignore[arg-type]

    step_to(app, local(MONDAY, 9, 50))  # the first session has ended
    (card,) = app.cards.values()
    found["offer card"] = walk(qtbot, card, data)

    for intent, name in (
        (app.intents.plan, "plan"),
        (app.intents.glimmer, "glimmer"),
        (app.intents.reflect, "reflect"),
        (app.intents.settings, "settings"),
        (app.intents.support, "support"),
    ):
        intent.emit()
        found[name] = walk(qtbot, app.windows[name], data)
    app.open_about_words()
    found["about these words"] = walk(qtbot, app.windows["about-words"], [*data, *CITATIONS])

    settings = app.windows["settings"]
    tabs = settings.findChild(QTabWidget)
    assert tabs is not None and tabs.count() == 5
    for i in range(1, tabs.count()):
        tabs.setCurrentIndex(i)
        found[f"settings tab {i + 1}"] = walk(qtbot, settings, data)

    app.intents.history.emit()
    history = app.windows["history"]
    qtbot.waitUntil(lambda: getattr(history, "current", None) is not None, timeout=5000)
    found["look back"] = walk(qtbot, history, data)

    app.clock.advance(2)  # type: ignore[attr-defined]  # past the card's click guard
    assert card.main_button is not None
    card.main_button.click()
    assert app.player is not None
    found["player"] = walk(qtbot, app.player, data)

    assert {k: v for k, v in found.items() if v} == {}
