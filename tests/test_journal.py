"""The journal keeps every record through crashes, a second writer and a damaged file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.files import mode_of
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    NoteShownRecord,
    OfferRecord,
    PracticeRecord,
    ReflectionRecord,
)

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 9, 50, tzinfo=TZ)

WRITER = textwrap.dedent(
    """
    import sys
    from companion.core.clock import SystemClock
    from companion.core.journal import Journal
    from companion.core.paths import resolve_paths
    from companion.core.records import GlimmerRecord
    journal = Journal(resolve_paths(sys.argv[1]), SystemClock()).open()
    limit = int(sys.argv[2])
    print("ready", flush=True)
    n = 0
    while limit == 0 or n < limit:
        rid = journal.add(GlimmerRecord(at=SystemClock().now(), text=f"{sys.argv[3]} {n}"))
        print(rid, flush=True)
        n += 1
    """
)


def _journal(tmp_path: Path, clock: FakeClock | None = None) -> Journal:
    return Journal(resolve_paths(tmp_path / "data"), clock or FakeClock(START)).open()


def every_kind(at: datetime) -> list:
    return [
        OfferRecord(
            at=at,
            window_start=at,
            window_end=at + timedelta(minutes=9),
            exercise="box-breathing",
            outcome="taken",
            after_heavy=True,
        ),
        PracticeRecord(
            at=at,
            exercise="box-breathing",
            planned_seconds=300,
            actual_seconds=287,
            completed=False,
            rating_before=7,
            rating_after=4,
        ),
        GlimmerRecord(at=at, text="she named her own strength", felt_in=("chest", "hands")),
        ReflectionRecord(
            at=at,
            day=at.date(),
            resilience="a client kept a boundary",
            body="warmth in the chest",
            did_well="I slowed down",
            still_with_me=6,
            energy=4,
            connected=8,
            warning_signs=("intrusion", "body"),
            supervision="yes",
        ),
        DaySummaryRecord(at=at, day=at.date(), sessions=7, heavy=2),
        NoteShownRecord(at=at, note="pattern"),
    ]


def test_every_record_kind_round_trips(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    records = every_kind(START)
    for r in records:
        journal.add(r)
    journal.close()
    again = _journal(tmp_path)
    assert again.all() == sorted(records, key=lambda r: r.at)


def test_query_by_date_range_and_kind_across_years(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    days = [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 2)]
    for d in days:
        at = datetime(d.year, d.month, d.day, 12, tzinfo=TZ)
        journal.add(GlimmerRecord(at=at, text=f"glimmer {d}"))
        journal.add(DaySummaryRecord(at=at, day=d, sessions=5))
    found = journal.query(GlimmerRecord, date(2025, 12, 31), date(2026, 1, 1))
    assert [g.text for g in found] == ["glimmer 2025-12-31", "glimmer 2026-01-01"]
    assert len(journal.query(None, date(2026, 1, 2), date(2026, 1, 2))) == 2
    assert [p.name for p in journal.files()] == ["journal-2025.json", "journal-2026.json"]


@pytest.mark.slow
def test_killed_writer_loses_no_acknowledged_record(tmp_path: Path) -> None:
    """SIGKILL a writer at random moments 50 times; every id it printed is in the journal."""
    data = tmp_path / "data"
    rng = random.Random(20261121)
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for round_no in range(50):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), "0", f"round{round_no}"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # Let it write for a random while, then kill it wherever it happens to be.
        wanted = rng.randint(1, 12)
        for _ in range(wanted):
            line = child.stdout.readline().strip()
            if line:
                acknowledged.append(line)
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged.extend(x for x in rest.split() if x)
    assert len(acknowledged) >= 50
    journal = Journal(resolve_paths(data), FakeClock(START)).open()
    assert journal.notices == [], "a killed writer must never leave an unreadable file"
    ids = {r.id for r in journal.all()}
    missing = [a for a in acknowledged if a not in ids]
    assert missing == []


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Journal(resolve_paths(data), FakeClock(START)).open().close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), "200", name],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("tray", "terminal")
    ]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    journal = Journal(resolve_paths(data), FakeClock(START)).open()
    records = journal.all()
    assert len(records) == 400
    texts = {r.text for r in records}  # type: ignore[attr-defined]
    assert {f"tray {n}" for n in range(200)} <= texts
    assert {f"terminal {n}" for n in range(200)} <= texts
    assert sum(len(o.split()) - 1 for o in outputs) == 400


@pytest.mark.parametrize(
    "damage",
    [
        b'{"meta": {"1": {"schema": 2}}, "records": {"1": {"type": "glimmer", "te',
        bytes(range(256)) * 4,
        b"",
        b"[1, 2, 3]",
    ],
    ids=["truncated", "binary", "empty", "wrong-shape"],
)
def test_corrupt_journal_is_kept_aside_byte_for_byte(tmp_path: Path, damage: bytes) -> None:
    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    broken = paths.data / "journal-2026.json"
    broken.write_bytes(damage)
    journal = Journal(paths, FakeClock(START)).open()
    kept = list(paths.data.glob("journal-2026.json.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == damage
    assert mode_of(kept[0]) == 0o600
    assert len(journal.notices) == 1 and str(kept[0]) in journal.notices[0]
    journal.add(GlimmerRecord(at=START, text="still here"))
    assert [g.text for g in Journal(paths, FakeClock(START)).open().all()] == ["still here"]  # type: ignore[attr-defined]


def test_cli_says_where_a_corrupt_journal_was_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion.cli import main

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    year = datetime.now().year
    (data / f"journal-{year}.json").write_bytes(b"\x00\xffnot json")
    assert main(["--data-dir", str(data), "glimmer", "a small light"]) == 0
    err = capsys.readouterr().err
    kept = list(data.glob(f"journal-{year}.json.corrupt-*"))
    assert len(kept) == 1 and str(kept[0]) in err
    assert len(err.strip().splitlines()) == 1
    assert main(["--data-dir", str(data), "doctor"]) == 0
    assert kept[0].name in capsys.readouterr().out


def test_folder_and_files_are_private_even_with_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        clock = FakeClock(START)
        journal = _journal(tmp_path, clock)
        journal.add(GlimmerRecord(at=START, text="x"))
        clock.advance(86400)
        journal.add(GlimmerRecord(at=clock.now(), text="y"))  # the next day takes a backup
        from companion.core.settings import Settings, save_settings

        save_settings(journal.paths.settings, Settings())
    finally:
        os.umask(old)
    data = journal.paths.data
    assert mode_of(data) == 0o700
    assert mode_of(data / "backups") == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"journal-2026.json", "settings.json"}
    assert any(p.parent.parent.name == "backups" for p in files)
    assert {str(p): mode_of(p) for p in files} == {str(p): 0o600 for p in files}
    dirs = [p for p in data.rglob("*") if p.is_dir()]
    assert {str(p): mode_of(p) for p in dirs} == {str(p): 0o700 for p in dirs}


def test_rolling_backup_keeps_a_copy_a_day_for_seven_days(tmp_path: Path) -> None:
    clock = FakeClock(START)
    journal = _journal(tmp_path, clock)
    for n in range(10):
        journal.add(GlimmerRecord(at=clock.now(), text=f"day {n}"))
        clock.advance(86400)
    journal.add(GlimmerRecord(at=clock.now(), text="day 10"))
    backups = sorted(p.name for p in journal.paths.backups.iterdir())
    expected = [(START.date() + timedelta(days=d)).isoformat() for d in range(4, 11)]
    assert backups == expected
    newest = json.loads((journal.paths.backups / expected[-1] / "journal-2026.json").read_text())
    assert len(newest["records"]) == 10  # the copy is taken before the day's first write


def test_schema_1_journal_is_migrated_on_open(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    old = {
        "records": {
            "1": {
                "type": "reflection",
                "id": "abc",
                "at": "2026-03-02T17:10:00+01:00",
                "resilience": "he called his sister",
                "still_with_you": 8,
            }
        }
    }
    (paths.data / "journal-2026.json").write_text(json.dumps(old))
    journal = Journal(paths, FakeClock(START)).open()
    (reflection,) = journal.query(ReflectionRecord, date(2026, 3, 2), date(2026, 3, 2))
    assert reflection.still_with_me == 8
    assert reflection.resilience == "he called his sister"
    stored = json.loads((paths.data / "journal-2026.json").read_text())
    assert stored["meta"]["1"]["schema"] == 2


def test_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    from companion.core.journal import JournalError

    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    body = json.dumps({"meta": {"1": {"schema": 99}}, "records": {}})
    (paths.data / "journal-2026.json").write_text(body)
    with pytest.raises(JournalError, match="newer"):
        Journal(paths, FakeClock(START)).open()
    assert (paths.data / "journal-2026.json").read_text() == body


def test_data_dir_env_and_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "env"))
    assert resolve_paths().data == tmp_path / "env"
    assert resolve_paths(tmp_path / "flag").data == tmp_path / "flag"
    assert resolve_paths(tmp_path / "flag").settings == tmp_path / "flag" / "settings.json"
    monkeypatch.delenv("COMPANION_DATA_DIR")
    default = resolve_paths()
    assert str(default.data).startswith(str(Path(os.environ["XDG_DATA_HOME"])))
    assert str(default.config).startswith(str(Path(os.environ["XDG_CONFIG_HOME"])))


def test_release_lets_go_of_the_parse_and_loses_nothing(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    journal.add(GlimmerRecord(at=START, text="before"))
    storage = next(iter(journal._dbs.values())).storage
    assert storage._cache is not None
    journal.release()
    assert storage._cache is None
    journal.add(GlimmerRecord(at=START, text="after"))
    assert [g.text for g in journal.query(GlimmerRecord)] == ["before", "after"]  # type: ignore[attr-defined]
