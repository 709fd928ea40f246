"""APScheduler, loaded lean: without asyncio, package metadata or a process pool.

APScheduler 3.11 loads, for features this app never uses, about 8.5 MiB of the idle tray
app's memory (bench/idle.py) and some 25 ms of its start-up:

* `apscheduler.util` imports asyncio for one function, `iscoroutinefunction` (only its
  asyncio and tornado executors call it): asyncio, ssl, subprocess, OpenSSL's libcrypto.
* `apscheduler/__init__.py` asks importlib.metadata for its own version, and
  `BaseScheduler`'s class body scans every installed package's entry points for trigger,
  executor and job store aliases ("date", "threadpool"): importlib.metadata, email,
  zipfile, csv. This app passes the objects themselves, never an alias.
* `apscheduler.schedulers.base` imports `apscheduler.executors.pool` for its default
  executor: concurrent.futures and multiprocessing. This app's jobs only say "wake up"
  on the Qt loop, so they run there (`QtLoopExecutor`), with no pool at all.

So while those modules load, `asyncio`, `importlib.metadata` and
`apscheduler.executors.pool` resolve to small stand-ins; they are removed at once, and any
later import gets the real module. What was bound to them behaves as before: the
version is read from the package's folder name, the alias tables look the entry points up
the first time an alias is actually used (`_LazyPlugins`), and the default executor
builds the real thread pool if anything ever asks for it. This runs on the GUI thread
before the app starts any worker thread. If a future APScheduler needs more than the
stand-ins have, the import is retried the ordinary way: it costs the memory instead of
failing (tests/test_architecture.py checks both).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("companion.scheduler")


class _NotFound(Exception):
    """importlib.metadata.PackageNotFoundError, for the stand-in."""


def _version(name: str) -> str:
    """APScheduler's version from its dist-info folder name, without importlib.metadata."""
    spec = importlib.util.find_spec("apscheduler")
    if spec is None or spec.origin is None:
        raise _NotFound(name)
    site = Path(spec.origin).parent.parent
    for folder in site.glob("[Aa][Pp][Ss]cheduler-*.dist-info"):
        return folder.name[len("APScheduler-") : -len(".dist-info")]
    raise _NotFound(name)


class _LazyPlugins(dict):  # type: ignore[type-arg]
    """An alias table that scans the entry points only when an alias is looked up."""

    def __init__(self, group: str) -> None:
        super().__init__()
        self._group = group
        self._loaded = False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            from importlib.metadata import entry_points

            self.update({ep.name: ep for ep in entry_points(group=self._group)})

    def __contains__(self, key: object) -> bool:
        self._load()
        return super().__contains__(key)

    def __getitem__(self, key: Any) -> Any:
        self._load()
        return super().__getitem__(key)


class _LazyThreadPool:
    """Stands for `apscheduler.executors.pool.ThreadPoolExecutor` inside
    `apscheduler.schedulers.base`: makes the real one if it is ever asked for."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from apscheduler.executors.pool import ThreadPoolExecutor

        return ThreadPoolExecutor(*args, **kwargs)


def _stand_ins() -> dict[str, types.ModuleType]:
    out: dict[str, types.ModuleType] = {}
    if "asyncio" not in sys.modules:
        asyncio = types.ModuleType("asyncio")
        asyncio.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
        out["asyncio"] = asyncio
    if "importlib.metadata" not in sys.modules:
        metadata = types.ModuleType("importlib.metadata")
        metadata.version = _version  # type: ignore[attr-defined]
        metadata.PackageNotFoundError = _NotFound  # type: ignore[attr-defined]
        metadata.entry_points = lambda **_: ()  # type: ignore[attr-defined]
        out["importlib.metadata"] = metadata
    if "apscheduler.executors.pool" not in sys.modules:
        pool = types.ModuleType("apscheduler.executors.pool")
        pool.ThreadPoolExecutor = _LazyThreadPool  # type: ignore[attr-defined]
        out["apscheduler.executors.pool"] = pool
    return out


_LEAN = ("apscheduler", "apscheduler.util", "apscheduler.schedulers.base")


def _load_lean() -> bool:
    """Import APScheduler's core with the stand-ins; True if it worked that way."""
    if "apscheduler.schedulers.base" in sys.modules:
        return False
    stand_ins = _stand_ins()
    sys.modules.update(stand_ins)
    ok = True
    try:
        for name in _LEAN:
            importlib.import_module(name)
    except Exception:  # it wanted more than the stand-ins have: load it normally below
        ok = False
        for name in [m for m in sys.modules if m == "apscheduler" or m.startswith("apscheduler.")]:
            if name not in stand_ins:
                del sys.modules[name]
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if ok:
        from apscheduler.schedulers.base import BaseScheduler

        for kind in ("triggers", "executors", "jobstores"):
            setattr(BaseScheduler, f"_{kind[:-1]}_plugins", _LazyPlugins(f"apscheduler.{kind}"))
    return ok


LEAN = _load_lean()

from apscheduler.executors.base import BaseExecutor, run_job  # noqa: E402
from apscheduler.schedulers.qt import QtScheduler  # noqa: E402
from apscheduler.triggers.date import DateTrigger  # noqa: E402


class QtLoopExecutor(BaseExecutor):  # type: ignore[misc]
    """Runs each job on the Qt loop, in an event of its own after the scheduler's own
    processing is over (never inside it, so a job may add and remove jobs). For jobs
    that only say "wake up": no thread, no pool. `post` puts a callable on the loop."""

    def __init__(self, post: Callable[[Callable[[], None]], None]) -> None:
        super().__init__()
        self._post = post

    def _do_submit_job(self, job: Any, run_times: Any) -> None:
        def run() -> None:
            try:
                events = run_job(job, job._jobstore_alias, run_times, self._logger.name)
            except BaseException as exc:  # run_job reports the job's own errors itself
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, events)

        self._post(run)


__all__ = ["LEAN", "DateTrigger", "QtLoopExecutor", "QtScheduler"]
