"""A Babel extraction method for the shipped practice files (`assets/exercises/*.toml`).

The shipped practices speak through gettext (`companion.core.exercises` translates them as
they are loaded), so `make pot` must find their words: a practice's `title`, `about` and
`caution`, and each step's `cue` and `next` (the move-on button). `source` (a citation),
ids, kinds, directions and numbers are not words for a person to read in their language, so
they are left out.

babel.cfg names it: `[companion.i18n_extract.extract_toml: assets/exercises/*.toml]`.
Only Babel calls this; the app never imports it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

#: The fields whose text a person reads, at the top of a practice and in its steps.
TOP_FIELDS = ("title", "about", "caution")
STEP_FIELDS = ("cue", "next")

_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*=")

Message = tuple[int, str | None, str, list[str]]


def extract_toml(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Yield (line, None, text, [comment]) for each translatable text of one practice
    file, in file order. A file that is not valid TOML yields nothing (`companion
    exercises check` is where a broken file is reported)."""
    raw = fileobj.read()
    text = raw.decode(options.get("encoding") or "utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    practice = str(data.get("id", ""))
    wanted: list[tuple[str, str, str]] = []  # (key, value, comment) in file order
    for key in TOP_FIELDS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            wanted.append((key, value.strip(), f"practice {practice}: {key}"))
    steps = data.get("steps")
    for number, step in enumerate(steps if isinstance(steps, list) else [], start=1):
        if not isinstance(step, dict):
            continue
        for key in STEP_FIELDS:
            value = step.get(key)
            if isinstance(value, str) and value.strip():
                wanted.append((key, value.strip(), f"practice {practice}: steps[{number}].{key}"))
    yield from _with_lines(text, wanted)


def _with_lines(text: str, wanted: list[tuple[str, str, str]]) -> Iterator[Message]:
    """Pair each wanted value with the line its key is on (keys appear in file order)."""
    lines = [
        (n, m.group("key"))
        for n, line in enumerate(text.splitlines(), start=1)
        if (m := _KEY.match(line))
    ]
    at = 0
    for key, value, comment in wanted:
        lineno = 0
        for i in range(at, len(lines)):
            if lines[i][1] == key:
                lineno, at = lines[i][0], i + 1
                break
        yield lineno, None, value, [comment]
