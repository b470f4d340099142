"""Compiling triage.yaml: the lexicon, the negation, hypothetical and context triggers and each
family's patterns, turned into stems and indexes once, so classifying a sentence only looks up."""
from __future__ import annotations

import re
from collections import Counter

from skill.text import PUNCTUATION
from skill.triage.compiled import Family, Pattern, Qualifier, element
from skill.triage.model import EXPECTED, LEVELS
from skill.triage.phrases import Phrases, PhraseSets, by_first, is_word_class


class Compiling:
    """The compiling half of :class:`skill.triage.Triage` (``self.language`` is set before it runs)."""

    def _compile_rules(self, spec: dict) -> None:
        lists = self.language.words_of
        self._stems_of: dict = {}     # phrase -> stems: a word class's phrases recur in many patterns
        self.skippable = lists("triage", "skippable")
        self.optional_in_phrase = lists("triage", "optional_in_phrase")
        self.year_after = lists("triage", "year_after")
        self.bare_year_not_after = lists("triage", "bare_year_not_after")
        self.short_year_after = lists("triage", "short_year_after")
        self.age_after = lists("triage", "age_after")
        self.not_age_before = lists("triage", "not_age_before")
        self.not_temperature_after = lists("triage", "not_temperature_after")
        self.not_temperature_before = lists("triage", "not_temperature_before")
        self.not_temperature_of = lists("triage", "not_temperature_of")
        self.not_temperature_clause = lists("triage", "not_temperature_clause")
        self.celsius_units = lists("triage", "celsius_units")
        asked = spec.get("medicine_words") or {}
        self.medicine_classes = tuple(_as_list(asked.get("medicines")))
        self.drink_classes = tuple(_as_list(asked.get("drinks")))
        self.medicine_questions = Phrases(self._phrase_stems(p) for p in asked.get("questions", []))
        self.window = int(spec.get("window", 9))
        self.places = int(spec.get("places", 4))   # places a pattern of several groups is read at, tightest first
        self.lexicon = {name: tuple(sorted({self._phrase_stems(p) for p in phrases} - {()}, key=len, reverse=True))
                        for name, phrases in (spec.get("lexicon") or {}).items()}
        # with drinks or without -> first word -> the medicine names starting with it: a sentence is looked up
        # word by word, not tried against every name at every word (most of a question's cost)
        medicines = [p for name in self.medicine_classes for p in self.lexicon.get(name, ())]
        drinks = [p for name in self.drink_classes for p in self.lexicon.get(name, ())]
        self.medicine_names = {False: by_first(medicines), True: by_first(medicines + drinks)}
        # a listed phrase may hold a CLASS ("ASK_BEFORE take all my pills PILL_TIMES"), standing for each of its phrases
        self.not_findings = Phrases({stems for p in spec.get("not_findings", []) for stems in self._trigger(str(p))})
        self.still_findings = Phrases({stems for p in spec.get("still_findings", []) for stems in self._trigger(str(p))})
        self.figurative = Phrases({stems for p in spec.get("figurative", []) for stems in self._trigger(str(p))})
        model = spec.get("crisis_model") or {}
        self.organ_medicines = Phrases(self._phrase_stems(p) for p in model.get("organ_medicines", []))
        unheard = model.get("unheard") or {}
        self.affirmed = Phrases(self._phrase_stems(p) for p in unheard.get("unless_after", []))
        self.asked_by = Phrases(self._phrase_stems(p) for p in unheard.get("asked_by", []))
        self.not_asked = frozenset(self._phrase_stems(p) for p in unheard.get("not_asked", []))
        self.kept_beside = frozenset(unheard.get("kept_beside", []))
        neg = spec.get("negation") or {}
        self.negation = Phrases(self._phrase_stems(p) for p in neg.get("forward", []))
        self.negation_pseudo = Phrases(self._phrase_stems(p) for p in neg.get("pseudo", []))
        self.negation_scope = int(neg.get("scope", 6))
        self.negation_stops = frozenset(self.language.stem(w) for w in neg.get("terminators", []) if " " not in w)
        self.negation_stop_phrases = Phrases(self._phrase_stems(w) for w in neg.get("terminators", []) if " " in w)
        # NegEx's post-triggers: a denial said just after the sign ("my chest feels fine")
        back = neg.get("backward") or {}
        self.negation_backward = Phrases(self._phrase_stems(p) for p in back.get("triggers", []))
        self.backward = {key: frozenset(self.language.stem(w) for w in back.get(key, []))
                         for key in ("signs", "links", "closers", "blockers", "question_openers", "calm")}
        # a next clause Alexa ran on without a comma ("... feels fine he just has the hiccups")
        self.backward["next_clauses"] = frozenset(self._phrase_stems(p) for p in back.get("next_clauses", []))
        # a pattern holding one of these says its own negative ("can't walk"): never negated from inside
        self._negative_words = {p[0] for p in self.negation.phrases if len(p) == 1} | set(
            neg.get("in_patterns", []))
        self._negative_classes = tuple(neg.get("classes_in_patterns", []))
        hyp = spec.get("hypothetical") or {}
        take = hyp.get("to_take") or {}
        to_take = [self._phrase_stems(p) for p in take.get("triggers", [])]    # listed order: the index's
        self.to_take = frozenset(to_take)
        self.to_take_starts = frozenset(self.language.stem(w) for w in take.get("clause_starts", []))
        self.to_take_joins = frozenset(self.language.stem(w) for w in take.get("joins", []))
        self.to_take_anyone = frozenset(self.language.stem(w) for w in take.get("anyone", []))
        self.fears = frozenset(self._phrase_stems(p) for p in take.get("fears", []))
        self.fear_not_now = frozenset(self.language.stem(w) for w in take.get("fear_not_now", []))
        self.hypothetical = Phrases([self._phrase_stems(p) for p in hyp.get("triggers", [])] + to_take)
        self.hypothetical_pseudo = Phrases(self._phrase_stems(p) for p in hyp.get("pseudo", []))
        self.hypothetical_now = Phrases(self._phrase_stems(p) for p in hyp.get("now_after", []))
        self.asked_as = str(hyp.get("asked_as") or "")
        self.hypothetical_stops = frozenset(self.language.stem(w) for w in hyp.get("terminators", []) if " " not in w)
        self.hypothetical_stop_phrases = Phrases(self._phrase_stems(w) for w in hyp.get("terminators", []) if " " in w)
        ctx = spec.get("context") or {}
        self.context_scope = int(ctx.get("scope", 8))
        self.context_stops = frozenset(self.language.stem(w) for w in ctx.get("terminators", []) if " " not in w)
        self.context_stop_phrases = Phrases(self._phrase_stems(w) for w in ctx.get("terminators", []) if " " in w)
        self.arrived = Phrases(self._phrase_stems(p) for p in (ctx.get("far") or {}).get("arrived", []))
        self.people = frozenset(p[0] for p in self.lexicon.get(ctx.get("people", ""), ()) if len(p) == 1)
        self.self_words = frozenset(self.language.stem(w) for w in ctx.get("self", []))
        past = ctx.get("past_of_another") or {}
        self.past_done = Phrases(self._phrase_stems(p) for p in past.get("done", []))
        self.past_not_after = frozenset(self.language.stem(w) for w in past.get("not_after", []))
        self.context_pseudo = Phrases(t for p in ctx.get("pseudo", []) for t in self._trigger(str(p)))
        # a story: who and when said early hold for the rest of it, until a break ("now", "i") is said
        story = ctx.get("story") or {}
        self.story_kinds = tuple(story.get("kinds", []))
        self.story_breaks = Phrases(self._phrase_stems(p) for p in [*story.get("breaks", []), *story.get("house", [])])
        # a person named ends a story, but one of the past (``past``) only when said as now ("i have")
        past = story.get("past") or {}
        self.story_turns = Phrases(self._phrase_stems(p) for p in story.get("turns", []))
        self.story_people = Phrases(self._phrase_stems(p) for p in story.get("people", []))
        self.story_past_kinds = frozenset(past.get("kinds", []))
        # what a story's kind is read as ("far": another's), and the kinds a person of the house breaks ("work")
        self.story_as = dict(story.get("read_as") or {})
        self.story_here_kinds = tuple(story.get("here_kinds", []))
        self.story_past_people = frozenset(self._phrase_stems(p)[0] for p in past.get("people", []))
        self.story_past_breaks = Phrases(self._phrase_stems(p) for p in past.get("breaks", []))
        self.story_present = frozenset(self.language.stem(w) for w in past.get("present", []))
        self.story_present_endings = tuple(past.get("present_endings", []))
        self.story_present_reach = int(past.get("reach", 1))
        self.story_past_forms = frozenset(self.language.stem(w) for w in past.get("past", []))
        self.story_lasting = frozenset(self.language.stem(w) for w in past.get("lasting", []))
        self.story_owners = frozenset(self.language.stem(w) for w in past.get("owners", []))
        self.story_present_skip = frozenset(self.language.stem(w) for w in past.get("skip", []))
        self.story_narrated = frozenset(self.language.stem(w) for w in past.get("narrated", []))
        self.story_narrated_reach = int(past.get("narrated_reach", 0))
        # a trigger may name a word class ("was BENIGN_CAUSE": "the red was blueberry juice")
        self.context = {(kind, direction): Phrases(t for p in phrases for t in self._trigger(str(p)))
                        for kind, rule in ctx.items() if isinstance(rule, dict)
                        for direction, phrases in rule.items() if direction in ("before", "after", "either", "travel")}
        self.here = Phrases(self._phrase_stems(p) for p in ctx.get("here", []))
        self._compile_identified(ctx.get("identified") or {})   # "the clicking was my bra clasp"
        # a figure: a sign said of a thing, hedged ("nearly", "enough to"), given to no one but "me", "you", "anyone"
        figure = ctx.get("figurative") or {}
        self.figure_hedges = Phrases(self._phrase_stems(p) for p in figure.get("hedges", []))
        self.figure_said_to = frozenset(self.language.stem(w) for w in figure.get("said_to", []))
        self.figure_self_things = frozenset(self._phrase_stems(p) for p in figure.get("self_things", []))
        self.figure_self_hedges = Phrases(self._phrase_stems(p) for p in figure.get("self_hedges", []))
        self.here_reach = int(ctx.get("here_reach", 4))
        # crisis words of a person far off, the distance said (a place, a call, a letter): theirs, asked about
        self.far_named = frozenset(self.language.stem(w) for w in (ctx.get("far") or {}).get("named", []))
        self.far_distant = Phrases(t for p in (ctx.get("far") or {}).get("distant", []) for t in self._trigger(str(p)))
        # a pet's own pronoun, tied to it by a part only an animal has ("his beak"): "... after he cracked it"
        other = ctx.get("other") or {}
        own = other.get("own") or {}
        self.pet_own = {self.language.stem(k): frozenset(self.language.stem(w) for w in v) for k, v in own.items()}
        self.pet_parts = frozenset(self.language.stem(w) for w in other.get("parts", []))
        # "i was watering the plants AND fainted": a sign joined on with no subject of its own is the one's who was
        # doing it (skill/triage/tending.py)
        self.other_joins = frozenset(self.language.stem(w) for w in other.get("joins", []))
        self.other_not_subjects = frozenset(self.language.stem(w) for w in other.get("not_subjects", []))
        self.other_subject_taken = frozenset(self.language.stem(w) for w in other.get("subject_taken", []))
        self.other_object_openers = frozenset(self.language.stem(w) for w in other.get("object_openers", []))
        self.again_after = Phrases(self._phrase_stems(p) for p in [*ctx.get("again_after", []), *ctx.get("here", [])])
        self.again_follows = Phrases(self._phrase_stems(p) for p in ctx.get("again_follows", []))
        # a question about what a sign means or feels like, asked to learn ("what does saddle numbness mean")
        asked = ctx.get("asked") or {}
        self.asked_openers = Phrases(self._phrase_stems(p) for p in asked.get("openers", []))
        self.asked_learning_openers = Phrases(self._phrase_stems(p) for p in asked.get("openers_when_learning", []))
        self.asked_between = frozenset(self.language.stem(w) for w in asked.get("between", []))
        self.asked_closers = Phrases(self._phrase_stems(p) for p in asked.get("closers", []))
        self.asked_learning = Phrases(self._phrase_stems(p) for p in asked.get("learning", []))
        # a question asked before doing opens the sentence ("would a double dose hurt me"): reported_only is asked
        before = ctx.get("before_doing") or {}
        self.before_openers = Phrases(self._phrase_stems(p) for p in before.get("openers", []))
        self.before_lead_ins = Phrases(self._phrase_stems(p) for p in before.get("lead_ins", []))
        self.before_within = Phrases(self._phrase_stems(p) for p in before.get("within", []))
        self.before_done = Phrases(self._phrase_stems(p) for p in before.get("done", []))
        # what a medicine will do, asked before it is taken ("will the aspirin make me bleed"): what follows is asked
        self.before_effects = Phrases(self._phrase_stems(p) for p in before.get("effects", []))
        self.effect_ends = Phrases(self._phrase_stems(p) for p in before.get("effect_ends", []))
        self.effect_reach = int(before.get("effect_reach", 6))
        # resolved with a cause, said anywhere in the sentence ("i felt faint because it was too hot, it passed")
        settled = ctx.get("settled") or {}
        self.settled = {part: Phrases(t for p in settled.get(part, []) for t in self._trigger(str(p)))
                        for part in ("resolution", "because", "cause", "unless", "belief", "correction", "explanation",
                                     "checked", "checked_by", "found_clear", "not_cause")}
        # a sign asked about and answered no ("the nurse asked if i had fainted and i said nope")
        answered = ctx.get("answered") or {}
        self.settled.update({part: Phrases(self._phrase_stems(p) for p in answered.get(part, []))
                             for part in ("question", "answer", "answer_unless")})
        # crisis words plainly disowned: denied, answered no, long over, a joke (skill/triage/disowned.py)
        own = ctx.get("disowned") or {}
        self.disowned = {part: Phrases(t for p in own.get(part, []) for t in self._trigger(str(p)))
                         for part in ("denials", "worry", "long_ago", "over", "far", "harm", "joked",
                                      "trifles", "trifle_not", "explained")}
        self.disowned_if = frozenset(self.language.stem(w) for w in own.get("if", []))
        self.disowned_named = frozenset(own.get("named", []))
        self.disowned_not_explained = frozenset(own.get("not_explained", []))
        self.disowned_then = frozenset(own.get("then", []))        # as said: "ill" is "i'll", not "ill"
        self.disowned_fillers = frozenset(self.language.stem(w) for w in own.get("fillers", []))
        self.disowned_pets = frozenset(self.language.stem(w) for w in own.get("pets", []))
        self.disowned_pet_ends = frozenset(self.language.stem(w) for w in own.get("pet_ends", []))
        self.disowned_kept = frozenset(own.get("kept", []))      # words as said: "wanted" is not "want"
        self.disowned_intents = frozenset(self.language.stem(w) for w in own.get("intents", []))
        self.disowned_acts = frozenset(self.language.stem(w) for w in own.get("acts", []))
        self.disowned_before_over = frozenset(self.language.stem(w) for w in own.get("before_over", []))
        self.settled_not_for = frozenset(settled.get("not_for", []))
        self.resolution_not_for = frozenset(settled.get("resolution_not_for", []))
        self.found_clear_for = frozenset(settled.get("found_clear_for", []))
        self.found_clear_lowers = frozenset(settled.get("found_clear_lowers", []))
        self.found_clear_to = settled.get("found_clear_to") or ctx.get("resolved_to")
        self.explanation_ends = frozenset(self.language.stem(w) for w in settled.get("explanation_ends", []))
        # a cause named for some families only, and (`words`) only when the finding says one of them
        self.family_causes = [(frozenset(c.get("families", [])),
                               frozenset(self.language.stem(w) for w in c.get("words", [])),
                               Phrases(t for p in c.get("causes", []) for t in self._trigger(str(p))))
                              for c in settled.get("family_causes", [])]
        fiction = ctx.get("fiction") or {}
        self.fiction_not_past = frozenset(self.language.stem(w) for w in fiction.get("not_past", []))
        # "the lady on the radio said HER husband ...": kin of the one telling, not of the house
        self.fiction_told = frozenset(self.language.stem(w) for w in fiction.get("told", []))
        self.fiction_their = frozenset(self.language.stem(w) for w in fiction.get("their", []))
        self.fiction_articles = frozenset(self.language.stem(w) for w in fiction.get("articles", []))
        self.fiction_watching = frozenset(self.language.stem(w) for w in fiction.get("watching", []))
        self.fiction_pronouns = frozenset(self.language.stem(w) for w in fiction.get("pronouns", []))
        self.feelings = frozenset(self.language.stem(w) for w in settled.get("feelings", []))
        # a sign said as past ("my chest felt tight") and one said as now ("my chest hurts"), for `checked`
        told = settled.get("told") or {}
        self.told_past = frozenset(self.language.stem(w) for w in told.get("past", []))
        self.told_now = frozenset(self.language.stem(w) for w in told.get("now", []))
        self.told_guess = frozenset(self.language.stem(w) for w in told.get("guess", []))
        self.told_then = frozenset(self.language.stem(w) for w in told.get("then", []))
        self.returned = Phrases(self._phrase_stems(p) for p in (ctx.get("returned") or {}).get("phrases", []))
        self.refuted = Phrases(self._phrase_stems(p) for p in (ctx.get("returned") or {}).get("refuted", []))
        # a resolution said with a negation just before it is none: "hasn't eased off", "won't stop"
        denial = (ctx.get("resolved") or {}).get("denied_by") or {}
        self.resolution_denials = Phrases(self._phrase_stems(p) for p in [*neg.get("forward", []),
                                                                          *denial.get("also", [])])
        self.resolution_denial_scope = int(denial.get("scope", 3))
        self.return_denials = Phrases(self._phrase_stems(p) for p in (ctx.get("returned") or {}).get("denied_by", []))
        # every list a sentence's context is read from, found in one pass (context.Said)
        self.said_phrases = PhraseSets({
            "negation": self.negation, "negation_pseudo": self.negation_pseudo, "hypothetical": self.hypothetical,
            "backward": self.negation_backward, "refuted": self.refuted, "hypothetical_now": self.hypothetical_now,
            "hypothetical_pseudo": self.hypothetical_pseudo, "context_pseudo": self.context_pseudo,
            "asked_openers": self.asked_openers, "asked_learning_openers": self.asked_learning_openers,
            "asked_closers": self.asked_closers, "asked_learning": self.asked_learning, "returned": self.returned,
            "story_breaks": self.story_breaks, "story_people": self.story_people,
            "story_turns": self.story_turns,
            "story_past_breaks": self.story_past_breaks, "negation_stop_phrases": self.negation_stop_phrases,
            "hypothetical_stop_phrases": self.hypothetical_stop_phrases, "again_after": self.again_after,
            "context_stop_phrases": self.context_stop_phrases, "arrived": self.arrived,
            **{("context", *key): phrases for key, phrases in self.context.items()},
            **{("settled", part): phrases for part, phrases in self.settled.items()}})
        self.health = Phrases(p for name in spec.get("health_words", []) for p in self.lexicon.get(name, ())
                               if name in self.lexicon) if spec.get("health_words") else Phrases(())
        self.health_extra = Phrases(self._phrase_stems(p) for p in spec.get("health_extra", []))
        temperature = spec.get("temperature") or {}
        self.reading_words = Phrases(self.lexicon.get(temperature.get("words", ""), ()))
        self.reading_units = frozenset(temperature.get("units", []))
        pulse = spec.get("pulse") or {}
        self.pulse_words = Phrases(self._phrase_stems(p) for p in pulse.get("words", []))
        self.pulse_family, self.pulse_from = pulse.get("family"), float(pulse.get("from", 0))
        self.pulse_within, self.pulse_not_after = int(pulse.get("within", 4)), frozenset(pulse.get("not_after", []))
        resolved_default = ctx.get("resolved_to")
        self.families: list[Family] = []
        for key, fam in (spec.get("families") or {}).items():
            patterns = tuple(self._compile(p) for p in fam.get("patterns", []))
            qualifiers = tuple(
                Qualifier(self._qualifier_words(q["when"]), q["to"], frozenset(_as_list(q.get("only"))),
                          int(q.get("after", 2)), bool(q.get("at")), int(q.get("before", 4)))
                for q in fam.get("qualifiers", []))
            # a qualifier names its patterns by their text: one edited in one place only would silently apply to none
            stale = {t for q in qualifiers for t in q.only} - {p.text for p in patterns}
            if stale:
                raise ValueError(f"family {key}: a qualifier's `only` names no pattern of the family: {sorted(stale)}")
            # an expected thing that eases is still that thing ("the soreness is easing off")
            resolved = fam.get("if_resolved", "keep" if fam["level"] == EXPECTED else resolved_default)
            reading = fam.get("temperature_from")
            self.families.append(Family(
                key, fam["level"], fam.get("answer"), patterns, frozenset(fam.get("ids", [])),
                bool(fam.get("always")), frozenset(fam.get("outranks", [])), qualifiers,
                key if resolved == "keep" else resolved,
                (float(reading["f"]), float(reading["c"])) if reading else None,
                bool(fam.get("reading_decides")), bool(fam.get("reported_only")), bool(fam.get("speaks_second")),
                fam.get("masked_by", "all") == "figurative", bool(fam.get("asked_alone"))))
        self.by_key = {f.key: f for f in self.families}
        unknown = {q.to for f in self.families for q in f.qualifiers} - set(self.by_key)
        if unknown:
            raise ValueError(f"a qualifier moves findings to no family: {sorted(unknown)}")
        self.rank = {f.key: i for i, f in enumerate(self.families)}  # earlier in the YAML wins a tie of levels
        # the family a medicine question with nothing else found goes to (``asked_alone``), if one is marked
        self.asked_alone = next((f for f in self.families if f.asked_alone), None)
        # a word a pattern needs -> (family index, pattern index): a sentence visits only the patterns whose
        # rarest needed words it says (a request pays for its own words, not for every rule with "pain" in it)
        uses = Counter(w for fam in self.families for pattern in fam.patterns for need in pattern.needs for w in need)
        self.by_needed_word: dict = {}
        for fi, fam in enumerate(self.families):
            for pi, pattern in enumerate(fam.patterns):
                rarest = min(pattern.needs, key=lambda need: sum(uses[w] for w in need), default=())
                for word in rarest:
                    self.by_needed_word.setdefault(word, []).append((fi, pi))
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
            for tok in re.findall(r"\([^)]*\)\??|\S+", part):   # "(a|any)?" is one optional token
                if tok.count("(") != tok.count(")"):     # "(a|(b|c) d)": groups do not nest
                    raise ValueError(f"pattern {text!r}: a group inside a group")
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
                if optional:      # the next element may stand that many words further on
                    gap = max(gap, max((len(ph) for ph in phrases), default=0))
                    continue
                elements.append(element(tuple(sorted(set(phrases), key=len, reverse=True)), gap))
                gap = 0
            if elements:
                groups.append(tuple(elements))
        firsts = tuple(frozenset(group[0].by_first) for group in groups)
        said = {w.lstrip("=") for g in groups for el in g for phrase in el.alternatives for w in phrase}
        negative = bool(said & self._negative_words) or any(c in text for c in self._negative_classes)
        # words some alternative of each element must be said with; not an element that may end the clause ("$")
        needs = tuple(need for need in (*firsts, *(frozenset(el.by_first) for g in groups for el in g[1:]))
                      if "$" not in need)
        return Pattern(text, tuple(groups), 10_000 if anywhere else None, firsts, negative, needs)

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
                choices = [self._phrase_stems(word)]
            out = [head + tail for head in out for tail in choices]
        return [p for p in out if p]

    # ------------------------------------------------------------ classifying

    def _qualifier_words(self, when) -> Phrases:
        """A qualifier's words: a lexicon class, a list of classes (the blood thinners shared by two raise lists),
        or phrases joined by "|"."""
        if isinstance(when, list):
            return Phrases(p for name in when for p in self.lexicon[name])
        if when in self.lexicon:
            return Phrases(self.lexicon[when])
        return Phrases(self._phrase_stems(w) for w in when.split("|"))

    def _trigger(self, phrase: str) -> list[tuple[str, ...]]:
        """Stems of a context trigger: a listed phrase, each CLASS in it standing for its phrases."""
        return [self._phrase_stems(phrase)] if phrase.startswith("=") else self._expand(phrase, phrase)

    def _phrase_stems(self, phrase: str) -> tuple[str, ...]:
        """Stems of a listed phrase; a word written "=took" must be said exactly so (no stemming)."""
        phrase = str(phrase)
        known = self._stems_of.get(phrase)
        if known is not None:
            return known
        words, stem = self.language.words, self.language.stem
        if phrase.startswith("="):
            stems = tuple("=" + w for w in words(phrase[1:]) if w not in PUNCTUATION)
        else:
            stems = tuple(stem(w) for w in words(phrase) if w not in PUNCTUATION)
        self._stems_of[phrase] = stems
        return stems


def _as_list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)
