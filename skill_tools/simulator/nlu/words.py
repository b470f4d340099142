"""The simulator's understanding's words: sentences and samples normalised the same way (tokens,
contractions, fillers, concepts). The English is data: ``en-US.yaml`` beside this module, and the
contractions, tokens and stems of :mod:`skill.text`."""
from __future__ import annotations

from skill import text
from skill_tools.simulator.locale_words import LOCALE, WORDS as _DATA

_LANGUAGE = text.for_locale(LOCALE)

BUILTIN_SAMPLES: dict[str, list[str]] = _DATA["builtin_samples"]
_FILLERS = frozenset(_DATA["fillers"])
_LEADING = sorted((tuple(p.split()) for p in _DATA["leading"]), key=len, reverse=True)
_TRAILING = sorted((tuple(p.split()) for p in _DATA["trailing"]), key=len, reverse=True)
_INNER = [p.split() for p in _DATA["inner_fillers"]]
_WAKE_WORD = _DATA["wake_word"]
_LAUNCH = tuple(_DATA["launch"])
_CONNECTORS = tuple(_DATA["connectors"])
CLAUSE_BREAKS = frozenset(_DATA["clause_breaks"])
CLAUSE_STARTS = frozenset(_DATA["clause_starts"])
_CONCEPT = {w: c for c, words in _DATA["concept_groups"].items() for w in words}
_CONCEPT_PHRASES = sorted(((tuple(p.split()), c) for p, c in _DATA["concept_phrases"]),
                          key=lambda p: len(p[0]), reverse=True)   # replaced before single words
LIGHT_WORDS = tuple(_DATA["light_words"])
DATE_WORDS = frozenset(_DATA["date_words"])
AMBIGUOUS_DATES = frozenset(_DATA["ambiguous_dates"])
DATE_ARTICLE = _DATA["date_article"]
DURATION_BEFORE = frozenset(_DATA["duration_before"])
ER_STOP = frozenset(_DATA["er_stop"])
NEGATIONS = frozenset(_DATA["negations"])

_CLIPPED = {w: said.split() for w, said in _DATA["clipped"].items()}

basic_tokens = text.plain_tokens
stem = _LANGUAGE.loose_stem
expand = _LANGUAGE.expand


def strip_invocation(toks: list[str], invocation: str) -> list[str]:
    """ "alexa ask spine recovery helper when can i drive" -> "when can i drive"."""
    inv = invocation.split()
    while toks and toks[0] == _WAKE_WORD:
        toks = toks[1:]
    for start in range(3):
        if inv and toks[start:start + len(inv)] == inv and all(t in _LAUNCH for t in toks[:start]):
            rest = toks[start + len(inv):]
            while len(rest) > 1 and rest[0] in _CONNECTORS:
                rest = rest[1:]
            return rest
    return toks


def as_heard(toks: list[str], known: frozenset) -> list[str]:
    """Typed words as speech-to-text writes them: clipped words whole ("bout" -> "about"), a dropped final
    g put back ("thinkin" -> "thinking") when the -ing word is ``known`` (no word of five letters or more
    ending in "in" is another word with a g)."""
    out: list[str] = []
    for t in toks:
        if t in _CLIPPED:
            out += _CLIPPED[t]
        elif t.endswith("in") and len(t) > 4 and t + "g" in known:
            out.append(t + "g")
        else:
            out.append(t)
    return out


def drop_fillers(toks: list[str]) -> list[str]:
    kept = [t for t in toks if t not in _FILLERS]
    changed = True
    while changed and kept:
        changed = False
        for lead in _LEADING:
            if tuple(kept[: len(lead)]) == lead and len(kept) > len(lead):
                kept, changed = kept[len(lead):], True
                break
        for tail in _TRAILING:
            if tuple(kept[-len(tail):]) == tail and len(kept) > len(tail):
                kept, changed = kept[: -len(tail)], True
                break
    out: list[str] = []
    i = 0
    while i < len(kept):                              # "you know" inside a sentence
        inner = next((p for p in _INNER if kept[i:i + len(p)] == p), None)
        if inner and 0 < i < len(kept) - len(inner):
            i += len(inner)
            continue
        out.append(kept[i])
        i += 1
    return out or toks


def as_said(words: list[str], raw) -> list[str] | None:
    """The said words (fillers, contractions and all) that became ``words`` after normalising."""
    raw = list(raw)
    if not words or not raw:
        return None
    expanded, origin = [], []
    for i, tok in enumerate(raw):
        for part in expand([tok]):
            expanded.append(part)
            origin.append(i)
    canon = canonical_tokens(raw)
    at, where = 0, []                          # canonical token k came from expanded[where[k]]
    for tok in canon:
        while at < len(expanded) and expanded[at] != tok:
            at += 1
        if at == len(expanded):
            return None
        where.append(at)
        at += 1
    n = len(words)
    for k in range(len(canon) - n + 1):
        if canon[k:k + n] == list(words):
            first, last = origin[where[k]], origin[where[k + n - 1]]
            if where[k] and origin[where[k] - 1] == first:
                return None                    # the slot starts inside a contraction ("not" of "haven't")
            return raw[first:last + 1]
    return None


def canonical_tokens(toks: list[str]) -> list[str]:
    """Basic tokens -> contractions expanded, possessives dropped, filler words removed."""
    return drop_fillers(expand(toks))


def concepts(toks: list[str]) -> list[str]:
    """Canonical tokens -> concepts (synonym groups, stems); slot markers ("<date>") kept."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i].startswith("<"):
            out.append(toks[i])
            i += 1
            continue
        for words, concept in _CONCEPT_PHRASES:
            if tuple(toks[i:i + len(words)]) == words:
                out.append(concept)
                i += len(words)
                break
        else:
            out.append(_CONCEPT.get(toks[i]) or stem(toks[i]))
            i += 1
    return out


def concepts_aligned(toks: list[str]) -> list[str]:
    """One concept per word (phrases not joined), to line words up with a sample's frame."""
    return [_CONCEPT.get(t) or stem(t) for t in toks]



LIGHT_CONCEPTS = frozenset(concepts_aligned(list(LIGHT_WORDS)))
REFLEXIVE = frozenset(concepts_aligned(list(_DATA["reflexive_words"])))
UNSAID_IN_MATCH = LIGHT_CONCEPTS - REFLEXIVE
"""Function words a real match of an alarm intent leaves out: all but the reflexive ones."""


def content_stems(toks: list[str]) -> list[str]:
    """Stems of the words that make a slot value (entity resolution)."""
    return [stem(t) for t in toks if t not in ER_STOP]
