"""Look back in words: the summary a person reads above the charts, for a constructed
journal, and what helped per starting state (flat-and-lower never scores as help)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from companion.core import insights, lookback
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    OfferRecord,
    PracticeRecord,
    Record,
)

TZ = timezone(timedelta(hours=1))
MONDAY = date(2026, 3, 2)
WEEK = insights.period_containing("week", MONDAY)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


def offer(day: date, hh: int, outcome: str) -> OfferRecord:
    return OfferRecord(
        at=at(day, hh), window_start=at(day, hh), window_end=at(day, hh, 9), outcome=outcome
    )


def practice(
    ex: str = "box-5", *, seconds: int = 300, day: date = MONDAY, **kw: object
) -> PracticeRecord:
    return PracticeRecord(
        at=at(day, 10),
        exercise=ex,
        planned_seconds=seconds,
        actual_seconds=seconds,
        completed=True,
        **kw,  # type: ignore[arg-type]
    )


def journal_week() -> list[Record]:
    """23 sessions (6 heavy), 17 breaks offered (9 taken), 4 glimmers, 5 practices."""
    out: list[Record] = []
    sessions = [(5, 2), (5, 1), (4, 1), (5, 2), (4, 0)]
    for n, (s, h) in enumerate(sessions):
        day = MONDAY + timedelta(days=n)
        out.append(DaySummaryRecord(at=at(day, 18), sessions=s, heavy=h))
    for k in range(17):
        out.append(
            offer(MONDAY + timedelta(days=k % 5), 9 + k // 5, "taken" if k < 9 else "skipped")
        )
    for n in range(4):
        out.append(GlimmerRecord(at=at(MONDAY + timedelta(days=n), 12), text=f"g{n}"))
    for n in range(5):
        out.append(practice(day=MONDAY + timedelta(days=n % 3)))
    # the week before and after are not this week's
    out.append(DaySummaryRecord(at=at(MONDAY - timedelta(days=1), 18), sessions=9, heavy=9))
    out.append(GlimmerRecord(at=at(MONDAY + timedelta(days=7), 12), text="next week"))
    return out


def words(records: list[Record], today: date = MONDAY + timedelta(days=4), **kw: object) -> str:
    facts = lookback.period_facts(records, WEEK, 50, today=today, **kw)  # type: ignore[arg-type]
    return " ".join(lookback.summary_sentences(facts))


def test_the_week_in_words() -> None:
    assert words(journal_week()) == (
        "This week: 23 sessions, 6 heavy (26 %, your limit 50 %). "
        "You took 9 of 17 offered breaks. "
        "You practised for 25 min on 3 days. "
        "4 glimmers noted."
    )


def test_a_past_week_and_todays_live_counts() -> None:
    later = MONDAY + timedelta(days=20)
    assert words(journal_week(), today=later).startswith("That week: 23 sessions")
    # today's live count (Friday: 6 sessions, 3 heavy) replaces Friday's record (4, 0)
    live = words(journal_week(), live_sessions=6, live_heavy=3)
    assert live.startswith("This week: 25 sessions, 9 heavy (36 %, your limit 50 %).")


def test_a_share_is_written_as_the_rest_of_the_app_writes_it() -> None:
    """The same week's heavy share reads "26 %" in Look back as in the supervision summary
    and the reflection's week line: one way to write a percent."""
    import re

    from companion.core import supervision

    records = journal_week()
    said = words(records)
    summary = " ".join(supervision.sessions_lines(records, MONDAY, MONDAY + timedelta(days=4), 50))
    percent = re.compile(r"\d+\s*%")
    assert percent.findall(said) == ["26 %", "50 %"]
    assert percent.findall(summary)[:2] == percent.findall(said)


def test_sessions_and_none_heavy_is_zero_percent() -> None:
    records: list[Record] = [DaySummaryRecord(at=at(MONDAY, 18), sessions=5, heavy=0)]
    assert words(records) == "This week: 5 sessions, none heavy (0 %, your limit 50 %)."


def test_one_of_each_reads_in_the_singular() -> None:
    records: list[Record] = [
        DaySummaryRecord(at=at(MONDAY, 18), sessions=1, heavy=1),
        offer(MONDAY, 9, "skipped"),
        practice(seconds=60),
        GlimmerRecord(at=at(MONDAY, 12), text="g"),
    ]
    assert words(records) == (
        "This week: 1 session, 1 heavy (100 %, your limit 50 %). "
        "You took 0 of 1 offered break. You practised for 1 min on 1 day. 1 glimmer noted."
    )


def test_no_sessions_counted_and_an_empty_week() -> None:
    records: list[Record] = [GlimmerRecord(at=at(MONDAY, 12), text="g")]
    assert words(records) == "This week: no sessions counted. 1 glimmer noted."
    assert words([]).startswith("Nothing recorded in this week yet.")


# --- what helped, per state -------------------------------------------------------------------


def states(ex: str, before: str, after: str, n: int) -> list[PracticeRecord]:
    return [practice(ex, state_before=before, state_after=after) for _ in range(n)]


def test_from_wired_only_reaching_between_counts() -> None:
    rated = (
        states("box-5", "wired", "between", 4)
        + states("box-5", "wired", "flat", 1)  # overshooting to flat is not help
        + states("pmr-4", "wired", "flat", 5)  # always to flat: listed, never helped
        + states("orienting", "wired", "between", 5)
    )
    helped = lookback.what_helped(rated)
    assert [(h.exercise, h.started, h.helped) for h in helped.shown["wired"]] == [
        ("orienting", 5, 5),
        ("box-5", 5, 4),
        ("pmr-4", 5, 0),
    ]
    assert helped.shown["flat"] == () and not helped.any_for("flat")


def test_from_flat_only_coming_up_to_between_counts() -> None:
    rated = (
        states("walk", "flat", "between", 5)
        + states("body-scan-10", "flat", "flat", 5)  # stayed flat: not help
        + states("box-5", "flat", "between", 2)
        + states("box-5", "between", "flat", 7)  # a start in between is not scored
    )
    helped = lookback.what_helped(rated)
    assert [(h.exercise, h.percent) for h in helped.shown["flat"]] == [
        ("walk", 100.0),
        ("body-scan-10", 0.0),
    ]
    assert helped.pending["flat"] == (("box-5", 2),)
    assert helped.shown["wired"] == ()


def test_the_0_to_10_scale_never_calls_a_fall_from_a_low_start_settling() -> None:
    low = [practice("pmr-4", rating_before=3, rating_after=0) for _ in range(6)]
    helped = lookback.what_helped(low)
    assert helped.shown["wired"] == () and helped.pending["wired"] == ()
    assert helped.low_scale == 6 and helped.from_scale == 0
    high = [practice("box-5", rating_before=7, rating_after=a) for a in (5, 4, 6, 7, 2)]
    helped = lookback.what_helped(low + high)
    [box] = helped.shown["wired"]
    assert (box.exercise, box.started, box.helped) == ("box-5", 5, 3)  # down 2 or more
    assert helped.from_scale == 5 and helped.low_scale == 6


@pytest.mark.parametrize(
    ("before", "after", "result"),
    [
        (6, 4, ("wired", True)),
        (6, 5, ("wired", False)),
        (5, 0, None),
        (10, 10, ("wired", False)),
        (None, 3, None),
    ],
)
def test_scale_boundaries(before: int | None, after: int, result: object) -> None:
    assert lookback.scored(practice(rating_before=before, rating_after=after)) == result


def test_a_state_answer_wins_over_a_scale_rating_and_needs_an_after() -> None:
    both = practice(state_before="flat", state_after="between", rating_before=2, rating_after=0)
    assert lookback.scored(both) == ("flat", True)
    assert lookback.scored(practice(state_before="wired")) is None
