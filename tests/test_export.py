"""What goes into the journal comes out of every export format."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from companion.cli import main
from companion.core.clock import FakeClock
from companion.core.journal import Journal
from companion.core.paths import resolve_paths
from companion.core.records import RECORD_TYPES, from_doc, to_doc
from tests.test_journal import every_kind

AT = datetime(2026, 3, 2, 17, 5, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def filled(data_dir: Path) -> list:
    journal = Journal(resolve_paths(data_dir), FakeClock(AT)).open()
    records = every_kind(AT) + every_kind(AT + timedelta(days=1))
    for r in records:
        journal.add(r)
    return sorted(records, key=lambda r: r.at)


def test_json_export_round_trips(
    filled: list, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [from_doc(d) for d in payload["records"]] == filled
    out = data_dir.parent / "out.json"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["records"] == payload["records"]


def test_csv_export_writes_one_file_per_type(filled: list, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{k}s.csv" for k in RECORD_TYPES)
    for kind in RECORD_TYPES:
        with (folder / f"{kind}s.csv").open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        expected = [to_doc(r) for r in filled if r.kind == kind]
        assert len(rows) == len(expected) == 2
        for row, doc in zip(rows, expected, strict=True):
            assert row["id"] == doc["id"]
            for key, value in doc.items():
                if isinstance(value, list):
                    cells = row[key].split(";") if row[key] else []  # an empty list: ""
                    assert cells == [str(v) for v in value]
                elif isinstance(value, bool):
                    assert row[key] == str(value).lower()
                elif value is None:
                    assert row[key] == ""
                else:
                    assert row[key] == str(value)


def test_markdown_export_reads_like_a_journal(
    filled: list, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "## Monday 2026-03-02" in md and "## Tuesday 2026-03-03" in md
    first_day = md.split("## Tuesday")[0]
    for phrase in (
        "she named her own strength",
        "a client kept a boundary",
        "warmth in the chest",
        "I slowed down",
        "client material still with me 6/10",
        "7 sessions, 2 of them heavy",
        "1 break offered, 1 taken",  # one break: singular since counts go through ngettext
        "activation 7 → 4",
        "intrusion, body",
    ):
        assert phrase in first_day


def test_export_of_an_empty_journal_is_still_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == []
    assert main(["export", "--format", "md"]) == 0
    assert "Nothing recorded yet." in capsys.readouterr().out


@pytest.mark.usefixtures("pseudo_locale")
def test_markdown_words_are_marked_and_what_was_written_is_kept(
    filled: list, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion import i18n

    assert main(["export", "--format", "md"]) == 0
    md = capsys.readouterr().out
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings and all(i18n.OPEN in line for line in headings)
    assert "2026-03-02" in md and "Monday" not in md  # the weekday is a word; the date is data
    assert "she named her own strength" in md  # the person's own words, never translated
    assert "activation 7 → 4" not in md and "7 → 4" in md
    assert main(["export", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert i18n.OPEN not in json.dumps(payload)  # the machine's export is not translated
