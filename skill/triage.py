"""Symptom triage: sorts a person's own words into a clinical red-flag family and its level.

Plain Python on purpose (no Alexa SDK, no files): the families, word classes and the
negation and hypothetical rules come from ``content/triage.yaml`` through
:mod:`skill.content`, so a clinician reviews the rules and this module only decides how
words are matched. The design follows NegEx and medspaCy's ConText (a trigger, its
direction and its scope, pseudo-triggers and terminators), on plain word lists.

Over-warning is the safe mistake: a negated or hypothetical emergency is never dropped
silently (it comes back in :attr:`Verdict.mentioned`, for the "if you do get ..." line).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from typing import NamedTuple

EMERGENCY = "emergency"
URGENT = "urgent"
MEDICINE = "medicine"
DOCTOR = "doctor"
EXPECTED = "expected"
UNKNOWN = "unknown"          # health words, but no family: the cautious answer
NOT_HEALTH = "not_health"    # no symptom, body part, medicine or injury named at all

# Highest first: the first level with a finding decides (telephone triage's dispositions, worst first).
LEVELS = (EMERGENCY, URGENT, MEDICINE, DOCTOR, EXPECTED)

# --------------------------------------------------------------------------- words

_SPELLINGS = [  # spoken or typed forms -> the one spelling the rules use
    (r"\bcan ?not\b|\bcant\b", "can't"), (r"\bwill not\b|\bwont\b", "won't"),
    (r"\bdo not\b|\bdont\b", "don't"), (r"\bdoes not\b|\bdoesnt\b", "doesn't"),
    (r"\bdid not\b|\bdidnt\b", "didn't"), (r"\bis not\b|\bisnt\b", "isn't"),
    (r"\bare not\b|\barent\b", "aren't"), (r"\bwas not\b|\bwasnt\b", "wasn't"),
    (r"\bwere not\b|\bwerent\b", "weren't"), (r"\bhave not\b|\bhavent\b", "haven't"),
    (r"\bhas not\b|\bhasnt\b", "hasn't"), (r"\bhad not\b|\bhadnt\b", "hadn't"),
    (r"\bcould not\b|\bcouldnt\b", "couldn't"), (r"\bwould not\b|\bwouldnt\b", "wouldn't"),
    (r"\bain't\b|\baint\b", "isn't"), (r"\bshould not\b|\bshouldnt\b", "shouldn't"),
]
_SPELLING_RE = [(re.compile(p), r) for p, r in _SPELLINGS]
# Speech-to-text often drops the apostrophe: "im", "hes", "ive" are "I'm", "he's", "I've".
_ASR_CONTRACTIONS = re.compile(r"\b(im|ive|hes|shes|thats|whats|theres|youre|theyre|its|id|ill)\b")
_ASR_SPELLING = {"im": "i'm", "ive": "i've", "hes": "he's", "shes": "she's", "thats": "that's", "whats": "what's",
                 "theres": "there's", "youre": "you're", "theyre": "they're", "its": "it's", "id": "i'd", "ill": "ill"}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)*|[.,;:!?]")
# "he's", "mother's", "i'm", "i've", "we'll", "i'd": the ending says nothing here
_CLITIC = re.compile(r"'(?:s|m|ve|re|ll|d)$")
PUNCTUATION = frozenset(".,;:!?")

# Small words that may stand between the elements of a pattern ("can't get HIM up").
SKIPPABLE = frozenset(
    "a an the my his her their our your him me them it its this that these those some "
    "really very so just quite even actually all totally completely properly bit little "
    "too kind sort of like now still again ever any".split()
)


# Words the stemmer would merge with another ("scared" is not "scar").
_STEM_EXCEPTIONS = {"scared": "scare", "scare": "scare", "scares": "scare", "scaring": "scare",
                    "spine": "spine", "spines": "spine",
                    "bed": "bed", "red": "red", "shed": "shed", "need": "need", "feed": "feed"}


def stem(word: str) -> str:
    """A light stemmer: enough to join "faint", "fainted", "fainting" and "faints"."""
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ness", "ing", "ed", "ies", "es", "s"):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            continue
        base = word[: -len(suffix)]
        if suffix == "ies":
            base += "y"
        elif suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
            base = word[:-1]
        if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
            base = base[:-1]
        word = base
        break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of ``text`` as the rules see them: lower case, accents dropped ("débil" ->
    "debil"), one spelling of the negatives, spoken numbers as figures ("a hundred and three" ->
    "103"), punctuation kept as words."""
    text = str(text or "").lower().replace("\u2019", "'").replace("\u2018", "'").replace("-", " ")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if "not" in text or "nt" in text or "ain" in text:
        for pattern, spelling in _SPELLING_RE:
            text = pattern.sub(spelling, text)
    text = _ASR_CONTRACTIONS.sub(lambda m: _ASR_SPELLING[m.group(1)], text)
    toks = [t if "n't" in t else _CLITIC.sub("", t) for t in _TOKEN.findall(text)]
    return spoken_numbers(toks)


# --------------------------------------------------------------------------- spoken numbers

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_UNITS["oh"] = 0
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}


def spoken_numbers(toks: list[str]) -> list[str]:
    """Number words to figures: "a hundred and three" -> "103", "thirty nine point five" -> "39.5",
    "one oh three" -> "103". Other words pass unchanged."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        value, used = _read_number(toks, i)
        if used:
            out.append(value)
            i += used
        else:
            out.append(toks[i])
            i += 1
    return out


def _read_number(toks: list[str], i: int) -> tuple[str, int]:
    """(figure, words used) of a spoken number starting at ``toks[i]``, or ("", 0)."""
    run: list[str] = []
    j = i
    while j < len(toks):
        tok = toks[j]
        if tok in _UNITS or tok in _TENS or tok in ("hundred", "thousand"):
            run.append(tok)
        elif tok == "a" and not run and j + 1 < len(toks) and toks[j + 1] == "hundred":
            pass
        elif tok == "and" and "hundred" in run and j + 1 < len(toks) and (toks[j + 1] in _UNITS or toks[j + 1] in _TENS):
            pass
        else:
            break
        j += 1
    if not run or run == ["oh"] or (len(run) == 1 and run[0] in ("one", "zero")):
        return "", 0
    if "thousand" in run:                                      # "two thousand ten"
        k = run.index("thousand")
        value = (_small(run[:k]) or 1) * 1000 + _read_hundreds(run[k + 1:])
    elif _is_year(run):                                        # "nineteen eighty five", "twenty ten"
        value = _small(run[:1]) * 100 + _small(run[1:])
    elif "hundred" in run:
        value = _read_hundreds(run)
    elif len(run) > 1 and all(t in _UNITS and _UNITS[t] < 10 for t in run):
        value = int("".join(str(_UNITS[t]) for t in run))      # "one oh three"
    else:
        value = _small(run)
    text = str(value)
    if toks[j:j + 3] == ["and", "a", "half"]:
        text += ".5"
        j += 3
    elif j + 1 < len(toks) and toks[j] == "point" and (toks[j + 1] in _UNITS or toks[j + 1].isdigit()):
        text += "." + (str(_UNITS[toks[j + 1]]) if toks[j + 1] in _UNITS else toks[j + 1])
        j += 2
    return text, j - i


def _read_hundreds(run: list[str]) -> int:
    if "hundred" not in run:
        return _small(run)
    k = run.index("hundred")
    return (_small(run[:k]) or 1) * 100 + (_small(run[k + 1:]) or 0)


def _is_year(run: list[str]) -> bool:
    """A year said in pairs: a teen or "twenty", then tens or a teen ("nineteen eighty", "twenty ten")."""
    return (len(run) >= 2 and (10 <= _UNITS.get(run[0], 0) or run[0] == "twenty")
            and (run[1] in _TENS or 10 <= _UNITS.get(run[1], 0)) and "hundred" not in run)


def _small(run: list[str]) -> int:
    """Value of tens and units ("thirty nine" -> 39)."""
    return sum(_TENS.get(t, _UNITS.get(t, 0)) for t in run)


_NOTHING: frozenset = frozenset()


def is_word_class(word: str) -> bool:
    """A word of a pattern written in CAPITALS names a word class of the lexicon."""
    return word.isupper() and word.replace("_", "").isalpha()


def word_classes(pattern: str) -> list[str]:
    """The word classes a pattern uses, in order of first use (for the clinician's review)."""
    return list(dict.fromkeys(w for w in re.findall(r"[A-Za-z_]+", pattern) if is_word_class(w)))


class _Said:
    """The negation, hypothetical and context triggers of one sentence, found once for all its findings."""

    def __init__(self, rules: "Triage", stems):
        self.stems = stems
        self.negations = rules.negation.find(stems)
        self.negation_pseudo = _covered(rules.negation_pseudo.find(stems))
        self.hypotheticals = rules.hypothetical.find(stems)
        self.hypothetical_pseudo = _covered(rules.hypothetical_pseudo.find(stems))
        # ConText: (kind, direction) -> [(position, phrase)]; a year ("in 2010") is historical
        pseudo = _covered(rules.context_pseudo.find(stems))   # "never used to be like that" is no history
        self.context = {key: [(i, p) for i, p in phrases.find(stems) if i not in pseudo]
                        for key, phrases in rules.context.items()}
        self.dropped = False      # a finding was set aside by its context (then no slot id stands in for it)
        years = [(i, (w,)) for i, w in enumerate(stems) if len(w) == 4 and w.isdigit() and 1900 <= int(w) <= 2099
                 and i and stems[i - 1] in _YEAR_AFTER]   # "in 2010", not "he thinks it's 1960"
        self.context[("historical", "either")] = self.context.get(("historical", "either"), []) + years


_YEAR_AFTER = frozenset({"in", "since", "back", "from", "of", "until", "til"})


def _covered(found) -> set[int]:
    return {k for i, phrase in found for k in range(i, i + len(phrase))}

_COMPILING = threading.Lock()

# --------------------------------------------------------------------------- rules


class _Element(NamedTuple):
    """One element of a pattern group: stems of each alternative phrase; a gap allowance."""

    alternatives: tuple[tuple[str, ...], ...]
    gap: int
    by_first: dict            # first stem (or "=word") -> the alternatives starting with it


def _element(alternatives, gap: int) -> _Element:
    by_first: dict = {}
    for phrase in alternatives:
        by_first.setdefault(phrase[0], []).append(phrase)
    return _Element(alternatives, gap, {k: tuple(v) for k, v in by_first.items()})


class Pattern(NamedTuple):
    text: str
    groups: tuple[tuple[_Element, ...], ...]
    window: int | None = None   # None: the engine's; " && " between groups: anywhere in what was said
    firsts: tuple = ()          # per group, the words it can start with: a quick "not said at all"
    negative: bool = True       # it holds a negative word itself ("can't walk"): never negated from inside


class Qualifier(NamedTuple):
    """Words near a finding that move it to another family (higher or lower), as triage protocols do."""

    words: "_Phrases"
    to: str
    only: frozenset             # the patterns it applies to (empty: all of the family's)
    after: int                  # how many words after the finding it may stand ("I fell ... but I'm not hurt")


class Family(NamedTuple):
    key: str
    level: str
    answer: str | None          # "crisis", "overdose": an answer of its own
    patterns: tuple[Pattern, ...]
    ids: frozenset
    always: bool                # never negated or hypothetical (crisis words)
    outranks: frozenset         # families this one takes the place of when both are found
    qualifiers: tuple[Qualifier, ...]   # the first that applies decides
    if_resolved: str | None     # the family a finding becomes once it has passed; None: nothing
    temperature_from: tuple[float, float] | None   # (F, C): a reading from here up is this family
    reading_decides: bool       # its word findings give way to a thermometer reading said with them
    reported_only: bool         # said inside a question it is asked about ("can I take two instead of one")


class Finding(NamedTuple):
    family: str
    pattern: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False


class Verdict(NamedTuple):
    """What triage decided, and the words that decided it (for logs, tests and the console)."""

    level: str
    matched: tuple[str, ...] = ()
    family: str | None = None
    mentioned: tuple[str, ...] = ()      # emergency families denied or only asked about
    families: tuple[str, ...] = ()       # every family found, worst first (911 and 988 both said)


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    """Stems of a listed phrase; a word written "=took" must be said exactly so (no stemming)."""
    phrase = str(phrase)
    exact = phrase.startswith("=")
    if exact:
        return tuple("=" + w for w in words(phrase[1:]) if w not in PUNCTUATION)
    return tuple(stem(w) for w in words(phrase) if w not in PUNCTUATION)


class _Word(str):
    """A said word's stem, remembering the word itself (for "=took" phrases)."""

    raw: str

    def __new__(cls, raw: str):
        word = super().__new__(cls, stem(raw))
        word.raw = raw
        return word


def _same(word, listed: str) -> bool:
    return word.raw == listed[1:] if listed[:1] == "=" else word == listed


class Triage:
    """The families and their rules, compiled on first use: a LaunchRequest needs no triage, so a
    Lambda cold start does not pay for it (plain classes, for the same reason)."""

    def __init__(self, spec: dict):
        self._spec = spec
        self._compiled = False

    def __getattr__(self, name: str):
        """The compiled rules, compiled by the first thread that needs them (others wait for it)."""
        state = self.__dict__
        if name.startswith("__") or state.get("_compiled", True):
            raise AttributeError(name)
        with _COMPILING:
            if not state["_compiled"]:
                # compiled aside, then put in place at once: no thread sees half the rules
                rules = Triage.__new__(Triage)
                rules.__dict__.update(_compiled=True)
                rules._compile_rules(self._spec)
                state.update({k: v for k, v in rules.__dict__.items() if not k.startswith("_comp")})
                state["_compiled"] = True
        return object.__getattribute__(self, name)

    def _compile_rules(self, spec: dict) -> None:
        self.window = int(spec.get("window", 9))
        self.lexicon = {name: tuple(sorted({_phrase_stems(p) for p in phrases} - {()}, key=len, reverse=True))
                        for name, phrases in (spec.get("lexicon") or {}).items()}
        self.not_findings = _Phrases({_phrase_stems(p) for p in spec.get("not_findings", [])})
        self.figurative = _Phrases({_phrase_stems(p) for p in spec.get("figurative", [])})
        neg = spec.get("negation") or {}
        self.negation = _Phrases(_phrase_stems(p) for p in neg.get("forward", []))
        self.negation_pseudo = _Phrases(_phrase_stems(p) for p in neg.get("pseudo", []))
        self.negation_scope = int(neg.get("scope", 6))
        self.negation_stops = frozenset(stem(w) for w in neg.get("terminators", []) if " " not in w)
        self._negative_words = {p[0] for p in self.negation.phrases if len(p) == 1} | {"stop", "stopped", "nothing", "won't"}
        hyp = spec.get("hypothetical") or {}
        self.hypothetical = _Phrases(_phrase_stems(p) for p in hyp.get("triggers", []))
        self.hypothetical_pseudo = _Phrases(_phrase_stems(p) for p in hyp.get("pseudo", []))
        self.hypothetical_stops = frozenset(stem(w) for w in hyp.get("terminators", []) if " " not in w)
        ctx = spec.get("context") or {}
        self.context_scope = int(ctx.get("scope", 8))
        self.context_stops = frozenset(stem(w) for w in ctx.get("terminators", []) if " " not in w)
        self.people = frozenset(p[0] for p in self.lexicon.get(ctx.get("people", ""), ()) if len(p) == 1)
        self.self_words = frozenset(stem(w) for w in ctx.get("self", []))
        self.context_pseudo = _Phrases(_phrase_stems(p) for p in ctx.get("pseudo", []))
        self.context = {(kind, direction): _Phrases(_phrase_stems(p) for p in phrases)
                        for kind, rule in ctx.items() if isinstance(rule, dict)
                        for direction, phrases in rule.items() if direction in ("before", "after", "either")}
        self.health = _Phrases(p for name in spec.get("health_words", []) for p in self.lexicon.get(name, ())
                               if name in self.lexicon) if spec.get("health_words") else _Phrases(())
        self.health_extra = _Phrases(_phrase_stems(p) for p in spec.get("health_extra", []))
        temperature = spec.get("temperature") or {}
        self.reading_words = _Phrases(self.lexicon.get(temperature.get("words", ""), ()))
        self.reading_units = frozenset(temperature.get("units", []))
        resolved_default = ctx.get("resolved_to")
        self.families: list[Family] = []
        for key, fam in (spec.get("families") or {}).items():
            patterns = tuple(self._compile(p) for p in fam.get("patterns", []))
            qualifiers = tuple(
                Qualifier(_Phrases(self.lexicon[q["when"]]) if q["when"] in self.lexicon
                          else _Phrases(_phrase_stems(w) for w in q["when"].split("|")),
                          q["to"], frozenset(_as_list(q.get("only"))), int(q.get("after", 2)))
                for q in fam.get("qualifiers", []))
            # an expected thing that eases is still that thing ("the soreness is easing off")
            resolved = fam.get("if_resolved", "keep" if fam["level"] == EXPECTED else resolved_default)
            reading = fam.get("temperature_from")
            self.families.append(Family(
                key, fam["level"], fam.get("answer"), patterns, frozenset(fam.get("ids", [])),
                bool(fam.get("always")), frozenset(fam.get("outranks", [])), qualifiers,
                key if resolved == "keep" else resolved,
                (float(reading["f"]), float(reading["c"])) if reading else None,
                bool(fam.get("reading_decides")), bool(fam.get("reported_only"))))
        self.by_key = {f.key: f for f in self.families}
        self.rank = {f.key: i for i, f in enumerate(self.families)}  # earlier in the YAML wins a tie of levels
        # first word of a pattern's first group -> (family index, pattern index): a sentence visits only
        # the patterns it could match (a request pays for its own words, not for every rule)
        self.by_first_word: dict = {}
        for fi, fam in enumerate(self.families):
            for pi, pattern in enumerate(fam.patterns):
                for word in (pattern.firsts[0] if pattern.firsts else ()):
                    self.by_first_word.setdefault(word, []).append((fi, pi))
        # SymptomType slot ids of each level (the interaction model must list no other)
        self.ids = {level: frozenset().union(*[f.ids for f in self.families if f.level == level]) for level in LEVELS}
        # thermometer readings: the highest threshold a reading reaches names its family
        self.readings = sorted((f for f in self.families if f.temperature_from), key=lambda f: -f.temperature_from[0])

    # ------------------------------------------------------------ compiling
    def _compile(self, text: str) -> Pattern:
        groups = []
        anywhere = " && " in text
        for part in text.replace(" && ", " & ").split(" & "):
            elements, gap = [], 0
            for tok in re.findall(r"\([^)]*\)|\S+", part):
                if tok == "...":
                    gap = 3
                    continue
                alts = tok[1:-1].split("|") if tok.startswith("(") and tok.endswith(")") else [tok]
                optional = False
                if tok.endswith("?") and len(tok) > 1 and tok[:-1].startswith("("):
                    alts, optional = tok[1:-2].split("|"), True
                phrases: list[tuple[str, ...]] = []
                for alt in alts:
                    phrases.extend(self._expand(alt, text))
                if optional:
                    continue      # optional words are skipped by the gap anyway
                elements.append(_element(tuple(sorted(set(phrases), key=len, reverse=True)), gap))
                gap = 0
            if elements:
                groups.append(tuple(elements))
        firsts = tuple(frozenset(group[0].by_first) for group in groups)
        said = {w.lstrip("=") for g in groups for el in g for phrase in el.alternatives for w in phrase}
        negative = bool(said & self._negative_words) or "CANT" in text or "NOTX" in text
        return Pattern(text, tuple(groups), 10_000 if anywhere else None, firsts, negative)

    def _expand(self, alt: str, text: str) -> list[tuple[str, ...]]:
        """Stems of one alternative; a CLASS inside it stands for each of its phrases; "$" is
        the end of the clause."""
        if alt == "$":
            return [("$",)]
        out: list[tuple[str, ...]] = [()]
        for word in alt.split():
            if is_word_class(word):
                if word not in self.lexicon:
                    raise ValueError(f"pattern {text!r}: no word class {word}")
                choices = self.lexicon[word]
            else:
                choices = [_phrase_stems(word)]
            out = [head + tail for head in out for tail in choices]
        return [p for p in out if p]

    # ------------------------------------------------------------ classifying
    def classify(self, text: str | None, slot_ids=(), *, asked: bool = False) -> Verdict:
        """The level and families of what was said. ``slot_ids``: entity-resolution ids Alexa matched;
        ``asked``: the words came in a question (a medicine question's slot), so what is only ever
        reported ("I took two instead of one") is asked about, not found."""
        toks = words(text or "")
        stems = [_Word(t) for t in toks]
        masked = self._masked(stems)
        findings, readings, dropped = self._findings(toks, stems, masked)
        if asked:
            findings = [f._replace(hypothetical=True) if self.by_key[f.family].reported_only else f for f in findings]
        if not findings and not masked and not readings and not dropped:  # words that say nothing: Alexa's ids
            resolved = set(slot_ids or ())
            for fam in self.families:
                if fam.ids & resolved:
                    findings.append(Finding(fam.key, "slot id", 0, 0))
        real = [f for f in findings if not (f.negated or f.hypothetical)]
        mentioned = tuple(dict.fromkeys(
            f.family for f in findings if (f.negated or f.hypothetical) and self.by_key[f.family].level == EMERGENCY
            and not any(r.family == f.family for r in real)))
        outranked = {o for f in real for o in self.by_key[f.family].outranks}
        real = [f for f in real if f.family not in outranked]
        if not real:
            literal = [w for i, w in enumerate(stems) if i not in _covered(self.figurative.find(stems))]
            level = UNKNOWN if (findings or readings or self.is_health(literal)) else NOT_HEALTH
            return Verdict(level, (), None, mentioned)
        level_of = {f.family: self.by_key[f.family].level for f in real}
        # worst level first; within emergency, a physical emergency before crisis words (911, then 988)
        order = sorted(dict.fromkeys(f.family for f in real), key=lambda k: (
            LEVELS.index(level_of[k]), self.by_key[k].answer == "crisis", self.rank[k]))
        best = order[0]
        matched = tuple(dict.fromkeys(" ".join(toks[f.start:f.end]) or f.pattern for f in real if f.family == best))
        return Verdict(level_of[best], matched, best, mentioned, tuple(order))

    def is_health(self, stems) -> bool:
        """Whether the words name a symptom, body part, medicine, injury or someone in distress at all."""
        return bool(self.health.find(stems) or self.health_extra.find(stems))

    def mentions_medicine(self, text: str | None, drinks: bool = True) -> bool:
        """Whether the words name a medicine or a pill, or (``drinks``) an alcoholic drink."""
        stems = [_Word(t) for t in words(text or "")]
        classes = self.lexicon.get("MEDICINE", ()) + (self.lexicon.get("ALCOHOL", ()) if drinks else ())
        return any(_phrase_end(stems, i, phrase) is not None for phrase in classes for i in range(len(stems)))

    def _masked(self, stems: list[str]) -> set[int]:
        """Positions of words that make no finding: not_findings and figurative speech."""
        masked: set[int] = set()
        for i, phrase in self.not_findings.find(stems) + self.figurative.find(stems):
            masked.update(range(i, i + len(phrase)))
        return masked

    def _findings(self, toks, stems, masked) -> tuple[list[Finding], list[Finding], bool]:
        """(findings, thermometer readings, whether context set one aside): every family said, in context."""
        findings: list[Finding] = []
        cache: dict = {}
        said = _Said(self, stems)
        present = {w for w in stems} | {"=" + w.raw for w in stems}
        candidates = sorted({c for w in present for c in self.by_first_word.get(w, ())})
        for fi, pi in candidates:
            fam, pattern = self.families[fi], self.families[fi].patterns[pi]
            mask = masked if fam.level == EMERGENCY else _NOTHING
            if any(first.isdisjoint(present) for first in pattern.firsts[1:]):
                continue  # a group none of whose first words was said
            span = self._match(pattern, stems, mask, cache)
            if span is None:
                continue
            family = self._qualified(fam, pattern.text, stems, span, said)
            context = self._context(said, span)
            if context == "fiction" or (not fam.always and context in ("historical", "other", "explained")):
                said.dropped = True       # a programme's words are never a finding, even crisis words
                continue                  # not now, not someone here, or explained away
            if not fam.always and context == "resolved":
                family = self.by_key[family].if_resolved
                if family is None:
                    continue
            negated = not fam.always and self._negated(said, span, pattern.negative)
            hypothetical = not fam.always and self._hypothetical(said, span[0][0])
            start, end = min(s for s, _ in span), max(e for _, e in span)
            findings.append(Finding(family, pattern.text, start, end, negated, hypothetical))
        readings = self._temperatures(toks, stems, masked, said)
        if readings:  # a thermometer reading said decides over the bare word "fever"
            findings = [f for f in findings if not self.by_key[f.family].reading_decides]
            findings += [r for r in readings if r.family]
        return findings, readings, said.dropped

    def _qualified(self, fam: Family, pattern: str, stems, span, said: "_Said") -> str:
        """The family a finding belongs to once the words near it are weighed (the first qualifier that
        applies); a qualifier said denied ("no shivering") does not count."""
        denied = {i + len(p) + k for i, p in said.negations if i not in said.negation_pseudo for k in range(3)}
        for q in fam.qualifiers:
            if (not q.only or pattern in q.only) and self._near(stems, span, q.words, q.after, denied):
                return q.to
        return fam.key

    def _context(self, said: "_Said", span) -> str | None:
        """ConText: whether the finding is historical, someone else's (a pet, a TV character), explained
        away or resolved, from triggers in its own clause; None when it is about now and here."""
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        stems = said.stems
        for (kind, direction), found in said.context.items():
            for i, phrase in found:
                j = i + len(phrase)
                if lo <= i < hi:
                    continue                      # part of the finding itself ("stopped breathing")
                if j <= lo and direction in ("before", "either"):
                    between = stems[j:lo]
                elif i >= hi and direction in ("after", "either"):
                    between = stems[hi:i]
                else:
                    continue
                if len(between) > self.context_scope or any(
                        w in PUNCTUATION or w in self.context_stops for w in between):
                    continue
                if kind == "other" and any(w in self.people for w in stems[min(j, lo):hi]):
                    continue                      # "the dog knocked ME over": a person's fall
                if kind == "far" and i >= hi and any(w in self.self_words for w in stems[:lo]):
                    continue                      # "I fell on vacation in Mexico": the speaker's own
                if kind == "far":
                    kind = "other"
                return kind
        return None

    def _match(self, pattern: Pattern, stems, masked, cache) -> list[tuple[int, int]] | None:
        """Spans (one per group) of the pattern's tightest match, or None."""
        per_group = []
        for group in pattern.groups:
            key = (id(group), masked is _NOTHING)
            if key not in cache:
                cache[key] = self._group_spans(group, stems, masked)
            if not cache[key]:
                return None
            per_group.append(cache[key])
        if len(per_group) == 1:
            return [per_group[0][0]]
        best = None
        for combo in _combinations(per_group):
            lo, hi = min(s for s, _ in combo), max(e for _, e in combo)
            window = pattern.window or self.window
            if hi - lo <= window + sum(e - s for s, e in combo) and _distinct(combo):
                if best is None or hi - lo < best[0]:
                    best = (hi - lo, combo)
        return list(best[1]) if best else None

    def _group_spans(self, group, stems, masked) -> list[tuple[int, int]]:
        spans = []
        n = len(stems)
        for start in range(n):
            end = self._follow(group, 0, start, stems, masked, first=True)
            if end is not None:
                spans.append((start, end))
        return spans

    def _follow(self, group, k, pos, stems, masked, first=False) -> int | None:
        if k == len(group):
            return pos
        element = group[k]
        if element.alternatives == (("$",),):
            if pos >= len(stems) or stems[pos] in PUNCTUATION or stems[pos] in self.negation_stops:
                return self._follow(group, k + 1, pos, stems, masked)
            return None
        tries = [pos] if first else list(self._next_positions(pos, element.gap, stems))
        for at in tries:
            if at >= len(stems):
                continue
            word = stems[at]
            for phrase in element.by_first.get(word, ()) + element.by_first.get("=" + word.raw, ()):
                stop = _phrase_end(stems, at, phrase)
                if stop is not None and not masked.intersection(range(at, stop)):
                    end = self._follow(group, k + 1, stop, stems, masked)
                    if end is not None:
                        return end
        return None

    @staticmethod
    def _next_positions(pos, gap, stems):
        """Where the next element may start: now, after small words, or within ``gap`` words."""
        yield pos
        i = pos
        while i < len(stems) and stems[i] in SKIPPABLE:
            i += 1
            yield i
        for extra in range(1, gap + 1):
            if i + extra < len(stems):
                yield i + extra

    @staticmethod
    def _near(stems, span, words: "_Phrases", after: int = 2, denied=frozenset()) -> bool:
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        return any(lo - 4 <= i <= hi + after and i not in denied for i, _ in words.find(stems))

    def _negated(self, said: "_Said", span, negative: bool = True) -> bool:
        """A forward negation trigger governs a group of this finding (NegEx); for a pattern that holds
        no negative of its own, also one inside it ("the grandkids DIDN'T get into the pills")."""
        inside = set()
        for s, e in span:
            inside.update(range(s, e))
        stems = said.stems
        if not negative:
            lo = min(s for s, _ in span)
            if any(lo < i < max(e for _, e in span) and i not in said.negation_pseudo for i, _ in said.negations):
                return True
        for s, _ in span:
            lo = max(0, s - self.negation_scope)
            for i, phrase in said.negations:
                if not lo <= i or i + len(phrase) > s or i in inside or i in said.negation_pseudo:
                    continue
                between = stems[i + len(phrase):s]
                if any(w in self.negation_stops or w in PUNCTUATION for w in between):
                    continue
                return True
        return False

    def _hypothetical(self, said: "_Said", start: int) -> bool:
        """A hypothetical trigger ("what if", "in case", "afraid of") before the finding, in its clause."""
        for i, phrase in said.hypotheticals:
            end = i + len(phrase)
            if end > start or i in said.hypothetical_pseudo or (end - 1) in said.hypothetical_pseudo:
                continue
            if not any(w in self.hypothetical_stops or w in ".;!?" for w in said.stems[end:start]):
                return True
        return False

    def _temperatures(self, toks, stems, masked, said) -> list[Finding]:
        """Thermometer readings said near a fever word (or alone, when only a fever fits), each named by
        the family whose threshold it reaches; ``family`` None for a normal reading."""
        if not self.readings:
            return []
        found = []
        fever_at = [i for i, _ in self.reading_words.find(stems) if i not in masked]
        fever_at += [i for i, t in enumerate(toks) if t in self.reading_units]
        for i, tok in enumerate(toks):
            try:
                value = float(tok)
            except ValueError:
                continue
            if not any(abs(i - j) <= 6 for j in fever_at) and not _bare_temperature(toks, i, value):
                continue
            scale = 0 if 90 <= value <= 110 else 1 if 34 <= value <= 44 else None
            if scale is None or self._context(said, [(i, i + 1)]) in ("historical", "other", "fiction", "explained", "resolved"):
                continue
            family = next((f.key for f in self.readings if value >= f.temperature_from[scale]), None)
            if family:
                family = self._qualified(self.by_key[family], "", stems, [(i, i + 1)], said)
            found.append(Finding(family, f"temperature {tok}", i, i + 1))
        return found


def _as_list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


# Words a listed phrase may leave out when said ("half of my face" -> "half my face").
_OPTIONAL_IN_PHRASE = frozenset("of my his her the a an their your".split())


# Words after a figure that say it is no temperature ("a hundred and three years").
_UNIT_WORDS = frozenset(
    "year years old pound pounds lbs lb kilo kilos kg stone steps step feet foot yards yard miles mile "
    "metres meters minutes minute mins hours hour days day weeks week months month mg milligrams "
    "percent beats bpm times calories dollars over out".split())


def _bare_temperature(toks, i: int, value: float) -> bool:
    """A figure said alone that can only be a fever: "she's got a hundred and three"."""
    if i + 1 < len(toks) and toks[i + 1] in _UNIT_WORDS:
        return False
    if i and toks[i - 1] in ("aged", "age", "number", "room", "page", "bus", "route", "turned", "turning"):
        return False
    return 100 <= value <= 108 or ("." in toks[i] and (37.5 <= value <= 43 or 99.5 <= value < 100))


def _phrase_end(stems, i: int, phrase: tuple[str, ...]) -> int | None:
    """End of ``phrase`` said from ``stems[i]``, small words allowed in between or left out
    ("half of my face" is also "half my face" and "half her face"); None if not said there."""
    j, k, skipped = i, 0, 0
    n = len(stems)
    while k < len(phrase):
        if j < n and _same(stems[j], phrase[k]):
            j, k = j + 1, k + 1
        elif k and j < n and stems[j] in SKIPPABLE and skipped < 2:
            j, skipped = j + 1, skipped + 1
        elif k and k < len(phrase) - 1 and phrase[k] in _OPTIONAL_IN_PHRASE:
            k += 1
        else:
            return None
    return j


class _Phrases:
    """Listed phrases, indexed by first word, found in a sentence in one pass."""

    def __init__(self, phrases):
        self.phrases = tuple(p for p in phrases if p)
        by_first: dict = {}
        for phrase in self.phrases:
            by_first.setdefault(phrase[0], []).append(phrase)
        self.by_first = {k: tuple(v) for k, v in by_first.items()}

    def find(self, stems) -> list[tuple[int, tuple[str, ...]]]:
        """(position, phrase) of every listed phrase said in ``stems``."""
        found = []
        get = self.by_first.get
        for i, word in enumerate(stems):
            for phrase in get(word, ()) + get("=" + word.raw, ()):
                if _at(stems, i, phrase):
                    found.append((i, phrase))
        return found


def _at(stems, i: int, phrase: tuple[str, ...]) -> bool:
    return len(stems) - i >= len(phrase) and all(_same(stems[i + k], w) for k, w in enumerate(phrase))


def _distinct(spans) -> bool:
    """No two groups found at the same word ("loss of bladder control" holds BLADDER inside it)."""
    starts = [s for s, _ in spans]
    return len(set(starts)) == len(starts)


def _combinations(per_group):
    if not per_group:
        yield ()
        return
    for first in per_group[0]:
        for rest in _combinations(per_group[1:]):
            yield (first, *rest)
