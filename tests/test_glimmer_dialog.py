"""The glimmer prompt: one question, one line, optional chips, Save or Skip."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord, Record
from companion.core.writer import JournalWriter, Saved, failure_line
from companion.ui.glimmer import FELT_IN, QUESTIONS, GlimmerDialog, ask_glimmer

START = datetime(2026, 3, 2, 16, 50, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def dialog(qtbot: QtBot) -> GlimmerDialog:
    d = GlimmerDialog(source="after-session", rng=random.Random(3))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_saves_the_line_and_the_chosen_chips(dialog: GlimmerDialog, qtbot: QtBot) -> None:
    assert list(dialog.chips) == list(FELT_IN)
    qtbot.keyClicks(dialog.text_edit, "Her laugh at the end")
    dialog.chips["chest"].click()
    dialog.chips["whole body"].click()
    dialog.chips["face"].click()
    dialog.chips["face"].click()  # changed my mind
    dialog.save_button.click()
    assert dialog.result_glimmer() == ("Her laugh at the end", ("chest", "whole body"))


def test_skip_saves_nothing_even_with_text(dialog: GlimmerDialog, qtbot: QtBot) -> None:
    qtbot.keyClicks(dialog.text_edit, "something")
    dialog.chips["hands"].click()
    dialog.skip_button.click()
    assert dialog.result() == GlimmerDialog.DialogCode.Rejected
    assert dialog.result_glimmer() is None


def test_escape_skips_and_enter_saves(qtbot: QtBot) -> None:
    first = GlimmerDialog(rng=random.Random(1))
    qtbot.addWidget(first)
    first.show()
    qtbot.keyClicks(first.text_edit, "the light at four")
    qtbot.keyClick(first.text_edit, Qt.Key.Key_Return)
    assert first.result_glimmer() == ("the light at four", ())

    second = GlimmerDialog(rng=random.Random(1))
    qtbot.addWidget(second)
    second.show()
    qtbot.keyClicks(second.text_edit, "not this")
    qtbot.keyClick(second, Qt.Key.Key_Escape)
    assert second.result_glimmer() is None


def test_save_waits_for_some_words(dialog: GlimmerDialog, qtbot: QtBot) -> None:
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.text_edit, "   ")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter on blank does not save an empty glimmer
    qtbot.keyClicks(dialog.text_edit, "ok")
    assert dialog.save_button.isEnabled()


@pytest.mark.parametrize("source", ["after-session", "anytime", "reflection"])
def test_the_wording_rotates_but_is_always_one_question(source: str, qtbot: QtBot) -> None:
    asked = set()
    for seed in range(40):
        d = GlimmerDialog(source=source, rng=random.Random(seed))
        qtbot.addWidget(d)
        asked.add(d.question)
        assert d.question_label.text() == d.question
        assert d.question.count("?") == 1 and d.question.endswith("?")
    assert asked == set(QUESTIONS[source])
    assert 3 <= len(asked) <= 5


def test_after_a_session_it_asks_about_that_session(qtbot: QtBot) -> None:
    d = GlimmerDialog(source="after-session", rng=random.Random(0))
    qtbot.addWidget(d)
    assert "Any glimmer from that session?" in QUESTIONS["after-session"]
    assert "session" in d.question


def test_a_small_hint_asks_for_no_client_identifiers(dialog: GlimmerDialog) -> None:
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "identify a client" in texts


def test_every_control_is_named_for_screen_readers(dialog: GlimmerDialog) -> None:
    assert dialog.text_edit.accessibleName() == dialog.question
    for chip in dialog.chips.values():
        assert chip.accessibleName().startswith("Felt it in")
        assert chip.isCheckable()
    assert dialog.save_button.accessibleName() and dialog.skip_button.accessibleName()


def test_an_unknown_source_is_refused(qtbot: QtBot) -> None:
    with pytest.raises(ValueError, match="source"):
        GlimmerDialog(source="someday")


def _answer(text: str | None, chips: tuple[str, ...] = ()) -> None:
    """Answer the dialog that ask_glimmer() is about to show."""

    def act() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, GlimmerDialog) and w.isVisible()
        )
        if text is None:
            dialog.skip_button.click()
            return
        dialog.text_edit.setText(text)
        for chip in chips:
            dialog.chips[chip].click()
        dialog.save_button.click()

    QTimer.singleShot(0, act)


def test_ask_glimmer_journals_what_was_saved(qtbot: QtBot) -> None:
    clock = FakeClock(START)
    journal = Journal(resolve_paths().ensure(), clock).open()
    _answer("A colleague checked in on me", ("shoulders",))
    record = ask_glimmer(None, JournalWriter(journal).save, clock, "anytime")
    assert record is not None
    assert journal.query(GlimmerRecord) == [record]
    assert (record.text, record.felt_in, record.source) == (
        "A colleague checked in on me",
        ("shoulders",),
        "anytime",
    )
    assert record.at == START
    assert record.practice_id is None


def test_ask_glimmer_skipped_journals_nothing(qtbot: QtBot) -> None:
    clock = FakeClock(START)
    journal = Journal(resolve_paths().ensure(), clock).open()
    _answer(None)
    assert ask_glimmer(None, JournalWriter(journal).save, clock, "reflection") is None
    assert journal.query(GlimmerRecord) == []


# --- saving by itself -------------------------------------------------------------------------


class _FlakyDisk:
    """A save that refuses while the disk is full, then writes to the journal."""

    def __init__(self, journal: Journal) -> None:
        self.full = True
        self.writer = JournalWriter(journal)
        self.tried = 0

    def __call__(self, record: Record) -> Saved:
        self.tried += 1
        if self.full:
            return Saved(False, failure_line("No space left on device"))
        return self.writer.save(record)


def test_a_glimmer_that_cannot_be_saved_stays_with_its_words_and_can_be_saved_again(
    qtbot: QtBot,
) -> None:
    clock = FakeClock(START)
    journal = Journal(resolve_paths().ensure(), clock).open()
    save = _FlakyDisk(journal)
    dialog = GlimmerDialog(
        source="reflection", rng=random.Random(0), save=save, clock=clock, practice_id="p1"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.error.isHidden()
    qtbot.keyClicks(dialog.text_edit, "The quiet after the last client")
    dialog.chips["belly"].click()
    qtbot.keyClick(dialog.text_edit, Qt.Key.Key_Return)  # Enter saves, as Save does
    assert save.tried == 1
    assert dialog.isVisible(), "the prompt closed and the words were lost"
    assert dialog.result() != GlimmerDialog.DialogCode.Accepted
    assert dialog.text_edit.text() == "The quiet after the last client"
    assert dialog.felt_in() == ("belly",)
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Not saved: No space left on device.")
    assert dialog.save_button.isEnabled()
    assert dialog.record is None and journal.query(GlimmerRecord) == []
    save.full = False
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert dialog.result() == GlimmerDialog.DialogCode.Accepted
    [record] = journal.query(GlimmerRecord)
    assert dialog.record == record
    assert (record.text, record.felt_in, record.source, record.practice_id) == (
        "The quiet after the last client",
        ("belly",),
        "reflection",
        "p1",
    )
    assert record.at == START


def test_ask_glimmer_keeps_the_prompt_open_while_the_save_fails(qtbot: QtBot) -> None:
    clock = FakeClock(START)
    journal = Journal(resolve_paths().ensure(), clock).open()
    save = _FlakyDisk(journal)
    seen: list[str] = []

    def act() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, GlimmerDialog) and w.isVisible()
        )
        dialog.text_edit.setText("A kind word from reception")
        dialog.save_button.click()  # refused: the dialog stays, words and all
        seen.append(dialog.error.text() if dialog.isVisible() else "closed")
        save.full = False
        dialog.save_button.click()

    QTimer.singleShot(0, act)
    record = ask_glimmer(None, save, clock, "anytime")
    assert seen and seen[0].startswith("Not saved:")
    assert record is not None and journal.query(GlimmerRecord) == [record]
    assert record.text == "A kind word from reception"


# --- under the pseudo-locale -------------------------------------------------------------------


@pytest.mark.parametrize("source", ["after-session", "anytime", "reflection"])
def test_the_prompt_is_translated_and_nothing_is_cut_off(
    pseudo_locale: None, house_style: None, qtbot: QtBot, source: str
) -> None:
    from tests.pseudo_walk import problems

    clock = FakeClock(START)
    save = _FlakyDisk(Journal(resolve_paths().ensure(), clock).open())
    dialog = GlimmerDialog(source=source, rng=random.Random(2), save=save, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.question.startswith("⟦")
    assert all(chip.text().startswith("⟦") for chip in dialog.chips.values())
    assert problems(dialog) == []
    dialog.text_edit.setText("words")
    dialog.save_button.click()  # with its calm line showing
    assert dialog.error.isVisible()
    QApplication.processEvents()
    assert problems(dialog, allowed=["words"]) == []
    # The window grew for the new line instead of squeezing the rows together.
    assert dialog.height() >= dialog.heightForWidth(dialog.width())
