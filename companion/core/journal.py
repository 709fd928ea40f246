"""The journal: a local JSON store on TinyDB that survives crashes and a second writer.

Three guarantees, each tested:

* **Atomic writes.** `AtomicJSONStorage` never rewrites a file in place (TinyDB's
  own `JSONStorage` does `r+`, seek, write, truncate, so a crash mid-write leaves a
  torn file). It serialises first, writes a temp file beside the target, fsyncs and
  `os.replace`s it.
* **Nothing lost between processes.** The tray app and `companion glimmer` in a
  terminal may append at the same moment. Every read-modify-write runs under an
  inter-process file lock and starts from the file as it is on disk now.
* **Nothing silently reset.** A file that does not parse is renamed aside to
  `<name>.corrupt-<timestamp>` byte for byte; the journal goes on fresh and keeps
  a notice naming the kept file (shown on stderr by the CLI, reported by `doctor`).

Records are partitioned into one file per year (`journal-2026.json`) so a write
re-serialises one year, not five: see bench/journal.py for the figures that led
here. `partition="none"` keeps everything in `journal.json`, for comparison.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from tinydb import TinyDB
from tinydb.storages import Storage

from companion.core.clock import Clock
from companion.core.files import ensure_private_dir, make_private, write_atomic
from companion.core.locking import LockTimeout, locked
from companion.core.paths import Paths
from companion.core.records import RECORD_TYPES, Record, from_doc, to_doc
from companion.i18n import _

SCHEMA_VERSION = 2
BACKUPS_KEPT = 7
LOCK_TIMEOUT_S = 10.0

R = TypeVar("R", bound=Record)
_PARTITION_RE = re.compile(r"^journal(?:-(\d{4}))?\.json$")


class JournalError(RuntimeError):
    """The journal cannot be used (e.g. the lock is held for too long); one line for the user."""


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads the file fresh when it changed and writes atomically.

    `read()` returns a cached parse while the file's (inode, size, mtime) is unchanged,
    so a query after our own write costs no re-parse, but a write by another process
    (a new inode, since every write is a rename) is always seen.
    """

    def __init__(self, path: Path, on_corrupt: Any) -> None:
        self.path = path
        self._on_corrupt = on_corrupt
        self._cache: dict[str, dict[str, Any]] | None = None
        self._sig: tuple[int, int, int] | None = None

    def _stat_sig(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def read(self) -> dict[str, dict[str, Any]] | None:
        sig = self._stat_sig()
        if sig is None:
            self._cache, self._sig = None, None
            return None
        if sig == self._sig and self._cache is not None:
            return self._cache
        raw = self.path.read_bytes()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise ValueError(_("not a journal: the top level is not a set of tables"))
        except (ValueError, UnicodeDecodeError) as exc:
            self._on_corrupt(self.path, exc)
            self._cache, self._sig = None, None
            return None
        self._cache, self._sig = data, sig
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomic(self.path, payload)
        except BaseException:
            self._cache, self._sig = None, None
            raise
        self._cache, self._sig = data, self._stat_sig()

    def close(self) -> None:
        self._cache = None

    def forget(self) -> None:
        """Drop the parsed file; the next read parses it again."""
        self._cache, self._sig = None, None


class Journal:
    """Append-only records with add and query-by-date-range.

    Cheap to construct; files are opened lazily, one partition at a time.
    """

    def __init__(
        self,
        paths: Paths,
        clock: Clock,
        *,
        partition: Literal["year", "none"] = "year",
        backups: bool = True,
    ) -> None:
        self.paths = paths
        self.clock = clock
        self.partition = partition
        self.notices: list[str] = []
        self._dbs: dict[Path, TinyDB] = {}
        self._backups = backups
        ensure_private_dir(paths.data)
        self._lock_path = paths.data / ".journal.lock"
        self._migrated: set[Path] = set()
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
            db = TinyDB(path, storage=AtomicJSONStorage, on_corrupt=self._corrupt)
            self._dbs[path] = db
        return db

    def _corrupt(self, path: Path, exc: Exception) -> None:
        """Move an unreadable file aside, byte for byte, and remember to say so."""
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        os.replace(path, target)
        make_private(target)
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        notice = _(
            "the journal file {name} could not be read ({reason}); it was kept as "
            "{target} and a fresh journal was started"
        ).format(name=path.name, reason=reason, target=target)
        self.notices.append(notice)
        _remember_notice(self.paths, self.clock, notice)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        try:
            with locked(self._lock_path, LOCK_TIMEOUT_S):
                yield
        except LockTimeout:
            raise JournalError(
                _(
                    "the journal in {folder} is locked by another program for over {seconds:.0f} s"
                ).format(folder=self.paths.data, seconds=LOCK_TIMEOUT_S)
            ) from None

    # --- open, migrate, back up -------------------------------------------------------

    def open(self) -> Journal:
        """Check the current partition (migrating, or moving a corrupt file aside) and take
        today's backup. Safe to call more than once."""
        with self.locked():
            # Only this year's file is read now; older years are checked (and migrated)
            # the first time a query reaches them, so opening stays fast after years of use.
            self._ensure_schema(self.file_for(self.clock.now().date()))
            if self._backups:
                self._backup()
        return self

    def _ensure_schema(self, path: Path) -> None:
        if path in self._migrated:
            return
        db = self._db(path)
        storage = cast(AtomicJSONStorage, db.storage)
        if storage.read() is None:  # new (or just moved aside): start it at the current schema
            storage.write({"meta": {"1": {"schema": SCHEMA_VERSION}}, "records": {}})
            self._migrated.add(path)
            return
        docs = db.table("meta").all()
        version = int(docs[0].get("schema", 1)) if docs else 1
        if version > SCHEMA_VERSION:
            raise JournalError(
                _(
                    "{name} was written by a newer Grounding Companion (schema {version}); "
                    "update the app to read it"
                ).format(name=path.name, version=version)
            )
        if version < SCHEMA_VERSION:
            data = storage.read() or {}
            while version < SCHEMA_VERSION:
                data = MIGRATIONS[max(version, 1)](data)
                version += 1
            data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
            storage.write(data)
            db.clear_cache()
            for table in db.tables():
                db.table(table).clear_cache()
        self._migrated.add(path)

    def _backup(self) -> None:
        self._backed_up_on = self.clock.now().date()
        today = self._backed_up_on.isoformat()
        root = ensure_private_dir(self.paths.backups)
        target = root / today
        if not target.exists():
            sources = self.files()
            if not sources:
                return
            tmp = root / f".{today}.partial"
            shutil.rmtree(tmp, ignore_errors=True)
            ensure_private_dir(tmp)
            for src in sources:
                dst = tmp / src.name
                shutil.copyfile(src, dst)
                make_private(dst)
            os.replace(tmp, target)
        kept = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in kept[:-BACKUPS_KEPT]:
            shutil.rmtree(old, ignore_errors=True)

    # --- records ----------------------------------------------------------------------

    def add(self, record: Record) -> str:
        """Append one record; returns its id once it is durably on disk."""
        path = self.file_for(record.on)
        with self.locked():
            self._ensure_schema(path)
            table = self._db(path).table("records")
            # TinyDB caches the next document id per table; another process may have
            # appended since, so recompute it from the file as it is now.
            table._next_id = None
            if self._backups and self._backed_up_on not in (None, self.clock.now().date()):
                self._backup()  # a tray app running past midnight still keeps a copy a day
            table.insert(to_doc(record))
        return record.id

    def query(
        self,
        kind: type[R] | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[R]:
        """Records of `kind` (all kinds if None) with `start <= day <= end`, in time order."""
        out: list[Record] = []
        for path in self._files_between(start, end):
            self._ensure_schema_unlocked(path)
            table = self._db(path).table("records")
            for doc in table.all():
                if kind is not None and doc.get("type") != kind.kind:
                    continue
                day = doc.get("day", "")
                if (start and day < start.isoformat()) or (end and day > end.isoformat()):
                    continue
                try:
                    out.append(from_doc(dict(doc)))
                except (KeyError, ValueError, TypeError):
                    continue  # a record this version cannot read; it stays in the file
        out.sort(key=lambda r: r.at)
        return cast(list[R], out)

    def all(self) -> list[Record]:
        return self.query()

    def _files_between(self, start: date | None, end: date | None) -> list[Path]:
        if self.partition == "none":
            return [self.file_for(date.today() if start is None else start)]
        paths = []
        for path in self.files():
            match = _PARTITION_RE.match(path.name)
            year = int(match.group(1)) if match and match.group(1) else None
            if year is None:
                continue
            if (start and year < start.year) or (end and year > end.year):
                continue
            paths.append(path)
        return paths

    def _ensure_schema_unlocked(self, path: Path) -> None:
        if path not in self._migrated:
            with self.locked():
                self._ensure_schema(path)

    def release(self) -> None:
        """Let go of the parsed files until the next read (the tray app calls this when it
        goes idle, so a year of records is not held in memory all day)."""
        for db in self._dbs.values():
            cast(AtomicJSONStorage, db.storage).forget()

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files())

    def count(self) -> int:
        total = 0
        for path in self.files():
            self._ensure_schema_unlocked(path)
            total += len(self._db(path).table("records"))
        return total

    def close(self) -> None:
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- migrations ---------------------------------------------------------------------------


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 stored `at` only; schema 2 adds the local `day` for range queries and
    renames the check-in field `still_with_you` to `still_with_me`."""
    records = data.get("records", {})
    for doc in records.values():
        if "day" not in doc and "at" in doc:
            doc["day"] = datetime.fromisoformat(doc["at"]).date().isoformat()
        if "still_with_you" in doc:
            doc["still_with_me"] = doc.pop("still_with_you")
    return data


# MIGRATIONS[n] turns schema n into schema n+1.
MIGRATIONS = {1: _v1_to_v2}


# --- status notes for doctor ---------------------------------------------------------------


def _remember_notice(paths: Paths, clock: Clock, notice: str) -> None:
    status = read_status(paths)
    notes = status.setdefault("journal_notices", [])
    notes.append({"at": clock.now().isoformat(timespec="seconds"), "text": notice})
    status["journal_notices"] = notes[-20:]
    write_atomic(paths.status, json.dumps(status, indent=2).encode("utf-8"))


def read_status(paths: Paths) -> dict[str, Any]:
    try:
        data = json.loads(paths.status.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def known_kinds() -> list[str]:
    return list(RECORD_TYPES)
