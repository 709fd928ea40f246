"""Changing a record written earlier, in place (issue 12 review, item 4): a glimmer marked
"Bring to supervision" from the jar is the same record, by its id, not a second one; the
change reaches a reader in another process, survives lines appended before it, and a
failed or impossible change is one calm line with nothing lost."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import Paths, resolve_paths
from companion.core.records import GlimmerRecord, ReflectionRecord
from companion.core.writer import JournalWriter

TZ = timezone(timedelta(hours=1))
DAY = date(2026, 3, 12)


def at(hh: int, mm: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data").ensure()


def fresh(paths: Paths) -> list[GlimmerRecord]:
    """What another process reads now."""
    return Journal(paths, FakeClock(at(20))).query(GlimmerRecord)


def test_a_glimmer_is_marked_and_unmarked_in_place(paths: Paths) -> None:
    journal = Journal(paths, FakeClock(at(17))).open()
    writer = JournalWriter(journal)
    first = GlimmerRecord(at=at(10), text="the silence held", felt_in=("hands",))
    other = GlimmerRecord(at=at(11), text="a laugh at the door")
    assert writer.save(first) and writer.save(other)
    assert writer.save(ReflectionRecord(at=at(17), energy=4))  # appended after it

    assert writer.replace(dataclasses.replace(first, for_supervision=True))
    found = fresh(paths)
    assert [(g.id, g.text, g.for_supervision) for g in found] == [
        (first.id, "the silence held", True),
        (other.id, "a laugh at the door", False),
    ]
    assert found[0].felt_in == ("hands",) and found[0].at == first.at
    assert len(Journal(paths, FakeClock(at(20))).all()) == 3  # nothing added, nothing lost
    assert journal.query(GlimmerRecord)[0].for_supervision  # the writer's journal sees it

    assert writer.replace(dataclasses.replace(first, for_supervision=False))
    assert [g.for_supervision for g in fresh(paths)] == [False, False]
    journal.close()
    assert [g.for_supervision for g in fresh(paths)] == [False, False]  # after compaction


def test_a_record_that_is_not_there_is_one_line_and_nothing_is_written(paths: Paths) -> None:
    journal = Journal(paths, FakeClock(at(17))).open()
    writer = JournalWriter(journal)
    kept = GlimmerRecord(at=at(10), text="kept")
    writer.save(kept)
    stranger = GlimmerRecord(at=at(10), text="never saved", for_supervision=True)
    done = writer.replace(stranger)
    assert not done and done.message == "Not changed: it is no longer in the journal."
    assert [g.text for g in fresh(paths)] == ["kept"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only folder")
def test_a_change_that_cannot_be_written_is_one_line(paths: Paths) -> None:
    journal = Journal(paths, FakeClock(at(17))).open()
    lines: list[str] = []
    writer = JournalWriter(journal, on_failure=lines.append)
    g = GlimmerRecord(at=at(10), text="kept")
    writer.save(g)
    journal.close()
    paths.data.chmod(0o500)
    try:
        done = writer.replace(dataclasses.replace(g, for_supervision=True))
    finally:
        paths.data.chmod(0o700)
    assert not done and done.message.startswith("Not saved: ") and lines == [done.message]
    assert "kept" not in done.message
    assert [x.for_supervision for x in fresh(paths)] == [False]


def test_a_change_that_fails_to_write_keeps_the_record_as_it_was(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(paths, FakeClock(at(17))).open()
    writer = JournalWriter(journal)
    g = GlimmerRecord(at=at(10), text="kept")
    writer.save(g)
    journal.close()

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("companion.core.journal_storage.write_atomic", full)
    monkeypatch.setattr("companion.core.journal._write_whole", full)
    done = writer.replace(dataclasses.replace(g, for_supervision=True))
    assert not done and "No space left on device" in done.message
    monkeypatch.undo()
    assert [x.for_supervision for x in fresh(paths)] == [False]
    assert [x.for_supervision for x in journal.query(GlimmerRecord)] == [False]
