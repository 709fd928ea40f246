"""A camera in use, or the screen shared, on Linux.

**Camera.** `/dev/video*` held open by a program of this user other than us. Looking at
every open file of every process costs a few microseconds per file (tens of milliseconds on
a busy desktop), so a cheap gate comes first: opening a V4L2 device takes a reference on
its driver's kernel module (`/sys/module/uvcvideo/refcnt` for USB webcams), and when every
camera driver's count is only what other modules hold (`holders/`), nobody has a camera
open and nothing more is read. A driver built into the kernel, or a device without a
driver link (v4l2loopback), has no such count: then the scan runs. PipeWire and its session
managers keep cameras open for the programs they serve, so their processes are passed
over; a camera used through PipeWire is seen in its graph instead (below).

**PipeWire graph** (`pw-dump Node`, only when a PipeWire socket is there). A node
producing video that is not a device, in use (`running` or `idle`), is a screen share:
GNOME's screen cast is a `Stream/Output/Video` stream ("meta-screen-cast-src"), other
compositors' portal streams are that or a device-less `Video/Source`. A camera node
(`device.api` v4l2 or libcamera) that is `running` is a camera in use through PipeWire.
When pactl could not answer (not installed, which Debian's PipeWire does not require, or
PipeWire without pipewire-pulse), a running `Stream/Input/Audio` node is a recording
stream, unless a module made it (`node.virtual`) or it captures a sink's monitor
(`stream.capture.sink`); our own process is not told apart there (we never record).

**Not detected**: a screen shared on X11 (programs read the screen directly, leaving no
trace that can be read cheaply), and one shared through a portal that is not backed by
PipeWire. xdg-desktop-portal's own ScreenCast sessions cannot be listed from outside.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from companion.runtime.presence._run import Output, run, say_once

VIDEO_DEVICE = re.compile(r"video\d+")
VIDEO_LINK = re.compile(r"/dev/video\d+")
# Device brokers that hold cameras for the programs they serve (/proc/PID/comm is cut at
# 15 characters). What they serve is in the PipeWire graph.
BROKERS = frozenset({"pipewire", "wireplumber", "pipewire-media-", "v4l2-relayd"})
_RUNNING = frozenset({"running", "idle"})

Runner = Callable[[list[str]], Output | None]


def video_devices(dev: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(dev) if VIDEO_DEVICE.fullmatch(name))
    except OSError:
        return []


def driver_users(sys_root: Path, device: str) -> int | None:
    """How many open files hold `device`'s driver module: its reference count less what
    other modules hold. None when that cannot be known (built-in driver, no driver link)."""
    try:
        module = (
            sys_root / "class" / "video4linux" / device / "device" / "driver" / "module"
        ).resolve(strict=True)
        refcnt = int((sys_root / "module" / module.name / "refcnt").read_text().strip())
        holders = len(os.listdir(sys_root / "module" / module.name / "holders"))
    except (OSError, ValueError):
        return None
    return refcnt - holders


def _comm(proc: Path, pid: str) -> str:
    try:
        return (proc / pid / "comm").read_text(errors="replace").strip()
    except OSError:
        return ""


def camera_holder(proc: Path, *, own_pid: int, uid: int) -> bool:
    """Does a process of `uid`, other than `own_pid` and the device brokers, hold a
    /dev/video* open?"""
    own = str(own_pid)
    try:
        names = os.listdir(proc)
    except OSError:
        return False
    for name in names:
        if not name.isdigit() or name == own:
            continue
        try:
            fds = os.open(proc / name / "fd", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue  # gone, or not ours to read
        try:
            if os.fstat(fds).st_uid != uid:
                continue
            held = False
            for fd in os.listdir(fds):
                try:
                    if VIDEO_LINK.fullmatch(os.readlink(fd, dir_fd=fds)):
                        held = True
                        break
                except OSError:
                    continue
        except OSError:
            continue
        finally:
            os.close(fds)
        if held and _comm(proc, name) not in BROKERS:
            return True
    return False


class CameraDevices:
    """`check()` -> a detail when a camera device is held open by another program."""

    def __init__(
        self,
        *,
        dev: Path = Path("/dev"),
        sys_root: Path = Path("/sys"),
        proc: Path = Path("/proc"),
        own_pid: int | None = None,
        uid: int | None = None,
    ) -> None:
        self._dev, self._sys, self._proc = dev, sys_root, proc
        self._own_pid = os.getpid() if own_pid is None else own_pid
        self._uid = os.getuid() if uid is None else uid

    def check(self) -> str | None:
        devices = video_devices(self._dev)
        if not devices:
            return None
        users = [driver_users(self._sys, device) for device in devices]
        if all(count is not None and count <= 0 for count in users):
            return None  # every camera driver is idle: nobody has one open
        if camera_holder(self._proc, own_pid=self._own_pid, uid=self._uid):
            return "a camera device is open in another program"
        return None


# --- the PipeWire graph -------------------------------------------------------------------


def _true(value: object) -> bool:
    return str(value).lower() == "true"  # pw-dump writes booleans, or "true" from a client


def graph_findings(text: str) -> tuple[bool, bool, bool]:
    """`pw-dump` -> (a screen is being shared, a camera is in use through PipeWire, a
    program records sound). Raises ValueError on text that is not a dump."""
    objects = json.loads(text)
    if not isinstance(objects, list):
        raise ValueError("not a PipeWire dump")
    screen = camera = recording = False
    for obj in objects:
        if not isinstance(obj, dict) or not str(obj.get("type", "")).endswith(":Node"):
            continue
        info = obj.get("info")
        if not isinstance(info, dict):
            continue
        props = info.get("props")
        props = props if isinstance(props, dict) else {}
        state = str(info.get("state", ""))
        media_class = str(props.get("media.class", ""))
        is_device = bool(props.get("device.api") or props.get("device.id"))
        shares = media_class == "Stream/Output/Video" or (
            media_class == "Video/Source" and not is_device
        )
        if shares and state in _RUNNING:
            screen = True
        elif media_class == "Video/Source" and is_device and state == "running":
            camera = True
        elif (
            media_class == "Stream/Input/Audio"
            and state in _RUNNING
            and not _true(props.get("node.virtual"))  # a module's own (echo cancel, loopback)
            and not _true(props.get("stream.capture.sink"))  # what the speakers play
        ):
            recording = True
    return screen, camera, recording


def pipewire_socket(environ: Mapping[str, str]) -> Path | None:
    remote = environ.get("PIPEWIRE_REMOTE") or "pipewire-0"
    if remote.startswith("/"):
        path = Path(remote)
    else:
        runtime = environ.get("PIPEWIRE_RUNTIME_DIR") or environ.get("XDG_RUNTIME_DIR")
        path = Path(runtime or f"/run/user/{os.getuid()}") / remote
    return path if path.exists() else None


class PipeWireGraph:
    """`check()` -> a detail when the PipeWire graph shows a screen share or a camera."""

    def __init__(self, *, runner: Runner = run, environ: Mapping[str, str] | None = None) -> None:
        self._run = runner
        self._environ = environ
        self._nodes_only = True  # `pw-dump Node`: half the output of the whole graph

    def _dump(self) -> str | None:
        out = self._run(["pw-dump", "Node"] if self._nodes_only else ["pw-dump"])
        if out is None:
            return None
        if not out.ok:
            say_once(
                f"pw-dump:{out.code}",
                "pw-dump failed (status %d): the screen sharing signal is off",
                out.code,
            )
            return None
        return out.out

    def check(self, *, recording: bool = False) -> str | None:
        """A detail, or None. `recording`: say so of a recording stream too (when pactl
        could not tell: not installed, or PipeWire without its PulseAudio server)."""
        environ = os.environ if self._environ is None else self._environ
        if pipewire_socket(environ) is None:
            say_once("pipewire:none", "no PipeWire here: screen sharing is not detected")
            return None
        text = self._dump()
        if text is not None and self._nodes_only and not text.strip().strip("[]").strip():
            # A graph always has nodes: this pw-dump does not filter by type. Dump it all.
            say_once("pw-dump:all", "pw-dump cannot list nodes alone: reading the whole graph")
            self._nodes_only = False
            text = self._dump()
        if text is None:
            return None
        try:
            screen, camera, records = graph_findings(text)
        except ValueError:
            say_once(
                "pw-dump:parse", "pw-dump's output could not be read: screen sharing signal off"
            )
            return None
        if screen:
            return "the screen is being shared (PipeWire)"
        if camera:
            return "a camera is in use (PipeWire)"
        if recording and records:
            return "a recording stream is open (PipeWire)"
        return None
