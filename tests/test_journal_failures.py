"""The journal's failure paths (issue 14): whatever goes wrong, nothing a person wrote is
lost, and what happened is said in one line, never hidden and never a traceback."""

from __future__ import annotations

import builtins
import errno
import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from companion.cli import main
from companion.core.aside import dismiss_set_aside, set_aside
from companion.core.clock import FakeClock
from companion.core.files import mode_of
from companion.core.journal import MAX_FILE_BYTES, SCHEMA_VERSION, Journal, JournalError
from companion.core.paths import Paths, resolve_paths
from companion.core.records import GlimmerRecord, PracticeRecord

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 9, 50, tzinfo=TZ)
YEAR = datetime.now().year  # the CLI's journal year (it runs on the system clock)
TRUNCATED = b'{"meta": {"1": {"schema": 2}}, "records": {"1": {"type": "glimmer", "te'


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve_paths(data_dir).ensure()


def journal_doc(*records: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": {"1": {"schema": SCHEMA_VERSION}},
        "records": {str(n): r for n, r in enumerate(records, 1)},
    }


def glimmer_doc(day: date, text: str) -> dict[str, Any]:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=TZ)
    return {
        "type": "glimmer",
        "id": os.urandom(8).hex(),
        "at": at.isoformat(),
        "day": day.isoformat(),
        "text": text,
        "source": "anytime",
        "felt_in": [],
        "practice_id": None,
    }


def err_lines(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str]]:
    got = capsys.readouterr()
    assert "Traceback" not in got.err
    return got.out, got.err.strip().splitlines()


def no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# --- 2. a damaged journal found while the disk is full --------------------------------------


def test_a_damaged_journal_found_on_a_full_disk_is_said_and_kept_until_dismissed(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir(mode=0o700)
    damaged = data_dir / f"journal-{YEAR}.json"
    damaged.write_bytes(TRUNCATED)
    with monkeypatch.context() as full:  # the disk is full: no file can be written
        full.setattr("companion.core.journal.write_atomic", no_space)
        assert main(["glimmer", "a small light"]) == 1
    _out, err = err_lines(capsys)
    (kept,) = data_dir.glob(f"journal-{YEAR}.json.corrupt-*")
    assert kept.read_bytes() == TRUNCATED
    # said first, then the failure that followed
    assert len(err) == 2 and str(kept) in err[0] and "No space left" in err[1]

    # space is back: the app runs on a fresh journal, and doctor says what was set aside
    assert main(["glimmer", "a small light"]) == 0
    assert main(["doctor"]) == 0
    out, _err = err_lines(capsys)
    (line,) = [x for x in out.splitlines() if str(kept) in x and x.startswith("!!")]
    assert f"your journal for {YEAR} could not be read" in line
    assert f"companion doctor --dismiss {kept}" in out  # and how to stop hearing it
    assert main(["doctor"]) == 0  # and again, until it is dismissed
    assert str(kept) in capsys.readouterr().out

    assert main(["doctor", "--dismiss", str(kept)]) == 0
    out, err = err_lines(capsys)
    assert str(kept) in out and err == []
    assert main(["doctor"]) == 0
    assert str(kept) not in capsys.readouterr().out
    assert kept.read_bytes() == TRUNCATED  # dismissing keeps the file


def test_doctor_dismiss_refuses_a_file_that_was_not_set_aside(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--dismiss", str(paths.data / "journal-2026.json")]) == 1
    _out, err = err_lines(capsys)
    assert len(err) == 1 and "is not a file Grounding Companion set aside" in err[0]


def test_set_aside_lists_every_kept_file_for_the_tray_until_dismissed(paths: Paths) -> None:
    (paths.data / "journal-2026.json").write_bytes(b"\x00 not json")
    Journal(paths, FakeClock(START)).open()
    (paths.config / "settings.json.unreadable-20260301-080000").write_text("{")
    (paths.data / "notes.txt").write_text("the person's own file")  # never listed
    found = set_aside(paths)
    assert [(a.what, a.when) for a in found] == [
        ("your settings", datetime(2026, 3, 1, 8, 0)),
        ("your journal for 2026", datetime(2026, 3, 2, 9, 50)),
    ]
    journal_kept = found[1].path
    assert journal_kept.name == "journal-2026.json.corrupt-20260302-095000"
    assert str(journal_kept) in found[1].line()

    assert dismiss_set_aside(paths, journal_kept).path == journal_kept
    assert [a.what for a in set_aside(paths)] == ["your settings"]
    assert len(set_aside(paths, dismissed=True)) == 2
    assert journal_kept.exists()
    with pytest.raises(LookupError):
        dismiss_set_aside(paths, paths.data / "notes.txt")


# --- 3. export and Look back say which year was set aside -----------------------------------


def test_export_names_a_damaged_older_year_and_fails_until_dismissed(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glimmer", "this year"]) == 0
    older = paths.data / f"journal-{YEAR - 1}.json"
    older.write_bytes(TRUNCATED)
    capsys.readouterr()
    assert main(["export", "--format", "json"]) == 1
    out, err = err_lines(capsys)
    assert [r["text"] for r in json.loads(out)["records"]] == ["this year"]
    (kept,) = paths.data.glob(f"journal-{YEAR - 1}.json.corrupt-*")
    assert kept.read_bytes() == TRUNCATED  # kept aside, never overwritten
    assert len(err) == 1
    assert err[0].startswith(f"companion: not in this export: your journal for {YEAR - 1}")
    assert str(kept) in err[0]

    # a second export still says so (the file was moved aside by the first)
    out_file = paths.data.parent / "journal.md"
    assert main(["export", "--format", "md", "--out", str(out_file)]) == 1
    _out, err = err_lines(capsys)
    assert err[0].startswith("Exported 1 record to") and str(kept) in err[1]

    assert main(["doctor", "--dismiss", str(kept)]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "json"]) == 0
    assert err_lines(capsys)[1] == []


# --- 4. a backup is best effort ---------------------------------------------------------------


def test_backups_being_a_file_never_blocks_a_write(
    paths: Paths, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(START)
    Journal(paths, clock).open().add(GlimmerRecord(at=START, text="first"))
    shutil.rmtree(paths.backups)
    paths.backups.write_text("someone put a file here")
    clock.advance(86400)
    with caplog.at_level(logging.WARNING, logger="companion.journal"):
        journal = Journal(paths, clock).open()
        journal.add(GlimmerRecord(at=clock.now(), text="second"))
    assert [g.text for g in journal.query(GlimmerRecord)] == ["first", "second"]  # type: ignore[attr-defined]
    (logged,) = [r.getMessage() for r in caplog.records]
    assert "backup was not taken" in logged and "second" not in logged
    assert journal.backup_problem and str(paths.backups) in journal.backup_problem
    assert paths.backups.read_text() == "someone put a file here"
    assert main(["doctor"]) == 0
    out, _err = err_lines(capsys)
    line = next(x for x in out.splitlines() if x[3:].startswith("backups"))
    assert line.startswith("!!") and "could not be made" in line


def test_a_stray_partial_copy_is_cleared_and_never_blocks_a_write(paths: Paths) -> None:
    clock = FakeClock(START)
    paths.backups.mkdir(mode=0o700)
    old = paths.backups / ".2026-02-27.partial"  # a copy cut short days ago
    old.mkdir()
    (old / "journal-2026.json").write_bytes(b"x" * 4096)
    (paths.backups / f".{START.date().isoformat()}.partial").write_text("not even a folder")
    journal = Journal(paths, clock).open()
    journal.add(GlimmerRecord(at=START, text="kept"))
    clock.advance(86400)
    journal.add(GlimmerRecord(at=clock.now(), text="the next day"))
    assert sorted(p.name for p in paths.backups.iterdir()) == [
        (START.date() + timedelta(days=1)).isoformat()
    ]
    assert len(journal.query(GlimmerRecord)) == 2


def test_a_full_disk_at_the_first_backup_of_the_day_leaves_no_partial_copy(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(START)
    Journal(paths, clock).open().add(GlimmerRecord(at=START, text="yesterday"))
    journal = Journal(paths, clock).open()  # takes yesterday's copy
    clock.advance(86400)

    def copy_until_full(src: Path, dst: Path) -> None:
        Path(dst).write_bytes(Path(src).read_bytes()[:10])  # a part, then the disk is full
        no_space()

    monkeypatch.setattr("companion.core.journal.shutil.copyfile", copy_until_full)
    journal.add(GlimmerRecord(at=clock.now(), text="today"))
    assert [g.text for g in journal.query(GlimmerRecord)] == ["yesterday", "today"]  # type: ignore[attr-defined]
    assert journal.backup_problem and "No space left" in journal.backup_problem
    left = sorted(p.name for p in paths.backups.iterdir())
    assert left == [START.date().isoformat()]  # yesterday's copy, and nothing half-made


# --- 5. temp files of killed writes -----------------------------------------------------------

KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from companion.core import files
    from companion.core.clock import SystemClock
    from companion.core.drafts import Draft, DraftStore
    from companion.core.journal import Journal
    from companion.core.paths import resolve_paths
    from companion.core.records import GlimmerRecord
    from datetime import date
    paths = resolve_paths(sys.argv[1])
    journal = Journal(paths, SystemClock(), backups=False).open()
    journal.add(GlimmerRecord(at=SystemClock().now(), text="saved before"))
    die = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
    # die at the worst moment: the temp file is written, not yet renamed into place
    if sys.argv[2] == "draft":
        files.os.fsync = die
        DraftStore(paths).save(Draft(day=date(2026, 3, 2), resilience="private words"))
    else:  # appended as a line, then killed while the year is written whole
        journal.add(GlimmerRecord(at=SystemClock().now(), text="private words"))
        files.os.fsync = die
        journal.compact()
    """
)


def _kill_a_writer(paths: Paths, what: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(paths.data), what], check=False, timeout=60
    )
    assert child.returncode == -9


def test_temp_files_of_killed_writes_are_removed_on_open(paths: Paths) -> None:
    _kill_a_writer(paths, "draft")
    _kill_a_writer(paths, "journal")
    drafts = paths.data / "drafts"
    left = list(paths.data.glob(".journal-*.tmp")) + list(drafts.glob(".reflection-*.tmp"))
    assert len(left) == 2 and all(b"private words" in p.read_bytes() for p in left)
    clock = FakeClock(datetime.now(TZ) + timedelta(minutes=11))  # the draft's is stale by now
    journal = Journal(paths, clock).open()
    assert list(paths.data.rglob("*.tmp")) == []
    # killed between the append and writing the year whole: nothing is lost
    texts = [g.text for g in journal.query(GlimmerRecord)]  # type: ignore[attr-defined]
    assert texts.count("saved before") == 2 and texts.count("private words") == 1


def test_only_stale_temp_files_of_the_apps_own_naming_are_removed(paths: Paths) -> None:
    clock = FakeClock(START)
    now = START.timestamp()
    drafts = paths.data / "drafts"
    drafts.mkdir(mode=0o700)

    def temp(folder: Path, name: str, age_s: float) -> Path:
        path = folder / name
        path.write_text("x")
        os.utime(path, (now - age_s, now - age_s))
        return path

    gone = [
        temp(paths.data, ".journal-2026.json.k2j3h4g5.tmp", 1),  # under the lock: any age
        temp(paths.data, ".status.json.abcdefgh.tmp", 3600),
        temp(drafts, ".reflection-2026-03-01.json.q1w2e3r4.tmp", 3600),
    ]
    kept = [
        temp(drafts, ".reflection-2026-03-02.json.zx_cv9bn.tmp", 5),  # a write under way
        temp(paths.data, ".calendar-cache.json.a1b2c3d4.tmp", 30),  # likewise
        temp(paths.data, ".notes.tmp", 3600),  # not the app's naming
        temp(paths.data, "journal-2026.json.k2j3h4g5.tmp", 3600),
    ]
    Journal(paths, clock).open()
    assert [p for p in gone if p.exists()] == []
    assert [p for p in kept if p.exists()] == kept


# --- 12. export leaves the folder it writes into alone ----------------------------------------


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_export_leaves_a_shared_folders_mode_alone(
    paths: Paths, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glimmer", "shared"]) == 0
    capsys.readouterr()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2775)
    out = shared if fmt == "csv" else shared / f"journal.{fmt}"
    assert main(["export", "--format", fmt, "--out", str(out)]) == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o2775
    written = list(shared.iterdir())
    assert written and {mode_of(p) for p in written} == {0o600}
    # a folder the export makes for itself is private
    fresh = tmp_path / "new" / "csv"
    assert main(["export", "--format", "csv", "--out", str(fresh)]) == 0
    assert mode_of(fresh) == 0o700


# --- 8. a journal file too large to open --------------------------------------------------------


def test_a_journal_file_over_the_limit_is_refused_in_one_line_and_still_exported(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = paths.data / f"journal-{YEAR}.json"
    big_text = "a very long glimmer " * (MAX_FILE_BYTES // 20 + 1000)
    huge.write_text(json.dumps(journal_doc(glimmer_doc(date(YEAR, 1, 5), big_text))))
    before = hashlib.sha256(huge.read_bytes()).hexdigest()

    assert main(["glimmer", "one more"]) == 1
    _out, err = err_lines(capsys)
    (line,) = err
    assert line.startswith(f"companion: the glimmer was not saved: {huge} is ")
    assert f"MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB a journal file may hold" in line
    assert hashlib.sha256(huge.read_bytes()).hexdigest() == before

    assert main(["doctor"]) == 0
    out, _err = err_lines(capsys)
    assert any(x.startswith("!!") and str(huge) in x for x in out.splitlines())

    assert main(["export", "--format", "json"]) == 0  # the way out: export reads it all
    out, err = err_lines(capsys)
    assert json.loads(out)["records"][0]["text"] == big_text and err == []


# --- 13. valid JSON of the wrong shape -----------------------------------------------------------

GOOD = glimmer_doc(date(2026, 3, 2), "good")


@pytest.mark.parametrize(
    "data",
    [
        {"meta": {"1": {"schema": "two"}}, "records": {"1": GOOD}},
        {"meta": {"1": {"schema": 2}}, "records": {"abc": GOOD}},
        {"meta": {"1": {"schema": 2}}, "records": {"1": GOOD, "2": "a record as a string"}},
        {"meta": {"1": {"schema": True}}, "records": {"1": GOOD}},
    ],
    ids=["schema-two", "id-abc", "record-string", "schema-true"],
)
def test_a_journal_of_the_wrong_shape_is_set_aside_like_a_damaged_one(
    paths: Paths, data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.dumps(data).encode()
    (paths.data / "journal-2026.json").write_bytes(body)
    journal = Journal(paths, FakeClock(START)).open()
    (kept,) = paths.data.glob("journal-2026.json.corrupt-*")
    assert kept.read_bytes() == body
    assert len(journal.notices) == 1 and "not a journal" in journal.notices[0]
    journal.add(GlimmerRecord(at=START, text="goes on"))
    assert main(["doctor"]) == 0
    out, _err = err_lines(capsys)
    assert str(kept) in out


@pytest.mark.parametrize(
    "bad",
    [
        {**GOOD, "day": 7},
        {
            "type": "practice",
            "id": "p1",
            "at": "2026-03-02T10:00:00+01:00",
            "day": "2026-03-02",
            "exercise": "box",
            "planned_seconds": 300,
            "actual_seconds": None,
            "completed": True,
        },
        {**GOOD, "felt_in": "chest"},
        {**GOOD, "type": "from-a-newer-version"},
    ],
    ids=["day-7", "actual-seconds-null", "felt-in-string", "unknown-type"],
)
def test_a_record_of_the_wrong_shape_is_skipped_counted_and_kept(
    paths: Paths, bad: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = paths.data / f"journal-{YEAR}.json"
    path.write_text(json.dumps(journal_doc(glimmer_doc(date(YEAR, 1, 5), "good"), bad)))
    assert main(["glimmer", "and another"]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "json"]) == 1
    out, err = err_lines(capsys)
    assert [r["text"] for r in json.loads(out)["records"]] == ["good", "and another"]
    assert err == [
        "companion: not in this export: 1 record in "
        f"{path} could not be read by this version; it was left in the file as it is"
    ]
    assert bad in json.loads(path.read_text())["records"].values()  # lose nothing
    assert main(["doctor"]) == 0
    out, _err = err_lines(capsys)
    assert any(x.startswith("!!") and "1 record in" in x for x in out.splitlines())
    assert list(paths.data.glob("*.corrupt-*")) == []


def test_an_old_schema_record_of_the_wrong_shape_is_migrated_around(paths: Paths) -> None:
    path = paths.data / "journal-2026.json"
    old = {"records": {"1": {**GOOD, "at": 7}, "2": {**GOOD, "text": "kept", "day": None}}}
    del old["records"]["2"]["day"]
    path.write_text(json.dumps(old))
    journal = Journal(paths, FakeClock(START)).open()
    assert [g.text for g in journal.query(GlimmerRecord)] == ["kept"]  # type: ignore[attr-defined]
    assert len(journal.read_problems()) == 1
    assert json.loads(path.read_text())["records"]["1"]["at"] == 7


def test_practice_with_null_seconds_never_reaches_insights(paths: Paths) -> None:
    path = paths.data / "journal-2026.json"
    doc = {
        "type": "practice",
        "id": "p1",
        "at": "2026-03-02T10:00:00+01:00",
        "day": "2026-03-02",
        "exercise": "box",
        "planned_seconds": 300,
        "actual_seconds": None,
        "completed": True,
    }
    path.write_text(json.dumps(journal_doc(doc)))
    journal = Journal(paths, FakeClock(START)).open()
    assert journal.query(PracticeRecord) == []
    assert journal.read_problems() == [
        f"1 record in {path} could not be read by this version; it was left in the file as it is"
    ]


def test_a_glimmer_from_a_terminal_that_is_not_utf8_is_one_line(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "companion", "glimmer", b"caf\xe9 au lait"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C.UTF-8", "COMPANION_DATA_DIR": str(data_dir)},
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("companion: the glimmer holds bytes that are not UTF-8 text")
    assert list(data_dir.glob("journal-*.json")) == [] or "caf" not in "".join(
        p.read_text() for p in data_dir.glob("journal-*.json")
    )


def test_text_that_is_not_unicode_is_refused_by_the_journal_not_crashed_on(
    paths: Paths,
) -> None:
    journal = Journal(paths, FakeClock(START)).open()
    with pytest.raises(JournalError, match="not valid Unicode"):
        journal.add(GlimmerRecord(at=START, text="caf\udce9"))
    journal.add(GlimmerRecord(at=START, text="café"))
    assert [g.text for g in journal.query(GlimmerRecord)] == ["café"]  # type: ignore[attr-defined]


# --- 13. a read-only data folder still reads out --------------------------------------------------


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Make a folder behave like one on a read-only disk (EROFS on every write), for this
    process: tests may run as root, where a mode of 0555 stops nothing."""
    roots: list[Path] = []

    def under(path: Any) -> bool:
        if isinstance(path, int):
            return False
        p = Path(os.fsdecode(path)).absolute()
        return any(p == r or r in p.parents for r in roots)

    def refuse(path: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

    real_open, real_mkdir, real_builtin_open = os.open, os.mkdir, builtins.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def fake_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if flags & writing and under(path):
            refuse(path)
        return real_open(path, flags, mode, **kw)

    def fake_mkdir(path: Any, mode: int = 0o777, **kw: Any) -> None:
        if under(path):
            if os.path.exists(path):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))
            refuse(path)
        real_mkdir(path, mode, **kw)

    def fake_builtin_open(file: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
        if any(c in mode for c in "wax+") and under(file):
            refuse(file)
        return real_builtin_open(file, mode, *args, **kw)

    def guard(name: str) -> None:
        real = getattr(os, name)

        def fake(*args: Any, **kw: Any) -> Any:
            if any(under(a) for a in args[:2]):
                refuse(args[0])
            return real(*args, **kw)

        monkeypatch.setattr(os, name, fake)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)
    monkeypatch.setattr(builtins, "open", fake_builtin_open)
    for name in ("chmod", "replace", "rename", "unlink", "remove", "rmdir", "utime"):
        guard(name)
    yield roots.append


def test_a_read_only_data_folder_still_exports_and_doctors(
    paths: Paths, read_only: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glimmer", "written before"]) == 0
    (paths.data / f"journal-{YEAR - 1}.json").write_text(
        json.dumps(journal_doc(glimmer_doc(date(YEAR - 1, 6, 1), "last year")))
    )
    shutil.rmtree(paths.backups)  # so the open would want to take today's copy
    paths.data.chmod(0o755)  # and to tighten the folder
    capsys.readouterr()
    read_only(paths.data)

    assert main(["export", "--format", "json"]) == 0
    out, err = err_lines(capsys)
    assert [r["text"] for r in json.loads(out)["records"]] == ["last year", "written before"]
    assert main(["doctor", "--json"]) == 0
    out, err = err_lines(capsys)
    journal = next(c for c in json.loads(out)["checks"] if c["check"] == "journal")
    assert journal["ok"] and journal["detail"].startswith("2 records in 2 file(s)")
    assert main(["glimmer", "cannot be written"]) == 1
    _out, err = err_lines(capsys)
    assert len(err) == 1 and "Read-only file system" in err[0]
