"""Hostile practice files: each is one line naming the file and why, it is skipped, and
start-up goes on (issue 14, item 13). Nothing here may hang, recurse or read a huge file."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from companion.cli import main
from companion.core.exercises import Library, check_file, load_library

GOOD = """\
id = "my-pause"
title = "My pause"
kind = "grounding"
minutes = 1

[[steps]]
type = "guided"
seconds = 60
cue = "Feet on the floor, eyes open or closed."
"""

BREATHING = """\
id = "counted"
title = "Counted"
kind = "breathing"
minutes = 1

[[steps]]
type = "breathing"
inhale = 4
exhale = 6
cycles = 6
"""


def folder_with_good_file(tmp_path: Path) -> Path:
    user = tmp_path / "practices"
    user.mkdir()
    (user / "mine.toml").write_text(GOOD, encoding="utf-8")
    return user


def assert_one_line_and_the_rest_loaded(library: Library, bad: Path, words: str) -> None:
    assert "my-pause" in library, "start-up went on: the good file beside it was loaded"
    (line,) = library.problems
    assert line.startswith(f"{bad}: file: ") and line.endswith("(skipped)"), line
    assert words in line, line
    assert "\n" not in line and len(line) < len(str(bad)) + 200, line


def _unblock(fifo: Path) -> None:
    """Lets go a reader stuck opening `fifo` (only the old code ever is)."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_practice_does_not_hang_start_up(tmp_path: Path) -> None:
    user = folder_with_good_file(tmp_path)
    fifo = user / "x.toml"
    os.mkfifo(fifo)
    result: list[Library] = []
    loader = threading.Thread(target=lambda: result.append(load_library(user)), daemon=True)
    loader.start()
    try:
        loader.join(timeout=10)  # returns at once when it works; the wait is only the failure
        assert result, "loading the practices hung on a FIFO named x.toml"
    finally:
        _unblock(fifo)
        loader.join(timeout=10)
    assert_one_line_and_the_rest_loaded(result[0], fifo, "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_exercises_check_on_a_fifo_says_why_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    codes: list[int] = []
    checker = threading.Thread(
        target=lambda: codes.append(main(["exercises", "check", str(fifo)])), daemon=True
    )
    checker.start()
    try:
        checker.join(timeout=10)
        assert codes == [1], "`companion exercises check` hung on a FIFO"
    finally:
        _unblock(fifo)
        checker.join(timeout=10)
    assert capsys.readouterr().err == (
        f"{fifo}: file: is not a regular file (a pipe, device or socket); "
        "a practice file is plain text\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_an_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    user = folder_with_good_file(tmp_path)
    link = user / "zero.toml"
    link.symlink_to("/dev/zero")
    assert_one_line_and_the_rest_loaded(load_library(user), link, "not a regular file")


def test_a_300_mb_practice_file_is_refused_without_being_read(tmp_path: Path) -> None:
    user = folder_with_good_file(tmp_path)
    huge = user / "huge.toml"
    with huge.open("wb") as out:  # sparse: 300 MB to the reader, next to nothing on disk
        out.truncate(300_000_000)
    tracemalloc.start()
    try:
        library = load_library(user)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_one_line_and_the_rest_loaded(library, huge, "is 300000000 bytes")
    assert "under 256 KB" in library.problems[0]
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB held while refusing a file it need not read"


def test_a_practice_file_nested_100000_deep_is_one_line(tmp_path: Path) -> None:
    user = folder_with_good_file(tmp_path)
    deep = user / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert_one_line_and_the_rest_loaded(load_library(user), deep, "nested too deeply")


def test_a_key_dotted_50000_deep_is_one_line_and_quick(tmp_path: Path) -> None:
    user = folder_with_good_file(tmp_path)
    deep = user / "dotted.toml"
    deep.write_text(GOOD.replace('kind = "grounding"', "kind" + ".a" * 50_000 + " = 1"))
    started = time.perf_counter()
    library = load_library(user)
    took = time.perf_counter() - started
    assert "my-pause" in library
    assert library.problems == [
        f"{deep}: line 3: a key is nested more than 100 deep; "
        "a practice file nests a few levels at most (skipped)"
    ]
    assert took < 10, f"start-up waited {took:.0f} s on one file"  # over a minute before


def test_a_dotted_key_a_practice_could_use_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "dotted.toml"
    path.write_text(GOOD + "\n[steps.extra.a.b]\nx = 1\n" + "\nsteps.what.ever = 1\n")
    assert all("nested" not in line for line in check_file(path))


@pytest.mark.parametrize(
    ("old", "field"),
    [
        ("minutes = 1", "minutes"),
        ("seconds = 60", "steps[1].seconds"),
    ],
)
def test_a_400_digit_number_is_one_short_line(tmp_path: Path, old: str, field: str) -> None:
    user = folder_with_good_file(tmp_path)
    bad = user / "big.toml"
    key = old.split(" = ", maxsplit=1)[0]
    bad.write_text(GOOD.replace('"my-pause"', '"big"').replace(old, f"{key} = {'9' * 400}"))
    library = load_library(user)
    assert "my-pause" in library
    (line,) = library.problems
    assert line.startswith(f"{bad}: {field}: a number 400 digits long "), line
    assert "9" * 20 not in line, "the number is named, not echoed"


def test_400_digit_cycles_are_one_short_line(tmp_path: Path) -> None:
    path = tmp_path / "cycles.toml"
    path.write_text(BREATHING.replace("cycles = 6", f"cycles = {'9' * 400}"), encoding="utf-8")
    assert check_file(path) == [
        f"{path}: steps[1].cycles: a number 400 digits long is too many cycles; "
        "keep a step under an hour"
    ]


def test_a_number_past_pythons_digit_limit_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge-number.toml"
    path.write_text(GOOD.replace("minutes = 1", f"minutes = {'9' * 5000}"), encoding="utf-8")
    (line,) = check_file(path)
    assert line.startswith(f"{path}: file: not valid TOML (") and len(line) < 200, line


def test_a_flood_of_problems_is_cut_to_a_readable_few(tmp_path: Path) -> None:
    path = tmp_path / "flood.toml"
    path.write_text(GOOD + "".join(f"junk{i} = 1\n" for i in range(5000)), encoding="utf-8")
    lines = check_file(path)
    assert 1 < len(lines) <= 21, len(lines)
    assert lines[0].startswith(f"{path}: steps[1].junk0: unknown field")
    assert lines[-1] == (
        f"{path}: file: {5000 - len(lines) + 1} more problems not shown; fix the ones above first"
    )


def test_a_long_value_is_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text(GOOD.replace('kind = "grounding"', f'kind = "{"y" * 100_000}"'))
    (line,) = check_file(path)
    assert line.startswith(f"{path}: kind: 'yyyy") and len(line) < len(str(path)) + 200, line
