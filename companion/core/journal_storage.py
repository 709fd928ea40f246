"""The journal's TinyDB storage: atomic whole-file writes, and appends that do not rewrite.

A year's file is one JSON document (what TinyDB reads and writes), optionally followed by
records appended since it was last written whole, one per line:

    {"meta":{"1":{"schema":2}},"records":{"1":{...},"2":{...}}}
    ["records","3",{...}]
    ["records","4",{...}]

* **An append writes one line** (`append`): opened with O_APPEND, one `write`, `fsync`.
  A year of heavy use is about 1.4 MB, and rewriting it for every record was most of
  an append's time (bench/journal.py); a line is a few hundred bytes.
* **The file is written whole later** (`compact`, by the journal: when the tail grows
  long, when the journal is opened or closed): serialised first, a temp file beside
  it, fsync, `os.replace`, as every whole write is. A crash between an append and the
  compaction loses nothing: the line is in the file, and the next read takes it in.
* **A damaged tail costs only itself.** A line cut short by a crash (or any line that
  is not a record) is left out of what is read and kept in `damaged`; the journal,
  under its lock, moves those bytes aside to `<name>.corrupt-<time>` and writes the rest
  whole, with one line saying so. An unfinished last line seen *without* the lock may be
  a writer's append under way, so it is only left out. A document that does not parse
  at the top is set aside whole, as before (`on_corrupt`).

`read()` returns a cached parse while the file's (inode, size, mtime) is unchanged, so a
query after our own write or append costs no re-parse, but a write by another process
(a rename: a new inode; an append: a new size) is always seen. Files are 0600.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from tinydb.storages import Storage

from companion.core.files import write_atomic
from companion.i18n import _

Data = dict[str, dict[str, Any]]


class JournalError(RuntimeError):
    """The journal cannot be used (e.g. the lock is held for too long); one line for the user."""


class JournalUnread(JournalError):
    """One journal file is not read: too large, or unreadable and it could not be moved
    aside (a read-only folder). It is left exactly as it is; one line says which."""


def shape_problem(data: Any) -> str | None:
    """Why parsed JSON is not a journal TinyDB can use safely, or None when it is.

    Checked on every parse (cheap: a pass over the keys), so a wrong-shape file is set
    aside like a damaged one rather than failing deep inside TinyDB. Single records with
    wrong fields are not a reason: they are skipped and counted when read.
    """
    if not isinstance(data, dict):
        return _("not a journal: the top level is not a set of tables")
    for table in data.values():
        if not isinstance(table, dict):
            return _("not a journal: the top level is not a set of tables")
        for key, doc in table.items():
            if not isinstance(doc, dict):
                return _("not a journal: an entry is not an object")
            try:
                if str(int(key)) != key:
                    raise ValueError(key)
            except ValueError:
                return _("not a journal: an entry has an id that is not a number")
    meta = data.get("meta", {})
    for doc in meta.values():
        schema = doc.get("schema", 1)
        if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
            return _("not a journal: its schema is not a version number")
    return None


def too_large_line(path: Path, size: int, limit: int) -> str:
    return _(
        "{path} is {size:.1f} MB, more than the {limit:.0f} MB a journal file may hold, so "
        "it was not opened and nothing in it was changed; `companion export` still reads "
        "it out"
    ).format(path=path, size=size / 1e6, limit=limit / 1e6)


def _tail_entry(line: str) -> tuple[str, str, dict[str, Any]] | None:
    """One appended line as (table, id, document), or None if it is not one."""
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(entry, list) and len(entry) == 3):
        return None
    table, key, doc = entry
    if not (isinstance(table, str) and isinstance(key, str) and isinstance(doc, dict)):
        return None
    if not key.isdigit() or str(int(key)) != key:
        return None
    return table, key, doc


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # text from a terminal that is not UTF-8
        raise JournalError(
            _("the text holds bytes that are not valid Unicode, so it cannot be saved")
        ) from None


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads the file fresh when it changed, writes it whole
    atomically, and appends single records as lines (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        on_corrupt: Any,
        size_limit: int | None = None,
        write: Callable[[Path, bytes], None] = write_atomic,
    ) -> None:
        self.path = path
        self._write = write
        self._on_corrupt = on_corrupt
        self._size_limit = size_limit
        self._cache: Data | None = None
        self._sig: tuple[int, int, int] | None = None
        #: records appended since the file was last written whole
        self.tail = 0
        #: bytes of the tail that are not records (a line cut short, say), as read
        self.damaged = b""

    def _stat_sig(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _forget(self) -> None:
        self._cache, self._sig = None, None
        self.tail, self.damaged = 0, b""

    def read(self) -> Data | None:
        sig = self._stat_sig()
        if sig is None:
            self._forget()
            return None
        if sig == self._sig and self._cache is not None:
            return self._cache
        if self._size_limit is not None and sig[1] > self._size_limit:
            raise JournalUnread(too_large_line(self.path, sig[1], self._size_limit))
        self._forget()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:  # set aside by another process a moment ago
            return None
        try:
            text = raw.decode("utf-8")
            data, end = json.JSONDecoder().raw_decode(text, len(text) - len(text.lstrip()))
            problem = shape_problem(data)
            if problem is not None:
                raise ValueError(problem)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            self._on_corrupt(self.path, exc)
            return None
        rest = text[end:]
        if rest.strip():
            self._take_tail(cast(Data, data), rest)
        self._cache, self._sig = data, sig
        return cast(Data, data)

    def _take_tail(self, data: Data, rest: str) -> None:
        *lines, last = rest.split("\n")
        damaged: list[str] = []
        for line in lines:
            if not line.strip():
                continue
            entry = _tail_entry(line)
            if entry is None:
                damaged.append(line + "\n")
                continue
            table, key, doc = entry
            data.setdefault(table, {})[key] = doc
            self.tail += 1
        if last.strip():  # no newline yet: cut short, or an append under way
            damaged.append(last)
        self.damaged = "".join(damaged).encode("utf-8")

    def write(self, data: Data) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            payload = _encode(text)
        except JournalError:
            self._forget()
            raise
        try:
            self._write(self.path, payload)
        except BaseException:
            self._forget()
            raise
        self._cache, self._sig = data, self._stat_sig()
        self.tail, self.damaged = 0, b""

    def append(self, table: str, doc: dict[str, Any]) -> int:
        """Add `doc` to `table` as one line at the end of the file; returns its id. The
        caller holds the journal's lock and has read the file (`read`) since the last
        change by anyone else. Durable (fsync) when this returns."""
        data = self.read()
        if data is None:
            raise JournalError(_("the journal file {path} is missing").format(path=self.path))
        rows = data.setdefault(table, {})
        doc_id = max((int(k) for k in rows), default=0) + 1
        line = json.dumps([table, str(doc_id), doc], ensure_ascii=False, separators=(",", ":"))
        payload = _encode(line + "\n")
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                payload = b"\n" + payload  # a file written whole by an older version
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            self._forget()  # read the file again next time, whatever is in it
            raise
        finally:
            os.close(fd)
        rows[str(doc_id)] = doc
        self.tail += 1
        self._sig = self._stat_sig()
        return doc_id

    def compact(self) -> None:
        """Write the file whole (everything read, the tail folded in, damaged bytes
        gone): atomic, like every whole write."""
        data = self.read()
        if data is not None:
            self.write(data)

    def close(self) -> None:
        self._cache = None

    def forget(self) -> None:
        """Drop the parsed file; the next read parses it again."""
        self._forget()

    def adopt(self, data: Data) -> None:
        """Read `data` in place of the file as it is now (a migration that could not be
        written back: the folder is read-only)."""
        self._cache, self._sig = data, self._stat_sig()


__all__ = [
    "AtomicJSONStorage",
    "JournalError",
    "JournalUnread",
    "shape_problem",
    "too_large_line",
]
