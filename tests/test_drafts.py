"""The reflection draft: written atomically as the user types, back on the same day only."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

from companion.core.drafts import Draft, DraftStore
from companion.core.files import mode_of
from companion.core.paths import resolve_paths

DAY = date(2026, 3, 6)


def _store(tmp_path: Path) -> DraftStore:
    return DraftStore(resolve_paths(tmp_path / "data").ensure())


def test_a_draft_round_trips(tmp_path: Path) -> None:
    store = _store(tmp_path)
    draft = Draft(
        day=DAY,
        resilience="he called his sister",
        body="a looseness in the jaw",
        did_well="I ate lunch away from the desk",
        still_with_me=6,
        energy=4,
        connected=9,
        warning_signs=("avoidance", "body"),
        supervision="yes",
    )
    store.save(draft)
    assert store.load(DAY) == draft
    assert mode_of(store.path_for(DAY)) == 0o600
    assert mode_of(store.folder) == 0o700
    assert not draft.is_empty and Draft(day=DAY).is_empty
    # saving again replaces it, leaving no temp files behind
    store.save(Draft(day=DAY, resilience="changed"))
    assert store.load(DAY) == Draft(day=DAY, resilience="changed")
    assert [p.name for p in store.folder.iterdir()] == [store.path_for(DAY).name]


def test_other_days_and_damaged_files_are_ignored(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.save(Draft(day=DAY - timedelta(days=1), resilience="yesterday"))
    assert store.load(DAY) is None
    # a file whose inside names another day is not today's
    store.path_for(DAY).write_text(json.dumps({"day": "2020-01-01", "resilience": "x"}))
    assert store.load(DAY) is None
    store.path_for(DAY).write_text("{not json")
    assert store.load(DAY) is None
    # odd values are dropped, not trusted
    store.path_for(DAY).write_text(
        json.dumps(
            {
                "day": DAY.isoformat(),
                "resilience": 5,
                "still_with_me": 11,
                "energy": True,
                "connected": 3,
                "warning_signs": ["body", "nonsense"],
                "supervision": "maybe",
            }
        )
    )
    assert store.load(DAY) == Draft(day=DAY, connected=3, warning_signs=("body",))


def test_discard_and_prune(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.discard(DAY)  # nothing there: fine
    for back in (0, 3, 14, 15, 40):
        store.save(Draft(day=DAY - timedelta(days=back), resilience="x"))
    (store.folder / "notes.txt").write_text("not a draft")
    assert store.prune(DAY) == [DAY - timedelta(days=40), DAY - timedelta(days=15)]
    left = sorted(p.name for p in store.folder.iterdir())
    assert left == [
        "notes.txt",
        f"reflection-{DAY - timedelta(days=14)}.json",
        f"reflection-{DAY - timedelta(days=3)}.json",
        f"reflection-{DAY}.json",
    ]
    store.discard(DAY)
    assert store.load(DAY) is None
    assert not os.path.exists(store.path_for(DAY))
