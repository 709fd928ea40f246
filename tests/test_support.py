"""`companion support` and the words behind "If today was a lot…": the people the person
saved, then the crisis lines, whatever state the settings file is in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.cli import main
from companion.core.paths import resolve_paths
from companion.core.settings import Settings, SupportContact, save_settings
from companion.core.support import person_line, render_text, saved_contacts

ANA = SupportContact("Ana Silva", reach="0123 456 789", role="supervisor")
BEN = SupportContact("Ben", reach="ben@example.org")
CRISIS = (
    "Call your local emergency number.",
    "findahelpline.com lists crisis lines by country.",
    "In the US: call or text 988.",
    "In the UK and Ireland: Samaritans, 116 123, free, day or night.",
)


@pytest.fixture
def settings_path(data_dir: Path) -> Path:
    return resolve_paths(data_dir).ensure().settings


def _support(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["support"])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_person_is_one_line_with_what_was_given() -> None:
    assert person_line(ANA) == "Ana Silva (supervisor): 0123 456 789"
    assert person_line(BEN) == "Ben: ben@example.org"
    assert person_line(SupportContact("  Cleo ")) == "Cleo"


def test_companion_support_prints_the_people_then_the_crisis_lines(
    capsys: pytest.CaptureFixture[str], settings_path: Path
) -> None:
    save_settings(settings_path, Settings(support_contacts=(ANA, BEN)))
    code, out, err = _support(capsys)
    assert code == 0 and err == ""
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == "If today was a lot…"
    ana, ben = lines.index(person_line(ANA)), lines.index(person_line(BEN))
    crisis = lines.index("In a crisis")
    assert ana < ben < crisis  # the people first, in the order they were saved
    assert lines[crisis + 1 : crisis + 5] == list(CRISIS)


def test_with_no_one_saved_it_says_where_to_add_people(
    capsys: pytest.CaptureFixture[str], settings_path: Path
) -> None:
    code, out, err = _support(capsys)  # no settings file at all: a first start
    assert code == 0 and err == ""
    flat = " ".join(out.split())
    assert "No one saved yet" in flat and "People tab" in flat
    assert all(line in flat for line in CRISIS)


def test_a_broken_settings_file_costs_one_line_and_never_the_crisis_lines(
    capsys: pytest.CaptureFixture[str], settings_path: Path
) -> None:
    settings_path.write_text('{"version": 4, "support_contacts": [', encoding="utf-8")
    code, out, err = _support(capsys)
    assert code == 0
    (line,) = err.splitlines()
    assert line.startswith("companion: ") and str(settings_path) in line
    assert "cannot be shown until the settings file is fixed" in " ".join(out.split())
    assert "No one saved yet" not in out  # that would not be true
    assert all(c in out for c in CRISIS)
    assert settings_path.read_text(encoding="utf-8").endswith("[")  # left as it was


def test_the_people_survive_a_mistake_elsewhere_in_the_file(
    capsys: pytest.CaptureFixture[str], settings_path: Path
) -> None:
    """One other setting out of range makes the file unusable as settings; the
    supervisor's number is still there, and still shown."""
    save_settings(settings_path, Settings(support_contacts=(ANA,)))
    raw = json.loads(settings_path.read_text(encoding="utf-8"))
    raw["sound"] = "loud"
    settings_path.write_text(json.dumps(raw), encoding="utf-8")
    code, out, err = _support(capsys)
    assert code == 0
    assert len(err.splitlines()) == 1 and "sound" in err
    assert person_line(ANA) in out
    assert all(c in out for c in CRISIS)


def test_a_settings_folder_that_cannot_be_read_still_gives_the_crisis_lines(
    capsys: pytest.CaptureFixture[str], settings_path: Path
) -> None:
    settings_path.mkdir()  # a folder where the file should be
    code, out, err = _support(capsys)
    assert code == 0 and len(err.splitlines()) == 1
    assert all(c in out for c in CRISIS)


def test_reading_people_from_a_damaged_file_keeps_only_well_formed_ones(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert saved_contacts(path) == ()  # no file: no one
    path.write_text("not json", encoding="utf-8")
    assert saved_contacts(path) is None
    path.write_text(
        json.dumps(
            {
                "support_contacts": [
                    {"name": "Ana Silva", "reach": "0123", "role": "supervisor"},
                    {"name": "", "reach": "nameless"},
                    {"name": "Too long", "reach": "x" * 201},
                    "a string",
                    {"name": 5},
                    *({"name": f"P{i}"} for i in range(10)),
                ]
            }
        ),
        encoding="utf-8",
    )
    found = saved_contacts(path)
    assert found is not None
    assert found[0] == SupportContact("Ana Silva", "0123", "supervisor")
    assert [p.name for p in found[1:]] == [f"P{i}" for i in range(7)]  # at most 8 in all


def test_long_lines_are_wrapped_for_the_terminal() -> None:
    out = render_text(())
    assert max(len(line) for line in out.splitlines()) <= 78
    assert out.endswith("\n")
