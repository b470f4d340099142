"""The triage engine: a sentence's words matched against the compiled families, in context."""
from __future__ import annotations

import threading

from skill import text
from skill.text import PUNCTUATION
from skill.triage.context import Context, Said, _last_person_is_self
from skill.triage.disowned import Disowned
from skill.triage.identified import Identified
from skill.triage.compiled import Finding, Pattern
from skill.triage.model import EMERGENCY, LEVELS, NOT_HEALTH, UNKNOWN, Verdict
from skill.triage.phrases import Word, combinations, covered, distinct, phrase_end
from skill.triage.readings import Readings
from skill.triage.rules import Compiling

_COMPILING = threading.Lock()
WHOLE_SENTENCE = "the sentence as a whole (crisis model)"   # what a crisis model finding "matched"


class Triage(Compiling, Context, Disowned, Identified, Readings):
    """The families and their rules, compiled on first use: a LaunchRequest needs no triage, so a
    Lambda cold start does not pay for it (plain classes, for the same reason)."""

    def __init__(self, spec: dict, language: "text.Language | None" = None, crisis_model=None):
        """``crisis_model``: a :class:`~skill.triage.crisis_model.CrisisModel` asked when no pattern found crisis
        words (``crisis_model.family`` in triage.yaml), or None."""
        self._spec = spec
        self._compiled = False
        self.language = language or text.for_locale()
        settings = spec.get("crisis_model") or {}
        self.crisis_family = settings.get("family")
        self.crisis_by_rules = settings.get("rules_family")   # the model is not asked beside it
        self.crisis_model = crisis_model if self.crisis_family else None
        unheard = settings.get("unheard") or {}     # the model's scores under which crisis words are not heard
        self.unheard_below, self.topic_below = unheard.get("below"), unheard.get("topic_below")
        self.asked_below = unheard.get("asked_below")
        self.topic_patterns = frozenset(unheard.get("topic_patterns", ()))

    def __getattr__(self, name: str):
        """The compiled rules, compiled by the first thread that needs them (others wait for it)."""
        state = self.__dict__
        if name.startswith("__") or state.get("_compiled", True):
            raise AttributeError(name)
        with _COMPILING:
            if not state["_compiled"]:
                # compiled aside, then put in place at once: no thread sees half the rules
                rules = Triage.__new__(Triage)
                rules.__dict__.update(_compiled=True, language=self.language)
                rules._compile_rules(self._spec)
                state.update({k: v for k, v in rules.__dict__.items() if not k.startswith("_comp")})
                state["_compiled"] = True
        return object.__getattribute__(self, name)


    def classify(self, text: str | None, slot_ids=(), *, asked: bool = False) -> Verdict:
        """The level and families of what was said. ``slot_ids``: entity-resolution ids Alexa matched;
        ``asked``: the words came in a question (a medicine question's slot), so what is only ever
        reported ("I took two instead of one") is asked about, not found."""
        toks = self.language.words(text)
        stem = self.language.stem
        stems = [Word(t, stem) for t in toks]
        figurative = covered(self.figurative.find(stems))      # masks every family's words
        # masks all but figurative_only families; an injury "in the fall" (still_findings) is no season
        listed = self.not_findings.find(stems)
        still = covered(self.still_findings.find(stems))
        year = self._back_in_year(stems)
        masked = figurative | year | (covered(listed) - still)
        findings, readings, dropped = self._findings(toks, stems, masked, figurative)
        findings = self._unless_unheard(toks, stems, findings)
        # the same, but for a medicine named by its organ ("heart pills" are no chest): it says nothing of what is meant
        named = covered(self.organ_medicines.find(stems)) if listed else set()
        aside = figurative | year | (covered(n for n in listed if not named & covered([n])) - still)
        if self._heard_as_crisis(toks, findings, aside or dropped, asked):
            findings.append(Finding(self.crisis_family, WHOLE_SENTENCE, 0, 0))
        after = 0 if asked else self._before_doing(stems)
        if after is not None:
            # a finding that runs into the question ("forgot his pill, should he double it") is asked too
            findings = [f._replace(hypothetical=True) if self.by_key[f.family].reported_only and f.end > after
                        else f for f in findings]
            effect = self._effect_asked(stems, after)
            if effect is not None:     # "will the aspirin make me bleed": what it would do, asked before taking it
                start, end = effect
                # a finding reaching into the effect asked ("the relaxer make me dizzy") is asked too
                findings = [f._replace(hypothetical=True) if not self.by_key[f.family].always
                            and f.start < end and max(f.end, f.start + 1) > start else f for f in findings]
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
            # "does tylenol pm have ...", "... my calcium, why is that": a question naming a medicine
            question = after is not None or bool(self.medicine_questions.find(stems))
            asked = self.asked_about_medicine(text, mentioned) if question else None
            if asked is not None:
                return asked
            literal = [w for i, w in enumerate(stems) if i not in figurative]
            level = UNKNOWN if (findings or readings or self.is_health(literal)) else NOT_HEALTH
            return Verdict(level, (), None, mentioned)
        level_of = {f.family: self.by_key[f.family].level for f in real}
        # worst level first; within emergency, a physical emergency before crisis words (911, then 988)
        order = sorted(dict.fromkeys(f.family for f in real), key=lambda k: (
            LEVELS.index(level_of[k]), self.by_key[k].speaks_second, self.rank[k]))
        best = order[0]
        matched = tuple(dict.fromkeys(" ".join(toks[f.start:f.end]) or f.pattern for f in real if f.family == best))
        return Verdict(level_of[best], matched, best, mentioned, tuple(order))

    def _unless_unheard(self, toks, stems, findings: list[Finding]) -> list[Finding]:
        """Crisis words the patterns found, set aside where the model gives the whole sentence less than
        ``crisis_model.unheard``'s ``below``, or its ``topic_below`` when only ``topic_patterns`` found them (the
        topic's words, said in everyday senses too): on writers' files it never saw, the model scored nearly
        every crisis the patterns caught over 0.85, and most of the everyday twins they alarmed near 0. Under
        ``asked_below`` after a question (``context.answered.question``, ``asked_by``; not ``not_asked``): a screening
        question read out. Never where ``unless_after`` follows them (an answer yes), nor beside ``kept_beside``."""
        crisis = [f for f in findings if f.family == self.crisis_by_rules and not (f.negated or f.hypothetical)]
        if self.unheard_below is None or self.crisis_model is None or not crisis or any(
                f.family in self.kept_beside and not (f.negated or f.hypothetical) for f in findings):
            return findings     # what is only mentioned ("my uncle took his life years ago") stays mentioned
        topic = self.topic_below is not None and all(f.pattern in self.topic_patterns for f in crisis)
        least = self.topic_below if topic else self.unheard_below
        first = min(f.start for f in crisis)
        questions = [*self.settled["question"].find(stems), *self.asked_by.find(stems)]
        if self.asked_below and any(i + len(p) <= first and p not in self.not_asked for i, p in questions):
            least = max(least, self.asked_below)
        # "asked if he feels like a burden and he said yes": the words affirmed, not everyday
        if self.crisis_model.score(toks) >= least or any(i >= first for i, _ in self.affirmed.find(stems)):
            return findings
        return [f for f in findings if f not in crisis]

    def _heard_as_crisis(self, toks, findings, set_aside, asked: bool) -> bool:
        """The crisis model hears crisis words: where words were set aside (a figure of speech, an everyday phrase
        listed other than a medicine named by its organ, a programme's, a pet's or a denied thought) only at its
        ``set_aside`` score; not beside crisis words found (``rules_family``); beside another finding, even one
        denied or asked about ("so i don't wake up"), at its ``beside_findings`` score ("putting my pain pills aside
        till there's enough": the medicine's words); in a question (a medicine's, a subject's, a "what if"), found
        beside or not, at its ``asked`` score ("can i drive on the highway, i keep thinking about going off the
        overpass")."""
        model = self.crisis_model
        if model is None or any(f.family == self.crisis_by_rules for f in findings):
            return False
        return model.hears_crisis(toks, beside_finding=bool(findings), asked=asked, set_aside=bool(set_aside))

    def asked_about_medicine(self, text: str | None, mentioned=()) -> Verdict | None:
        """The verdict of a question about a medicine that names one (``asked_alone``'s family, the pharmacist),
        or None when the words name no medicine or no family is marked so."""
        alone = self.asked_alone
        if alone is None or not self.mentions_medicine(text, drinks=False):
            return None
        return Verdict(alone.level, (), alone.key, tuple(mentioned), (alone.key,))

    def _effect_asked(self, stems, after: int) -> tuple[int, int] | None:
        """(start, end) of the words after an effect asked about a named medicine (``before_doing.effects``:
        "make me", "cause"), in a question asked before doing: the medicine is named before the effect. They
        end with the clause, at words saying it is happening now ("like this", "it won't") or after
        ``effect_reach`` words: "does it make you bleed like this, it won't stop" is a report."""
        for i, phrase in self.before_effects.find(stems):
            if i > after and self.mentions_medicine(" ".join(w.raw for w in stems[after:i]), drinks=False):
                start = i + len(phrase)
                end = min(start + self.effect_reach, len(stems))
                ends = [k for k, _ in self.effect_ends.find(stems) if k >= start]
                ends += [k for k in range(start, end) if stems[k] in PUNCTUATION]
                return start, min(ends + [end])
        return None

    def _back_in_year(self, stems) -> set[int]:
        """"back in 1998", "back in oh six": a time, no back (the not_findings "back in twenty" for years
        heard as figures)."""
        return {i for i in range(len(stems) - 2) if stems[i] == "back" and stems[i + 1] == "in" and (
            i == 0 or stems[i - 1] not in self.story_owners) and (
            self.short_year(stems, i + 2) or len(stems[i + 2]) == 4 and stems[i + 2].isdigit())}

    def is_health(self, stems) -> bool:
        """Whether the words name a symptom, body part, medicine, injury or someone in distress at all."""
        return bool(self.health.find(stems) or self.health_extra.find(stems))

    def asked_and_happening(self, text: str | None) -> bool:
        """Whether what was asked about is also said to be happening (``hypothetical.now_after``: "what if you
        took too many, because i think i did"), or an emergency is still found with the question's "if" put back
        (``hypothetical.asked_as``): Alexa sends "what if {someone is having a stroke my wife's face is drooping}"
        without its "what if", and the person named after the question reports now."""
        if self.hypothetical_now.find([Word(t, self.language.stem) for t in self.language.words(text)]):
            return True
        return bool(self.asked_as) and self.classify(f"{self.asked_as} {text or ''}").level == EMERGENCY

    def mentions_medicine(self, text: str | None, drinks: bool = True) -> bool:
        """Whether the words name a medicine or a pill, or (``drinks``) an alcoholic drink."""
        stem = self.language.stem
        stems = [Word(t, stem) for t in self.language.words(text)]
        names = self.medicine_names[drinks]
        return any(phrase_end(stems, i, phrase, self.skippable, self.optional_in_phrase) is not None
                   for i, word in enumerate(stems) for phrase in names.get(word, ()) + names.get("=" + word.raw, ()))

    def _findings(self, toks, stems, masked, figurative) -> tuple[list[Finding], list[Finding], bool]:
        """(findings, thermometer readings, whether context set one aside): every family said, in context."""
        findings: list[Finding] = []
        cache: dict = {}
        said = Said(self, stems, figurative)
        present = {w for w in stems} | {"=" + w.raw for w in stems}
        candidates = sorted({c for w in present for c in self.by_needed_word.get(w, ())})
        again = {i for i, _ in self.again_follows.find(stems)}
        for fi, pi in candidates:
            fam, pattern = self.families[fi], self.families[fi].patterns[pi]
            # figurative speech is never a finding at any level; listed phrases mask only emergencies
            mask = (figurative if fam.figurative_only else masked) if fam.level == EMERGENCY else figurative
            if any(need.isdisjoint(present) for need in pattern.needs):
                continue  # a group or a word of one none of whose first words was said
            found, first_end = None, None
            for span in self._matches(pattern, stems, mask, cache):
                start = min(s for s, _ in span)
                end = max(e for _, e in span)
                if first_end is not None and not any(first_end <= k < start for k in said.again_at) and not (
                        again & {end, end + 1} and start and stems[start - 1] in self.people):
                    continue              # said again, but in the same breath: the first place decides
                finding = self._read(fam, pattern, span, stems, masked, said)
                if finding is None and self._moved_aside(fam, pattern, span, stems, said):
                    continue              # "felt faint" settled: a faint said after it is still read
                found = found or finding
                if finding is not None and not (finding.negated or finding.hypothetical):
                    found = finding       # said again after "today", "and my husband": now, for real
                    break
                first_end = max(e for _, e in span) if first_end is None else first_end
            if found is not None:
                findings.append(found)
        asked = self._asked(said, [f.start for f in findings])   # "what does saddle numbness mean"
        if asked:
            findings = [f._replace(hypothetical=True) if f.start in asked and not self.by_key[f.family].always
                        else f for f in findings]
        readings = self._temperatures(toks, stems, masked, said)
        if readings:  # a thermometer reading said decides over the bare word "fever"
            findings = [f for f in findings if not self.by_key[f.family].reading_decides]
            findings += [r for r in readings if r.family]
        findings += self._pulses(toks, stems, said)
        return findings, readings, said.dropped


    def _moved_aside(self, fam, pattern: Pattern, span, stems, said) -> bool:
        """A span a qualifier moved to another family of the same level ("felt faint": near_faint)."""
        if not fam.qualifiers:
            return False
        family = self._qualified(fam, pattern.text, stems, span, said)
        return family != fam.key and self.by_key[family].level == fam.level

    def _read(self, fam, pattern: Pattern, span, stems, masked, said) -> Finding | None:
        """The finding a pattern said at ``span`` makes in its context, or None when the context sets it aside."""
        family = self._qualified(fam, pattern.text, stems, span, said)
        if fam.level != EMERGENCY and self.by_key[family].level == EMERGENCY and any(
                k in masked for s, e in span for k in range(s, e)):
            family = fam.key          # made an emergency by a qualifier: figurative words do not ("gives me chills")
        context = self._context(said, span)
        if context is None and not fam.always and self._identified(said, span, family):
            context = "explained"     # "the clicking in my chest was my bra clasp": something else, named
        if context in ("historical", "resolved") and self._returned(said, span):
            context = None            # "... and it started up again": now
        elif context == "explained" and (self._returned(said, span) or self._refuted(said, span)):
            context = None            # "they said it was anxiety but it's back": the explanation was wrong
        if fam.always and context not in (None, "fiction") and self._context(said, span, only="fiction"):
            context = "fiction"       # "in my book club book the lady walks into the sea at the end": the book's
        if context == "fiction" and fam.always and any(w in self.self_words for s, e in span for w in stems[s:e]):
            context = None            # "the movie made me want to kill MYSELF": the speaker's own crisis words
        if fam.always and context != "fiction" and self._disowned(said, span):
            said.dropped = True       # "he isn't suicidal, he just wants the thermostat": plainly disowned
            return None
        if context == "fiction" or (not fam.always and context in ("historical", "other", "explained", "figurative")):
            said.dropped = True       # a programme's words are never a finding, even crisis words
            return None               # not now, not someone here, or explained away
        if (not fam.always and context in (None, "resolved") and self._settled(said, span, family)
                and not self._refuted(said, span)):
            said.dropped = True       # resolved with a cause, or a belief corrected: explained
            return None
        if context in (None, "resolved") and not self._refuted(said, span) and self._checked_clear(said, span, family):
            family = self.found_clear_to     # "my chest felt tight last night, the er ran tests, all normal": seen
        elif not fam.always and context == "resolved":
            family = self.by_key[family].if_resolved
            if family is None:
                return None
        negated = not fam.always and self._negated(said, span, pattern.negative, context is None)
        hypothetical = (self._far_off(said, span) if fam.always and context == "other"
                        else self._past_of_another(said, span) if fam.always and context == "historical"
                        else not fam.always and self._hypothetical(said, span[0][0])
                        and not any(i >= span[-1][1] for i, _ in said.asked_now))
        start, end = min(s for s, _ in span), max(e for _, e in span)
        return Finding(family, pattern.text, start, end, negated, hypothetical)

    def _refuted(self, said, span) -> bool:
        """An explanation proved wrong after the finding (``context.returned.refuted``: "i thought it was heartburn
        but the antacid didn't touch it", "... and it is still squeezing"): the sign is there now."""
        hi = max(e for _, e in span)
        return any(i >= hi for i, _ in said.refuted)

    def _person_between(self, stems, start: int, end: int) -> bool:
        """A person named from ``start`` to ``end``: not a pet's own pronoun, one tied to it by a part only an
        animal has (``context.other.own``, ``parts``: "my parrot is bleeding from HIS BEAK after HE cracked it"),
        said from there on; "the dog jumped on him and his leg is bleeding" names a person."""
        tied: set[str] = set()
        for k in range(start, end):
            w = stems[k]
            if w in self.pet_own and k + 1 < len(stems) and stems[k + 1] in self.pet_parts:
                tied |= self.pet_own[w]
            elif w in self.people and w not in tied:
                return True
        return False

    def _told_of_another(self, before) -> bool:
        """Someone named before (``far.named``), the last not the speaker: "(my) friend in arizona", not
        "i wrote", nor a bare "wrote out my will" (Alexa may drop the "i": then it is the speaker's)."""
        named = any(w in self.people or w in self.far_named for w in before)
        return named and not _last_person_is_self(self, before)

    def _far_off(self, said, span) -> bool:
        """Crisis words of a person far off, the distance said before them (``context.far.distant``: "my friend in
        arizona", "called from florida", "wrote"), with the speaker (``story.people``) not said between, told of another
        (``_told_of_another``), and no one of the house (``here``) named before them ("my husband called from work
        and said he wants to kill himself" stays 988): theirs, asked about, never the speaker's own."""
        lo, stems = min(s for s, _ in span), said.stems
        return any(i + len(p) <= lo and self._told_of_another(stems[:i])
                   and not self.story_people.find(stems[i + len(p):lo])
                   for i, p in self.far_distant.find(stems)) and not self.here.find(stems[:lo])

    def _past_of_another(self, said, span) -> bool:
        """A death by suicide of another, in the past (``context.past_of_another``: "my father killed himself when i
        was young"): the line for them, not 988 first. An attempt or a threat ("tried to kill himself", "said he
        would"), and one that came back ("... and now he's saying it again": not historical), stay 988."""
        lo, hi, stems = min(s for s, _ in span), max(e for _, e in span), said.stems
        return any(i < hi and i + len(p) > lo and (i == 0 or stems[i - 1] not in self.past_not_after)
                   for i, p in self.past_done.find(stems))

    def _matches(self, pattern: Pattern, stems, masked, cache) -> list[list[tuple[int, int]]]:
        """Each place the pattern is said (spans, one per group), the tightest first, then in order: a
        sign said twice is read at each place ("the mayor collapsed and my husband collapsed too")."""
        per_group = []
        for group in pattern.groups:
            key = (id(group), id(masked))
            if key not in cache:
                cache[key] = self._group_spans(group, stems, masked)
            if not cache[key]:
                return []
            per_group.append(cache[key])
        if len(per_group) == 1:
            return [[span] for span in per_group[0]]
        window = pattern.window or self.window
        fits = []
        for combo in combinations(per_group):
            lo, hi = min(s for s, _ in combo), max(e for _, e in combo)
            if hi - lo <= window + sum(e - s for s, e in combo) and distinct(combo):
                fits.append((hi - lo, combo))
        fits.sort(key=lambda fit: fit[0])      # stable: of equally tight ones, the first said
        return [list(combo) for _, combo in fits[:self.places]]

    def _group_spans(self, group, stems, masked) -> list[tuple[int, int]]:
        spans = []
        head = group[0]
        anywhere = ("$",) in head.alternatives       # a clause end may start a group at any word
        for start, word in enumerate(stems):
            if anywhere or word in head.by_first or "=" + word.raw in head.by_first:
                end = self._follow(group, 0, start, stems, masked, first=True)
                if end is not None:
                    spans.append((start, end))
        return spans

    def _follow(self, group, k, pos, stems, masked, first=False) -> int | None:
        if k == len(group):
            return pos
        element = group[k]
        if ("$",) in element.alternatives:   # the end of the clause, alone or among alternatives ("stand (up|$)")
            if pos >= len(stems) or stems[pos] in PUNCTUATION or stems[pos] in self.negation_stops:
                end = self._follow(group, k + 1, pos, stems, masked)
                if end is not None or len(element.alternatives) == 1:
                    return end
            elif len(element.alternatives) == 1:
                return None
        tries = [pos] if first else list(self._next_positions(pos, element.gap, stems))
        for at in tries:
            if at >= len(stems):
                continue
            word = stems[at]
            for phrase in element.by_first.get(word, ()) + element.by_first.get("=" + word.raw, ()):
                stop = phrase_end(stems, at, phrase, self.skippable, self.optional_in_phrase)
                if stop is not None and not masked.intersection(range(at, stop)):
                    end = self._follow(group, k + 1, stop, stems, masked)
                    if end is not None:
                        return end
        return None

    def _next_positions(self, pos, gap, stems):
        """Where the next element may start: now, after small words, or within ``gap`` words."""
        yield pos
        i = pos
        while i < len(stems) and stems[i] in self.skippable:
            i += 1
            yield i
        for extra in range(1, gap + 1):
            if i + extra < len(stems):
                yield i + extra
