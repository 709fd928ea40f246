"""The reflection at 150 % and in the pseudo-locale (issue 12 review): the warning signs
and "Bring to supervision" wrap instead of pushing the form past its window (which has no
horizontal scroll bar, so the right edge was cut); clicking their words ticks them; "Bring
to supervision" says what goes on the page and names no command; and "Where did you feel
that moment?" says what it refers to, right under the moment of resilience."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel

from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import Paths, resolve_paths
from companion.core.records import ReflectionRecord
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.ui.reflection import ReflectionWindow
from companion.ui.reflection_parts import QUESTIONS, WARNING_LABELS

TZ = timezone(timedelta(hours=1))
THURSDAY = date(2026, 3, 12)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def make(qtbot, paths: Paths) -> ReflectionWindow:  # type: ignore[no-untyped-def]
    clock = FakeClock(at(THURSDAY, 17, 5))
    journal = Journal(paths, clock).open()
    journal.add(ReflectionRecord(at=at(THURSDAY.replace(day=2), 17), day=THURSDAY.replace(day=2)))
    win = ReflectionWindow(journal, clock, Settings(), paths, save=JournalWriter(journal).save)
    qtbot.addWidget(win)
    return win


def fits(win: ReflectionWindow) -> None:
    from tests.pseudo_walk import problems

    QApplication.processEvents()
    body = win.scroll_area.widget()
    viewport = win.scroll_area.viewport()
    # no horizontal scroll bar: the form must be no wider than what shows it
    assert body.width() <= viewport.width(), (body.width(), viewport.width())
    assert problems(win) == []


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_nothing_is_cut_on_the_right_at_the_windows_own_size(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    with qtbot.waitExposed(win):
        win.show()
    fits(win)  # as it opens (about 700 wide: a 1280x800 screen at 150 %)
    win.resize(600, 480)
    fits(win)


def test_the_warning_signs_tick_from_their_words_and_keep_their_names(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    with qtbot.waitExposed(win):
        win.show()
    for key, words in WARNING_LABELS:
        box = win.form.checks[key]
        assert isinstance(box, QCheckBox)
        assert box.accessibleName() == words
        assert box.focusPolicy() & Qt.FocusPolicy.TabFocus
        label = win.form.check_labels[key]
        assert isinstance(label, QLabel) and label.wordWrap() and label.text() == words
        assert label.buddy() is box
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
        assert box.isChecked()
        assert key in win.form.draft(win.draft()).warning_signs
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
        assert not box.isChecked()
    box = win.form.for_supervision
    qtbot.mouseClick(win.form.check_labels["for_supervision"], Qt.MouseButton.LeftButton)
    assert box.isChecked()


def test_bring_to_supervision_says_what_goes_on_the_page(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    box = win.form.for_supervision
    said = " ".join(
        [box.accessibleName(), box.accessibleDescription(), box.toolTip()]
        + [w.text() for w in win.form.findChildren(QLabel)]
    )
    assert "companion " not in said and "--" not in said  # no command for a clinician
    told = box.accessibleDescription()
    assert "set down" in told and "today" in told.lower()
    assert box.toolTip() == told


def test_where_you_felt_it_refers_to_the_moment_right_above() -> None:
    keys = [k for k, _q, _p in QUESTIONS]
    assert keys.index("body") == keys.index("resilience") + 1
    asked = dict((k, q) for k, q, _p in QUESTIONS)["body"]
    assert asked == "Where did you feel that moment?"
