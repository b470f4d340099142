"""The compiled interaction model: samples as templates (steps 1 and 2) and as weighted concepts
(step 3), and the ranking of a sentence's interpretations (see the package docstring)."""
from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from skill_tools.simulator import envelopes, locale_words
from skill_tools.simulator.builtin_slots import resolve_date, resolve_duration, resolve_number
from skill_tools.simulator.nlu import spoken_numbers
from skill_tools.simulator.nlu.scores import (
    EXACT, FALLBACK, FALLBACK_THRESHOLD, FREE_FORM, LIGHT, LOOSE_SLOT, MARKER_MIN, NORMALISED, PAIRED_MATCH, REAL_MATCH,
    UNRESOLVED, UNRESOLVED_FLOOR, UNRESOLVED_STEP,
)
from skill_tools.simulator.nlu.similarity import Candidate, Sample, Similarity
from skill_tools.simulator.nlu.slot_types import SlotType
from skill_tools.simulator.nlu.words import (
    BUILTIN_SAMPLES, LIGHT_CONCEPTS, NEGATIONS, as_heard, as_said, basic_tokens, canonical_tokens, concepts,
    drop_fillers, expand, strip_invocation,
)

MODEL_DIR = Path(__file__).resolve().parents[3] / "interaction_model"
DEFAULT_MODEL = MODEL_DIR / f"{locale_words.LOCALE}.json"
# What the skill says and reads: with the model's samples, the words speech-to-text is taken to know
CONTENT_FILES = [MODEL_DIR.parent / "skill" / "content" / name for name in ("triage.yaml", "recovery.yaml")]
RANKINGS_KEPT = 20_000    # memo size: a corpus run's sentences, not a long-lived server's every sentence


_BUILT: dict[str, "Understanding"] = {}   # Understanding.for_locale


@functools.cache
def _content_words() -> frozenset:
    return frozenset(w for path in CONTENT_FILES for w in basic_tokens(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ templates and samples
@dataclass
class Template:
    intent: str
    text: str                     # the sample as written in the model
    pieces: list                  # literal words (str) and slot holes (("slot", name))
    literals: int
    slots: tuple

    @staticmethod
    def compile(intent: str, text: str, canonical: bool) -> "Template":
        pieces: list = []
        for part in re.split(r"(\{\w+\})", text):
            if part.startswith("{") and part.endswith("}"):
                pieces.append(("slot", part[1:-1]))
            else:
                toks = basic_tokens(part)
                pieces.extend(expand(toks) if canonical else toks)
        if canonical:             # fillers dropped as in a sentence; holes stay where they are
            words = drop_fillers([p if isinstance(p, str) else "\0" + p[1] for p in pieces])
            pieces = [("slot", w[1:]) if w.startswith("\0") else w for w in words]
        literals = sum(1 for p in pieces if isinstance(p, str))
        return Template(intent, text, pieces, literals, tuple(p[1] for p in pieces if not isinstance(p, str)))


@dataclass
class Interpretation:
    intent: str                 # e.g. "DrivingIntent", "AMAZON.FallbackIntent"
    slots: list[dict]           # slot dicts exactly as Alexa sends them (envelopes.slot)
    confidence: float           # 0..1
    slot_words: dict[str, str]  # slot name -> the words heard (before resolution), for display
    sample: str = field(default="", compare=False)   # the sample that decided, for display


class Understanding(Similarity):
    """The compiled interaction model. Build once (:meth:`from_model_file`), parse often.

    Immutable after construction but for a memo of rankings (a ranking depends only on the words, the
    date, strictness and the slot asked for; corpora say each sentence in several dialog states), so one
    instance can serve several threads."""

    def __init__(self, model: dict, real_match=REAL_MATCH, locale: str = locale_words.LOCALE):
        """``locale``: the model's; its words (nlu/<locale>.yaml over en-US.yaml) read what is typed and
        the built-in slot values ("a fortnight" is P2W in en-GB)."""
        lm = model["interactionModel"]["languageModel"] if "interactionModel" in model else model
        self.locale = locale
        self._ranked: dict[tuple, tuple[Candidate, ...]] = {}
        own = locale_words.words(locale)
        self._typed = sorted(own.get("typed", {}).items(), key=lambda kv: -len(kv[0]))
        self._letters = frozenset(own.get("letters", []))
        self.invocation = lm.get("invocationName", "")
        self.types = {t["name"]: SlotType(t["name"], t.get("values", [])) for t in lm.get("types", [])}
        self.intent_slots: dict[str, list[tuple[str, str]]] = {}
        samples: dict[str, list[str]] = {}
        for intent in lm["intents"]:
            name = intent["name"]
            self.intent_slots[name] = [(s["name"], s["type"]) for s in intent.get("slots", [])]
            samples[name] = list(dict.fromkeys(BUILTIN_SAMPLES.get(name, []) + intent.get("samples", [])))
        for name, phrases in BUILTIN_SAMPLES.items():
            samples.setdefault(name, list(phrases))
            self.intent_slots.setdefault(name, [])
        samples.pop(FALLBACK, None)
        self.known = _content_words() | {w for phrases in samples.values() for t in phrases for w in basic_tokens(t)}
        # slotless alarm intents: matched by similarity only on a real match
        self.real_match = frozenset(i for i in real_match if i in samples and not self.intent_slots.get(i))
        self.slot_types = {(i, s): t for i, slots in self.intent_slots.items() for s, t in slots}
        # elicitation: (intent, slot) -> the bare value, then the slot's dialog samples
        elicit_samples = {
            (intent["name"], s["name"]): list(dict.fromkeys(["{" + s["name"] + "}"] + s.get("samples", [])))
            for intent in lm["intents"] for s in intent.get("slots", [])}

        # 1 + 2: templates on raw and on normalised words
        self.raw_literal: dict[tuple, list[Template]] = {}
        self.raw_slotted: list[Template] = []
        self.canon_literal: dict[tuple, list[Template]] = {}
        self.canon_slotted: list[Template] = []
        self._starts: dict[tuple, list[Template]] = {}      # (id of a template list, first word) -> its templates
        for name, phrases in samples.items():
            for text in phrases:
                self._add(Template.compile(name, text, False), self.raw_literal, self.raw_slotted)
                self._add(Template.compile(name, text, True), self.canon_literal, self.canon_slotted)
        self.elicit_templates = {
            key: ([Template.compile(key[0], t, False) for t in texts],
                  [Template.compile(key[0], t, True) for t in texts])
            for key, texts in elicit_samples.items()}

        # 3: similarity
        docs = [(name, text, self._sampleconcepts(text)) for name, phrases in samples.items() for text in phrases]
        users: dict[str, set] = {}                  # concept -> intents whose samples use it
        for name, _, concepts in docs:
            for c in concepts:
                users.setdefault(c, set()).add(name)
        self.n_intents = len(samples)
        self.idf = {c: self._idf(len(names)) for c, names in users.items()}
        self.unknown_weight = self._idf(1)
        self.vocab: dict[str, set] = {}             # intent -> every concept of its samples
        for c, names in users.items():
            for name in names:
                self.vocab.setdefault(name, set()).add(c)
        self.groups = self._index([self._sample(*d) for d in docs])
        # a real match of these may take two of the intent's samples
        self.paired = {name: [s for members, _ in self.groups.values() for s in members if s.intent == name]
                       for name in self.real_match if name in PAIRED_MATCH}
        self.elicit_groups = {
            key: self._index([self._sample(key[0], t, self._sampleconcepts(t)) for t in texts])
            for key, texts in elicit_samples.items()}

    @classmethod
    def from_model_file(cls, path=None, locale: str | None = None) -> "Understanding":
        """The model of ``locale`` (interaction_model/<locale>.json), or the file ``path`` (its locale:
        ``locale``, else its name's when that is a locale with a model, else en-US)."""
        if path is None:
            path = MODEL_DIR / f"{locale or locale_words.LOCALE}.json"
        elif locale is None:
            stem = Path(path).stem
            locale = stem if (MODEL_DIR / f"{stem}.json").is_file() else locale_words.LOCALE
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f), locale=locale or locale_words.LOCALE)

    @classmethod
    def for_locale(cls, locale: str = locale_words.LOCALE) -> "Understanding":
        """The understanding of a locale's model, built once per process (it is immutable)."""
        found = _BUILT.get(locale)
        if found is None:
            found = _BUILT.setdefault(locale, cls.from_model_file(locale=locale))
        return found

    def _read_typed(self, text: str) -> list[str]:
        """What was typed as Alexa would have heard it: signs and numbers as words, initialisms as letters."""
        for sign, said in self._typed:
            text = text.replace(sign, said)
        text = spoken_numbers.said(text)
        toks = as_heard(basic_tokens(text), self.known)
        if self._letters and not self._letters.isdisjoint(toks):
            toks = [c for t in toks for c in (list(t) if t in self._letters else [t])]
        return toks

    # -------------------------------------------------------------- construction helpers
    @staticmethod
    def _add(tpl: Template, literal: dict, slotted: list) -> None:
        if tpl.slots:
            slotted.append(tpl)
        elif tpl.pieces:
            literal.setdefault(tuple(tpl.pieces), []).append(tpl)

    def _idf(self, n_intents: int) -> float:
        """Weight of a concept used by n intents: a word of one intent says the most."""
        return 1.5 * math.log(1 + self.n_intents / n_intents)

    @staticmethod
    def _sampleconcepts(text: str) -> list[str]:
        toks: list[str] = []
        for part in re.split(r"(\{\w+\})", text):
            if part.startswith("{") and part.endswith("}"):
                toks.append("<" + part[1:-1] + ">")
            else:
                toks.extend(expand(basic_tokens(part)))
        return concepts(drop_fillers(toks))

    def _weight(self, concept: str) -> float:
        if concept.startswith("<"):
            return max(self.idf.get(concept, 0.0), MARKER_MIN)
        weight = self.idf.get(concept, self.unknown_weight)
        return weight * LIGHT if concept in LIGHT_CONCEPTS else weight

    def _sample(self, intent: str, text: str, concepts: list[str]) -> Sample:
        weights = {c: self._weight(c) for c in set(concepts)}
        slots = frozenset(c[1:-1] for c in weights if c.startswith("<"))
        at = next((i for i, c in enumerate(concepts) if c.startswith("<")), len(concepts))
        frame = (frozenset(concepts[:at]), frozenset(concepts[at + 1:]))
        return Sample(intent, text, weights, sum(weights.values()), slots, frame, not NEGATIONS.isdisjoint(weights))

    def _index(self, samples: list[Sample]) -> dict:
        """Samples grouped by their slots ((slot, type) pairs), each group with an inverted
        index concept -> positions, so a sentence meets only the samples sharing a concept."""
        groups: dict[tuple, tuple[list, dict]] = {}
        for sample in samples:
            kinds = dict(self.intent_slots.get(sample.intent, []))
            key = tuple(sorted((name, kinds.get(name, "")) for name in sample.slots))
            members, index = groups.setdefault(key, ([], {}))
            for concept in sample.weights:
                index.setdefault(concept, []).append(len(members))
            members.append(sample)
        return groups

    # -------------------------------------------------------------- public API
    def parse(self, text: str, today, *, strict=False, elicit: tuple[str, str] | None = None) -> Interpretation:
        """The best interpretation of `text`, said on the device's local date `today`."""
        return self.top(text, today, 1, strict=strict, elicit=elicit)[0]

    def top(self, text: str, today, n=3, *, strict=False, elicit=None) -> list[Interpretation]:
        """The n best interpretations, best first, one per intent. When the best scores below
        FALLBACK_THRESHOLD, the first is AMAZON.FallbackIntent (confidence: that best score)
        and the near misses follow."""
        if isinstance(today, _dt.datetime):
            today = today.date()
        raw = strip_invocation(self._read_typed(text), self.invocation)
        key = (tuple(raw), today, strict, tuple(elicit) if elicit else None)
        ranked = self._ranked.get(key)
        if ranked is None:
            if len(self._ranked) >= RANKINGS_KEPT:
                self._ranked.clear()
            ranked = self._ranked[key] = tuple(self._rank(*key))
        best = ranked[0].score if ranked else 0.0
        out: list[Interpretation] = []
        if best < FALLBACK_THRESHOLD:
            out.append(Interpretation(FALLBACK, [], round(best, 3), {}))
        out += [self._interpretation(c, today, raw) for c in ranked[: max(0, n - len(out))]]
        return out

    # -------------------------------------------------------------- ranking
    def _rank(self, raw: list[str], today, strict: bool, elicit, apart: bool = True) -> list[Candidate]:
        if not raw:
            return []
        best: dict[str, Candidate] = {}

        def offer(cands) -> None:
            for c in cands:
                old = best.get(c.intent)
                if old is None or (c.score, c.literals) > (old.score, old.literals):
                    best[c.intent] = c

        canon = canonical_tokens(raw)
        offer(self._exact(raw, self.raw_literal, self.raw_slotted, today, EXACT, UNRESOLVED))
        if not strict:
            offer(self._exact(canon, self.canon_literal, self.canon_slotted, today, NORMALISED, UNRESOLVED - 0.05,
                              loose=True))
            offer(self._similar(canon, today, elicit))
            if apart and max((c.score for c in best.values()), default=0.0) < FALLBACK_THRESHOLD:
                offer(self._said_after(canon, today))      # nothing fits the whole: a crisis said after it?
        ranked = sorted(best.values(), key=lambda c: (-c.score, -c.literals, c.intent))
        if elicit in self.elicit_templates:
            raw_t, canon_t = self.elicit_templates[elicit]
            found = list(self._exact(raw, {}, raw_t, today, EXACT, UNRESOLVED))
            if not found and not strict:
                found = list(self._exact(canon, {}, canon_t, today, NORMALISED, UNRESOLVED - 0.05))
            if found:
                elicited = max(found, key=lambda c: (c.score, c.literals))
                rival = next((c for c in ranked if c.intent != elicited.intent), None)
                # another intent's sample said word for word keeps its intent; an elicited
                # free-text slot also yields to any clear other intent
                clear = rival is not None and (
                    (rival.score >= NORMALISED and not rival.filled)
                    or (self._free_text(elicit) and rival.score >= 0.7))
                if not clear:
                    ranked = [elicited] + [c for c in ranked if c.intent != elicited.intent]
        return ranked

    def _free_text(self, elicit) -> bool:
        kind = self.slot_types.get(elicit, "")
        return kind not in ("AMAZON.DATE", "AMAZON.DURATION", "AMAZON.NUMBER")

    # -------------------------------------------------------------- 1 + 2: templates
    def _exact(self, toks, literal: dict, slotted: list, today, score: float, unresolved: float,
               loose: bool = False):
        for tpl in literal.get(tuple(toks), []):
            yield Candidate(tpl.intent, score, tpl.literals, {}, tpl.text)
        for tpl in self._starting(slotted, toks[0]) if toks else ():
            if len(toks) < len(tpl.pieces):
                continue
            filled = self._match(tpl.intent, tpl.pieces, toks, today)
            if filled is None:
                continue
            s = score
            if not tpl.literals and not self._all_resolve(tpl.intent, filled):
                # a sample that is only a slot takes words that say one of its values; words only
                # like its values, barely: above the fallback, below any other match
                if not (loose and self._all_sound_like(tpl.intent, filled)):
                    continue
                s = LOOSE_SLOT
            for slot_name, words in filled.items():
                kind = self.slot_types.get((tpl.intent, slot_name), "")
                if kind == "AMAZON.SearchQuery" and words[0] == "not":
                    s = 0.0         # "i've {..}" taking the "have" of "haven't": not what was said
                if kind == "AMAZON.SearchQuery":
                    # the carrier says little: any words fit, the more the less sure
                    s = min(s, max(FREE_FORM, unresolved - UNRESOLVED_STEP * (len(words) - 1)))
                elif kind in self.types and (self.types[kind].resolve(words) is None or (
                        not tpl.literals and not self.types[kind].said_exactly(words))):
                    # the longer the unknown phrase, the less it looks like a slot value; a sample that is
                    # only a slot, said with more than a value, is no surer than that
                    s = min(s, max(UNRESOLVED_FLOOR, unresolved - UNRESOLVED_STEP * (len(words) - 1)))
            yield Candidate(tpl.intent, s, tpl.literals, filled, tpl.text)

    def _starting(self, slotted: list, first: str) -> list:
        """The templates of `slotted` that words starting with `first` may match, in order: theirs and a slot's."""
        key = (id(slotted), first)
        if key not in self._starts:
            self._starts[key] = [t for t in slotted if not isinstance(t.pieces[0], str) or t.pieces[0] == first]
        return self._starts[key]

    def _all_sound_like(self, intent: str, filled: dict) -> bool:
        return all(self.types[kind].sounds_like(words) for slot_name, words in filled.items()
                   if (kind := self.slot_types.get((intent, slot_name), "")) in self.types)

    def _all_resolve(self, intent: str, filled: dict) -> bool:
        for slot_name, words in filled.items():
            kind = self.slot_types.get((intent, slot_name), "")
            if kind in self.types and not self.types[kind].mentions(words):
                return False
        return True

    def _match(self, intent: str, pieces: list, toks: list[str], today) -> dict | None:
        """Heard words per slot if the template covers exactly `toks`, else None."""
        if not pieces:
            return {} if not toks else None
        head, rest = pieces[0], pieces[1:]
        if isinstance(head, str):
            return self._match(intent, rest, toks[1:], today) if toks and toks[0] == head else None
        kind = self.slot_types.get((intent, head[1]), "")
        for end in range(1, len(toks) - len(rest) + 1):   # shortest capture first
            if rest and isinstance(rest[0], str) and toks[end] != rest[0]:
                continue
            if not rest and end != len(toks):
                continue
            words = toks[:end]
            if self._builtin_value(kind, words, today) is False:
                continue
            tail = self._match(intent, rest, toks[end:], today)
            if tail is not None:
                return {head[1]: words, **tail}
        return None

    def _builtin_value(self, kind: str, words: list[str], today):
        """Value of a built-in type for the words; False when they do not resolve; None for a
        type that takes any words (a custom type, AMAZON.SearchQuery, ...)."""
        text = " ".join(words)
        try:
            if kind == "AMAZON.DATE":
                return resolve_date(text, today) or False
            if kind == "AMAZON.DURATION":
                return resolve_duration(text, self.locale) or False
            if kind == "AMAZON.NUMBER":
                return resolve_number(text) or False
        except (ValueError, IndexError, KeyError):
            return False
        return None

    # -------------------------------------------------------------- result
    def _interpretation(self, cand: Candidate, today, raw=()) -> Interpretation:
        slots, heard = [], {}
        for slot_name, kind in self.intent_slots.get(cand.intent, []):
            words = cand.filled.get(slot_name)
            value = self._builtin_value(kind, words, today) if words else False
            if value is False:                         # not filled (Alexa still sends the slot)
                slots.append(envelopes.slot(slot_name))
                continue
            if value is None:
                # free words are sent as they were said: "no pain really, just stiff" keeps its "just"
                words = as_said(words, raw) or words
            text = " ".join(words)
            heard[slot_name] = text
            if kind in self.types:
                hit = self.types[kind].resolve(words)
                slots.append(envelopes.slot(slot_name, text, slot_type=kind, resolved_id=hit[0] if hit else None,
                                            resolved_name=hit[1] if hit else None))
            else:
                slots.append(envelopes.slot(slot_name, text if value is None else value))
        return Interpretation(cand.intent, slots, round(cand.score, 3), heard, cand.sample)
