"""An inter-process lock on a private lock file (portalocker: flock on POSIX, LockFileEx
on Windows). The tray app and a `companion glimmer` in a terminal take it around every
read-modify-write of a shared file.

portalocker rather than filelock: current filelock releases import asyncio and sqlite3,
about 14 MiB of resident memory for a tray app whose whole budget over a bare Qt tray
icon is 25 MiB (bench/idle.py); portalocker costs about 3 MiB.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import portalocker


class LockTimeout(RuntimeError):
    """Another program held the lock for longer than the timeout."""


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created 0600 if missing) for the `with` block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    lock = portalocker.Lock(
        str(path),
        mode="a",
        timeout=timeout,
        check_interval=0.02,
        flags=portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING,
    )
    try:
        lock.acquire()
    except portalocker.exceptions.LockException:
        raise LockTimeout(str(path)) from None
    try:
        yield
    finally:
        lock.release()
