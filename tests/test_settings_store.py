"""The one owner of the settings: validates, saves atomically, tells everyone who listens."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.core.settings import (
    Settings,
    SettingsError,
    first_run_settings,
    load_settings,
    save_settings,
)
from companion.runtime.settings_store import SettingsStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def test_update_saves_and_tells_what_changed(qtbot: QtBot, path: Path) -> None:
    store = SettingsStore(path)
    heard: list[tuple[Settings, frozenset[str]]] = []
    store.changed.connect(lambda s, names: heard.append((s, names)))
    store.update(grace_minutes=5, ratings=False)
    assert load_settings(path).grace_minutes == 5
    assert load_settings(path).ratings is False
    assert heard == [(store.settings, frozenset({"grace_minutes", "ratings"}))]
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_change_to_the_same_value_says_nothing(qtbot: QtBot, path: Path) -> None:
    store = SettingsStore(path)
    heard: list[object] = []
    store.changed.connect(lambda *a: heard.append(a))
    store.update(grace_minutes=store.settings.grace_minutes)
    assert heard == []


def test_a_refused_value_names_its_field_and_changes_nothing(qtbot: QtBot, path: Path) -> None:
    store = SettingsStore(path)
    store.update(grace_minutes=5)
    heard: list[object] = []
    store.changed.connect(lambda *a: heard.append(a))
    with pytest.raises(SettingsError) as caught:
        store.update(grace_minutes=99)
    assert caught.value.field == "grace_minutes"
    assert "0-30" in str(caught.value)
    assert store.settings.grace_minutes == 5
    assert load_settings(path).grace_minutes == 5
    assert heard == []


def test_what_another_process_saved_is_kept(qtbot: QtBot, path: Path) -> None:
    store = SettingsStore(path)
    store.update(grace_minutes=5)
    # `companion practice`, in another process, turns the ratings off meanwhile.
    save_settings(path, load_settings(path).with_changes(ratings=False))
    os.utime(path, ns=(1, 1))  # a different stamp even on a coarse clock
    store.update(sound="quiet")
    saved = load_settings(path)
    assert (saved.grace_minutes, saved.ratings, saved.sound) == (5, False, "quiet")


def test_an_unreadable_file_is_kept_aside_not_overwritten(qtbot: QtBot, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not json", encoding="utf-8")
    store = SettingsStore(path)
    assert store.problem is not None and "not readable" in store.problem
    assert store.settings == first_run_settings()
    assert path.read_text(encoding="utf-8") == "{ this is not json"  # nothing written yet
    store.update(ratings=False)
    aside = list(path.parent.glob("settings.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ this is not json"
    assert json.loads(path.read_text(encoding="utf-8"))["ratings"] is False
    assert store.problem is None


def test_forget_goes_back_to_defaults_and_says_so(qtbot: QtBot, path: Path) -> None:
    store = SettingsStore(path)
    store.update(grace_minutes=5)
    path.unlink()
    heard: list[frozenset[str]] = []
    store.changed.connect(lambda _s, names: heard.append(names))
    store.forget()
    assert store.settings == first_run_settings()
    assert heard == [frozenset({"grace_minutes"})]
    assert not path.exists()


def test_a_file_broken_by_hand_while_running_is_kept_aside(qtbot: QtBot, path: Path) -> None:
    """Hand-edited with a typo while the app runs: the next save does not silently
    replace it; the broken file is kept aside."""
    store = SettingsStore(path)
    store.update(grace_minutes=5)
    path.write_text('{"grace_minutes": 7,,}', encoding="utf-8")
    store.update(ratings=False)
    aside = list(path.parent.glob("settings.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == '{"grace_minutes": 7,,}'
    assert load_settings(path).ratings is False
