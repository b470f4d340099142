"""What kind of answer a listener heard, told from its words as said in one country.

The emergency, crisis and poison answers name the numbers of the country the device is in
(skill/content/countries.yaml), so what "911 first" means depends on where the device is: a
:class:`Wording` holds one country's words, made from the content the skill itself speaks there.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_FIRST_SENTENCE = re.compile(r"^(.*?[.!?])(\s|$)")
# Names of help lines, whatever the country: in a first sentence they send someone to help.
_POISON_LINES = ("Poison Control", "Poisons Information", "poison centre", "poison information")
_LINE_NAMES = (*_POISON_LINES, "Samaritans", "Lifeline", "Tele MANAS", "crisis line", "nine one one",
               "local emergency number")

# The kinds of answer_kind(), in words for a tester or a clinician.
ANSWER_WORDS = {
    "emergency": "emergency: call the emergency number (911 in the US) first",
    "crisis": "crisis: the crisis line (988 in the US) first",
    "overdose": "overdose: the poison line (or the emergency number) first",
    "just happened": "something that just happened: the emergency number if someone has fallen",
    "question": "one yes-or-no question that carries its safety line (if so, call the emergency number now)",
    "urgent": "call the surgeon's office now",
    "medicine": "medicine: the pharmacist or doctor decides",
    "medicine topic": "the medicine topic: for the doctor or pharmacist to decide",
    "doctor": "call the doctor today",
    "expected": "expected in recovery, and when to call",
    "unknown": "not recognised: the emergency number if sudden or severe, else the doctor",
    "not understood": "not understood",
    "re-asked": "the yes-or-no question asked again",
    "other": "an answer of its own (a topic, the date, the conversation)",
}


def first_sentence(speech: str) -> str:
    found = _FIRST_SENTENCE.match(speech.strip())
    return found.group(1) if found else speech.strip()


@dataclass(frozen=True)
class Wording:
    """One country's words for the answers that send someone to help."""

    country: str
    emergency: str               # the emergency number as said ("911", "112 or 999")
    emergency_first: str         # "Call 911"
    crisis_first: str            # "Please call or text 988 now, ..."
    crisis_asked: str            # "... please call or text 988 now, ...": the crisis model's check says it second
    crisis_said: tuple[str, ...]  # the crisis line, however an answer names it
    poison_first: tuple[str, ...]  # the overdose and poison answers' first words
    doctor: str                  # "call your doctor or surgeon today"
    alarm: re.Pattern            # a number or help line of the country
    question_line: re.Pattern    # "If so, call 911 now" (or the surgeon's office, or the doctor)

    def alarms(self, sentence: str) -> bool:
        return bool(self.alarm.search(sentence))

    def names_crisis_line(self, speech: str) -> bool:
        return any(words in speech for words in self.crisis_said)

    def names_emergency(self, speech: str) -> bool:
        return self.emergency in speech

    def kind(self, speech: str) -> str:
        """What kind of answer a listener heard (see ANSWER_WORDS)."""
        first = first_sentence(speech)
        if any(first.startswith(words) for words in self.poison_first) or any(p in first for p in _POISON_LINES):
            return "overdose"           # the poison line first, or the emergency number then the poison line
        if first.startswith(self.crisis_first) or self.crisis_asked in first:
            return "crisis"
        if first.startswith(self.emergency_first):
            return "emergency"          # with the crisis line later when suicidal words came with it
        if first.endswith("?") and self.question_line.search(speech):
            return "question"
        if first.startswith("That sounds like something that just happened"):
            return "just happened"
        if first.startswith("Please call your surgeon's office now"):
            return "urgent"
        if "pharmacist or your doctor has to decide" in speech:
            return "medicine"
        if "for your doctor or pharmacist to decide" in speech:
            return "medicine topic"
        if self.doctor in speech:
            return "doctor"
        if "If it gets worse instead of better, or something new starts, call your doctor" in speech:
            return "expected"
        if "how serious it is" in speech and "I can't tell" in speech:
            return "unknown"
        if speech.startswith("I'm not sure"):
            return "not understood"     # the fallback, and "I'm not sure I understood"
        if speech.startswith("Please say yes or no"):
            return "re-asked"
        return "other"


@functools.cache
def wording(locale: str = "en-US", country: str | None = None) -> Wording:
    """The words of the answers the skill says in ``locale`` for a device in ``country``."""
    from skill import content as recovery_content

    place = recovery_content.load(locale, country).place
    says = place.says
    overdose = first_sentence(says["overdose_first"]).rstrip(".")
    names = [*sorted(place.numbers, key=len, reverse=True), says["emergency"], *_LINE_NAMES]
    return Wording(
        country=place.code,
        emergency=says["emergency"],
        emergency_first=f"Call {says['emergency']}",
        crisis_first=f"Please {says['crisis_now']}",
        crisis_asked=f", please {says['crisis_now']}",
        crisis_said=(says["crisis_now"], says["crisis_named"], says["crisis_short"]),
        poison_first=tuple(dict.fromkeys(p for p in (says["poison_now"], overdose) if p != f"Call {says['emergency']} now")),
        doctor=f"call {says['doctor']} or surgeon today",
        alarm=re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in names), re.IGNORECASE),
        question_line=re.compile(rf"\bIf so, (please )?call ({re.escape(says['emergency'])}|your surgeon's office|"
                                 rf"{re.escape(says['doctor'])})"),
    )
