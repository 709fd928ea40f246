"""Believable sample journals for the history benchmark and the window screenshots.

`sample_records(end, days)` makes a working life: weekdays with 5-8 sessions, break
offers and what became of them, practices (some rated), a few glimmers, evening
reflections whose check-in drifts slowly, and day counts. `write_bulk` writes them
straight into the journal's yearly files (appending through the API one by one
would take minutes for five years; the API's own speed is bench/journal.py's job).
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from companion.core.journal import SCHEMA_VERSION, Journal
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
    to_doc,
)

PRACTICES = (
    ("cyclic-sighing-5", 300),
    ("box-5", 300),
    ("extended-exhale-3", 180),
    ("feet-on-the-floor-short", 90),
    ("pmr-4", 300),
    ("grounding-5-4-3-2-1", 240),
)
GLIMMERS = (
    "She laughed, really laughed, for the first time in months",
    "He named the feeling before it took him over",
    "A long silence that felt safe, not empty",
    "She said she had slept through the night",
    "The way he looked up when he talked about his daughter",
    "Sun on the plant by the window between sessions",
    "A client thanked me for staying steady",
    "She set a boundary with her mother and kept it",
    "Tea, warm hands, five quiet minutes",
    "He came back after three weeks away",
    "A colleague left a note on my desk",
    "Both of us smiled at the same moment",
    "She noticed her own breathing slow down",
    "He brought a drawing he had made",
)
FELT = ("chest", "shoulders", "belly", "face", "hands", "whole body")
RESILIENCE = (
    "Someone who had given up on trust tried it again, carefully",
    "She used the grounding we practised, on her own, at work",
    "He spoke about the accident without leaving the room in his head",
)
BODY = ("A warmth across the chest", "My shoulders came down", "A lighter breath")
DID_WELL = ("I took my full lunch break", "I asked for help with a hard case", "I left on time")
WARNINGS = ("intrusion", "avoidance", "emotional-shift", "body")


def pin_singletons() -> None:
    """Work around PySide6 6.12.0 on Python 3.11: Qt methods that return nothing drop a
    reference to None (and something drops True/False), so a busy process aborts with
    "none_dealloc" once the count reaches zero. Lend them a huge count, as Python 3.12's
    immortal objects do (bench/pacer.py measures the leak)."""
    if sys.version_info >= (3, 12):
        return
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


def _at(day: date, hh: int, mm: int, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=zone)


def sample_day(
    day: date, zone: tzinfo, rng: random.Random, *, until: time | None = None
) -> list[Record]:
    """One working day's records (weekends get nothing). `until` cuts the day short."""
    if day.weekday() >= 5:
        return []
    out: list[Record] = []
    phase = day.toordinal() / 9.0
    strain = 0.5 + 0.35 * math.sin(phase) + rng.uniform(-0.15, 0.15)  # drifts over weeks
    hours = [9, 10, 11, 13, 14, 15, 16, 17][: rng.randint(5, 8)]
    heavy = 0
    for n, hh in enumerate(hours):
        if until and time(hh, 59) > until:
            break
        if rng.random() < 0.3 + 0.2 * strain:
            heavy += 1
        end = _at(day, hh, 50, zone)
        outcome = rng.choices(("taken", "snoozed", "skipped", "ignored"), (6, 1, 2, 1))[0]
        ex, seconds = PRACTICES[(n + day.toordinal()) % len(PRACTICES)]
        out.append(
            OfferRecord(
                at=end,
                window_start=end,
                window_end=end + timedelta(minutes=9),
                exercise=ex,
                outcome=outcome,
            )
        )
        if outcome == "taken":
            rated = rng.random() < 0.6
            before = rng.randint(4, 8) if rated else None
            drop = {"cyclic-sighing-5": 3, "box-5": 2, "pmr-4": 3}.get(ex, 1)
            after = max(0, before - drop - rng.randint(-1, 1)) if before is not None else None
            out.append(
                PracticeRecord(
                    at=end + timedelta(minutes=1),
                    exercise=ex,
                    planned_seconds=seconds,
                    actual_seconds=seconds - rng.randint(0, 20),
                    completed=True,
                    rating_before=before,
                    rating_after=after,
                )
            )
            if rng.random() < 0.3:
                out.append(
                    GlimmerRecord(
                        at=end + timedelta(minutes=7),
                        text=rng.choice(GLIMMERS),
                        source="after-session",
                        felt_in=tuple(rng.sample(FELT, rng.randint(0, 2))),
                    )
                )
    if until is not None:
        return out
    evening = _at(day, 17 if len(hours) < 8 else 18, 10, zone)
    out.append(DaySummaryRecord(at=evening, day=day, sessions=len(hours), heavy=heavy))
    if rng.random() < 0.85:
        signs = tuple(w for w in WARNINGS if rng.random() < 0.25 * strain)
        out.append(
            ReflectionRecord(
                at=evening + timedelta(minutes=2),
                day=day,
                resilience=rng.choice(RESILIENCE),
                body=rng.choice(BODY),
                did_well=rng.choice(DID_WELL),
                still_with_me=max(0, min(10, round(2 + 6 * strain + rng.uniform(-1, 1)))),
                energy=max(0, min(10, round(8 - 5 * strain + rng.uniform(-1, 1)))),
                connected=max(0, min(10, round(7 - strain + rng.uniform(-1, 1)))),
                warning_signs=signs,
                supervision=rng.choice(("yes", "no", "not-needed")) if day.weekday() == 4 else None,
            )
        )
    elif rng.random() < 0.5:
        out.append(ReflectionRecord(at=evening, day=day, skipped=True))
    return out


def sample_records(
    end: date, days: int, zone: tzinfo, *, seed: int = 7, today_until: time | None = None
) -> list[Record]:
    """`days` days of records ending on `end`; `end` itself cut at `today_until` if given."""
    rng = random.Random(seed)
    out: list[Record] = []
    for n in range(days - 1, -1, -1):
        day = end - timedelta(days=n)
        out += sample_day(day, zone, rng, until=today_until if day == end else None)
    return out


def write_bulk(journal: Journal, records: list[Record]) -> None:
    """Write records straight into the journal's files (fresh journal assumed)."""
    files: dict[Path, dict[str, Any]] = defaultdict(
        lambda: {"meta": {"1": {"schema": SCHEMA_VERSION}}, "records": {}}
    )
    for r in records:
        table = files[journal.file_for(r.on)]["records"]
        table[str(len(table) + 1)] = to_doc(r)
    for path, data in files.items():
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        path.chmod(0o600)
