"""A lighter Linux bundle: what `companion.spec` leaves out, and why.

Used by the spec between Analysis and COLLECT (`slim(a, workpath)`); stripping is the
spec's own `strip=True`. Every rule here is about something the app never loads:

- Qt's translations: the app speaks through gettext (companion/i18n.py) and never loads
  a QTranslator, so Qt's own .qm files (7 MB) are dead weight.
- Qt plugins for platforms a desktop tray app does not run on (framebuffer, EGLFS, VNC,
  KMS), input devices read straight from /dev (evdev, only used by those platforms),
  image formats the app does not show, QtNetwork's plugins (QtNetwork is not bundled on
  POSIX), Wayland's compositor-side and GL buffer integrations (QtWidgets paints into
  shared memory), and the GTK3 platform theme, which alone pulls in GTK, GDK, Cairo,
  Pango and ATK (14 MB) to borrow GNOME's palette and file dialog. Without it Qt uses its
  own "gnome"/generic theme and, on desktops with a portal, the xdg-desktop-portal theme
  (kept, 0.2 MB) for the light/dark colour scheme.
- ICU's data (32 MB): Qt calls ICU only for QCollator, locale-specific upper/lower case,
  time-zone display names and legacy text codecs; the app uses none of them (dates,
  numbers and day names come from QLocale's own CLDR tables). The data library is rebuilt
  with the core tables plus the root and English locales of the collation and zone trees
  (about 2 MB), so an unexpected ICU call falls back to root data rather than failing.
  Codec tables (.cnv), break-iterator dictionaries, transliteration and the other
  locales' names of currencies, languages, regions and units go.
- Shared libraries that only the dropped plugins needed (computed, not listed).

    python packaging/slim.py icu SRC.so OUT.so   # the ICU step alone, for a look
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

QT = "PySide6/Qt/"

# Plugin files left out (patterns on the path under PySide6/Qt/plugins/).
DROPPED_PLUGINS = {
    "egldeviceintegrations/*": "EGLFS (embedded, no window system)",
    "generic/*": "evdev/tuio input, only for EGLFS and linuxfb",
    "networkinformation/*": "QtNetwork, not bundled on POSIX",
    "tls/*": "QtNetwork, not bundled on POSIX",
    "platforms/libqeglfs.so": "EGLFS",
    "platforms/libqlinuxfb.so": "framebuffer console",
    "platforms/libqminimal.so": "test platform",
    "platforms/libqminimalegl.so": "test platform",
    "platforms/libqvkkhrdisplay.so": "Vulkan display, no window system",
    "platforms/libqvnc.so": "VNC server platform",
    "platformthemes/libqgtk3.so": "GTK3 theme: pulls in GTK, GDK, Cairo, Pango, ATK",
    "imageformats/libq[!s]*.so": "GIF, ICNS, ICO, JPEG, TGA, TIFF, WBMP, WebP: the app shows PNG",
    "wayland-graphics-integration-client/*": "GL/server buffers; widgets use shared memory",
    "wayland-shell-integration/libfullscreen-shell-v1.so": "kiosk shell",
    "wayland-shell-integration/libivi-shell.so": "in-vehicle shell",
    "wayland-shell-integration/libqt-shell.so": "Qt's own compositor shell",
    "wayland-shell-integration/libwl-shell-plugin.so": "wl_shell, long deprecated",
}
# Kept: platforms xcb, wayland, offscreen (doctor and headless checks); xcbglintegrations;
# platforminputcontexts (compose keys, IBus); xdgdesktopportal theme; svg icon engine and
# image format (icon themes); Wayland xdg-shell and window decorations.

# ICU data items kept: everything in the top level but codec tables and other locales;
# in the collation and zone trees only root and English; no other tree.
ICU_TREES_KEPT = {"", "coll", "zone"}
ICU_SHARED = {"pool.res", "res_index.res", "tzdbNames.res", "ucadata.icu"}
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")  # de.res, de_AT.res, de__PHONEBOOK.res


def _keep_icu_item(name: str) -> bool:
    """`name` as stored in the package, e.g. "icudt73l/coll/de.res"."""
    _package, _, rest = name.partition("/")
    tree, _, leaf = rest.rpartition("/")
    if tree not in ICU_TREES_KEPT or leaf.endswith(".cnv"):
        return False
    if leaf in ICU_SHARED or not _LOCALE.match(leaf):
        return True
    return leaf in {"root.res", "en.res"} or leaf.startswith("en_")


def trim_icu_package(data: bytes) -> bytes:
    """An ICU common data package ("CmnD") holding only the items `_keep_icu_item` keeps.

    Layout: a header, then a table of contents (a count, then (name offset, data offset)
    pairs, both from the start of the table, sorted by name), the names, and the items,
    each aligned to 16 bytes.
    """
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or b"CmnD" not in data[:header_size]:
        raise ValueError("not an ICU common data package (CmnD)")
    toc = header_size
    count = struct.unpack_from("<I", data, toc)[0]
    pairs = [struct.unpack_from("<II", data, toc + 4 + 8 * i) for i in range(count)]
    ends = [offset for _name, offset in pairs[1:]] + [len(data) - toc]
    items = []
    for (name_at, data_at), end in zip(pairs, ends, strict=True):
        stop = data.index(b"\0", toc + name_at)
        name = data[toc + name_at : stop].decode("ascii")
        if _keep_icu_item(name):
            items.append((name, data[toc + data_at : toc + end]))
    names = b""
    name_offsets = []
    table_size = 4 + 8 * len(items)
    for name, _blob in items:
        name_offsets.append(table_size + len(names))
        names += name.encode("ascii") + b"\0"
    body = bytearray()
    start = table_size + len(names)
    start += -(toc + start) % 16
    data_offsets = []
    for _name, blob in items:
        pad = -(toc + start + len(body)) % 16
        body += b"\0" * pad
        data_offsets.append(start + len(body))
        body += blob
    table = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    out = bytearray(data[:header_size]) + table + names
    out += b"\0" * (toc + start - len(out))
    return bytes(out + body)


def rebuild_icu_data(src: Path, out: Path) -> bool:
    """Write a smaller libicudata.so.NN at `out` from `src`. False (and `out` untouched)
    when the tools are missing (binutils: objcopy, as, ld) or the library is unexpected."""
    tools = [shutil.which(t) for t in ("objcopy", "nm", "as", "ld")]
    if not all(tools):
        print("slim: binutils not found; ICU data kept whole", file=sys.stderr)
        return False
    objcopy, nm, as_, ld = tools
    symbols = subprocess.run(
        [nm, "-D", "--defined-only", str(src)], capture_output=True, text=True, check=True
    ).stdout.split()
    entry = next((s for s in symbols if re.fullmatch(r"icudt\d+_dat", s)), None)
    if entry is None:
        print(f"slim: no ICU data symbol in {src}; kept whole", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [objcopy, "-O", "binary", "--only-section=.rodata", str(src), str(work / "all.dat")],
            check=True,
        )
        (work / "kept.dat").write_bytes(trim_icu_package((work / "all.dat").read_bytes()))
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {entry}\n\t.type {entry}, @object\n\t.balign 16\n"
            f'{entry}:\n\t.incbin "{work / "kept.dat"}"\n\t.size {entry}, . - {entry}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run([as_, "-o", str(work / "data.o"), str(work / "data.s")], check=True)
        subprocess.run(
            [ld, "-shared", "-soname", src.name, "-z", "noexecstack", "-o", str(out),
             str(work / "data.o")],
            check=True,
        )  # fmt: skip
    return True


def _needed(path: str) -> list[str]:
    out = subprocess.run(
        ["readelf", "-d", path], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _reachable(binaries: list[tuple[str, str, str]]) -> set[str]:
    """Destination names of libraries reached (by DT_NEEDED) from the extension modules,
    the Qt plugins and libpython: what the loader would actually map."""
    by_soname = {os.path.basename(dest): dest for dest, _src, _kind in binaries}
    src_of = {dest: src for dest, src, _kind in binaries}
    todo = [
        dest
        for dest, _src, kind in binaries
        if kind == "EXTENSION"
        or "/plugins/" in dest
        or os.path.basename(dest).startswith("libpython")
    ]
    seen = set(todo)
    while todo:
        for soname in _needed(src_of[todo.pop()]):
            dest = by_soname.get(soname)
            if dest and dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return seen


def _dropped_plugin(dest: str) -> str | None:
    prefix = QT + "plugins/"
    if not dest.startswith(prefix):
        return None
    rel = dest[len(prefix) :]
    return next((why for pat, why in DROPPED_PLUGINS.items() if fnmatch.fnmatch(rel, pat)), None)


def slim(analysis: object, workpath: str) -> None:
    """Trim `analysis.binaries` and `analysis.datas` in place (Linux only) and say what went."""
    binaries = list(analysis.binaries)  # type: ignore[attr-defined]
    datas = list(analysis.datas)  # type: ignore[attr-defined]
    before = _reachable(binaries)
    kept = [e for e in binaries if not _dropped_plugin(e[0])]
    after = _reachable(kept)
    orphans = {dest for dest in before - after if "/plugins/" not in dest}
    kept = [e for e in kept if e[0] not in orphans]
    for i, (dest, src, kind) in enumerate(kept):
        if re.fullmatch(r".*/libicudata\.so\.\d+", dest):
            small = Path(workpath) / "slim" / os.path.basename(dest)
            small.parent.mkdir(parents=True, exist_ok=True)
            if rebuild_icu_data(Path(src), small):
                kept[i] = (dest, str(small), kind)
    gone = {e[0] for e in binaries} - {e[0] for e in kept}
    datas = [
        (dest, src, kind)
        for dest, src, kind in datas
        if not dest.startswith(QT + "translations/") and not (kind == "SYMLINK" and src in gone)
    ]
    analysis.binaries = kept  # type: ignore[attr-defined]
    analysis.datas = datas  # type: ignore[attr-defined]
    size = sum(os.path.getsize(src) for dest, src, _k in binaries if dest in gone)
    print(
        f"slim: left out {len(gone)} libraries and plugins ({size / 2**20:.1f} MiB), "
        f"Qt's translations, and most of ICU's data",
        file=sys.stderr,
    )


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "icu":
        return 0 if rebuild_icu_data(Path(argv[1]), Path(argv[2])) else 1
    print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
