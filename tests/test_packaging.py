"""Packaging: the metadata agrees with the app, and the bundle's ICU trimming keeps a valid
data package. (The bundle and the .deb themselves are built and checked by `make deb`.)"""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

import companion

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
METAINFO = PACKAGING / "io.github.grounding_companion.metainfo.xml"
DESKTOP = PACKAGING / "grounding-companion.desktop"


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_newest_release_is_the_app_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("./releases/release")
    assert releases, "the AppStream metadata lists no release"
    assert releases[0].get("version") == companion.__version__, (
        f"add a <release> for {companion.__version__} at the top of {METAINFO.name}"
    )


def test_metainfo_launches_the_desktop_entry_the_app_names() -> None:
    root = ET.parse(METAINFO).getroot()
    launchable = root.find("./launchable[@type='desktop-id']")
    assert launchable is not None and launchable.text == DESKTOP.name
    entry = ConfigParser(interpolation=None)
    entry.read(DESKTOP, encoding="utf-8")
    assert entry["Desktop Entry"]["Icon"] == root.findtext("./icon[@type='stock']")
    assert entry["Desktop Entry"]["Exec"].split()[0] == root.findtext("./provides/binary")


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream is not installed")
def test_metainfo_validates() -> None:
    out = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(
    not shutil.which("desktop-file-validate"), reason="desktop-file-utils is not installed"
)
def test_desktop_entry_validates() -> None:
    out = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def _package(items: dict[str, bytes]) -> bytes:
    """A small ICU common data package, laid out as ICU's pkgdata does."""
    header = bytearray(32)
    struct.pack_into("<HBB", header, 0, len(header), 0xDA, 0x27)
    header[12:16] = b"CmnD"
    names = sorted(items)
    table = 4 + 8 * len(names)
    blob_names = b"".join(n.encode() + b"\0" for n in names)
    offsets, at = [], table
    for n in names:
        offsets.append(at)
        at += len(n) + 1
    start = table + len(blob_names)
    start += -(len(header) + start) % 16
    body, data_at = b"", []
    for n in names:
        body += b"\0" * (-(len(header) + start + len(body)) % 16)
        data_at.append(start + len(body))
        body += items[n]
    out = bytes(header) + struct.pack("<I", len(names))
    out += b"".join(struct.pack("<II", a, b) for a, b in zip(offsets, data_at, strict=True))
    out += blob_names
    out += b"\0" * (len(header) + start - len(out))
    return out + body


def _items(package: bytes) -> dict[str, bytes]:
    size = struct.unpack_from("<H", package, 0)[0]
    count = struct.unpack_from("<I", package, size)[0]
    pairs = [struct.unpack_from("<II", package, size + 4 + 8 * i) for i in range(count)]
    ends = [d for _n, d in pairs[1:]] + [len(package) - size]
    found = {}
    for (name_at, data_at), end in zip(pairs, ends, strict=True):
        assert (size + data_at) % 16 == 0, "ICU needs every item 16-byte aligned"
        name = package[size + name_at : package.index(b"\0", size + name_at)].decode()
        found[name] = package[size + data_at : size + end].rstrip(b"\0")
    return found


def test_icu_trimming_keeps_the_core_and_english() -> None:
    slim = _load(PACKAGING / "slim.py")
    items = {
        "icudt73l/cnvalias.icu": b"aliases",
        "icudt73l/ibm-1252_P100-2000.cnv": b"codec table",
        "icudt73l/de.res": b"german",
        "icudt73l/en.res": b"english",
        "icudt73l/root.res": b"root",
        "icudt73l/zoneinfo64.res": b"zones",
        "icudt73l/brkitr/cjdict.dict": b"dictionary",
        "icudt73l/coll/de.res": b"german collation",
        "icudt73l/coll/de__PHONEBOOK.res": b"phonebook",
        "icudt73l/coll/root.res": b"root collation",
        "icudt73l/coll/ucadata.icu": b"uca",
        "icudt73l/curr/en.res": b"currencies",
        "icudt73l/zone/en_GB.res": b"british zones",
    }
    kept = _items(slim.trim_icu_package(_package(items)))  # type: ignore[attr-defined]
    assert sorted(kept) == [
        "icudt73l/cnvalias.icu",
        "icudt73l/coll/root.res",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/en.res",
        "icudt73l/root.res",
        "icudt73l/zone/en_GB.res",
        "icudt73l/zoneinfo64.res",
    ]
    assert all(kept[name] == items[name] for name in kept)


def test_the_sound_package_named_to_a_person_is_the_one_the_installer_installs() -> None:
    """doctor and the first-run sound check name the package that holds the player;
    packaging/system-deps.sh installs the same (gst-play-1.0 is not in -tools)."""
    import re
    from pathlib import Path

    from companion.runtime.sound import APT_PACKAGES

    script = (Path(__file__).resolve().parents[1] / "packaging" / "system-deps.sh").read_text()
    block = re.search(r"^SOUND=\((.*?)^\)", script, re.S | re.M)
    assert block is not None
    installed = set(re.findall(r":([a-z0-9.+-]+)'?\s", block.group(1) + "\n"))
    assert set(APT_PACKAGES.split()) == installed
