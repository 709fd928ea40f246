"""What Look back says about a period, in the person's language: the period's title
("2–8 March 2026", "March 2026"), the summary line under it, and the `ChartSpec` of every
chart (titles, axis labels, notes, empty states), from `companion.core.insights.History`.

Dates come from `companion.ui.text` (QLocale names, the order from the translation),
counts from its plurals; nothing here uses strftime. `placeholder_specs` gives the same
charts with no data, so a period that is still loading has its frame on screen at once
and nothing moves when the numbers arrive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from companion.core import insights
from companion.i18n import N_, _, ngettext
from companion.ui import text
from companion.ui.history.chart import ChartSeries, ChartSpec, Marker, Role

CHECKIN_NAMES = {
    "still_with_me": N_("Still with me"),
    "energy": N_("Energy"),
    "connected": N_("Connected"),
}
CHECKIN_LOOKS: dict[str, tuple[Role, Marker, bool]] = {
    "still_with_me": ("warm", "circle", False),
    "energy": ("accent", "square", False),
    "connected": ("third", "triangle", True),
}

Chart = tuple[str, ChartSpec, str]  # (key, spec, note)


def week_of(monday: date) -> str:
    """ "week of Monday 2 March" """
    return _("week of {day}").format(day=text.day_heading(monday))


def period_title(period: insights.Period) -> str:
    """ "March 2026"; a week: "2–8 March 2026", "23 Feb – 1 Mar 2026",
    "29 Dec 2025 – 4 Jan 2026"."""
    if period.kind == "month":
        return text.month_year(period.start)
    a, b = period.start, period.end
    if a.month == b.month:
        # Translators: a week within one month: "2–8 March 2026".
        return _("{first}–{last} {month_year}").format(
            first=a.day, last=b.day, month_year=text.month_year(b)
        )
    if a.year == b.year:
        # Translators: a week across two months: "23 Feb – 1 Mar 2026".
        return _("{first} – {last} {year}").format(
            first=text.day_month_short(a), last=text.day_month_short(b), year=b.year
        )
    # Translators: a week across two years: "29 Dec 2025 – 4 Jan 2026".
    return _("{first} {first_year} – {last} {last_year}").format(
        first=text.day_month_short(a),
        first_year=a.year,
        last=text.day_month_short(b),
        last_year=b.year,
    )


def summary(h: insights.History) -> str:
    """The line under the title: "75 min of practice on 5 days · 5 glimmers · 15 of 30
    breaks taken."."""
    if h.is_empty:
        if h.period.kind == "week":
            return _("Nothing recorded in this week yet. The charts fill in as the days go by.")
        return _("Nothing recorded in this month yet. The charts fill in as the days go by.")
    practice = _("{minutes} of practice on {days}").format(
        minutes=text.minutes(round(sum(h.practice_minutes))),
        days=text.days(sum(1 for v in h.practice_minutes if v)),
    )
    glimmers = text.glimmers(sum(h.glimmers_per_day))
    offered = sum(h.breaks_offered)
    if not offered:
        return _("{practice} · {glimmers}.").format(practice=practice, glimmers=glimmers)
    taken = ngettext(
        "{taken} of {offered} break taken", "{taken} of {offered} breaks taken", offered
    ).format(taken=sum(h.breaks_taken), offered=offered)
    return _("{practice} · {glimmers} · {breaks}.").format(
        practice=practice, glimmers=glimmers, breaks=taken
    )


def chart_specs(h: insights.History, titles: Mapping[str, str]) -> list[Chart]:
    """(key, spec, note) for every chart of a history view, in display order."""
    week = h.period.kind == "week"
    day_labels = [text.day_short(d) if week else str(d.day) for d in h.days]
    day_long = [text.day_heading(d) for d in h.days]
    week_labels = [text.day_month_short(w) for w in h.weeks]
    week_long = [week_of(w) for w in h.weeks]
    out: list[Chart] = []
    out.append(
        (
            "practice",
            ChartSpec(
                _("Practice minutes per day"),
                day_labels,
                [ChartSeries(_("Minutes"), [round(v, 1) for v in h.practice_minutes])],
                unit="min",
                long_labels=day_long,
                empty_text=_("No practice recorded in this week.")
                if week
                else _("No practice recorded in this month."),
            ),
            "",
        )
    )
    out.append(
        (
            "checkin",
            ChartSpec(
                _("Check-in, 0 to 10"),
                day_labels,
                [
                    ChartSeries(_(CHECKIN_NAMES[k]), h.checkins[k], "line", *CHECKIN_LOOKS[k])
                    for k in insights.CHECKINS
                ],
                y_max=10,
                long_labels=day_long,
                empty_text=_("No check-ins in this week.")
                if week
                else _("No check-ins in this month."),
            ),
            _(
                "How much client material stayed with you, your energy, and how connected "
                "the work felt, from your end-of-day reflections."
            ),
        )
    )
    break_labels = [text.day_short(d) if week else text.day_month_short(d) for d in h.break_labels]
    break_long = [text.day_heading(d) if week else week_of(d) for d in h.break_labels]
    out.append(
        (
            "breaks",
            ChartSpec(
                _("Breaks offered and taken by day")
                if week
                else _("Breaks offered and taken by week"),
                break_labels,
                [
                    ChartSeries(_("Offered"), [float(v) for v in h.breaks_offered], role="accent"),
                    ChartSeries(_("Taken"), [float(v) for v in h.breaks_taken], role="accent"),
                ],
                overlay=True,
                long_labels=break_long,
                empty_text=_("No breaks offered in this week.")
                if week
                else _("No breaks offered in this month."),
            ),
            "",
        )
    )
    out.append(
        (
            "heavy",
            ChartSpec(
                _("Heavy sessions, share per week"),
                week_labels,
                [ChartSeries(_("Heavy share"), h.heavy_share_per_week, role="third")],
                unit="%",
                y_max=100,
                limit=float(h.limit_percent),
                limit_label=_("your limit {percent}%").format(percent=h.limit_percent),
                long_labels=week_long,
                empty_text=_("No sessions counted in these weeks."),
            ),
            "",
        )
    )
    out.append(
        (
            "glimmers",
            ChartSpec(
                _("Glimmers per week"),
                week_labels,
                [ChartSeries(_("Glimmers"), [float(v) for v in h.glimmers_per_week], role="warm")],
                long_labels=week_long,
                empty_text=_("No glimmers noted in these weeks."),
            ),
            "",
        )
    )
    out.append(_activation(h, titles))
    return out


def _activation(h: insights.History, titles: Mapping[str, str]) -> Chart:
    drops = list(h.activation)
    needed = insights.ACTIVATION_MIN_RATINGS
    note = ngettext(
        "How much your own 0-10 activation rating fell, on average, from before a practice "
        "to after it, over the past year. A practice shows from {n} rated session.",
        "How much your own 0-10 activation rating fell, on average, from before a practice "
        "to after it, over the past year. A practice shows from {n} rated sessions.",
        needed,
    ).format(n=needed)
    pending = ", ".join(
        # Translators: a practice still gathering ratings: "Box breathing (3 of 5)".
        _("{practice} ({rated} of {needed})").format(
            practice=titles.get(ex, ex), rated=n, needed=needed
        )
        for ex, n in h.activation_pending
    )
    if pending:
        note = _("{note} Still gathering: {practices}.").format(note=note, practices=pending)
    return (
        "activation",
        ChartSpec(
            _("What settles you most"),
            [titles.get(d.exercise, d.exercise) for d in drops],
            [ChartSeries(_("Mean drop"), [round(d.mean_drop, 1) for d in drops])],
            horizontal=True,
            decimals=1,
            long_labels=[
                ngettext("{practice} ({n} rating)", "{practice} ({n} ratings)", d.ratings).format(
                    practice=titles.get(d.exercise, d.exercise), n=d.ratings
                )
                for d in drops
            ],
            empty_text=_(
                "Rate how activated you feel before and after a practice, and this fills in."
            ),
        ),
        note,
    )


def placeholder_specs(period: insights.Period, status: str, limit_percent: int) -> list[Chart]:
    """The charts of `period` with no data yet, each saying `status` to screen readers
    ("Loading…"): their titles, axes and legends are there, so nothing jumps later."""
    empty = insights.history([], period, limit_percent)
    return [
        (key, dataclasses.replace(spec, status=status), note)
        for key, spec, note in chart_specs(empty, {})
    ]
