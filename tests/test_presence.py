"""runtime/presence: is a call live, the screen locked or idle, Do Not Disturb on.

Each signal's reading is tested on outputs recorded from the real tools (PulseAudio 16 and
PipeWire 0.3.65 on Debian 12), fake /proc, /sys and /dev trees, fake D-Bus answers and a
fake Windows registry. Two tests run the real thing on this machine: a PulseAudio server
started by the test, with a real recording stream, and a private D-Bus bus with stand-in
logind, screen saver and notification services (each skipped, saying why, when its
programs are missing).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from companion.runtime.presence import (
    FREE,
    FakePresence,
    NoPresence,
    Presence,
    _run,
    make_presence_check,
)
from companion.runtime.presence._run import Output, helper_env, run
from companion.runtime.presence.desktop import DesktopState, desktop_switch
from companion.runtime.presence.linux import LinuxPresence
from companion.runtime.presence.macos import (
    MacPresence,
    dnd_from_legacy_plist,
    focus_from_assertions,
    focus_on,
)
from companion.runtime.presence.pulse import (
    PulseMicrophone,
    candidates,
    live,
    monitors_from_json,
    monitors_from_text,
    server_socket,
    streams_from_json,
    streams_from_text,
)
from companion.runtime.presence.video import (
    CameraDevices,
    PipeWireGraph,
    camera_holder,
    driver_users,
    graph_findings,
)
from companion.runtime.presence.windows import (
    CONSENT_STORE,
    QUNS_ACCEPTS_NOTIFICATIONS,
    QUNS_NOT_PRESENT,
    QUNS_PRESENTATION_MODE,
    WindowsPresence,
    apps_using,
    filetime,
)


@pytest.fixture(autouse=True)
def _say_again() -> Iterator[None]:
    """Each test starts with nothing said yet (the "said once" lines are per process)."""
    _run.forget_said()
    yield
    _run.forget_said()


class Runner:
    """A fake helper runner: answers by the command line, records what was run."""

    def __init__(self, answers: dict[tuple[str, ...], Output | None] | None = None) -> None:
        self.answers = dict(answers or {})
        self.ran: list[tuple[str, ...]] = []

    def __call__(self, argv: list[str]) -> Output | None:
        self.ran.append(tuple(argv))
        return self.answers.get(tuple(argv), Output(127, "", "not faked"))


def ok(text: str) -> Output:
    return Output(0, text)


# --- recorded pactl outputs ---------------------------------------------------------------
# `pactl --format=json list source-outputs` under PipeWire 0.3.65 (pipewire-pulse), trimmed
# to the fields read: PipeWire's echo canceller and a loopback (node.virtual), pw-record on
# the "mic" source (a native PipeWire client: no process id), parecord on a monitor.
PIPEWIRE_OUTPUTS = json.loads(
    """[{"index": 96, "driver": "PipeWire", "owner_module": null, "client": null, "source": 39,
  "corked": false, "mute": false, "properties": {"node.name": "echo-cancel-capture",
  "node.virtual": "true", "media.name": "Echo-Cancel Capture",
  "media.class": "Stream/Input/Audio"}},
 {"index": 115, "driver": "PipeWire", "owner_module": "536870915", "client": null, "source": 39,
  "corked": false, "mute": false, "properties": {"node.virtual": "true",
  "node.name": "input.loopback-2375-13", "media.name": "loopback-2375-13 input",
  "media.class": "Stream/Input/Audio"}},
 {"index": 304, "driver": "PipeWire", "owner_module": null, "client": "302", "source": 39,
  "corked": false, "mute": false, "properties": {"application.name": "pw-record",
  "node.name": "pw-record", "media.name": "/dev/null", "target.object": "mic",
  "media.class": "Stream/Input/Audio"}},
 {"index": 305, "driver": "PipeWire", "owner_module": null, "client": "303", "source": 98,
  "corked": false, "mute": false, "properties": {"application.name": "parecord",
  "media.name": "/dev/null", "application.process.id": "7207",
  "application.process.binary": "pacat", "target.object": "auto_null",
  "stream.capture.sink": "true", "node.name": "parecord", "media.class": "Stream/Input/Audio"}}]"""
)
PIPEWIRE_SOURCES = json.loads(
    """[{"index": 39, "state": "RUNNING", "name": "mic",
  "description": "mic Audio/Source/Virtual sink", "driver": "PipeWire", "monitor_source": "",
  "properties": {"media.class": "Audio/Source/Virtual", "node.name": "mic"}},
 {"index": 97, "state": "IDLE", "name": "echo-cancel-source", "description": "Echo-Cancel Source",
  "driver": "PipeWire", "monitor_source": "", "properties": {"node.name": "echo-cancel-source",
  "media.class": "Audio/Source"}},
 {"index": 98, "state": "RUNNING", "name": "echo-cancel-sink.monitor",
  "description": "Monitor of Echo-Cancel Sink", "driver": "PipeWire",
  "monitor_source": "echo-cancel-sink", "properties": {"node.name": "echo-cancel-sink",
  "media.class": "Audio/Sink", "device.class": "monitor"}}]"""
)

# `pactl list source-outputs` (LC_ALL=C) from PulseAudio 16.1: parecord on the null source
# (#1) and a second parecord on the null sink's monitor (#0).
PULSE_OUTPUTS_TEXT = """Source Output #0
\tDriver: protocol-native.c
\tOwner Module: 1
\tClient: 3
\tSource: 1
\tSample Specification: s16le 2ch 44100Hz
\tChannel Map: front-left,front-right
\tFormat: pcm, format.sample_format = "\\"s16le\\""  format.rate = "44100"  format.channels = "2"
\tCorked: no
\tMute: no
\tVolume: front-left: 65536 / 100% / 0.00 dB,   front-right: 65536 / 100% / 0.00 dB
\t        balance 0.00
\tBuffer Latency: 0 usec
\tSource Latency: 0 usec
\tResample method: n/a
\tProperties:
\t\tmedia.format = "WAV (Microsoft)"
\t\tapplication.name = "parecord"
\t\tmedia.name = "/dev/null"
\t\tnative-protocol.peer = "UNIX socket client"
\t\tnative-protocol.version = "35"
\t\tapplication.process.id = "1550"
\t\tapplication.process.user = "root"
\t\tapplication.process.binary = "pacat"
\t\tapplication.language = "C.UTF-8"

Source Output #1
\tDriver: protocol-native.c
\tOwner Module: 1
\tClient: 12
\tSource: 0
\tSample Specification: s16le 2ch 44100Hz
\tChannel Map: front-left,front-right
\tCorked: no
\tMute: no
\tProperties:
\t\tapplication.name = "parecord"
\t\tmedia.name = "/dev/null"
\t\tapplication.process.id = "1612"
"""
PULSE_SOURCES_TEXT = """Source #0
\tState: RUNNING
\tName: null.monitor
\tDescription: Monitor of Null Output
\tDriver: module-null-sink.c
\tMonitor of Sink: null
\tProperties:
\t\tdevice.description = "Monitor of Null Output"
\t\tdevice.class = "monitor"
\tFormats:
\t\tpcm

Source #1
\tState: RUNNING
\tName: mic
\tDescription: Null Input
\tDriver: module-null-source.c
\tMonitor of Sink: n/a
\tProperties:
\t\tdevice.description = "Null Input"
\t\tdevice.class = "abstract"
"""


def outputs_json(*streams: dict[str, object]) -> str:
    return json.dumps(list(streams))


def stream(index: int, **changes: object) -> dict[str, object]:
    """One of the recorded PipeWire streams, by index, with some fields changed."""
    found = copy.deepcopy(next(s for s in PIPEWIRE_OUTPUTS if s["index"] == index))
    props = changes.pop("properties", None)
    found.update(changes)
    if isinstance(props, dict):
        found["properties"].update(props)
    return found


# --- pactl: reading ------------------------------------------------------------------------


def test_pipewire_listing_keeps_programs_and_drops_the_servers_own_streams() -> None:
    streams = streams_from_json(json.dumps(PIPEWIRE_OUTPUTS))
    assert [s.source for s in streams] == [39, 39, 39, 98]
    assert [s.from_the_server for s in streams] == [True, True, False, False]
    assert [s.captures_a_monitor for s in streams] == [False, False, False, True]
    assert [s.pid for s in streams] == [None, None, None, 7207]
    left = candidates(streams, own_pid=1)
    assert [s.prop("node.name") for s in left] == ["pw-record"]
    assert monitors_from_json(json.dumps(PIPEWIRE_SOURCES)) == {98}
    assert len(live(left, {98})) == 1


def test_pulseaudio_text_listing_and_its_monitor_sources() -> None:
    streams = streams_from_text(PULSE_OUTPUTS_TEXT)
    assert [(s.source, s.pid, s.corked, s.driver) for s in streams] == [
        (1, 1550, False, "protocol-native.c"),
        (0, 1612, False, "protocol-native.c"),
    ]
    assert streams[0].prop("application.process.binary") == "pacat"
    monitors = monitors_from_text(PULSE_SOURCES_TEXT)
    assert monitors == {0}
    assert [s.pid for s in live(candidates(streams, own_pid=1), monitors)] == [1550]
    # The stream on the null source is ours: nothing is left.
    assert live(candidates(streams, own_pid=1550), monitors) == []


def test_a_stream_that_is_not_connected_to_a_source_still_counts() -> None:
    (s,) = streams_from_json(outputs_json(stream(304, source=4294967295, corked=True)))
    assert s.source is None and s.corked
    assert live([s], {98}) == [s]


def test_level_meters_and_module_streams_are_not_calls() -> None:
    meter = stream(304, properties={"application.id": "org.PulseAudio.pavucontrol"})
    peak = stream(304, properties={"media.name": "Peak detect"})
    module = stream(304, driver="module-loopback.c")
    assert candidates(streams_from_json(outputs_json(meter, peak, module)), own_pid=1) == []


@pytest.mark.parametrize("text", ["", "{}", "[1, 2", '{"data": []}'])
def test_unreadable_json_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        streams_from_json(text)


# --- pactl: the signal ---------------------------------------------------------------------

JSON_OUTPUTS = ("pactl", "--format=json", "list", "source-outputs")
JSON_SOURCES = ("pactl", "--format=json", "list", "sources")
TEXT_OUTPUTS = ("pactl", "list", "source-outputs")
TEXT_SOURCES = ("pactl", "list", "sources")
A_SERVER = {"PULSE_SERVER": "unix:/run/test/pulse/native"}


def microphone(runner: Runner, own_pid: int = 1) -> PulseMicrophone:
    return PulseMicrophone(runner=runner, own_pid=own_pid, environ=A_SERVER)


def test_no_stream_costs_one_pactl_run() -> None:
    runner = Runner({JSON_OUTPUTS: ok("[]")})
    assert microphone(runner).check() is None
    assert runner.ran == [JSON_OUTPUTS]


def test_a_live_stream_is_a_call_and_a_monitor_one_is_not() -> None:
    live_one = outputs_json(*PIPEWIRE_OUTPUTS)
    runner = Runner({JSON_OUTPUTS: ok(live_one), JSON_SOURCES: ok(json.dumps(PIPEWIRE_SOURCES))})
    assert microphone(runner).check() == "a recording stream is open"
    assert runner.ran == [JSON_OUTPUTS, JSON_SOURCES]

    # parecord on the monitor, without PipeWire's own mark: the sources list tells.
    on_monitor = stream(305, properties={"stream.capture.sink": "false"})
    runner = Runner(
        {JSON_OUTPUTS: ok(outputs_json(on_monitor)), JSON_SOURCES: ok(json.dumps(PIPEWIRE_SOURCES))}
    )
    assert microphone(runner).check() is None


def test_our_own_stream_is_not_a_call() -> None:
    ours = stream(305, source=39, properties={"stream.capture.sink": "false"})
    runner = Runner({JSON_OUTPUTS: ok(outputs_json(ours)), JSON_SOURCES: ok("[]")})
    assert microphone(runner, own_pid=7207).check() is None
    assert microphone(runner, own_pid=1).check() == "a recording stream is open"


def test_a_paused_stream_is_still_a_call() -> None:
    runner = Runner(
        {
            JSON_OUTPUTS: ok(outputs_json(stream(304, corked=True))),
            JSON_SOURCES: ok(json.dumps(PIPEWIRE_SOURCES)),
        }
    )
    assert microphone(runner).check() == "a recording stream is open (paused)"


def test_an_old_pactl_without_json_is_read_as_text_from_then_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    no_json = Output(1, "", "pactl: unrecognized option '--format=json'\n")
    runner = Runner(
        {
            JSON_OUTPUTS: no_json,
            TEXT_OUTPUTS: ok(PULSE_OUTPUTS_TEXT),
            TEXT_SOURCES: ok(PULSE_SOURCES_TEXT),
        }
    )
    mic = microphone(runner)
    with caplog.at_level(logging.INFO, "companion.presence"):
        assert mic.check() == "a recording stream is open"
        assert mic.check() == "a recording stream is open"
    assert runner.ran == [JSON_OUTPUTS, TEXT_OUTPUTS, TEXT_SOURCES, TEXT_OUTPUTS, TEXT_SOURCES]
    assert caplog.text.count("no JSON output") == 1


def test_a_server_that_refuses_means_no_call_said_once(caplog: pytest.LogCaptureFixture) -> None:
    refused = Output(1, "", "Connection failure: Connection refused\n")
    runner = Runner({JSON_OUTPUTS: refused})
    mic = microphone(runner)
    with caplog.at_level(logging.INFO, "companion.presence"):
        assert mic.check() is None
        assert mic.check() is None
    assert runner.ran == [JSON_OUTPUTS, JSON_OUTPUTS]  # still JSON: pactl knows it
    assert caplog.text.count("pactl failed (status 1)") == 1


def test_pactl_timing_out_or_missing_means_no_call() -> None:
    runner = Runner({JSON_OUTPUTS: None})
    assert microphone(runner).check() is None


def test_without_a_sound_server_socket_pactl_is_not_run(tmp_path: Path) -> None:
    runner = Runner({JSON_OUTPUTS: ok(outputs_json(*PIPEWIRE_OUTPUTS))})
    mic = PulseMicrophone(runner=runner, environ={"XDG_RUNTIME_DIR": str(tmp_path)})
    assert mic.check() is None
    assert runner.ran == []  # pactl could have started a PulseAudio daemon
    (tmp_path / "pulse").mkdir()
    (tmp_path / "pulse" / "native").touch()
    assert server_socket({"XDG_RUNTIME_DIR": str(tmp_path)}) == str(tmp_path / "pulse" / "native")
    assert server_socket({"PULSE_SERVER": "tcp:localhost"}) == "tcp:localhost"


# --- cameras: /dev, /sys and /proc ---------------------------------------------------------


class Machine:
    """A fake /dev, /sys and /proc under tmp_path."""

    def __init__(self, root: Path) -> None:
        self.dev, self.sys, self.proc = root / "dev", root / "sys", root / "proc"
        for path in (self.dev, self.sys, self.proc):
            path.mkdir()

    def camera(self, name: str = "video0", module: str | None = "uvcvideo", users: int = 0) -> None:
        (self.dev / name).touch()
        device = self.sys / "class" / "video4linux" / name / "device"
        device.mkdir(parents=True)
        if module is not None:
            mod = self.sys / "module" / module
            (mod / "holders").mkdir(parents=True, exist_ok=True)
            (mod / "refcnt").write_text(f"{users}\n")
            (device / "driver").mkdir()
            (device / "driver" / "module").symlink_to(mod)

    def process(self, pid: int, comm: str, *targets: str) -> None:
        fd = self.proc / str(pid) / "fd"
        fd.mkdir(parents=True)
        (self.proc / str(pid) / "comm").write_text(comm + "\n")
        for number, target in enumerate(("/dev/null", "socket:[1234]", *targets)):
            (fd / str(number)).symlink_to(target)

    def cameras(self, own_pid: int = 1, uid: int | None = None) -> CameraDevices:
        return CameraDevices(
            dev=self.dev, sys_root=self.sys, proc=self.proc, own_pid=own_pid, uid=uid
        )


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_no_camera_device_means_nothing_is_read(machine: Machine) -> None:
    machine.process(200, "zoom", "/dev/video0")  # would be found, were it looked for
    assert machine.cameras().check() is None


def test_an_idle_camera_driver_skips_the_process_scan(machine: Machine) -> None:
    machine.camera(users=0)
    machine.process(200, "zoom", "/dev/video0")  # not scanned: the driver says nobody
    assert driver_users(machine.sys, "video0") == 0
    assert machine.cameras().check() is None


def test_a_camera_held_by_another_program_is_a_call(machine: Machine) -> None:
    machine.camera(users=1)
    machine.process(200, "zoom", "/dev/snd/pcmC0D0c", "/dev/video0")
    assert machine.cameras().check() == "a camera device is open in another program"


def test_a_camera_held_by_us_or_a_broker_or_another_user_is_not(machine: Machine) -> None:
    machine.camera(users=2)
    machine.process(200, "pipewire", "/dev/video0")
    machine.process(300, "python3", "/dev/video0")
    assert machine.cameras(own_pid=300).check() is None
    assert camera_holder(machine.proc, own_pid=1, uid=os.getuid())  # 300 is someone else
    assert not camera_holder(machine.proc, own_pid=1, uid=os.getuid() + 1)


def test_a_driver_without_a_count_is_scanned(machine: Machine) -> None:
    machine.camera("video2", module=None)  # v4l2loopback: no driver link
    assert driver_users(machine.sys, "video2") is None
    assert machine.cameras().check() is None
    machine.process(200, "obs", "/dev/video2")
    assert machine.cameras().check() == "a camera device is open in another program"


def test_only_video_device_nodes_count(machine: Machine) -> None:
    machine.camera(users=1)
    machine.process(200, "app", "/dev/video0-not", "/dev/media0", "/home/u/video0")
    assert machine.cameras().check() is None


# --- the PipeWire graph ------------------------------------------------------------------

# `pw-dump Node` with the streams above (PipeWire 0.3.65), trimmed to what is read.
GRAPH = json.loads(
    """[{"id": 27, "type": "PipeWire:Interface:Node", "info": {"state": "suspended",
  "props": {"node.name": "Dummy-Driver", "object.serial": 28}}},
 {"id": 34, "type": "PipeWire:Interface:Node", "info": {"state": "running",
  "props": {"client.id": 31, "media.class": "Audio/Source/Virtual", "node.name": "mic"}}},
 {"id": 51, "type": "PipeWire:Interface:Node", "info": {"state": "running",
  "props": {"client.id": 35, "media.class": "Stream/Input/Audio",
  "node.name": "echo-cancel-capture", "node.virtual": true}}},
 {"id": 73, "type": "PipeWire:Interface:Node", "info": {"state": "running",
  "props": {"client.id": 71, "media.class": "Stream/Input/Audio", "node.name": "pw-record"}}},
 {"id": 74, "type": "PipeWire:Interface:Node", "info": {"state": "running",
  "props": {"application.process.id": 7207, "client.id": 72, "media.class": "Stream/Input/Audio",
  "node.name": "parecord", "stream.capture.sink": true, "target.object": "auto_null"}}}]"""
)
# GNOME's screen cast as pw-dump shows it (mutter's pw_stream "meta-screen-cast-src").
GNOME_CAST = {
    "id": 90,
    "type": "PipeWire:Interface:Node",
    "info": {
        "state": "running",
        "props": {
            "media.class": "Stream/Output/Video",
            "media.name": "meta-screen-cast-src",
            "node.name": "gnome-shell",
            "stream.is-live": True,
        },
    },
}
PORTAL_CAST = {  # xdg-desktop-portal-wlr's stream
    "id": 91,
    "type": "PipeWire:Interface:Node",
    "info": {"state": "idle", "props": {"media.class": "Video/Source", "node.name": "xdpw_stream"}},
}
V4L2_CAMERA = {
    "id": 92,
    "type": "PipeWire:Interface:Node",
    "info": {
        "state": "suspended",
        "props": {
            "media.class": "Video/Source",
            "device.api": "v4l2",
            "node.name": "v4l2_input.pci-0000_00_14.0-usb-0_1_1.0",
        },
    },
}


def with_state(node: dict[str, object], state: str) -> dict[str, object]:
    changed = copy.deepcopy(node)
    changed["info"]["state"] = state  # type: ignore[index]
    return changed


def test_graph_findings() -> None:
    assert graph_findings(json.dumps(GRAPH)) == (False, False, True)  # pw-record
    quiet = [n for n in GRAPH if n["id"] != 73]  # the module streams and the monitor left
    assert graph_findings(json.dumps(quiet)) == (False, False, False)
    assert graph_findings(json.dumps([*quiet, GNOME_CAST])) == (True, False, False)
    assert graph_findings(json.dumps([*quiet, PORTAL_CAST])) == (True, False, False)
    suspended_cast = with_state(GNOME_CAST, "suspended")
    assert graph_findings(json.dumps([*quiet, suspended_cast])) == (False, False, False)
    assert graph_findings(json.dumps([*quiet, V4L2_CAMERA])) == (False, False, False)
    running_camera = with_state(V4L2_CAMERA, "running")
    assert graph_findings(json.dumps([*quiet, running_camera])) == (False, True, False)
    with pytest.raises(ValueError):
        graph_findings('{"not": "a dump"}')


def a_pipewire_socket(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pipewire-0").touch()
    return {"XDG_RUNTIME_DIR": str(tmp_path)}


def test_the_graph_signal(tmp_path: Path) -> None:
    runner = Runner({("pw-dump", "Node"): ok(json.dumps([*GRAPH, GNOME_CAST]))})
    graph = PipeWireGraph(runner=runner, environ=a_pipewire_socket(tmp_path))
    assert graph.check() == "the screen is being shared (PipeWire)"
    runner.answers[("pw-dump", "Node")] = ok(
        json.dumps([*GRAPH, with_state(V4L2_CAMERA, "running")])
    )
    assert graph.check() == "a camera is in use (PipeWire)"
    # A recording stream is said only when asked for (pactl could not tell).
    runner.answers[("pw-dump", "Node")] = ok(json.dumps(GRAPH))
    assert graph.check() is None
    assert graph.check(recording=True) == "a recording stream is open (PipeWire)"
    runner.answers[("pw-dump", "Node")] = ok("not json")
    assert graph.check() is None
    runner.answers[("pw-dump", "Node")] = None  # timed out, or not installed
    assert graph.check() is None


def test_a_pw_dump_that_cannot_filter_by_type_gets_the_whole_graph(tmp_path: Path) -> None:
    runner = Runner(
        {("pw-dump", "Node"): ok("[\n]\n"), ("pw-dump",): ok(json.dumps([*GRAPH, PORTAL_CAST]))}
    )
    graph = PipeWireGraph(runner=runner, environ=a_pipewire_socket(tmp_path))
    assert graph.check() == "the screen is being shared (PipeWire)"
    assert graph.check() == "the screen is being shared (PipeWire)"
    assert runner.ran == [("pw-dump", "Node"), ("pw-dump",), ("pw-dump",)]


def test_without_pipewire_pw_dump_is_not_run(tmp_path: Path) -> None:
    runner = Runner()
    assert PipeWireGraph(runner=runner, environ={"XDG_RUNTIME_DIR": str(tmp_path)}).check() is None
    assert runner.ran == []


# --- away and Do Not Disturb on Linux --------------------------------------------------------


class FakeBus:
    """A DBusProbe answering from a table: (service, interface or method, name) -> value."""

    def __init__(self, answers: dict[tuple[str, str], object] | None = None) -> None:
        self.answers = dict(answers or {})
        self.asked: list[tuple[str, str, str]] = []

    def get(self, bus: str, service: str, path: str, interface: str, name: str) -> object | None:
        self.asked.append((bus, service, name))
        return self.answers.get((interface, name))

    def call(self, bus: str, service: str, path: str, interface: str, method: str) -> object | None:
        self.asked.append((bus, service, method))
        return self.answers.get((interface, method))


LOGIN = "org.freedesktop.login1.Session"
GNOME = {"XDG_CURRENT_DESKTOP": "GNOME"}
SHOW_BANNERS = ("gsettings", "get", "org.gnome.desktop.notifications", "show-banners")


def desktop(bus: FakeBus, runner: Runner | None = None, environ: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return DesktopState(
        bus, runner=runner or Runner(), environ=environ if environ is not None else GNOME
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {(LOGIN, "LockedHint"): True, (LOGIN, "IdleHint"): False},
            "the screen is locked (logind)",
        ),
        ({(LOGIN, "LockedHint"): False, (LOGIN, "IdleHint"): True}, "the session is idle (logind)"),
        ({(LOGIN, "LockedHint"): False, (LOGIN, "IdleHint"): False}, None),
        ({("org.freedesktop.ScreenSaver", "GetActive"): True}, "the screen saver is on"),
        ({("org.gnome.ScreenSaver", "GetActive"): True}, "the screen saver is on"),
        ({}, None),
    ],
)
def test_away(answers: dict[tuple[str, str], object], expected: str | None) -> None:
    assert desktop(FakeBus(answers)).away() == expected


def test_away_asks_logind_on_the_system_bus_and_the_screen_saver_on_the_session_bus(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = FakeBus()
    state = desktop(bus)
    with caplog.at_level(logging.INFO, "companion.presence"):
        assert state.away() is None
        assert state.away() is None
    assert bus.asked[:4] == [
        ("system", "org.freedesktop.login1", "LockedHint"),
        ("system", "org.freedesktop.login1", "IdleHint"),
        ("session", "org.freedesktop.ScreenSaver", "GetActive"),
        ("session", "org.gnome.ScreenSaver", "GetActive"),
    ]
    assert caplog.text.count("logind does not say") == 1


def test_dnd_from_the_notification_server() -> None:
    inhibited = FakeBus({("org.freedesktop.Notifications", "Inhibited"): True})
    assert desktop(inhibited).dnd() == "notifications are inhibited (Do Not Disturb)"
    dunst = FakeBus({("org.dunstproject.cmd0", "paused"): True})
    assert desktop(dunst, environ={"XDG_CURRENT_DESKTOP": "i3"}).dnd() == (
        "notifications are paused (dunst)"
    )


def test_dnd_from_gnome_settings() -> None:
    runner = Runner({SHOW_BANNERS: ok("false\n")})
    assert desktop(FakeBus(), runner).dnd() == "the desktop's Do Not Disturb is on"
    runner.answers[SHOW_BANNERS] = ok("true\n")
    assert desktop(FakeBus(), runner).dnd() is None


def test_a_desktop_without_the_schema_is_asked_once() -> None:
    runner = Runner(
        {SHOW_BANNERS: Output(1, "", "No such schema “org.gnome.desktop.notifications”\n")}
    )
    state = desktop(FakeBus(), runner)
    assert state.dnd() is None
    assert state.dnd() is None
    assert runner.ran == [SHOW_BANNERS]


def test_the_desktop_switch_is_run_at_most_once_a_minute() -> None:
    """While an offer waits the desktop is asked every few seconds; the switch is a
    program to start (gsettings), so its answer is kept for a minute. D-Bus is asked
    every time: it is cheap, and a KDE or dunst Do Not Disturb is seen at once."""
    now = [100.0]
    runner = Runner({SHOW_BANNERS: ok("true\n")})
    bus = FakeBus()
    state = DesktopState(bus, runner=runner, environ=GNOME, monotonic=lambda: now[0])
    assert state.dnd() is None
    runner.answers[SHOW_BANNERS] = ok("false\n")  # Do Not Disturb switched on
    now[0] += 15
    assert state.dnd() is None  # the kept answer
    now[0] += 46
    assert state.dnd() == "the desktop's Do Not Disturb is on"  # a minute on: asked again
    assert runner.ran == [SHOW_BANNERS, SHOW_BANNERS]
    bus.answers[("org.freedesktop.Notifications", "Inhibited")] = True
    assert state.dnd() == "notifications are inhibited (Do Not Disturb)"


def test_each_desktop_reads_its_own_switch() -> None:
    assert desktop_switch({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}) == (SHOW_BANNERS, "false")
    assert desktop_switch({}) == (SHOW_BANNERS, "false")
    assert desktop_switch({"XDG_CURRENT_DESKTOP": "KDE"}) is None  # Inhibited, over D-Bus
    command, means_on = desktop_switch({"XDG_CURRENT_DESKTOP": "X-Cinnamon"}) or ((), "")
    assert command[2:] == ("org.cinnamon.desktop.notifications", "display-notifications")
    assert means_on == "false"
    xfce = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")
    runner = Runner({xfce: ok("true\n")})
    assert desktop(FakeBus(), runner, {"XDG_CURRENT_DESKTOP": "XFCE"}).dnd() is not None
    # xfconf says "Property does not exist" until the switch was first used: off, asked again
    runner.answers[xfce] = Output(1, "", 'Property "/do-not-disturb" does not exist\n')
    now = [0.0]
    state = DesktopState(
        FakeBus(), runner=runner, environ={"XDG_CURRENT_DESKTOP": "XFCE"}, monotonic=lambda: now[0]
    )
    assert state.dnd() is None
    now[0] += 61  # (an answer is kept for a minute)
    assert state.dnd() is None
    assert runner.ran.count(xfce) == 3


# --- Linux, all together ---------------------------------------------------------------------


class Signal:
    def __init__(self, detail: str | None = None, error: Exception | None = None) -> None:
        self.detail, self.error, self.asked = detail, error, 0
        self.options: dict[str, object] = {}

    def check(self, **options: object) -> str | None:
        self.asked += 1
        self.options = options
        if self.error is not None:
            raise self.error
        return self.detail


class FakeDesktop:
    def __init__(self, away: str | None = None, dnd: str | None = None) -> None:
        self._away, self._dnd = away, dnd

    def away(self) -> str | None:
        return self._away

    def dnd(self) -> str | None:
        return self._dnd


def linux(
    mic: Signal | None = None,
    cam: Signal | None = None,
    graph: Signal | None = None,
    desk: FakeDesktop | None = None,
) -> LinuxPresence:
    return LinuxPresence(
        microphone=mic or Signal(),  # type: ignore[arg-type]
        camera=cam or Signal(),  # type: ignore[arg-type]
        graph=graph or Signal(),  # type: ignore[arg-type]
        desktop=desk or FakeDesktop(),  # type: ignore[arg-type]
    )


def test_linux_presence_stops_asking_about_a_call_at_the_first_sign() -> None:
    mic, cam, graph = Signal("a recording stream is open"), Signal(), Signal()
    presence = linux(mic, cam, graph, FakeDesktop(dnd="the desktop's Do Not Disturb is on")).check()
    assert presence == Presence(
        call=True,
        away=False,
        dnd=True,
        detail="a recording stream is open; the desktop's Do Not Disturb is on",
    )
    assert (mic.asked, cam.asked, graph.asked) == (1, 0, 0)
    assert linux().check() == FREE


def test_the_graph_tells_of_recording_only_when_pactl_could_not(tmp_path: Path) -> None:
    graph = Signal()
    runner = Runner({JSON_OUTPUTS: ok("[]")})
    mic = PulseMicrophone(runner=runner, own_pid=1, environ=A_SERVER)
    presence = LinuxPresence(microphone=mic, camera=Signal(), graph=graph, desktop=FakeDesktop())  # type: ignore[arg-type]
    presence.check()
    assert graph.options == {"recording": False}
    runner.answers[JSON_OUTPUTS] = None  # pactl not installed, or too slow this time
    presence.check()
    assert graph.options == {"recording": True}


def test_a_failing_signal_is_off_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    presence = linux(
        mic=Signal(error=RuntimeError("a secret window title")),
        cam=Signal("a camera device is open in another program"),
        desk=FakeDesktop(away="the screen is locked (logind)"),
    )
    with caplog.at_level(logging.DEBUG, "companion.presence"):
        for _ in range(2):
            result = presence.check()
            assert result.call and result.away and not result.dnd
    assert caplog.text.count("the microphone signal failed (RuntimeError)") == 1
    assert "secret" not in caplog.text  # an exception's text can carry anything


# --- the interface ---------------------------------------------------------------------------


def test_no_presence_and_the_fake() -> None:
    assert NoPresence().check() == FREE
    assert not FREE.busy
    fake = FakePresence()
    assert fake.check() == Presence(detail="fake")
    fake.call = True
    assert fake.check().call and fake.check().busy
    fake.set(call=False, dnd=True)
    assert (fake.call, fake.away, fake.dnd) == (False, False, True)
    fake.away = True
    assert fake.check().away
    assert fake.checks == 4


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        ("linux", "LinuxPresence"),
        ("win32", "WindowsPresence"),
        ("darwin", "MacPresence"),
        ("freebsd14", "NoPresence"),
    ],
)
def test_make_presence_check_picks_the_platform(platform: str, kind: str) -> None:
    check = make_presence_check(platform)
    assert type(check).__name__ == kind


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_another_platforms_check_made_here_is_free_and_does_not_raise(platform: str) -> None:
    # Their system libraries are missing here: every signal is off, nothing raises.
    assert make_presence_check(platform).check() == FREE


# --- helper programs ---------------------------------------------------------------------


def test_a_missing_helper_is_none_and_said_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, "companion.presence"):
        assert run(["companion-no-such-helper", "x"]) is None
        assert run(["companion-no-such-helper", "y"]) is None
    assert caplog.text.count("companion-no-such-helper is not installed") == 1


def test_a_slow_helper_is_stopped_at_its_timeout(caplog: pytest.LogCaptureFixture) -> None:
    start = time.monotonic()
    with caplog.at_level(logging.INFO, "companion.presence"):
        assert run(["sleep", "5"], timeout=0.2) is None
    assert time.monotonic() - start < 2
    assert "sleep took longer than 0.2 s" in caplog.text
    # It is left alone for a while (a hung server would cost the wait every time).
    start = time.monotonic()
    assert run(["sleep", "0"]) is None
    assert time.monotonic() - start < 0.1
    assert run(["true"]) == Output(0, "")  # other helpers are still asked


def test_a_helper_that_fails_gives_its_status() -> None:
    out = run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert out == Output(3, "out\n", "err\n")
    assert not out.ok


def test_helpers_run_untranslated_with_the_systems_libraries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LD_LIBRARY_PATH", "/bundle")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    env = helper_env()
    assert env["LC_ALL"] == "C" and "LANGUAGE" not in env
    assert env["LD_LIBRARY_PATH"] == "/usr/local/lib"
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")
    assert "LD_LIBRARY_PATH" not in helper_env()


# --- Windows: the consent store and the Win32 answers ---------------------------------------

NOW = 1_750_000_000.0
MIC = f"{CONSENT_STORE}\\microphone"
CAM = f"{CONSENT_STORE}\\webcam"


class FakeRegistry:
    """HKEY_CURRENT_USER as {key path: {value name: int}}; subkeys from the paths."""

    def __init__(self, keys: dict[str, dict[str, int]]) -> None:
        self.keys = keys

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({k[len(prefix) :].split("\\")[0] for k in self.keys if k.startswith(prefix)})

    def qword(self, path: str, name: str) -> int | None:
        return self.keys.get(path, {}).get(name)


def used(start_s: float, stop_s: float | None) -> dict[str, int]:
    return {
        "LastUsedTimeStart": filetime(start_s),
        "LastUsedTimeStop": 0 if stop_s is None else filetime(stop_s),
    }


OWN_EXE = r"C:\Program Files\Grounding Companion\companion.exe"


def test_the_consent_store_says_who_uses_the_microphone_now() -> None:
    registry = FakeRegistry(
        {
            # a Store app that used it and stopped
            f"{MIC}\\Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe": used(NOW - 900, NOW - 600),
            # a desktop program using it now
            f"{MIC}\\NonPackaged\\C:#Program Files#Zoom#bin#Zoom.exe": used(NOW - 60, None),
            # us (we never record, but were we listed we would not count)
            f"{MIC}\\NonPackaged\\{OWN_EXE.replace(chr(92), '#')}": used(NOW - 60, None),
            # a program that crashed mid-call two days ago
            f"{CAM}\\NonPackaged\\C:#old#app.exe": used(NOW - 2 * 86400, None),
            # a Store app using the camera now
            f"{CAM}\\MSTeams_8wekyb3d8bbwe": used(NOW - 30, None),
            # a key without timestamps (allowed, never used)
            f"{CAM}\\Microsoft.WindowsCamera_8wekyb3d8bbwe": {},
        }
    )
    assert apps_using(registry, "microphone", own_exe=OWN_EXE, now_s=NOW) == 1
    assert apps_using(registry, "webcam", own_exe=OWN_EXE, now_s=NOW) == 1
    assert (
        apps_using(registry, "microphone", own_exe=r"C:\Program Files\Zoom\bin\Zoom.exe", now_s=NOW)
        == 1
    )
    assert apps_using(FakeRegistry({}), "webcam", own_exe=OWN_EXE, now_s=NOW) == 0


class FakeWinApi:
    def __init__(
        self,
        locked: bool | None = False,
        idle: float | None = 0.0,
        state: int | None = QUNS_ACCEPTS_NOTIFICATIONS,
        focus: int | None = 0,
    ) -> None:
        self.locked, self.idle, self.state, self.focus = locked, idle, state, focus

    def input_desktop_locked(self) -> bool | None:
        return self.locked

    def idle_seconds(self) -> float | None:
        return self.idle

    def notification_state(self) -> int | None:
        return self.state

    def focus_assist(self) -> int | None:
        return self.focus


def windows(registry: FakeRegistry | None = None, **api: object) -> WindowsPresence:
    return WindowsPresence(
        registry=registry or FakeRegistry({}),
        api=FakeWinApi(**api),  # type: ignore[arg-type]
        own_exe=OWN_EXE,
        clock=lambda: NOW,
    )


def test_windows_presence() -> None:
    assert windows().check() == FREE
    calling = FakeRegistry({f"{CAM}\\NonPackaged\\C:#zoom.exe": used(NOW - 5, None)})
    assert windows(calling).check() == Presence(call=True, detail="a camera is in use")
    assert windows(locked=True).check().away
    assert windows(state=QUNS_NOT_PRESENT).check().away
    assert windows(idle=301.0).check().away
    assert not windows(idle=60.0).check().away
    assert windows(focus=1).check() == Presence(dnd=True, detail="Focus Assist is on")
    assert windows(focus=2).check().dnd
    assert windows(state=QUNS_PRESENTATION_MODE).check() == Presence(
        dnd=True, detail="presentation mode is on"
    )
    # Nothing known: free.
    assert windows(locked=None, idle=None, state=None, focus=None).check() == FREE


def test_windows_api_failures_are_off() -> None:
    class Broken(FakeWinApi):
        def focus_assist(self) -> int | None:
            raise OSError("ntdll said no")

    presence = WindowsPresence(registry=FakeRegistry({}), api=Broken(), own_exe=OWN_EXE)
    assert presence.check() == FREE


# --- macOS: Focus files and the system's answers ----------------------------------------------

# ~/Library/DoNotDisturb/DB/Assertions.json with a Focus turned on by hand (macOS 13).
ASSERTIONS_ON = """{"data":[{"storeAssertionRecords":[
{"assertionUUID":"6C1E5A0B-0000-4000-8000-000000000001",
"assertionSource":{"assertionClientIdentifier":"com.apple.controlcenter.focus"},
"assertionStartDateTimestamp":737000000.5,"assertionDetails":{"assertionDetailsIdentifier":
"com.apple.controlcenter.ui.focus","assertionDetailsModeIdentifier":"com.apple.donotdisturb.mode.default",
"assertionDetailsReason":"user-action"}}],"storeInvalidationRecords":[]}],
"header":{"timestamp":737000000.6,"version":1}}"""
ASSERTIONS_OFF = """{"data":[{"storeInvalidationRecords":[{"invalidationAssertion":{}}]}],
"header":{"timestamp":737000100.0,"version":1}}"""


def test_focus_from_assertions() -> None:
    assert focus_from_assertions(ASSERTIONS_ON)
    assert not focus_from_assertions(ASSERTIONS_OFF)
    assert not focus_from_assertions('{"data": []}')
    with pytest.raises(ValueError):
        focus_from_assertions("[]")


def test_focus_on_reads_the_file_and_the_old_preference(tmp_path: Path) -> None:
    import plistlib

    assert focus_on(tmp_path) is False
    prefs = tmp_path / "Library/Preferences/ByHost"
    prefs.mkdir(parents=True)
    plist = prefs / "com.apple.notificationcenterui.0A1B2C3D-0000.plist"
    plist.write_bytes(
        plistlib.dumps({"doNotDisturb": True, "dndStart": 1320.0}, fmt=plistlib.FMT_BINARY)
    )
    assert dnd_from_legacy_plist(plist.read_bytes())
    assert focus_on(tmp_path) is True
    assertions = tmp_path / "Library/DoNotDisturb/DB/Assertions.json"
    assertions.parent.mkdir(parents=True)
    assertions.write_text(ASSERTIONS_OFF)
    assert focus_on(tmp_path) is False  # the current file wins over the old preference
    assertions.write_text("{broken")
    assert focus_on(tmp_path) is None


class FakeMacApi:
    def __init__(
        self,
        mic: bool | None = False,
        cam: bool | None = False,
        locked: bool | None = False,
        idle: float | None = 1.0,
    ) -> None:
        self.mic, self.cam, self.locked, self.idle = mic, cam, locked, idle
        self.asked_pid: int | None = None

    def microphone_in_use(self, own_pid: int) -> bool | None:
        self.asked_pid = own_pid
        return self.mic

    def camera_in_use(self) -> bool | None:
        return self.cam

    def screen_locked(self) -> bool | None:
        return self.locked

    def idle_seconds(self) -> float | None:
        return self.idle


def test_mac_presence(tmp_path: Path) -> None:
    def mac(**api: object) -> MacPresence:
        return MacPresence(api=FakeMacApi(**api), home=tmp_path, own_pid=42)  # type: ignore[arg-type]

    assert mac().check() == FREE
    assert mac(mic=True).check() == Presence(call=True, detail="a microphone is in use")
    assert mac(cam=True).check().call
    assert mac(locked=True).check().away
    assert mac(idle=600.0).check() == Presence(away=True, detail="no input for a while")
    assert mac(mic=None, cam=None, locked=None, idle=None).check() == FREE
    assertions = tmp_path / "Library/DoNotDisturb/DB/Assertions.json"
    assertions.parent.mkdir(parents=True)
    assertions.write_text(ASSERTIONS_ON)
    assert mac().check() == Presence(dnd=True, detail="a Focus is on")


# --- real: a PulseAudio server and a recording stream on this machine -------------------------


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture
def pulse_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private PulseAudio server with a null sink (and so a monitor source) and a null
    source standing in for a microphone; PULSE_SERVER points at it."""
    missing = [p for p in ("pulseaudio", "pactl", "parecord") if shutil.which(p) is None]
    if missing:
        pytest.skip(
            f"not installed: {', '.join(missing)} (Debian: pulseaudio pulseaudio-utils; "
            "`packaging/system-deps.sh test` installs them)"
        )
    runtime = tmp_path / "pulse-runtime"
    runtime.mkdir(mode=0o700)
    socket = runtime / "native"
    monkeypatch.setenv("PULSE_RUNTIME_PATH", str(runtime))
    monkeypatch.setenv("PULSE_STATE_PATH", str(tmp_path / "pulse-state"))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{socket}")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    log = (tmp_path / "pulseaudio.log").open("wb")
    server = subprocess.Popen(
        [
            "pulseaudio", "-n", "--daemonize=no", "--system=no", "--exit-idle-time=-1",
            "--use-pid-file=no", "--realtime=no", "--high-priority=no", "--disable-shm=yes",
            "--log-target=stderr", "--log-level=error",
            "-L", "module-null-sink sink_name=speakers",
            "-L", "module-null-source source_name=microphone",
            "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )  # fmt: skip
    try:
        up = wait_for(
            lambda: (
                server.poll() is None
                and subprocess.run(
                    ["pactl", "info"], capture_output=True, timeout=2, check=False
                ).returncode
                == 0
            ),
            10,
        )
        if not up:
            pytest.fail(
                "PulseAudio did not start: " + (tmp_path / "pulseaudio.log").read_text()[-2000:]
            )
        yield str(socket)
    finally:
        stop(server)
        log.close()


def record(device: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["parecord", f"--device={device}", "/dev/null"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def streams_open() -> int:
    out = subprocess.run(
        ["pactl", "list", "short", "source-outputs"], capture_output=True, timeout=2, check=False
    )
    return len(out.stdout.splitlines())


def median_ms(check: Callable[[], object], times: int = 20) -> float:
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        check()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations) * 1000


def test_a_real_recording_stream_is_a_call_until_it_ends(
    pulse_server: str, tmp_path: Path, qapp: object
) -> None:
    # The machine's own cameras and screen casts stay out of this test: the microphone is
    # real, the camera devices are an empty folder; PipeWire is not in this XDG_RUNTIME_DIR.
    (tmp_path / "no-dev").mkdir()
    presence = LinuxPresence(camera=CameraDevices(dev=tmp_path / "no-dev"))
    assert not presence.check().call
    idle_ms = median_ms(presence.check)

    monitor = record("speakers.monitor")  # what a screen recorder or level meter does
    try:
        assert wait_for(lambda: streams_open() == 1)
        assert not presence.check().call
    finally:
        stop(monitor)

    microphone = record("microphone")
    try:
        assert wait_for(lambda: presence.check().call), "the recording stream was not seen"
        assert presence.check().detail.startswith("a recording stream is open")
        busy_ms = median_ms(presence.check)
    finally:
        stop(microphone)
    assert wait_for(lambda: not presence.check().call), "the stream's end was not seen"
    print(
        f"\npresence check, median of 20: {idle_ms:.1f} ms idle, {busy_ms:.1f} ms while recording"
    )
    assert idle_ms < 250 and busy_ms < 250


# --- real: D-Bus answers through QtDBus, on a private bus ---------------------------------------

# Stand-ins for logind's session, a screen saver and a notification server, on one bus.
SERVICES = r"""
import sys
from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Session"})
class Session(QObject):
    def __init__(self):
        super().__init__()
        self._locked = self._idle = False
    def _get_locked(self): return self._locked
    def _set_locked(self, value): self._locked = value
    def _get_idle(self): return self._idle
    def _set_idle(self, value): self._idle = value
    LockedHint = Property(bool, _get_locked, _set_locked)
    IdleHint = Property(bool, _get_idle, _set_idle)

@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(result=bool)
    def GetActive(self):
        return True

@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Notifications(QObject):
    def _inhibited(self): return True
    Inhibited = Property(bool, _inhibited)

app = QCoreApplication([])
bus = QDBusConnection.connectToBus(sys.argv[1], "services")
objects = [Session(), ScreenSaver(), Notifications()]
everything = QDBusConnection.ExportAllContents
assert bus.registerObject("/org/freedesktop/login1/session/auto", objects[0], everything)
assert bus.registerObject("/org/freedesktop/ScreenSaver", objects[1], everything)
assert bus.registerObject("/org/freedesktop/Notifications", objects[2], everything)
for name in ("login1", "ScreenSaver", "Notifications"):
    assert bus.registerService("org.freedesktop." + name)
print("ready", flush=True)
app.exec()
"""


@pytest.fixture
def private_bus(tmp_path: Path) -> Iterator[str]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (Debian: dbus-daemon)")
    config = tmp_path / "bus.conf"
    config.write_text(
        "<busconfig><type>session</type>"
        f"<listen>unix:dir={tmp_path}</listen><auth>EXTERNAL</auth>"
        '<policy context="default"><allow send_destination="*" eavesdrop="true"/>'
        '<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>'
    )
    daemon = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # e.g. "Failed to set fd limit": not ours to fix
    )
    services: subprocess.Popen[bytes] | None = None
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().decode().strip()
        services = subprocess.Popen(
            [sys.executable, "-c", SERVICES, address],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert services.stdout is not None
        assert services.stdout.readline().decode().strip() == "ready"
        yield address
    finally:
        if services is not None:
            stop(services)
            services.stdout.close()  # type: ignore[union-attr]
        stop(daemon)
        daemon.stdout.close()  # type: ignore[union-attr]


def test_real_dbus_answers_are_read(private_bus: str, qapp: object) -> None:
    from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusVariant

    from companion.runtime.presence.dbus import QtDBusProbe

    probe = QtDBusProbe({"system": private_bus, "session": private_bus})
    control = QDBusConnection.connectToBus(private_bus, "presence-test-control")
    try:
        state = DesktopState(probe, runner=Runner(), environ={"XDG_CURRENT_DESKTOP": "KDE"})
        # logind says "not locked, not idle" (a real False), the screen saver says active.
        assert (
            probe.get(
                "system",
                "org.freedesktop.login1",
                "/org/freedesktop/login1/session/auto",
                LOGIN,
                "LockedHint",
            )
            is False
        )
        assert state.away() == "the screen saver is on"
        assert state.dnd() == "notifications are inhibited (Do Not Disturb)"

        message = QDBusMessage.createMethodCall(
            "org.freedesktop.login1",
            "/org/freedesktop/login1/session/auto",
            "org.freedesktop.DBus.Properties",
            "Set",
        )
        message.setArguments([LOGIN, "LockedHint", QDBusVariant(True)])
        reply = control.call(message, QDBus.CallMode.Block, 2000)
        assert reply.type() == QDBusMessage.MessageType.ReplyMessage, reply.errorMessage()
        assert state.away() == "the screen is locked (logind)"
        # A service that is not there answers at once, and starts nothing.
        start = time.monotonic()
        assert (
            probe.call(
                "session",
                "org.gnome.ScreenSaver",
                "/org/gnome/ScreenSaver",
                "org.gnome.ScreenSaver",
                "GetActive",
            )
            is None
        )
        assert time.monotonic() - start < 0.5
    finally:
        probe.close()
        QDBusConnection.disconnectFromBus("presence-test-control")
