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
    first_run_settings,
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
    assert s.guidance == "silent"  # a muted version-1 file stays silent in version 4
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

    nested = {"week", "one_offs", "calendars", "favourite_practices", "support_contacts"}
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


# --- an old or hand-edited file with the wrong shape: one line, file kept (issue 14) ---------


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ({"version": 1, "week": {"Funday": ["09:00"]}}, "week", "'Funday' is not a weekday"),
        ({"version": 1, "favourite_practices": "box-5"}, "favourite_practices", "use a list"),
        ({"version": 2, "favourite_practices": "box-5"}, "favourite_practices", "use a list"),
        ({"version": 1, "week": {"Monday": None}}, "week", "list of times"),
        ({"version": 1, "week": {"Monday": "09:00"}}, "week", "list of times"),
        ({"version": 1, "mute": "yes"}, "sound", "mute: 'yes'"),
        ({"version": 2, "include_keywords": "EMDR"}, "include_keywords", "use a list"),
        ({"version": 2, "week": [{"weekday": 1}]}, "week", "week[0].start: missing"),
        (
            {"version": 2, "one_offs": [{"date": "2026-01-05", "start": "09:00", "heavy": "x"}]},
            "one_offs",
            "one_offs[0].heavy",
        ),
        (
            {"version": 2, "calendars": [{"id": "a", "kind": "file", "path": 5}]},
            "calendars",
            "calendars[0].path",
        ),
    ],
)
def test_a_wrong_shape_names_the_file_and_field_and_keeps_the_file(
    tmp_path: Path, content: dict[str, object], field: str, words: str
) -> None:
    path = tmp_path / "settings.json"
    text = json.dumps(content)
    path.write_text(text)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and words in message, message
    assert "\n" not in message
    assert err.value.field == field
    assert path.read_text() == text, "an unusable file is never overwritten"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"version": 2, "min_gap_minutes": ' + "9" * 5000 + "}",
            "holds a number too long to read",
        ),
    ],
)
def test_a_hostile_file_is_one_line(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}: not readable as settings ({words})"
    assert path.read_text() == content


def test_a_huge_value_is_named_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 2, "sound": "x" * 1_000_000, "grace_minutes": 1}))
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert err.value.field == "sound"
    assert len(str(err.value)) < len(str(path)) + 200


def test_the_store_keeps_defaults_in_memory_and_says_why(tmp_path: Path) -> None:
    from companion.runtime.settings_store import SettingsStore

    path = tmp_path / "settings.json"
    text = json.dumps({"version": 1, "week": {"Funday": ["09:00"]}, "min_gap_minutes": 9})
    path.write_text(text)
    store = SettingsStore(path)
    assert store.settings == first_run_settings()
    assert store.problem is not None
    assert store.problem.startswith(f"{path}: week: 'Funday'")
    assert path.read_text() == text


def test_a_cli_command_says_one_line_and_runs_on_defaults(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion.cli import main

    data_dir.mkdir(parents=True)
    path = data_dir / "settings.json"  # the config folder is the data folder when one is given
    text = json.dumps({"version": 1, "week": {"Funday": ["09:00"]}, "favourite_practices": "x"})
    path.write_text(text)
    assert main(["plan", "--date", "2026-03-02", "--json"]) == 0
    out, err = capsys.readouterr()
    # Nothing is guessed from the defaults: the person's week is in the file being fixed.
    assert json.loads(out)["schedule"] == "unconfirmed"
    assert err == (
        f"companion: {path}: week: 'Funday' is not a weekday; use Monday to Sunday; "
        "using the built-in defaults for now\n"
    )
    assert path.read_text() == text


def test_a_settings_file_from_before_version_3_counts_as_a_confirmed_schedule(
    tmp_path: Path,
) -> None:
    """Someone already using the app keeps getting offers; only a fresh folder waits for
    the person to say when they see clients."""
    old = tmp_path / "settings.json"
    old.write_text('{"version": 2, "grace_minutes": 3}', encoding="utf-8")
    assert load_settings(old).schedule_confirmed is True
    assert json.loads(old.read_text(encoding="utf-8"))["schedule_confirmed"] is True
    older = tmp_path / "v1.json"
    older.write_text('{"week": {"Monday": ["09:00"]}}', encoding="utf-8")
    assert load_settings(older).schedule_confirmed is True
    assert load_settings(tmp_path / "none.json").schedule_confirmed is False


def test_version_3_file_gains_guidance_and_breath_tones(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 3, "sound": "quiet", "phase_ticks": False}))
    s = load_settings(path)
    assert (s.guidance, s.sound, s.phase_ticks) == ("voice", "quiet", True)
    path.write_text(json.dumps({"version": 3, "sound": "mute"}))
    s = load_settings(path)
    assert (s.guidance, s.sound) == ("silent", "normal")


def test_support_contacts_round_trip_and_are_checked(tmp_path: Path) -> None:
    from companion.core.settings import Settings, SettingsError, SupportContact, save_settings

    path = tmp_path / "settings.json"
    people = (SupportContact("Dr Ana Ruiz", "0161 555 0100", "supervisor"),)
    save_settings(path, Settings(support_contacts=people))
    assert load_settings(path).support_contacts == people
    with pytest.raises(SettingsError) as refused:
        Settings().with_changes(support_contacts=(SupportContact("  ", "x"),))
    assert refused.value.field == "support_contacts"
    with pytest.raises(SettingsError):
        Settings().with_changes(support_contacts=(SupportContact("A", "x" * 500),))
