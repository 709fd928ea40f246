"""Exports of the journal: JSON (everything), CSV (one file per record type), Markdown
(a readable journal, a heading per day). Only journal records go out, and the journal
holds nothing from a calendar event, so no export can carry a client's name unless the
user typed it into a glimmer or reflection themselves."""

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
from companion.core.files import ensure_private_dir, write_atomic
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
    to_doc,
)


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


def to_csv_files(records: Iterable[Record], folder: Path) -> list[Path]:
    """Write `<kind>s.csv` for every record type (header only when there are none)."""
    ensure_private_dir(folder)
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
        write_atomic(path, buf.getvalue().encode("utf-8"))
        written.append(path)
    return written


# --- Markdown ---------------------------------------------------------------------------


def _minutes(seconds: int) -> str:
    m = round(seconds / 60)
    return "under a minute" if m < 1 else f"{m} min"


def _day_heading(day: date) -> str:
    return f"## {day.strftime('%A')} {day.isoformat()}"


def _slider(label: str, value: int | None) -> str | None:
    return None if value is None else f"{label} {value}/10"


def to_markdown(records: Sequence[Record], titles: dict[str, str] | None = None) -> str:
    """A journal a person can read: a heading per day, glimmers and answers as prose."""
    titles = titles or {}
    days: dict[date, list[Record]] = defaultdict(list)
    for r in records:
        days[r.on].append(r)
    lines = ["# Grounding Companion journal", ""]
    if not days:
        lines += ["Nothing recorded yet.", ""]
    for day in sorted(days):
        items = sorted(days[day], key=lambda r: r.at)
        lines += [_day_heading(day), ""]
        summary = [r for r in items if isinstance(r, DaySummaryRecord)]
        offers = [r for r in items if isinstance(r, OfferRecord)]
        practices = [r for r in items if isinstance(r, PracticeRecord)]
        if summary:
            s = summary[-1]
            heavy = f", {s.heavy} of them heavy" if s.heavy else ""
            lines.append(f"{s.sessions} sessions{heavy}.")
        if offers:
            taken = sum(1 for o in offers if o.outcome == "taken")
            lines.append(f"{len(offers)} breaks offered, {taken} taken.")
        for p in practices:
            name = titles.get(p.exercise, p.exercise)
            how = "completed" if p.completed else "ended early"  # stopped, or skipped through
            ratings = ""
            if p.rating_before is not None and p.rating_after is not None:
                ratings = f"; activation {p.rating_before} → {p.rating_after}"
            lines.append(
                f"- {p.at.strftime('%H:%M')} {name}, {_minutes(p.actual_seconds)} ({how}{ratings})"
            )
        if summary or offers or practices:
            lines.append("")
        for g in (r for r in items if isinstance(r, GlimmerRecord)):
            felt = f" (felt in: {', '.join(g.felt_in)})" if g.felt_in else ""
            lines += [f"**Glimmer, {g.at.strftime('%H:%M')}:** {g.text}{felt}", ""]
        for ref in (r for r in items if isinstance(r, ReflectionRecord)):
            lines += _reflection_lines(ref)
        for n in (r for r in items if isinstance(r, NoteShownRecord)):
            if n.dismissed:
                lines += ["*You set the note aside.*", ""]
            else:
                lines += [f"*A note was shown: {n.note}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def _reflection_lines(ref: ReflectionRecord) -> list[str]:
    if ref.skipped:
        return ["*Reflection skipped today.*", ""]
    out = ["### Reflection", ""]
    if ref.resilience:
        out += [f"A moment of resilience I witnessed: {ref.resilience}", ""]
    if ref.body:
        out += [f"Where I felt it: {ref.body}", ""]
    if ref.did_well:
        out += [f"Something I did well: {ref.did_well}", ""]
    sliders = [
        s
        for s in (
            _slider("client material still with me", ref.still_with_me),
            _slider("energy", ref.energy),
            _slider("connection in the work", ref.connected),
        )
        if s
    ]
    if sliders:
        out += ["Check-in: " + "; ".join(sliders) + ".", ""]
    if ref.warning_signs:
        out += ["Noticed today: " + ", ".join(ref.warning_signs) + ".", ""]
    if ref.supervision:
        out += [f"Supervision or peer consultation this week: {ref.supervision}.", ""]
    return out
