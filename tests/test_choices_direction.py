"""What an offer card and the tray offer after heavy sessions and at the end of the day,
and the order for how someone says they are (issue 12, items 2 and 3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from companion.core.choices import (
    MAX_OTHERS,
    MAX_PRACTICES,
    OfferChoices,
    day_is_done,
    for_state,
    heavy_note,
    offer_choices,
    practices_now,
)
from companion.core.clock import FakeClock
from companion.core.day import Offer
from companion.core.exercises import Library, choose_for_window
from tests.direction_library import direction_library

TZ = timezone(timedelta(hours=1))


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 3, 12, hour, minute, second, tzinfo=TZ)


def offer(
    minutes: int,
    *,
    exercise: str | None = None,
    after_heavy: bool = False,
    longer: bool = False,
    closing: bool = False,
) -> Offer:
    """A window opening at 10:00 whose practice may take `minutes`."""
    end = at(10, 0) + timedelta(minutes=minutes)
    return Offer(
        key="w1000",
        start=at(10, 0),
        end=end,
        exercise=exercise,
        after_heavy=after_heavy,
        longer=longer,
        next_session=None if closing else end + timedelta(minutes=1),
        closing=closing,
    )


@pytest.fixture
def library() -> Library:
    return direction_library()


def ids(choices: OfferChoices) -> list[str]:
    return [c.id for c in [choices.suggestion, *choices.others] if c is not None]


def test_after_a_heavy_session_the_card_suggests_the_room_and_keeps_the_body_scan(
    library: Library,
) -> None:
    card = offer_choices(library, offer(12, after_heavy=True), at(10, 0))
    assert card.suggestion is not None
    assert library[card.suggestion.id].direction == "outward"
    assert len(card.others) == MAX_OTHERS
    # outward choices first; the body scan stays on the card, in the last place
    assert [library[c.id].direction for c in card.others[:-1]] == ["outward", "outward"]
    assert card.others[-1].id == "body-scan-10"
    light = offer_choices(library, offer(12), at(10, 0))
    assert light.suggestion is not None and light.suggestion.id == "body-scan-10"


def test_a_decompression_is_on_the_card_only_with_fifteen_minutes_after_a_heavy_run(
    library: Library,
) -> None:
    clock = FakeClock(at(10, 0))
    run = offer(19, exercise="decompression", after_heavy=True, longer=True)
    card = offer_choices(library, run, clock.now())
    assert card.suggestion is not None and card.suggestion.id == "decompression"
    assert "Several heavy ones" in heavy_note(run)
    clock.advance(5 * 60)  # the card waited: fourteen minutes left
    later = offer_choices(library, run, clock.now())
    assert "decompression" not in ids(later)
    assert later.suggestion is not None
    assert library[later.suggestion.id].direction == "outward"
    # a long gap after a single heavy session, or none: never on the card
    for plain in (offer(19, after_heavy=True), offer(19)):
        assert "decompression" not in ids(offer_choices(library, plain, at(10, 0)))


def test_leave_it_at_the_door_is_the_closing_cards_suggestion_and_no_other_cards(
    library: Library,
) -> None:
    closing = offer(10, exercise="door", closing=True)
    card = offer_choices(library, closing, at(10, 0))
    assert card.suggestion == ("door", "Door · 1 min")
    assert "door" not in ids(offer_choices(library, offer(10), at(10, 0)))
    heavy = replace(closing, after_heavy=True)
    assert offer_choices(library, heavy, at(10, 0)).suggestion == card.suggestion
    assert heavy_note(heavy) == "That was a heavy one. You might set it down before you go."


def test_the_heavy_note_points_outward() -> None:
    assert heavy_note(offer(10, after_heavy=True)) == (
        "That was a heavy one. You might start with the room around you."
    )
    assert heavy_note(offer(10)) == ""


def test_the_tray_lists_the_practices_kept_for_a_moment_after_the_everyday_ones(
    library: Library,
) -> None:
    few = Library([ex for ex in library if ex.kind != "body-scan" and ex.id != "pmr-7"])
    listed = [c.id for c in practices_now(few, 20 * 60)]
    assert len(listed) <= MAX_PRACTICES
    assert listed[-2:] == ["decompression", "door"]
    assert "decompression" not in [c.id for c in practices_now(few, 10 * 60)]  # no time
    # with more everyday practices than the tray shows, they are the ones left off
    assert "door" not in [c.id for c in practices_now(library, 20 * 60)]
    done = [c.id for c in practices_now(library, None, day_done=True)]
    assert done[0] == "door"
    # a favourite is a favourite, wherever it is kept
    assert practices_now(library, 20 * 60, ("decompression",))[0].id == "decompression"


def test_the_day_is_done_after_its_last_session() -> None:
    ends = [at(9, 50), at(16, 50)]
    assert not day_is_done(ends, at(16, 0), at(15, 0))
    assert not day_is_done(ends, None, at(16, 30))  # in the last session
    assert day_is_done(ends, None, at(16, 50))
    assert not day_is_done([], None, at(16, 50))  # a free day has no door to leave by


def test_for_state_puts_settling_first_when_wired_and_energising_first_when_flat(
    library: Library,
) -> None:
    wired = for_state(library, 12 * 60, "wired")
    flat = for_state(library, 12 * 60, "flat")
    between = for_state(library, 12 * 60, "between")
    effects = [ex.effect for ex in wired]
    assert effects == sorted(effects, key=("settling", "either", "energising").index)
    assert effects[0] == "settling" and effects[-1] == "energising"
    assert [ex.effect for ex in flat][:3] == ["energising", "energising", "either"]
    assert {ex.id for ex in flat[:2]} == {"walk", "brisk-breath"}
    assert flat[-1].effect == "settling"
    assert [ex.id for ex in between] == [ex.id for ex in choose_for_window(library, 12 * 60)]
    assert {ex.id for ex in wired} == {ex.id for ex in flat} == {ex.id for ex in between}
    # the same order within a group as anywhere: favourites first, outward after heavy
    assert for_state(library, 12 * 60, "flat", favourites=("brisk-breath",))[0].id == (
        "brisk-breath"
    )
    heavy_wired = for_state(library, 12 * 60, "wired", after_heavy=True)
    assert heavy_wired[0].direction == "outward" and heavy_wired[0].effect == "settling"
    assert for_state(library, None, "flat")[0].id == "walk"
    with pytest.raises(ValueError, match="state"):
        for_state(library, 60, "numb")
