"""Private folders, private files and atomic writes: the one place that touches modes.

Every file the app writes goes through `write_atomic`: serialise first, write a
temp file in the same folder, fsync it, `os.replace` it over the old one, fsync
the folder. A crash at any instant leaves either the old file or the new one,
never a torn one. A write killed half-way leaves its temp file (`.<name>.XXXXXXXX.tmp`);
`remove_stale_temps` takes those away again.

Only the app's own folders are made private (`ensure_private_dir`); a file written into
someone else's folder (an export, an autostart entry) is 0600 itself and leaves the
folder's mode alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600

#: A temp file left by `write_atomic` (mkstemp: a dot, the target's name, 8 random
#: characters from tempfile's alphabet, ".tmp"); nothing else is ever matched.
TEMP_RE = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")
#: A temp file this much older than now is stale: an atomic write lasts well under a
#: second, so a live writer's file is never this old.
STALE_TEMP_S = 600.0

log = logging.getLogger("companion.files")
_said_loose: set[Path] = set()  # folders already said to be left loose (once a run each)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it 0700.

    A folder that cannot be tightened (a read-only disk, someone else's folder) is left as
    it is and said in the log; reading from it still works, and `doctor` shows its mode.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != DIR_MODE:
        try:
            path.chmod(DIR_MODE)
        except OSError as exc:
            if path not in _said_loose:
                _said_loose.add(path)
                log.warning("could not make %s private: %s", path, exc.strerror or exc)
    return path


def write_atomic(path: Path, data: bytes, *, private_dir: bool = True) -> None:
    """Replace `path` with `data` so a crash leaves the old or the new file whole.

    `private_dir=False` is for files we place in someone else's folder (an export, an
    autostart entry): the folder is created if needed but its mode is left alone. The
    file itself is always 0600.
    """
    folder = path.parent
    if private_dir:
        ensure_private_dir(folder)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else None
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    os.close(fd)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """Force 0600 on a file we created by other means (a copy, a lock file)."""
    if os.name == "posix" and path.exists() and (path.stat().st_mode & 0o777) != FILE_MODE:
        path.chmod(FILE_MODE)


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def remove_stale_temps(
    folder: Path,
    now: float,
    *,
    any_age: Callable[[str], bool] = lambda target: False,
    min_age_s: float = STALE_TEMP_S,
) -> list[Path]:
    """Remove the temp files `write_atomic` left in `folder` when a write was killed.

    Only files named like its temp files are touched, and only those older than
    `min_age_s` (by their modification time against `now`, seconds since the epoch), so a
    write under way in another process is never cut short. `any_age(target)` says which
    targets' temp files are removed whatever their age: the caller holds the lock every
    writer of that target holds (the journal's). Returns what was removed; a file that
    cannot be removed is left (the next open tries again).
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_RE.match(entry.name)
        if not match:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if not any_age(match.group("target")) and now - st.st_mtime < min_age_s:
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed
