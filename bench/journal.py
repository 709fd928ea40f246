"""Journal benchmark: five years of heavy use, then open, append and export.

    python bench/journal.py [--quick]

Fills a journal as 5 years x 250 working days x 8 sessions would (offers, practices,
glimmers, reflections, day summaries: about 29,000 records), once partitioned by year
(what the app uses) and once as a single file (TinyDB's usual layout), and prints:
file size, time to open, one append p50/p95/max, export time. An append writes one
line; every COMPACT_AFTER-th also writes its year whole (that one shows in max).
Budget (DESIGN.md): append p95 < 50 ms, open < 150 ms. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.core import export
from companion.core.clock import FakeClock
from companion.core.journal import SCHEMA_VERSION, Journal
from companion.core.paths import resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
    to_doc,
)

TZ = timezone(timedelta(hours=1))
PRACTICES = ["cyclic-sighing", "box-breathing", "body-scan-5", "pmr-4", "feet-on-floor"]


def working_days(years: int, end: date) -> list[date]:
    days: list[date] = []
    d = end
    while len(days) < 250 * years:
        if d.weekday() < 5 and len(days) % 1 == 0:
            days.append(d)
        d -= timedelta(days=1)
    return sorted(days)


def day_records(day: date) -> list[Record]:
    out: list[Record] = []
    for n, hour in enumerate((9, 10, 11, 13, 14, 15, 16, 17)):
        end = datetime(day.year, day.month, day.day, hour, 50, tzinfo=TZ)
        out.append(
            OfferRecord(
                at=end,
                window_start=end,
                window_end=end + timedelta(minutes=9),
                exercise=PRACTICES[n % 5],
                outcome="taken" if n % 3 else "skipped",
            )
        )
        out.append(
            PracticeRecord(
                at=end + timedelta(minutes=1),
                exercise=PRACTICES[n % 5],
                planned_seconds=300,
                actual_seconds=290,
                completed=True,
                rating_before=6,
                rating_after=3,
            )
        )
        if n < 5:
            out.append(
                GlimmerRecord(
                    at=end + timedelta(minutes=7),
                    text="a small moment of steadiness in the room, noticed and kept " * 2,
                    source="after-session",
                    felt_in=("chest",),
                )
            )
    evening = datetime(day.year, day.month, day.day, 18, 5, tzinfo=TZ)
    out.append(
        ReflectionRecord(
            at=evening,
            day=day,
            resilience="someone found words for something long unsaid",
            body="a loosening in the shoulders",
            did_well="I kept my lunch break",
            still_with_me=4,
            energy=6,
            connected=7,
            warning_signs=("body",),
        )
    )
    out.append(DaySummaryRecord(at=evening, day=day, sessions=8, heavy=2))
    return out


def fill(journal: Journal, days: list[date]) -> int:
    """Write the files in bulk (the API appends one at a time, which is what we time)."""
    files: dict[Path, dict[str, dict[str, object]]] = {}
    total = 0
    for day in days:
        path = journal.file_for(day)
        db = files.setdefault(path, {"meta": {"1": {"schema": SCHEMA_VERSION}}, "records": {}})
        recs = db["records"]
        for r in day_records(day):
            recs[str(len(recs) + 1)] = to_doc(r)
            total += 1
    for path, db in files.items():
        path.write_text(json.dumps(db, separators=(",", ":")))
        path.chmod(0o600)
    return total


def measure(partition: str, years: int, appends: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(Path(tmp) / "data").ensure()
        now = datetime(2026, 11, 20, 17, 0, tzinfo=TZ)
        clock = FakeClock(now)
        seed = Journal(paths, clock, partition=partition)  # type: ignore[arg-type]
        count = fill(seed, working_days(years, now.date()))
        size = sum(p.stat().st_size for p in seed.files())

        t0 = time.perf_counter()
        journal = Journal(paths, clock, partition=partition, backups=False).open()  # type: ignore[arg-type]
        week = journal.query(None, now.date() - timedelta(days=7), now.date())
        open_s = time.perf_counter() - t0
        assert week

        times = []
        for n in range(appends):
            t = time.perf_counter()
            journal.add(GlimmerRecord(at=now + timedelta(seconds=n), text=f"bench {n}"))
            times.append(time.perf_counter() - t)
        times.sort()

        t = time.perf_counter()
        records = journal.all()
        export.to_json(records, now)
        json_s = time.perf_counter() - t
        t = time.perf_counter()
        export.to_markdown(records)
        md_s = time.perf_counter() - t
        return {
            "records": count,
            "size_mb": size / 1e6,
            "open_ms": open_s * 1000,
            "append_p50_ms": statistics.median(times) * 1000,
            "append_p95_ms": times[int(0.95 * (len(times) - 1))] * 1000,
            "append_max_ms": times[-1] * 1000,
            "export_json_ms": json_s * 1000,
            "export_md_ms": md_s * 1000,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer appends")
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    appends = 40 if args.quick else 200
    print(f"journal benchmark: {args.years} years of heavy use, {appends} timed appends")
    print("budget: open < 150 ms, append p95 < 50 ms (DESIGN.md)")
    print(
        f"{'layout':<22}{'records':>9}{'size MB':>9}{'open ms':>9}{'p50 ms':>8}"
        f"{'p95 ms':>8}{'max ms':>8}{'json ms':>9}{'md ms':>8}"
    )
    for partition, label in (("none", "one file (TinyDB)"), ("year", "a file per year (app)")):
        r = measure(partition, args.years, appends)
        print(
            f"{label:<22}{r['records']:>9.0f}{r['size_mb']:>9.1f}{r['open_ms']:>9.0f}"
            f"{r['append_p50_ms']:>8.1f}{r['append_p95_ms']:>8.1f}{r['append_max_ms']:>8.1f}"
            f"{r['export_json_ms']:>9.0f}"
            f"{r['export_md_ms']:>8.0f}"
        )


if __name__ == "__main__":
    main()
