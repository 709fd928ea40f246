"""Calendars: when the clinician is with a client, from the standing week or calendar feeds.

The modules form layers; each imports only modules listed above it (a test fails on a
cycle). Bottom to top:

    session.py   Session and the local-time helpers (to_local, day_bounds, in_range, ...)
    errors.py    CalendarError: one line, source first, never an event's text; the words
                 for skipped events (a count and a reason per source)
    secrets.py   feed URLs in the system keyring (or a 0600 file); masking for display
    cache.py     the offline cache: each source's sessions for the next days, last error
    scan.py      the raw-text pre-scan of a feed: an index by day, kept per content hash
    limits.py    one read's caps and its time and memory ceiling (a watchdog)
    guard.py     every repeat rule bounded before a library walks it
    zones.py     Windows and custom time-zone names made resolvable for the parser
    render.py    the part of a feed the parser sees: events near the days, reduced
    ical.py      iCalendar bytes -> sessions for a range of local days
    fetch.py     one feed over https: timeout, size cap, one clear line per failure
    sources.py   the standing week, and each configured source -> sessions (sessions_for)
    report.py    the calendar rows of `companion doctor`

Nothing is imported or re-exported here: import the module you need
(`from companion.core.calendar.sources import sessions_for`), so naming the package
loads no parser, keyring or network code into the idle tray app.
"""
