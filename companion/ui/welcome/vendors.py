"""Where the calendars clinicians use keep a private calendar (iCal) link: one or two lines
each, in our own words, checked against each vendor's help pages (see the issue note).

Marked with N_ and translated where shown: a translation may name the products its own
way ("Google Kalender") and must say where their menus are in that language.
"""

from __future__ import annotations

from companion.i18n import N_

#: (the calendar's name, where its link is)
VENDORS: tuple[tuple[str, str], ...] = (
    (
        N_("Google Calendar"),
        N_(
            "On the web: Settings, choose the calendar under “Settings for my calendars”, "
            "then copy “Secret address in iCal format” under “Integrate calendar”."
        ),
    ),
    (
        N_("Outlook / Microsoft 365"),
        N_(
            "In Outlook on the web: Settings, Calendar, Shared calendars. Under “Publish a "
            "calendar” choose the calendar, publish it and copy the ICS link."
        ),
    ),
    (
        N_("Apple iCloud"),
        N_(
            "In Calendar (iCloud.com, Mac or iPhone), share the calendar as a Public Calendar "
            "and copy its link; a webcal:// link works. Anyone with it can see the calendar."
        ),
    ),
    (
        N_("SimplePractice"),
        N_(
            "Settings, Scheduling and inquiries, Calendar: calendar sync. If it sends your "
            "sessions to Google, Apple or Outlook, use that calendar's private link."
        ),
    ),
    (
        N_("TherapyNotes"),
        N_(
            "Your user icon, Settings, “Sync Calendars with Other Applications”: copy the "
            "calendar link shown there."
        ),
    ),
    (
        N_("Jane"),
        N_(
            "Jane's calendar sync gives a subscription link for your own schedule; if you "
            "cannot find it, your clinic's Jane administrator can turn it on for you."
        ),
    ),
)
