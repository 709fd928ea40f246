"""One writer for the journal in the app, with one policy for a write that fails."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.core.clock import FakeClock
from companion.core.journal import Journal, JournalError
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord
from companion.core.writer import JournalWriter


class _FullDisk:
    def add(self, record: object) -> str:
        raise OSError(28, "No space left on device")


class _Locked:
    def add(self, record: object) -> str:
        raise JournalError("the journal is locked by another program for over 10 s")


NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _glimmer(clock: FakeClock) -> GlimmerRecord:
    return GlimmerRecord(at=clock.now(), text="she laughed at her own joke, client Anna")


def test_a_saved_record_is_on_disk(tmp_path: Path) -> None:
    clock = FakeClock(NOON)
    journal = Journal(resolve_paths(tmp_path).ensure(), clock).open()
    saved = JournalWriter(journal).save(_glimmer(clock))
    assert saved and saved.message == ""
    assert [r.text for r in journal.all() if isinstance(r, GlimmerRecord)] == [
        "she laughed at her own joke, client Anna"
    ]


@pytest.mark.parametrize("journal", [_FullDisk(), _Locked()])
def test_a_failed_write_is_one_calm_line_and_never_the_text(
    journal: object, caplog: pytest.LogCaptureFixture
) -> None:
    told: list[str] = []
    writer = JournalWriter(journal, on_failure=told.append)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        saved = writer.save(_glimmer(FakeClock(NOON)))
    assert not saved
    assert saved.message.startswith("Not saved:")
    assert "still here" in saved.message
    assert "\n" not in saved.message
    assert told == [saved.message]
    assert "Anna" not in caplog.text and "laughed" not in caplog.text
    assert "glimmer" in caplog.text


def test_a_failed_practice_record_does_not_claim_typed_words() -> None:
    from companion.core.records import PracticeRecord

    record = PracticeRecord(
        at=NOON, exercise="box-5", planned_seconds=300, actual_seconds=300, completed=True
    )
    saved = JournalWriter(_FullDisk()).save(record)  # type: ignore[arg-type]
    assert not saved
    assert saved.message == "Not saved: No space left on device. Try again in a moment."
