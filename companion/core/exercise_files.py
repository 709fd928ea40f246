"""Reading and checking practice files: TOML in, an `Exercise` or problem lines out.

Every problem is one line in the shape `"<file>: <field>: <what is wrong>"` (steps
counted from 1), so `companion exercises check` and the library can say exactly what to
fix. Limits (an hour at most, 200 steps, 400 characters of text) keep a broken or
hostile file from costing the app anything. Words a person reads are translated only
for the shipped library (see `parse_exercise`).

A practice file is read at most `MAX_FILE_BYTES` (256 KiB): it is opened without
blocking, refused unless it is a regular file (a FIFO named `x.toml` must not hang
start-up; a link to a device must not be read forever), and read to the limit plus one
byte, so a 300 MB file costs 256 KiB of reading before it is refused. A file nested too
deeply for the TOML reader, or with a number too long to be one, is one problem line
like any other; a value quoted in a problem line is cut short (`_shown`).
"""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from companion.core.exercise_model import (
    DIRECTIONS,
    EFFECTS,
    KINDS,
    NEXT,
    STEP_TYPES,
    USES,
    BreathingStep,
    BreathPattern,
    Exercise,
    GuidedStep,
    SelfPacedStep,
    Step,
    plain_number,
)
from companion.i18n import N_, _, ngettext

MINUTES_TOLERANCE = 0.10
"""A file's declared `minutes` must be within this fraction of its steps' real total."""

MAX_MINUTES = 60
MAX_FILE_BYTES = 256 * 1024
MAX_STEPS = 200
MAX_STEP_SECONDS = 3600.0
MAX_PHASE_SECONDS = 30.0
MAX_TEXT = 400
MAX_PROBLEMS = 20
"""At most this many problem lines for one file; the rest are counted in one more line."""
MAX_SHOWN = 40
"""A value quoted in a problem line is cut to about this many characters."""
MAX_KEY_DOTS = 100
"""A key may have at most this many dots (`a.b.c = 1`): the TOML reader's time grows with
the square of a dotted key's depth (50,000 levels in 100 KB took over a minute)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")

Translate = Callable[[str], str]


def _as_written(text: str) -> str:
    return text


_TOP_FIELDS = (
    "id",
    "title",
    "kind",
    "minutes",
    "source",
    "about",
    "caution",
    "direction",
    "effect",
    "use",
    "short_of",
    "steps",
)

#: Where a practice of each kind turns attention, when its file does not say: the senses
#: and movement look outward, breath and body inward (CONTENT.md, "Direction").
DEFAULT_DIRECTION: Mapping[str, str] = {
    "breathing": "inward",
    "body-scan": "inward",
    "pmr": "inward",
    "grounding": "outward",
    "movement": "outward",
    "compassion": "inward",
}
#: What a practice of each kind does to arousal, when its file does not say.
DEFAULT_EFFECT: Mapping[str, str] = {
    "breathing": "settling",
    "body-scan": "settling",
    "pmr": "settling",
    "grounding": "either",
    "movement": "energising",
    "compassion": "settling",
}
_STEP_FIELDS: Mapping[str, tuple[str, ...]] = {
    "breathing": (
        "type",
        "inhale",
        "top_up",
        "hold_in",
        "exhale",
        "hold_out",
        "cycles",
        "seconds",
        "cue",
    ),
    "guided": ("type", "cue", "seconds"),
    "self-paced": ("type", "cue", "next", "limit"),
}


def _shown(value: object) -> str:
    """`value` as a problem line quotes it (its repr), cut short: a hostile file's 400-digit
    number, 100 KB key or deeply nested table is named, not echoed."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        try:
            return _("a number {n} digits long").format(n=len(str(abs(value))))
        except ValueError:  # past Python's 4300-digit limit for turning it into text
            return _("a number thousands of digits long")
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return _("a value nested too deeply")
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return text


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []
        self.dropped = 0

    def add(self, where: str, what: str) -> None:
        if len(self.lines) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.lines.append(
            _("{file}: {field}: {problem}").format(file=self.name, field=where, problem=what)
        )

    def count(self) -> int:
        return len(self.lines) + self.dropped

    def all_lines(self) -> list[str]:
        if not self.dropped:
            return self.lines
        more = ngettext(
            "{file}: file: {n} more problem not shown; fix the ones above first",
            "{file}: file: {n} more problems not shown; fix the ones above first",
            self.dropped,
        ).format(file=self.name, n=self.dropped)
        return [*self.lines, more]


def _is_number(value: object) -> bool:
    """A real, finite number (a whole number of any length counts: it is compared, never
    turned into a float before it is known to be small enough)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _number_text(value: int | float) -> str:
    return _shown(value) if isinstance(value, int) and abs(value) >= 10**15 else plain_number(value)


def _number(
    raw: Mapping[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    required: bool = True,
    default: float = 0.0,
    allow_zero: bool = False,
    maximum: float = MAX_STEP_SECONDS,
) -> float | None:
    if key not in raw:
        if required:
            problems.add(where, _("missing; give a number of seconds"))
            return None
        return default
    value = raw[key]
    if not _is_number(value):
        problems.add(where, _("{value} is not a number").format(value=_shown(value)))
        return None
    if value < 0 or (value == 0 and not allow_zero):
        problem = (
            _("{value} is not allowed; use 0 or more")
            if allow_zero
            else _("{value} is not allowed; use more than 0")
        )
        problems.add(where, problem.format(value=_number_text(value)))
        return None
    if value > maximum:
        problems.add(
            where,
            _("{value} is too long; use at most {most}").format(
                value=_number_text(value), most=plain_number(maximum)
            ),
        )
        return None
    return float(value)


def _text(
    raw: Mapping[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    required: bool = True,
    default: str = "",
) -> str | None:
    if key not in raw:
        if required:
            problems.add(where, _("missing; it needs some text"))
            return None
        return default
    value = raw[key]
    if not isinstance(value, str):
        problems.add(where, _("{value} is not text; put it in quotes").format(value=_shown(value)))
        return None
    text = value.strip()
    if required and not text:
        problems.add(where, _("is empty; it needs some text"))
        return None
    if len(text) > MAX_TEXT:
        problems.add(
            where,
            _("is {n} characters long; keep it under {most}").format(n=len(text), most=MAX_TEXT),
        )
        return None
    return text


def _choice(
    raw: Mapping[str, Any],
    key: str,
    allowed: Sequence[str],
    problem: str,
    problems: _Problems,
    *,
    default: str,
) -> str | None:
    """One of the words in `allowed` ("outward"), `default` when the file leaves the field
    out, or None after one problem line: `problem` (translated) with {value} and {names}."""
    if key not in raw:
        return default
    value = raw[key]
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip()
    names = ", ".join(word for word in allowed if word)
    problems.add(key, problem.format(value=_shown(value), names=names))
    return None


def _unknown_keys(raw: Mapping[str, Any], known: Sequence[str], where: str, p: _Problems) -> None:
    for key in raw:
        if key not in known:
            shown = key if len(key) <= MAX_SHOWN else key[: MAX_SHOWN - 1] + "…"
            p.add(
                f"{where}{shown}",
                _("unknown field; use one of {names}").format(names=", ".join(known)),
            )


def _parse_step(raw: object, where: str, p: _Problems, tr: Translate) -> Step | None:
    if not isinstance(raw, dict):
        p.add(where, _("is not a table; write each step as a [[steps]] block"))
        return None
    before = p.count()
    kind = raw.get("type")
    if kind is None:
        p.add(f"{where}.type", _("missing; use one of {names}").format(names=", ".join(STEP_TYPES)))
        return None
    if kind not in STEP_TYPES:
        p.add(
            f"{where}.type",
            _("{value} is not a step type; use one of {names}").format(
                value=_shown(kind), names=", ".join(STEP_TYPES)
            ),
        )
        return None
    _unknown_keys(raw, _STEP_FIELDS[kind], f"{where}.", p)

    step: Step | None = None
    if kind == "guided":
        cue = _text(raw, "cue", f"{where}.cue", p)
        seconds = _number(raw, "seconds", f"{where}.seconds", p)
        if cue is not None and seconds is not None:
            step = GuidedStep(cue=tr(cue), seconds=seconds)
    elif kind == "self-paced":
        cue = _text(raw, "cue", f"{where}.cue", p)
        label = _text(raw, "next", f"{where}.next", p, required=False)
        limit = _number(raw, "limit", f"{where}.limit", p)
        if cue is not None and label is not None and limit is not None:
            step = SelfPacedStep(
                cue=tr(cue), next_label=tr(label) if label else _(NEXT), limit_seconds=limit
            )
    else:
        step = _parse_breathing(raw, where, p, tr)
    return step if p.count() == before else None


def _parse_breathing(
    raw: Mapping[str, Any], where: str, p: _Problems, tr: Translate
) -> BreathingStep | None:
    phase_max = MAX_PHASE_SECONDS
    inhale = _number(raw, "inhale", f"{where}.inhale", p, maximum=phase_max)
    exhale = _number(raw, "exhale", f"{where}.exhale", p, maximum=phase_max)
    extras = {
        key: _number(
            raw, key, f"{where}.{key}", p, required=False, allow_zero=True, maximum=phase_max
        )
        for key in ("top_up", "hold_in", "hold_out")
    }
    cue = _text(raw, "cue", f"{where}.cue", p, required=False)
    if inhale is None or exhale is None or cue is None or None in extras.values():
        return None
    pattern = BreathPattern(
        inhale=inhale,
        exhale=exhale,
        hold_in=extras["hold_in"] or 0.0,
        hold_out=extras["hold_out"] or 0.0,
        top_up=extras["top_up"] or 0.0,
    )
    has_cycles, has_seconds = "cycles" in raw, "seconds" in raw
    if has_cycles and has_seconds:
        p.add(f"{where}.cycles", _("give cycles or seconds, not both"))
        return None
    if not has_cycles and not has_seconds:
        p.add(f"{where}.cycles", _("missing; give cycles = N or seconds = N"))
        return None
    if has_cycles:
        cycles = raw["cycles"]
        if isinstance(cycles, bool) or not isinstance(cycles, int):
            p.add(
                f"{where}.cycles",
                _("{value} is not allowed; use a whole number").format(value=_shown(cycles)),
            )
            return None
        if cycles < 1:
            p.add(
                f"{where}.cycles",
                _("{value} is not allowed; use 1 or more").format(value=_number_text(cycles)),
            )
            return None
        if cycles > MAX_STEP_SECONDS / pattern.cycle_seconds:  # compared, never multiplied
            p.add(
                f"{where}.cycles",
                _("{value} is too many cycles; keep a step under an hour").format(
                    value=_number_text(cycles)
                ),
            )
            return None
    else:
        seconds = _number(raw, "seconds", f"{where}.seconds", p)
        if seconds is None:
            return None
        cycles = cycles_in(pattern, seconds)
        if cycles < 1:
            p.add(
                f"{where}.seconds",
                _("{value} is shorter than one breath cycle ({cycle} s)").format(
                    value=plain_number(seconds), cycle=plain_number(pattern.cycle_seconds)
                ),
            )
            return None
    step = BreathingStep(pattern=pattern, cycles=cycles, cue=tr(cue) if cue else cue)
    if step.seconds > MAX_STEP_SECONDS:
        p.add(
            f"{where}.cycles",
            _("{n} cycles take too long; keep a step under an hour").format(n=cycles),
        )
        return None
    return step


def cycles_in(pattern: BreathPattern, seconds: float) -> int:
    """The most whole cycles of `pattern` that fit in `seconds`."""
    return math.floor(seconds / pattern.cycle_seconds + 1e-9)


def parse_exercise(
    data: Mapping[str, Any], name: str, *, translate: Translate | None = None
) -> tuple[Exercise | None, list[str]]:
    """Build an Exercise from parsed TOML; `name` labels the problem lines.

    `translate` is applied to the words a person reads (title, about, caution, cues, button
    labels) after they were checked: the shipped library passes gettext's `_`; a
    person's own files keep their words as written (the default)."""
    tr = translate or _as_written
    p = _Problems(name)
    _unknown_keys(data, _TOP_FIELDS, "", p)

    ex_id = _text(data, "id", "id", p)
    if ex_id is not None and not _ID.match(ex_id):
        p.add(
            "id",
            _(
                "{value} is not allowed; use lower-case letters, digits and dashes "
                "(up to 64, starting with a letter or digit)"
            ).format(value=_shown(ex_id)),
        )
        ex_id = None
    title = _text(data, "title", "title", p)
    kind = data.get("kind")
    if kind is None:
        p.add("kind", _("missing; use one of {names}").format(names=", ".join(KINDS)))
    elif kind not in KINDS:
        p.add(
            "kind",
            _("{value} is not a kind of practice; use one of {names}").format(
                value=_shown(kind), names=", ".join(KINDS)
            ),
        )
        kind = None
    minutes: float | None = None
    if "minutes" not in data:
        p.add("minutes", _("missing; say how many minutes the practice takes"))
    elif not _is_number(data["minutes"]) or not 0 < data["minutes"] <= MAX_MINUTES:
        p.add(
            "minutes",
            _("{value} is not allowed; use a number above 0, up to {most}").format(
                value=_shown(data["minutes"]), most=MAX_MINUTES
            ),
        )
    else:
        minutes = data["minutes"]
    source = _text(data, "source", "source", p, required=False)
    about = _text(data, "about", "about", p, required=False)
    caution = _text(data, "caution", "caution", p, required=False)
    known_kind = kind if isinstance(kind, str) else ""
    direction = _choice(
        data,
        "direction",
        DIRECTIONS,
        _("{value} is not a direction; use one of {names}"),
        p,
        default=DEFAULT_DIRECTION.get(known_kind, "inward"),
    )
    effect = _choice(
        data,
        "effect",
        EFFECTS,
        _("{value} is not an effect; use one of {names}"),
        p,
        default=DEFAULT_EFFECT.get(known_kind, "settling"),
    )
    use = _choice(
        data,
        "use",
        USES,
        _("{value} is not a use; use one of {names}, or leave it out for any break"),
        p,
        default="",
    )
    short_of = _text(data, "short_of", "short_of", p, required=False)
    if short_of and not _ID.match(short_of):
        p.add("short_of", _("{value} is not a practice id").format(value=_shown(short_of)))

    steps: list[Step] = []
    raw_steps = data.get("steps")
    if raw_steps is None:
        p.add("steps", _("missing; add at least one [[steps]] block"))
    elif not isinstance(raw_steps, list) or not raw_steps:
        p.add("steps", _("add at least one step as a [[steps]] block"))
    elif len(raw_steps) > MAX_STEPS:
        p.add(
            "steps",
            _("{n} steps is too many; use at most {most}").format(n=len(raw_steps), most=MAX_STEPS),
        )
    else:
        for number, raw in enumerate(raw_steps, start=1):
            step = _parse_step(raw, f"steps[{number}]", p, tr)
            if step is not None:
                steps.append(step)

    if p.count():
        return None, p.all_lines()
    assert ex_id is not None and title is not None and isinstance(kind, str)
    assert minutes is not None and source is not None and about is not None
    assert caution is not None and direction and effect and use is not None
    exercise = Exercise(
        id=ex_id,
        title=tr(title),
        kind=kind,
        minutes=minutes,
        steps=tuple(steps),
        source=source,
        about=tr(about) if about else about,
        caution=tr(caution) if caution else caution,
        direction=direction,
        effect=effect,
        use=use,
        short_of=short_of or None,
    )
    total_minutes = exercise.total_seconds / 60
    if total_minutes > MAX_MINUTES:
        p.add(
            "steps",
            _("add up to {minutes:.1f} minutes; keep a practice within an hour").format(
                minutes=total_minutes
            ),
        )
    elif abs(total_minutes - minutes) > MINUTES_TOLERANCE * minutes:
        p.add(
            "minutes",
            _(
                "says {minutes} but the steps add up to {total:.1f} minutes; keep them within 10 %"
            ).format(minutes=plain_number(minutes), total=total_minutes),
        )
    if short_of == ex_id:
        p.add("short_of", _("names the practice itself; name the longer practice instead"))
    if p.count():
        return None, p.all_lines()
    return exercise, []


class _Refused(Exception):
    """A file refused before it is parsed; the message is the problem, without the file."""


_NOT_REGULAR = N_("is not a regular file (a pipe, device or socket); a practice file is plain text")
_TOO_BIG = N_("is {size} bytes; a practice file stays under 256 KB")
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Never blocks and never reads more than `limit` + 1 bytes: anything but a regular file
    (a FIFO, a device, a socket) is refused before a byte is read, and so is a file the
    file system says is too big; a file that grows while it is read is cut off at the
    limit + 1 and refused. Raises `_Refused` (the problem) or OSError."""
    if stat.S_ISDIR(os.stat(path).st_mode):
        raise IsADirectoryError(path)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)  # what was opened, not what the name meant a moment ago
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(_(_NOT_REGULAR))
        if info.st_size > limit:
            raise _Refused(_(_TOO_BIG).format(size=info.st_size))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise _Refused(_(_TOO_BIG).format(size=_("more than {most}").format(most=limit)))
    return b"".join(chunks)


def _deep_key_line(text: str) -> int:
    """The number of the first line whose key (before its `=`) has more than
    `MAX_KEY_DOTS` dots, or 0. A dot inside a quoted key counts too: no practice needs one."""
    for number, line in enumerate(text.splitlines(), start=1):
        key, equals, _value = line.partition("=")
        if equals and key.count(".") > MAX_KEY_DOTS:
            return number
    return 0


def read_exercise(
    path: Path, *, translate: Translate | None = None
) -> tuple[Exercise | None, list[str]]:
    """Read and validate one practice file: (the practice, []) or (None, problem lines).
    `translate`: see `parse_exercise`. Reads at most `MAX_FILE_BYTES` (see `read_limited`)."""
    name = str(path)
    try:
        text = read_limited(path).decode("utf-8")
    except _Refused as exc:
        return None, [_("{file}: file: {problem}").format(file=name, problem=exc)]
    except FileNotFoundError:
        return None, [_("{file}: file: not found").format(file=name)]
    except IsADirectoryError:
        return None, [_("{file}: file: is a folder, not a practice file").format(file=name)]
    except OSError as exc:
        reason = exc.strerror or exc
        return None, [_("{file}: file: cannot be read ({reason})").format(file=name, reason=reason)]
    except UnicodeDecodeError as exc:
        return None, [
            _("{file}: file: is not UTF-8 text (byte {byte})").format(file=name, byte=exc.start)
        ]
    deep = _deep_key_line(text)
    if deep:
        return None, [
            _(
                "{file}: line {line}: a key is nested more than {most} deep; "
                "a practice file nests a few levels at most"
            ).format(file=name, line=deep, most=MAX_KEY_DOTS)
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.match(message)
        if match:
            what = match.group("msg").rstrip(".")
            return None, [
                _("{file}: line {line}: not valid TOML ({reason}, column {column})").format(
                    file=name,
                    line=match.group("line"),
                    reason=what[:1].lower() + what[1:],
                    column=match.group("col"),
                )
            ]
        return None, [
            _("{file}: file: not valid TOML ({reason})").format(file=name, reason=message)
        ]
    except RecursionError:
        return None, [
            _("{file}: file: is nested too deeply to be a practice file").format(file=name)
        ]
    except ValueError:  # a whole number past Python's 4300-digit limit, say
        return None, [
            _("{file}: file: not valid TOML (holds a number too long to read)").format(file=name)
        ]
    try:
        return parse_exercise(data, name, translate=translate)
    except RecursionError:  # a table nested through dotted keys, quoted somewhere deep
        return None, [
            _("{file}: file: is nested too deeply to be a practice file").format(file=name)
        ]


def check_file(path: Path) -> list[str]:
    """Every problem with one practice file, one line each: "<file>: <field>: <what>".
    An empty list means the file is a valid practice."""
    return read_exercise(path)[1]
