"""Weekday and month names in the person's language, without Qt.

The windows write dates through QLocale (`companion.ui.text`); the core and the command
line cannot load Qt, and `strftime("%A")` speaks the C locale's English whatever the
language. These names go through gettext instead, so the Markdown export and `companion
plan` read in the person's language (and the pseudo-locale shows them as marked).
"""

from __future__ import annotations

from datetime import date

from companion.i18n import N_, _, pgettext

_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

# "May" is a whole word in one language and an abbreviation in another: the context
# "month name" keeps the full month names apart from any short form.


def weekday_name(day: date) -> str:
    """ "Monday", in the person's language."""
    return _(_WEEKDAYS[day.weekday()])


def month_name(day: date) -> str:
    """ "November", in the person's language."""
    return _month(day.month)


def _month(number: int) -> str:
    # Spelled out (a literal context on each) so the extraction sees every name.
    names = {
        1: pgettext("month name", "January"),
        2: pgettext("month name", "February"),
        3: pgettext("month name", "March"),
        4: pgettext("month name", "April"),
        5: pgettext("month name", "May"),
        6: pgettext("month name", "June"),
        7: pgettext("month name", "July"),
        8: pgettext("month name", "August"),
        9: pgettext("month name", "September"),
        10: pgettext("month name", "October"),
        11: pgettext("month name", "November"),
        12: pgettext("month name", "December"),
    }
    return names[number]


def long_date(day: date) -> str:
    """ "Monday 23 November 2026" (the day of the month in two digits), in the person's
    language and word order."""
    return _("{weekday} {day} {month} {year}").format(
        weekday=weekday_name(day), day=f"{day.day:02d}", month=month_name(day), year=day.year
    )
