"""Words the windows share: counts with their plurals, and dates and times in the
person's locale (day and month names from QLocale, the order of the parts from the
translation, so "Monday 23 November" can become "Montag, 23. November").

Every count goes through `ngettext` here, so no window writes `f"{n} session{'s'...}"`.
`escape` is for text a person typed shown inside rich text.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime

from companion import i18n
from companion.i18n import _, ngettext, pgettext


def escape(text: str) -> str:
    """Text a person typed, safe inside a rich-text label."""
    import html  # on first use: its entity tables cost the idle tray app about 0.5 MiB

    return html.escape(text, quote=False)


# --- times and dates ---------------------------------------------------------------------


def _locale_hm(value: datetime | time) -> str:
    return QLocale().toString(QTime(value.hour, value.minute), QLocale.FormatType.ShortFormat)


def install() -> None:
    """Let every time the app writes, core messages included, follow the locale."""
    i18n.set_time_format(_locale_hm)


def hm(value: datetime | time) -> str:
    """ "09:00" (or "9:00 AM" where the locale says so)."""
    return _locale_hm(value)


def span(start: datetime | time, end: datetime | time) -> str:
    """ "09:00–09:50" """
    return _("{start}–{end}").format(start=hm(start), end=hm(end))


def _date(value: date, pattern: str) -> str:
    text = QLocale().toString(QDate(value.year, value.month, value.day), pattern)
    return i18n.pseudo(text) if i18n.language() == i18n.PSEUDO else text


def day_heading(value: date) -> str:
    """ "Monday 23 November" """
    # Translators: a Qt date pattern (dddd: weekday, d: day, MMMM: month); reorder freely.
    return _date(value, pgettext("Qt date pattern", "dddd d MMMM"))


def day_heading_year(value: date) -> str:
    """ "23 November 2026" """
    # Translators: a Qt date pattern (d: day, MMMM: month, yyyy: year).
    return _date(value, pgettext("Qt date pattern", "d MMMM yyyy"))


def day_short(value: date) -> str:
    """ "Mon 23" """
    # Translators: a Qt date pattern (ddd: short weekday, d: day).
    return _date(value, pgettext("Qt date pattern", "ddd d"))


def day_month_short(value: date) -> str:
    """ "23 Nov" """
    # Translators: a Qt date pattern (d: day, MMM: short month).
    return _date(value, pgettext("Qt date pattern", "d MMM"))


def weekday_day_month_short(value: date) -> str:
    """ "Mon 23 Nov" """
    # Translators: a Qt date pattern (ddd: short weekday, d: day, MMM: short month).
    return _date(value, pgettext("Qt date pattern", "ddd d MMM"))


def month_year(value: date) -> str:
    """ "November 2026" """
    # Translators: a Qt date pattern (MMMM: month, yyyy: year).
    return _date(value, pgettext("Qt date pattern", "MMMM yyyy"))


def weekday_name(weekday: int) -> str:
    """Monday for 0 ... Sunday for 6, in the locale's words."""
    name = QLocale().dayName(weekday + 1, QLocale.FormatType.LongFormat)
    return i18n.pseudo(name) if i18n.language() == i18n.PSEUDO else name


# --- counts ------------------------------------------------------------------------------


def minutes(n: int) -> str:
    return ngettext("{n} min", "{n} min", n).format(n=n)


def sessions(n: int) -> str:
    return ngettext("{n} session", "{n} sessions", n).format(n=n)


def heavy_sessions(n: int) -> str:
    return ngettext("{n} heavy session", "{n} heavy sessions", n).format(n=n)


def breaks(n: int) -> str:
    return ngettext("{n} break", "{n} breaks", n).format(n=n)


def practices(n: int) -> str:
    return ngettext("{n} practice", "{n} practices", n).format(n=n)


def glimmers(n: int) -> str:
    return ngettext("{n} glimmer", "{n} glimmers", n).format(n=n)


def reflections(n: int) -> str:
    return ngettext("{n} reflection", "{n} reflections", n).format(n=n)


def records(n: int) -> str:
    return ngettext("{n} record", "{n} records", n).format(n=n)


def days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=n)
