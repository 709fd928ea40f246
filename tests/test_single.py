"""One app per data folder; a terminal can ask it to open a window."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.runtime import single


def test_commands_reach_the_running_app(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, mode=0o700)
    received: list[str] = []
    server = single.Server(data_dir, received.append)
    assert server.listen()
    answers: list[bool] = []
    for command in ("glimmer", "reflect", "bogus"):
        t = threading.Thread(target=lambda c=command: answers.append(single.send(data_dir, c)))
        t.start()
        count = len(answers)
        qtbot.waitUntil(lambda n=count: len(answers) > n, timeout=5000)
        t.join()
    assert received == ["glimmer", "reflect"]
    assert answers == [True, True, False]
    second = single.Server(data_dir, received.append)
    assert not second.listen(), "a second instance must not take over the folder"
    server.close()
    assert not single.send(data_dir, "show")


def _knock(path: str, payload: bytes) -> bytes:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(path)
        if payload:
            sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        return sock.recv(64)


def test_the_socket_is_private_and_survives_rude_clients(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, mode=0o700)
    stale = Path(single.server_name(data_dir))
    stale.write_text("left by a crash")  # the lock is free, so this file is stale
    received: list[str] = []
    server = single.Server(data_dir, received.append)
    assert server.listen()
    assert stale.stat().st_mode & 0o777 == 0o600, "only this user may knock"

    def ask(payload: bytes) -> bytes:
        replies: list[bytes] = []
        t = threading.Thread(target=lambda: replies.append(_knock(str(stale), payload)))
        t.start()
        qtbot.waitUntil(lambda: bool(replies), timeout=5000)
        t.join()
        return replies[0]

    assert ask(b"") == b"unknown\n"  # connected and said nothing
    assert ask(b"x" * 10_000) == b"unknown\n"  # far too long: cut off, not buffered
    assert ask(b"reflect") == b"ok\n"  # no newline, but the client finished writing
    assert received == ["reflect"]
    server.close()
    assert not stale.exists(), "quitting removes the socket file"


def test_another_folder_is_another_instance(tmp_path: Path) -> None:
    assert single.server_name(tmp_path / "a") != single.server_name(tmp_path / "b")
    assert len(single.server_name(tmp_path / ("x" * 200))) < 100  # fits AF_UNIX


@pytest.mark.slow
def test_second_run_brings_the_first_forward_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMPANION_DATA_DIR": str(tmp_path / "d")}
    log = tmp_path / "first.log"
    with log.open("w") as out:
        first = subprocess.Popen(
            [sys.executable, "-m", "companion", "run"], env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 30
        while not single.send(tmp_path / "d", "show"):
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the app never started listening"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "companion", "run"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0
        assert "already running" in second.stdout
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)


def test_a_client_that_says_nothing_is_let_go(qtbot, data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    monkeypatch.setattr(single, "TIMEOUT_S", 0.2)
    data_dir.mkdir(parents=True, mode=0o700)
    server = single.Server(data_dir, lambda command: None)
    assert server.listen()
    silent = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(5)]
    for sock in silent:
        sock.connect(single.server_name(data_dir))
    listener = server._impl
    assert listener is not None
    qtbot.waitUntil(lambda: len(listener.clients) == 5, timeout=5000)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not listener.clients, timeout=5000)  # type: ignore[union-attr]
    for sock in silent:
        sock.settimeout(5)
        assert sock.recv(16) == b"", "the server should have hung up"
        sock.close()
    answers: list[bool] = []
    t = threading.Thread(target=lambda: answers.append(single.send(data_dir, "show")))
    t.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    t.join()
    assert answers == [True], "still answering the next one"
    server.close()


# --- another local user cannot stand in for the app (issue 14, item 10) ---------------------

OTHER_UID = os.getuid() + 4242 if hasattr(os, "getuid") else 4242


class Squatter:
    """Another user's listener at the path the app would knock at: says "ok" to anything."""

    def __init__(self, path: str) -> None:
        import socket

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.sock.settimeout(0.05)
        self.answered = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(64)
                    conn.sendall(b"ok\n")
                    self.answered += 1
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def _short_shared_folder() -> Path:
    """A folder every local user can write to, like /tmp, with a name short enough for
    AF_UNIX paths inside it (pytest's own tmp_path is too long for that)."""
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="gc-", dir="/tmp" if os.path.isdir("/tmp") else None))
    shared.chmod(0o1777)
    return shared


@pytest.fixture
def shared_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No XDG_RUNTIME_DIR, and a /tmp that every local user can write to."""
    import shutil
    import tempfile

    shared = _short_shared_folder()
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    yield shared
    shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_squatter_in_the_shared_tmp_cannot_pass_for_the_app(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, shared_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir(parents=True, mode=0o700)
    # This process plays the other user; "we" are OTHER_UID from here on.
    monkeypatch.setattr(os, "getuid", lambda: OTHER_UID)
    squatter = Squatter(single.server_name(data_dir))  # where we would knock, made first
    try:
        assert not single.send(data_dir, "show"), "another user's socket passed for the app"
        assert squatter.answered == 0, "we never even talk to it"
        server = single.Server(data_dir, lambda command: None)
        assert server.listen(), "the app starts anyway"
        assert server.problem is not None
        assert str(Path(single.server_name(data_dir)).parent) in server.problem
        assert "not a private folder of yours" in server.problem
        assert single.knock_problem(data_dir) == server.problem  # for `companion doctor`
        server.close()
    finally:
        squatter.close()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="user ids")
def test_a_private_folder_of_our_own_in_the_shared_tmp_is_used(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, shared_tmp: Path
) -> None:
    data_dir.mkdir(parents=True, mode=0o700)
    name = Path(single.server_name(data_dir))
    assert name.parent.parent == shared_tmp and str(os.getuid()) in name.parent.name
    name.parent.mkdir(mode=0o755)  # ours, but left open: closed again, then used
    received: list[str] = []
    server = single.Server(data_dir, received.append)
    assert server.listen() and server.problem is None
    assert name.parent.stat().st_mode & 0o777 == 0o700
    assert name.stat().st_mode & 0o777 == 0o600
    answers: list[bool] = []
    t = threading.Thread(target=lambda: answers.append(single.send(data_dir, "reflect")))
    t.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    t.join()
    assert answers == [True] and received == ["reflect"]
    assert single.knock_problem(data_dir) is None
    server.close()


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
@pytest.mark.parametrize("how", ["a link", "a file", "open to others"])
def test_a_socket_folder_that_is_not_private_is_never_trusted(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, shared_tmp: Path, how: str
) -> None:
    data_dir.mkdir(parents=True, mode=0o700)
    folder = Path(single.server_name(data_dir)).parent
    elsewhere = shared_tmp / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if how == "a link":
        folder.symlink_to(elsewhere)  # someone pointing our folder at one of theirs
    elif how == "a file":
        folder.write_text("")
    server = single.Server(data_dir, lambda command: None)
    if how == "open to others":
        # a folder we made and someone opened meanwhile: the client refuses it as it is
        assert server.listen() and server.problem is None
        assert _ask(qtbot, data_dir, "show")
        folder.chmod(0o777)
        assert not _ask(qtbot, data_dir, "show")
    else:
        assert server.listen(), "the app starts anyway"
        assert server.problem is not None and str(folder) in server.problem
        assert not single.send(data_dir, "show")
        assert not list(elsewhere.iterdir()), "nothing is made where the link points"
    server.close()


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_runtime_folder_open_to_others_is_not_used(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shared = _short_shared_folder()
    try:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
        assert not single.server_name(data_dir).startswith(str(shared))
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _ask(qtbot, data_dir: Path, command: str, **kwargs: object) -> bool:  # type: ignore[no-untyped-def]
    """`single.send` from another thread while this one runs the app's event loop."""
    answers: list[bool] = []
    t = threading.Thread(
        target=lambda: answers.append(single.send(data_dir, command, **kwargs))  # type: ignore[arg-type]
    )
    t.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    t.join()
    return answers[0]


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_socket_file_open_to_others_is_not_knocked_at(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, mode=0o700)
    received: list[str] = []
    server = single.Server(data_dir, received.append)
    assert server.listen()
    assert _ask(qtbot, data_dir, "show")
    Path(single.server_name(data_dir)).chmod(0o666)  # not how the app makes it
    assert not _ask(qtbot, data_dir, "show")
    assert received == ["show"]
    server.close()


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="AF_UNIX")
def test_the_kernel_names_the_peer() -> None:
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        uid = single.peer_uid(a)
    if sys.platform.startswith("linux"):
        assert uid == os.getuid()
    else:
        assert uid in (None, os.getuid())


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_a_peer_who_is_another_user_is_neither_believed_nor_obeyed(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir.mkdir(parents=True, mode=0o700)
    received: list[str] = []
    server = single.Server(data_dir, received.append)
    assert server.listen()

    def knock(**kwargs: object) -> bool:
        return _ask(qtbot, data_dir, "glimmer", **kwargs)

    # the client: the app answering is, by the kernel's word, someone else
    assert not knock(peer=lambda sock: OTHER_UID)
    assert "held by another user" in caplog.text
    server.close()

    # the server: a knock from someone else gets no answer and opens nothing
    server = single.Server(data_dir, received.append, peer=lambda sock: OTHER_UID)
    assert server.listen()
    assert not knock()
    assert not knock()
    assert received == []
    assert caplog.text.count("hung up on a local connection from another user") == 1
    assert knock(peer=lambda sock: None) is False  # still nobody's servant
    server.close()


@pytest.mark.slow
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making another user's folder"
)
def test_run_starts_even_when_another_user_squats_the_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: another user owns the socket folder in a shared /tmp and answers "ok"
    there (and at the old name too); `companion run` starts the app instead of exiting 0."""
    shared = _short_shared_folder()
    data = tmp_path / "d"
    data.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        COMPANION_DATA_DIR=str(data),
        TMPDIR=str(shared),
        COMPANION_BENCH_SHOWN="1",
    )
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    new_name = single.server_name(data)  # as the app will work it out
    import getpass
    import shutil
    import zlib

    key = str(data.resolve()).encode()
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    user = "".join(ch for ch in getpass.getuser() if ch.isalnum())[:16] or "user"
    old_name = str(shared / f"grounding-companion-{user}-{digest}")  # before issue 14
    squatters = [Squatter(name) for name in sorted({new_name, old_name})]
    for name in {new_name, old_name}:
        os.chown(name, OTHER_UID, OTHER_UID)
        if Path(name).parent != shared:  # their own folder, open to all as a squatter leaves it
            os.chown(Path(name).parent, OTHER_UID, OTHER_UID)
            Path(name).parent.chmod(0o777)
    out_path = tmp_path / "run.log"
    try:
        with out_path.open("w") as out:
            app = subprocess.Popen(
                [sys.executable, "-m", "companion", "run"], env=env, stdout=out, stderr=out
            )
        try:
            deadline = time.monotonic() + 60
            while "shown" not in out_path.read_text():
                assert app.poll() is None, f"exited {app.returncode}: {out_path.read_text()}"
                assert time.monotonic() < deadline, "the tray never showed"
                time.sleep(0.1)
            assert "already running" not in out_path.read_text()
        finally:
            app.send_signal(signal.SIGTERM)
            app.wait(timeout=10)
        log_text = (data / "companion.log").read_text()
        assert "not listening at" in log_text and "belongs to another user" in log_text
    finally:
        for squatter in squatters:
            squatter.close()
        shutil.rmtree(shared, ignore_errors=True)


def test_doctor_says_when_the_socket_folder_is_not_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A socket folder open to others (someone could pose as the running app): doctor
    has a row for it, with the folder named."""
    from companion.cli import main

    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    data = tmp_path / "data"
    folder = Path(single.server_name(data)).parent
    folder.mkdir(exist_ok=True)
    folder.chmod(0o777)
    assert main(["--data-dir", str(data), "doctor"]) == 0
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if "single instance" in line]
    assert row.startswith("!!") and str(folder) in row
