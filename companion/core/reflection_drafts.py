"""The reflection draft with the second-pass questions: what went well, where it was felt
(with "not sure" and "numb"), a word to set down, the monthly "what keeps you in this
work?" and the flag to bring the day to supervision.

`companion.core.drafts` keeps the first three questions, the sliders and the warning
signs; this adds the newer fields to the same file (the older reader ignores keys it does
not know, so a draft written here is still read there, and the other way round).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date

from companion.core.drafts import Draft, DraftStore
from companion.core.records import REFLECTION_FELT_IN


@dataclass(frozen=True)
class ReflectionDraft(Draft):
    went_well: str = ""
    felt_in: tuple[str, ...] = ()
    set_down: str = ""
    keeps_me: str = ""
    for_supervision: bool = False

    @property
    def is_empty(self) -> bool:
        return self == ReflectionDraft(day=self.day)


EXTRA = ("went_well", "felt_in", "set_down", "keeps_me", "for_supervision")


class ReflectionDraftStore(DraftStore):
    def load(self, day: date) -> ReflectionDraft | None:
        base = super().load(day)
        if base is None:
            return None
        try:
            raw = json.loads(self.path_for(day).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        felt = raw.get("felt_in")
        return ReflectionDraft(
            **{f.name: getattr(base, f.name) for f in fields(Draft)},
            went_well=_text(raw.get("went_well")),
            felt_in=tuple(p for p in REFLECTION_FELT_IN if isinstance(felt, list) and p in felt),
            set_down=_text(raw.get("set_down")),
            keeps_me=_text(raw.get("keeps_me")),
            for_supervision=raw.get("for_supervision") is True,
        )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
