"""The split DESIGN.md asks for: core never imports Qt and has no import cycle, and CLI
commands start without Qt."""

from __future__ import annotations

import ast
import os
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
# single-instance socket), OpenSSL through hashlib / hmac / secrets, html (its entity
# tables, about 0.5 MiB; ui/text.escape imports it when a window first needs it).
HEAVY_AT_IDLE = ("asyncio", "ssl", "_ssl", "_hashlib", "hmac", "PySide6.QtNetwork", "html")
# APScheduler's entry-point scan (importlib.metadata, email) and its thread pool
# (concurrent.futures, multiprocessing): about 2.5 MiB and 25 ms of start-up (issue 16).
HEAVY_AT_IDLE += ("importlib.metadata", "email", "concurrent.futures", "multiprocessing")
# hashlib loads OpenSSL (_hashlib, about 3.7 MiB) as it is imported: the voice's clip keys
# import it when a cue is first looked up (issue 16).
HEAVY_AT_IDLE += ("hashlib",)


def test_the_tray_app_does_not_load_what_it_does_not_use() -> None:
    code = (
        "import sys\n"
        "import companion.app, companion.launch, companion.ui.tray, companion.runtime.single\n"
        f"print(sorted(m for m in {HEAVY_AT_IDLE!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def loaded_by_the_started_app(tmp_path: Path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` the app has loaded once built and started as `companion run`
    does, on a confirmed standing week (the day planned, the offers scheduled, the sound
    ready), in a fresh interpreter."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from companion.app import App\n"
        "from companion.core.clock import SystemClock\n"
        "from companion.core.paths import resolve_paths\n"
        "from companion.core.settings import Settings, save_settings\n"
        "qapp = QApplication([])\n"
        f"paths = resolve_paths({str(tmp_path)!r}).ensure()\n"
        "save_settings(paths.settings, Settings())  # a confirmed standing week\n"
        "app = App(paths, SystemClock(), tray=False)\n"
        "app.start()\n"
        f"loaded = sorted(m for m in {modules!r} if m in sys.modules)\n"
        "app.quit()\n"
        "print(loaded)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return list(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def test_the_started_tray_app_sits_without_what_it_does_not_use(tmp_path: Path) -> None:
    """Built and started as `companion run` does, the idle app has loaded none of them
    either."""
    assert loaded_by_the_started_app(tmp_path, HEAVY_AT_IDLE) == []


def test_the_calendar_modules_load_no_parser_keyring_or_network_code() -> None:
    """The app plans through calendar.sources even from the standing week, so those
    libraries stay lazy: imported when a feed is fetched or parsed, or a link stored."""
    lazy = (*HEAVY_AT_IDLE, "icalendar", "recurring_ical_events", "keyring", "urllib.request")
    code = (
        "import sys\n"
        "import companion.core.calendar.sources, companion.core.calendar.report\n"
        f"print(sorted(m for m in {lazy!r} if m in sys.modules))\n"
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
        "import apscheduler, importlib.metadata as md\n"
        "assert apscheduler.__version__ == md.version('APScheduler').split('-')[0]\n"
        "from apscheduler.schedulers.background import BackgroundScheduler\n"
        "s = BackgroundScheduler()\n"
        "s.add_job(print, 'date', run_date='2030-01-01')  # an alias: entry points, when asked\n"
        "assert type(s._create_default_executor()).__name__ == 'ThreadPoolExecutor'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


# --- core has no import cycle ---------------------------------------------------------------
# Every import counts, at module level or inside a function: a cycle hidden by moving one
# import into a function is still a cycle (the layers are wrong). Only `if TYPE_CHECKING:`
# imports are left out: they never run.


def _module_names(root: Path, package: str) -> dict[Path, str]:
    """Each .py file under `root` (the folder of `package`) -> its dotted module name."""
    names: dict[Path, str] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[path] = ".".join((package, *parts))
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(tree: ast.Module, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of `known` that the import statements in `tree` load, relative imports
    resolved: `from pkg import sub` is pkg.sub when that is a module, else pkg."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                found.add(sub if sub in known else source)
    return (found & known) - {module}


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports (anywhere but under TYPE_CHECKING)."""
    names = _module_names(root, package)
    known = set(names.values())
    return {
        module: _imported_modules(
            ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py", known
        )
        for path, module in names.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None if the graph has none."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in on_path:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in done:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            found = visit(start)
            if found:
                return found
    return None


def test_core_has_no_import_cycle() -> None:
    graph = import_graph(CORE, "companion.core")
    calendar = "companion.core.calendar"
    # The graph sees top-level, `from package import module` and relative imports.
    assert f"{calendar}.cache" in graph[f"{calendar}.sources"]
    assert f"{calendar}.session" in graph[f"{calendar}.sources"]
    assert f"{calendar}.session" in graph["companion.core.planner"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in companion.core: " + " -> ".join(cycle or [])


def test_the_calendar_package_loads_nothing_by_itself() -> None:
    tree = ast.parse((CORE / "calendar" / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_the_cycle_check_finds_cycles_through_functions_and_relative_imports(
    tmp_path: Path,
) -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "low.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import top\n",
        "top.py": "from pkg.sub import mid\nfrom pkg.low import x\n",
        "sub/__init__.py": "",
        "sub/mid.py": "def f():\n    from .. import top\n",
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    graph = import_graph(root, "pkg")
    assert graph["pkg.top"] == {"pkg.sub.mid", "pkg.low"}
    assert graph["pkg.low"] == set()  # TYPE_CHECKING imports never run
    assert find_cycle(graph) == ["pkg.sub.mid", "pkg.top", "pkg.sub.mid"]


def test_a_standing_week_plans_without_the_calendar_parser(tmp_path: Path) -> None:
    """Someone whose sessions come from a standing week never needs the iCalendar code:
    the idle app plans their day without loading it (idle memory, bench/idle.py)."""
    calendar = ("companion.core.calendar.ical", "companion.core.calendar.sources")
    assert loaded_by_the_started_app(tmp_path, (*calendar, "icalendar", "keyring")) == []
