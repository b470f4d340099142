"""ask-sdk-core request handlers: thin glue between Alexa requests and the recovery knowledge.

Order matters and is fixed in :mod:`skill.builder`: the emergency handler comes
first so a serious symptom wins in every intent and every dialog state, and it
never touches storage, so it answers even when storage is down.

Dialog state lives in session attributes under ``state`` (what a "yes" or "no"
would answer); the last answer is kept for "repeat that".
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
)
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.utils import get_intent_name, get_request_type, is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Slot
from ask_sdk_model.ui import SimpleCard  # ask_sdk_core's response builder imports it anyway

from skill import content as recovery_content
from skill import logsafe, reminders, screen, speech, timeline, triage
from skill.clock import device_zone, local_today
from skill.storage.remember import SESSION, forget_all, remember, remember_mode, remembered
from skill.storage.store import record_key

log = logging.getLogger(__name__)

CARD_TITLE = "Spine Recovery Helper"

# Session states: what the skill is waiting for.
OFFER_DATE = "offer_date"
OFFER_MORE = "offer_more"
CONFIRM_DATE = "confirm_date"
ASK_DAY = "ask_day"
CONFIRM_FORGET = "confirm_forget"
OFFER_REMINDER = "offer_reminder"
TRIAGE_QUESTION = "triage_question"   # the one clarifying question of a symptom (its family's `ask`)

SET_DATE_INTENT = "SetSurgeryDateIntent"
WHAT_IF_INTENT = "WhatIfIntent"
MEDICINE_INTENT = "MedicineQuestionIntent"
SUBJECT_INTENT = "SubjectIntent"

# The slot holding the person's own words, in each intent whose answer may follow their triage.
OWN_WORDS = {"SymptomIntent": "symptom", "DescribeIntent": "description", MEDICINE_INTENT: "question",
             WHAT_IF_INTENT: "situation", SUBJECT_INTENT: "subject"}

# Words that make "what if he can't breathe" a description of now, not a question.
_NOW_WORDS = frozenset("now just already currently right".split())


def _content():
    return recovery_content.load()


def _phrase(key: str, **values) -> str:
    phrases = _content().phrases
    if remember_mode() == SESSION and f"{key}_session" in phrases:
        key = f"{key}_session"  # the words for a skill that keeps the date only while it talks
    return phrases[key].format(**values)


def _timing(key: str, **values) -> str:
    return _content().timing[key].format(**values)


# ---------------------------------------------------------------- answers


def reply(handler_input, parts, reprompt=None, *, state=None, end=False, extra=None, elicit=False, kind=None):
    """Speak ``parts`` (one idea each), set what a yes/no would mean, keep the session open unless ``end``.

    Every answer goes through here, the exception handler's too, so the answer
    kept for "repeat that" is always the one the person last heard.
    """
    session = handler_input.attributes_manager.session_attributes
    for key in ("state", "topic", "pending_date", "pending_year", "pending_month"):
        session.pop(key, None)
    if state:
        session["state"] = state
        session.update(extra or {})
    parts = speech.each_date_once([p for p in parts if p])
    ssml, text = speech.ssml(*parts), speech.plain(parts)
    reprompt_ssml = speech.ssml(reprompt or _phrase("what_else"))
    if end:
        session.pop("last_speech", None)
    else:
        session["last_speech"] = {"ssml": ssml, "reprompt": reprompt_ssml, "text": text, "elicit": elicit, "kind": kind}
    return respond(handler_input, ssml, text, None if end else reprompt_ssml, elicit=elicit, kind=kind)


def respond(handler_input, ssml: str, text: str, reprompt_ssml: str | None, *, elicit=False, kind=None):
    """The response itself: speech, card, reprompt (none ends the session), the date dialog if asked,
    and on a screen the same words in large type (``kind`` "emergency" gives the emergency screen)."""
    builder = handler_input.response_builder.speak(ssml)
    builder.set_card(SimpleCard(CARD_TITLE, text))
    if elicit:
        builder.add_directive(_elicit_date_directive())
    if screen.supported(handler_input):
        try:
            builder.add_directive(screen_directive(handler_input, text, kind, elicit=elicit, ends=reprompt_ssml is None))
        except Exception as exc:  # a screen must never cost the spoken answer (least of all an emergency)
            log.error("screen not rendered: %s at %s", type(exc).__name__, _where(exc))
    if reprompt_ssml is None:
        builder.set_should_end_session(True)
    else:
        builder.ask(reprompt_ssml)
    return builder.response


def elicit_date(handler_input, parts, *, state=None, extra=None):
    """Ask for the surgery date with Alexa's dialog, so the answer fills SetSurgeryDateIntent's date slot."""
    return reply(handler_input, parts, parts[-1], state=state, extra=extra, elicit=True)


def _elicit_date_directive():
    # ask_sdk_model.dialog is some fifteen modules: only the turns that ask for a date import them.
    from ask_sdk_model.dialog import ElicitSlotDirective

    return ElicitSlotDirective(
        slot_to_elicit="date",
        updated_intent=Intent(
            name=SET_DATE_INTENT,
            confirmation_status=IntentConfirmationStatus.NONE,
            slots={"date": Slot(name="date"), "duration": Slot(name="duration")},
        ),
    )


def slot_values(handler_input) -> list[tuple[str, list[str]]]:
    """(spoken value, entity-resolution ids) of every filled slot of an IntentRequest."""
    request = handler_input.request_envelope.request
    slots = (getattr(getattr(request, "intent", None), "slots", None) or {}).values()
    return [(slot.value, _resolved_ids(slot)) for slot in slots if slot is not None and slot.value]


def _resolved_ids(slot) -> list[str]:
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


# ---------------------------------------------------------------- stored date


class StoredDate:
    """The person's surgery date from storage, remembering whether storage answered at all."""

    def __init__(self, handler_input):
        self.available = True
        self.day: date | None = None
        try:
            value = remembered(handler_input).get("surgery_date")
        except (PersistenceException, AttributeError) as exc:
            log.warning("storage unavailable while reading (%s)", type(exc).__name__)
            self.available = False
            return
        self.day = iso_date(value)
        if value and self.day is None:
            log.warning("stored surgery date unreadable: treated as no date")


def iso_date(value) -> date | None:
    """A date from stored or session data, or None for anything else (never an exception)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def save_date(handler_input, day: date) -> bool:
    try:
        remember(handler_input, surgery_date=day.isoformat())  # the store, or the session only
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while saving (%s)", type(exc).__name__)
        return False


def forget_date(handler_input) -> bool:
    try:
        forget_all(handler_input)
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while deleting (%s)", type(exc).__name__)
        return False


def progress(handler_input, day: date) -> timeline.Progress:
    timing = _content().timing
    return timeline.Progress(
        today=local_today(handler_input),
        surgery=day,
        lifting_weeks=timing["lifting_weeks"],
        pain_weeks=timing["pain_weeks"],
    )


def since_sentence(p: timeline.Progress) -> str:
    when = speech.spoken_date(p.surgery, p.today)
    if p.days_since > 0:
        return _timing("since", since=speech.spoken_span(p.days_since), surgery_date=when)
    if p.days_since == 0:
        return _timing("surgery_today", surgery_date=when)
    return _timing("surgery_ahead", until=speech.spoken_span(-p.days_since), surgery_date=when)


def lifting_sentence(p: timeline.Progress) -> str:
    if p.days_since < 0:
        return _timing("lifting_ahead")
    ends = speech.spoken_date(p.lifting_ends, p.today)
    if p.days_until_lifting > 0:
        return _timing("lifting_wait", left=speech.spoken_span(p.days_until_lifting), date=ends)
    return _timing("lifting_done", date=ends)


def pain_sentence(p: timeline.Progress) -> str:
    if p.days_since < 0:
        return ""
    if p.within_pain_window:
        return _timing("pain_inside", date=speech.spoken_date(p.pain_eases, p.today))
    return _timing("pain_after")


# Which timing a topic adds when the surgery date is known.
TOPIC_TIMING = {
    "LiftingIntent": (since_sentence, lifting_sentence),
    "PainIntent": (since_sentence, pain_sentence),
    "RecoveryTimeIntent": (since_sentence, lifting_sentence),
    "ActivitiesIntent": (lifting_sentence,),
}


def timing_parts(handler_input, sentences) -> list[str]:
    stored = StoredDate(handler_input)
    if not stored.available:
        return [_timing("storage_down")]
    if stored.day is None:
        return [_timing("no_date")]
    p = progress(handler_input, stored.day)
    return [make(p) for make in sentences]


# ---------------------------------------------------------------- handlers


class EmergencyHandler(AbstractRequestHandler):
    """Serious symptoms, in any intent and any state: the emergency instruction first. No storage."""

    def can_handle(self, handler_input):
        if not is_request_type("IntentRequest")(handler_input):
            return False
        if get_intent_name(handler_input) in EMERGENCY_INTENTS:
            return True
        return emergency_verdict(handler_input) is not None

    def handle(self, handler_input):
        return emergency_reply(handler_input, triaged(handler_input))


# Intents that are emergencies by their samples alone, and the red-flag family each names.
EMERGENCY_INTENTS = {"EmergencyIntent": None, "CrisisIntent": "self_harm", "OverdoseIntent": "overdose",
                     "ExtraDoseIntent": "poisoning"}


def emergency_verdict(handler_input) -> triage.Verdict | None:
    """The emergency verdict of any slot of the request (what the person said), or None.

    "What should I do if I fall" is a question, not a fall: WhatIfIntent answers it itself."""
    if is_intent_name(WHAT_IF_INTENT)(handler_input):
        return None
    manager = handler_input.attributes_manager   # asked by can_handle, then handle: once a request
    cached = manager.request_attributes if manager is not None else {}
    if "emergency_verdict" not in cached:
        cached["emergency_verdict"] = None
        classify = _content().triage.classify
        asked = is_intent_name(MEDICINE_INTENT)(handler_input)   # "can I take {two instead of one}"
        for value, ids in slot_values(handler_input):
            verdict = classify(value, ids, asked=asked)
            if verdict.level == triage.EMERGENCY:
                cached["emergency_verdict"] = verdict
                break
    return cached["emergency_verdict"]


def own_words(handler_input) -> tuple[str, list[str]]:
    """(the person's own words, their slot value ids) in the intent's OWN_WORDS slot; ("", []) if none."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slot = (getattr(intent, "slots", None) or {}).get(OWN_WORDS.get(getattr(intent, "name", None), ""))
    if slot is None or not slot.value:
        return "", []
    return slot.value, _resolved_ids(slot)


def triaged(handler_input) -> triage.Verdict | None:
    """The triage verdict this request's answer follows; None when the answer follows none (a
    subject asked about, nothing said yet, an intent that names no symptom).

    An emergency in any slot comes first, in any intent; then the person's own words, by the
    rule of the intent they came in. The handlers act on it and the console shows it, so a
    tester sees what the skill went by. A what-if verdict is of the situation asked about."""
    if not is_request_type("IntentRequest")(handler_input):
        return None
    intent = get_intent_name(handler_input)
    verdict = emergency_verdict(handler_input)
    if verdict is not None or intent in EMERGENCY_INTENTS:
        return verdict or triage.Verdict(triage.EMERGENCY, (), EMERGENCY_INTENTS[intent])
    words, ids = own_words(handler_input)
    if intent not in OWN_WORDS or (not words and intent != MEDICINE_INTENT):
        return None
    content = _content()
    verdict = content.triage.classify(words, ids, asked=intent == MEDICINE_INTENT)
    if intent == MEDICINE_INTENT:
        if verdict.level == triage.MEDICINE or content.triage.mentions_medicine(words):
            return _as_medicine(verdict)
        if verdict.level in (triage.UNKNOWN, triage.NOT_HEALTH):  # "can I take a shower": a subject
            return None if content.subject_in(words) else _as_medicine(verdict)
    elif intent == SUBJECT_INTENT:             # "can I walk with this new hip pain", "... my sleeping pill"
        if verdict.level in (triage.URGENT, triage.DOCTOR):
            return verdict
        if verdict.level == triage.MEDICINE or content.triage.mentions_medicine(words, drinks=False):
            return _as_medicine(verdict)
        return None
    elif intent == "DescribeIntent" and verdict.level in (triage.UNKNOWN, triage.NOT_HEALTH) and content.subject_in(words):
        return None                            # "I want to know when I can drive": a question
    return verdict


def _as_medicine(verdict: triage.Verdict) -> triage.Verdict:
    return triage.Verdict(triage.MEDICINE, verdict.matched, "medicine_question", verdict.mentioned)


def emergency_reply(handler_input, verdict: triage.Verdict | None = None):
    """Instruction first and last, that the skill can't call, and the session closed: the device is
    free at once for "Alexa, call ...". Crisis words get 988 gently (and after 911 when a physical
    emergency was found with them); an overdose with danger signs 911 and naloxone; too much or the
    wrong medicine otherwise, Poison Control first."""
    families = _content().families
    texts = _content().triage_text
    family = families.get(verdict.family, {}) if verdict is not None else {}
    kind = family.get("answer") or triage.EMERGENCY
    parts = [texts[kind]["answer"]]
    if kind != "crisis" and verdict is not None and any(
            families.get(f, {}).get("answer") == "crisis" for f in verdict.families):
        parts.append(texts["also_crisis"]["answer"])
    log.info("emergency answer given")  # never the family: it says what the person has
    return reply(handler_input, parts, end=True, kind="emergency")


def symptom_reply(handler_input, words: str, verdict: triage.Verdict, *, asked: bool = False):
    """What the person described, at the level triage gave it (:func:`triaged`; the emergency handler
    took serious ones). A family whose level turns on something people rarely say asks one yes/no
    question first (its ``ask``), once a session; ``asked``: this answers that question."""
    if verdict.level == triage.EMERGENCY:  # only when reached without the emergency handler
        return emergency_reply(handler_input, verdict)
    content = _content()
    texts = content.triage_text
    family = content.families.get(verdict.family, {})
    level = verdict.level
    timing: list[str] = []
    if level == triage.EXPECTED and family.get("past_pain_window"):
        # Pain past the article's couple of weeks is not "part of recovery": the doctor hears of it.
        stored = StoredDate(handler_input)
        if stored.day is not None:
            p = progress(handler_input, stored.day)
            if p.days_since >= 0 and not p.within_pain_window:
                level, family = triage.DOCTOR, content.families[family["past_pain_window"]]
            timing = [since_sentence(p), pain_sentence(p)]
    session = handler_input.attributes_manager.session_attributes
    ask = content.families.get(verdict.family, {}).get("ask")   # of what was said, not of a timing upgrade
    if ask and not asked and level in (triage.URGENT, triage.DOCTOR) and not session.get("triage_asked"):
        session["triage_asked"] = True      # never more than one question a session
        return reply(handler_input, [ask["question"]], ask["question"], state=TRIAGE_QUESTION,
                     extra={"ask_family": verdict.family})
    log.info("symptom triaged as %s", level)
    mentioned = mentioned_parts(verdict)
    if level == triage.URGENT:
        text = texts[triage.URGENT]
        parts = [text["answer"].format(fact=family.get("fact", "")), *timing, *mentioned, _phrase("disclaimer")]
        return reply(handler_input, parts + [_phrase("what_else")], text["reprompt"])
    if level == triage.MEDICINE:
        text = texts[triage.MEDICINE]
        parts = [text["answer"]] + (mentioned or [_phrase("safety_line")])
        return reply(handler_input, parts + [_phrase("what_else")], text["reprompt"])
    if level == triage.DOCTOR:
        text = texts[triage.DOCTOR]
        said = symptom_sentence(words) if words else ""
        parts = [text["answer"].format(symptom_sentence=said), family.get("fact", ""), *timing, text["urgent"]]
        parts += mentioned + [_phrase("disclaimer")]
        return reply(handler_input, parts + [_phrase("what_else")], text["reprompt"])
    if level == triage.EXPECTED:
        text = texts[triage.EXPECTED]
        parts = [text["answer"].format(fact=family.get("fact", "")), *timing, text["when_to_call"]]
        return reply(handler_input, parts + (mentioned or [_phrase("safety_line")]) + [_phrase("what_else")],
                     text["reprompt"])
    if level == triage.NOT_HEALTH:
        text = texts[triage.NOT_HEALTH]
        return reply(handler_input, [text["answer"], *(mentioned or [_phrase("safety_line")]), _phrase("what_else")],
                     text["reprompt"])
    text = texts[triage.UNKNOWN]
    return reply(handler_input, [text["answer"], *mentioned, _phrase("disclaimer"), _phrase("what_else")],
                 text["reprompt"])


def answer_to_question(handler_input, said: str):
    """The answer to the clarifying question: "yes" its higher family (911), "no" the family asked
    about, anything else the higher one (the safe side)."""
    session = handler_input.attributes_manager.session_attributes
    key = session.get("ask_family")
    families = _content().families
    if key not in families or not families[key].get("ask"):
        return reply(handler_input, [_phrase("what_else")])
    chosen = key if said == "no" else families[key]["ask"]["if_yes"]
    level = families[chosen]["level"]
    return symptom_reply(handler_input, "", triage.Verdict(level, (), chosen, (), (chosen,)), asked=True)


def symptom_sentence(words: str) -> str:
    """"You mentioned your toes tingle": the person's words said back as theirs, never "my" parroted;
    words that can't be said back well (too long, already "you") are "You described a symptom"."""
    back = speech.said_back(words)
    return _phrase("you_mentioned", words=back) if back else _phrase("you_described")



def mentioned_parts(verdict: triage.Verdict) -> list[str]:
    """"If you do have chest pain, call 911": for red flags that were denied or only asked about."""
    names = [_content().families.get(f, {}).get("if_you") for f in verdict.mentioned]
    names = [n for n in names if n]
    if not names:
        return []
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return [_phrase("mentioned", what=what)]


class TriageAnswerHandler(AbstractRequestHandler):
    """The reply to the one clarifying question: yes, no, or anything that is neither (not understood,
    or words that name nothing), which gets the higher answer. A new symptom or question goes on as usual."""

    def can_handle(self, handler_input):
        if not is_request_type("IntentRequest")(handler_input):
            return False                    # events such as SkillDisabled have no session
        if handler_input.attributes_manager.session_attributes.get("state") != TRIAGE_QUESTION:
            return False
        intent = get_intent_name(handler_input)
        if intent in ("AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent"):
            return True
        verdict = triaged(handler_input) if intent in OWN_WORDS else None
        return verdict is not None and verdict.level in (triage.UNKNOWN, triage.NOT_HEALTH)

    def handle(self, handler_input):
        intent = get_intent_name(handler_input)
        said = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no"}.get(intent, "unsure")
        return answer_to_question(handler_input, said)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        stored = StoredDate(handler_input)
        if stored.day is not None:
            return reply(
                handler_input,
                [_phrase("welcome_back"), since_sentence(progress(handler_input, stored.day)), _phrase("what_else")],
            )
        if not stored.available:
            return reply(handler_input, [_phrase("welcome"), _phrase("what_else")])
        return reply(
            handler_input,
            [_phrase("welcome"), _phrase("disclaimer"), _phrase("offer_date")],
            _phrase("offer_date"),
            state=OFFER_DATE,
        )


class TopicHandler(AbstractRequestHandler):
    """Every question the article answers: the short answer, timing when we know the date, an offer of more."""

    def can_handle(self, handler_input):
        return (
            is_request_type("IntentRequest")(handler_input)
            and _content().topic_for_intent(get_intent_name(handler_input)) is not None
        )

    def handle(self, handler_input):
        return topic_reply(handler_input, _content().topic_for_intent(get_intent_name(handler_input)))


def topic_reply(handler_input, topic):
    """A topic's short answer, its timing when the date is known, and an offer of more."""
    parts = [topic.answer]
    if topic.intent in TOPIC_TIMING:
        parts += timing_parts(handler_input, TOPIC_TIMING[topic.intent])
        if lifting_sentence in TOPIC_TIMING[topic.intent] and (offer := offer_reminder_once(handler_input)):
            return reply(handler_input, parts + [offer], offer, state=OFFER_REMINDER)
    if topic.more:
        parts.append(_phrase("offer_more"))
        return reply(handler_input, parts, _phrase("offer_more"), state=OFFER_MORE, extra={"topic": topic.key})
    return reply(handler_input, parts + [_phrase("what_else")])


class SubjectHandler(AbstractRequestHandler):
    """"Can I take a shower?": the topic that covers a subject, or an honest "that isn't covered"."""

    def can_handle(self, handler_input):
        return is_intent_name(SUBJECT_INTENT)(handler_input)

    def handle(self, handler_input):
        words, ids = own_words(handler_input)
        verdict = triaged(handler_input)
        if verdict is not None:  # "can I take my sleeping pill with the oxycodone", "... with this new hip pain"
            return symptom_reply(handler_input, words, verdict)
        subject = next((_content().subjects.get(i.lower()) for i in ids if i.lower() in _content().subjects), None)
        subject = subject or _content().subject_in(words)
        if subject is None:
            return reply(handler_input, [_phrase("fallback"), _phrase("what_else")])
        return subject_reply(handler_input, subject)


def subject_reply(handler_input, subject):
    """Covered: the topic's answer. Not covered: say so plainly, who knows, and the nearest article fact."""
    if subject.topic:
        return topic_reply(handler_input, _content().topics[subject.topic])
    nearest = _content().nearest_facts.get(subject.nearest or "", {}).get("say", "")
    parts = [_phrase("not_covered", title=subject.title), _content().referrals.get(subject.who or "discharge", ""),
             nearest, _phrase("safety_line"), _phrase("what_else")]
    return reply(handler_input, parts)


class SymptomHandler(AbstractRequestHandler):
    """Non-emergency symptoms (the emergency handler has already taken serious ones)."""

    def can_handle(self, handler_input):
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        if not words:
            return reply(
                handler_input,
                [_phrase("ask_symptom"), _phrase("safety_line")],
                _phrase("ask_symptom_short"),
            )
        return symptom_reply(handler_input, words, triaged(handler_input))


class FreeWordsHandler(AbstractRequestHandler):
    """Free words that fit no question ("my husband {description}", "can I take {question}"), triaged
    as they were said; words that name a subject instead ("can I take a shower") get that subject."""

    def can_handle(self, handler_input):
        return is_intent_name("DescribeIntent")(handler_input) or is_intent_name(MEDICINE_INTENT)(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        if not words and not is_intent_name(MEDICINE_INTENT)(handler_input):  # a medicine question is one
            return reply(handler_input, [_phrase("ask_symptom"), _phrase("safety_line")], _phrase("ask_symptom_short"))
        verdict = triaged(handler_input)
        if verdict is None:  # "I want to know when I can drive": a question, not a symptom
            return subject_reply(handler_input, _content().subject_in(words))
        return symptom_reply(handler_input, words, verdict)


class WhatIfHandler(AbstractRequestHandler):
    """"What should I do if I fall?": what to do if it happens, without treating it as happening now."""

    def can_handle(self, handler_input):
        return is_intent_name(WHAT_IF_INTENT)(handler_input)

    def handle(self, handler_input):
        words, _ = own_words(handler_input)
        verdict = triaged(handler_input) or triage.Verdict(triage.UNKNOWN)
        if verdict.level == triage.EMERGENCY and _NOW_WORDS & set(_content().language.words(words)):
            return emergency_reply(handler_input, verdict)
        family = _content().families.get(verdict.family, {})
        if verdict.level == triage.EMERGENCY:   # a plan, not an alarm: 911 is not the first thing heard
            parts = [_phrase("plan_ahead"), _phrase("mentioned", what=family.get("if_you") or _phrase("that_happens"))]
        elif verdict.level in (triage.URGENT, triage.DOCTOR, triage.MEDICINE):
            parts = [_phrase("if_doctor"), family.get("fact", ""), _phrase("safety_line")]
        else:
            parts = [_phrase("if_unsure"), _phrase("safety_line")]
        return reply(handler_input, parts + [_phrase("what_else")])


class SetSurgeryDateHandler(AbstractRequestHandler):
    """Reads any AMAZON.DATE or AMAZON.DURATION form, then reads the date back before storing it."""

    def can_handle(self, handler_input):
        return is_intent_name(SET_DATE_INTENT)(handler_input)

    def handle(self, handler_input):
        today = local_today(handler_input)
        session = handler_input.attributes_manager.session_attributes
        duration = slot_value(handler_input, "duration")
        said = slot_value(handler_input, "date")
        if duration and timeline.is_under_a_day(duration):
            # "I keeled over a few minutes ago": something that just happened, not the surgery date.
            return reply(handler_input, [_phrase("just_happened"), _phrase("ask_date_again")])
        if duration:
            day = timeline.date_from_duration_ago(duration, today)
            if day is None:
                return elicit_date(handler_input, [_phrase("date_unclear")])
            return confirm_date(handler_input, day, today)
        if not said:
            return elicit_date(handler_input, [_phrase("ask_date")])
        reading = timeline.read_date(said, today)
        pending = _pending_month(session)
        if pending and reading.kind == "day" and timeline.is_next_such_day(said, today):
            # "the tenth", answering "which day in November?": Alexa sent the next tenth.
            reading = timeline.day_in_month(*pending, reading.day.day, today)
        if reading.kind == "day":
            return confirm_date(handler_input, reading.day, today)
        if reading.kind == "week":
            return confirm_date(handler_input, reading.day, today, week_start=reading.week_start)
        if reading.kind == "month":
            return elicit_date(
                handler_input,
                [_phrase("ask_day", month=speech.month_name(reading.month))],
                state=ASK_DAY,
                extra={"pending_year": reading.year, "pending_month": reading.month},
            )
        keep = {"state": ASK_DAY, "extra": {"pending_year": pending[0], "pending_month": pending[1]}} if pending else {}
        if reading.kind == "too_far":
            return elicit_date(handler_input, [_phrase("date_too_far"), _phrase("ask_date")], **keep)
        return elicit_date(handler_input, [_phrase("date_unclear")], **keep)


def _pending_month(session) -> tuple[int, int] | None:
    """(year, month) the person gave when the skill asked which day; None if absent or garbled."""
    year, month = session.get("pending_year"), session.get("pending_month")
    if session.get("state") == ASK_DAY and isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12:
        return year, month
    return None


def confirm_date(handler_input, day: date, today: date, week_start: date | None = None):
    spoken = speech.spoken_date(day, today)
    parts = []
    if week_start is not None:
        parts.append(_phrase("week_read_back", week_start=speech.spoken_date(week_start, today), surgery_date=spoken))
        question = _phrase("is_that_right")
    else:
        question = _phrase("confirm_date", surgery_date=spoken)
    if day > today:
        parts.append(_phrase("future_date"))
    parts.append(question)
    return reply(handler_input, parts, question, state=CONFIRM_DATE, extra={"pending_date": day.isoformat()})


class GetSurgeryDateHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("GetSurgeryDateIntent")(handler_input)

    def handle(self, handler_input):
        stored = StoredDate(handler_input)
        if not stored.available:
            return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
        if stored.day is None:
            return reply(
                handler_input, [_phrase("no_date_stored"), _phrase("offer_date")], _phrase("offer_date"), state=OFFER_DATE
            )
        p = progress(handler_input, stored.day)
        if offer := offer_reminder_once(handler_input):
            return reply(handler_input, [since_sentence(p), lifting_sentence(p), offer], offer, state=OFFER_REMINDER)
        return reply(handler_input, [since_sentence(p), lifting_sentence(p), _phrase("what_else")])


class ForgetSurgeryDateHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ForgetSurgeryDateIntent")(handler_input)

    def handle(self, handler_input):
        stored = StoredDate(handler_input)
        if not stored.available:
            return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
        if stored.day is None:
            return reply(handler_input, [_phrase("nothing_to_forget"), _phrase("what_else")])
        return reply(handler_input, [_phrase("confirm_forget")], _phrase("confirm_forget"), state=CONFIRM_FORGET)


class YesHandler(AbstractRequestHandler):
    """'Yes' means whatever the skill last asked."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input):
        session = handler_input.attributes_manager.session_attributes
        state = session.get("state")
        today = local_today(handler_input) if state == CONFIRM_DATE else None
        day = iso_date(session.get("pending_date")) if state == CONFIRM_DATE else None
        if state == CONFIRM_DATE and day is None:
            return elicit_date(handler_input, [_phrase("date_unclear")])
        if state == CONFIRM_DATE:
            if not save_date(handler_input, day):
                return reply(handler_input, [_phrase("date_not_saved"), _phrase("what_else")])
            p = progress(handler_input, day)
            parts = [_phrase("date_saved", surgery_date=speech.spoken_date(day, today)), since_sentence(p)]
            parts.append(lifting_sentence(p))
            parts.append(move_reminder(handler_input, p))
            if offer := offer_reminder_once(handler_input):
                return reply(handler_input, parts + [offer], offer, state=OFFER_REMINDER)
            return reply(handler_input, parts + [_phrase("what_else")])
        if state == CONFIRM_FORGET:
            cancelled = cancel_reminder_with_date(handler_input)
            if not forget_date(handler_input):
                return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
            return reply(handler_input, [_phrase("forgotten"), cancelled, _phrase("what_else")])
        if state == OFFER_DATE:
            return elicit_date(handler_input, [_phrase("ask_date")])
        if state == OFFER_MORE:
            topic = _content().topics.get(session.get("topic"))
            if topic is not None:
                return reply(handler_input, [topic.more, _phrase("what_else")])
        return reply(handler_input, [_phrase("what_else")])


class NoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input):
        state = handler_input.attributes_manager.session_attributes.get("state")
        if state == CONFIRM_DATE:
            return elicit_date(handler_input, [_phrase("all_right"), _phrase("ask_date")])
        if state == CONFIRM_FORGET:
            return reply(handler_input, [_phrase("forget_kept"), _phrase("what_else")])
        return reply(handler_input, [_phrase("all_right"), _phrase("what_else")])


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        return reply(handler_input, [_phrase("help"), _phrase("what_else")])


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        last = handler_input.attributes_manager.session_attributes.get("last_speech")
        if not (isinstance(last, dict) and all(isinstance(last.get(k), str) for k in ("ssml", "reprompt", "text"))):
            return reply(handler_input, [_phrase("nothing_to_repeat"), _phrase("what_else")])
        # The same words and the same pending question (session state is untouched): "repeat" never loses a "yes".
        return respond(handler_input, last["ssml"], last["text"], last["reprompt"], elicit=bool(last.get("elicit")),
                       kind=last.get("kind") if last.get("kind") in screen.KINDS else None)


class StopHandler(AbstractRequestHandler):
    """Stop, Cancel and NavigateHome: goodbye; Cancel during a question cancels only that question."""

    def can_handle(self, handler_input):
        return (
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
            or is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)
        )

    def handle(self, handler_input):
        state = handler_input.attributes_manager.session_attributes.get("state")
        if is_intent_name("AMAZON.CancelIntent")(handler_input) and state in (CONFIRM_DATE, ASK_DAY, CONFIRM_FORGET):
            return reply(handler_input, [_phrase("cancelled"), _phrase("what_else")])
        return reply(handler_input, [_phrase("goodbye")], end=True)


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input):
        session = handler_input.attributes_manager.session_attributes
        if session.get("state") in (CONFIRM_DATE, CONFIRM_FORGET, OFFER_DATE, OFFER_MORE, OFFER_REMINDER):
            # Keep the question: say what answers it.
            last = session.get("last_speech")
            question = (speech.strip_tags(last.get("reprompt", "")) if isinstance(last, dict) else "") or _phrase("what_else")
            return reply(
                handler_input,
                [_phrase("say_yes_or_no"), _phrase("safety_line"), question],
                question,
                state=session["state"],
                extra={k: session[k] for k in ("topic", "pending_date") if k in session},
            )
        return reply(handler_input, [_phrase("fallback"), _phrase("what_else")])


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        if error is not None:
            log.error("session ended with error %s: %s", logsafe.shown(getattr(error, "object_type", "")),
                      logsafe.shown(getattr(error, "message", ""), 200))
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """When the skill is disabled, every record of the account goes with it (the account's and each voice's).

    The event names only the account; for it the storage adapter erases all the
    account's records (skill.storage.store.ACCOUNT_WIDE_REQUESTS), not just one.
    """

    def can_handle(self, handler_input):
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input):
        account = record_key(handler_input.request_envelope).account
        if forget_date(handler_input):
            log.info("skill disabled: erased every record of account %s", account[:12])
        else:
            # Raise so Alexa retries the event later: the data must not outlive the skill.
            raise PersistenceException(f"could not erase the records of account {account[:12]}")
        return handler_input.response_builder.response


class QuietEventHandler(AbstractRequestHandler):
    """Events that need no answer: skill enabled, and Alexa reporting an error in our last response."""

    def can_handle(self, handler_input):
        return get_request_type(handler_input) in ("AlexaSkillEvent.SkillEnabled", "System.ExceptionEncountered")

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        if get_request_type(handler_input) == "System.ExceptionEncountered":
            error = getattr(request, "error", None)
            log.error("Alexa reported an error in our response: %s", logsafe.shown(getattr(error, "message", error), 200))
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise and keep the session usable; still send emergencies to 911."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        # Type and place only: messages can carry what the person said or their date.
        log.error("%s while handling a %s at %s", type(exception).__name__, _describe(handler_input), _where(exception))
        if get_request_type(handler_input).startswith("AlexaSkillEvent.SkillDisabled"):
            raise exception
        verdict = None
        try:
            verdict = emergency_verdict(handler_input) if is_request_type("IntentRequest")(handler_input) else None
            emergency = verdict is not None or get_intent_name(handler_input) in EMERGENCY_INTENTS
        except Exception:
            emergency = None  # could not tell
        try:
            if emergency:
                return emergency_reply(handler_input, verdict)
            return reply(handler_input, [_phrase("error"), _phrase("safety_line"), _phrase("what_else")])
        except Exception as second:  # the emergency answer must not be lost to a second error
            log.error("%s while answering the error, at %s", type(second).__name__, _where(second))
        if emergency:
            return respond(handler_input, speech.ssml(EMERGENCY_LAST_RESORT), EMERGENCY_LAST_RESORT, None,
                           kind="emergency")
        return respond(handler_input, speech.ssml(LAST_RESORT), LAST_RESORT, speech.ssml(LAST_RESORT))


# Said when even the content cannot be used; they need nothing loaded.
EMERGENCY_LAST_RESORT = (
    "Call 911 now. I can't make calls, so please use your phone right away. "
    "Again: call 911 now."
)
LAST_RESORT = (
    "Sorry, something went wrong. If you have chest pain, trouble breathing, or another serious symptom, "
    "call 911 now."
)


def _where(exception) -> str:
    import traceback

    frames = traceback.extract_tb(exception.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"


def _describe(handler_input) -> str:
    try:
        kind = get_request_type(handler_input)
        return logsafe.shown(f"{kind} {get_intent_name(handler_input)}" if kind == "IntentRequest" else kind)
    except Exception:
        return "request"


# ================================================================ screens and the lifting reminder
# Everything below is about Echo Show screens (APL) and the "remind me when I can lift" reminder.
# The words live in recovery.yaml; the screen document in skill/content/apl/; the API calls in skill/reminders.py.

YES_NO_QUESTIONS = (OFFER_DATE, CONFIRM_DATE, ASK_DAY, CONFIRM_FORGET, OFFER_REMINDER, TRIAGE_QUESTION)


def screen_directive(handler_input, text: str, kind: str | None, *, elicit: bool, ends: bool):
    """The screen of one answer: the kind asked for, else a goodbye, a question, a yes-or-no question, or an answer."""
    state = handler_input.attributes_manager.session_attributes.get("state")
    if kind is None:
        kind = "goodbye" if ends else "question" if elicit else "yes_no" if state in YES_NO_QUESTIONS else "answer"
    return screen.directive(text, kind, more=state == OFFER_MORE and not ends)


def _reminder_day(p: timeline.Progress):
    """The day the reminder would ring, or None when the six weeks are over (or end today)."""
    return p.lifting_ends if p.days_until_lifting > 0 else None


def offer_reminder_once(handler_input) -> str | None:
    """The reminder offer, to end an answer that told the lifting date.

    Made once a session, and never again for a date the person said no to; nothing
    when the date is not stored, the six weeks are over, or a reminder is already set;
    nothing with RECOVERY_SKILL_REMEMBER=session, where the reminder could not be found again.
    """
    stored = StoredDate(handler_input)
    if stored.day is None or remember_mode() == SESSION:
        return None
    p = progress(handler_input, stored.day)
    session = handler_input.attributes_manager.session_attributes
    record = reminders.stored(handler_input)
    surgery = p.surgery.isoformat()
    if p.days_since < 0 or _reminder_day(p) is None or record.get("token") or surgery in (
        record.get("declined_for"), session.get("reminder_offered")
    ):
        return None
    session["reminder_offered"] = surgery
    return _phrase("reminder_offer", date=speech.spoken_date(p.lifting_ends, p.today))


def _make_reminder(handler_input, p: timeline.Progress) -> bool:
    """Set (or keep, or move) the person's reminder for ``p``; whether a new one was made."""
    stamp = handler_input.request_envelope.request.timestamp
    zone = device_zone(handler_input)
    now = (stamp if isinstance(stamp, datetime) and stamp.tzinfo else datetime.now(timezone.utc)).astimezone(zone)
    made, token = reminders.set_for(handler_input, reminders.stored(handler_input).get("token"), _reminder_day(p),
                                    _phrase("reminder_text"), now, getattr(zone, "key", None))
    if not reminders.store(handler_input, token=token, declined_for=None):
        if made:  # a reminder nobody can find again would be a duplicate later: take it back
            reminders.delete(handler_input, token)
        raise reminders.Unavailable("the reminder's token could not be stored")
    return made


def set_lifting_reminder(handler_input, *, permission_just_given=False):
    """Set the reminder for the stored date, asking for the permission if Alexa says it is missing."""
    stored = StoredDate(handler_input)
    if not stored.available:
        return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
    if stored.day is None:
        return reply(handler_input, [_phrase("reminder_need_date"), _phrase("offer_date")], _phrase("offer_date"),
                     state=OFFER_DATE)
    p = progress(handler_input, stored.day)
    if _reminder_day(p) is None:
        return reply(handler_input, [_phrase("reminder_past"), _phrase("what_else")])
    if reminders.permission_denied(handler_input) and not permission_just_given:
        return ask_reminder_permission(handler_input)
    try:
        made = _make_reminder(handler_input, p)
    except reminders.Unavailable as exc:
        if exc.no_permission:
            return ask_reminder_permission(handler_input, voice=not permission_just_given)
        return reply(handler_input, [_phrase("reminder_failed"), _phrase("what_else")])
    said = speech.spoken_date(_reminder_day(p), p.today)
    return reply(handler_input, [_phrase("reminder_set" if made else "reminder_already", date=said), _phrase("what_else")])


def ask_reminder_permission(handler_input, *, voice=True):
    """Alexa's voice permission request (once a session); else the consent card in the Alexa app."""
    session = handler_input.attributes_manager.session_attributes
    if voice and not session.get("reminder_permission_asked"):
        session["reminder_permission_asked"] = True
        for key in ("state", "topic", "pending_date", "pending_year", "pending_month"):
            session.pop(key, None)
        # Alexa speaks the question itself; the answer comes back as a Connections.Response request.
        return handler_input.response_builder.add_directive(reminders.ask_permission_directive()).response
    response = reply(handler_input, [_phrase("reminder_permission_card"), _phrase("what_else")])
    response.card = reminders.consent_card()
    return response


def move_reminder(handler_input, p: timeline.Progress) -> str:
    """After the date changed: the reminder follows it, or goes when the new six weeks are over."""
    token = reminders.stored(handler_input).get("token")
    if not token:
        return ""
    try:
        if _reminder_day(p) is None:
            reminders.delete(handler_input, token)
            reminders.store(handler_input, token=None)
            return _phrase("reminder_removed")
        _make_reminder(handler_input, p)
    except reminders.Unavailable:
        return _phrase("reminder_not_moved")
    return _phrase("reminder_moved", date=speech.spoken_date(_reminder_day(p), p.today))


def cancel_reminder_with_date(handler_input) -> str:
    """Before the date is forgotten: its reminder goes too ('' when there was none)."""
    token = reminders.stored(handler_input).get("token")
    if not token:
        return ""
    try:
        reminders.delete(handler_input, token)
    except reminders.Unavailable:
        return _phrase("reminder_cancel_failed")
    return _phrase("reminder_removed")


class ReminderAnswerHandler(AbstractRequestHandler):
    """Yes or no to "would you like me to remind you?"."""

    def can_handle(self, handler_input):
        return (
            is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name("AMAZON.NoIntent")(handler_input)
        ) and handler_input.attributes_manager.session_attributes.get("state") == OFFER_REMINDER

    def handle(self, handler_input):
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            stored = StoredDate(handler_input)
            if stored.day is not None:
                reminders.store(handler_input, declined_for=stored.day.isoformat())  # not asked again for this date
            return reply(handler_input, [_phrase("reminder_declined"), _phrase("what_else")])
        return set_lifting_reminder(handler_input)


class RemindMeHandler(AbstractRequestHandler):
    """"Remind me when I can lift again"."""

    def can_handle(self, handler_input):
        return is_intent_name("RemindMeIntent")(handler_input)

    def handle(self, handler_input):
        return set_lifting_reminder(handler_input)


class ReminderPermissionHandler(AbstractRequestHandler):
    """Alexa's answer to the voice permission request: accepted, denied, or not answered."""

    def can_handle(self, handler_input):
        request = handler_input.request_envelope.request
        return is_request_type("Connections.Response")(handler_input) and getattr(request, "name", None) == "AskFor"

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        code = str(getattr(getattr(request, "status", None), "code", ""))
        answer = (getattr(request, "payload", None) or {}).get("status")
        log.info("reminder permission request answered: %s %s", logsafe.shown(code), logsafe.shown(answer))
        if code == "200" and answer == "ACCEPTED":
            return set_lifting_reminder(handler_input, permission_just_given=True)
        if code == "200" and answer == "DENIED":
            return reply(handler_input, [_phrase("reminder_permission_denied"), _phrase("what_else")])
        return ask_reminder_permission(handler_input, voice=False)


class CancelReminderHandler(AbstractRequestHandler):
    """"Cancel my reminder": the speaker's own reminder, never another voice's on the same account."""

    def can_handle(self, handler_input):
        return is_intent_name("CancelReminderIntent")(handler_input)

    def handle(self, handler_input):
        if not StoredDate(handler_input).available:
            return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
        token = reminders.stored(handler_input).get("token")
        if not token:
            return reply(handler_input, [_phrase("reminder_nothing_to_cancel"), _phrase("what_else")])
        try:
            reminders.delete(handler_input, token)
        except reminders.Unavailable:
            return reply(handler_input, [_phrase("reminder_cancel_failed"), _phrase("what_else")])
        reminders.store(handler_input, token=None)
        return reply(handler_input, [_phrase("reminder_cancelled"), _phrase("what_else")])


class ReminderStatusHandler(AbstractRequestHandler):
    """"Do I have a reminder": the speaker's reminder, as Alexa's reminders have it now."""

    def can_handle(self, handler_input):
        return is_intent_name("ReminderStatusIntent")(handler_input)

    def handle(self, handler_input):
        if not StoredDate(handler_input).available:
            return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
        token = reminders.stored(handler_input).get("token")
        day = None
        if token:
            try:
                day = reminders.day_of(handler_input, token)
            except reminders.Unavailable:
                return reply(handler_input, [_phrase("reminder_check_failed"), _phrase("what_else")])
        if day is not None:
            said = speech.spoken_date(day, local_today(handler_input))
            return reply(handler_input, [_phrase("reminder_status_yes", date=said), _phrase("what_else")])
        if token:
            reminders.store(handler_input, token=None)  # it rang, or was deleted in the Alexa app
        return reply(handler_input, [_phrase("reminder_status_no"), _phrase("what_else")])


class ScreenButtonHandler(AbstractRequestHandler):
    """A touch on the screen's Repeat or More button (Alexa.Presentation.APL.UserEvent)."""

    def can_handle(self, handler_input):
        return screen.button_pressed(handler_input) is not None

    def handle(self, handler_input):
        if screen.button_pressed(handler_input) == "repeat":
            return RepeatHandler().handle(handler_input)
        session = handler_input.attributes_manager.session_attributes
        if session.get("state") == OFFER_MORE and _content().topics.get(session.get("topic")) is not None:
            return YesHandler().handle(handler_input)
        return reply(handler_input, [_phrase("no_more"), _phrase("what_else")])


SCREEN_AND_REMINDER_HANDLERS = (
    ReminderAnswerHandler,
    RemindMeHandler,
    ReminderPermissionHandler,
    CancelReminderHandler,
    ReminderStatusHandler,
    ScreenButtonHandler,
)


# ---------------------------------------------------------------- whatever else Alexa sends


class CanFulfillIntentHandler(AbstractRequestHandler):
    """Name-free queries: YES when a handler above answers the intent (never the fallback), else NO.

    Says nothing and changes nothing, as Alexa requires of a CanFulfillIntentRequest.
    """

    def can_handle(self, handler_input):
        return is_request_type("CanFulfillIntentRequest")(handler_input)

    def handle(self, handler_input):
        from ask_sdk_core.handler_input import HandlerInput
        from ask_sdk_model import IntentRequest, RequestEnvelope
        from ask_sdk_model.canfulfill import (
            CanFulfillIntent,
            CanFulfillIntentValues,
            CanFulfillSlot,
            CanFulfillSlotValues,
            CanUnderstandSlotValues,
        )

        envelope, query = handler_input.request_envelope, handler_input.request_envelope.request
        as_intent = HandlerInput(
            request_envelope=RequestEnvelope(
                version=envelope.version,
                session=envelope.session,
                context=envelope.context,
                request=IntentRequest(
                    request_id=query.request_id, timestamp=query.timestamp, locale=query.locale, intent=query.intent
                ),
            ),
            attributes_manager=handler_input.attributes_manager,
        )
        answered = getattr(query.intent, "name", None) is not None and any(
            handler().can_handle(as_intent) for handler in REQUEST_HANDLERS if not issubclass(handler, FallbackHandler)
        )
        slots = {}
        for name, slot in (query.intent.slots or {}).items() if answered else []:
            if slot is None or not slot.value:
                continue  # only the slots Alexa heard something for
            codes = [
                getattr(getattr(getattr(r, "status", None), "code", None), "value", None)
                for r in getattr(slot.resolutions, "resolutions_per_authority", None) or []
            ]
            understood = CanUnderstandSlotValues.MAYBE if codes and "ER_SUCCESS_MATCH" not in codes else CanUnderstandSlotValues.YES
            slots[name] = CanFulfillSlot(can_understand=understood, can_fulfill=CanFulfillSlotValues.YES)
        verdict = CanFulfillIntentValues.YES if answered else CanFulfillIntentValues.NO
        log.info("can fulfill %s: %s", logsafe.shown(getattr(query.intent, "name", None)), verdict.value)
        return handler_input.response_builder.set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=verdict, slots=slots or None)
        ).response


class UnknownIntentHandler(FallbackHandler):
    """An intent no handler above takes (one the model lacks): the fallback answer, not an apology."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("intent %s is not one this skill answers: fallback answer", logsafe.shown(get_intent_name(handler_input)))
        return super().handle(handler_input)


class NoAnswerHandler(AbstractRequestHandler):
    """Events and requests the skill has nothing to say to (account linked, permissions, playback
    buttons, screen touches, connections, request types newer than ask-sdk-model): an empty
    response and one INFO line, never an apology or an error."""

    def can_handle(self, handler_input):
        return not is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("%s: no answer needed", logsafe.shown(get_request_type(handler_input)))
        return handler_input.response_builder.response


REQUEST_HANDLERS = (
    EmergencyHandler,
    TriageAnswerHandler,
    *SCREEN_AND_REMINDER_HANDLERS,
    LaunchHandler,
    SymptomHandler,
    FreeWordsHandler,
    SubjectHandler,
    WhatIfHandler,
    SetSurgeryDateHandler,
    GetSurgeryDateHandler,
    ForgetSurgeryDateHandler,
    YesHandler,
    NoHandler,
    HelpHandler,
    RepeatHandler,
    StopHandler,
    FallbackHandler,
    TopicHandler,
    SessionEndedHandler,
    SkillDisabledHandler,
    QuietEventHandler,
    # Last, in this order: whatever no handler above takes.
    CanFulfillIntentHandler,
    UnknownIntentHandler,
    NoAnswerHandler,
)
