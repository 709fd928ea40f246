"""Words for people, ready for translation: `_`, `N_`, `ngettext` and `pgettext` on the
standard library's gettext.

It needs no Qt, so the core and the command line speak through it too (Picard's
`picard/i18n.py` and Safe Eyes do the same). Rules of the house:

- Mark every user-visible string: `_("Save")`. Text built from parts is one message
  with named fields, never glued fragments: `_("{n} min until {time}").format(...)`.
- Counts go through `ngettext("{n} session", "{n} sessions", n).format(n=n)`.
- A string kept in a module-level constant is marked with `N_` (it only marks it for
  extraction) and translated where it is shown with `_`: the language is chosen at
  start-up, after those modules were imported.
- Logs are not translated: they are for whoever reads the log file, and stay greppable.

The language comes from `COMPANION_LANG` when set, else from the usual `LANGUAGE`,
`LC_ALL`, `LC_MESSAGES` and `LANG`. English is the only real language for now. The
pseudo-locale, `COMPANION_LANG=pseudo`, wraps every translated string in ⟦ ⟧, accents
its letters and makes it about 40 % longer, so a screenshot or a test shows at once any
string that was not marked and any text that a longer language would cut off.

`make pot` extracts the catalog template, `assets/locale/grounding-companion.pot`.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.assets import asset

if TYPE_CHECKING:
    from datetime import datetime, time

DOMAIN = "grounding-companion"
PSEUDO = "pseudo"
OPEN, CLOSE = "⟦", "⟧"
#: Translation contexts whose messages are patterns read by a program (Qt's date
#: patterns): the pseudo-locale leaves those alone and wraps what they produce instead.
UNTOUCHED_CONTEXTS = frozenset({"Qt date pattern"})

# What the pseudo-locale must leave exactly as it is: format fields ({n}, {time:%H:%M}),
# %-style fields, markup tags and entities, and the letter after a Qt mnemonic "&".
_PROTECTED = re.compile(
    r"\{[^{}]*\}"  # str.format fields
    r"|%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +-]*\d*(?:\.\d+)?[sdifr%]"  # %-fields
    r"|<[^<>]*>"  # markup tags
    r"|&(?:[a-zA-Z]+|#\d+);"  # entities
    r"|&&|&\w"  # a literal ampersand, a mnemonic and its letter
    r"|https?://\S+"  # links stay usable
)
_WORD = re.compile(r"[^\W\d_]+")
_ACCENTED = str.maketrans(
    "AaCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåÇçĐđÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŘřŠšŢţÛûŴŵÝýŽž",
)
_VOWELS = frozenset("aeiouyAEIOUY")


def _lengthen(word: str) -> str:
    """A word about 40 % longer, accented: vowels are drawn out, as in a slow voice."""
    want = round(len(word) * 1.4 + 0.49)  # at least one more letter for any word
    out = []
    extra = want - len(word)
    vowels = sum(1 for ch in word if ch in _VOWELS) or 1
    each, rest = divmod(extra, vowels)
    for ch in word:
        out.append(ch)
        if ch in _VOWELS or (not any(c in _VOWELS for c in word) and ch == word[-1]):
            n = each + (1 if rest > 0 else 0)
            rest -= 1
            out.append(ch.lower() * n)
    return "".join(out).translate(_ACCENTED)


def pseudo(text: str) -> str:
    """`text` as the pseudo-locale shows it: ⟦Šéééttíííñĝš⟧ for "Settings"."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for match in _PROTECTED.finditer(text):
        parts.append(_WORD.sub(lambda m: _lengthen(m.group(0)), text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_WORD.sub(lambda m: _lengthen(m.group(0)), text[last:]))
    return OPEN + "".join(parts) + CLOSE


class PseudoTranslations(_gettext.NullTranslations):
    """Every message wrapped, accented and lengthened (see `pseudo`)."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        if context in UNTOUCHED_CONTEXTS:  # a pattern for the machine: the result is wrapped
            return message
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def localedir() -> str:
    return str(asset("locale"))


def use(language: str | None = None) -> str:
    """Choose the language: "pseudo", a code such as "de", or None for the
    environment's (`COMPANION_LANG`, then gettext's usual variables). Returns the
    language in use; one without a catalog falls back to English."""
    global _translation, _language  # noqa: PLW0603 (the process's one language)
    if language is None:
        language = os.environ.get("COMPANION_LANG") or None
    if language == PSEUDO:
        _translation, _language = PseudoTranslations(), PSEUDO
        return _language
    languages = [language] if language else None
    _translation = _gettext.translation(DOMAIN, localedir(), languages, fallback=True)
    info = _translation.info() if type(_translation) is not _gettext.NullTranslations else {}
    _language = info.get("language", "en") or "en"
    return _language


def language() -> str:
    """The language in use: "en", "pseudo" or a catalog's code."""
    return _language


def _(message: str) -> str:
    """The message in the person's language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Marks a message for extraction without translating it (translate where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The right plural form for `n` (use a {n} field in both forms)."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose meaning needs a context for the translator ("verb", "heading")."""
    return _translation.pgettext(context, message)


#: The app's name, marked so a translation may write it its own way; show it as _(APP_NAME).
APP_NAME = N_("Grounding Companion")


def _hhmm(value: datetime | time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


_time_format: Callable[[datetime | time], str] = _hhmm


def hm(value: datetime | time) -> str:
    """A time of day as this person reads it ("09:00", or "9:00 AM" in a 12-hour locale
    once the windows have installed the locale's format). The command line keeps 24-hour
    HH:MM, which every reader and every script understands."""
    return _time_format(value)


def set_time_format(fmt: Callable[[datetime | time], str] | None) -> None:
    """Install how `hm` writes a time (the UI installs the locale's); None: HH:MM."""
    global _time_format  # noqa: PLW0603 (one format for the process)
    _time_format = fmt or _hhmm


use()
