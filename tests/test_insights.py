"""Summaries and the end-of-day rules, at full speed with a fake clock."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from companion.core import insights
from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    NoteShownRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
)

TZ = timezone(timedelta(hours=1))
FRIDAY = date(2026, 3, 6)  # a Friday


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


def reflection(day: date, **kw: object) -> ReflectionRecord:
    return ReflectionRecord(at=at(day, 17, 30), day=day, **kw)  # type: ignore[arg-type]


def offer(day: date, hh: int, outcome: str = "taken") -> OfferRecord:
    return OfferRecord(
        at=at(day, hh, 50),
        window_start=at(day, hh, 50),
        window_end=at(day, hh, 59),
        outcome=outcome,
    )


def practice(day: date, hh: int, seconds: int = 300, *, before=None, after=None, ex="box-5"):
    return PracticeRecord(
        at=at(day, hh, 51),
        exercise=ex,
        planned_seconds=seconds,
        actual_seconds=seconds,
        completed=True,
        rating_before=before,
        rating_after=after,
    )


@dataclass(frozen=True)
class S:
    start: datetime
    end: datetime


# --- round trips ------------------------------------------------------------------------------


def test_every_record_the_reflection_writes_round_trips(tmp_path: Path) -> None:
    clock = FakeClock(at(FRIDAY, 17, 30))
    journal = Journal(resolve_paths(tmp_path / "d"), clock).open()
    written: list[Record] = [
        reflection(
            FRIDAY,
            resilience="she kept a boundary she had been afraid to set",
            body="warmth behind the breastbone",
            did_well="I took my lunch outside",
            still_with_me=7,
            energy=3,
            connected=8,
            warning_signs=("intrusion", "body"),
            supervision="not-needed",
        ),
        reflection(FRIDAY - timedelta(days=1), skipped=True),
        NoteShownRecord(at=at(FRIDAY, 17, 31), note="a line", dismissed=False),
        NoteShownRecord(at=at(FRIDAY, 17, 32), note="a line", dismissed=True),
        GlimmerRecord(at=at(FRIDAY, 17, 33), text="a laugh", source="reflection"),
    ]
    for r in written:
        journal.add(r)
    again = Journal(resolve_paths(tmp_path / "d"), clock).open()
    back = again.query(None, FRIDAY - timedelta(days=1), FRIDAY)
    assert sorted(back, key=lambda r: r.id) == sorted(written, key=lambda r: r.id)


# --- today at a glance ------------------------------------------------------------------------


def test_day_glance_counts_the_day_and_prefers_live_counts() -> None:
    day = FRIDAY
    records: list[Record] = [
        DaySummaryRecord(at=at(day, 12), sessions=3, heavy=1),
        DaySummaryRecord(at=at(day, 18), sessions=6, heavy=2),
        offer(day, 9),
        offer(day, 10, "skipped"),
        offer(day, 11, "missed"),
        practice(day, 9, 300),
        practice(day, 11, 150),
        GlimmerRecord(at=at(day, 14), text="later"),
        GlimmerRecord(at=at(day, 10), text="earlier"),
        GlimmerRecord(at=at(day - timedelta(days=1), 10), text="yesterday"),
        offer(day - timedelta(days=1), 9),
    ]
    g = insights.day_glance(records, day)
    assert (g.sessions, g.heavy) == (6, 2)
    assert (g.offered, g.taken) == (3, 1)
    assert (g.practices, g.practice_minutes) == (2, 8)  # 7.5 min rounds to 8
    assert [x.text for x in g.glimmers] == ["earlier", "later"]

    live = insights.day_glance(records, day, live_sessions=7, live_heavy=3)
    assert (live.sessions, live.heavy) == (7, 3)
    empty = insights.day_glance([], day)
    assert (empty.sessions, empty.heavy, empty.offered, empty.glimmers) == (None, None, 0, ())


# --- the week ---------------------------------------------------------------------------------


def test_week_summary_heavy_share_against_the_limit_and_trend() -> None:
    records: list[Record] = []
    for n in range(7):
        day = FRIDAY - timedelta(days=n)
        if day.weekday() < 5:
            records.append(DaySummaryRecord(at=at(day, 18), sessions=6, heavy=3))
            records.append(reflection(day, still_with_me=6, energy=4, connected=8))
        prev = day - timedelta(days=7)
        records.append(reflection(prev, still_with_me=4, energy=6, connected=8))
    records.append(GlimmerRecord(at=at(FRIDAY, 11), text="g"))
    records.append(practice(FRIDAY, 10, 600))
    records.append(offer(FRIDAY, 10))
    records.append(offer(FRIDAY, 11, "ignored"))

    week = insights.week_summary(records, FRIDAY, 50)
    assert (week.start, week.end) == (FRIDAY - timedelta(days=6), FRIDAY)
    assert (week.sessions, week.heavy, week.heavy_share) == (30, 15, 50.0)
    assert not week.over_limit
    assert (week.glimmers, week.practices, week.practice_minutes) == (1, 1, 10)
    assert (week.offered, week.taken, week.reflections) == (2, 1, 5)
    still = week.trends[0]
    assert still.key == "still_with_me"
    assert (still.mean, still.previous) == (6.0, 4.0)
    assert len(still.values) == 7 and still.values.count(None) == 2

    # today's live count tips the week over the limit
    over = insights.week_summary(records, FRIDAY, 50, live_sessions=6, live_heavy=6)
    assert over.heavy == 18 and over.over_limit


def test_week_without_sessions_has_no_share() -> None:
    week = insights.week_summary([], FRIDAY, 40)
    assert week.heavy_share is None and not week.over_limit
    assert all(t.mean is None and t.previous is None for t in week.trends)


# --- the weekly day ---------------------------------------------------------------------------


def test_weekly_day_is_the_chosen_weekday() -> None:
    assert insights.is_weekly_day(FRIDAY, 4)
    assert not insights.is_weekly_day(FRIDAY, 3)
    assert insights.week_review_due(FRIDAY, 4, [])
    # the day before the weekly day, with reflections since last Friday: not due
    thursday = FRIDAY - timedelta(days=1)
    assert not insights.week_review_due(thursday, 4, [reflection(FRIDAY - timedelta(days=7))])
    assert insights.last_weekly_day(thursday, 4) == FRIDAY - timedelta(days=7)
    for wd in range(7):
        assert insights.is_weekly_day(insights.last_weekly_day(FRIDAY, wd), wd)


def test_a_missed_weekly_day_carries_to_the_next_reflection_only() -> None:
    monday = FRIDAY + timedelta(days=3)
    wednesday = [reflection(FRIDAY - timedelta(days=2))]
    # Friday passed with no reflection at all after a week with some: the week comes Monday
    assert insights.week_review_due(monday, 4, wednesday)
    # ... not for someone who only just started (nothing the week before)
    assert not insights.week_review_due(monday, 4, [])
    # ... not once Friday had a reflection, saved or skipped
    assert not insights.week_review_due(monday, 4, [*wednesday, reflection(FRIDAY)])
    assert not insights.week_review_due(monday, 4, [*wednesday, reflection(FRIDAY, skipped=True)])
    # ... and not on Tuesday once Monday carried it
    tuesday = monday + timedelta(days=1)
    assert not insights.week_review_due(tuesday, 4, [*wednesday, reflection(monday)])
    # a reflection today does not stop today's own week section
    assert insights.week_review_due(FRIDAY, 4, [reflection(FRIDAY)])


# --- the pattern note -------------------------------------------------------------------------


def _last_seven(high: int, *, end: date = FRIDAY) -> list[ReflectionRecord]:
    out = []
    for n in range(7):
        day = end - timedelta(days=n)
        out.append(reflection(day, still_with_me=7 if n < high else 6))
    return out


def test_pattern_still_with_me_three_of_seven_is_quiet_four_speaks() -> None:
    assert insights.pattern_note(_last_seven(3), [], FRIDAY) is None
    note = insights.pattern_note(_last_seven(4), [], FRIDAY)
    assert note is not None and note.still_with_me and not note.warning_signs
    assert (note.still_with_me_high, note.considered) == (4, 7)
    assert "4 of your last 7" in note.summary


def test_pattern_counts_only_the_last_seven_saved_reflections() -> None:
    # four high ones, then seven ordinary ones after them: the high ones fell out
    old = [reflection(FRIDAY - timedelta(days=10 + n), still_with_me=9) for n in range(4)]
    assert insights.pattern_note([*old, *_last_seven(0)], [], FRIDAY) is None
    # skipped days do not count as reflections, nor push high ones out
    skipped = [reflection(FRIDAY - timedelta(days=n), skipped=True) for n in range(3)]
    high = [reflection(FRIDAY - timedelta(days=3 + n), still_with_me=8) for n in range(4)]
    note = insights.pattern_note([*skipped, *high], [], FRIDAY)
    assert note is not None and (note.still_with_me_high, note.considered) == (4, 4)
    # ... but a stretch older than the horizon does not surface
    stale = [reflection(FRIDAY - timedelta(days=21 + n), still_with_me=9) for n in range(7)]
    assert insights.pattern_note(stale, [], FRIDAY) is None
    # a later reflection the same day replaces the earlier one
    redo = ReflectionRecord(at=at(FRIDAY, 19), day=FRIDAY, still_with_me=2)
    assert insights.pattern_note([*_last_seven(4), redo], [], FRIDAY) is None


def test_pattern_warning_families_on_most_days_of_the_week() -> None:
    def week(flagged: int, reflected: int, families=("intrusion", "body")):
        return [
            reflection(FRIDAY - timedelta(days=n), warning_signs=families if n < flagged else ())
            for n in range(reflected)
        ]

    assert insights.pattern_note(week(2, 3), [], FRIDAY) is None  # too few days to be "most"
    assert insights.pattern_note(week(3, 6), [], FRIDAY) is None  # half is not most
    assert insights.pattern_note(week(3, 7, ("body",)), [], FRIDAY) is None  # one family
    note = insights.pattern_note(week(3, 5), [], FRIDAY)
    assert note is not None and note.warning_signs and not note.still_with_me
    assert "3 of 5 days" in note.summary
    assert insights.pattern_note(week(4, 7), [], FRIDAY) is not None
    # older than seven days does not count
    late = [reflection(FRIDAY - timedelta(days=7 + n), warning_signs=("a", "b")) for n in range(5)]
    assert insights.pattern_note(late, [], FRIDAY) is None


def test_pattern_note_at_most_once_a_week() -> None:
    refs = _last_seven(5)
    shown = NoteShownRecord(at=at(FRIDAY - timedelta(days=6), 17, 40), note="x")
    assert insights.pattern_note(refs, [shown], FRIDAY) is None  # six days ago
    week_ago = NoteShownRecord(at=at(FRIDAY - timedelta(days=7), 17, 40), note="x")
    assert insights.pattern_note(refs, [week_ago], FRIDAY) is not None
    today = NoteShownRecord(at=at(FRIDAY, 17, 40), note="x", dismissed=True)
    assert insights.pattern_note(refs, [today], FRIDAY) is None


def test_pattern_note_once_a_week_over_a_month_of_high_days() -> None:
    """Day by day through a strained month: the note comes back every seven days, no sooner."""
    refs: list[ReflectionRecord] = []
    notes: list[NoteShownRecord] = []
    shown_on: list[date] = []
    start = date(2026, 3, 2)
    for n in range(28):
        day = start + timedelta(days=n)
        refs.append(reflection(day, still_with_me=8))
        if insights.pattern_note(refs, notes, day):
            notes.append(NoteShownRecord(at=at(day, 17, 45), note="x"))
            shown_on.append(day)
    assert shown_on == [start + timedelta(days=d) for d in (3, 10, 17, 24)]


# --- when the reflection opens ----------------------------------------------------------------


def _day_sessions(day: date, hours=(9, 10, 11, 13, 14, 15, 16)) -> list[S]:
    return [S(at(day, h), at(day, h, 50)) for h in hours]


# --- history ----------------------------------------------------------------------------------


def test_periods_weeks_and_months() -> None:
    week = insights.period_containing("week", FRIDAY)
    assert (week.start, week.end) == (date(2026, 3, 2), date(2026, 3, 8))
    assert week.shifted(-1).start == date(2026, 2, 23)
    weeks = insights.period_weeks(week)
    assert len(weeks) == 8 and weeks[-1] == week.start and all(w.weekday() == 0 for w in weeks)
    month = insights.period_containing("month", date(2026, 12, 31))
    assert (month.start, month.end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month.shifted(1) == insights.Period("month", date(2027, 1, 1), date(2027, 1, 31))
    assert month.shifted(-10).start == date(2026, 2, 1) and month.shifted(-10).end.day == 28
    mweeks = insights.period_weeks(month)
    assert mweeks[0] == date(2026, 11, 30) and mweeks[-1] == date(2026, 12, 28)
    assert insights.history_range(week) == (weeks[0], week.end)


def test_history_series_for_a_week_and_a_month() -> None:
    records: list[Record] = []
    monday = date(2026, 3, 2)
    for n in range(5):
        day = monday + timedelta(days=n)
        records += [
            DaySummaryRecord(at=at(day, 18), sessions=4, heavy=n % 3),
            offer(day, 9),
            offer(day, 10, "skipped"),
            practice(day, 9, 240, before=6, after=3),
            GlimmerRecord(at=at(day, 12), text=f"g{n}"),
            reflection(day, still_with_me=n, energy=5, connected=9),
        ]
    records.append(GlimmerRecord(at=at(monday - timedelta(days=3), 12), text="last week"))
    week = insights.period_containing("week", monday)
    h = insights.history(records, week, 50, today=monday + timedelta(days=4), live_sessions=8)
    assert h.practice_minutes == (4.0,) * 5 + (0.0, 0.0)
    assert h.checkins["still_with_me"] == (0.0, 1.0, 2.0, 3.0, 4.0, None, None)
    assert h.glimmers_per_week[-2:] == (1, 5)
    assert h.breaks_offered == (2,) * 5 + (0, 0) and h.breaks_taken == (1,) * 5 + (0, 0)
    # heavy 0+1+2+0+1 = 4; Friday's live count (8 sessions, 0 heavy) replaces its record
    assert h.sessions_per_week[-1] == 4 * 4 + 8
    assert h.heavy_share_per_week[-1] == pytest.approx(100 * 3 / 24)
    assert h.heavy_share_per_week[0] is None
    assert not h.is_empty

    month = insights.history(records, insights.period_containing("month", monday), 50)
    assert len(month.days) == 31 and len(month.weeks) == 6
    assert month.break_labels == month.weeks
    assert month.breaks_offered[1] == 10 and month.breaks_taken[1] == 5
    assert insights.history([], week, 50).is_empty


# --- the glimmer jar --------------------------------------------------------------------------


def test_reminder_is_an_older_glimmer() -> None:
    today = FRIDAY
    glimmers = [
        GlimmerRecord(at=at(today, 10), text="today"),
        GlimmerRecord(at=at(today - timedelta(days=2), 10), text="two days"),
    ]
    rng = random.Random(1)
    assert insights.pick_reminder(glimmers, today, rng).text == "two days"  # type: ignore[union-attr]
    glimmers.append(GlimmerRecord(at=at(today - timedelta(days=40), 10), text="long ago"))
    picks = {insights.pick_reminder(glimmers, today, rng).text for _ in range(20)}  # type: ignore[union-attr]
    assert picks == {"long ago"}
    assert insights.pick_reminder(glimmers[:1], today) is None


def test_search_is_newest_first_and_matches_every_word() -> None:
    g = [
        GlimmerRecord(at=at(FRIDAY, 9), text="A shared laugh", felt_in=("chest",)),
        GlimmerRecord(at=at(FRIDAY, 11), text="she laughed at last"),
        GlimmerRecord(at=at(FRIDAY, 10), text="quiet"),
    ]
    assert [x.text for x in insights.search_glimmers(g, "")] == [
        "she laughed at last",
        "quiet",
        "A shared laugh",
    ]
    assert [x.text for x in insights.search_glimmers(g, "LAUGH")] == [
        "she laughed at last",
        "A shared laugh",
    ]
    assert [x.text for x in insights.search_glimmers(g, "laugh chest")] == ["A shared laugh"]
