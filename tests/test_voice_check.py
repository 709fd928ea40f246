"""`companion exercises check` reports a step whose spoken cue would run into the next
step: measured from the rendered voice, or estimated for words that have none."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion import i18n
from companion.cli import main
from companion.core.exercises import load_library, shipped_dir
from companion.runtime import voice

PRACTICE = """\
id = "quick-feet"
title = "Quick feet"
kind = "grounding"
minutes = 1

[[steps]]
type = "guided"
seconds = {first}
cue = "{cue}"

[[steps]]
type = "guided"
seconds = 50
cue = "Rest."
"""


def write(tmp_path: Path, cue: str, seconds: float) -> Path:
    path = tmp_path / "quick-feet.toml"
    path.write_text(PRACTICE.format(first=seconds, cue=cue), encoding="utf-8")
    return path


def test_a_long_cue_on_a_short_step_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cue = (
        "Notice the floor under your feet, the chair under you, the air on your face, "
        "and the sounds in the room around you, one by one."
    )
    path = write(tmp_path, cue, 5)
    assert main(["exercises", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "OK" not in out
    assert f"{path}: steps[1].cue: spoken, it takes about" in err
    assert "longer than the step's 5 s" in err
    assert "steps[2]" not in err


def test_the_same_cue_on_a_step_long_enough_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "Notice the floor under your feet.", 10)
    assert main(["exercises", "check", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_a_shipped_cue_is_measured_from_its_audio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    i18n.use("en")
    cue = next(s.cue for s in load_library()["body-scan-5"].steps if s.cue)
    seconds, measured = voice.spoken_seconds(cue)
    assert measured
    path = write(tmp_path, cue.replace('"', '\\"'), int(seconds) - 1)
    assert main(["exercises", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"spoken, it takes {seconds:.1f} s" in err


def test_every_shipped_practice_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "check", str(shipped_dir())]) == 0, capsys.readouterr().err
