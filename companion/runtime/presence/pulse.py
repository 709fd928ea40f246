"""A microphone in use: a recording stream on PulseAudio, or on PipeWire through its
PulseAudio server (pipewire-pulse), read with `pactl`.

`pactl --format=json list source-outputs` (pactl 16 and later; older ones get the text
listing, untranslated) lists every recording stream. One counts as a call when it records
from a real source, not from a monitor (what the speakers play: screen recorders and level
meters listen there), and when it is not:

* our own process;
* made by the sound server itself (a PulseAudio module's loopback or echo canceller, whose
  driver is `module-….c`; a PipeWire module's stream, marked `node.virtual`);
* the level meter of a volume control (pavucontrol, GNOME's), open only while it is shown.

A paused (corked) stream still counts: a call on mute is still a call.

Only when there is such a candidate is the list of sources read, to tell monitors apart, so
the usual answer ("no stream at all") costs one short `pactl` run. pactl is not run at all
when no sound server socket is there (it could otherwise start a PulseAudio daemon).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from companion.runtime.presence._run import Output, run, say_once

INVALID_INDEX = 0xFFFFFFFF  # PA_INVALID_INDEX: a stream not (yet) connected to a source
_LEVEL_METERS = frozenset({"org.PulseAudio.pavucontrol", "org.gnome.VolumeControl"})
_PEAK_NAMES = frozenset({"Peak detect", "PeakDetect"})

Runner = Callable[[list[str]], Output | None]


@dataclass(frozen=True)
class RecordingStream:
    """One `Source Output`: what the check needs of it, nothing it could show."""

    source: int | None  # the source it records from, None when not connected
    pid: int | None
    corked: bool = False
    driver: str = ""
    properties: Mapping[str, str] | None = None

    def prop(self, name: str) -> str:
        return (self.properties or {}).get(name, "")

    @property
    def from_the_server(self) -> bool:
        """Made by the sound server (a module's loopback or echo canceller), not a program."""
        return self.driver.startswith("module-") or self.prop("node.virtual") == "true"

    @property
    def level_meter(self) -> bool:
        return (
            self.prop("application.id") in _LEVEL_METERS or self.prop("media.name") in _PEAK_NAMES
        )

    @property
    def captures_a_monitor(self) -> bool:
        return self.prop("stream.capture.sink") == "true"  # PipeWire's own mark


def _index(value: object) -> int | None:
    try:
        index = int(str(value))
    except ValueError:
        return None
    return None if index in (INVALID_INDEX, -1) else index


def _pid(properties: Mapping[str, str]) -> int | None:
    try:
        return int(properties.get("application.process.id", ""))
    except ValueError:
        return None


# --- JSON (pactl 16 and later) ------------------------------------------------------------


def streams_from_json(text: str) -> list[RecordingStream]:
    """`pactl --format=json list source-outputs` -> the streams. Raises ValueError on text
    that is not that listing."""
    items = json.loads(text)
    if not isinstance(items, list):
        raise ValueError("not a list of source outputs")
    streams = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw = item.get("properties")
        props = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        streams.append(
            RecordingStream(
                source=_index(item.get("source")),
                pid=_pid(props),
                corked=item.get("corked") is True,
                driver=str(item.get("driver") or ""),
                properties=props,
            )
        )
    return streams


def monitors_from_json(text: str) -> set[int]:
    """`pactl --format=json list sources` -> the indexes of the monitor sources."""
    items = json.loads(text)
    if not isinstance(items, list):
        raise ValueError("not a list of sources")
    monitors = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        props = item.get("properties")
        device_class = props.get("device.class") if isinstance(props, dict) else None
        index = _index(item.get("index"))
        if index is not None and (item.get("monitor_source") or device_class == "monitor"):
            monitors.add(index)
    return monitors


# --- text (older pactl; asked for untranslated) -----------------------------------------


def _blocks(text: str, heading: str) -> Iterator[tuple[int | None, list[str]]]:
    """The `heading #N` blocks of a `pactl list` text: (N, the block's lines)."""
    index: int | None = None
    lines: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(heading + " #"):
            if lines is not None:
                yield index, lines
            index, lines = _index(line[len(heading) + 2 :].strip()), []
        elif lines is not None:
            lines.append(line)
    if lines is not None:
        yield index, lines


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _fields(lines: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """A block's `Key: value` fields (one tab in) and its properties (`key = "value"`)."""
    fields: dict[str, str] = {}
    props: dict[str, str] = {}
    in_props = False
    for line in lines:
        if line.startswith("\t\t") and in_props:
            key, sep, value = line.strip().partition(" = ")
            if sep:
                props[key] = _unquote(value)
        elif line.startswith("\t") and not line.startswith("\t\t"):
            key, _sep, value = line.strip().partition(":")
            in_props = key == "Properties"
            fields[key] = value.strip()
    return fields, props


def streams_from_text(text: str) -> list[RecordingStream]:
    """`pactl list source-outputs` (LC_ALL=C) -> the streams."""
    streams = []
    for _index_of_stream, lines in _blocks(text, "Source Output"):
        fields, props = _fields(lines)
        streams.append(
            RecordingStream(
                source=_index(fields.get("Source", "")),
                pid=_pid(props),
                corked=fields.get("Corked", "no") == "yes",
                driver=fields.get("Driver", ""),
                properties=props,
            )
        )
    return streams


def monitors_from_text(text: str) -> set[int]:
    """`pactl list sources` (LC_ALL=C) -> the indexes of the monitor sources."""
    monitors = set()
    for index, lines in _blocks(text, "Source"):
        fields, props = _fields(lines)
        monitor_of = fields.get("Monitor of Sink", "n/a")
        if index is not None and (
            monitor_of not in ("", "n/a") or props.get("device.class") == "monitor"
        ):
            monitors.add(index)
    return monitors


def candidates(streams: list[RecordingStream], own_pid: int) -> list[RecordingStream]:
    """The streams that may be a call, before monitors are known."""
    return [
        s
        for s in streams
        if s.pid != own_pid
        and not s.from_the_server
        and not s.level_meter
        and not s.captures_a_monitor
    ]


def live(streams: list[RecordingStream], monitors: set[int]) -> list[RecordingStream]:
    return [s for s in streams if s.source is None or s.source not in monitors]


def server_socket(environ: Mapping[str, str]) -> str | None:
    """Where a PulseAudio (or pipewire-pulse) server listens, if one seems to be there."""
    if environ.get("PULSE_SERVER"):
        return environ["PULSE_SERVER"]
    runtime = environ.get("PULSE_RUNTIME_PATH") or (
        str(Path(environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}") / "pulse")
    )
    native = Path(runtime) / "native"
    return str(native) if native.exists() else None


class PulseMicrophone:
    """Is a microphone recording, for someone else than us? `check()` -> a detail or None."""

    def __init__(
        self,
        *,
        runner: Runner = run,
        own_pid: int | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._run = runner
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._environ = environ
        self._json = True  # until pactl says it does not know --format
        self.answered = False  # did pactl list the streams, the last time?

    def _pactl(self, *what: str) -> str | None:
        if self._json:
            out = self._run(["pactl", "--format=json", *what])
            if out is None:
                return None
            if out.ok:
                return out.out
            if "format" not in out.err.lower():  # e.g. "Connection failure: ..."
                return self._failed(out)
            say_once("pactl:text", "pactl has no JSON output: reading its text listing")
            self._json = False
        out = self._run(["pactl", *what])
        if out is None:
            return None
        return out.out if out.ok else self._failed(out)

    @staticmethod
    def _failed(out: Output | None) -> None:
        if out is not None:
            say_once(
                f"pactl:{out.code}",
                "pactl failed (status %d): the microphone signal is off while it does",
                out.code,
            )

    def _parse_streams(self, text: str) -> list[RecordingStream]:
        return streams_from_json(text) if self._json else streams_from_text(text)

    def _parse_monitors(self, text: str) -> set[int]:
        return monitors_from_json(text) if self._json else monitors_from_text(text)

    def check(self) -> str | None:
        self.answered = False
        environ = os.environ if self._environ is None else self._environ
        if server_socket(environ) is None:
            say_once(
                "pulse:none", "no PulseAudio or PipeWire sound server here: microphone signal off"
            )
            return None
        listing = self._pactl("list", "source-outputs")
        if listing is None:
            return None
        try:
            found = candidates(self._parse_streams(listing), self._own_pid)
        except ValueError:
            say_once(
                "pactl:parse", "pactl's stream listing could not be read: microphone signal off"
            )
            return None
        self.answered = True
        if not found:
            return None
        sources = self._pactl("list", "sources")
        try:
            monitors = self._parse_monitors(sources) if sources is not None else set()
        except ValueError:
            monitors = set()
        recording = live(found, monitors)
        if not recording:
            return None
        if all(s.corked for s in recording):
            return "a recording stream is open (paused)"
        return "a recording stream is open"
