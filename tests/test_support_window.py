""" "If today was a lot…": one click from the tray (and the stand-in window), the saved
people and the crisis lines, nothing asked; "About these words" from "How it works"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSlider,
    QTextEdit,
    QWidget,
)

from companion.app import App
from companion.core.paths import Paths, resolve_paths
from companion.core.settings import Settings, SupportContact, save_settings
from companion.runtime.settings_store import SettingsStore
from companion.ui.about_words import CITATIONS, AboutWordsWindow
from companion.ui.support import SupportWindow
from companion.ui.tray import Intents, build_menu
from tests.pseudo_walk import problems
from tests.test_app import MONDAY, close_app, local, started_app

ANA = SupportContact("Ana Silva", reach="0123 456 789", role="supervisor")
BEN = SupportContact("Ben", reach="ben@example.org")

_open: list[QWidget] = []


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    yield
    while _open:
        w = _open.pop()
        if shiboken6.isValid(w):
            w.close()
            w.deleteLater()


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve_paths(data_dir).ensure()


def support_window(qtbot: Any, paths: Paths, *people: SupportContact, **kw: Any) -> SupportWindow:
    if people:
        save_settings(paths.settings, Settings(support_contacts=people))
    window = SupportWindow(SettingsStore(paths.settings), **kw)
    _open.append(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown_text(root: QWidget) -> str:
    return "\n".join(
        w.text() for w in root.findChildren(QLabel) if w.isVisibleTo(root) and w.text()
    )


# --- the card ------------------------------------------------------------------------------


def test_the_card_shows_each_person_and_then_the_crisis_lines(qtbot: Any, paths: Paths) -> None:
    window = support_window(qtbot, paths, ANA, BEN)
    assert window.people_shown() == ["Ana Silva (supervisor): 0123 456 789", "Ben: ben@example.org"]
    text = shown_text(window)
    for words in ("Ana Silva", "supervisor", "0123 456 789", "Ben", "ben@example.org"):
        assert words in text
    assert text.index("ben@example.org") < text.index("In a crisis")
    for line in ("local emergency", "findahelpline.com", "988", "Samaritans, 116 123"):
        assert line in text
    assert window.edit_button.text().replace("&", "") == "Change these people…"
    assert window.focusWidget() is window.close_button


def test_it_asks_nothing(qtbot: Any, paths: Paths) -> None:
    """No field, no choice, no scale: only links and Close."""
    window = support_window(qtbot, paths, ANA)
    inputs = (
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QCheckBox,
        QRadioButton,
        QAbstractSpinBox,
        QComboBox,
        QSlider,
    )
    assert [w for w in window.findChildren(QWidget) if isinstance(w, inputs)] == []
    buttons = {b.text().replace("&", "") for b in window.findChildren(QAbstractButton)}
    assert buttons == {"Change these people…", "Open findahelpline.com", "Close"}
    assert "?" not in shown_text(window)


def test_with_no_one_saved_it_offers_to_add_people_in_settings(qtbot: Any, paths: Paths) -> None:
    window = support_window(qtbot, paths)
    assert window.people_shown() == [] and not window.people.isVisible()
    assert "No one saved yet" in shown_text(window)
    assert window.edit_button.text().replace("&", "") == "Add people…"
    with qtbot.waitSignal(window.edit_people, timeout=1000):
        window.edit_button.click()


def test_people_saved_while_it_is_open_are_shown(qtbot: Any, paths: Paths) -> None:
    window = support_window(qtbot, paths)
    window._store.update(support_contacts=(BEN,))
    assert window.people_shown() == ["Ben: ben@example.org"]
    assert "No one saved yet" not in shown_text(window)


def test_the_helpline_finder_opens_in_the_browser_only_when_chosen(
    qtbot: Any, paths: Paths
) -> None:
    opened: list[QUrl] = []
    window = support_window(qtbot, paths, open_url=opened.append)
    assert opened == []
    window.helpline_button.setFocus()
    QTest.keyClick(window.helpline_button, Qt.Key.Key_Space)
    assert [u.toString() for u in opened] == ["https://findahelpline.com"]


def test_a_settings_file_with_a_mistake_elsewhere_still_shows_the_people(
    qtbot: Any, paths: Paths
) -> None:
    save_settings(paths.settings, Settings(support_contacts=(ANA,)))
    raw = json.loads(paths.settings.read_text(encoding="utf-8"))
    raw["sound"] = "loud"
    paths.settings.write_text(json.dumps(raw), encoding="utf-8")
    window = support_window(qtbot, paths)
    assert window.people_shown() == ["Ana Silva (supervisor): 0123 456 789"]


def test_an_unreadable_settings_file_says_so_instead_of_no_one(qtbot: Any, paths: Paths) -> None:
    paths.settings.write_text("{", encoding="utf-8")
    window = support_window(qtbot, paths)
    text = shown_text(window)
    assert "cannot be shown until the settings file is fixed" in text
    assert "No one saved yet" not in text and "Samaritans" in text


def test_many_people_scroll_under_the_keys_and_the_crisis_lines_stay_in_view(
    qtbot: Any, paths: Paths
) -> None:
    people = tuple(SupportContact(f"Person {i}", "0000 000 000", "colleague") for i in range(8))
    window = support_window(qtbot, paths, *people)
    window.resize(window.width(), 300)  # too short for eight people: it scrolls
    qtbot.waitUntil(lambda: window.area.verticalScrollBar().maximum() > 0, timeout=1000)
    bar = window.area.verticalScrollBar()
    # The people scroll; the crisis lines stay in view, above Close.
    assert not window.area.isAncestorOf(window.crisis) and window.crisis.isVisible()
    assert window.crisis.geometry().bottom() < window.close_button.geometry().top()
    QTest.keyClick(window.close_button, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    QTest.keyClick(window.close_button, Qt.Key.Key_Escape)
    assert not window.isVisible()


# --- about these words -------------------------------------------------------------------


def test_about_these_words_names_the_five_terms_their_sources_and_the_debate(qtbot: Any) -> None:
    window = AboutWordsWindow()
    _open.append(window)
    window.show()
    qtbot.waitExposed(window)
    text = shown_text(window)
    terms = [label.text() for label in window.terms]
    assert terms == [
        "Secondary traumatic stress",
        "Vicarious trauma",
        "Burnout",
        "Compassion fatigue",
        "Vicarious resilience",
    ]
    assert "overlap" in text and "debate" in text
    for source in ("McCann", "Pearlman", "(1990)", "Figley", "(1995)", "Hernández", "(2007)"):
        assert source in text
    assert all(c in text for c in CITATIONS)
    bar = window.area.verticalScrollBar()
    window.resize(window.width(), 320)
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=1000)
    QTest.keyClick(window.close_button, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    QTest.keyClick(window.close_button, Qt.Key.Key_Escape)
    assert not window.isVisible()


# --- one click away --------------------------------------------------------------------------


def test_the_tray_menu_has_the_entry_and_it_emits_support(qtbot: Any) -> None:
    intents = Intents()
    menu, _practices, _resume = build_menu(intents)
    entry = menu.findChild(QAction, "menu-support")
    assert entry is not None and entry.text() == "If today was a lot…"
    assert entry in menu.actions()  # at the top level: one click once the menu is open
    with qtbot.waitSignal(intents.support, timeout=1000):
        entry.trigger()
    menu.deleteLater()


@pytest.fixture
def app(qtbot: Any, data_dir: Path) -> Iterator[App]:
    a = started_app(data_dir, local(MONDAY, 8, 30))
    yield a
    close_app(a)


def test_the_app_opens_the_card_from_the_tray_and_the_stand_in_window(app: App) -> None:
    entry = app.view.menu.findChild(QAction, "menu-support")
    entry.trigger()
    window = app.windows["support"]
    assert isinstance(window, SupportWindow) and window.isVisible()
    window.close()
    app.view.support_button.click()  # type: ignore[union-attr]  # the stand-in: one click
    assert app.windows["support"].isVisible()


def test_adding_people_from_the_card_opens_settings_at_the_people_tab(app: App) -> None:
    app.open_support()
    card = app.windows["support"]
    assert isinstance(card, SupportWindow)
    card.edit_button.click()
    settings = app.windows["settings"]
    assert settings.tabs.currentWidget().widget() is settings.people  # type: ignore[attr-defined]
    name = settings.people.rows[0].name  # type: ignore[attr-defined]
    assert settings.focusWidget() is name
    name.setText("Ana Silva")
    assert settings.save()  # type: ignore[attr-defined]
    assert card.people_shown() == ["Ana Silva"]  # the card follows what was saved


def test_how_it_works_links_to_about_these_words(app: App) -> None:
    app.open_welcome()
    welcome = app.windows["welcome"]
    welcome.intro.about_words.click()  # type: ignore[attr-defined]
    about = app.windows["about-words"]
    assert isinstance(about, AboutWordsWindow) and about.isVisible()


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_both_pages_fit_a_small_screen_at_150_percent_in_a_longer_language(
    qtbot: Any, paths: Paths
) -> None:
    people = (ANA, BEN, SupportContact("Cleo"))
    card = support_window(qtbot, paths, *people)
    about = AboutWordsWindow()
    _open.append(about)
    about.show()
    qtbot.waitExposed(about)
    allowed = [t for p in people for t in (p.name, p.reach, p.role)] + list(CITATIONS)
    for window in (card, about):
        window.resize(min(window.width(), 768), min(window.height(), 480))
        for _ in range(3):
            QApplication.processEvents()
        assert problems(window, allowed=allowed) == [], window.windowTitle()
        assert not window.area.horizontalScrollBar().isVisible()


def test_the_reflection_s_link_opens_the_card_in_the_app(app: App) -> None:
    """ "If today was a lot…" in the end-of-day reflection is one click from the people."""
    app.open_reflection()
    reflection = app.windows["reflect"]
    reflection.support_link.click()  # type: ignore[attr-defined]
    card = app.windows["support"]
    assert isinstance(card, SupportWindow) and card.isVisible()
