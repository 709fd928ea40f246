"""Start-up: time from process start to the tray icon's first pixels on a real X tray.

    python bench/startup.py [--runs N] [--quick] [--bundle DIR | --no-bundle]
                            [--repo DIR] [--plain]

Starts its own virtual desktop (Xvfb, openbox and trayer, as ../shared/tools/desktop-shot
does) and runs, interleaved, N times each: the floor (a bare PySide6 tray,
bench/_floor.py), the app from this Python (`python -m companion run`) and, if a
PyInstaller bundle is there (`--bundle`, default dist/companion), the bundle. Each run
is timed from just before the process is started to:

* **pixels**: the first moment the tray shows pixels of the icon (an X DAMAGE event on the
  screen after which the tray's strip holds colours it did not hold empty; see
  bench/_desktop.py). This is what a person sees and the figure the budget is for.
* **shown** (the old figure): the moment the program *asked* for its icon
  (`QSystemTrayIcon.show()` returned), as printed by the program itself.
* **fully ready**: the journal open, the day planned, the offers scheduled (printed by
  the app at the end of `App.start`).

A returning person's data folder is used (the built-in week, confirmed, one start
beforehand to create the journal). `--repo DIR` runs the app from another checkout (a
`git worktree` of an older commit, for before/after figures); `--plain` does not ask the
app to print its moments (an older app quits as soon as it has printed "ready", which
can be before its icon is painted). Budget (issue 16): pixels within 1.3x the floor,
fully ready under 500 ms. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _desktop import TrayWatch, desktop  # noqa: E402

TIMEOUT_S = 15.0


class Run:
    """One start of one program: the moments it printed, and when pixels appeared."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: Path | None) -> None:
        self.moments: dict[str, float] = {}
        self.ready = threading.Event()
        self.t0 = time.time()
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            word, _, value = line.partition(" ")
            if word in ("shown", "ready"):
                self.moments[word] = float(value) - self.t0
                if word == "ready":
                    self.ready.set()
        self.ready.set()  # the program ended

    def stop(self) -> str:
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err or ""


def once(
    watch: TrayWatch, cmd: list[str], env: dict[str, str], cwd: Path | None, want_ready: bool
) -> dict[str, float]:
    watch.drain()
    run = Run(cmd, env, cwd)
    at = watch.wait_for_icon(TIMEOUT_S)
    if want_ready:
        run.ready.wait(TIMEOUT_S)
    err = run.stop()
    if at is None:
        raise RuntimeError(
            f"{' '.join(cmd)}: no icon pixels within {TIMEOUT_S:.0f} s: {err[-300:]}"
        )
    watch.wait_until_empty()
    return {"pixels": at - run.t0, **run.moments}


def spread(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values if not math.isnan(v))
    if not ms:
        return "       -"
    return f"{statistics.median(ms):6.0f} ms  ({ms[0]:.0f}-{ms[-1]:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    parser.add_argument("--bundle", type=Path, default=HERE.parent / "dist" / "companion")
    parser.add_argument("--no-bundle", action="store_true")
    parser.add_argument("--repo", type=Path, help="run the app from this checkout")
    parser.add_argument("--plain", action="store_true", help="do not ask for moments")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    repo = (args.repo or HERE.parent).resolve()

    with tempfile.TemporaryDirectory() as data, desktop() as env:
        env["COMPANION_DATA_DIR"] = data
        env["PYTHONPATH"] = str(repo)
        if not args.plain:
            env["COMPANION_BENCH_SHOWN"] = "stay"  # print the moments, keep running
        # A returning person: the built-in week, confirmed (a first run would also build
        # the welcome window, after the icon).
        sys.path.insert(0, str(HERE.parent))
        from companion.core.settings import Settings, save_settings

        save_settings(Path(data) / "settings.json", Settings())
        programs: dict[str, tuple[list[str], Path | None, bool]] = {
            "bare PySide6 tray (floor)": ([sys.executable, str(HERE / "_floor.py")], None, False),
            "app (venv)": ([sys.executable, "-m", "companion", "run"], repo, not args.plain),
        }
        bundle = args.bundle.resolve() / "companion"
        if not args.no_bundle and bundle.exists():
            programs["app (bundle)"] = ([str(bundle), "run"], None, not args.plain)
        watch = TrayWatch(env["DISPLAY"])
        for cmd, cwd, ready in list(programs.values())[1:]:
            once(watch, cmd, env, cwd, ready)  # the first start creates the journal
        results: dict[str, list[dict[str, float]]] = {name: [] for name in programs}
        for _ in range(runs):
            for name, (cmd, cwd, ready) in programs.items():
                results[name].append(once(watch, cmd, env, cwd, ready))

    print(
        f"start-up on a virtual X desktop with trayer, {runs} runs each, interleaved"
        + (f"; app from {repo}" if args.repo else "")
    )
    print(f"{'':28}{'to tray pixels':>26}{'icon asked for (old)':>28}{'fully ready':>26}")
    floor = statistics.median(r["pixels"] for r in results["bare PySide6 tray (floor)"])
    for name, rows in results.items():
        cols = [
            spread([r.get(k, float("nan")) for r in rows]) for k in ("pixels", "shown", "ready")
        ]
        print(f"{name:28}{cols[0]:>26}{cols[1]:>28}{cols[2]:>26}")
    for name, rows in results.items():
        if name.startswith("app"):
            ratio = statistics.median(r["pixels"] for r in rows) / floor
            print(f"  {name}: pixels {ratio:.2f}x the floor (budget 1.3x)")
    if "app (bundle)" not in results and not args.no_bundle:
        print(f"  (no bundle at {bundle}: build it with `make bundle` or packaging/README.md)")
    print("  median ms (fastest-slowest); fully ready budget: under 500 ms")


if __name__ == "__main__":
    main()
