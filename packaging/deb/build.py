"""Build grounding-companion_<version>_<arch>.deb from the PyInstaller bundle.

    python packaging/deb/build.py dist/companion [--out dist]     (or: make deb)

What goes where:

    /usr/lib/grounding-companion/       the bundle (companion + _internal/)
    /usr/bin/grounding-companion        -> /usr/lib/grounding-companion/companion
    /usr/bin/companion                  -> the same: the name the README and the app use
    /usr/share/applications/grounding-companion.desktop         menu entry (packaging/)
    /usr/share/icons/hicolor/<n>x<n>/apps/grounding-companion.png   drawn from the SVG
    /usr/share/icons/hicolor/scalable/apps/grounding-companion.svg
    /usr/share/metainfo/io.github.grounding_companion.metainfo.xml  AppStream (packaging/)
    /usr/share/doc/grounding-companion/copyright

System libraries: PyInstaller copies the Debian libraries the bundle links (OpenSSL, libX11,
the xcb helpers, fontconfig, GLib...) into the bundle. In the package those copies are left
out and the Debian packages become `Depends` (computed by dpkg-shlibdeps from the bundle's
own ELF files, with minimum versions), so apt installs them, security updates reach them,
and their data (fonts.conf, xkb, CA certificates) matches. What PyPI ships (Qt, ICU 73,
libpython, cryptography) stays in the bundle. Sound is `Recommends` (the app runs silent
without it and says so); the list comes from packaging/system-deps.sh, the one list.

Nothing here runs on install or removal: the package has no maintainer scripts. Removing or
purging it deletes what it installed under /usr and never looks in a home folder,
so each person's journal and settings stay where they are.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
NAME = "grounding-companion"
PREFIX = Path("usr") / "lib" / NAME
METAINFO = "io.github.grounding_companion.metainfo.xml"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MAINTAINER = os.environ.get(
    "DEB_MAINTAINER", "Grounding Companion authors <maintainers@grounding-companion.invalid>"
)
HOMEPAGE = "https://github.com/grounding-companion/grounding-companion"
# Besides the linked libraries: HTTPS calendar feeds need the CA certificates.
EXTRA_DEPENDS = ["ca-certificates"]
SUGGESTS = ["gnome-shell-extension-appindicator"]  # GNOME shows no tray icons without it
KEEP_BUNDLED = re.compile(r"^libpython")  # the bundle's own Python, not Debian's

DESCRIPTION = """\
short grounding practices between therapy sessions
 A quiet desktop companion for psychotherapists. It sits in the system tray,
 knows your sessions from a standing week or your practice's calendar feed,
 and when a session ends offers a short practice sized to the gap before the
 next one (breathing, a body scan, muscle relaxation, 5-4-3-2-1 grounding),
 never during a session. Afterwards it asks for a glimmer; at the end of the
 day it offers a brief reflection and a look at your week.
 .
 Everything stays on your computer: no account, no telemetry, no network use
 but the calendar link you give it.
 .
 Removing or purging this package leaves every person's journal and settings
 (~/.local/share/grounding-companion, ~/.config/grounding-companion) as they
 are: the package installs files under /usr only and has no maintainer
 scripts.
"""

COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Grounding Companion
Source: {homepage}

Files: *
Copyright: The Grounding Companion authors
License: MIT

Files: usr/lib/grounding-companion/_internal/*
Comment: The application is a PyInstaller bundle. Besides its own code it carries
 Python {python} (PSF-2.0), Qt {qt} and PySide6 (LGPL-3.0, as shared libraries that
 can be replaced), ICU (Unicode-3.0, data trimmed), cryptography (Apache-2.0 or
 BSD-3-Clause) and the pure-Python libraries listed in the project's pyproject.toml,
 each under its own licence.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of
 this software and associated documentation files (the "Software"), to deal in the
 Software without restriction, including without limitation the rights to use,
 copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the
 Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all
 copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
 FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
 AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
 WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


class BuildError(Exception):
    """Something the person building has to fix; one line, no traceback."""


def run(*cmd: str, cwd: Path | None = None) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, check=False)
    if out.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:2])} failed: {(out.stderr or out.stdout).strip()}")
    return out.stdout


def version() -> str:
    text = (ROOT / "companion" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if not found:
        raise BuildError("no __version__ in companion/__init__.py")
    return found.group(1)


def newest_release(metainfo: Path) -> str:
    root = ET.parse(metainfo).getroot()  # noqa: S314 - our own file, not untrusted input
    releases = root.findall("./releases/release")
    return releases[0].get("version", "") if releases else ""


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def system_library_packages(sonames: set[str]) -> dict[str, str]:
    """soname -> the Debian package that installed it, for those of `sonames` the system has."""
    paths: dict[str, Path] = {}
    for line in run("/sbin/ldconfig", "-p").splitlines()[1:]:
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if not m or m.group(1) not in sonames or m.group(1) in paths:
            continue
        if os.uname().machine == "x86_64" and "x86-64" not in m.group(2):
            continue  # a 32-bit copy
        paths[m.group(1)] = Path(m.group(3))
    owners: dict[str, str] = {}
    for soname, path in paths.items():
        candidates = {path, path.resolve()}
        for p in list(candidates):  # usrmerge: dpkg may know /lib/... or /usr/lib/...
            s = str(p)
            candidates.add(Path(s[4:]) if s.startswith("/usr/") else Path("/usr" + s))
        out = subprocess.run(
            ["dpkg", "-S", *map(str, candidates)], capture_output=True, text=True, check=False
        )
        if out.stdout:
            owners[soname] = out.stdout.split(":")[0].strip()
    return owners


def unbundle(internal: Path) -> list[tuple[str, str]]:
    """Delete the bundle's copies of libraries a Debian package provides; (name, package)."""
    candidates = {
        path.name
        for path in internal.iterdir()
        if path.is_file()
        and not path.is_symlink()
        and ".so" in path.name
        and "cpython-" not in path.name  # extension modules
        and ".abi3." not in path.name
        and not KEEP_BUNDLED.match(path.name)
    }
    owners = system_library_packages(candidates)
    for name in owners:
        (internal / name).unlink()
    return sorted(owners.items())


def shlib_depends(tree: Path, private: list[Path]) -> str:
    """Versioned Depends for every ELF file under `tree`, as dpkg-shlibdeps works them out."""
    elves = [str(p) for p in sorted(tree.rglob("*")) if p.is_file() and not p.is_symlink()]
    elves = [p for p in elves if is_elf(Path(p))]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "debian").mkdir()
        (Path(tmp) / "debian" / "control").write_text(
            f"Source: {NAME}\n\nPackage: {NAME}\nArchitecture: any\n"
        )
        out = run(
            "dpkg-shlibdeps",
            "-O",
            "--ignore-missing-info",
            "--warnings=0",
            *(f"-l{p}" for p in private),
            *elves,
            cwd=Path(tmp),
        )
    found = re.search(r"^shlibs:Depends=(.*)$", out, re.MULTILINE)
    if not found:
        raise BuildError("dpkg-shlibdeps printed no Depends")
    return found.group(1).strip()


def render_icons(share: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    spec = importlib.util.spec_from_file_location(
        "render_png", ROOT / "assets" / "icons" / "render_png.py"
    )
    assert spec and spec.loader
    render_png = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_png)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ROOT / "assets" / "icons" / "companion.svg"
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        (folder / f"{NAME}.png").write_bytes(render_png.png_bytes(render_png.render(svg, size)))
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(svg, scalable / f"{NAME}.svg")
    del app


def normalise_modes(tree: Path) -> None:
    """0755 folders and programs, 0644 everything else (PyInstaller's are umask-dependent)."""
    for p in [tree, *tree.rglob("*")]:
        if p.is_symlink():
            continue
        if p.is_dir() or os.access(p, os.X_OK):
            p.chmod(0o755)
        else:
            p.chmod(0o644)


def validate(stage: Path) -> None:
    desktop = stage / "usr" / "share" / "applications" / f"{NAME}.desktop"
    meta = stage / "usr" / "share" / "metainfo" / METAINFO
    for cmd in (
        ["desktop-file-validate", str(desktop)],
        ["appstreamcli", "validate", "--no-net", "--explain", str(meta)],
    ):
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        text = (out.stdout + out.stderr).strip()
        verdict = "passed" if out.returncode == 0 else "FAILED"
        print(f"{cmd[0]} {Path(cmd[-1]).name}: {verdict}")
        if text:
            print("  " + text.replace("\n", "\n  "))
        if out.returncode != 0:
            raise BuildError(f"{cmd[0]} refused {cmd[-1]}")


def build(bundle: Path, out_dir: Path) -> Path:
    if not (bundle / "companion").is_file():
        raise BuildError(f"{bundle}/companion not found; build the bundle first (make bundle)")
    v = version()
    meta_src = PACKAGING / METAINFO
    if newest_release(meta_src) != v:
        raise BuildError(
            f"the newest <release> in packaging/{METAINFO} is {newest_release(meta_src)!r}, "
            f"the app is {v}: add a release for {v}"
        )
    arch = run("dpkg", "--print-architecture").strip()
    stage = ROOT / "build" / "deb" / f"{NAME}_{v}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)
    app = stage / PREFIX
    shutil.copytree(bundle, app, symlinks=True)
    gone = unbundle(app / "_internal")
    print(f"left to Debian: {len(gone)} libraries ({', '.join(sorted({p for _, p in gone}))})")

    share = stage / "usr" / "share"
    (stage / "usr" / "bin").mkdir(parents=True)
    for command in (NAME, "companion"):
        (stage / "usr" / "bin" / command).symlink_to(f"/{PREFIX}/companion")
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(PACKAGING / f"{NAME}.desktop", share / "applications" / f"{NAME}.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copyfile(meta_src, share / "metainfo" / METAINFO)
    render_icons(share)
    doc = share / "doc" / NAME
    doc.mkdir(parents=True)
    python = ".".join(map(str, sys.version_info[:3]))  # the venv's, which PyInstaller froze
    (doc / "copyright").write_text(
        COPYRIGHT.format(homepage=HOMEPAGE, python=python, qt=_qt_version())
    )
    normalise_modes(stage)
    validate(stage)

    depends = ", ".join(
        [shlib_depends(app, [app / "_internal", app / "_internal/PySide6/Qt/lib"]), *EXTRA_DEPENDS]
    )
    recommends = ", ".join(
        run("bash", str(PACKAGING / "system-deps.sh"), "--list", "sound").split()
    )
    size_kib = sum(p.lstat().st_size for p in stage.rglob("*")) // 1024
    control = {
        "Package": NAME,
        "Version": v,
        "Architecture": arch,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(size_kib),
        "Section": "utils",
        "Priority": "optional",
        "Depends": depends,
        "Recommends": recommends,
        "Suggests": ", ".join(SUGGESTS),
        "Homepage": HOMEPAGE,
        "Description": DESCRIPTION.rstrip("\n"),
    }
    (stage / "DEBIAN").mkdir()
    (stage / "DEBIAN" / "control").write_text(
        "".join(f"{k}: {val}\n" for k, val in control.items())
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{NAME}_{v}_{arch}.deb"
    run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(deb))
    print(f"Depends: {depends}")
    print(f"Recommends: {recommends}")
    print(f"{deb}: {deb.stat().st_size / 2**20:.1f} MiB, installed {size_kib / 1024:.1f} MiB")
    return deb


def _qt_version() -> str:
    try:
        import PySide6

        return str(PySide6.__version__)
    except ImportError:
        return "6"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller bundle, e.g. dist/companion")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes")
    args = parser.parse_args(argv)
    try:
        build(args.bundle.resolve(), args.out.resolve())
    except BuildError as exc:
        print(f"make deb: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
