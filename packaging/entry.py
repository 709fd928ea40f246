"""Entry script for the PyInstaller bundle: the same front door as the `companion` command.

In the bundle `sys.executable` is this program, not a Python: `companion doctor` probes
the tray with `sys.executable -c CODE` in a child process, so `-c CODE` runs CODE here,
as `python -c` would.
"""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False) and len(sys.argv) > 2 and sys.argv[1] == "-c":
        code = sys.argv[2]
        sys.argv = ["-c", *sys.argv[3:]]
        exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
        sys.exit(0)

    from companion.cli import main

    sys.exit(main())
