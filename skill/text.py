"""The one text module: how said or typed words become tokens, for triage, content lookup and the
simulator's language understanding.

The algorithms live here; the words they need (negative spellings, speech-to-text contractions,
number words, stem exceptions...) come from a locale's ``words.yaml`` (see
``skill/content/locales/en/words.yaml``) through :func:`skill.content.load`, so a new
English-speaking country, or a word that was missing, touches data only. Plain Python with no
imports beyond the standard library: the Lambda cold start does not pay for it until it is used.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DEFAULT_LOCALE = "en-US"
LOCALES_DIR = Path(__file__).parent / "content" / "locales"
PUNCTUATION = frozenset(".,;:!?")
_STEMS_KEPT = 50_000        # remembered stems (a bound on a long-lived process's memory)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)*|[.,;:!?]")     # triage: figures and punctuation kept
_PLAIN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")                   # understanding: words only


def fold(text: str) -> str:
    """Lower case, one apostrophe, hyphens as spaces, accents dropped ("débil" -> "debil", "caída"
    one word "caida", as Alexa would hear it)."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("-", " ")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text


def plain_tokens(text: str) -> list[str]:
    """Folded words, punctuation dropped, apostrophes inside words kept; hyphens and the periods of
    initials ("v. c. f.") split words (what the simulator's understanding matches samples on)."""
    return _PLAIN_TOKEN.findall(fold(text))


def word_files(locale: str = DEFAULT_LOCALE) -> list[str]:
    """The word files of a locale, relative to ``skill/content``, shared language first: an English
    locale reads ``locales/en/words.yaml`` and then its own ``locales/en-US/words.yaml`` if it has one."""
    language = locale.split("-")[0]
    names = [f"locales/{language}/words.yaml"]
    if locale != language and (LOCALES_DIR / locale / "words.yaml").exists():
        names.append(f"locales/{locale}/words.yaml")
    if not (LOCALES_DIR / language / "words.yaml").exists():
        raise ValueError(f"no word data for locale {locale!r}")
    return names


def merged(parts: list[dict]) -> dict:
    """The word data of a locale from its files in order. A later file's mapping merges into the earlier
    one's key by key, at any depth (``triage: {celsius_units: [...]}`` changes that list and keeps the
    other triage words); anything else (a list, a word) replaces the earlier value."""
    data: dict = {}
    for part in parts:
        data = _merged(data, part or {})
    return data


def _merged(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@functools.cache
def for_locale(locale: str = DEFAULT_LOCALE) -> "Language":
    """A locale's Language read straight from its YAML (tools and tests; the skill gets the same from
    :func:`skill.content.load`, which reads the compiled JSON for the cold start)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Language(merged([yaml.load((LOCALES_DIR.parent / name).read_text(encoding="utf-8"), loader)
                            for name in word_files(locale)]))


def _alternation(forms) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b")


class Language:
    """One locale's word data, and the tokenising, stemming and number reading that use it."""

    def __init__(self, data: dict):
        self.data = data
        negatives = {form: spelling for spelling, forms in data.get("negatives", {}).items() for form in forms}
        self._negatives = negatives
        self._asr = dict(data.get("asr_contractions", {}))
        self._stem_exceptions = dict(data.get("stem_exceptions", {}))
        self._stems: dict[str, str] = {}
        numbers = data.get("numbers", {})
        self._units = {w: i for i, w in enumerate(numbers.get("units", []))}
        self._units.update({w: 0 for w in numbers.get("zero", [])})
        self._tens = {w: 10 * (i + 2) for i, w in enumerate(numbers.get("tens", []))}
        self._hundred, self._thousand = numbers.get("hundred"), numbers.get("thousand")
        self._article, self._joiner, self._point = numbers.get("article"), numbers.get("joiner"), numbers.get("point")
        self._half = list(numbers.get("half", []))
        self._never_alone = frozenset(numbers.get("never_alone", []))
        self._expansions = {k: v.split() for k, v in data.get("expansions", {}).items()}
        self._is_hosts = frozenset(data.get("is_hosts", []))
        self._suffixes = [(suffix, full.split()) for suffix, full in data.get("suffix_expansions", [])]

    # The patterns of words(), compiled by the first sentence read (a LaunchRequest reads none).
    @functools.cached_property
    def _negatives_re(self) -> re.Pattern | None:
        return _alternation(self._negatives) if self._negatives else None

    @functools.cached_property
    def _asr_re(self) -> re.Pattern | None:
        return _alternation(self._asr) if self._asr else None

    @functools.cached_property
    def _clitic(self) -> re.Pattern | None:
        clitics = self.data.get("clitics")
        return re.compile("'(?:" + "|".join(clitics) + ")$") if clitics else None

    def words_of(self, section: str, name: str) -> frozenset:
        """A plain word list of the locale's data (``section``: who reads it, such as "triage")."""
        return frozenset(self.data.get(section, {}).get(name, []))

    # ------------------------------------------------------------------ triage's words
    def words(self, text: str | None) -> list[str]:
        """The words of ``text`` as the triage rules see them: folded, one spelling of the negatives,
        the apostrophes speech-to-text dropped put back, clitics dropped ("mother's" -> "mother"),
        spoken numbers as figures ("a hundred and three" -> "103"), punctuation kept as words."""
        text = fold(str(text or ""))
        if self._negatives_re is not None:
            text = self._negatives_re.sub(lambda m: self._negatives[m.group(1)], text)
        if self._asr_re is not None:
            text = self._asr_re.sub(lambda m: self._asr[m.group(1)], text)
        toks = _TOKEN.findall(text)
        if self._clitic is not None:
            toks = [t if "n't" in t else self._clitic.sub("", t) for t in toks]
        return self.spoken_numbers(toks)

    def stem(self, word: str) -> str:
        """A light English stemmer: enough to join "faint", "fainted", "fainting" and "faints"
        (triage and content lookup). Words it would merge with another are listed exceptions.
        Remembered: a request stems the same few hundred words again and again."""
        found = self._stems.get(word)
        if found is None:
            found = self._stem(word)
            if len(self._stems) < _STEMS_KEPT:
                self._stems[word] = found
        return found

    def _stem(self, word: str) -> str:
        if word in self._stem_exceptions:
            return self._stem_exceptions[word]
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

    # ------------------------------------------------------------------ understanding's words
    @staticmethod
    def loose_stem(word: str) -> str:
        """The simulator's understanding's stemmer: looser than :meth:`stem` (it also strips "-ly" and
        "-y": "stiffly" and "bumpy" are "stiff" and "bump"; it has no exceptions), because it compares
        a sentence with samples for similarity, where a missed join costs more than a false one.
        Kept apart from :meth:`stem` because the triage rules and the understanding's accuracy were
        both tuned on their own stemmer."""
        if len(word) <= 3 or not word.isalpha():
            return word
        for suffix in ("ness", "ing", "ed", "ies", "es", "s", "ly", "y"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith(("ss", "us", "is")):
                    continue
                if suffix == "y" and (len(word) < 5 or word[-2] in "aeiouy"):
                    continue                                     # "they", "very", "today"
                if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                    continue
                word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                    word = word[:-1]                             # stopping -> stop
                break
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
        return word

    def expand(self, toks: list[str]) -> list[str]:
        """Contractions spelled out, possessive 's dropped: "what's" -> "what is", "doctor's" -> "doctor"."""
        out: list[str] = []
        for tok in toks:
            if tok in self._expansions:
                out.extend(self._expansions[tok])
                continue
            if tok.endswith("'s"):
                head = tok[:-2]
                out.extend([head, "is"] if head in self._is_hosts else [head])
                continue
            for suffix, full in self._suffixes:
                if tok.endswith(suffix) and len(tok) > len(suffix):
                    out.extend([tok[: -len(suffix)]] + full)
                    break
            else:
                out.append(tok)
        return out

    # ------------------------------------------------------------------ spoken numbers
    def spoken_numbers(self, toks: list[str]) -> list[str]:
        """Number words to figures: "a hundred and three" -> "103", "thirty nine point five" -> "39.5",
        "one oh three" -> "103". Other words pass unchanged."""
        out: list[str] = []
        i = 0
        while i < len(toks):
            value, used = self._read_number(toks, i)
            if used:
                out.append(value)
                i += used
            else:
                out.append(toks[i])
                i += 1
        return out

    def _read_number(self, toks: list[str], i: int) -> tuple[str, int]:
        """(figure, words used) of a spoken number starting at ``toks[i]``, or ("", 0)."""
        units, tens, hundred, thousand = self._units, self._tens, self._hundred, self._thousand
        run: list[str] = []
        j = i
        while j < len(toks):
            tok = toks[j]
            if tok in units or tok in tens or tok == hundred or tok == thousand:
                run.append(tok)
            elif tok == self._article and not run and j + 1 < len(toks) and toks[j + 1] == hundred:
                pass
            elif tok == self._joiner and hundred in run and j + 1 < len(toks) and (
                    toks[j + 1] in units or toks[j + 1] in tens):
                pass
            else:
                break
            j += 1
        if not run or (len(run) == 1 and run[0] in self._never_alone):
            return "", 0
        if thousand in run:                                        # "two thousand ten"
            k = run.index(thousand)
            value = (self._small(run[:k]) or 1) * 1000 + self._hundreds(run[k + 1:])
        elif self._is_year(run):                                   # "nineteen eighty five", "twenty ten"
            value = self._small(run[:1]) * 100 + self._small(run[1:])
        elif hundred in run:
            value = self._hundreds(run)
        elif len(run) == 2 and units.get(run[0]) == 0 and run[1] in units and units[run[1]] < 10:
            return f"0{units[run[1]]}", j - i                       # "oh four": a year, 04
        elif len(run) > 1 and all(t in units and units[t] < 10 for t in run):
            value = int("".join(str(units[t]) for t in run))       # "one oh three"
        elif len(run) >= 2 and 0 < units.get(run[0], 0) < 10 and (run[1] in tens or 10 <= units.get(run[1], 0)):
            value = units[run[0]] * 100 + self._small(run[1:])     # a reading said in pairs: "one forty" is 140
        elif len(run) == 3 and run[0] in tens and all(units.get(t, 10) < 10 for t in run[1:]):
            # a thermometer read out: "ninety eight six" is 98.6, "thirty eight five" 38.5
            return f"{tens[run[0]] + units[run[1]]}.{units[run[2]]}", j - i
        else:
            value = self._small(run)
        text = str(value)
        if self._half and toks[j:j + len(self._half)] == self._half:
            text += ".5"
            j += len(self._half)
        elif j + 1 < len(toks) and toks[j] == self._point and (toks[j + 1] in units or toks[j + 1].isdigit()):
            text += "." + (str(units[toks[j + 1]]) if toks[j + 1] in units else toks[j + 1])
            j += 2
        return text, j - i

    def _hundreds(self, run: list[str]) -> int:
        if self._hundred not in run:
            return self._small(run)
        k = run.index(self._hundred)
        return (self._small(run[:k]) or 1) * 100 + (self._small(run[k + 1:]) or 0)

    def _is_year(self, run: list[str]) -> bool:
        """A year said in pairs: a teen or the first of the tens, then tens or a teen ("nineteen
        eighty", "twenty ten")."""
        units, tens = self._units, self._tens
        return (len(run) >= 2 and (10 <= units.get(run[0], 0) or tens.get(run[0]) == 20)
                and (run[1] in tens or 10 <= units.get(run[1], 0)) and self._hundred not in run)

    def _small(self, run: list[str]) -> int:
        """Value of tens and units ("thirty nine" -> 39)."""
        return sum(self._tens.get(t, self._units.get(t, 0)) for t in run)
