"""APScheduler, loaded without asyncio.

APScheduler 3.11 imports asyncio at the top of `apscheduler.util` for one function,
`iscoroutinefunction`, which only its asyncio and tornado executors call. This app uses
the Qt scheduler and a thread pool, never those. Importing asyncio also imports ssl,
subprocess and OpenSSL's libcrypto: about 7 MiB of a tray app's idle memory (measured
with bench/idle.py), more than a quarter of the whole budget.

So while `apscheduler.util` loads, the name `asyncio` resolves to a stand-in holding
`inspect.iscoroutinefunction`, which is exactly what APScheduler itself uses on Python
3.14 and later. The stand-in is removed at once; any later `import asyncio` gets the real
module. Nothing else is imported in that window (apscheduler.util needs only re, calendar,
datetime, functools, inspect and zoneinfo), and this runs on the GUI thread before the
app starts any worker thread. If a future APScheduler needs more of asyncio, the import
is retried the ordinary way and costs the memory instead of failing.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types


def _load_util_without_asyncio() -> None:
    if "apscheduler.util" in sys.modules or "asyncio" in sys.modules:
        return
    importlib.import_module("apscheduler")  # importlib.metadata, outside the window
    stand_in = types.ModuleType("asyncio")
    stand_in.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
    sys.modules["asyncio"] = stand_in
    try:
        importlib.import_module("apscheduler.util")
    except Exception:  # it wanted more than the stand-in has: load it normally below
        sys.modules.pop("apscheduler.util", None)
    finally:
        if sys.modules.get("asyncio") is stand_in:
            del sys.modules["asyncio"]


_load_util_without_asyncio()

from apscheduler.executors.pool import ThreadPoolExecutor  # noqa: E402
from apscheduler.schedulers.qt import QtScheduler  # noqa: E402
from apscheduler.triggers.date import DateTrigger  # noqa: E402

__all__ = ["DateTrigger", "QtScheduler", "ThreadPoolExecutor"]
