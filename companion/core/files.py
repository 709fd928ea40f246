"""Private folders, private files and atomic writes: the one place that touches modes.

Every file the app writes goes through `write_atomic`: serialise first, write a
temp file in the same folder, fsync it, `os.replace` it over the old one, fsync
the folder. A crash at any instant leaves either the old file or the new one,
never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def write_atomic(path: Path, data: bytes, *, private_dir: bool = True) -> None:
    """Replace `path` with `data` so a crash leaves the old or the new file whole.

    `private_dir=False` is for files we place in someone else's folder (an autostart
    entry): the folder is created if needed but its mode is left alone.
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
