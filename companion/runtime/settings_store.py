"""The one owner of the settings in a running process (qutebrowser's
`config.instance.changed` is the model).

    store.update(ratings=False)        # validates, saves atomically, emits changed
    store.changed.connect(on_change)   # on_change(settings, names)

Nobody else writes `settings.json`: the settings window, the player ("don't ask me
again") and the app all call `update`, and everyone who shows or uses a setting listens
to `changed(settings, names)`, where `names` is the set of fields that really changed
(a window can ignore what is not its business).

Two processes may share the file (the tray app and a `companion practice` from a
desktop shortcut). `update` starts from the file as it is now when another process has
written it since we last looked, so a preference saved there is not undone here.

A file that cannot be read is never silently replaced: the app runs on the defaults
(the caller says so, with the reason `problem` gives), and the first save moves the
unreadable file aside as `settings.json.unreadable-<time>` before writing a new one.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from companion.core.settings import (
    Settings,
    SettingsError,
    first_run_settings,
    load_settings,
    save_settings,
)

log = logging.getLogger("companion.settings")


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells us the file changed: every save is a rename, so a new inode too."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def changed_names(old: Settings, new: Settings) -> frozenset[str]:
    return frozenset(
        f.name for f in fields(Settings) if getattr(old, f.name) != getattr(new, f.name)
    )


class SettingsStore(QObject):
    """`settings`: the current settings. `changed(Settings, frozenset[str])` after each
    change that altered something."""

    changed = Signal(object, object)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.problem: str | None = None  # why the file could not be used, if it could not
        self._unreadable = False
        try:
            self._settings = load_settings(path)
        except SettingsError as exc:
            self.problem = str(exc)
            self._unreadable = True
            self._settings = first_run_settings()  # never guess the person's schedule
        self._seen = _stamp(path)

    @property
    def settings(self) -> Settings:
        return self._settings

    def update(self, **changes: Any) -> Settings:
        """Apply `changes`, validated, and save them. Raises SettingsError (with its
        `field`) for a value that is not allowed and OSError when the file cannot be
        written; in both cases nothing changes."""
        new = self._current().with_changes(**changes)
        self._write(new)
        return self._adopt(new)

    def replace(self, settings: Settings) -> Settings:
        """Save `settings` whole (a file another process made unreadable meanwhile is
        still moved aside first)."""
        self._current()
        self._write(settings)
        return self._adopt(settings)

    def _current(self) -> Settings:
        """The settings to change: the file as it is now when another process wrote it
        since we last looked; a file that became unreadable is kept aside on the write."""
        if self._unreadable or _stamp(self.path) == self._seen:
            return self._settings
        if not self.path.exists():
            return self._settings
        try:
            return load_settings(self.path)
        except SettingsError as exc:
            self.problem = str(exc)
            self._unreadable = True
            return self._settings

    def forget(self) -> Settings:
        """Back to the defaults in memory, writing nothing (after "Delete all my data"
        removed the file)."""
        self._unreadable = False
        self.problem = None
        self._seen = _stamp(self.path)
        return self._adopt(first_run_settings())

    def reload(self) -> Settings:
        """Read the file again (say, after another process changed it)."""
        try:
            new = load_settings(self.path)
        except SettingsError as exc:
            self.problem = str(exc)
            return self._settings
        self._unreadable = False
        self.problem = None
        self._seen = _stamp(self.path)
        return self._adopt(new)

    # ---------------------------------------------------------------------------------

    def _write(self, settings: Settings) -> None:
        if self._unreadable and self.path.exists():
            aside = self.path.with_name(
                f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}"
            )
            os.replace(self.path, aside)
            log.warning("the unreadable settings file was kept as %s", aside)
        save_settings(self.path, settings)
        self._unreadable = False
        self.problem = None
        self._seen = _stamp(self.path)

    def _adopt(self, new: Settings) -> Settings:
        old, self._settings = self._settings, new
        names = changed_names(old, new)
        if names:
            self.changed.emit(new, names)
        return new
