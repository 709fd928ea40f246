"""Test setup: Qt offscreen, every user folder pointed at a temp dir, no real keyring."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ.pop("COMPANION_LANG", None)  # English unless a test asks for the pseudo-locale

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's folders."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    run = home / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setenv("COMPANION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COMPANION_CONFIG_DIR", raising=False)
    # Local test servers on 127.0.0.1 must be reached directly, never through a proxy.
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def local_tz() -> Iterator[Callable[[str], None]]:
    """Set the machine's time zone for one test (TZ + tzset), restored afterwards."""
    old = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def pseudo_locale() -> Iterator[None]:
    """Every translated string wrapped in ⟦ ⟧ and about 40 % longer, for this test."""
    from companion import i18n

    i18n.use(i18n.PSEUDO)
    yield
    i18n.use("en")


@pytest.fixture
def house_style(qapp):  # type: ignore[no-untyped-def]
    """The app's palette, font and one stylesheet, as the running app has them."""
    from companion.ui import style

    style.apply(qapp)


@pytest.fixture(autouse=True)
def _app_look_restored() -> Iterator[None]:
    """A test that gives the app its look (style.apply) leaves the next one as it found
    it: palette, font and stylesheet are app-wide."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    saved = (app.palette(), app.font(), app.styleSheet()) if app is not None else None
    yield
    app = QApplication.instance()
    if app is None or not isinstance(app, QApplication):
        return
    app.setProperty("companion-stylesheet", None)  # a stylesheet make_qapp deferred
    if saved is None:
        from PySide6.QtGui import QFont, QPalette

        if app.styleSheet():
            app.setStyleSheet("")
            app.setPalette(QPalette())
            app.setFont(QFont())
        return
    palette, font, sheet = saved
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setFont(font)


@pytest.fixture
def confirmed_week(data_dir: Path) -> Path:
    """The data folder of someone who has confirmed the built-in standing week (a fresh
    folder plans nothing until its person has said when they see clients)."""
    from companion.core.paths import resolve_paths
    from companion.core.settings import Settings, save_settings

    paths = resolve_paths(data_dir).ensure()
    save_settings(paths.settings, Settings())
    return data_dir


@pytest.fixture(autouse=True)
def _qt_garbage_collected_here(request: pytest.FixtureRequest) -> Iterator[None]:
    """Windows a test closed are deleted, and Python's cyclic garbage collected, on the
    GUI thread before the next test: otherwise a collection that happens to run in a
    later test's worker thread (Look back's reads, the calendar Test) deletes a Qt
    object with timers from that thread, and Qt warns ("Timers cannot be stopped from
    another thread")."""
    yield
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        return  # no Qt objects made here (a full collection costs ~50 ms a test)
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    gc.freeze()  # what survives is left out of later collections: each stays quick
