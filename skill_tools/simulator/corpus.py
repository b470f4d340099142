"""The triage corpus, said to the whole skill in every dialog state, and what Alexa answered.

A corpus entry is one sentence a patient or a relative might say, labelled by a clinician's
reading of docs/triage-protocol.md: the level (emergency, crisis, overdose, urgent, doctor,
expected, medicine, not_alarm), the complaint and, where the writer knew it, the triage family.
Each is said through the simulator (language understanding from the deployed model, real request
envelopes, the same handlers) in each state below, and the spoken answer is sorted by what a
listener would notice: the emergency instruction first, a 911 sentence somewhere, the surgeon's
office now, the doctor today, the pharmacist, or a plain answer. When the skill answers with its
one clarifying question, the person says "no" and the answer to that is the result.

Two sets: the TUNING set (skill_tools/corpus/triage_tuning*.yaml, one file per independent writer, listed in
TUNING; BENCH_ONLY's are printed by the bench but not held by the test floors), which the engine may be tuned
on, and the TEST set (tests/data/triage_test.yaml, passed in), written blind and frozen: it is loaded, run and
counted, never read to tune anything; a test sentence that is also in a tuning file (as said) is not held out,
and is left out of the test figures (load_held_out). Either set may be missing. ``make bench`` prints both; the
tests hold the floors; the review report shows the tuning set to clinicians.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill import dialog
from skill import content as recovery_content
from skill.content import parse_yaml
from skill_tools.simulator.answer_kinds import ANSWER_WORDS, Wording, first_sentence, wording  # noqa: F401 (re-exported)
from skill_tools.simulator.processes import cores, shared  # noqa: F401 (cores re-exported)

# The tuning set is package data of the tools; the held-out test set (tests/data/triage_test.yaml) is never a
# default here: the bench and the tests pass it in.
DATA = Path(__file__).resolve().parents[1] / "corpus"
TUNING = tuple(DATA / f"triage_tuning{'' if name == '-' else name}.yaml"   # one file per writer, in the order written
               for name in map(str.strip, (DATA / "tuning_order.txt").read_text(encoding="utf-8").splitlines())
               if name and not name.startswith("#"))
# Tuned on and printed by the bench, not held by the test floors: its 300 long stories would take the suite past
# ten minutes
BENCH_ONLY = (DATA / "triage_tuning_seventeenth.yaml",)
CORPUS = TUNING[0]                   # the tuning file this project wrote (the others are added to it)

# Dialog states a sentence is said in: how the skill is reached before it, and the state of
# skill.dialog's table it is then in (None: no question pending; in the date dialog Alexa's
# dialog asks for the date, and a yes or no there is as when nothing is pending).
REACHED = {
    "one-shot": ([], None),                                        # "Alexa, ask spine recovery helper ..."
    "after launch": (["open spine recovery helper"], None),        # date known: "what else would you like to know?"
    "after the date offer": (["open spine recovery helper"], dialog.OFFER_DATE),   # no date: "remember ...?"
    "after hear-more": (["open spine recovery helper", "can i drive yet"], dialog.OFFER_MORE),  # "hear more?"
    "in the date dialog": (["open spine recovery helper", "yes"], None),           # "What date was your surgery?"
    "after the reminder offer": (["open spine recovery helper", "can i lift my grandson"], dialog.OFFER_REMINDER),
}
STATES = {name: lines for name, (lines, _) in REACHED.items()}
_STORED = {"after launch", "after hear-more", "after the reminder offer"}
# What the person says to the skill's one clarifying question.
QUESTION_REPLY = "no"

# Answers that give the emergency instruction first: 911, 988 for a crisis, Poison Control.
EMERGENCY_ANSWERS = ("emergency", "crisis", "overdose")
# How urgent an answer is (lower: more urgent), to tell an over-warned sentence from an under-warned
# one. Labels and answer kinds share the names; "just happened" names 911 but not first; the surgeon's
# office now and the doctor today are one measure ("doctor or urgent").
URGENCY = {**dict.fromkeys(EMERGENCY_ANSWERS, 0), "just happened": 1, "question": 1, "urgent": 2, "doctor": 2,
           "medicine": 3, "medicine topic": 3, "expected": 4}
# The labels an entry may carry, worst first (docs/triage-protocol.md).
LABELS = ("emergency", "crisis", "overdose", "urgent", "doctor", "expected", "medicine", "not_alarm")
# Words that sound like permission to take a medicine (a medicine answer must have none).
PERMISSION = re.compile(
    r"\b(you can (take|have|use|mix)|you could take|you may take|(it'?s|it is|they'?re|they are) (fine|okay|ok|safe) to|"
    r"should be (fine|okay|ok|safe)|(is|are) (fine|okay|ok) to take|go ahead|may work well|works? well too|"
    r"no problem|that'?s fine|you'?re fine)\b", re.IGNORECASE)
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


class MemoryStore(AbstractPersistenceAdapter):
    """Storage for one run: a dict, so a corpus run touches no disk."""

    def __init__(self):
        self.records: dict = {}

    def _key(self, envelope) -> str:
        return envelope.context.system.user.user_id

    def get_attributes(self, request_envelope):
        return dict(self.records.get(self._key(request_envelope), {}))

    def save_attributes(self, request_envelope, attributes):
        self.records[self._key(request_envelope)] = dict(attributes)

    def delete_attributes(self, request_envelope):
        self.records.pop(self._key(request_envelope), None)


@dataclass
class Said:
    """One corpus sentence said in one state, and how the answer sorts. When the skill asked its
    clarifying question, ``question`` is what it asked, and ``speech`` / ``answer`` are its answer
    to the person's "no"."""

    text: str
    level: str
    family: str | None
    state: str
    intent: str | None
    speech: str
    answer: str = field(default="")
    complaint: str | None = None
    question: str = ""
    slots: dict = field(default_factory=dict)     # slot name -> the words heard, of the sentence's request
    said_as: Wording = field(default_factory=wording, repr=False)   # the country's words (the US's by default)

    @property
    def group(self) -> str:
        """The complaint, else the family: what the tables group sentences by."""
        return self.complaint or self.family or "-"

    @property
    def topic(self) -> str:
        """The family, else the complaint: what the clinician's review groups sentences by."""
        return self.family or self.complaint or "-"

    @property
    def asked(self) -> bool:
        return bool(self.question)

    @property
    def emergency_first(self) -> bool:
        return self.answer in EMERGENCY_ANSWERS

    @property
    def first_alarm(self) -> bool:
        """A help number or line (911, 988, Poison Control...) in the first sentence heard (the question's,
        or the answer's)."""
        return any(self.said_as.alarms(first_sentence(s)) for s in (self.question, self.speech) if s)

    @property
    def safety_line(self) -> bool:
        """The emergency number (911 in the US) said somewhere."""
        return self.said_as.names_emergency(self.speech) or self.said_as.names_emergency(self.question)

    @property
    def permission(self) -> bool:
        """Words that could be heard as permission to take a medicine."""
        return bool(PERMISSION.search(self.speech))

    @property
    def needs_safety_line(self) -> bool:
        """Every answer but a confident topic answer carries a 911 sentence."""
        return self.answer not in ("other", "medicine topic")

    @property
    def right(self) -> bool:
        """The answer a clinician labelled this sentence for."""
        level, answer = self.level, self.answer
        if level == "emergency":
            return answer in ("emergency", "overdose")
        if level == "crisis":
            # 988 said, first or after 911 (an overdose or other emergency found with the crisis words)
            return answer in ("crisis", "emergency", "overdose") and self.said_as.names_crisis_line(self.speech)
        if level == "overdose":
            return answer in ("overdose", "emergency")
        if level in ("urgent", "doctor"):
            return answer in ("urgent", "doctor")
        if level == "medicine":
            return answer in ("medicine", "medicine topic")
        if level == "not_alarm":
            return not self.first_alarm
        return answer == level

    @property
    def outcome(self) -> str:
        """right; over (a more urgent answer than labelled: the safe mistake); unrecognised (the
        cautious "I can't tell how serious it is" answer to a non-emergency); or under (less urgent,
        or the wrong emergency answer: an emergency given 988, a crisis without 988)."""
        if self.right:
            return "right"
        if self.level == "not_alarm":
            return "over"                   # anything without an alarm first was right
        if self.level in EMERGENCY_ANSWERS:
            return "under"                  # an emergency answer, but not the one it needs
        if self.answer == "unknown":
            return "unrecognised"
        return "over" if URGENCY.get(self.answer, len(URGENCY)) < URGENCY[self.level] else "under"


def answer_kind(speech: str, said_as: Wording | None = None) -> str:
    """What kind of answer a listener heard, from its words (as said in the US unless ``said_as``)."""
    return (said_as or wording()).kind(speech)


def load(path: Path | str = CORPUS) -> list[dict]:
    return [e for e in parse_yaml(Path(path).read_text(encoding="utf-8")) or [] if isinstance(e, dict)]


def load_set(paths=TUNING) -> list[dict]:
    """The entries of every file of a set that exists (a set's later files may not be written yet)."""
    if isinstance(paths, (str, Path)):
        paths = (paths,)
    return [e for path in paths if Path(path).exists() for e in load(path)]


def said_key(text: str) -> str:
    """A sentence as said: lower case words, apostrophes and punctuation dropped ("I'm ok." == "im ok")."""
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower().replace("'", "").replace("\u2019", "")))


def load_held_out(paths, tuning=TUNING) -> tuple[list[dict], int]:
    """The test set's entries that are not also in the tuning files (as said), and how many were left out:
    a sentence the engine could be tuned on is not held out, so it does not count in the test figures."""
    seen = {said_key(e.get("text", "")) for e in load_set(tuning)}
    entries = load_set(paths)
    kept = [e for e in entries if said_key(e.get("text", "")) not in seen]
    return kept, len(entries) - len(kept)


def run(entries: list[dict], states=tuple(STATES), zone: str = "America/New_York", locale: str = "en-US",
        country: str | None = None, workers: int = 1) -> list[Said]:
    """Every entry said in every state, each in a fresh session of one simulated person.

    ``locale``: the device's language (its interaction model understands the sentences); ``country``:
    where the device is (its address, with the permission granted; the zone should be one of its),
    made known to the skill by a first launch, as for a device that has talked to it before.
    ``workers``: processes that share a large set (``cores()``: no session carries anything to the next, so the
    answers are the same, in half the time on two cores). They are spawned, so the calling script needs the
    ``if __name__ == "__main__":`` guard."""
    states = tuple(states)
    workers = min(workers, len(entries) // SPLIT_FROM)
    if workers > 1:
        say = partial(run, states=states, zone=zone, locale=locale, country=country, workers=1)
        parts = shared(say, entries, workers)
        return [said for state in states for part in parts for said in part if said.state == state]
    from skill_tools.simulator.device import Simulator
    from skill_tools.simulator.nlu import Understanding
    from skill_tools.simulator.session import Conversation

    understanding = Understanding.for_locale(locale)      # a run in parts reads the model once
    _memoise_triage(locale)
    said_as = wording(locale, country)
    device = f"amzn1.ask.device.CORPUS-{locale}-{country or 'LOCALE'}"
    out: list[Said] = []
    for state in states:
        store = MemoryStore()
        conversation = Conversation.build(store, zone=zone, now=NOW, locale=locale, device_id=device,
                                          country=country, address_granted=country is not None)
        sim = Simulator(conversation, zone=zone, understanding=understanding)
        if country is not None:
            sim.say("open spine recovery helper")
            conversation.end()
        for entry in entries:
            conversation.end()
            store.records.clear()
            if state in _STORED:
                store.records[conversation.user_id] = {"surgery_date": "2026-11-17"}
            for line in STATES[state]:
                sim.say(line)
            result = sim.say(str(entry["text"]))
            speech, question = result.speech, ""
            if said_as.kind(speech) == "question" and not result.end_session:
                question, speech = speech, sim.say(QUESTION_REPLY).speech
            said = Said(str(entry["text"]), entry["level"], entry.get("family"), state, result.intent, speech,
                        complaint=entry.get("complaint"), question=question, slots=dict(result.slots or {}),
                        said_as=said_as)
            said.answer = said_as.kind(speech)
            out.append(said)
    return out


SPLIT_FROM = 400   # entries each process of a shared run says at least (starting one costs about two seconds)


def _memoise_triage(locale: str) -> None:
    """Each sentence is said in six dialog states: its triage (a pure function of the words, the
    slot ids and whether they were asked) is worked out once. The tools' process only: a Lambda
    never keeps what a person said."""
    rules = recovery_content.load(locale).triage
    if getattr(rules.classify, "memoised", False):
        return
    classify, verdicts = rules.classify, {}

    def memoised(words, slot_ids=(), *, asked=False):
        key = (words, tuple(slot_ids or ()), asked)
        if key not in verdicts:
            if len(verdicts) >= MEMO_KEPT:
                verdicts.clear()
            verdicts[key] = classify(words, slot_ids, asked=asked)
        return verdicts[key]

    memoised.memoised = True
    rules.classify = memoised


MEMO_KEPT = 50_000   # verdicts kept: a corpus run's sentences and their slot values


@dataclass
class Row:
    """Figures of one group of results (a family, a level, a state)."""

    name: str
    total: int = 0
    emergency_first: int = 0
    first_alarm: int = 0
    safety_line: int = 0
    asked: int = 0
    right: int = 0
    over: int = 0
    unrecognised: int = 0
    under: int = 0

    def add(self, said: Said) -> None:
        self.total += 1
        self.emergency_first += said.emergency_first
        self.first_alarm += said.first_alarm
        self.safety_line += said.safety_line
        self.asked += said.asked
        self.right += said.right
        outcome = said.outcome
        self.over += outcome == "over"
        self.unrecognised += outcome == "unrecognised"
        self.under += outcome == "under"


def table(results: list[Said], by: str = "family") -> dict[tuple[str, str], Row]:
    """Rows keyed by (level, family, complaint, group or state)."""
    rows: dict[tuple[str, str], Row] = {}
    for said in results:
        key = (said.level, getattr(said, by) or "-")
        rows.setdefault(key, Row(key[1])).add(said)
    return rows


@dataclass(frozen=True)
class Measure:
    """One of issue 18's "done when" measures: the share of the sentences it picks that got `hit`."""

    name: str
    goal: float
    pick: object                  # Said -> bool: the sentences measured
    hit: object                   # Said -> bool: the ones that count
    every_state: bool = False     # the goal holds in each dialog state, not only over all of them

    def figures(self, results: list[Said]) -> tuple[int, int, dict[str, tuple[int, int]]]:
        """(hits, sentences) over all states, and per state."""
        per: dict[str, list[int]] = {}
        for said in results:
            if self.pick(said):
                cell = per.setdefault(said.state, [0, 0])
                cell[0] += bool(self.hit(said))
                cell[1] += 1
        hits, total = sum(c[0] for c in per.values()), sum(c[1] for c in per.values())
        return hits, total, {s: (c[0], c[1]) for s, c in per.items()}

    def passed(self, results: list[Said]) -> bool | None:
        """Whether the goal is met (None: no sentence to measure)."""
        hits, total, per = self.figures(results)
        if not total:
            return None
        shares = [h / n for h, n in per.values()] if self.every_state else [hits / total]
        return min(shares) >= self.goal - 1e-9


DONE_WHEN = (
    Measure("emergency first, in every state", 0.95, lambda s: s.level == "emergency",
            lambda s: s.emergency_first, every_state=True),
    Measure("911 said in emergency answers", 1.0, lambda s: s.level == "emergency",
            lambda s: s.safety_line, every_state=True),
    Measure("doctor or urgent", 0.85, lambda s: s.level in ("urgent", "doctor"), lambda s: s.right),
    Measure("expected reassured", 0.85, lambda s: s.level == "expected", lambda s: s.right),
    Measure("crisis: 988", 1.0, lambda s: s.level == "crisis", lambda s: s.right),
    Measure("overdose: Poison Control or 911", 1.0, lambda s: s.level == "overdose", lambda s: s.right),
    Measure("medicine deferred, no permission words", 1.0, lambda s: s.level == "medicine",
            lambda s: s.right and not s.permission),
    Measure("not_alarm: no alarm first", 0.97, lambda s: s.level == "not_alarm", lambda s: not s.first_alarm),
)
