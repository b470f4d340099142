"""Crisis words disowned (``context.disowned``): the self_harm family is never read as denied or hypothetical
("i'm not suicidal, but..." still hears 988), except in a few plain ways that leave nothing worrying said after."""
from __future__ import annotations

from skill.text import PUNCTUATION


class Disowned:
    """Whether crisis words (an ``always`` family) are plainly disowned: denied, answered no, long over, or a joke."""

    def _disowned(self, said, span) -> bool:
        """Crisis words plainly denied just before them (``denials``, only ``fillers`` between, in a finding of one
        part not begun by a ``kept`` word: "he isn't at all suicidal", "i'm not thinking about suicide"), asked
        about and answered no after them ("my wife asked me if i ever thought about hurting myself, i said no
        never"), a pet's (``pets``), named a joke or a saying (``joked``), another's far off and long ago, or long
        past (``long_ago``, a year "in 1985") and over since (``over``: "thirty years ago, i'm fine now"); and no
        ``worry`` word said after the denial, the answer, the joke or the end ("but", "lately", "again"), nor a
        return. Crisis words that hold their own negative ("don't want to live") are never denied."""
        stems, own = said.stems, self.disowned
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        negative = any(w in self._negative_words for s, e in span for w in stems[s:e])
        worry = [i for i, _ in own["worry"].find(stems)] + [r for r, _ in said.returned]
        calm = lambda after: not any(k >= after for k in worry)
        # a denial of a plan, of being here, of being worth it is the crisis itself ("not planning to be here long")
        denied = any(self._denies(stems, i + len(p), lo, hi) for i, p in own["denials"].find(stems))
        harmed = any(not lo <= i < hi for i, _ in own["harm"].find(stems))
        # a worry word said inside the crisis words counts too ("didn't hurt myself but")
        if denied and not negative and not harmed and len(span) == 1 and calm(lo + 1):
            return True
        asked = any(i + len(p) <= lo and lo - i - len(p) <= self.context_scope
                    and not any(w in PUNCTUATION for w in stems[i + len(p):lo]) for i, p in said.settled["question"])
        answers = [i + len(p) for i, p in said.settled["answer"] if i >= hi]
        if asked and answers and calm(min(answers)):
            return True
        if self._pet_only(stems, lo):
            return True
        # said as a joke or a saying, named as one ("he says that every year", "we had a good laugh")
        joked = [i + len(p) for i, p in own["joked"].find(stems)]
        if joked and calm(max(hi, max(joked))):
            return True
        if self._trifle(stems, lo, hi, worry):
            return True
        if self._explained(stems, hi, calm):
            return True
        ago = bool(own["long_ago"].find(stems)) or bool(said.far_years)
        # another's, far off and long ago: "my cousin in australia tried to kill himself back in the eighties"
        if ago and calm(hi) and self._told_of_another(stems[:lo]) and any(
                i + len(p) <= lo for far in (self.far_distant, own["far"]) for i, p in far.find(stems)):
            return True
        over = [i for i, _ in own["over"].find(stems) if i >= hi and not self.resolution_denied(stems, i)]
        # "years ago ... but i'm fine now": a "but" before the end said is no worry
        return ago and bool(over) and not any(k >= hi and not (k < min(over) and stems[k] in self.disowned_before_over)
                                              for k in worry)

    def _trifle(self, stems, lo: int, hi: int, worry: list) -> bool:
        """Crisis words said as what one would do if a trifle happened (``trifles``: "if that bingo caller says b
        twelve one more time ill kill myself", "ill jump off a bridge if they bill me twice"): a figure, unless the
        condition names health, pain, being alone or a span of days (``trifle_not``: "if i have to wear this brace
        one more month ill jump"), or a worry word follows the condition."""
        for k in (k for k, w in enumerate(stems) if w in self.disowned_if and (k < lo or k >= hi)):
            end = lo if k < lo else next((e for e in range(k + 1, len(stems)) if stems[e] in PUNCTUATION), len(stems))
            while k < lo and end > k + 1 and (stems[end - 1] in PUNCTUATION or stems[end - 1].raw in self.disowned_then):
                end -= 1                                            # "if ... one more time, i'll" is no condition
            cond = stems[k + 1:end]
            if (self.disowned["trifles"].find(cond) and not self.disowned["trifle_not"].find(cond)
                    and not any(w in PUNCTUATION for w in cond) and not self.is_health(cond)
                    and not any(w >= hi and not k < w < end for w in worry)):
                return True
        return False

    def _explained(self, stems, hi: int, calm) -> bool:
        """Crisis words named, after a comma, as about a thing (``explained`` after a ``named`` word: "i want to end
        it all, the arguing about the thermostat i mean"); not a health thing ("the pain i mean"), not "i mean it",
        and a worry after stays."""
        for i, p in self.disowned["explained"].find(stems):
            end = i + len(p)
            comma = next((k for k in range(hi, i) if stems[k] in PUNCTUATION), None)
            if (comma is not None and i - comma <= 7 and comma + 1 < i and stems[comma + 1].raw in self.disowned_named
                    and not self.is_health(stems[comma + 1:i])                   # "the pain i mean" stays
                    and (end >= len(stems) or stems[end].raw not in self.disowned_not_explained) and calm(end)):
                return True
        return False

    def _denies(self, stems, start: int, lo: int, hi: int) -> bool:
        """A denial ending at ``start`` reaches the crisis words at ``lo``..``hi``: only fillers between, the words
        not begun by a ``kept`` one; or it denies a wish or a plan to do harm ("i don't want to kill myself", "i'm
        not going to hurt myself"): only fillers, ``intents`` and "to" up to an ``acts`` word of the crisis words.
        "Not planning to be here long" stays: being here is no act."""
        if start > lo:
            return False
        if all(w in self.disowned_fillers for w in stems[start:lo]) and stems[lo].raw not in self.disowned_kept:
            return True
        act = next((k for k in range(lo, hi) if stems[k] in self.disowned_acts), None)
        return act is not None and all(w in self.disowned_fillers or w in self.disowned_intents
                                       for w in stems[start:act])

    def _pet_only(self, stems, lo: int) -> bool:
        """A pet (``pets``) named before the crisis words, no one but the pet's own pronouns (``context.other.own``)
        named in the sentence ("look after the dog when I'm dead" is the speaker's), and no death (``pet_ends``)
        said: "the old horse is tired of living", "my dog has given up on life"; "my husband's dog died and he has
        given up on life" stays."""
        pets = [k for k, w in enumerate(stems[:lo]) if w in self.disowned_pets]
        pronouns = {p for names in self.pet_own.values() for p in names}
        return bool(pets) and not any(
            (w in self.people or w in self.self_words) and w not in pronouns or w in self.disowned_pet_ends
            for k, w in enumerate(stems) if k != pets[0] and not (
                k == pets[0] - 1 and w in self.other_not_subjects))      # its owner: "my dog", "our cat"
