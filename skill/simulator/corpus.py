"""The triage corpus, said to the whole skill in every dialog state, and what Alexa answered.

A corpus entry is one sentence a patient or a relative might say, labelled by a clinician's
reading: the level (emergency, doctor, expected, medicine, not_symptom) and the red-flag
family. Each is said through the simulator (language understanding from the deployed model,
real request envelopes, the same handlers) in each state below, and the spoken answer is
sorted by what a listener would notice: the emergency instruction first, a 911 sentence
somewhere, the doctor today, the pharmacist, or a plain answer. ``make bench`` prints the
table; the tests hold its floors; the review report shows it to clinicians.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "triage_corpus.yaml"

# Dialog states a sentence is said in: how the skill is reached before it.
STATES = {
    "one-shot": [],                                      # "Alexa, ask spine recovery helper ..."
    "after launch": ["open spine recovery helper"],      # date known: "what else would you like to know?"
    "after the date offer": ["open spine recovery helper"],  # no date: "would you like me to remember ...?"
    "after hear-more": ["open spine recovery helper", "can i drive yet"],  # "would you like to hear more?"
    "in the date dialog": ["open spine recovery helper", "yes"],          # "What date was your surgery?"
    "after the reminder offer": ["open spine recovery helper", "can i lift my grandson"],  # "remind you?"
}
_STORED = {"after launch", "after hear-more", "after the reminder offer"}

# Answers that give the emergency instruction first: 911, 988 for a crisis, Poison Control.
EMERGENCY_ANSWERS = ("emergency", "crisis", "overdose")
# How urgent an answer is (lower: more urgent), to tell an over-warned sentence from an under-warned
# one. Labels and answer kinds share the names; "just happened" names 911 but not first.
URGENCY = {**dict.fromkeys(EMERGENCY_ANSWERS, 0), "just happened": 1, "doctor": 2, "medicine": 3,
           "medicine topic": 3, "expected": 4}
# The labels an entry may carry, in the order triage ranks its levels.
LABELS = ("emergency", "medicine", "doctor", "expected", "not_symptom")
_FIRST_SENTENCE = re.compile(r"^(.*?[.!?])(\s|$)")
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
    """One corpus sentence said in one state, and how the answer sorts."""

    text: str
    level: str
    family: str | None
    state: str
    intent: str | None
    speech: str
    answer: str = field(default="")

    @property
    def emergency_first(self) -> bool:
        return self.answer in EMERGENCY_ANSWERS

    @property
    def safety_line(self) -> bool:
        return "911" in self.speech

    @property
    def needs_safety_line(self) -> bool:
        """Every answer but a confident topic answer carries a 911 sentence."""
        return self.answer not in ("other", "medicine topic")

    @property
    def right(self) -> bool:
        """The answer a clinician labelled this sentence for."""
        if self.level == "emergency":
            return self.emergency_first
        if self.level == "not_symptom":
            return not self.emergency_first
        return self.answer == self.level or (self.level, self.answer) == ("medicine", "medicine topic")

    @property
    def outcome(self) -> str:
        """right; over (a more urgent answer than labelled: the safe mistake); unrecognised (the
        cautious "I can't tell how serious it is" answer to a non-emergency); or under (less urgent)."""
        if self.right:
            return "right"
        if self.level == "not_symptom":
            return "over"                   # anything but an emergency answer was right
        if self.answer == "unknown" and self.level != "emergency":
            return "unrecognised"
        return "over" if URGENCY.get(self.answer, len(URGENCY)) < URGENCY[self.level] else "under"


# The kinds of answer_kind(), in words for a tester or a clinician.
ANSWER_WORDS = {
    "emergency": "emergency: call 911 first",
    "crisis": "crisis: 988 and 911 first",
    "overdose": "overdose: 911 and Poison Control first",
    "just happened": "something that just happened: 911 if someone has fallen",
    "medicine": "medicine: the pharmacist or doctor decides",
    "medicine topic": "the medicine topic: for the doctor or pharmacist to decide",
    "doctor": "call the doctor today",
    "expected": "expected in recovery, and when to call",
    "unknown": "not recognised: 911 if sudden or severe, else the doctor",
    "fallback": "not understood",
    "re-asked": "the yes-or-no question asked again",
    "other": "an answer of its own (a topic, the date, the conversation)",
}


def answer_kind(speech: str) -> str:
    """What kind of answer a listener heard, from its words."""
    first = _FIRST_SENTENCE.match(speech)
    first = first.group(1) if first else speech
    if first.startswith("Please call or text 988"):
        return "crisis"
    if first.startswith("Call 911 now, or call Poison Control"):
        return "overdose"
    if first.startswith("Call 911"):
        return "emergency"
    if first.startswith("That sounds like something that just happened"):
        return "just happened"
    if "pharmacist or your doctor has to decide" in speech:
        return "medicine"
    if "for your doctor or pharmacist to decide" in speech:
        return "medicine topic"
    if "call your doctor or surgeon today" in speech:
        return "doctor"
    if "If it gets worse instead of better, or something new starts, call your doctor" in speech:
        return "expected"
    if "I can't tell how serious it is" in speech:
        return "unknown"
    if speech.startswith("I'm not sure about that one"):
        return "fallback"
    if speech.startswith("Please say yes or no"):
        return "re-asked"
    return "other"


def load(path: Path | str = CORPUS) -> list[dict]:
    import yaml

    return [e for e in yaml.safe_load(Path(path).read_text(encoding="utf-8")) if isinstance(e, dict)]


def run(entries: list[dict], states=tuple(STATES), zone: str = "America/New_York") -> list[Said]:
    """Every entry said in every state, each in a fresh session of one simulated person."""
    from skill.simulator.console import Simulator
    from skill.simulator.nlu import Understanding
    from skill.simulator.session import Conversation

    understanding = Understanding.from_model_file()
    out: list[Said] = []
    for state in states:
        store = MemoryStore()
        conversation = Conversation.build(store, zone=zone, now=NOW)
        sim = Simulator(conversation, zone=zone, understanding=understanding)
        for entry in entries:
            conversation.end()
            store.records.clear()
            if state in _STORED:
                store.records[conversation.user_id] = {"surgery_date": "2026-11-17"}
            for line in STATES[state]:
                sim.say(line)
            result = sim.say(str(entry["text"]))
            said = Said(str(entry["text"]), entry["level"], entry.get("family"), state, result.intent, result.speech)
            said.answer = answer_kind(result.speech)
            out.append(said)
    return out


@dataclass
class Row:
    """Figures of one group of results (a family, a level, a state)."""

    name: str
    total: int = 0
    emergency_first: int = 0
    safety_line: int = 0
    right: int = 0
    over: int = 0
    unrecognised: int = 0
    under: int = 0

    def add(self, said: Said) -> None:
        self.total += 1
        self.emergency_first += said.emergency_first
        self.safety_line += said.safety_line
        self.right += said.right
        outcome = said.outcome
        self.over += outcome == "over"
        self.unrecognised += outcome == "unrecognised"
        self.under += outcome == "under"


def table(results: list[Said], by: str = "family") -> dict[tuple[str, str], Row]:
    """Rows keyed by (level, family or state)."""
    rows: dict[tuple[str, str], Row] = {}
    for said in results:
        key = (said.level, getattr(said, by) or "-")
        rows.setdefault(key, Row(key[1])).add(said)
    return rows
