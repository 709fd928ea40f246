"""What the tray and an offer card let a person choose, and how each choice reads: fast,
with no Qt, on the shipped practices where that is clearest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from companion import i18n
from companion.core.choices import (
    MAX_OTHERS,
    MAX_PRACTICES,
    Choice,
    distinct,
    heavy_note,
    label_for,
    offer_choices,
    practice_deadline,
    practices_now,
    seconds_left,
)
from companion.core.clock import FakeClock
from companion.core.day import Offer
from companion.core.exercises import Exercise, GuidedStep, Library, fit, load_library

TZ = timezone(timedelta(hours=1))
HEAVY_NOTE = "That was a heavy one. You might start with the room around you."


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 3, 12, hour, minute, second, tzinfo=TZ)


def minutes_of(label: str) -> int:
    """3 for "Box breathing · 3 min"."""
    return int(label.rsplit("· ", 1)[1].removesuffix(" min"))


def window(
    start: datetime,
    end: datetime,
    *,
    next_session: datetime | None,
    exercise: str | None = None,
    after_heavy: bool = False,
) -> Offer:
    return Offer(
        key=f"w{start:%H%M}",
        start=start,
        end=end,
        exercise=exercise,
        after_heavy=after_heavy,
        longer=False,
        next_session=next_session,
    )


def guided(ex_id: str, minutes: float) -> Exercise:
    """A practice that cannot be shortened: it fits whole or not at all."""
    return Exercise(
        id=ex_id,
        title=ex_id.replace("-", " ").capitalize(),
        kind="grounding",
        minutes=minutes,
        steps=(GuidedStep(cue="Notice your feet.", seconds=minutes * 60),),
    )


@pytest.fixture(scope="module")
def library() -> Library:
    lib = load_library()
    assert not lib.problems
    return lib


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.use(i18n.PSEUDO)
    try:
        yield
    finally:
        i18n.use()


# --- how long a practice may take -------------------------------------------------------------


def test_inside_a_break_window_a_practice_ends_by_the_windows_practice_end() -> None:
    w = window(at(10, 0), at(10, 25), next_session=at(10, 30))
    assert practice_deadline(next_start=at(10, 30), window=w) == at(10, 25)


def test_a_session_booked_since_that_starts_earlier_brings_the_deadline_forward() -> None:
    w = window(at(10, 0), at(10, 25), next_session=at(10, 30))
    # a client booked at 10:15 after the window was planned: done a minute before them
    assert practice_deadline(next_start=at(10, 15), window=w) == at(10, 14)


def test_outside_a_window_a_practice_ends_a_minute_before_the_next_session() -> None:
    assert practice_deadline(next_start=at(14, 0), window=None) == at(13, 59)


def test_with_no_session_ahead_today_there_is_no_deadline() -> None:
    assert practice_deadline(next_start=None, window=None) is None
    assert seconds_left(None, at(18, 0)) is None


def test_seconds_left_counts_down_and_never_goes_below_zero() -> None:
    assert seconds_left(at(10, 14), at(10, 10)) == 240.0
    assert seconds_left(at(10, 14), at(10, 20)) == 0.0


def test_a_session_booked_since_leaves_only_the_practices_that_still_fit(library: Library) -> None:
    now = at(10, 10)
    w = window(at(10, 0), at(10, 25), next_session=at(10, 30))
    as_planned = seconds_left(practice_deadline(next_start=at(10, 30), window=w), now)
    booked_since = seconds_left(practice_deadline(next_start=at(10, 14), window=w), now)
    assert (as_planned, booked_since) == (15 * 60, 3 * 60)
    assert "Body scan · 10 min" in [c.label for c in practices_now(library, as_planned)]
    tight = practices_now(library, booked_since)
    assert tight  # three minutes is still worth a practice, and nothing longer is listed
    assert max(minutes_of(c.label) for c in tight) == 3


# --- the tray's practices ---------------------------------------------------------------------


def test_with_no_session_ahead_anything_up_to_a_quarter_hour_is_on_offer() -> None:
    lib = Library([guided("fourteen-minutes", 14), guided("sixteen-minutes", 16)])
    assert practices_now(lib, None) == [("fourteen-minutes", "Fourteen minutes · 14 min")]


def test_the_tray_lists_at_most_eight_practices_best_first(library: Library) -> None:
    listed = practices_now(library, None)
    assert len(listed) == MAX_PRACTICES == 8
    assert len(library.families()) > 8  # more would fit: the list is cut, not short
    assert listed[0] == ("coherent-10", "Coherent breathing · 10 min")


def test_favourites_come_first(library: Library) -> None:
    listed = practices_now(library, 5 * 60, favourites=("stretch",))
    assert listed[0] == ("stretch", "A gentle stretch · 2 min")


def test_nothing_is_listed_when_less_than_a_minute_is_left(library: Library) -> None:
    assert practices_now(library, 45.0) == []


# --- how a practice reads ---------------------------------------------------------------------


def test_a_label_states_the_minutes_the_fitted_practice_really_takes(library: Library) -> None:
    fitted = fit(library["coherent-10"], 4 * 60)
    assert fitted is not None
    assert label_for(library["coherent-10"]) == "Coherent breathing · 10 min"
    assert label_for(fitted) == "Coherent breathing · 4 min"
    # a file may declare a round 10 for steps that take 9 minutes: the steps count
    assert label_for(replace(guided("settling", 9), minutes=10)) == "Settling · 9 min"


def test_a_short_variants_label_drops_the_length_from_its_title(library: Library) -> None:
    assert library["coherent-5"].title == "Coherent breathing, 5 minutes"
    assert label_for(library["coherent-5"]) == "Coherent breathing · 5 min"
    assert label_for(library["feet-on-the-floor-short"]) == "Feet on the floor · 1 min"
    # only a length is dropped, never the rest of a title
    assert label_for(library["pmr-4"]) == "Muscle relaxation, 4 groups · 5 min"


def test_a_practice_and_its_short_variant_that_read_the_same_are_listed_once(
    library: Library,
) -> None:
    # Coherent breathing cut down to five minutes reads like its five-minute version.
    cut_down = fit(replace(library["coherent-10"], shorter=()), 5 * 60)
    short = library["coherent-5"]
    assert cut_down is not None and label_for(cut_down) == label_for(short)
    assert distinct([cut_down, short]) == [cut_down]
    assert distinct([short, cut_down, library["box-5"]]) == [short, library["box-5"]]


def test_a_users_copy_that_reads_like_a_shipped_practice_is_listed_once(library: Library) -> None:
    copy = replace(library["coherent-5"], id="my-coherent", short_of=None, family="")
    lib = Library([*library, copy])
    labels = [label for _id, label in practices_now(lib, 5 * 60)]
    assert labels.count("Coherent breathing · 5 min") == 1
    assert len(labels) == len(set(labels))


# --- an offer card's choices ------------------------------------------------------------------


def test_the_offers_practice_is_suggested_while_it_still_fits(library: Library) -> None:
    clock = FakeClock(at(10, 5))
    offer = window(at(10, 0), at(10, 20), next_session=at(10, 30), exercise="box-5")
    suggestion, others = offer_choices(library, offer, clock.now())
    assert suggestion == ("box-5", "Box breathing · 5 min")
    assert "box-5" not in [ex_id for ex_id, _label in others]

    clock.advance(12 * 60)  # the card waited: three minutes left, box breathing shortened
    suggestion, _others = offer_choices(library, offer, clock.now())
    assert suggestion == ("box-5", "Box breathing · 3 min")


def test_the_offers_practice_is_replaced_once_it_no_longer_fits(library: Library) -> None:
    clock = FakeClock(at(10, 5))
    offer = window(at(10, 0), at(10, 20), next_session=at(10, 30), exercise="body-scan-10")
    suggestion, _others = offer_choices(library, offer, clock.now())
    assert suggestion == ("body-scan-10", "Body scan · 10 min")

    clock.advance(11 * 60)  # four minutes left: no body scan is that short
    suggestion, others = offer_choices(library, offer, clock.now())
    assert suggestion is not None
    assert suggestion == practices_now(library, 4 * 60)[0]
    assert "Body scan" not in " ".join(label for _id, label in [suggestion, *others])


def test_an_offer_shows_at_most_three_others_that_fit(library: Library) -> None:
    offer = window(at(10, 0), at(10, 20), next_session=at(10, 30), exercise="box-5")
    choices = offer_choices(library, offer, at(10, 5))
    assert len(choices.others) == MAX_OTHERS == 3
    assert choices.others == [c for c in practices_now(library, 15 * 60) if c.id != "box-5"][:3]


def test_an_offer_with_no_time_left_has_nothing_to_choose(library: Library) -> None:
    offer = window(at(10, 0), at(10, 20), next_session=at(10, 30), exercise="box-5")
    assert offer_choices(library, offer, at(10, 19, 30)) == (None, [])


def test_an_offers_choices_end_a_minute_before_the_next_session(library: Library) -> None:
    # no wrap-up margin: the window runs up to the session, the practice may not
    offer = window(at(10, 0), at(10, 20), next_session=at(10, 20), exercise="box-5")
    assert offer_choices(library, offer, at(10, 16)).suggestion == (
        "box-5",
        "Box breathing · 3 min",
    )
    assert offer_choices(library, offer, at(10, 18, 30)) == (None, [])


def test_after_a_heavy_session_the_body_scan_and_pmr_stay_on_offer_but_never_lead(
    library: Library,
) -> None:
    """Issue 12: eyes closed and attention deep in the body is not the first thing to
    offer after a heavy session (it used to be: body scan, then PMR)."""
    light = window(at(10, 0), at(10, 20), next_session=at(10, 30))
    heavy = replace(light, after_heavy=True)
    now = at(10, 15)  # five minutes left

    suggestion, others = offer_choices(library, heavy, now)
    assert suggestion is not None
    assert library[suggestion.id].kind not in ("body-scan", "pmr")
    if any(ex.direction == "outward" for ex in library):
        assert library[suggestion.id].direction == "outward"
    assert others[-1] == ("body-scan-5", "Body scan · 5 min")  # still a choice, the last

    suggestion, others = offer_choices(library, light, now)
    assert suggestion is not None
    ids = [c.id for c in [suggestion, *others]]
    assert "body-scan-5" not in ids and "pmr-4" not in ids


def test_the_heavy_note_appears_only_after_a_heavy_session() -> None:
    light = window(at(10, 0), at(10, 20), next_session=at(10, 30))
    assert heavy_note(replace(light, after_heavy=True)) == HEAVY_NOTE
    assert heavy_note(light) == ""


def test_a_choice_is_the_id_and_label_pair_the_tray_and_card_take() -> None:
    choice = Choice("box-5", "Box breathing · 5 min")
    ex_id, label = choice
    assert (ex_id, label) == choice == ("box-5", "Box breathing · 5 min")


@pytest.mark.usefixtures("pseudo")
def test_labels_and_the_note_are_marked_for_translation(library: Library) -> None:
    label = label_for(library["coherent-5"])
    assert label.startswith(i18n.OPEN) and label.endswith(i18n.CLOSE)
    assert "Coherent breathing" in label  # the title is the practice file's, not ours
    note = heavy_note(window(at(10, 0), at(10, 20), next_session=None, after_heavy=True))
    assert note.startswith(i18n.OPEN) and note != HEAVY_NOTE
