"""`companion exercises [--json]` and `companion exercises check PATH`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion.cli import main
from companion.core.exercises import shipped_dir

MINE = """\
id = "my-pause"
title = "My pause"
kind = "grounding"
minutes = 1

[[steps]]
type = "guided"
seconds = 60
cue = "Feet on the floor, eyes open or closed."
"""


def user_folder(data_dir: Path) -> Path:
    folder = data_dir / "practices"  # the config folder is the data folder when one is given
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_list_shows_every_practice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for path in shipped_dir().glob("*.toml"):
        assert re.search(rf"^{re.escape(path.stem)}\s", out, re.MULTILINE), path.stem
    assert "Body scan" in out


def test_json_lists_objects_with_id_title_kind_minutes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == len(list(shipped_dir().glob("*.toml")))
    for item in items:
        assert {"id", "title", "kind", "minutes"} <= set(item)
    box = next(item for item in items if item["id"] == "box-5")
    assert (box["title"], box["kind"], box["minutes"]) == ("Box breathing", "breathing", 5)


def test_json_lists_the_new_practices_with_their_caution_direction_effect_and_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["exercises", "--json"]) == 0
    items = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    for item in items.values():
        assert {"caution", "direction", "effect", "use"} <= set(item)
    new = {
        "orienting": ("grounding", 1.5, "outward", ""),
        "self-compassion-break": ("compassion", 2.5, "inward", ""),
        "leave-it-at-the-door": ("grounding", 1, "outward", "end-of-day"),
        "listening-anchor": ("grounding", 2.5, "outward", ""),
        "short-walk": ("movement", 5, "outward", ""),
        "decompression": ("grounding", 16, "outward", "decompression"),
        "empathy-to-compassion": ("compassion", 2, "inward", ""),
    }
    for practice_id, (kind, minutes, direction, use) in new.items():
        item = items[practice_id]
        assert (item["kind"], item["minutes"], item["direction"], item["use"]) == (
            kind,
            minutes,
            direction,
            use,
        ), practice_id
    assert items["short-walk"]["effect"] == "energising"
    assert items["short-walk"]["caution"]
    assert "lightheaded" in items["decompression"]["caution"]
    assert "pregnant" in items["box-5"]["caution"]
    assert "never to pain" in items["pmr-7"]["caution"]


def test_the_list_shows_a_caution_under_its_practice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("pmr-7 "))
    assert re.match(r"^pmr-7\s+9\s+pmr\s+inward\s+settling\s+-\s+Muscle relaxation", lines[row])
    assert lines[row + 1].startswith("    Caution: Tense gently")
    door = next(line for line in lines if line.startswith("leave-it-at-the-door "))
    assert re.search(r"\soutward\s+either\s+end-of-day\s", door)


def test_the_users_practices_are_listed_and_broken_ones_reported(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_folder(data_dir)
    (folder / "mine.toml").write_text(MINE, encoding="utf-8")
    (folder / "broken.toml").write_text(MINE.replace("seconds = 60", "seconds = -60"), "utf-8")
    assert main(["--data-dir", str(data_dir), "exercises", "--json"]) == 0
    out, err = capsys.readouterr()
    items = {item["id"]: item for item in json.loads(out)}
    assert items["my-pause"]["user"] is True
    assert err.splitlines() == [
        f"{folder / 'broken.toml'}: steps[1].seconds: -60 is not allowed; use more than 0 (skipped)"
    ]
    assert main(["--data-dir", str(data_dir), "exercises"]) == 0
    out, err = capsys.readouterr()
    # a grounding file that names no direction or effect looks outward and suits either state
    assert re.search(
        r"^my-pause\s+1\s+grounding\s+outward\s+either\s+-\s+My pause \(yours\)$", out, re.MULTILINE
    )
    assert len(err.splitlines()) == 1


def test_check_accepts_a_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    assert main(["exercises", "check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{path}: OK: my-pause, 1 step, 1:00\n"
    assert err == ""


def test_check_accepts_every_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "check", str(shipped_dir())]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count(": OK: ") == len(list(shipped_dir().glob("*.toml")))


def test_check_refuses_a_bad_file_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    text = MINE.replace('kind = "grounding"', 'kind = "yoga"').replace(
        "seconds = 60", "seconds = -1"
    )
    path.write_text(text + '\n[[steps]]\ntype = "nap"\n', encoding="utf-8")
    assert main(["exercises", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{path}: kind: 'yoga' is not a kind of practice; use one of breathing, body-scan, pmr, "
        "grounding, movement, compassion",
        f"{path}: steps[1].seconds: -1 is not allowed; use more than 0",
        f"{path}: steps[2].type: 'nap' is not a step type; use one of breathing, guided, "
        "self-paced",
    ]


def test_check_gives_the_line_of_a_toml_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.toml"
    path.write_text(MINE.replace('title = "My pause"', "title = My pause"), encoding="utf-8")
    assert main(["exercises", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"{re.escape(str(path))}: line 2: not valid TOML \(.+\)\n", err)


def test_check_a_missing_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "mine.toml"
    good.write_text(MINE, encoding="utf-8")
    assert main(["exercises", "check", str(good), str(tmp_path / "gone.toml")]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{good}: OK")
    assert err == f"{tmp_path / 'gone.toml'}: file: not found\n"
