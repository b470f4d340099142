"""What a request is answered with, worked out once, before any handler runs: the content of its
locale and of the device's country (:class:`PlaceInterceptor`, :class:`CountryInterceptor`), and
the triage verdict (:class:`TriageInterceptor`).

The emergency handler's ``can_handle``, the handler that answers and the exception handler all go
by the same verdict, and the console shows it: :class:`TriageInterceptor` works it out and keeps
it in the request attributes; everything else reads it with :func:`emergency_verdict` and
:func:`verdict`. The families an emergency intent or a medicine question is answered as are
data (``handling`` in skill/content/triage.yaml).
"""
from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.utils import get_intent_name, is_intent_name, is_request_type

from skill import content as recovery_content
from skill import place, text, triage
from skill.slots import MEDICINE_INTENT, OWN_WORDS, SUBJECT_INTENT, WHAT_IF_INTENT, own_words, slot_values

# Intents that are emergencies by their samples alone (known without the content, so that the
# exception handler still says 911 for them); the family each names is data (handling.intent_families).
EMERGENCY_INTENTS = frozenset({"EmergencyIntent", "CrisisIntent", "OverdoseIntent", "ExtraDoseIntent"})

EMERGENCY = "emergency_verdict"     # request attribute: the emergency verdict of any slot, or None
VERDICT = "triage_verdict"          # request attribute: the verdict the answer follows, or None


class PlaceInterceptor(AbstractRequestInterceptor):
    """The request speaks its locale's words and the numbers of the device's country as far as it is
    known without asking anyone (cached, else the locale's): set first, so that nothing, not even an
    error, is said with another request's numbers."""

    def process(self, handler_input):
        recovery_content.use(content_for(handler_input, place.known(handler_input)))


class CountryInterceptor(AbstractRequestInterceptor):
    """After triage: when the country is not cached and the answer is not an emergency, ask the
    address and settings APIs for it (an emergency answer never waits for the network)."""

    def process(self, handler_input):
        if not (is_request_type("LaunchRequest")(handler_input) or is_request_type("IntentRequest")(handler_input)):
            return
        found = handler_input.attributes_manager.request_attributes
        if found.get(VERDICT) is not None and found[VERDICT].level == triage.EMERGENCY:
            return
        if is_request_type("IntentRequest")(handler_input) and get_intent_name(handler_input) in EMERGENCY_INTENTS:
            return
        if place.known(handler_input) is None:
            country = place.find(handler_input)
            if country is not None:
                recovery_content.use(content_for(handler_input, country))


def content_for(handler_input, country: str | None) -> recovery_content.Content:
    """The content of the request's locale (the default one when the skill has no words for it),
    said for ``country`` (None: the locale's own)."""
    locale = getattr(handler_input.request_envelope.request, "locale", None) or text.DEFAULT_LOCALE
    try:
        return recovery_content.load(locale, country)
    except ValueError:      # a language the skill has no words for
        return recovery_content.load(text.DEFAULT_LOCALE, country)


class TriageInterceptor(AbstractRequestInterceptor):
    """Works out the request's triage verdicts once and keeps them in its request attributes."""

    def process(self, handler_input):
        work_out(handler_input)


def work_out(handler_input) -> None:
    """Put this request's verdicts in its request attributes (the interceptor's work; also for
    the intent a CanFulfillIntentRequest asks about).

    Both start as None: when triage fails part way, the exception handler still reads what
    was found before (none), and an intent that is an emergency by its samples still gets 911."""
    found = handler_input.attributes_manager.request_attributes
    found[EMERGENCY] = found[VERDICT] = None
    if not is_request_type("IntentRequest")(handler_input):
        return
    seen: dict = {}     # (words, ids) -> verdict: the own-words slot is also one of every slot
    found[EMERGENCY] = _emergency_of(handler_input, seen)
    found[VERDICT] = _verdict_of(handler_input, found[EMERGENCY], seen)


def emergency_verdict(handler_input) -> triage.Verdict | None:
    """The emergency verdict of any slot of the request (what the person said), or None."""
    return handler_input.attributes_manager.request_attributes[EMERGENCY]


def verdict(handler_input) -> triage.Verdict | None:
    """The triage verdict this request's answer follows; None when the answer follows none (a
    subject asked about, nothing said yet, an intent that names no symptom)."""
    return handler_input.attributes_manager.request_attributes[VERDICT]


def _classified(handler_input, words: str, ids, seen: dict) -> triage.Verdict:
    """Triage of one slot's words, once a request however many times they are asked about."""
    key = (words, tuple(ids))
    if key not in seen:
        # said in a question: "can I take {two instead of one}", "can I {use my husband's pain pills}",
        # "what happens if {I take my pill twice}" ask about a dose, they do not report one
        asked = get_intent_name(handler_input) in (MEDICINE_INTENT, SUBJECT_INTENT, WHAT_IF_INTENT)
        seen[key] = recovery_content.current().triage.classify(words, ids, asked=asked)
    return seen[key]


def _emergency_of(handler_input, seen: dict) -> triage.Verdict | None:
    """"What should I do if I fall" is a question, not a fall: WhatIfIntent answers it itself."""
    if is_intent_name(WHAT_IF_INTENT)(handler_input):
        return None
    for value, ids in slot_values(handler_input):
        found = _classified(handler_input, value, ids, seen)
        if found.level == triage.EMERGENCY:
            return found
    return None


def _verdict_of(handler_input, emergency: triage.Verdict | None, seen: dict) -> triage.Verdict | None:
    """An emergency in any slot comes first, in any intent; then the person's own words, by the
    rule of the intent they came in. A what-if verdict is of the situation asked about."""
    intent = get_intent_name(handler_input)
    if emergency is not None or intent in EMERGENCY_INTENTS:
        family = recovery_content.current().handling["intent_families"].get(intent)
        return emergency or triage.Verdict(triage.EMERGENCY, (), family)
    words, ids = own_words(handler_input)
    if intent not in OWN_WORDS or (not words and intent != MEDICINE_INTENT):
        return None
    content = recovery_content.current()
    found = _classified(handler_input, words, ids, seen)
    if intent == MEDICINE_INTENT:
        if found.level == triage.MEDICINE or content.triage.mentions_medicine(words):
            return _as_medicine(found)
        if found.level in (triage.UNKNOWN, triage.NOT_HEALTH):  # "can I take a shower": a subject
            return None if content.subject_in(words) else _as_medicine(found)
    elif intent == SUBJECT_INTENT:             # "can I walk with this new hip pain", "... my sleeping pill"
        if found.level in (triage.URGENT, triage.DOCTOR):
            return found
        if found.level == triage.MEDICINE or content.triage.mentions_medicine(words, drinks=False):
            return _as_medicine(found)
        return None
    elif intent == WHAT_IF_INTENT:             # "what if I miss a dose of my blood thinner": a medicine question
        if found.level == triage.MEDICINE or (found.level in (triage.UNKNOWN, triage.NOT_HEALTH)
                                              and content.triage.mentions_medicine(words, drinks=False)):
            return _as_medicine(found)
    elif intent == "DescribeIntent" and found.level in (triage.UNKNOWN, triage.NOT_HEALTH) and content.subject_in(words):
        return None                            # "I want to know when I can drive": a question
    return found


def _as_medicine(found: triage.Verdict) -> triage.Verdict:
    family = recovery_content.current().handling["medicine_family"]
    return triage.Verdict(triage.MEDICINE, found.matched, family, found.mentioned)
