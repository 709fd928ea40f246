"""The reflection fits a tired minute (issue 12, item 5): everything optional, saved empty,
with one line or in full from the keyboard; what went well and your part in it; resilience
"if any, big or small"; "not sure" and "numb" for where it was felt; a word to set down;
hyperarousal and worldview in the check-in; "What keeps you in this work?" once a month;
the opt-in ProQOL line; and "If today was a lot…" asking the app for its Support window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import Paths, resolve_paths
from companion.core.records import ReflectionRecord, from_doc, to_doc
from companion.core.reflection_drafts import ReflectionDraftStore
from companion.core.settings import Settings
from companion.core.writer import JournalWriter
from companion.i18n import _
from companion.ui import reflection_form
from companion.ui.reflection import ReflectionWindow
from companion.ui.reflection_parts import KEEPS_ME, QUESTIONS, SLIDERS, WARNING_LABELS

TZ = timezone(timedelta(hours=1))
THURSDAY = date(2026, 3, 12)  # not the weekly day (Friday), not the month's first day


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def journal_with(paths: Paths, *records: ReflectionRecord, day: date = THURSDAY) -> Journal:
    journal = Journal(paths, FakeClock(at(day, 17, 5))).open()
    for r in records:
        journal.add(r)
    return journal


def earlier_this_month(day: date = THURSDAY) -> ReflectionRecord:
    return ReflectionRecord(at=at(day.replace(day=2), 17), day=day.replace(day=2), energy=5)


def make(qtbot, paths: Paths, journal: Journal | None = None, **kw) -> ReflectionWindow:  # type: ignore[no-untyped-def]
    journal = journal or journal_with(paths, earlier_this_month())
    clock = kw.pop("clock", None) or FakeClock(at(THURSDAY, 17, 5))
    settings = kw.pop("settings", Settings())
    win = ReflectionWindow(journal, clock, settings, paths, save=JournalWriter(journal).save, **kw)
    qtbot.addWidget(win)
    return win


def shown(qtbot, win: ReflectionWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitExposed(win):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.fields["went_well"])


def saved(paths: Paths) -> list[ReflectionRecord]:
    return Journal(paths, FakeClock(at(THURSDAY, 20))).query(ReflectionRecord, THURSDAY, THURSDAY)


# --- the words asked ----------------------------------------------------------------------------


def test_the_questions_ask_what_went_well_and_allow_a_day_without_resilience() -> None:
    asked = {key: question for key, question, _p in QUESTIONS}
    assert asked["went_well"] == "What went well today, and your part in it?"
    assert "if any, big or small" in asked["resilience"]
    assert asked["set_down"] == "Anything to set down before you go? (a word, no details)"
    assert "did_well" not in asked  # "one thing you did well" read like an appraisal
    signs = dict(WARNING_LABELS)
    assert {"hyperarousal", "worldview"} <= set(signs)
    # our own words: none of the phrasing of the ProQOL or the STSS items
    for borrowed in ("jumpy", "on edge", "startled", "easily annoyed"):
        assert all(borrowed not in label.lower() for label in signs.values())


def test_a_tired_minute_is_enough(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    """Count the words asked. The required minimum is nothing; a short answer to every
    line still fits a minute: reading every question at 240 words a minute (an adult's
    silent reading) and typing the answers at 40 words a minute."""
    win = make(qtbot, paths, journal=journal_with(paths))  # the month's first: all shown
    assert win.monthly
    questions = [w.accessibleName() for w in win.fields.values()]
    questions += [_(q) for _k, q, *_rest in SLIDERS] + [_(w) for _k, w in WARNING_LABELS]
    read_words = sum(len(q.split()) for q in questions)
    required: list[str] = []  # nothing is required
    short_fill = [
        "a good hour with a new client, I listened",
        "she kept going",
        "shoulders",
        "Tuesday",
    ]
    typed_words = sum(len(a.split()) for a in short_fill)
    assert len(required) == 0
    assert read_words / 240 * 60 + typed_words / 40 * 60 < 60, (read_words, typed_words)


# --- saved empty, with one line, in full --------------------------------------------------------


def test_saved_empty_with_ctrl_enter(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    shown(qtbot, win)
    with qtbot.waitSignal(win.saved):
        qtbot.keyClick(
            win.fields["went_well"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    [stored] = saved(paths)
    assert not stored.skipped and stored.went_well == stored.resilience == ""
    assert stored.felt_in == () and stored.still_with_me is None and not stored.for_supervision
    assert not win.isVisible()


def test_one_line_and_enter(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    shown(qtbot, win)
    qtbot.keyClicks(win.fields["went_well"], "I stayed with the silence, and it helped")
    with qtbot.waitSignal(win.saved):
        qtbot.keyClick(win.fields["went_well"], Qt.Key.Key_Return)
    [stored] = saved(paths)
    assert stored.went_well == "I stayed with the silence, and it helped"
    assert stored.resilience == "" and stored.warning_signs == ()


def test_enter_in_the_last_line_saves_too(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    shown(qtbot, win)
    win.fields["set_down"].setFocus()
    qtbot.keyClicks(win.fields["set_down"], "Friday")
    with qtbot.waitSignal(win.saved):
        qtbot.keyClick(win.fields["set_down"], Qt.Key.Key_Return)
    assert saved(paths)[0].set_down == "Friday"


def test_in_full_and_it_comes_back(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    journal = journal_with(paths)
    win = make(qtbot, paths, journal=journal)
    assert win.monthly
    win.fields["went_well"].setText("a steady session")
    win.fields["resilience"].setText("he asked for help")
    win.chips["not sure"].setChecked(True)
    win.chips["numb"].setChecked(True)
    win.fields["body"].setText("flat, then warmer")
    win.fields["set_down"].setText("tuesday")
    win.fields["keeps_me"].setText("people change")
    win.sliders["still_with_me"].slider.setValue(7)
    win.checks["hyperarousal"].setChecked(True)
    win.checks["worldview"].setChecked(True)
    win.for_supervision.setChecked(True)
    record = win.save()
    assert record is not None
    [stored] = saved(paths)
    assert stored == record
    assert (stored.went_well, stored.resilience, stored.body) == (
        "a steady session",
        "he asked for help",
        "flat, then warmer",
    )
    assert stored.felt_in == ("not sure", "numb")
    assert (stored.set_down, stored.keeps_me) == ("tuesday", "people change")
    assert stored.warning_signs == ("hyperarousal", "worldview")
    assert stored.still_with_me == 7 and stored.for_supervision
    assert from_doc(to_doc(stored)) == stored

    again = make(qtbot, paths, journal=journal)  # reopened the same day: today's answers
    assert again.fields["keeps_me"].text() == "people change"
    assert again.chips["numb"].isChecked() and again.for_supervision.isChecked()


def test_the_new_answers_are_kept_in_the_draft(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    win.fields["went_well"].setText("lunch outside")
    win.chips["numb"].setChecked(True)
    win.fields["set_down"].setText("the file")
    win.for_supervision.setChecked(True)
    win.save_draft()
    draft = ReflectionDraftStore(paths).load(THURSDAY)
    assert draft is not None and draft.went_well == "lunch outside" and draft.felt_in == ("numb",)
    win.close()
    again = make(qtbot, paths)
    assert again.fields["went_well"].text() == "lunch outside"
    assert again.fields["set_down"].text() == "the file"
    assert again.chips["numb"].isChecked() and again.for_supervision.isChecked()


def test_an_old_reflection_still_loads_and_keeps_its_answer(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    old = {
        "type": "reflection",
        "id": "abc",
        "at": at(THURSDAY, 17).isoformat(),
        "day": THURSDAY.isoformat(),
        "resilience": "a client kept a boundary",
        "body": "chest",
        "did_well": "I slowed down",
        "still_with_me": 4,
        "warning_signs": ["intrusion"],
    }
    record = from_doc(old)
    assert isinstance(record, ReflectionRecord)
    assert record.did_well == "I slowed down" and record.went_well == "" and record.felt_in == ()
    journal = journal_with(paths, earlier_this_month(), record)
    win = make(qtbot, paths, journal=journal)
    assert win.fields["resilience"].text() == "a client kept a boundary"
    resaved = win.save()
    assert resaved is not None and resaved.did_well == "I slowed down"  # not lost on a resave


# --- once a month -------------------------------------------------------------------------------


def test_what_keeps_you_in_this_work_comes_once_a_month(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    first = make(qtbot, paths, journal=journal_with(paths))
    assert first.monthly and "keeps_me" in first.fields
    labels = [w.text() for w in first.form.findChildren(reflection_form.QLabel)]
    assert _(KEEPS_ME) in labels
    first.close()
    later = make(qtbot, paths, journal=journal_with(paths, earlier_this_month()))
    assert not later.monthly and "keeps_me" not in later.fields
    # the month's reflections do not hold back next month's question
    from companion.core import insights

    march = [earlier_this_month(), ReflectionRecord(at=at(THURSDAY, 17), day=THURSDAY)]
    assert insights.first_of_the_month(march, date(2026, 4, 1))
    assert not insights.first_of_the_month(march, date(2026, 3, 31))


def test_the_month_s_question_is_not_asked_again_at_the_end_of_a_long_month(
    qtbot, paths: Paths
) -> None:  # type: ignore[no-untyped-def]
    """On the 31st, a reflection saved on the 2nd is 29 days back: further than the four
    weeks the window reads for its note, but still this month."""
    last = date(2026, 3, 31)
    journal = journal_with(paths, earlier_this_month(last), day=last)
    win = make(qtbot, paths, journal=journal, clock=FakeClock(at(last, 17, 5)))
    assert not win.monthly and "keeps_me" not in win.fields


def test_the_proqol_line_only_when_asked_and_only_monthly(qtbot, paths: Paths, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(reflection_form, "open_url", opened.append)
    off = make(qtbot, paths, journal=journal_with(paths))
    assert off.form.proqol_button is None
    asked = Settings(proqol_reminder=True)
    on = make(qtbot, paths, journal=journal_with(paths), settings=asked)
    assert on.form.proqol_button is not None
    assert on.form.proqol_button.accessibleName()
    qtbot.mouseClick(on.form.proqol_button, Qt.MouseButton.LeftButton)
    assert opened == ["https://proqol.org"]
    not_first = make(
        qtbot, paths, journal=journal_with(paths, earlier_this_month()), settings=asked
    )
    assert not_first.form.proqol_button is None


# --- If today was a lot… ------------------------------------------------------------------------


def test_if_today_was_a_lot_asks_for_support_from_the_keyboard(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    win = make(qtbot, paths)
    shown(qtbot, win)
    assert win.support_link.text() == "If today was a lot…"
    assert win.support_link.accessibleName()
    for _n in range(40):
        if QApplication.focusWidget() is win.support_link:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is win.support_link
    with qtbot.waitSignal(win.support_requested):
        qtbot.keyClick(win.support_link, Qt.Key.Key_Space)
    assert win.isVisible() and saved(paths) == []  # it asks nothing and saves nothing


def test_the_gentle_note_offers_the_same_support(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    strained = [
        ReflectionRecord(
            at=at(THURSDAY - timedelta(days=n), 17),
            day=THURSDAY - timedelta(days=n),
            still_with_me=8,
        )
        for n in range(1, 6)
    ]
    win = make(qtbot, paths, journal=journal_with(paths, *strained))
    assert win.note_frame.isVisibleTo(win)
    assert win.note_support.text() == "If today was a lot…"
    with qtbot.waitSignal(win.support_requested):
        qtbot.mouseClick(win.note_support, Qt.MouseButton.LeftButton)


# --- the pseudo-locale and 150 % ----------------------------------------------------------------


@pytest.mark.usefixtures("pseudo_locale", "house_style")
def test_every_new_word_is_marked_and_whole_in_a_small_window(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    from tests.pseudo_walk import problems

    first = date(2026, 4, 1)  # the month's first reflection, after a strained March
    strained = [
        ReflectionRecord(
            at=at(first - timedelta(days=n), 17), day=first - timedelta(days=n), still_with_me=8
        )
        for n in range(1, 6)
    ]
    journal = journal_with(paths, *strained, day=first)
    clock = FakeClock(at(first, 17, 5))
    asked = Settings(proqol_reminder=True)
    win = make(qtbot, paths, journal=journal, settings=asked, clock=clock)
    assert win.monthly and win.form.proqol_button is not None
    assert win.note_frame.isVisibleTo(win)
    win.chips["numb"].setChecked(True)
    with qtbot.waitExposed(win):
        win.show()
    win.resize(768, 480)  # 90 % of a 1280x800 screen at 150 %
    QApplication.processEvents()
    assert problems(win) == []
    assert not win.scroll_area.horizontalScrollBar().isVisible()
