"""What the person said: the filled slots of an IntentRequest, their resolved ids, and which slot
holds the person's own words in each intent whose answer may follow their triage.

Read by the triage interceptor (every slot, for an emergency) and by the handlers (one slot each).
"""
from __future__ import annotations

WHAT_IF_INTENT = "WhatIfIntent"
MEDICINE_INTENT = "MedicineQuestionIntent"
SUBJECT_INTENT = "SubjectIntent"

# The slots holding the person's own words, in each intent whose answer may follow their triage (the first
# filled one: SymptomIntent's bare samples take the words whole, in "symptom" or, naming a medicine, "medicine").
OWN_WORDS = {"SymptomIntent": ("symptom", "medicine"), "DescribeIntent": ("description",),
             MEDICINE_INTENT: ("question",), WHAT_IF_INTENT: ("situation",), SUBJECT_INTENT: ("subject",)}


def slot_values(handler_input) -> list[tuple[str, list[str]]]:
    """(spoken value, entity-resolution ids) of every filled slot of an IntentRequest."""
    request = handler_input.request_envelope.request
    slots = (getattr(getattr(request, "intent", None), "slots", None) or {}).values()
    return [(slot.value, resolved_ids(slot)) for slot in slots if slot is not None and slot.value]


def resolved_ids(slot) -> list[str]:
    ids = []
    for resolution in getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []:
        code = getattr(getattr(resolution, "status", None), "code", None)
        if getattr(code, "value", code) == "ER_SUCCESS_MATCH":
            ids += [v.value.id for v in resolution.values or [] if v.value and v.value.id]
    return ids


def slot_value(handler_input, name: str) -> str | None:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (getattr(intent, "slots", None) or {}).get(name)
    return slot.value if slot is not None and slot.value else None


def own_words(handler_input) -> tuple[str, list[str]]:
    """(the person's own words, their slot value ids) in the intent's first filled OWN_WORDS slot; ("", []) if none."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None) or {}
    for name in OWN_WORDS.get(getattr(intent, "name", None), ()):
        slot = slots.get(name)
        if slot is not None and slot.value:
            return slot.value, resolved_ids(slot)
    return "", []
