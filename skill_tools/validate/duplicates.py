"""Near-duplicate samples across intents: the ones that make Alexa's choice of intent a coin toss.

Two samples of different intents that say the same words (once fillers are gone), or differ by one word
that carries no topic, may be sent to either intent; the certification review and real users both notice."""
from __future__ import annotations

from skill_tools.validate.project import LM, SLOT

# Near-duplicates across intents.
# 1. The same words once these fillers are gone ("what is the kyphoplasty" / "what is kyphoplasty").
FILLER_WORDS = frozenset("a an the my your please just really so um uh well now do you".split())
# 2. One edit apart where the edit is a word that carries no topic: a negation, a pronoun, a
#    modal, a preposition ("remember my surgery date" / "don't remember my surgery date").
#    A different content word ("can i drive" / "can i walk") is a different question, not a
#    near-duplicate, so it is not flagged.
WEAK_WORDS = FILLER_WORDS | frozenset(
    """i i'm me we it it's that this these those is am are was were be been does did don't doesn't didn't
    not no never can can't could will won't would should to of in on at for with about and or any some
    still again ever yet too also all""".split()
)



def _words(sample: str) -> list[str]:
    """Lower-case words of a sample, every slot as '{}'."""
    return ["{}" if SLOT.fullmatch(t) else t.lower() for t in sample.split()]


# Intents whose handlers triage the very words that were said: whichever Alexa sends, the
# person hears the same answer, so samples that overlap between them do no harm.
INTERCHANGEABLE = {frozenset({"SymptomIntent", "DescribeIntent"})}

# A word that, put first, makes a statement a question.
QUESTION_OPENERS = frozenset("can could should would will when is are does do did how what why may might".split())


def _one_weak_edit(a: list[str], b: list[str]) -> str | None:
    """The word that makes a and b differ, when that is one inserted, removed or replaced weak word."""
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1 and a[diff[0]] in WEAK_WORDS and b[diff[0]] in WEAK_WORDS:
            return f"{a[diff[0]]!r} / {b[diff[0]]!r}"
        return None
    if abs(len(a) - len(b)) != 1:
        return None
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for k in range(len(long_)):
        if k == 0 and long_[0] in QUESTION_OPENERS:
            continue  # "can my husband {..}" asks; "my husband {..}" tells: not one sentence
        if long_[k] in WEAK_WORDS and long_[:k] + long_[k + 1 :] == short:
            return repr(long_[k])
    return None


def _one_edit_keys(words) -> set:
    """The word list and each list one word shorter: two lists one insertion, removal or replacement
    apart share one of them (the symmetric-delete index), so only those pairs need comparing."""
    words = tuple(words)
    return {words} | {words[:k] + words[k + 1:] for k in range(len(words))}


def _near_pairs(raw: list, stripped: list) -> list[tuple[int, int]]:
    """(x, y), x < y, in order: the pairs of samples that may be near-duplicates (same words once fillers
    are gone, or one word apart with or without them); every other pair is not, so it is not compared."""
    buckets: dict[tuple, list[int]] = {}
    for x, (words, bare) in enumerate(zip(raw, stripped)):
        keys = {("bare", bare)} | {("raw", k) for k in _one_edit_keys(words)}
        keys |= {("bare-edit", k) for k in _one_edit_keys(bare)}
        for key in keys:
            buckets.setdefault(key, []).append(x)
    pairs = {(members[m], y) for members in buckets.values() if len(members) > 1
             for m in range(len(members)) for y in members[m + 1:]}
    return sorted(pairs)


def check_duplicates(samples, add) -> None:
    """Flag samples that Alexa could send to either of two intents. ``samples``: (intent index, intent name,
    sample index, sample text) for every sample of the model; ``add(path, message)`` reports one."""
    entries = [(i, name, j, sample, _words(sample)) for i, name, j, sample in samples
               if isinstance(sample, str) and sample.strip()]  # (intent index, name, sample index, text, words)

    def where(e):
        return f"{LM}.intents[{e[0]}].samples[{e[2]}]"

    first: dict[tuple, tuple] = {}
    exact_pairs = set()
    for e in entries:
        key = tuple(e[4])
        other = first.get(key)
        if other is None:
            first[key] = e
            continue
        if other[0] == e[0] and e[3].lower().split() != other[3].lower().split():
            continue    # "{symptom}" and "{medicine}": one intent's samples for two slot types
        exact_pairs.add((other[0], other[2], e[0], e[2]))
        if other[0] == e[0]:
            add(where(e), f"{e[3]!r} is already a sample of this intent ({where(other)})")
        else:
            add(
                where(e),
                f"{e[3]!r} ({e[1]}) is also a sample of {other[1]} ({where(other)}): one sample, one intent",
            )
    stripped = [tuple(w for w in e[4] if w not in FILLER_WORDS) for e in entries]
    for x, y in _near_pairs([e[4] for e in entries], stripped):
        a, b = entries[x], entries[y]
        if a[0] == b[0] or (a[0], a[2], b[0], b[2]) in exact_pairs or a[4] == b[4]:
            continue
        if frozenset((a[1], b[1])) in INTERCHANGEABLE:
            continue
        if stripped[x] == stripped[y]:
            why = "the same words once fillers are gone"
        elif word := (_one_weak_edit(a[4], b[4]) or _one_weak_edit(list(stripped[x]), list(stripped[y]))):
            why = f"only {word} tells them apart"
        else:
            continue
        add(
            where(b),
            f"{b[3]!r} ({b[1]}) nearly duplicates {a[3]!r} ({a[1]}, {where(a)}): {why}; "
            "Alexa may send either intent",
        )
