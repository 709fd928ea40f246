"""The journal: a local JSON store on TinyDB that survives crashes and a second writer.

Three guarantees, each tested:

* **Atomic writes.** `AtomicJSONStorage` never rewrites a file in place (TinyDB's
  own `JSONStorage` does `r+`, seek, write, truncate, so a crash mid-write leaves a
  torn file). It serialises first, writes a temp file beside the target, fsyncs and
  `os.replace`s it.
* **Nothing lost between processes.** The tray app and `companion glimmer` in a
  terminal may append at the same moment. Every read-modify-write runs under an
  inter-process file lock and starts from the file as it is on disk now.
* **Nothing silently reset.** A file that does not parse, or parses into something that
  is not a journal (the wrong shape: a schema that is not a number, a record id TinyDB
  cannot use, a record that is not an object), is renamed aside to
  `<name>.corrupt-<timestamp>` byte for byte; the journal goes on fresh and keeps a
  notice naming the kept file (shown on stderr by the CLI). Set-aside files are listed
  from the folder itself (`companion.core.aside`), so `doctor`, export, Look back and the
  tray report them until the person dismisses them, even if the disk was full when the
  file was found. A single record of the wrong shape (`day: 7`, `actual_seconds: null`)
  is left in the file untouched, skipped and counted (`skipped`, `read_problems`).

What else an open does, none of which can stop a record from being written:

* removes the temp files of writes that were killed (`.journal-2026.json.XXXXXXXX.tmp`
  under the journal's lock, whatever their age; the app's other temp files in its own
  folders once they are `STALE_TEMP_S` old, so no live writer loses its file);
* takes today's backup, best effort: a problem (no room, `backups` not a folder) is one
  log line and `backup_problem`, the unfinished copy is removed, and the write goes on.

A file over `MAX_FILE_BYTES` (8 MB) is not opened (a 245 MB one took 8.6 s and 1.1 GB per
write): writes to it are refused with one line naming it, reads leave it out and say
so (`unread`), and an export (`size_limit=None`) still reads it out. A folder that
cannot be written (a read-only disk) can still be read: export and doctor work.

An append writes one line at the end of its year's file instead of rewriting the year;
the file is written whole again later (`COMPACT_AFTER` lines, or when the journal is
opened or closed). A line cut short by a crash is moved aside, alone, with one line
saying so; everything else is read. See `companion.core.journal_storage`.

Records are partitioned into one file per year (`journal-2026.json`) so a write
re-serialises one year, not five: see bench/journal.py for the figures that led
here. `partition="none"` keeps everything in `journal.json`, for comparison.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from tinydb import TinyDB

from companion.core.aside import set_aside
from companion.core.clock import Clock
from companion.core.drafts import DraftStore
from companion.core.files import (
    ensure_private_dir,
    make_private,
    remove_stale_temps,
    write_atomic,
)
from companion.core.journal_storage import (
    AtomicJSONStorage,
    JournalError,
    JournalUnread,
    shape_problem,
    too_large_line,
)

__all__ = [
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "Journal",
    "JournalError",
    "JournalUnread",
    "shape_problem",
    "too_large_line",
]
from companion.core.locking import LockTimeout, locked
from companion.core.paths import Paths
from companion.core.records import RECORD_TYPES, Record, from_doc, to_doc
from companion.i18n import _, ngettext

SCHEMA_VERSION = 2
BACKUPS_KEPT = 7
LOCK_TIMEOUT_S = 10.0
#: The largest journal file the app opens: over five times a year of heavy use (8 sessions
#: a day is about 1.4 MB a year). One write to a file this size takes about 0.15 s and
#: 40 MiB; to a 245 MB file it took 8.6-13 s and 1.1 GB (figures: the issue 14 notes).
MAX_FILE_BYTES = 8_000_000
#: Appended lines a year's file may gather before it is written whole again.
COMPACT_AFTER = 64

R = TypeVar("R", bound=Record)
_PARTITION_RE = re.compile(r"^journal(?:-(\d{4}))?\.json$")
_BACKUP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: What opening a file for writing says on a disk that cannot be written.
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})

log = logging.getLogger("companion.journal")


class Journal:
    """Append-only records with add and query-by-date-range.

    Cheap to construct; files are opened lazily, one partition at a time.

    `size_limit` (bytes; None: any size) is the largest file it opens, by default
    `MAX_FILE_BYTES`. What a person should hear about is kept on the journal: `notices`
    (lines to show once: a file just set aside, a file not opened), `unread` (files reads
    left out, with why), `skipped` (ids of records of the wrong shape left in their file),
    and `backup_problem` (today's copy could not be made). `read_problems` puts them, and
    every set-aside journal file not yet dismissed, into lines.
    """

    def __init__(
        self,
        paths: Paths,
        clock: Clock,
        *,
        partition: Literal["year", "none"] = "year",
        backups: bool = True,
        size_limit: int | None = -1,
    ) -> None:
        self.paths = paths
        self.clock = clock
        self.partition = partition
        self.notices: list[str] = []
        self.unread: dict[Path, str] = {}
        self.skipped: dict[Path, set[str]] = {}
        self.backup_problem: str | None = None
        self._dbs: dict[Path, TinyDB] = {}
        self._backups = backups
        # -1: MAX_FILE_BYTES for a year's file; the one-file layout (benchmarks) has no cap
        if size_limit == -1:
            size_limit = MAX_FILE_BYTES if partition == "year" else None
        self._size_limit = size_limit
        ensure_private_dir(paths.data)
        self._lock_path = paths.data / ".journal.lock"
        self._migrated: set[Path] = set()
        self._appended: set[Path] = set()
        self._backed_up_on: date | None = None

    # --- files -------------------------------------------------------------------------

    def file_for(self, day: date) -> Path:
        if self.partition == "none":
            return self.paths.data / "journal.json"
        return self.paths.data / f"journal-{day.year}.json"

    def files(self) -> list[Path]:
        """Every journal file on disk, oldest year first."""
        found = [p for p in self.paths.data.glob("journal*.json") if _PARTITION_RE.match(p.name)]
        return sorted(found)

    def _db(self, path: Path) -> TinyDB:
        db = self._dbs.get(path)
        if db is None:
            db = TinyDB(
                path,
                storage=AtomicJSONStorage,
                on_corrupt=self._corrupt,
                size_limit=self._size_limit,
                write=_write_whole,
            )
            self._dbs[path] = db
        return db

    def _aside_name(self, path: Path) -> Path:
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        return target

    def _corrupt(self, path: Path, exc: Exception) -> None:
        """Move an unreadable file aside, byte for byte, and say so before anything else
        can fail: the notice is kept here and logged; nothing is written for it (the
        set-aside file itself is what `doctor` and the tray list)."""
        target = self._aside_name(path)
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        try:
            os.replace(path, target)
        except OSError as move:
            line = _(
                "the journal file {path} could not be read ({reason}) and could not be "
                "set aside ({problem}); it was left as it is"
            ).format(path=path, reason=reason, problem=move.strerror or move)
            log.info("%s could not be read nor set aside: %s", path.name, move.strerror)
            raise JournalUnread(line) from None
        notice = _(
            "the journal file {name} could not be read ({reason}); it was kept as "
            "{target} and a fresh journal was started"
        ).format(name=path.name, reason=reason, target=target)
        self.notices.append(notice)
        # info: the notice is what the person reads (the terminal shows warnings, and
        # would show it twice); the log file keeps this line
        log.info("%s could not be read; it was kept as %s", path.name, target)
        with contextlib.suppress(OSError):
            make_private(target)

    @contextlib.contextmanager
    def locked(self, *, writing: bool = True) -> Iterator[bool]:
        """Hold the journal's inter-process lock; yields whether it is held. A reader on a
        folder where the lock file cannot be made (a read-only disk) reads without it:
        nobody can write there either, and every write is an atomic rename."""
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(locked(self._lock_path, LOCK_TIMEOUT_S))
            except LockTimeout:
                raise JournalError(
                    _(
                        "the journal in {folder} is locked by another program for over "
                        "{seconds:.0f} s"
                    ).format(folder=self.paths.data, seconds=LOCK_TIMEOUT_S)
                ) from None
            except OSError as exc:
                if exc.errno not in _READ_ONLY:
                    raise
                if writing:
                    raise JournalError(
                        _("the journal folder {folder} cannot be written ({reason})").format(
                            folder=self.paths.data, reason=exc.strerror or exc
                        )
                    ) from None
                yield False
                return
            yield True

    # --- open, migrate, back up -------------------------------------------------------

    def open(self) -> Journal:
        """Check the current partition (migrating, or moving a corrupt file aside), tidy up
        after killed writes and take today's backup. Safe to call more than once. Writes
        nothing else, so it also opens a journal on a read-only disk."""
        with self.locked(writing=False) as held:
            self._remove_temps(held)
            # Only this year's file is read now; older years are checked (and migrated)
            # the first time a query reaches them, so opening stays fast after years of use.
            path = self.file_for(self.clock.now().date())
            try:
                self._ensure_schema(path, writing=False)
                if held:
                    self._tidy_tail(path)
            except JournalUnread as exc:
                self.unread[path] = str(exc)
                self.notices.append(str(exc))
            if self._backups and held:
                self._backup()
        return self

    def _tidy_tail(self, path: Path) -> None:
        """Under the lock, at open: lines left by a process that did not close (a crash,
        a kill) are written into the file whole; a damaged end is kept aside."""
        storage = self._storage(path)
        try:
            if storage.read() is None:
                return
            if storage.damaged:
                self._repair(path, storage)
            elif storage.tail:
                storage.compact()
        except OSError as exc:  # a read-only disk: the lines are read as they are
            if exc.errno not in _READ_ONLY:
                raise

    def _remove_temps(self, held: bool) -> None:
        now = self.clock.now().timestamp()
        folders = [self.paths.data, DraftStore(self.paths).folder]
        if self.paths.config != self.paths.data:
            folders.append(self.paths.config)
        removed = remove_stale_temps(
            folders[0], now, any_age=lambda target: held and bool(_PARTITION_RE.match(target))
        )
        for folder in folders[1:]:
            removed += remove_stale_temps(folder, now)
        if removed:
            log.info("removed %d temp file(s) left by interrupted writes", len(removed))

    def _ensure_schema(self, path: Path, *, writing: bool = True) -> None:
        """Make sure `path` is at the current schema. A missing file is created only for a
        write; a migration that cannot be written back (read-only) is read in memory."""
        if path in self._migrated:
            return
        db = self._db(path)
        storage = cast(AtomicJSONStorage, db.storage)
        data = storage.read()
        if data is None:  # new (or just moved aside): start it at the current schema
            if writing:
                storage.write({"meta": {"1": {"schema": SCHEMA_VERSION}}, "records": {}})
                self._migrated.add(path)
            return
        docs = list(data.get("meta", {}).values())
        version = int(docs[0].get("schema", 1)) if docs else 1
        if version > SCHEMA_VERSION:
            raise JournalError(
                _(
                    "{name} was written by a newer Grounding Companion (schema {version}); "
                    "update the app to read it"
                ).format(name=path.name, version=version)
            )
        if version < SCHEMA_VERSION:
            data = json.loads(json.dumps(data))  # migrate a copy: the cache stays the file
            while version < SCHEMA_VERSION:
                data = MIGRATIONS[max(version, 1)](data)
                version += 1
            data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
            try:
                storage.write(data)
            except OSError:
                if writing:
                    raise
                storage.adopt(data)
            db.clear_cache()
            for table in db.tables():
                db.table(table).clear_cache()
        self._migrated.add(path)

    def _backup(self) -> None:
        """Today's copy of every journal file, best effort: any problem is one log line and
        `backup_problem`, the unfinished copy is removed, and nothing else stops. Runs
        under the journal's lock, so any `.partial` copy found is one that was cut short."""
        self._backed_up_on = self.clock.now().date()
        today = self._backed_up_on.isoformat()
        partial: Path | None = None
        try:
            root = ensure_private_dir(self.paths.backups)
            for stray in root.glob(".*.partial"):
                _remove(stray)
            target = root / today
            if not target.exists():
                self._compact_locked()  # each copy one JSON document, its lines folded in
            if not target.exists() and (sources := self.files()):
                partial = root / f".{today}.partial"
                ensure_private_dir(partial)
                for src in sources:
                    dst = partial / src.name
                    shutil.copyfile(src, dst)
                    make_private(dst)
                os.replace(partial, target)
                partial = None
            kept = sorted(p for p in root.iterdir() if p.is_dir() and _BACKUP_RE.match(p.name))
            for old in kept[:-BACKUPS_KEPT]:
                shutil.rmtree(old, ignore_errors=True)
            self.backup_problem = None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            where = exc.filename or self.paths.backups
            log.warning("today's backup was not taken (%s: %s); the journal is fine", where, reason)
            self.backup_problem = _(
                "today's copy of the journal could not be made in {folder}: {reason} ({path})"
            ).format(folder=self.paths.backups, reason=reason, path=where)
        finally:
            if partial is not None:
                _remove(partial)

    # --- records ----------------------------------------------------------------------

    def add(self, record: Record) -> str:
        """Append one record; returns its id once it is durably on disk."""
        path = self.file_for(record.on)
        with self.locked():
            self._ensure_schema(path)
            storage = self._sound_storage(path)
            if self._backups and self._backed_up_on not in (None, self.clock.now().date()):
                self._backup()  # a tray app running past midnight still keeps a copy a day
            # One line at the end of the file, not the year rewritten; the id is the next
            # after what is in the file now (another process may have appended since).
            storage.append("records", to_doc(record))
            self._appended.add(path)
            if storage.tail >= COMPACT_AFTER:
                storage.compact()
            self._db(path).table("records").clear_cache()  # TinyDB's query cache
        self.unread.pop(path, None)
        return record.id

    def replace(self, record: Record) -> bool:
        """Write `record` over the stored one with its `id` and kind (a glimmer flagged
        for supervision later); False when there is none. Under the lock, the day's file
        is written whole, atomically; keys a newer version added to the stored record are
        kept. Nothing else in the journal changes."""
        path = self.file_for(record.on)
        with self.locked():
            self._ensure_schema(path)
            self._sound_storage(path)  # a damaged end kept aside before the whole write
            table = self._db(path).table("records")
            table.clear_cache()
            ids = [
                doc.doc_id
                for doc in table.all()
                if doc.get("id") == record.id and doc.get("type") == record.kind
            ]
            if not ids:
                return False
            table.update(to_doc(record), doc_ids=ids)
            table.clear_cache()
        self.unread.pop(path, None)
        return True

    def _storage(self, path: Path) -> AtomicJSONStorage:
        return cast(AtomicJSONStorage, self._db(path).storage)

    def _sound_storage(self, path: Path) -> AtomicJSONStorage:
        """Under the lock: `path`'s storage, a damaged end (an append cut short) first
        kept aside, so a write never builds on it."""
        storage = self._storage(path)
        if storage.read() is not None and storage.damaged:
            self._repair(path, storage)
        return storage

    def _repair(self, path: Path, storage: AtomicJSONStorage) -> None:
        """Under the lock: the end of `path` holds bytes that are not records (an append
        cut short by a crash). Keep them aside, byte for byte, write the rest whole, and
        say so once. Nothing else in the file is lost."""
        damaged = storage.damaged
        target = self._aside_name(path)
        write_atomic(target, damaged)
        storage.compact()
        notice = _(
            "the end of the journal file {name} was cut short (perhaps by a crash); "
            "everything else in it was read, and the damaged part was kept as {target}"
        ).format(name=path.name, target=target)
        self.notices.append(notice)
        log.info("%s ended in a damaged line; it was kept as %s", path.name, target)

    def compact(self) -> None:
        """Write every file this journal appended to whole again (best effort: the lines
        are safe in the file either way)."""
        if not self._appended:
            return
        try:
            with self.locked():
                self._compact_locked()
        except (JournalError, OSError) as exc:
            log.info("the journal was not compacted (%s); its lines are kept", exc)

    def _compact_locked(self) -> None:
        for path in sorted(self._appended):
            storage = self._storage(path)
            if storage.read() is None:
                continue
            if storage.damaged:
                self._repair(path, storage)
            elif storage.tail:
                storage.compact()
        self._appended.clear()

    def query(
        self,
        kind: type[R] | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[R]:
        """Records of `kind` (all kinds if None) with `start <= day <= end`, in time order.

        A file that is not read (too large; damaged where it cannot be moved aside; from a
        newer version) is left out and named in `unread`; a record of the wrong shape is
        left in its file and its id kept in `skipped`. `read_problems` says both."""
        out: list[Record] = []
        lo = start.isoformat() if start else None
        hi = end.isoformat() if end else None
        for path in self._files_between(start, end):
            try:
                self._ensure_schema_unlocked(path)
                docs = self._db(path).table("records").all()
            except JournalError as exc:
                self.unread[path] = str(exc)
                continue
            self.unread.pop(path, None)
            for doc in docs:
                if kind is not None and doc.get("type") != kind.kind:
                    continue
                day = doc.get("day")
                if isinstance(day, str):
                    if (lo and day < lo) or (hi and day > hi):
                        continue
                    try:
                        out.append(from_doc(dict(doc)))
                        continue
                    except (KeyError, ValueError, TypeError):
                        pass
                # a record this version cannot read: it stays in the file, counted
                self.skipped.setdefault(path, set()).add(str(doc.doc_id))
        out.sort(key=lambda r: r.at)
        return cast(list[R], out)

    def all(self) -> list[Record]:
        return self.query()

    def _files_between(self, start: date | None, end: date | None) -> list[Path]:
        if self.partition == "none":
            path = self.file_for(date.today() if start is None else start)
            return [path] if path.exists() else []
        paths = []
        for path in self.files():
            year = _year_of(path)
            if year is None:
                continue
            if (start and year < start.year) or (end and year > end.year):
                continue
            paths.append(path)
        return paths

    def _ensure_schema_unlocked(self, path: Path) -> None:
        if path not in self._migrated:
            with self.locked(writing=False):
                self._ensure_schema(path, writing=False)

    def read_problems(
        self, start: date | None = None, end: date | None = None, *, set_aside_too: bool = True
    ) -> list[str]:
        """One line for each thing reads between `start` and `end` left out: a journal file
        set aside (until the person dismisses it; not with `set_aside_too=False`), a file
        not read, records skipped."""

        def within(year: int | None) -> bool:
            if year is None:
                return True
            return not ((start and year < start.year) or (end and year > end.year))

        kept = set_aside(self.paths) if set_aside_too else []
        lines = [a.line() for a in kept if a.is_journal and within(a.year)]
        lines += [why for path, why in sorted(self.unread.items()) if within(_year_of(path))]
        for path, ids in sorted(self.skipped.items()):
            if within(_year_of(path)):
                lines.append(
                    ngettext(
                        "{n} record in {path} could not be read by this version; "
                        "it was left in the file as it is",
                        "{n} records in {path} could not be read by this version; "
                        "they were left in the file as they are",
                        len(ids),
                    ).format(n=len(ids), path=path)
                )
        return lines

    def release(self) -> None:
        """Let go of the parsed files until the next read (the tray app calls this when it
        goes idle, so a year of records is not held in memory all day)."""
        for db in self._dbs.values():
            cast(AtomicJSONStorage, db.storage).forget()

    def size_bytes(self) -> int:
        total = 0
        for path in self.files():
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total

    def count(self) -> int:
        """Records in every file that could be read (the rest are in `unread`)."""
        total = 0
        for path in self.files():
            try:
                self._ensure_schema_unlocked(path)
                total += len(self._db(path).table("records"))
            except JournalError as exc:
                self.unread[path] = str(exc)
        return total

    def close(self) -> None:
        self.compact()
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_whole(path: Path, data: bytes) -> None:
    write_atomic(path, data)  # this module's name, looked up when called (tests replace it)


def _year_of(path: Path) -> int | None:
    match = _PARTITION_RE.match(path.name)
    return int(match.group(1)) if match and match.group(1) else None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


# --- migrations ---------------------------------------------------------------------------


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 stored `at` only; schema 2 adds the local `day` for range queries and
    renames the check-in field `still_with_you` to `still_with_me`."""
    records = data.get("records", {})
    for doc in records.values():
        if "day" not in doc and isinstance(doc.get("at"), str):
            with contextlib.suppress(ValueError):  # else left as it is, and skipped when read
                doc["day"] = datetime.fromisoformat(doc["at"]).date().isoformat()
        if "still_with_you" in doc:
            doc["still_with_me"] = doc.pop("still_with_you")
    return data


# MIGRATIONS[n] turns schema n into schema n+1.
MIGRATIONS = {1: _v1_to_v2}


def known_kinds() -> list[str]:
    return list(RECORD_TYPES)
