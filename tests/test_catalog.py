"""`make pot` extracts one catalog template a translator can work from: the words of the
core, the windows, the command line and the shipped practices, with plural forms and
contexts intact, and nothing that is not for a person to read (citations, logs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("babel")  # the `test` extra installs it; `make pot` needs it


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> object:
    from babel.messages.pofile import read_po

    pot = tmp_path_factory.mktemp("locale") / "grounding-companion.pot"
    bin_dir = Path(sys.executable).parent
    # `-o` names the install stamp as up to date: the test runs the extraction, never pip.
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "pot", f"POT={pot}", f"BIN={bin_dir}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"{pot}: " in result.stdout  # the closing count line
    with pot.open("rb") as fh:
        return read_po(fh)


def _ids(catalog: object) -> dict[object, object]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog}  # type: ignore[attr-defined]


def test_the_template_holds_core_ui_cli_and_practice_words(template: object) -> None:
    found = _ids(template)
    for context, msgid, where in [
        (None, "Reminders paused for the rest of today", "companion/core/status.py"),
        (None, "{name}: the calendar is empty", "companion/core/calendar/scan.py"),
        (None, "{start}–{end}", "companion/ui/text.py"),
        (None, "show a day's sessions and planned breaks", "companion/cli.py"),
        (None, "usage: ", "companion/cli.py"),
        (None, "Box breathing", "assets/exercises/box-5.toml"),
        (
            None,
            "Let the counting go. You might notice your hands, your feet, the room around you.",
            "assets/exercises/box-5.toml",
        ),
        ("month name", "November", "companion/core/daynames.py"),
    ]:
        message = found.get((context, msgid))
        assert message is not None, msgid
        assert where in {path for path, _line in message.locations}, (msgid, message.locations)


def test_plural_and_context_survive_extraction(template: object) -> None:
    found = _ids(template)
    sessions = found[(None, "{n} session")]
    assert sessions.pluralizable and sessions.id == ("{n} session", "{n} sessions")
    pattern = found.get(("Qt date pattern", "dddd d MMMM"))
    assert pattern is not None and "companion/ui/text.py" in {p for p, _l in pattern.locations}
    title = found[(None, "Box breathing")]
    assert "practice box-5: title" in title.auto_comments  # where a translator sees it


def test_citations_and_ids_are_not_for_translation(template: object) -> None:
    ids = [m.id if isinstance(m.id, str) else m.id[0] for m in template]  # type: ignore[attr-defined]
    assert not any("Balban" in i for i in ids)  # a practice's `source` is a citation
    assert "box-5" not in ids
