"""Settings, People tab: add, change and remove the people "If today was a lot…" shows."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from companion.core.paths import Paths, resolve_paths
from companion.core.settings import (
    MAX_SUPPORT_CONTACTS,
    Settings,
    SupportContact,
    load_settings,
)
from companion.ui.settings import SettingsWindow
from tests.pseudo_walk import problems
from tests.test_settings_window import _close_windows, make_window  # noqa: F401

ANA = SupportContact("Ana Silva", reach="0123 456 789", role="supervisor")
BEN = SupportContact("Ben", reach="ben@example.org")


@pytest.fixture
def paths() -> Paths:
    return resolve_paths().ensure()


def people_tab(qtbot: Any, paths: Paths, settings: Settings | None = None) -> SettingsWindow:
    window = make_window(qtbot, paths, settings)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentIndex(window.pages.index(window.people))
    return window


def test_the_people_tab_is_there_with_one_empty_row_to_start(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths)
    assert window.tabs.tabText(window.tabs.currentIndex()).replace("&", "") == "People"
    (row,) = window.people.rows
    assert row.values() == ("", "", "")
    assert window.people.changes() == {"support_contacts": ()}
    assert window.edits() == {}  # an empty row is not an edit


def test_typing_a_person_and_saving_keeps_them(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths)
    row = window.people.rows[0]
    row.name.setFocus()
    QTest.keyClicks(row.name, "Ana Silva ")
    QTest.keyClicks(row.role, "supervisor")
    QTest.keyClicks(row.reach, "0123 456 789")
    assert window.save()
    assert load_settings(paths.settings).support_contacts == (ANA,)


def test_add_and_remove_rows(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths, Settings(support_contacts=(ANA, BEN)))
    page = window.people
    assert [r.values()[0] for r in page.rows] == ["Ana Silva", "Ben"]
    page.add_button.click()
    assert len(page.rows) == 3 and window.focusWidget() is page.rows[2].name
    page.rows[2].name.setText("Cleo")
    page.rows[0].remove.click()  # Ana goes; the focus stays where she was
    assert [r.values()[0] for r in page.rows] == ["Ben", "Cleo"]
    assert window.focusWidget() is page.rows[0].name
    assert window.save()
    assert [p.name for p in load_settings(paths.settings).support_contacts] == ["Ben", "Cleo"]


def test_removing_the_last_person_leaves_an_empty_row_and_saves_no_one(
    qtbot: Any, paths: Paths
) -> None:
    window = people_tab(qtbot, paths, Settings(support_contacts=(ANA,)))
    window.people.rows[0].remove.click()
    assert [r.values() for r in window.people.rows] == [("", "", "")]
    assert window.save()
    assert load_settings(paths.settings).support_contacts == ()


def test_the_list_stops_at_the_limit_and_says_so(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths)
    page = window.people
    assert not page.full.isVisible()
    for i in range(MAX_SUPPORT_CONTACTS - 1):
        page.rows[-1].name.setText(f"P{i}")
        page.add_button.click()
    assert len(page.rows) == MAX_SUPPORT_CONTACTS
    assert not page.add_button.isEnabled() and page.full.isVisible()
    page.add_person()
    assert len(page.rows) == MAX_SUPPORT_CONTACTS


def test_a_person_without_a_name_is_refused_and_the_focus_goes_to_their_name(
    qtbot: Any, paths: Paths
) -> None:
    window = people_tab(qtbot, paths, Settings(support_contacts=(ANA,)))
    page = window.people
    page.add_button.click()
    page.rows[1].reach.setText("0987 654")
    window.tabs.setCurrentIndex(0)
    assert not window.save()
    assert "support_contacts" in window.error_text() and "name" in window.error_text()
    assert window.tabs.currentWidget().widget() is page
    assert window.focusWidget() is page.rows[1].name
    assert load_settings(paths.settings).support_contacts == (ANA,)  # nothing written


def test_tab_goes_through_each_row_then_add(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths, Settings(support_contacts=(ANA,)))
    page = window.people
    page.add_button.click()  # the new row is made after the button, yet comes before it
    expected = [*page.rows[0].widgets(), *page.rows[1].widgets(), page.add_button]
    page.rows[0].name.setFocus()
    seen = [window.focusWidget()]
    for _ in expected[1:]:
        QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
    assert seen == expected


def test_every_field_is_named_for_a_screen_reader(qtbot: Any, paths: Paths) -> None:
    window = people_tab(qtbot, paths, Settings(support_contacts=(ANA, BEN)))
    names = [w.accessibleName() for row in window.people.rows for w in row.widgets()]
    assert names == [
        "Name, person 1",
        "Role, person 1",
        "How to reach person 1",
        "Remove person 1",
        "Name, person 2",
        "Role, person 2",
        "How to reach person 2",
        "Remove person 2",
    ]


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_a_full_list_fits_a_small_screen_at_150_percent_in_a_longer_language(
    qtbot: Any, paths: Paths
) -> None:
    people = tuple(
        SupportContact(f"Person {i}", "0000 000 000, Tuesdays after 5", "colleague")
        for i in range(MAX_SUPPORT_CONTACTS)
    )
    window = people_tab(qtbot, paths, Settings(support_contacts=people))
    window.resize(768, 480)  # 90 % of a 1280x800 screen at 150 %
    for _ in range(3):
        QApplication.processEvents()
    allowed = [str(paths.data), *(t for p in people for t in (p.name, p.reach, p.role))]
    assert window.people.full.isVisible()
    assert problems(window, allowed=allowed) == []
    assert not window.tabs.currentWidget().horizontalScrollBar().isVisible()
