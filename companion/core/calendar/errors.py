"""The one error the calendar package raises for a source that cannot be used."""


class CalendarError(Exception):
    """A calendar source that cannot be used. `str()` is one line: source, then what is wrong."""
