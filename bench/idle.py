"""Idle: memory, CPU and wake-ups of the running app, against a bare PySide6 tray app.

    python bench/idle.py [--minutes 10] [--quick] [--bundle DIR | --no-bundle]
                         [--before-repo DIR] [--before-bundle DIR]

Starts its own virtual desktop with a real tray (Xvfb, openbox, trayer: bench/_desktop.py)
and on it, side by side, the floor (a bare PySide6 tray), the app from this Python, the
PyInstaller bundle if there is one (default dist/companion), and, for before/after
figures, the app from another checkout (`--before-repo`, a git worktree of an older
commit) and its bundle (`--before-bundle`). Each app has a throwaway data folder with the
standing week, confirmed. It lets them sit, and reads /proc for each: resident memory
at the end and its peak, CPU time over the idle stretch (as % of one core), and
voluntary context switches per minute (each is the process waking from a wait:
timers, sockets, signals). Budget (DESIGN.md): memory within the floor + 25 MiB
(issue 16: + 15 MiB), CPU under 0.1 % of one core, no periodic wake-up more often than
once a minute. --quick sits for 1 minute instead of 10. Linux only (it reads /proc).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _desktop import desktop  # noqa: E402

SETTLE_S = 5.0  # start-up is not idle: measure from here on
TICK = os.sysconf("SC_CLK_TCK")


def status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"}:
            out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def ctx_switches(pid: int) -> int:
    """Voluntary context switches summed over every thread (Qt, APScheduler, sound)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            for line in (task / "status").read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="sit for 1 minute")
    parser.add_argument("--bundle", type=Path, default=HERE.parent / "dist" / "companion")
    parser.add_argument("--no-bundle", action="store_true")
    parser.add_argument("--before-repo", type=Path, help="also the app from this checkout")
    parser.add_argument("--before-bundle", type=Path, help="also this (older) bundle")
    args = parser.parse_args()
    minutes = 1.0 if args.quick else args.minutes
    sys.path.insert(0, str(HERE.parent))
    from companion.core.settings import Settings, save_settings

    programs: dict[str, tuple[list[str], Path | None]] = {
        "bare PySide6 tray (floor)": ([sys.executable, str(HERE / "_floor.py")], None),
        "app (venv)": ([sys.executable, "-m", "companion", "run"], HERE.parent),
    }
    if not args.no_bundle and (args.bundle / "companion").exists():
        programs["app (bundle)"] = ([str(args.bundle.resolve() / "companion"), "run"], None)
    if args.before_repo:
        repo = args.before_repo.resolve()
        programs["before: app (venv)"] = ([sys.executable, "-m", "companion", "run"], repo)
    if args.before_bundle:
        exe = args.before_bundle.resolve() / "companion"
        programs["before: app (bundle)"] = ([str(exe), "run"], None)
    with tempfile.TemporaryDirectory() as tmp, desktop() as base:
        procs = {}
        for n, (name, (cmd, repo)) in enumerate(programs.items()):
            # A returning person's idle app: the built-in week, confirmed (a first run
            # would sit with the welcome window open instead). One folder each.
            data = Path(tmp) / f"data-{n}"
            data.mkdir()
            save_settings(data / "settings.json", Settings())
            env = {**base, "COMPANION_DATA_DIR": str(data)}
            if repo is not None:
                env["PYTHONPATH"] = str(repo)
            procs[name] = subprocess.Popen(cmd, env=env, cwd=repo)
            time.sleep(0.5)
        try:
            time.sleep(SETTLE_S)
            start = {n: (cpu_seconds(p.pid), ctx_switches(p.pid)) for n, p in procs.items()}
            t0 = time.monotonic()
            time.sleep(minutes * 60)
            wall = time.monotonic() - t0
            print(
                f"idle for {wall / 60:.1f} min after {SETTLE_S:.0f} s of start-up, "
                "on a virtual X desktop with trayer"
            )
            print(f"{'':28}{'RSS MiB':>9}{'peak MiB':>10}{'CPU %':>8}{'wake-ups/min':>14}")
            rows = {}
            for name, p in procs.items():
                st = status(p.pid)
                cpu = (cpu_seconds(p.pid) - start[name][0]) / wall * 100
                wakes = (ctx_switches(p.pid) - start[name][1]) / (wall / 60)
                rows[name] = st["VmRSS"] / 1024
                print(
                    f"{name:28}{st['VmRSS'] / 1024:9.1f}{st['VmHWM'] / 1024:10.1f}"
                    f"{cpu:8.3f}{wakes:14.1f}"
                )
            floor = rows.pop("bare PySide6 tray (floor)")
            for name, rss in rows.items():
                print(
                    f"  {name}: {rss - floor:+.1f} MiB over the floor (budget +15; DESIGN.md +25)"
                )
            print("  CPU budget 0.1 %; wake-ups: no periodic one more often than once a minute")
        finally:
            for p in procs.values():
                p.terminate()
                p.wait(timeout=10)


if __name__ == "__main__":
    main()
