"""The direction of the choice after a heavy session, and the practices kept for a moment
(issue 12, item 2): outward first, the body scan and PMR still on offer but never first."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from companion.core.exercises import Exercise, Library, choose_for_window
from tests.direction_library import direction_library

DEEP = {"body-scan-10", "body-scan-5", "pmr-7"}


@pytest.fixture
def library() -> Library:
    return direction_library()


def ids(found: Sequence[Exercise]) -> list[str]:
    return [ex.id for ex in found]


@pytest.mark.parametrize("minutes", [3, 5, 8, 12, 20])
def test_after_a_heavy_session_an_outward_practice_comes_first(
    library: Library, minutes: int
) -> None:
    chosen = choose_for_window(library, minutes * 60, prefer_long=True)
    order = ids(chosen)
    assert chosen[0].direction == "outward", order
    # the body scan and PMR remain when they fit, after everything else
    deep = [i for i, ex_id in enumerate(order) if ex_id in DEEP]
    rest = [i for i, ex_id in enumerate(order) if ex_id not in DEEP]
    assert all(d > r for d in deep for r in rest), order
    if minutes >= 12:
        assert {"body-scan-10", "pmr-7"} <= set(order)


def test_twelve_minutes_after_a_heavy_session_starts_with_the_room_not_the_body_scan(
    library: Library,
) -> None:
    heavy = ids(choose_for_window(library, 12 * 60, after_heavy=True))
    # outward by how well they use the window, then inward breathing, then body scan, PMR
    assert heavy == [
        "senses",
        "walk",
        "listening",
        "orienting",
        "resonance",
        "brisk-breath",
        "body-scan-10",
        "pmr-7",
    ]
    # the old name of the flag means the same
    assert ids(choose_for_window(library, 12 * 60, prefer_long=True)) == heavy
    # on an ordinary break the window's best fit leads, as before: the body scan
    light = ids(choose_for_window(library, 12 * 60))
    assert light[0] == "body-scan-10"
    assert set(light) == set(heavy)


def test_favourites_still_come_first_and_avoided_last_after_a_heavy_session(
    library: Library,
) -> None:
    chosen = ids(
        choose_for_window(
            library, 12 * 60, after_heavy=True, favourites=("pmr-7",), avoid=("senses",)
        )
    )
    assert chosen[0] == "pmr-7"  # the person's own favourite, even inward
    assert chosen[1] == "walk"
    assert chosen[-1] == "senses"
    again = choose_for_window(
        direction_library(), 12 * 60, after_heavy=True, favourites=("pmr-7",), avoid=("senses",)
    )
    assert ids(again) == chosen


def test_practices_kept_for_a_moment_are_left_out_unless_asked_for(library: Library) -> None:
    everyday = ids(choose_for_window(library, 20 * 60))
    assert "door" not in everyday and "decompression" not in everyday
    listed = ids(choose_for_window(library, 20 * 60, include=("end-of-day", "decompression")))
    assert listed[: len(everyday)] == everyday  # after every everyday practice
    assert set(listed[len(everyday) :]) == {"door", "decompression"}
    decompress = ids(choose_for_window(library, 20 * 60, lead="decompression"))
    assert decompress[0] == "decompression" and "door" not in decompress
    # its moment beats a favourite; a decompression that does not fit is not offered
    led = choose_for_window(library, 20 * 60, lead="decompression", favourites=("walk",))
    assert ids(led)[:2] == ["decompression", "walk"]
    assert "decompression" not in ids(choose_for_window(library, 14 * 60, lead="decompression"))
