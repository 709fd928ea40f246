from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from companion.core.settings import (
    SETTINGS_VERSION,
    OneOff,
    Settings,
    SettingsError,
    WeeklySession,
    load_settings,
    save_settings,
    validate,
)


def test_defaults_are_valid_and_give_the_standing_week() -> None:
    s = Settings()
    validate(s)
    by_day: dict[int, list[str]] = {}
    for w in s.week:
        by_day.setdefault(w.weekday, []).append(w.start)
        assert w.minutes == 50
    assert sorted(by_day) == [0, 1, 2, 3, 4]  # Monday to Friday
    for starts in by_day.values():
        assert starts == ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("min_gap_minutes", 0, "1-60"),
        ("min_gap_minutes", 61, "1-60"),
        ("wrapup_minutes", -1, "0-15"),
        ("grace_minutes", 45, "0-30"),
        ("heavy_limit_percent", 101, "0-100"),
        ("weekly_review_day", 7, "0-6"),
        ("sound", "loud", "mute, quiet, normal"),
        ("reduced_motion", "yes", "true or false"),
        ("reflection_time", "25:00", "HH:MM"),
        ("working_end", "07:00", "after working_start"),
        ("schedule_source", "outlook", "week, calendar"),
        ("max_session_minutes", True, "15-720"),
    ],
)
def test_out_of_range_values_are_refused_with_field_and_range(
    field: str, value: object, words: str
) -> None:
    with pytest.raises(SettingsError) as err:
        Settings().with_changes(**{field: value})
    message = str(err.value)
    assert message.startswith(f"{field}: {value!r}")
    assert words in message


def test_bad_nested_session_names_its_place() -> None:
    bad = (*Settings().week, WeeklySession(weekday=9, start="10:00"))
    with pytest.raises(SettingsError, match=r"week\[35\]\.weekday: 9 .* 0-6"):
        Settings().with_changes(week=bad)
    with pytest.raises(SettingsError, match=r"one_offs\[0\]\.date"):
        Settings().with_changes(one_offs=(OneOff(date="next tuesday", start="10:00"),))


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    s = Settings().with_changes(
        sound="quiet",
        heavy_keywords=("trauma", "EMDR"),
        one_offs=(OneOff(date="2026-12-01", start="09:00", cancel=True),),
    )
    save_settings(path, s)
    assert load_settings(path) == s
    assert json.loads(path.read_text())["version"] == SETTINGS_VERSION


def test_version_1_file_migrates(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "week": {"Monday": ["09:00", "10:00"], "thursday": ["14:00"]},
                "session_minutes": 45,
                "mute": True,
                "min_gap_minutes": 6,
            }
        )
    )
    s = load_settings(path)
    assert s.week == (
        WeeklySession(weekday=0, start="09:00", minutes=45),
        WeeklySession(weekday=0, start="10:00", minutes=45),
        WeeklySession(weekday=3, start="14:00", minutes=45),
    )
    assert s.sound == "mute"
    assert s.min_gap_minutes == 6
    assert json.loads(path.read_text())["version"] == SETTINGS_VERSION  # written back migrated


@pytest.mark.parametrize(
    "content",
    ['{"min_gap_minutes": 500, "version": 2}', "{not json", '{"version": 7}', "[]"],
)
def test_unusable_file_is_refused_and_left_untouched(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)
    assert path.read_text() == content


def test_every_setting_is_validated() -> None:
    """A new field without a check would let any value through; this catches it."""
    from companion.core import settings as mod

    nested = {"week", "one_offs", "calendars", "favourite_practices"}
    checked = (
        set(mod._SIMPLE)
        | nested
        | {
            "working_start",
            "working_end",
            "reflection_time",
        }
    )
    assert {f.name for f in fields(Settings)} <= checked
