"""The simulator's English, read once: ``nlu/en-US.yaml``, for the language understanding
(:mod:`.nlu.words`) and the built-in slot types (:mod:`.builtin_slots`), and per locale what its
``nlu/<locale>.yaml`` says differently, merged over it (:func:`words`). It stands outside the ``nlu``
package because the understanding imports :mod:`.builtin_slots`, which reads it too."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LOCALE = "en-US"                # the locale of the source interaction model; the others' words merge over it
NLU_DIR = Path(__file__).parent / "nlu"
WORDS: dict = yaml.safe_load((NLU_DIR / f"{LOCALE}.yaml").read_text(encoding="utf-8"))
# What a locale's file may say differently: the understanding of every locale reads these per locale
# (Understanding(locale=...)); the rest of en-US.yaml is shared by all, so a locale may not change it.
PER_LOCALE = {"typed": None, "letters": None, "builtin_slots": {"duration_units": None}}


def merged(base: dict, over: dict) -> dict:
    """``over`` merged into ``base``: mappings key by key (at any depth), anything else replaced."""
    out = dict(base)
    for key, value in over.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _allowed(over: dict, allowed: dict, where: str) -> None:
    for key, value in over.items():
        if key not in allowed:
            raise ValueError(f"nlu/{where}: {key} is shared by every locale (only "
                             f"{', '.join(allowed)} may differ: locale_words.PER_LOCALE)")
        if allowed[key] is not None and isinstance(value, dict):
            _allowed(value, allowed[key], f"{where} {key}")


@cache
def _own(locale: str) -> dict:
    path = NLU_DIR / f"{locale}.yaml"
    if locale == LOCALE or not path.is_file():
        return {}
    own = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    _allowed(own, PER_LOCALE, path.name)
    return own


def words(locale: str = LOCALE) -> dict:
    """A locale's words: en-US.yaml with ``nlu/<locale>.yaml`` (when there is one) merged over it."""
    own = _own(locale)
    return merged(WORDS, own) if own else WORDS
