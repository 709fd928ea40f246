#!/usr/bin/env bash
# The system packages Grounding Companion needs, in one place, and installing the missing ones.
#
#   packaging/system-deps.sh GROUP...         install what GROUP needs and is missing
#   packaging/system-deps.sh --list GROUP...  print GROUP's Debian/Ubuntu packages, one a line
#
# Groups (the Makefile calls them; `make run` = venv + run, `make test` = venv + test):
#   venv   a Python 3.11 or newer that can make a virtual environment
#   test   the libraries Qt loads even offscreen (fonts, EGL/GL, xkb, D-Bus, GLib), and a
#          PulseAudio server with its clients (pactl, parecord) for the presence test's real
#          recording stream (tests/test_presence.py starts a private server of its own)
#   run    test's Qt libraries, Qt's X11 (xcb) platform libraries, and sound
#   sound  an audio player for the chimes: GStreamer's gst-play-1.0 (playsound3's first
#          choice; Debian and Ubuntu ship it in gstreamer1.0-plugins-base-apps, not in
#          gstreamer1.0-tools) and the WAV and audio-output plugins of plugins-good
#   bundle what `make bundle` needs: every library the bundle links (run's Qt libraries and
#          Wayland's client libraries, so PyInstaller and dpkg-shlibdeps find them), binutils
#          (strip; rebuilding ICU's data library) and the shared libpython PyInstaller
#          freezes (Debian's python3 is linked statically)
#   deb    what `make deb` uses besides: dpkg-dev (dpkg-shlibdeps), desktop-file-utils and
#          appstream (validation)
#
# Each need is "what to look for:package". What to look for is a shared library (looked up in
# the loader's cache, so it counts whoever installed it), a program on PATH, or a file glob.
# Nothing present is installed again; with everything present this takes a fraction of a second.
# Missing packages are installed with apt-get, as root or through sudo. When neither can be
# done, one line names the packages to install; then a missing `sound` lets things go on
# (the app runs silent and says so), anything else stops here with status 1.
# SYSTEM_DEPS=skip skips all of this (a machine whose libraries live elsewhere, e.g. NixOS).
set -euo pipefail

QT_OFFSCREEN=(
  libEGL.so.1:libegl1 libGL.so.1:libgl1 libfontconfig.so.1:libfontconfig1
  libxkbcommon.so.0:libxkbcommon0 libdbus-1.so.3:libdbus-1-3 libglib-2.0.so.0:libglib2.0-0
)
# tests/test_presence.py: a real recording stream on a private PulseAudio server.
TEST_AUDIO=(pulseaudio:pulseaudio pactl:pulseaudio-utils parecord:pulseaudio-utils)
# What Qt's xcb platform plugin loads besides (companion doctor checks the same list).
QT_XCB=(
  libX11-xcb.so.1:libx11-xcb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0
  libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4
  libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0
  libxcb-render-util.so.0:libxcb-render-util0 libxcb-xkb.so.1:libxcb-xkb1
  libxcb-shape.so.0:libxcb-shape0 libxcb-randr.so.0:libxcb-randr0
)
SOUND=(
  gst-play-1.0:gstreamer1.0-plugins-base-apps
  '/usr/lib/*/gstreamer-1.0/libgstwavparse.so:gstreamer1.0-plugins-good'
)
BUNDLE=(
  libwayland-client.so.0:libwayland-client0 libwayland-cursor.so.0:libwayland-cursor0
  strip:binutils objcopy:binutils as:binutils ld:binutils
)
DEB=(dpkg-shlibdeps:dpkg-dev desktop-file-validate:desktop-file-utils appstreamcli:appstream)

needs_of() {  # the "what:package" pairs of one group
  case "$1" in
    venv) ;;  # checked by python_need
    test) printf '%s\n' "${QT_OFFSCREEN[@]}" "${TEST_AUDIO[@]}" ;;
    run) printf '%s\n' "${QT_OFFSCREEN[@]}" "${QT_XCB[@]}" "${SOUND[@]}" ;;
    sound) printf '%s\n' "${SOUND[@]}" ;;
    bundle)
      printf '%s\n' "${QT_OFFSCREEN[@]}" "${QT_XCB[@]}" "${BUNDLE[@]}"
      local v
      v=$("${PYTHON:-python3}" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) &&
        echo "libpython$v.so.1.0:libpython$v" ;;
    deb) printf '%s\n' "${DEB[@]}" ;;
    *) echo "system-deps: unknown group '$1' (venv, test, run, sound, bundle, deb)" >&2; exit 2 ;;
  esac
}

LIBS=""
present() {  # is "what" here?
  local what=$1
  case "$what" in
    */*) compgen -G "$what" >/dev/null ;;
    *.so.*)
      [ -n "$LIBS" ] || LIBS=$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) | awk '{print $1}')
      grep -qxF "$what" <<<"$LIBS" ;;
    *) command -v "$what" >/dev/null 2>&1 ;;
  esac
}

python_need() {  # the package that gives a Python 3.11+ with venv and pip, or nothing
  local py=${PYTHON:-}
  [ -n "$py" ] || py=$(command -v python3.11 || command -v python3 || true)
  if [ -z "$py" ] || ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo python3.11 python3.11-venv
  elif ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "$(basename "$py")-venv"  # python3-venv or python3.11-venv
  fi
}

if [ "${1:-}" = --list ]; then
  shift
  for group in "$@"; do
    [ "$group" = venv ] && { echo python3-venv; continue; }
    needs_of "$group" | sed 's/.*://'
  done | awk '!seen[$0]++'
  exit 0
fi
[ $# -gt 0 ] || { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ "${SYSTEM_DEPS:-}" != skip ] || exit 0

missing=() optional_only=1
for group in "$@"; do
  while IFS= read -r pair; do
    [ -n "$pair" ] || continue
    present "${pair%:*}" && continue
    missing+=("${pair##*:}")
    [ "$group" = sound ] || [[ " ${SOUND[*]} " == *" $pair "* ]] || optional_only=0
  done < <(needs_of "$group")
  if [ "$group" = venv ]; then
    for pkg in $(python_need); do missing+=("$pkg"); optional_only=0; done
  fi
done
[ ${#missing[@]} -gt 0 ] || exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')

if [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
  [ -t 0 ] || sudo=(sudo -n)  # no terminal to ask for a password: fail fast instead of hanging
else
  sudo=(none)
fi
if [ "${sudo[0]:-}" != none ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}" >&2
  log=$(mktemp)
  if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
     "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
       --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    rm -f "$log"
    exit 0
  fi
  tail -n 5 "$log" >&2
  rm -f "$log"
fi
echo "system-deps: missing ${missing[*]}; install them with: sudo apt install ${missing[*]}" >&2
if [ "$optional_only" = 1 ]; then
  echo "system-deps: going on without them (no sound; companion doctor says so)" >&2
  exit 0
fi
exit 1
