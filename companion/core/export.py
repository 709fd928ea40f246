"""Exports of the journal: JSON (everything), CSV (one file per record type), Markdown
(a readable journal, a heading per day). Only journal records go out, and the journal
holds nothing from a calendar event, so no export can carry a client's name unless the
user typed it into a glimmer or reflection themselves.

An export goes wherever the person asks, often a folder that is not the app's (their
home folder, a shared folder): the exported files are 0600, and the folder's own mode is
left alone (`write_export`). A folder the export has to create is made 0700."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from companion import __version__
from companion.core.daynames import weekday_name
from companion.core.files import DIR_MODE, write_atomic
from companion.core.journal import SCHEMA_VERSION
from companion.core.records import (
    RECORD_TYPES,
    DaySummaryRecord,
    GlimmerRecord,
    NoteShownRecord,
    OfferRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
    felt_in_label,
    to_doc,
)
from companion.i18n import _, hm, ngettext


def to_json(records: Sequence[Record], exported_at: datetime) -> str:
    payload = {
        "app": "grounding-companion",
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "records": [to_doc(r) for r in records],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def csv_columns(kind: str) -> list[str]:
    return ["type", *(f.name for f in fields(RECORD_TYPES[kind]))]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_export(path: Path, data: bytes) -> None:
    """Write an exported file: atomically, 0600, without touching its folder's mode."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    write_atomic(path, data, private_dir=False)


def to_csv_files(records: Iterable[Record], folder: Path) -> list[Path]:
    """Write `<kind>s.csv` for every record type (header only when there are none)."""
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_kind[r.kind].append(r)
    written = []
    for kind in RECORD_TYPES:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=csv_columns(kind), lineterminator="\n")
        writer.writeheader()
        for r in by_kind.get(kind, []):
            writer.writerow({k: _cell(v) for k, v in to_doc(r).items()})
        path = folder / f"{kind}s.csv"
        write_export(path, buf.getvalue().encode("utf-8"))
        written.append(path)
    return written


# --- Markdown ---------------------------------------------------------------------------
# Words are the person's language; markup (#, *, -) and what the journal holds (typed text,
# warning-sign and supervision keys) are written as they are.


def _minutes(seconds: int) -> str:
    m = round(seconds / 60)
    return _("under a minute") if m < 1 else _("{n} min").format(n=m)


def _day_heading(day: date) -> str:
    return "## " + _("{weekday} {date}").format(weekday=weekday_name(day), date=day.isoformat())


def _practice_line(p: PracticeRecord, name: str) -> str:
    fields = {"time": hm(p.at), "name": name, "duration": _minutes(p.actual_seconds)}
    rated = p.rating_before is not None and p.rating_after is not None
    if p.completed:
        text = (
            _("{time} {name}, {duration} (completed; activation {before} → {after})")
            if rated
            else _("{time} {name}, {duration} (completed)")
        )
    else:  # stopped, or skipped through
        text = (
            _("{time} {name}, {duration} (ended early; activation {before} → {after})")
            if rated
            else _("{time} {name}, {duration} (ended early)")
        )
    return "- " + text.format(**fields, before=p.rating_before, after=p.rating_after)


def _glimmer_line(g: GlimmerRecord) -> str:
    head = "**" + _("Glimmer, {time}:").format(time=hm(g.at)) + "** "
    mark = " *" + _("(to bring to supervision)") + "*" if g.for_supervision else ""
    if not g.felt_in:
        return head + g.text + mark
    places = ", ".join(felt_in_label(place) for place in g.felt_in)
    return head + _("{text} (felt in: {places})").format(text=g.text, places=places) + mark


def to_markdown(records: Sequence[Record], titles: dict[str, str] | None = None) -> str:
    """A journal a person can read: a heading per day, glimmers and answers as prose."""
    titles = titles or {}
    days: dict[date, list[Record]] = defaultdict(list)
    for r in records:
        days[r.on].append(r)
    lines = ["# " + _("Grounding Companion journal"), ""]
    if not days:
        lines += [_("Nothing recorded yet."), ""]
    for day in sorted(days):
        items = sorted(days[day], key=lambda r: r.at)
        lines += [_day_heading(day), ""]
        summary = [r for r in items if isinstance(r, DaySummaryRecord)]
        offers = [r for r in items if isinstance(r, OfferRecord)]
        practices = [r for r in items if isinstance(r, PracticeRecord)]
        if summary:
            s = summary[-1]
            if s.heavy:
                line = ngettext(
                    "{n} session, {heavy} of them heavy.",
                    "{n} sessions, {heavy} of them heavy.",
                    s.sessions,
                )
            else:
                line = ngettext("{n} session.", "{n} sessions.", s.sessions)
            lines.append(line.format(n=s.sessions, heavy=s.heavy))
        if offers:
            taken = sum(1 for o in offers if o.outcome == "taken")
            lines.append(
                ngettext(
                    "{n} break offered, {taken} taken.",
                    "{n} breaks offered, {taken} taken.",
                    len(offers),
                ).format(n=len(offers), taken=taken)
            )
        for p in practices:
            lines.append(_practice_line(p, titles.get(p.exercise, p.exercise)))
        if summary or offers or practices:
            lines.append("")
        for g in (r for r in items if isinstance(r, GlimmerRecord)):
            lines += [_glimmer_line(g), ""]
        for ref in (r for r in items if isinstance(r, ReflectionRecord)):
            lines += _reflection_lines(ref)
        for n in (r for r in items if isinstance(r, NoteShownRecord)):
            if n.dismissed:
                lines += ["*" + _("You set the note aside.") + "*", ""]
            else:
                lines += ["*" + _("A note was shown: {note}").format(note=n.note) + "*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _reflection_lines(ref: ReflectionRecord) -> list[str]:
    if ref.skipped:
        return ["*" + _("Reflection skipped today.") + "*", ""]
    out = ["### " + _("Reflection"), ""]
    if ref.for_supervision:
        out += ["*" + _("Marked to bring to supervision.") + "*", ""]
    if ref.went_well:
        out += [_("What went well, and my part in it: {text}").format(text=ref.went_well), ""]
    if ref.resilience:
        out += [_("A moment of resilience I witnessed: {text}").format(text=ref.resilience), ""]
    felt = [felt_in_label(place) for place in ref.felt_in] + ([ref.body] if ref.body else [])
    if felt:
        out += [_("Where I felt it: {text}").format(text="; ".join(felt)), ""]
    if ref.did_well:
        out += [_("Something I did well: {text}").format(text=ref.did_well), ""]
    if ref.set_down:
        out += [_("What I set down: {text}").format(text=ref.set_down), ""]
    if ref.keeps_me:
        out += [_("What keeps me in this work: {text}").format(text=ref.keeps_me), ""]
    sliders = []
    if ref.still_with_me is not None:
        sliders.append(
            _("client material still with me {value}/10").format(value=ref.still_with_me)
        )
    if ref.energy is not None:
        sliders.append(_("energy {value}/10").format(value=ref.energy))
    if ref.connected is not None:
        sliders.append(_("connection in the work {value}/10").format(value=ref.connected))
    if sliders:
        out += [_("Check-in: {answers}.").format(answers="; ".join(sliders)), ""]
    if ref.warning_signs:
        out += [_("Noticed today: {signs}.").format(signs=", ".join(ref.warning_signs)), ""]
    if ref.supervision:
        out += [
            _("Supervision or peer consultation this week: {answer}.").format(
                answer=ref.supervision
            ),
            "",
        ]
    return out
