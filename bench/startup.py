"""Start-up: time from process start to the tray icon shown, against a bare PySide6 tray app.

    python bench/startup.py [--runs N] [--quick] [--bundle DIR]

The app shows its icon first and builds the rest one event later (companion/launch.py);
both moments are printed. Runs each program N times, alternating, on the current display
(set DISPLAY for a real tray, e.g. inside ../shared/tools/desktop-shot --keep; without
one, Qt's offscreen platform is used and the app shows its stand-in window).
`--bundle dist/companion` times the PyInstaller bundle (DIR/companion run) instead of the
venv; the floor stays the bare tray from this Python.
Budget (DESIGN.md): within 1.5x the floor. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def once(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from process start to each moment the program reports ("shown", "ready")."""
    t0 = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
    moments = {
        line.split()[0]: float(line.split()[1]) - t0
        for line in out.stdout.splitlines()
        if line.startswith(("shown ", "ready "))
    }
    if "shown" not in moments:
        raise RuntimeError(f"{cmd[-1]} never showed its icon: {out.stderr.strip()[-300:]}")
    return moments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    parser.add_argument("--bundle", type=Path, help="time DIR/companion (a PyInstaller bundle)")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    env = {**os.environ, "COMPANION_BENCH_SHOWN": "1"}
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    platform = env.get("QT_QPA_PLATFORM", "xcb (DISPLAY=" + env.get("DISPLAY", "") + ")")
    floor: list[float] = []
    app: list[float] = []
    ready: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        env["COMPANION_DATA_DIR"] = data
        # A returning person: the built-in week, confirmed (a first run would also build
        # the welcome window, after the icon).
        sys.path.insert(0, str(HERE.parent))
        from companion.core.settings import Settings, save_settings

        save_settings(Path(data) / "settings.json", Settings())
        app_cmd = [sys.executable, "-m", "companion", "run"]
        if args.bundle:
            app_cmd = [str(args.bundle.resolve() / "companion"), "run"]
        floor_cmd = [sys.executable, str(HERE / "_floor.py")]
        once(app_cmd, env)  # first run creates the journal; not counted
        for _ in range(runs):
            floor.append(once(floor_cmd, env)["shown"])
            moments = once(app_cmd, env)
            app.append(moments["shown"])
            ready.append(moments.get("ready", float("nan")))
    f, a, r = statistics.median(floor), statistics.median(app), statistics.median(ready)
    print(f"start-up to tray icon shown, median of {runs} runs, platform {platform}")
    print(f"  bare PySide6 tray (floor): {f * 1000:7.0f} ms   (min {min(floor) * 1000:.0f})")
    name = "companion bundle:" if args.bundle else "Grounding Companion:"
    print(f"  {name:<27}{a * 1000:7.0f} ms   (min {min(app) * 1000:.0f})")
    print(f"  ratio: {a / f:.2f}x   budget: 1.5x")
    print(f"  then fully ready (journal open, day planned, offers scheduled): {r * 1000:.0f} ms")


if __name__ == "__main__":
    main()
