"""A finding in its sentence: negated (NegEx), hypothetical, historical, someone else's, explained
or resolved (ConText), moved to another family by the words near it, or a thermometer reading."""
from __future__ import annotations

from skill.text import PUNCTUATION
from skill.triage.arrived import Arrived, last_person
from skill.triage.figure import figure_holds
from skill.triage.compiled import Family
from skill.triage.negation import denied_after
from skill.triage.phrases import Phrases, covered
from skill.triage.tending import subject_tends
from skill.triage.told import Told


class Said:
    """The negation, hypothetical and context triggers of one sentence, found once for all its findings."""

    def __init__(self, rules: "Context", stems, figurative: set):
        self.stems = stems
        self.figurative = figurative      # positions of figurative speech, found once by the engine
        found = rules.said_phrases.find(stems)
        self.negations = found["negation"]
        # the longer phrase wins: "never felt any numbness" denies, though "never felt" (like this) is pseudo
        longer = {(i, len(p)) for i, p in self.negations}
        self.negation_pseudo = covered((i, p) for i, p in found["negation_pseudo"]
                                       if not any(j == i and n > len(p) for j, n in longer))
        self.backward = found["backward"]     # "my chest feels fine": a denial said after the sign
        self.refuted, self.asked_now = found["refuted"], found["hypothetical_now"]   # "didn't help", "i think i did"
        self.hypotheticals = found["hypothetical"]
        self.hypothetical_pseudo = found["hypothetical_pseudo"]
        # ConText: (kind, direction) -> [(position, phrase)]; a year ("in 2010") is historical
        self.context_pseudo = pseudo = covered(found["context_pseudo"])   # "never used to be like that" is no history
        self.context = {key: [(i, p) for i, p in found[("context", *key)] if i not in pseudo
                              and not (key[0] == "resolved" and rules.resolution_denied(stems, i))]
                        for key in rules.context}
        self.settled = {part: [(i, p) for i, p in found[("settled", part)] if i not in pseudo]
                        for part in rules.settled}
        self.settled["resolution"] = [(i, p) for i, p in self.settled["resolution"]
                                      if not rules.resolution_denied(stems, i)]
        self.found = found      # every list's places, for the helpers of :mod:`.arrived`
        self.asked_openers, self.asked_learning_openers = found["asked_openers"], found["asked_learning_openers"]
        self.asked_closers, self.asked_learning = found["asked_closers"], found["asked_learning"]
        # a return said denied ("never happened again") brings nothing back, nor "again" in a well again said
        well = covered(self.settled["resolution"])     # "she is herself again now": no return ("came right back" is)
        self.returned = [(i, p) for i, p in found["returned"]
                         if not rules.resolution_denied(stems, i, rules.return_denials) and i not in well]
        self.story_breaks = [i for i, _ in found["story_breaks"]]
        # a person named ends a story; one of the past only when said as now ("i have", "he's slurring")
        people = found["story_people"] + [(i, (w,)) for i, w in enumerate(stems) if w in rules.story_past_people]
        self.story_people = [i for i, _ in found["story_people"] + found["story_turns"]]
        self.story_now = sorted({i for i, p in people if rules.said_now(stems, i + len(p))}
                                | {i for i, _ in found["story_past_breaks"] if i not in pseudo})
        # where a terminator of more than one word ("and now", "like this") starts
        self.negation_stop_at = [i for i, _ in found["negation_stop_phrases"]]
        self.hypothetical_stop_at = [i for i, _ in found["hypothetical_stop_phrases"]]
        self.again_at = [i for i, _ in found["again_after"]]      # "today", "my husband": a sign said again is new
        self.dropped = False      # a finding was set aside by its context (then no slot id stands in for it)
        years = [(i, (w,)) for i, w in enumerate(stems) if len(w) == 4 and w.isdigit() and 1900 <= int(w) <= 2099
                 and i and stems[i - 1] in rules.year_after]   # "in 2010", not "he thinks it's 1960"
        years += [(i, (w,)) for i, w in enumerate(stems) if rules.bare_year(stems, i)]   # "transfusion 1985"
        years += [(i, (w,)) for i, w in enumerate(stems) if rules.short_year(stems, i)]   # "in ninety nine"
        self.far_years = {i for i, _ in years if len(stems[i]) == 4}   # "in 1985": heard across a whole clause
        years += [(i, (w,)) for i, w in enumerate(stems) if rules.said_age(stems, i)]     # "at sixty two"
        self.context[("historical", "either")] = self.context.get(("historical", "either"), []) + years
        # "as a young man in the navy i got a fever": a form of both times just after a time past narrates it
        told = [i + len(p) for key in rules.context if key[0] in rules.story_past_kinds for i, p in self.context[key]]
        self.story_now = [i for i in self.story_now if not (stems[i + 1:i + 2] and stems[i + 1] in rules.story_narrated
                                                            and any(0 <= i - t <= rules.story_narrated_reach for t in told))]


class Context(Arrived, Told):
    """The context-weighing half of :class:`skill.triage.Triage`."""

    def said_now(self, stems, at: int) -> bool:
        """What follows a person named, up to ``at``, is said as now (``context.story.past``): a present form
        within ``reach`` words ("i have", "he is", "my wife's face is"), with no past form ("i was") or
        punctuation before it nor a lifelong one just after it ("has always been"); or, first after a person
        not said as an owner ("my sleeping pills"), a word ending as one ("he's slurring": the 's dropped).
        ``skip`` words are passed ("i still have")."""
        owner = at > 0 and stems[at - 1] in self.story_owners
        while at < len(stems) and stems[at] in self.story_present_skip:
            at += 1
        if (not owner and at < len(stems) and self.story_present_endings
                and stems[at].raw.endswith(self.story_present_endings)):
            return True
        for k, w in enumerate(stems[at:at + self.story_present_reach], at):
            if w in PUNCTUATION or w in self.story_past_forms:
                return False
            if w in self.story_present:
                return k + 1 == len(stems) or stems[k + 1] not in self.story_lasting
        return False

    def resolution_denied(self, stems, at: int, denials=None) -> bool:
        """A negation word (``context.resolved.denied_by``) stands up to its scope before the resolution
        trigger at ``at``, in the same clause: "the chest pain hasn't eased off", "it never went away",
        "the bleeding won't stop" say it is still there. With ``denials`` (``context.returned.denied_by``),
        the same for a return: "it never happened again"."""
        for i, phrase in (denials or self.resolution_denials).find(stems):
            end = i + len(phrase)
            if end <= at and at - end <= self.resolution_denial_scope and not any(
                    w in PUNCTUATION or w in self.negation_stops for w in stems[end:at]):
                return True
        return False

    def _qualified(self, fam: Family, pattern: str, stems, span, said: "Said") -> str:
        """The family a finding belongs to once the words near it are weighed (the first qualifier that
        applies); a qualifier said denied ("no shivering") does not count."""
        denied = {i + len(p) + k for i, p in said.negations if i not in said.negation_pseudo for k in range(3)}
        for q in fam.qualifiers:
            if (not q.only or pattern in q.only) and (self._at(stems, span, q.words) if q.at
                                                      else self._near(stems, span, q.words, q.after, denied, q.before)):
                return q.to
        return fam.key

    def _context(self, said: "Said", span, only: str | None = None) -> str | None:
        """ConText: whether the finding is historical, someone else's (a pet, a TV character), explained
        away or resolved, from triggers in its own clause; None when it is about now and here. ``only``
        asks of one kind alone."""
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        stems = said.stems
        for (kind, direction), found in said.context.items():
            if only and kind != only:
                continue
            for i, phrase in found:
                j = i + len(phrase)
                if lo <= i < hi:
                    continue                      # part of the finding itself ("stopped breathing")
                if j <= lo and direction in ("before", "either", "travel"):
                    between = stems[j:lo]
                elif i >= hi and direction in ("after", "either"):
                    between = stems[hi:i]
                else:
                    continue
                scope = self.context_scope * (2 if kind == "historical" and i in said.far_years else 1)
                if len(between) > self.context_scope and any(w in self.people for w in between):
                    continue                      # a year far off, past someone said: "... I had a TIA in 2018"
                if len(between) > scope or self._stopped(said, *((j, lo) if j <= lo else (hi, i))):
                    continue
                if kind in self.story_past_kinds and j <= lo and any(j <= k < lo for k in said.story_now):
                    continue                      # "years ago i fell, and i can't get up": now
                if kind == "fiction" and j <= lo and self._subject_here(stems, j, lo, i):
                    continue                      # "on the news ... and then MOM collapsed": mom, now
                if kind == "fiction" and i >= hi and self._subject_here(stems, 0, lo) and not any(
                        r >= hi for r, _ in said.settled["resolution"]):
                    continue                      # "MY HUSBAND collapsed watching the game": his, now (unless passed)
                if kind == "other" and self._person_between(stems, min(j, lo), hi):
                    continue                      # "the dog knocked ME over": a person's fall
                if self._here_now(said, kind, j, lo):
                    continue                      # "the mayor collapsed and MY HUSBAND collapsed", "... is HERE and": now
                if kind == "other" and j <= lo and stems[lo - 1] in self.other_joins and subject_tends(self, stems[:i]):
                    continue                      # "I was watering the plants AND fainted": the speaker's, now
                if self._joined_self(stems, kind, j, lo):
                    continue                      # "i'm a nurse AND fainted": the speaker's own, said of no one else
                if kind == "far" and i >= hi and _last_person_is_self(self, stems[:lo]):
                    continue                      # "I fell on vacation in Mexico": the speaker's own
                if kind == "far" and j <= lo and self._self_now(stems, j, lo):
                    continue                      # "my son in texas called, i told him I CAN'T breathe": the speaker's
                if kind == "figurative" and not figure_holds(self, stems, phrase, j, lo, hi):
                    continue                      # a figure: "the price of eggs NEARLY made me faint", not "...i fainted"
                if direction == "travel" and any(w in self.self_words for w in between):
                    continue                      # "we drove across the state and I collapsed": the speaker's
                return self.story_as.get(kind, kind)     # a place far off, the speaker's work: another's
        return None if only else self._story(said, lo)

    def _subject_here(self, stems, j: int, lo: int, i: int | None = None) -> bool:
        """Someone of the household (``context.fiction.not_past``) named just before the finding, after a
        programme said at ``j``: "on the tv ... and then mom collapsed" is mom, now. Not the kin of the
        one on the programme, told by them (``told``, then ``their``): "the lady on the radio said her husband"."""
        told = any(w in self.fiction_told for w in stems[j:lo])
        if i is not None and self._watched_here(stems, i, j, lo) and not told:
            return True
        # the audience is not the one on the programme: "the guy in the movie WE WATCHED said he ..."
        return any(w in self.fiction_not_past and not (told and k > j and stems[k - 1] in self.fiction_their) and not (
            k and stems[k - 1] in self.fiction_articles) and not (k + 1 < lo and stems[k + 1] in self.fiction_watching)
            for k, w in enumerate(stems[:lo]) if k >= max(j, lo - 3))

    def _watched_here(self, stems, i: int, j: int, lo: int) -> bool:
        """A programme watched by someone of the household (``fiction.watching`` and ``not_past``, or the
        sentence's start, just before it), and the sign said of a person after it (``fiction.pronouns``):
        "my husband is watching the game and his words are garbled" is his, now; "watching a film where a
        woman collapsed" is not."""
        before = stems[max(0, i - 5):i]
        # the watcher may be cut off: Alexa sends "is watching the game ..." after "my husband {description}"
        watcher = i <= 5 or any(w in self.fiction_not_past for w in before)
        return (watcher and any(w in self.fiction_watching for w in before)
                and any(w in self.fiction_pronouns for w in stems[j:lo]))

    def _story(self, said: "Said", lo: int) -> str | None:
        """A story (``context.story``): a place far off, a programme or a time long past said before the
        finding, however far, holds as a listener holds it, until a break ("now", "this morning", "i",
        "my husband") is said between: "my cousin in duluth called sunday, his wife collapsed at the store".
        In a story of the past a person breaks it only when said as now ("i have", not "i was")."""
        if not self.story_kinds:
            return None
        stems = said.stems
        for kind in self.story_kinds:
            # a person ends a story of the past only when said as now: "in 1979 i was in a crash" holds
            people = said.story_now if kind in self.story_past_kinds else said.story_people
            if kind in self.story_past_kinds and self._present_at(stems, lo):
                continue                  # the sign itself said as now: "... and he isn't moving"
            # a story of work is told with "today" and "tonight": only a person said as now, or of the house, ends it
            told = [] if kind in self.story_here_kinds else said.story_breaks
            breaks = [i for i in told + people + self._house(said, kind) if i < lo] + self._arrivals(said, kind, lo)
            for direction in ("before", "either"):
                for i, phrase in said.context.get((kind, direction), []):
                    j = i + len(phrase)
                    if j > lo or any(j <= b for b in breaks) or (
                            kind == "fiction" and self._subject_here(stems, j, lo, i)) or self._joined_self(stems, kind, j, lo):
                        continue
                    return self.story_as.get(kind, kind)
        return None

    def _settled(self, said: "Said", span, family: str) -> bool:
        """Explained or denied, by words said anywhere in the sentence (``context.settled``): a resolution
        ("it passed", "I'm fine now") with a cause ("because", "from the heat"); a belief ("I thought")
        before the finding in its clause, corrected after it ("but it was just"); an explanation that
        settles it alone ("false alarm"); or (``context.answered``) a question before the finding in its
        clause ("the nurse asked if"), answered no after it ("and I said nope") with no sign said after the
        answer, unless it was how the sign is doing that was asked ("if my chest pain was better").
        A return or a now said anywhere ("but now", "again", "just now") keeps the finding. A family in
        ``not_for`` (a fall is a fall) is only ever answered no; one in ``resolution_not_for`` (a stroke
        sign) needs its cause named: a bare "because" or a feeling ("because i was stressed") is not one."""
        if not any(said.settled.values()):
            return False
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        stems = said.stems

        def outside(part, counts=lambda i, phrase: True):
            return any(not (lo <= i < hi) and counts(i, p) for i, p in said.settled[part])

        def pair(before, after):     # said after the finding, or inside a span running on past it with no sign after
            ends = [i + len(p) for i, p in said.settled[after] if i >= hi or lo < i and not self.is_health(stems[i + len(p):hi])]
            # "sharp as a tack" after the answer is no sign, nor a second answer ("and i don't, not a drop"), nor the
            # sign said again in the denial ("no i didn't black out")
            answered = covered(said.settled[after]) | {
                k for e in ends for k in range(e, min(e + hi - lo, len(stems))) if stems[k] in stems[lo:hi]}
            rest = [w for k, w in enumerate(stems) if k >= min(ends, default=0) and k not in said.figurative | answered]
            if not ends or (after == "answer" and self.is_health(rest)):
                return False          # answered no, then a sign said after it: that one is new
            for i, phrase in said.settled[before]:
                j = i + len(phrase)
                before_it = j <= lo and lo - j <= self.context_scope and not any(
                    w in PUNCTUATION or w in self.context_stops for w in stems[j:lo])
                if before_it or (before == "belief" and lo < i <= hi):   # or inside it: "shaking and thought it was chills"
                    return True
            return False

        # "again" inside a resolution said ("it hasn't happened again") is no return
        resolutions = [(i, i + len(p)) for i, p in said.settled["resolution"]]
        fixed = min([i for i, _ in said.settled["correction"] if i > lo] or [len(stems)])   # "bleeding again but it was"
        if outside("unless", lambda i, p: not any(a <= i and i + len(p) <= b for a, b in resolutions)
                   and not (i < fixed and pair("belief", "correction"))):
            return False
        # a belief corrected also settles a fall or a pill: "thought grandpa fell but it was only the cat"
        if pair("question", "answer") and not outside("answer_unless") or pair("belief", "correction"):
            return True
        if family in self.settled_not_for:
            return False
        strict = family in self.resolution_not_for
        named = outside("cause", lambda i, p: not (strict and self.feelings.intersection(stems[i:i + len(p)])))
        # the word that says which sign may stand just before it: "a thumping in my chest" (span: "chest")
        said_words = {w for s, e in span for w in stems[s:e]} | set(stems[max(0, lo - 4):lo])
        named = named or any(family in fams and (not words or words & said_words) and any(
            not (lo <= i < hi) for i, _ in causes.find(stems)) for fams, words, causes in self.family_causes)
        caused = named or (not strict and outside("because"))
        # a stroke, chest or nerve sign (`resolution_not_for`) also needs it resolved or checked by someone
        # (`checked_by`): "he was slurring, it was his sugar" stays
        if self._past_then_cause(said, lo, hi, strict, resolutions, family in self.found_clear_for) and (not strict or any(
                i >= hi for part in ("resolution", "checked_by") for i, _ in said.settled[part])):
            return True
        # a resolution (not a check said fine) settles what was said before it, an explanation also what is said in
        # its own clause: "the new one says 98.6 but he's shaking and confused", "but it was the popsicle, my chest hurts"
        return outside("explanation", lambda i, p: i >= hi or not any(
            w in PUNCTUATION or w in self.context_stops or w in self.explanation_ends
            for w in stems[i + len(p):lo])) or pair("belief", "correction") or (
            outside("resolution", lambda i, p: hi <= i not in covered(said.settled["found_clear"])) and caused)

    @staticmethod
    def _at(stems, span, words: Phrases) -> bool:
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        return any(i <= lo and i + len(p) == hi for i, p in words.find(stems))

    @staticmethod
    def _near(stems, span, words: Phrases, after: int = 2, denied=frozenset(), before: int = 4) -> bool:
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        return any(lo - before <= i <= hi + after and i not in denied for i, _ in words.find(stems))

    def _negated(self, said: "Said", span, negative: bool = True, after: bool = True) -> bool:
        """A forward negation trigger governs a group of this finding (NegEx); for a pattern that holds
        no negative of its own, also one inside it ("the grandkids DIDN'T get into the pills"); or, with ``after``
        (no other context), a backward one after it ("my chest feels fine": :mod:`.negation`)."""
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
                # a long trigger's scope runs from its last word ("not even a little bit of ... pain")
                if not lo <= i + len(phrase) - 1 or i + len(phrase) > s or i in inside or i in said.negation_pseudo:
                    continue
                between = stems[i + len(phrase):s]
                if any(w in self.negation_stops or w in PUNCTUATION for w in between) or any(
                        i + len(phrase) <= k < s for k in said.negation_stop_at):
                    continue
                return True
        return after and not negative and denied_after(said, span, self.backward, self.negation_stops, self.skippable)

    @staticmethod
    def _returned(said: "Said", span) -> bool:
        """A return said after the finding (``context.returned``: "... and it started up again", "but it's
        back now"): it is now, whatever history or resolution came before; not past a hypothetical
        trigger ("scared of having one again")."""
        hi = max(e for _, e in span)
        return any(r >= hi and not any(hi <= i < r for i, _ in said.hypotheticals) for r, _ in said.returned)

    def _before_doing(self, stems) -> int | None:
        """Where a question asked before doing (``context.before_doing``) starts, if one was asked: an opener
        ("would", "can", "is it") opens the sentence, after lead-ins ("alexa", "mate"), or a question to do
        ("can i", "should i") stands later; and nothing in the sentence says it was done ("already", "took")."""
        if self.before_done.find(stems):
            return None
        at = 0
        lead = {i: len(p) for i, p in self.before_lead_ins.find(stems)}
        while at in lead:
            at += lead[at]
        if any(i == at for i, _ in self.before_openers.find(stems)):
            return 0
        return min((i for i, _ in self.before_within.find(stems)), default=None)

    def _hypothetical(self, said: "Said", start: int) -> bool:
        """A hypothetical trigger ("what if", "in case", "afraid of") before the finding, in its clause."""
        for i, phrase in said.hypotheticals:
            end = i + len(phrase)
            # a trigger ending inside the finding still stands before it ("should I DOUBLE up")
            # a pseudo trigger at its first or last word cancels it, unless the trigger holds it and is longer, as for
            # negation: "how do you KNOW IF someone passed out" (only that trigger: its bare "if" stays cancelled)
            if i >= start or any(k <= at < k + len(p) and not (i <= k and k + len(p) <= end and len(phrase) > len(p))
                                 for k, p in said.hypothetical_pseudo for at in (i, end - 1)):
                continue
            if not any(w in self.hypothetical_stops or w in ".;!?" for w in said.stems[end:start]) and not any(
                    end <= k < start for k in said.hypothetical_stop_at) and not self._new_clause(said.stems, phrase,
                                                                                                  end, start):
                return True
        return False

    def _new_clause(self, stems, trigger, end: int, start: int) -> bool:
        """A question to take something ("can i take tylenol") or about anyone (``to_take.anyone``: "what to do if
        someone collapses") asks about what it names; a subject said after that, with no joining word before it
        ("..., my throat is closing", "... my husband just collapsed"), starts a report of now, which it does not
        ask about; so does one said just after a fear (``to_take.fears``) with no word of later (``fear_not_now``)."""
        asks = end - len(trigger)
        if trigger in self.fears and end < start and stems[end] in self.to_take_starts and not (
                self.fear_not_now.intersection(stems[end + 1:start])):
            return True     # a fear told of now, with no word of later ("i'm scared my face is drooping")
        return any(stems[k] in self.to_take_starts and stems[k - 1] not in self.to_take_joins
                   and (trigger in self.to_take or self.to_take_anyone.intersection(stems[asks:k]))
                   for k in range(end + 1, start + 1))

    def _asked(self, said: "Said", starts) -> range | None:
        """Where a question about a sign itself, asked to learn, stands (``context.asked``): the sentence
        opens with an opener ("what does", "how much"), a finding (of ``starts``) follows with only small
        words between, and a closer ("mean", "feel like", "is too much") ends the question in its clause,
        or a learning phrase ("just so I know", "in general") comes later. "What a ..." may be an
        exclamation: it needs both. Every finding said in that question is asked about, unless a word of
        now (``context.again_after``: "right now", "today") follows the sign: then it is a report."""
        stems = said.stems
        for openers, needs_learning in ((said.asked_openers, False), (said.asked_learning_openers, True)):
            for i, phrase in openers:
                if i != 0:      # the question opens the sentence
                    continue
                end = len(phrase)
                first = min((s for s in starts if s >= end - 1), default=None)
                if first is None or any(w not in self.asked_between for w in stems[end:first]) or first - end > 2:
                    continue
                if any(j > first for j in said.again_at):
                    continue    # "... mean, i have it right now": a report, asked of no one
                clause = next((j for j in range(first, len(stems)) if stems[j] in PUNCTUATION), len(stems))
                closer = min((j for j, _ in said.asked_closers if first < j < clause), default=None)
                learning = any(j > first for j, _ in said.asked_learning)
                if needs_learning and not (learning and closer is not None):
                    continue
                if closer is not None or learning:
                    return range(first, closer if closer is not None else clause)
        return None


def _last_person_is_self(rules, before) -> bool:
    """The person nearest before a finding is the speaker ("I fell in Mexico"), not someone named after
    the speaker ("my neighbour told me her husband had a stroke in Dallas": her husband's)."""
    k = last_person(rules, before, 0, len(before))
    return k is not None and before[k] in rules.self_words
