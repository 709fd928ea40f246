"""Bring a glimmer to supervision (issue 12, item 6): the prompt has a "Bring to
supervision" box, reached from the keyboard, and the flag is kept with the glimmer."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.cli import main
from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord
from companion.core.writer import JournalWriter
from companion.ui.glimmer import GlimmerDialog, make_glimmer_record

START = datetime(2026, 3, 2, 16, 50, tzinfo=timezone(timedelta(hours=1)))


def test_the_flag_is_reached_by_tab_and_saved(qtbot: QtBot, tmp_path: Path) -> None:
    clock = FakeClock(START)
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    dialog = GlimmerDialog(
        source="after-session", rng=random.Random(2), save=JournalWriter(journal).save, clock=clock
    )
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text_edit)
    assert dialog.for_supervision.accessibleName() == "Bring to supervision"
    assert not dialog.for_supervision.isChecked()  # never flagged by default
    qtbot.keyClicks(dialog.text_edit, "she trusted the silence")
    for _n in range(len(dialog.chips) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.for_supervision
    qtbot.keyClick(dialog.for_supervision, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.for_supervision, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.save_button
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    [stored] = journal.query(GlimmerRecord)
    assert stored.text == "she trusted the silence" and stored.for_supervision


def test_a_dialog_without_save_hands_the_flag_over(qtbot: QtBot) -> None:
    dialog = GlimmerDialog(rng=random.Random(1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.text_edit, "warm tea")
    dialog.for_supervision.setChecked(True)
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    record = make_glimmer_record(dialog, FakeClock(START))
    assert record is not None and record.for_supervision


def test_companion_glimmer_supervision(data_dir: Path) -> None:
    assert main(["glimmer", "--supervision", "the", "door", "held"]) == 0
    assert main(["glimmer", "unmarked"]) == 0
    journal = Journal(resolve_paths(data_dir), FakeClock(START)).open()
    got = {g.text: g.for_supervision for g in journal.query(GlimmerRecord)}
    assert got == {"the door held": True, "unmarked": False}
