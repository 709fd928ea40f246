"""A one-page summary to take to supervision or peer consultation
(`companion export --format md --supervision [--since DATE]`).

No client details, by construction: the page is built from three things only, and
nothing else in the journal is read for it:

* the text of glimmers and reflections the person marked "Bring to supervision"
  (`for_supervision`), in their own words; nothing unmarked, ever;
* the check-in trend in words: each 0-10 slider's mean over the last two weeks against
  the two weeks before, said as "lower", "higher" or "about the same" (no scores, no
  verdicts), and how many days carried two or more warning signs;
* the heavy share of sessions against the person's own limit, from the day summaries,
  which hold counts and nothing from any calendar event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from companion.core.daynames import weekday_name
from companion.core.insights import day_counts, monday_of, saved_reflections
from companion.core.records import (
    GlimmerRecord,
    Record,
    ReflectionRecord,
    felt_in_label,
)
from companion.i18n import N_, _, ngettext

DEFAULT_DAYS = 30
TREND_DAYS = 14
TREND_MIN_VALUES = 3  # check-ins in each fortnight before a direction is named
TREND_SAME = 0.5  # a change of less than this (on 0-10) is "about the same"
WARNING_MIN_FAMILIES = 2

CHECKIN_NAMES = (
    ("still_with_me", N_("Client material still with me")),
    ("energy", N_("Energy")),
    ("connected", N_("Connection in the work")),
)
SIGN_WORDS = {
    "intrusion": N_("client images or dreams coming back"),
    "avoidance": N_("dreading or steering away from some material"),
    "emotional-shift": N_("feeling numb, irritable or helpless"),
    "body": N_("in the body: sleep, headaches, tension, tiredness"),
    "hyperarousal": N_("on guard, hard to switch off"),
    "worldview": N_("the world seeming less safe, people less trustworthy"),
}


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_DAYS)


def flagged(records: Iterable[Record], since: date, today: date) -> list[Record]:
    """The glimmers and reflections marked for supervision in [since, today], oldest first."""
    out = [
        r
        for r in records
        if isinstance(r, GlimmerRecord | ReflectionRecord)
        and r.for_supervision
        and since <= r.on <= today
        and not (isinstance(r, ReflectionRecord) and r.skipped)
    ]
    return sorted(out, key=lambda r: r.at)


def marked_count(records: Iterable[Record], today: date, since: date | None = None) -> int:
    """How many marked items the page for [since, today] holds."""
    return len(flagged(records, since or default_since(today), today))


def wrote_line(marked: int, path: object) -> str:
    """What is said once the page is written (the command line and Settings say the same)."""
    return ngettext(
        "Wrote the supervision summary ({n} marked item) to {path}",
        "Wrote the supervision summary ({n} marked items) to {path}",
        marked,
    ).format(n=marked, path=path)


def since_problem(since: date, today: date) -> str | None:
    """Why `since` cannot start the page (a day still to come), or None."""
    if since > today:
        return _("{since} is in the future; give a day up to today ({today})").format(
            since=since.isoformat(), today=today.isoformat()
        )
    return None


def _date(day: date) -> str:
    return _("{weekday} {date}").format(weekday=weekday_name(day), date=day.isoformat())


def _glimmer_lines(g: GlimmerRecord) -> list[str]:
    line = "- " + _("A glimmer: {text}").format(text=g.text)
    if g.felt_in:
        places = ", ".join(felt_in_label(p) for p in g.felt_in)
        line += " " + _("(felt in: {places})").format(places=places)
    return [line]


def _reflection_lines(r: ReflectionRecord) -> list[str]:
    out = []
    if r.went_well:
        out.append(_("What went well, and my part in it: {text}").format(text=r.went_well))
    if r.did_well:
        out.append(_("Something I did well: {text}").format(text=r.did_well))
    if r.resilience:
        out.append(_("A moment of resilience I witnessed: {text}").format(text=r.resilience))
    felt = [felt_in_label(p) for p in r.felt_in] + ([r.body] if r.body else [])
    if felt:
        out.append(_("Where I felt it: {text}").format(text="; ".join(felt)))
    if r.set_down:
        out.append(_("What I set down: {text}").format(text=r.set_down))
    if r.keeps_me:
        out.append(_("What keeps me in this work: {text}").format(text=r.keeps_me))
    if r.warning_signs:
        # the signs hold commas of their own ("sleep, headaches, tension")
        signs = "; ".join(_(SIGN_WORDS[s]) for s in r.warning_signs if s in SIGN_WORDS)
        if signs:
            out.append(_("Noticed that day: {signs}").format(signs=signs))
    if not out:
        out.append(_("A reflection, marked with no words"))
    return ["- " + line for line in out]


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def trend_lines(reflections: dict[date, ReflectionRecord], today: date) -> list[str]:
    """Each check-in slider: the last two weeks against the two before, in words."""
    recent = [today - timedelta(days=n) for n in range(TREND_DAYS)]
    before = [today - timedelta(days=TREND_DAYS + n) for n in range(TREND_DAYS)]
    lines = []
    for key, name_text in CHECKIN_NAMES:
        name = _(name_text)
        now = [v for d in recent if (v := _value(reflections.get(d), key)) is not None]
        then = [v for d in before if (v := _value(reflections.get(d), key)) is not None]
        a, b = _mean(now), _mean(then)
        if len(now) < TREND_MIN_VALUES:
            line = _("{name}: too few check-ins in the last two weeks to say.")
        elif b is None or len(then) < TREND_MIN_VALUES:
            line = _("{name}: too few check-ins in the two weeks before to compare with.")
        elif a is not None and abs(a - b) < TREND_SAME:
            line = _("{name}: about the same in the last two weeks as in the two before.")
        elif a is not None and a < b:
            line = _("{name}: lower in the last two weeks than in the two before.")
        else:
            line = _("{name}: higher in the last two weeks than in the two before.")
        lines.append("- " + line.format(name=name))
    return lines


def _value(r: ReflectionRecord | None, key: str) -> int | None:
    value = getattr(r, key, None) if r is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def warning_line(reflections: dict[date, ReflectionRecord], since: date, today: date) -> str:
    days = [r for d, r in reflections.items() if since <= d <= today]
    many = sum(1 for r in days if len(set(r.warning_signs)) >= WARNING_MIN_FAMILIES)
    if not days:
        return "- " + _("No reflections saved in this time.")
    return "- " + ngettext(
        "Two or more warning signs ticked on {many} of {n} day I reflected.",
        "Two or more warning signs ticked on {many} of {n} days I reflected.",
        len(days),
    ).format(many=many, n=len(days))


def sessions_lines(records: Iterable[Record], since: date, today: date, limit: int) -> list[str]:
    """The heavy share of sessions since `since` against the person's own limit, and in
    how many weeks with sessions it was above that limit."""
    counts = {d: c for d, c in day_counts(records).items() if since <= d <= today}
    sessions = sum(s for s, _h in counts.values())
    heavy = sum(h for _s, h in counts.values())
    if not sessions:
        return ["- " + _("No sessions counted in this time.")]
    share = round(100 * heavy / sessions)
    if 100 * heavy > limit * sessions:
        line = ngettext(
            "{n} session, {heavy} heavy: {share} %, above my own limit of {limit} %.",
            "{n} sessions, {heavy} heavy: {share} %, above my own limit of {limit} %.",
            sessions,
        )
    else:
        line = ngettext(
            "{n} session, {heavy} heavy: {share} %, within my own limit of {limit} %.",
            "{n} sessions, {heavy} heavy: {share} %, within my own limit of {limit} %.",
            sessions,
        )
    out = ["- " + line.format(n=sessions, heavy=heavy, share=share, limit=limit)]
    weeks: dict[date, list[int]] = {}
    for d, (s, h) in counts.items():
        w = weeks.setdefault(monday_of(d), [0, 0])
        w[0] += s
        w[1] += h
    worked = [w for w in weeks.values() if w[0]]
    above = sum(1 for s, h in worked if 100 * h > limit * s)
    out.append(
        "- "
        + ngettext(
            "Weeks above my limit: {above} of {n}.",
            "Weeks above my limit: {above} of {n}.",
            len(worked),
        ).format(above=above, n=len(worked))
    )
    return out


def to_markdown(
    records: Sequence[Record],
    today: date,
    limit_percent: int,
    since: date | None = None,
) -> str:
    """The one-page summary for supervision, in the person's language."""
    since = since or default_since(today)
    reflections = saved_reflections(r for r in records if isinstance(r, ReflectionRecord))
    lines = [
        "# " + _("For supervision"),
        "",
        _("{start} to {end}").format(start=_date(since), end=_date(today)),
        "",
        "*"
        + _(
            "Only what I marked to bring to supervision, in my own words, and a few counts. "
            "Nothing else from my journal."
        )
        + "*",
        "",
        "## " + _("What I marked"),
        "",
    ]
    marked = flagged(records, since, today)
    if not marked:
        lines += [_("Nothing marked in this time."), ""]
    by_day: dict[date, list[Record]] = {}
    for r in marked:
        by_day.setdefault(r.on, []).append(r)
    for day in sorted(by_day):
        lines += ["### " + _date(day), ""]
        for r in by_day[day]:
            if isinstance(r, GlimmerRecord):
                lines += _glimmer_lines(r)
            elif isinstance(r, ReflectionRecord):
                lines += _reflection_lines(r)
        lines.append("")
    lines += ["## " + _("The check-in, in words"), ""]
    lines += trend_lines(reflections, today)
    lines += [warning_line(reflections, since, today), ""]
    lines += ["## " + _("Sessions"), ""]
    lines += sessions_lines(records, since, today, limit_percent)
    lines += [
        "",
        "*" + _("These are patterns, not a verdict: something to talk through.") + "*",
    ]
    return "\n".join(lines).rstrip() + "\n"
