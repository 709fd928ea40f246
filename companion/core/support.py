"""The words of "If today was a lot…": the people the clinician chose, then a calm line
for a crisis. One source for the window (companion.ui.support) and `companion support`,
so both say the same.

It asks nothing and assesses nothing: it shows who the person said they would turn to,
and where help is for a crisis (local emergency services; findahelpline.com lists lines
by country; 988 in the US; Samaritans 116 123 in the UK and Ireland). The app never
fetches anything; a link is opened in the person's browser only when they choose it.

`saved_contacts(path)` reads the people even from a settings file that cannot be used
as a whole (say, one other setting is out of range): a person who needs their
supervisor's number must not lose it to an unrelated mistake.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from companion.core.settings import MAX_SUPPORT_CONTACTS, MAX_SUPPORT_TEXT, SupportContact
from companion.i18n import N_, _

FINDAHELPLINE_URL = "https://findahelpline.com"

TITLE = N_("If today was a lot…")
INTRO = N_(
    "Some days stay with you. You don't have to carry them alone: "
    "you might reach out to someone you trust."
)
PEOPLE_HEADING = N_("People you chose")
NO_PEOPLE = N_(
    "No one saved yet. You might add a supervisor, your own therapist or a trusted "
    "colleague, in Settings, on the People tab."
)
UNREADABLE = N_("The people you saved cannot be shown until the settings file is fixed.")
CRISIS_HEADING = N_("In a crisis")
#: One line each, in this order; the window makes the helpline finder a link.
CRISIS_LINES = (
    N_("Call your local emergency number."),
    N_("findahelpline.com lists crisis lines by country."),
    N_("In the US: call or text 988."),
    N_("In the UK and Ireland: Samaritans, 116 123, free, day or night."),
)
#: The line of CRISIS_LINES that names findahelpline.com.
HELPLINE_FINDER = CRISIS_LINES[1]


def person_line(person: SupportContact) -> str:
    """ "Ana Silva (supervisor): 0123 456 789", leaving out what was not given."""
    name = person.name.strip()
    role = person.role.strip()
    reach = person.reach.strip()
    who = _("{name} ({role})").format(name=name, role=role) if role else name
    return _("{who}: {reach}").format(who=who, reach=reach) if reach else who


def render_text(contacts: tuple[SupportContact, ...] | None, *, width: int = 78) -> str:
    """The card as plain text for the terminal: the people (None: they could not be
    read), then the crisis lines; prose wrapped at `width`. Ends with a newline."""
    indent = "  "

    def prose(text: str, lead: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=lead) or [""]

    lines = [_(TITLE), "", *prose(_(INTRO)), ""]
    if contacts is None:
        lines += [*prose(_(UNREADABLE)), ""]
    else:
        lines.append(_(PEOPLE_HEADING))
        if contacts:
            lines += [indent + person_line(p) for p in contacts]
        else:
            lines += prose(_(NO_PEOPLE), indent)
        lines.append("")
    lines.append(_(CRISIS_HEADING))
    lines += [indent + _(line) for line in CRISIS_LINES]
    return "\n".join(lines) + "\n"


def saved_contacts(path: Path) -> tuple[SupportContact, ...] | None:
    """The people kept in the settings file at `path`, read on their own, as far as they
    can be: each well-formed person (a name, text within the limits), at most the
    allowed number. () when the file is missing or holds none; None when the file
    cannot be read as JSON at all."""
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    found = raw.get("support_contacts", [])
    if not isinstance(found, list):
        return ()
    people: list[SupportContact] = []
    for item in found:
        if not isinstance(item, dict):
            continue
        values = {k: item.get(k, "") for k in ("name", "reach", "role")}
        if not all(isinstance(v, str) and len(v) <= MAX_SUPPORT_TEXT for v in values.values()):
            continue
        if not values["name"].strip():
            continue
        people.append(SupportContact(**values))
        if len(people) == MAX_SUPPORT_CONTACTS:
            break
    return tuple(people)
