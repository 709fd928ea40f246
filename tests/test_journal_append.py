"""An append writes one line, not the whole year; the year is written whole later, and a
crash anywhere in between loses nothing (companion/core/journal_storage.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from companion.core import journal as journal_module
from companion.core.clock import FakeClock
from companion.core.files import mode_of
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import GlimmerRecord

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 9, 50, tzinfo=TZ)


def _journal(tmp_path: Path) -> Journal:
    return Journal(resolve_paths(tmp_path / "data"), FakeClock(START), backups=False).open()


def _texts(journal: Journal) -> list[str]:
    return [g.text for g in journal.query(GlimmerRecord)]  # type: ignore[attr-defined]


def test_an_append_adds_a_line_and_leaves_the_year_in_place(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    journal.add(GlimmerRecord(at=START, text="first"))
    path = journal.file_for(START.date())
    before = path.read_bytes()
    inode = path.stat().st_ino
    journal.add(GlimmerRecord(at=START, text="second"))
    after = path.read_bytes()
    assert path.stat().st_ino == inode  # not a new file renamed into place
    assert after.startswith(before)  # nothing written before it was touched
    assert after[len(before) :].count(b"\n") == 1 and b"second" in after[len(before) :]
    assert mode_of(path) == 0o600


def test_a_crash_between_append_and_compaction_loses_nothing(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    for text in ("one", "two", "three"):
        journal.add(GlimmerRecord(at=START, text=text))
    path = journal.file_for(START.date())
    # the process dies here: no close, no compaction; the lines are all there is
    with_lines = path.read_bytes()
    assert b"three" in with_lines
    again = _journal(tmp_path)
    assert _texts(again) == ["one", "two", "three"]
    # and opening wrote the year whole: one JSON document again, same records
    data = json.loads(path.read_bytes())
    assert sorted(d["text"] for d in data["records"].values()) == ["one", "three", "two"]
    assert mode_of(path) == 0o600


def test_closing_writes_the_year_whole(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    journal.add(GlimmerRecord(at=START, text="kept"))
    path = journal.file_for(START.date())
    journal.close()
    assert [d["text"] for d in json.loads(path.read_bytes())["records"].values()] == ["kept"]


def test_a_long_tail_is_folded_in_without_waiting_for_close(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    path = journal.file_for(START.date())
    for n in range(journal_module.COMPACT_AFTER):
        journal.add(GlimmerRecord(at=START, text=f"n{n}"))
    lines = path.read_bytes().rstrip(b"\n").count(b"\n")
    assert lines == 0  # written whole on the COMPACT_AFTER-th line
    assert len(json.loads(path.read_bytes())["records"]) == journal_module.COMPACT_AFTER


def test_a_line_cut_short_by_a_crash_costs_only_itself(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    for text in ("one", "two"):
        journal.add(GlimmerRecord(at=START, text=text))
    path = journal.file_for(START.date())
    torn = b'["records","3",{"type":"glimmer","text":"thr'
    with path.open("ab") as f:  # an append the crash cut in the middle
        f.write(torn)
    again = _journal(tmp_path)
    assert _texts(again) == ["one", "two"]
    (kept,) = path.parent.glob(f"{path.name}.corrupt-*")
    assert kept.read_bytes() == torn and mode_of(kept) == 0o600
    (notice,) = again.notices
    assert str(kept) in notice and path.name in notice
    json.loads(path.read_bytes())  # the rest written whole, the torn bytes gone
    again.add(GlimmerRecord(at=START, text="three"))
    assert _texts(_journal(tmp_path)) == ["one", "two", "three"]


def test_a_line_still_being_written_is_not_taken_for_damage_by_a_reader(
    tmp_path: Path,
) -> None:
    reader = _journal(tmp_path)
    writer = _journal(tmp_path)
    writer.add(GlimmerRecord(at=START, text="one"))
    assert _texts(reader) == ["one"]
    path = writer.file_for(START.date())
    with path.open("ab") as f:  # another process's append, half way through
        f.write(b'["records","2",{"type":"gli')
    assert _texts(reader) == ["one"]
    assert reader.notices == [] and list(path.parent.glob("*.corrupt-*")) == []


def test_appends_from_two_journals_on_one_folder_all_land(tmp_path: Path) -> None:
    app, terminal = _journal(tmp_path), _journal(tmp_path)
    app.add(GlimmerRecord(at=START, text="from the tray"))
    terminal.add(GlimmerRecord(at=START + timedelta(minutes=1), text="from a terminal"))
    app.add(GlimmerRecord(at=START + timedelta(minutes=2), text="from the tray again"))
    terminal.close()
    assert _texts(app) == ["from the tray", "from a terminal", "from the tray again"]
    assert app.count() == 3


def test_a_file_written_by_an_older_version_takes_appends(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "data").ensure()
    old = {"meta": {"1": {"schema": 2}}, "records": {}}
    path = paths.data / "journal-2026.json"
    path.write_text(json.dumps(old, indent=2))  # pretty, and no newline at the end
    path.chmod(0o600)
    journal = Journal(paths, FakeClock(START), backups=False).open()
    journal.add(GlimmerRecord(at=START, text="new"))
    assert _texts(Journal(paths, FakeClock(START), backups=False)) == ["new"]
