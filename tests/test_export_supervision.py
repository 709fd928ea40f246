"""`companion export --supervision` (issue 12, item 6): one page for supervision holding
the marked glimmers and reflections in the person's words, the check-in in words and the
heavy share against their own limit, and nothing else personal: no unmarked text, and
nothing from a calendar (the journal holds none; a configured feed full of markers is
never read)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from companion.cli import main
from companion.core import supervision
from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import (
    DaySummaryRecord,
    GlimmerRecord,
    PracticeRecord,
    Record,
    ReflectionRecord,
)
from companion.core.settings import CalendarSource, Settings, save_settings

MARK = "CLIENT-WILLOWBROOK-4417"
TODAY = datetime.now().astimezone().date()


def at(day: date, hh: int = 17) -> datetime:
    return datetime.combine(day, time(hh)).astimezone()


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def reflection(day: date, **kw: object) -> ReflectionRecord:
    return ReflectionRecord(at=at(day), day=day, **kw)  # type: ignore[arg-type]


def filled(data_dir: Path, records: list[Record], limit: int = 40) -> None:
    paths = resolve_paths(data_dir).ensure()
    journal = Journal(paths, FakeClock(at(TODAY, 18))).open()
    for r in records:
        journal.add(r)
    feed = data_dir.parent / "work.ics"
    stamp = TODAY.strftime("%Y%m%d")
    feed.write_text(
        "\r\n".join(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//t//t//EN",
                "BEGIN:VEVENT",
                "UID:e1@t",
                f"DTSTART:{stamp}T090000",
                f"DTEND:{stamp}T095000",
                f"SUMMARY:{MARK} (intake)",
                f"DESCRIPTION:Notes on {MARK}",
                "END:VEVENT",
                "END:VCALENDAR",
                "",
            ]
        )
    )
    settings = Settings(
        heavy_limit_percent=limit,
        schedule_source="calendar",
        schedule_confirmed=True,
        calendars=(CalendarSource(id="c1", kind="file", path=str(feed)),),
    )
    save_settings(paths.settings, settings)


def private_journal() -> list[Record]:
    """Marked and unmarked words, every unmarked one carrying the marker."""
    return [
        GlimmerRecord(at=at(ago(3), 11), text="she trusted the silence", for_supervision=True),
        GlimmerRecord(at=at(ago(3), 12), text=f"{MARK} smiled", felt_in=("chest",)),
        GlimmerRecord(at=at(ago(40), 12), text="too old to be asked for", for_supervision=True),
        reflection(
            ago(2),
            went_well="I named the pattern",
            resilience="he asked for help",
            felt_in=("numb",),
            set_down="Tuesday",
            warning_signs=("hyperarousal", "worldview"),
            still_with_me=8,
            for_supervision=True,
        ),
        reflection(
            ago(1),
            went_well=f"{MARK} went well",
            resilience=f"{MARK} again",
            body=f"{MARK} in my chest",
            set_down=MARK,
            keeps_me=MARK,
            still_with_me=8,
        ),
        PracticeRecord(
            at=at(ago(1), 10),
            exercise="box-5",
            planned_seconds=300,
            actual_seconds=300,
            completed=True,
        ),
    ]


def test_marked_words_in_unmarked_words_out(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(data_dir, private_journal())
    assert main(["export", "--supervision"]) == 0
    out, err = capsys.readouterr()
    assert MARK not in out and MARK not in err
    assert out.startswith("# For supervision")
    for mine in ("she trusted the silence", "I named the pattern", "he asked for help", "Tuesday"):
        assert mine in out
    assert "numb" in out and "on guard" in out  # where it was felt, what was noticed
    assert "too old to be asked for" not in out  # before the default 30 days
    assert "box-5" not in out  # practices are not part of the page

    assert main(["export", "--format", "md", "--supervision", "--since", ago(60).isoformat()]) == 0
    assert "too old to be asked for" in capsys.readouterr().out


def test_the_trend_in_words_and_the_heavy_share_against_the_limit(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records: list[Record] = []
    for n in range(28):
        day = ago(n)
        # still with me: 3 in the last two weeks, 7 in the two before; energy flat
        records.append(reflection(day, still_with_me=3 if n < 14 else 7, energy=5))
        if n < 20:
            records.append(DaySummaryRecord(at=at(day, 18), day=day, sessions=5, heavy=3))
    filled(data_dir, records, limit=50)
    out = tmp_out = data_dir.parent / "sup.md"
    assert main(["export", "--supervision", "--out", str(tmp_out)]) == 0
    text = out.read_text()
    assert (
        "Client material still with me: lower in the last two weeks than in the two before." in text
    )
    assert "Energy: about the same in the last two weeks as in the two before." in text
    assert "100 sessions, 60 heavy: 60 %, above my own limit of 50 %." in text
    assert "/10" not in text  # no scores
    assert "Nothing marked in this time." in text
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()


def test_within_the_limit_and_too_few_check_ins() -> None:
    records: list[Record] = [
        DaySummaryRecord(at=at(ago(1)), day=ago(1), sessions=6, heavy=1),
        reflection(ago(1), energy=3),
    ]
    page = supervision.to_markdown(records, TODAY, 50)
    assert "6 sessions, 1 heavy: 17 %, within my own limit of 50 %." in page
    assert "Energy: too few check-ins in the last two weeks to say." in page


def test_supervision_is_markdown_and_since_goes_with_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "--supervision", "--format", "json"]) == 1
    assert "--supervision writes Markdown" in capsys.readouterr().err
    assert main(["export", "--since", "2026-01-01"]) == 1
    assert "--since goes with --supervision" in capsys.readouterr().err
    assert main(["export", "--supervision", "--since", "last week"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.usefixtures("pseudo_locale")
def test_the_page_is_in_the_persons_language(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion import i18n

    filled(data_dir, private_journal())
    assert main(["export", "--supervision"]) == 0
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings and all(i18n.OPEN in line for line in headings)
    assert "she trusted the silence" in out  # the person's words, never translated
    assert MARK not in out


# --- review: the line it prints, the signs, one voice, a date to come -----------------------


def test_writing_the_page_says_what_was_written_not_the_whole_journal(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(data_dir, private_journal())
    out = data_dir.parent / "sup.md"
    assert main(["export", "--supervision", "--out", str(out)]) == 0
    said = capsys.readouterr().err.strip()
    # two marked items in the last 30 days (a glimmer, a reflection), of six records
    assert said == f"Wrote the supervision summary (2 marked items) to {out}"
    assert "record" not in said


def test_warning_signs_are_kept_apart_by_semicolons() -> None:
    day = ago(1)
    page = supervision.to_markdown(
        [reflection(day, warning_signs=("hyperarousal", "worldview"), for_supervision=True)],
        TODAY,
        50,
    )
    assert (
        "Noticed that day: on guard, hard to switch off; "
        "the world seeming less safe, people less trustworthy" in page
    )


def test_the_page_speaks_in_one_voice_the_first_person() -> None:
    records: list[Record] = [
        reflection(ago(n), energy=4, warning_signs=("intrusion", "body")) for n in range(5)
    ]
    records += [
        DaySummaryRecord(at=at(ago(n), 18), day=ago(n), sessions=5, heavy=4) for n in range(5)
    ]
    page = supervision.to_markdown(records, TODAY, 50)
    assert "on 5 of 5 days I reflected" in page
    assert "above my own limit of 50 %" in page
    assert "Weeks above my limit:" in page
    lowered = page.lower()
    assert " you " not in lowered and " your " not in lowered


def test_a_since_date_still_to_come_is_refused_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(data_dir, private_journal())
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert main(["export", "--supervision", "--since", tomorrow]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and tomorrow in lines[0] and "future" in lines[0]
    assert main(["export", "--supervision", "--since", TODAY.isoformat()]) == 0
