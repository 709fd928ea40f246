"""`companion plan [--date YYYY-MM-DD] [--ics PATH_OR_URL ...] [--json]`: the day's
sessions, the break windows between them with a suggested practice, the day's closing
practice after its last session ("to close the day", `DayPlan.closing`) and the
end-of-day reflection time."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from companion.i18n import _, hm

if TYPE_CHECKING:
    from companion.core.planner import BreakWindow, DayPlan


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "plan",
        help=_("show a day's sessions and planned breaks"),
        description=_(
            "Show a day's sessions, the breaks between them with a suggested "
            "practice, the practice to close the day, and the end-of-day reflection time. "
            "Uses your configured schedule (standing week or calendars), or the calendars "
            "given with --ics instead (to try a feed before saving it)."
        ),
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day to plan (default: today)"))
    p.add_argument(
        "--ics",
        metavar="PATH_OR_URL",
        action="extend",
        nargs="+",
        default=[],
        help=_("plan from these iCalendar files or https links instead of your settings"),
    )
    p.add_argument("--json", action="store_true", help=_("print the plan as JSON"))
    p.set_defaults(func=run)


#: The days `plan` answers for. Far outside, the date arithmetic of planning (the days
#: around the one asked, local midnight, time zones) runs off the calendar's ends.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _day(text: str | None, today: date) -> date:
    from companion.cli import UserError

    if text is None:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("--date: {value!r} is not a date; use YYYY-MM-DD").format(value=text)
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(
            _(
                "--date: {day} is outside the days that can be planned; use {first} to {last}"
            ).format(day=day.isoformat(), first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
        )
    return day


def run(args: argparse.Namespace) -> int:
    from companion.cli import UserError
    from companion.commands._common import paths_from, settings_from
    from companion.core.calendar.errors import CalendarError
    from companion.core.calendar.session import local_zone_name
    from companion.core.calendar.sources import schedule_from_specs, sessions_for
    from companion.core.clock import SystemClock
    from companion.core.exercises import load_library
    from companion.core.planner import plan_day, sessions_span

    clock = SystemClock()
    day = _day(args.date, clock.now().date())
    paths = paths_from(args)
    settings = settings_from(args)
    status = 0
    if not args.ics and not settings.schedule_confirmed:  # never guess the person's week
        zone = local_zone_name(datetime.combine(day, datetime.min.time()).astimezone())
        if args.json:
            print(json.dumps(unconfirmed_json(day, zone), indent=2))
        else:
            print(
                _(
                    "Your week is not set up yet, so nothing is planned. Start Grounding "
                    "Companion and answer “When do you see clients?” (or open Settings), or "
                    "plan from a calendar with --ics PATH_OR_URL."
                )
            )
        return 0
    first, days = sessions_span(day)  # the days around it too: breaks across midnight
    if args.ics:
        try:
            found = schedule_from_specs(args.ics, settings, first, days, clock=clock)
        except CalendarError as exc:
            raise UserError(str(exc)) from None
        for line in found.skipped_lines:
            print(f"companion: {line}", file=sys.stderr)
        sessions = list(found.sessions)
    else:
        schedule = sessions_for(settings, first, paths=paths, clock=clock, days=days)
        for problem in (*schedule.problems, *schedule.skipped_lines):
            print(f"companion: {problem}", file=sys.stderr)
        if schedule.problems:
            status = 1
            if not schedule.from_cache:
                return status
        sessions = list(schedule.sessions)

    library = load_library(paths.user_practices)
    plan = plan_day(sessions, settings, day, library)
    zone = local_zone_name(datetime.combine(day, datetime.min.time()).astimezone())
    if args.json:
        print(json.dumps(as_json(plan, zone), indent=2))
    else:
        titles = {e.id: e.title for e in library}
        print(as_table(plan, zone, titles))
    return status


def _iso(dt: datetime | None) -> str | None:
    return dt.astimezone().isoformat(timespec="seconds") if dt is not None else None


def unconfirmed_json(day: date, zone: str) -> dict[str, Any]:
    """The JSON of a day whose schedule was never confirmed: no sessions, no breaks."""
    return {
        "date": day.isoformat(),
        "timezone": zone,
        "schedule": "unconfirmed",
        "sessions": [],
        "breaks": [],
        "closing": None,
        "reflection_at": None,
    }


def _window_json(b: BreakWindow) -> dict[str, Any]:
    return {
        "start": _iso(b.start),
        "end": _iso(b.end),
        "minutes": b.minutes,
        "exercise": b.exercise,
    }


def as_json(plan: DayPlan, zone: str) -> dict[str, Any]:
    """The shape DESIGN.md promises, times with their UTC offset in the local zone."""
    return {
        "date": plan.date.isoformat(),
        "timezone": zone,
        "sessions": [
            {"start": _iso(s.start), "end": _iso(s.end), "heavy": s.heavy} for s in plan.sessions
        ],
        "breaks": [_window_json(b) for b in plan.breaks],
        # The day's closing practice after its last session ("leave it at the door"), or null.
        "closing": _window_json(plan.closing) if plan.closing is not None else None,
        "reflection_at": _iso(plan.reflection_at),
    }


def _hm(dt: datetime, day: date) -> str:
    """HH:MM in the local zone, with "(+1d)" when it falls on another day."""
    local = dt.astimezone()
    shift = (local.date() - day).days
    if not shift:
        return hm(local)
    return _("{time} ({days:+d}d)").format(time=hm(local), days=shift)


def _break_line(b: BreakWindow, when: str, practice: str) -> str:
    if b.after_heavy and b.longer:
        text = _(
            "{when}  break · {minutes} min · {practice} · after a heavy session"
            " · take a longer break"
        )
    elif b.after_heavy:
        text = _("{when}  break · {minutes} min · {practice} · after a heavy session")
    elif b.longer:
        text = _("{when}  break · {minutes} min · {practice} · take a longer break")
    else:
        text = _("{when}  break · {minutes} min · {practice}")
    return text.format(when=when, minutes=b.minutes, practice=practice)


def as_table(plan: DayPlan, zone: str, titles: dict[str, str]) -> str:
    """The day as a readable list, in time order."""
    from companion.core.daynames import long_date

    rows: list[tuple[datetime, str]] = []
    for s in plan.sessions:
        when = _("{start}–{end}").format(start=_hm(s.start, plan.date), end=_hm(s.end, plan.date))
        line = _("{when}  session  · heavy") if s.heavy else _("{when}  session")
        rows.append((s.start, line.format(when=when)))
    for b in plan.breaks:
        when = _("{start}–{end}").format(start=_hm(b.start, plan.date), end=_hm(b.end, plan.date))
        what = titles.get(b.exercise, b.exercise) if b.exercise else _("no practice fits")
        rows.append((b.start, _break_line(b, when, what)))
    if plan.closing is not None:
        c = plan.closing
        when = _("{start}–{end}").format(start=_hm(c.start, plan.date), end=_hm(c.end, plan.date))
        what = titles.get(c.exercise, c.exercise) if c.exercise else _("no practice fits")
        # Translators: "16:50–17:00  to close the day · Leave it at the door"
        rows.append(
            (c.start, _("{when}  to close the day · {practice}").format(when=when, practice=what))
        )
    if plan.reflection_at is not None:
        at = _hm(plan.reflection_at, plan.date)
        rows.append((plan.reflection_at, _("{time}  reflection").format(time=at)))
    rows.sort(key=lambda r: r[0])
    head = (_("{date} ({zone})") if plan.sessions else _("{date} ({zone}): no sessions")).format(
        date=long_date(plan.date), zone=zone
    )
    return "\n".join([head, *(f"  {text}" for _at, text in rows)])
