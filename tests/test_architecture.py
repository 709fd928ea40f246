"""The split DESIGN.md asks for: core never imports Qt, and CLI commands start without it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "companion" / "core"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_under_core_imports_qt() -> None:
    offenders = {
        str(p.relative_to(CORE)): sorted(_imports(p) & {"PySide6", "shiboken6", "PyQt6", "PyQt5"})
        for p in CORE.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"core must stay Qt-free: {offenders}"


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, companion.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'companion.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6','shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_commands_without_windows_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom companion.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'glimmer', 'a quiet moment'])\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'export', '--format', 'md'])\n"
        "print('QT' if any(k.startswith('PySide6') for k in sys.modules) else 'NOQT')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("NOQT")


# What the idle tray app has loaded is most of its idle memory (DESIGN.md: the floor +
# 25 MiB; bench/idle.py measures it). These each cost megabytes and the app needs none of
# them while it sits in the tray: asyncio and ssl (through APScheduler), QtNetwork (the
# single-instance socket), OpenSSL through hashlib / hmac / secrets.
HEAVY_AT_IDLE = ("asyncio", "ssl", "_ssl", "_hashlib", "hmac", "PySide6.QtNetwork")


def test_the_tray_app_does_not_load_what_it_does_not_use() -> None:
    code = (
        "import sys\n"
        "import companion.app, companion.launch, companion.ui.tray, companion.runtime.single\n"
        f"print(sorted(m for m in {HEAVY_AT_IDLE!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_apscheduler_without_asyncio_still_behaves() -> None:
    code = (
        "import companion.runtime.scheduler\n"
        "import apscheduler.util as u\n"
        "async def coroutine(): pass\n"
        "def plain(): pass\n"
        "assert u.iscoroutinefunction_partial(coroutine)\n"
        "assert not u.iscoroutinefunction_partial(plain)\n"
        "import asyncio\n"
        "assert asyncio.run(coroutine()) is None, 'a later import gets the real asyncio'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
