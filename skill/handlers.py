"""ask-sdk-core request handlers: thin glue between Alexa requests and the recovery knowledge.

Order matters and is fixed in :mod:`skill.builder`: the emergency handler comes
first so a serious symptom wins in every intent and every dialog state, and it
never touches storage, so it answers even when storage is down.

Dialog state lives in session attributes under ``state`` (what a "yes" or "no"
would answer); the last answer is kept for "repeat that".
"""
from __future__ import annotations

import logging
from datetime import date

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
)
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.utils import get_intent_name, get_request_type, is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Slot
from ask_sdk_model.ui import SimpleCard  # ask_sdk_core's response builder imports it anyway

from skill import content as recovery_content
from skill import speech, storage, timeline, triage
from skill.clock import local_today

log = logging.getLogger(__name__)

CARD_TITLE = "Spine Recovery Helper"

# Session states: what the skill is waiting for.
OFFER_DATE = "offer_date"
OFFER_MORE = "offer_more"
CONFIRM_DATE = "confirm_date"
ASK_DAY = "ask_day"
CONFIRM_FORGET = "confirm_forget"

SET_DATE_INTENT = "SetSurgeryDateIntent"


def _content():
    return recovery_content.load()


def _phrase(key: str, **values) -> str:
    phrases = _content().phrases
    if storage.remember_mode() == storage.SESSION and f"{key}_session" in phrases:
        key = f"{key}_session"  # the words for a skill that keeps the date only while it talks
    return phrases[key].format(**values)


def _timing(key: str, **values) -> str:
    return _content().timing[key].format(**values)


# ---------------------------------------------------------------- answers


def reply(handler_input, parts, reprompt=None, *, state=None, end=False, extra=None, elicit=False):
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
    parts = [p for p in parts if p]
    ssml, text = speech.ssml(*parts), speech.plain(parts)
    reprompt_ssml = speech.ssml(reprompt or _phrase("what_else"))
    if end:
        session.pop("last_speech", None)
    else:
        session["last_speech"] = {"ssml": ssml, "reprompt": reprompt_ssml, "text": text, "elicit": elicit}
    return respond(handler_input, ssml, text, None if end else reprompt_ssml, elicit=elicit)


def respond(handler_input, ssml: str, text: str, reprompt_ssml: str | None, *, elicit=False):
    """The response itself: speech, card, reprompt (none ends the session), and the date dialog if asked."""
    builder = handler_input.response_builder.speak(ssml)
    builder.set_card(SimpleCard(CARD_TITLE, text))
    if elicit:
        builder.add_directive(_elicit_date_directive())
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
    found = []
    for slot in (getattr(getattr(request, "intent", None), "slots", None) or {}).values():
        if slot is None or not slot.value:
            continue
        ids = []
        for resolution in getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []:
            code = getattr(getattr(resolution, "status", None), "code", None)
            if getattr(code, "value", code) == "ER_SUCCESS_MATCH":
                ids += [v.value.id for v in resolution.values or [] if v.value and v.value.id]
        found.append((slot.value, ids))
    return found


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


def remembered(handler_input) -> dict:
    """Where the surgery date is read and saved: the person's stored record, or, with
    RECOVERY_SKILL_REMEMBER=session, this session's attributes (no store is ever written)."""
    manager = handler_input.attributes_manager
    if storage.remember_mode() == storage.SESSION:
        return manager.session_attributes if handler_input.request_envelope.session is not None else {}
    return manager.persistent_attributes


def save_date(handler_input, day: date) -> bool:
    manager = handler_input.attributes_manager
    if storage.remember_mode() == storage.SESSION:
        remembered(handler_input)["surgery_date"] = day.isoformat()
        return True
    try:
        attrs = dict(manager.persistent_attributes)
        attrs["surgery_date"] = day.isoformat()
        manager.persistent_attributes = attrs
        manager.save_persistent_attributes()
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while saving (%s)", type(exc).__name__)
        return False


def forget_date(handler_input) -> bool:
    if storage.remember_mode() == storage.SESSION:
        remembered(handler_input).pop("surgery_date", None)
        return True
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
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
        if is_intent_name("EmergencyIntent")(handler_input):
            return True
        return is_emergency(handler_input)

    def handle(self, handler_input):
        return emergency_reply(handler_input)


def is_emergency(handler_input) -> bool:
    classify = _content().triage.classify
    for value, ids in slot_values(handler_input):
        verdict = classify(value, ids)
        if verdict.level == triage.EMERGENCY:
            log.info("emergency answer given")
            return True
    return False


def emergency_reply(handler_input):
    text = _content().triage_text[triage.EMERGENCY]
    return reply(handler_input, [text["answer"]], text["reprompt"])


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
        intent = get_intent_name(handler_input)
        topic = _content().topic_for_intent(intent)
        parts = [topic.answer]
        if intent in TOPIC_TIMING:
            parts += timing_parts(handler_input, TOPIC_TIMING[intent])
        if topic.more:
            parts.append(_phrase("offer_more"))
            return reply(handler_input, parts, _phrase("offer_more"), state=OFFER_MORE, extra={"topic": topic.key})
        return reply(handler_input, parts + [_phrase("what_else")])


class SymptomHandler(AbstractRequestHandler):
    """Non-emergency symptoms (the emergency handler has already taken serious ones)."""

    def can_handle(self, handler_input):
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input):
        values = slot_values(handler_input)
        if not values:
            return reply(
                handler_input,
                [_phrase("ask_symptom")],
                _phrase("ask_symptom_short"),
            )
        words, ids = values[0]
        verdict = _content().triage.classify(words, ids)
        text = _content().triage_text[verdict.level]
        log.info("symptom triaged as %s", verdict.level)
        parts = [text["answer"].format(symptom_sentence=_phrase("you_mentioned", words=words))]
        if verdict.level == triage.EXPECTED:
            parts += timing_parts(handler_input, (pain_sentence,))
            parts = [p for p in parts if p != _timing("no_date")]
        if verdict.level in (triage.DOCTOR, triage.UNKNOWN):
            parts.append(_phrase("disclaimer"))
        return reply(handler_input, parts + [_phrase("what_else")], text["reprompt"])


class SetSurgeryDateHandler(AbstractRequestHandler):
    """Reads any AMAZON.DATE or AMAZON.DURATION form, then reads the date back before storing it."""

    def can_handle(self, handler_input):
        return is_intent_name(SET_DATE_INTENT)(handler_input)

    def handle(self, handler_input):
        today = local_today(handler_input)
        session = handler_input.attributes_manager.session_attributes
        duration = slot_value(handler_input, "duration")
        said = slot_value(handler_input, "date")
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
            return reply(handler_input, parts + [_phrase("what_else")])
        if state == CONFIRM_FORGET:
            if not forget_date(handler_input):
                return reply(handler_input, [_timing("storage_down"), _phrase("what_else")])
            return reply(handler_input, [_phrase("forgotten"), _phrase("what_else")])
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
        return respond(handler_input, last["ssml"], last["text"], last["reprompt"], elicit=bool(last.get("elicit")))


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
        if session.get("state") in (CONFIRM_DATE, CONFIRM_FORGET, OFFER_DATE, OFFER_MORE):
            # Keep the question: say what answers it.
            last = session.get("last_speech")
            question = (speech.strip_tags(last.get("reprompt", "")) if isinstance(last, dict) else "") or _phrase("what_else")
            return reply(
                handler_input,
                [_phrase("say_yes_or_no"), question],
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
            log.error("session ended with error %s: %s", getattr(error, "object_type", ""), getattr(error, "message", ""))
        return handler_input.response_builder.response


class SkillDisabledHandler(AbstractRequestHandler):
    """When the skill is disabled, every record of the account goes with it (the account's and each voice's).

    The event names only the account; for it the storage adapter erases all the
    account's records (storage.ACCOUNT_WIDE_REQUESTS), not just one.
    """

    def can_handle(self, handler_input):
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input):
        account = storage.record_key(handler_input.request_envelope).account
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
            log.error("Alexa reported an error in our response: %s", getattr(error, "message", error))
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
        try:
            emergency = is_request_type("IntentRequest")(handler_input) and (
                is_intent_name("EmergencyIntent")(handler_input) or is_emergency(handler_input)
            )
        except Exception:
            emergency = None  # could not tell
        try:
            if emergency:
                return emergency_reply(handler_input)
            return reply(handler_input, [_phrase("error"), _phrase("what_else")])
        except Exception as second:  # the emergency answer must not be lost to a second error
            log.error("%s while answering the error, at %s", type(second).__name__, _where(second))
        text = EMERGENCY_LAST_RESORT if emergency else LAST_RESORT
        return respond(handler_input, speech.ssml(text), text, speech.ssml(text))


# Said when even the content cannot be used; they need nothing loaded.
EMERGENCY_LAST_RESORT = "Call 911 or go to the emergency room now. I can't make calls, so please use your phone right away."
LAST_RESORT = (
    "Sorry, something went wrong. If you have chest pain, trouble breathing, or another serious symptom, "
    "call 911 or go to the emergency room now."
)


def _where(exception) -> str:
    import traceback

    frames = traceback.extract_tb(exception.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"


def _describe(handler_input) -> str:
    try:
        kind = get_request_type(handler_input)
        return f"{kind} {get_intent_name(handler_input)}" if kind == "IntentRequest" else kind
    except Exception:
        return "request"


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
        log.info("can fulfill %s: %s", str(getattr(query.intent, "name", None))[:80], verdict.value)
        return handler_input.response_builder.set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=verdict, slots=slots or None)
        ).response


class UnknownIntentHandler(FallbackHandler):
    """An intent no handler above takes (one the model lacks): the fallback answer, not an apology."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("intent %s is not one this skill answers: fallback answer", str(get_intent_name(handler_input))[:80])
        return super().handle(handler_input)


class NoAnswerHandler(AbstractRequestHandler):
    """Events and requests the skill has nothing to say to (account linked, permissions, playback
    buttons, screen touches, connections, request types newer than ask-sdk-model): an empty
    response and one INFO line, never an apology or an error."""

    def can_handle(self, handler_input):
        return not is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("%s: no answer needed", str(get_request_type(handler_input))[:80])
        return handler_input.response_builder.response


REQUEST_HANDLERS = (
    EmergencyHandler,
    LaunchHandler,
    SymptomHandler,
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
