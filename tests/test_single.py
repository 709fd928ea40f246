"""One app per data folder; a terminal can ask it to open a window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
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
