"""Text ready for translation: the pseudo-locale shows what is marked and what would
not fit, and English stays exactly as written."""

from __future__ import annotations

import subprocess
import sys
from datetime import time

import pytest

from companion import i18n
from companion.i18n import _, ngettext


def test_english_is_the_text_as_written() -> None:
    assert i18n.language() == "en"
    assert _("Save") == "Save"
    assert ngettext("{n} session", "{n} sessions", 1).format(n=1) == "1 session"
    assert ngettext("{n} session", "{n} sessions", 3).format(n=3) == "3 sessions"


@pytest.mark.usefixtures("pseudo_locale")
def test_pseudo_wraps_accents_and_lengthens() -> None:
    text = _("Time for notes after a session")
    assert text.startswith(i18n.OPEN) and text.endswith(i18n.CLOSE)
    assert "Time" not in text  # accented: an unmarked "Time" would stand out
    inner = text[1:-1]
    assert len(inner) >= 1.3 * len("Time for notes after a session")


@pytest.mark.usefixtures("pseudo_locale")
def test_pseudo_keeps_what_a_program_reads() -> None:
    text = _("{n} min until {time} · <b>%(kind)s</b> &amp; &Save https://example.org/a")
    for kept in (
        "{n}",
        "{time}",
        "<b>",
        "</b>",
        "%(kind)s",
        "&amp;",
        "&S",
        "https://example.org/a",
    ):
        assert kept in text
    assert text.format(n=4, time="11:00").count("4") == 1
    # A plural picks its form first, then wraps it.
    assert "{n}" in ngettext("{n} session", "{n} sessions", 2)
    assert i18n.pgettext("Qt date pattern", "dddd d MMMM") == "dddd d MMMM"


def test_the_language_comes_from_companion_lang() -> None:
    code = "from companion.i18n import _, language; print(language(), _('Save'))"
    env = {"COMPANION_LANG": "pseudo", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    lang, word = out.stdout.split()
    assert lang == "pseudo" and word.startswith(i18n.OPEN)


def test_a_language_without_a_catalog_falls_back_to_english() -> None:
    try:
        assert i18n.use("xx") == "en"
        assert _("Save") == "Save"
    finally:
        i18n.use("en")


def test_times_follow_the_installed_format() -> None:
    assert i18n.hm(time(9, 5)) == "09:05"
    try:
        i18n.set_time_format(
            lambda t: f"{t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"
        )
        assert i18n.hm(time(14, 30)) == "2:30 PM"
    finally:
        i18n.set_time_format(None)
    assert i18n.hm(time(14, 30)) == "14:30"
