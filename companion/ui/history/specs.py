"""What Look back says about a period, in the person's language: the period's title
("2–8 March 2026", "March 2026"), the words under it (`companion.core.lookback`), and the
`ChartSpec` of every chart (titles, axis labels, notes, empty states), from
`companion.core.insights.History` and, for what helped per state, `lookback.WhatHelped`.

Dates come from `companion.ui.text` (QLocale names, the order from the translation),
counts from its plurals; nothing here uses strftime. `placeholder_specs` gives the same
charts with no data, so a period that is still loading has its frame on screen at once
and nothing moves when the numbers arrive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from companion.core import insights, lookback
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
STATE_KEYS: tuple[lookback.State, ...] = lookback.DIRECTED  # the "what helped" cards


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


def summary(f: lookback.PeriodFacts) -> str:
    """The words above the charts: "This week: 23 sessions, 6 heavy (26%, your limit
    50%). You took 9 of 17 offered breaks. …" (`companion.core.lookback`)."""
    return " ".join(lookback.summary_sentences(f))


def chart_specs(
    h: insights.History, helped: lookback.WhatHelped, titles: Mapping[str, str]
) -> list[Chart]:
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
                zeros=True,  # sessions and none heavy: 0%, not "no sessions"
                value_labels=True,
                limit=float(h.limit_percent),
                limit_label=_("your limit {percent} %").format(percent=h.limit_percent),
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
    out += [_helped(helped, state, titles) for state in STATE_KEYS]
    return out


HELPED_TITLES = {
    "wired": N_("What helped when you came in wired"),
    "flat": N_("What helped when you came in flat"),
}


def _helped(helped: lookback.WhatHelped, state: lookback.State, titles: Mapping[str, str]) -> Chart:
    rows = helped.shown.get(state, ())
    needed = lookback.MIN_STARTS
    if state == "wired":
        note = _(
            "Over the past year: how often each practice took you from wired to in between. "
            "Ending flat does not count as help."
        )
        if helped.from_scale:
            note = _(
                "{note} On the 0 to 10 scale: from {high} or more, down {points} or more."
            ).format(note=note, high=lookback.SCALE_ACTIVATED, points=lookback.SCALE_NOTICEABLE)
        if helped.low_scale:
            note = ngettext(
                "{note} {n} rating that started at {low} or lower is left out: the scale "
                "cannot tell calm from numb.",
                "{note} {n} ratings that started at {low} or lower are left out: the scale "
                "cannot tell calm from numb.",
                helped.low_scale,
            ).format(note=note, n=helped.low_scale, low=lookback.SCALE_ACTIVATED - 1)
    else:
        note = _(
            "Over the past year: how often each practice brought you up from flat to in "
            "between. Staying flat does not count as help."
        )
    note = ngettext("{note} Shown from {n} start.", "{note} Shown from {n} starts.", needed).format(
        note=note, n=needed
    )
    empty = _("Tap how you feel before and after a practice, and this fills in.")
    pending = ", ".join(
        # Translators: a practice still gathering starts: "Box breathing (3 of 5)".
        _("{practice} ({rated} of {needed})").format(
            practice=titles.get(ex, ex), rated=n, needed=needed
        )
        for ex, n in helped.pending.get(state, ())
    )
    if pending:
        note = _("{note} Still gathering: {practices}.").format(note=note, practices=pending)
    return (
        state,
        ChartSpec(
            _(HELPED_TITLES[state]),
            [titles.get(r.exercise, r.exercise) for r in rows],
            [ChartSeries(_("Helped"), [round(r.percent) for r in rows])],
            unit="%",
            y_max=100,
            horizontal=True,
            long_labels=[
                ngettext(
                    "{practice}: helped {helped} of {n} time",
                    "{practice}: helped {helped} of {n} times",
                    r.started,
                ).format(practice=titles.get(r.exercise, r.exercise), helped=r.helped, n=r.started)
                for r in rows
            ],
            empty_text=empty,
        ),
        note,
    )


def says_little(
    key: str, spec: ChartSpec, h: insights.History, helped: lookback.WhatHelped
) -> bool:
    """A chart with nothing to show, and no "still gathering" to tell: hidden, and named
    in one line instead."""
    if not spec.is_empty() or spec.status:
        return False
    if key == "wired" and helped.low_scale:
        return False  # it says why low 0-10 starts are not counted
    if key in STATE_KEYS:
        return not helped.any_for(key)
    return True


EMPTY_HELPED = lookback.what_helped(())


def placeholder_specs(period: insights.Period, status: str, limit_percent: int) -> list[Chart]:
    """The charts of `period` with no data yet, each saying `status` to screen readers
    ("Loading…"): their titles, axes and legends are there, so nothing jumps later."""
    empty = insights.history([], period, limit_percent)
    return [
        (key, dataclasses.replace(spec, status=status), note)
        for key, spec, note in chart_specs(empty, EMPTY_HELPED, {})
    ]
