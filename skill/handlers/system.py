"""The conversation itself and whatever else Alexa sends: launch, help, repeat, yes, no, stop and
the fallback (each acting on the pending question's row in skill.dialog), screen buttons,
session and skill events, name-free queries, intents and requests the skill has nothing for,
and the exception handler with its last resort."""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.utils import get_intent_name, get_request_type, is_intent_name, is_request_type

from skill import content as recovery_content
from skill import dialog, interceptors, logsafe, screen, speech
from skill.handlers import country, reminders, surgery_date, symptoms, topics
from skill.handlers.welcome import launch_reply
from skill.handlers.replies import content, phrase, reply, respond, where
from skill.handlers.symptoms import emergency_reply
from skill.handlers.timing import StoredDate, forget_date, progress, since_sentence
from skill.storage.store import record_key

log = logging.getLogger(__name__)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return country.ask_if_unsure(handler_input) or launch_reply(handler_input)


# ---------------------------------------------------------------- answers to the pending question


def _ask_again(handler_input):
    """Keep the question: say what answers it."""
    session = handler_input.attributes_manager.session_attributes
    last = session.get("last_speech")
    question = (speech.strip_tags(last.get("reprompt", "")) if isinstance(last, dict) else "") or phrase("what_else")
    return reply(
        handler_input,
        [phrase("say_yes_or_no"), phrase("safety_line"), question],
        question,
        state=session["state"],
        extra={k: session[k] for k in ("topic", "pending_date") if k in session},
    )


# What each answer of skill.dialog does (REPROMPT is Alexa's: no handler acts on silence).
ANSWERS = {
    dialog.WHAT_ELSE: lambda handler_input: reply(handler_input, [phrase("what_else")]),
    dialog.ALL_RIGHT: lambda handler_input: reply(handler_input, [phrase("all_right"), phrase("what_else")]),
    dialog.GOODBYE: lambda handler_input: reply(handler_input, [phrase("goodbye")], end=True),
    dialog.NOT_UNDERSTOOD: lambda handler_input: reply(handler_input, [phrase("fallback"), phrase("what_else")]),
    dialog.ASK_AGAIN: _ask_again,
    dialog.CANCEL_QUESTION: lambda handler_input: reply(handler_input, [phrase("cancelled"), phrase("what_else")]),
    dialog.ASK_DATE: surgery_date.ask_for_date,
    dialog.SAVE_DATE: surgery_date.save_confirmed_date,
    dialog.DATE_AGAIN: surgery_date.ask_date_again,
    dialog.FORGET_DATE: surgery_date.forget_confirmed,
    dialog.KEEP_DATE: surgery_date.keep_date,
    dialog.TELL_MORE: topics.tell_more,
    dialog.SET_REMINDER: reminders.set_lifting_reminder,
    dialog.DECLINE_REMINDER: reminders.decline_reminder,
    dialog.HIGHER_ANSWER: lambda handler_input: symptoms.answer_to_question(handler_input, "yes"),
    dialog.ASKED_ANSWER: lambda handler_input: symptoms.answer_to_question(handler_input, "no"),
    dialog.UNSURE_ANSWER: lambda handler_input: symptoms.answer_to_question(handler_input, "unsure"),
}


def _pending(handler_input) -> dialog.DialogState:
    return dialog.state_of(handler_input.attributes_manager.session_attributes)


class YesHandler(AbstractRequestHandler):
    """'Yes' means whatever the skill last asked."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input):
        return ANSWERS[_pending(handler_input).yes](handler_input)


class NoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input):
        return ANSWERS[_pending(handler_input).no](handler_input)


class StopHandler(AbstractRequestHandler):
    """Stop, Cancel and NavigateHome: goodbye; Cancel during a question may cancel only that question."""

    def can_handle(self, handler_input):
        return (
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
            or is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)
        )

    def handle(self, handler_input):
        if is_intent_name("AMAZON.CancelIntent")(handler_input):
            return ANSWERS[_pending(handler_input).cancel](handler_input)
        return ANSWERS[dialog.GOODBYE](handler_input)


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input):
        return ANSWERS[_pending(handler_input).fallback](handler_input)


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        return reply(handler_input, [phrase("help"), phrase("what_else")])


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        last = handler_input.attributes_manager.session_attributes.get("last_speech")
        if not (isinstance(last, dict) and all(isinstance(last.get(k), str) for k in ("ssml", "reprompt", "text"))):
            return reply(handler_input, [phrase("nothing_to_repeat"), phrase("what_else")])
        # The same words and the same pending question (session state is untouched): "repeat" never loses a "yes".
        return respond(handler_input, last["ssml"], last["text"], last["reprompt"], elicit=bool(last.get("elicit")),
                       kind=last.get("kind") if last.get("kind") in screen.KINDS else None)


class ScreenButtonHandler(AbstractRequestHandler):
    """A touch on the screen's Repeat or More button (Alexa.Presentation.APL.UserEvent)."""

    def can_handle(self, handler_input):
        return screen.button_pressed(handler_input) is not None

    def handle(self, handler_input):
        if screen.button_pressed(handler_input) == "repeat":
            return RepeatHandler().handle(handler_input)
        session = handler_input.attributes_manager.session_attributes
        if dialog.state_of(session).more_button and content().topics.get(session.get("topic")) is not None:
            return YesHandler().handle(handler_input)
        return reply(handler_input, [phrase("no_more"), phrase("what_else")])


# ---------------------------------------------------------------- session and skill events


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


# ---------------------------------------------------------------- whatever no handler above takes


class CanFulfillIntentHandler(AbstractRequestHandler):
    """Name-free queries: YES when a handler above answers the intent (never the fallback), else NO.

    Says nothing and changes nothing, as Alexa requires of a CanFulfillIntentRequest.
    ``answering``: the handlers above, in their order (skill.handlers.ANSWERING).
    """

    def __init__(self, answering=()):
        self.answering = [handler() for handler in answering if not issubclass(handler, FallbackHandler)]

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
        named = getattr(query.intent, "name", None) is not None
        if named:
            interceptors.work_out(as_intent)   # the verdict the handlers would go by, were it asked
        answered = named and any(handler.can_handle(as_intent) for handler in self.answering)
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
    """An intent no handler above takes (one the model lacks): the fallback answer, not an apology.

    It answers no question: where the fallback would give the clarifying question's higher answer,
    it is not understood."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("intent %s is not one this skill answers: fallback answer", logsafe.shown(get_intent_name(handler_input)))
        fallback = _pending(handler_input).fallback
        return ANSWERS[dialog.NOT_UNDERSTOOD if fallback == dialog.UNSURE_ANSWER else fallback](handler_input)


class NoAnswerHandler(AbstractRequestHandler):
    """Events and requests the skill has nothing to say to (account linked, permissions, playback
    buttons, screen touches, connections, request types newer than ask-sdk-model): an empty
    response and one INFO line, never an apology or an error."""

    def can_handle(self, handler_input):
        return not is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        log.info("%s: no answer needed", logsafe.shown(get_request_type(handler_input)))
        return handler_input.response_builder.response


# ---------------------------------------------------------------- when something goes wrong


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Anything unexpected: apologise and keep the session usable; still send emergencies to 911."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        # Type and place only: messages can carry what the person said or their date.
        log.error("%s while handling a %s at %s", type(exception).__name__, _describe(handler_input), where(exception))
        if get_request_type(handler_input).startswith("AlexaSkillEvent.SkillDisabled"):
            raise exception
        verdict = None
        try:
            if is_request_type("IntentRequest")(handler_input):
                verdict = interceptors.emergency_verdict(handler_input)
            emergency = verdict is not None or get_intent_name(handler_input) in interceptors.EMERGENCY_INTENTS
        except Exception:
            emergency = None  # could not tell
        try:
            if emergency:
                return emergency_reply(handler_input, verdict)
            return reply(handler_input, [phrase("error"), phrase("safety_line"), phrase("what_else")])
        except Exception as second:  # the emergency answer must not be lost to a second error
            log.error("%s while answering the error, at %s", type(second).__name__, where(second))
        said = last_resort(emergency=bool(emergency))
        return respond(handler_input, _ssml_of(said), said, None if emergency else _ssml_of(said),
                       kind="emergency" if emergency else None, title=LAST_RESORT_TITLE)


# Said when even the content's sentences cannot be used; the number is the request's country's when it
# can be known, else none is guessed.
EMERGENCY_LAST_RESORT = (
    "Call {emergency} now. I can't make calls, so please use your phone right away. "
    "Again: call {emergency} now."
)
LAST_RESORT = (
    "Sorry, something went wrong. If you have chest pain, trouble breathing, or another serious symptom, "
    "call {emergency} now."
)
LAST_RESORT_TITLE = "Spine Recovery Helper"   # the card's title, as recovery.yaml's card_title
UNKNOWN_NUMBER = "your local emergency number"


def last_resort(emergency: bool = False, place=None) -> str:
    """The last-resort words, with the emergency number of ``place`` (default: the request's country)."""
    try:
        number = (place or recovery_content.current().place).says["emergency"]
    except Exception:       # the content itself is what failed
        number = UNKNOWN_NUMBER
    return (EMERGENCY_LAST_RESORT if emergency else LAST_RESORT).format(emergency=number)


def _ssml_of(said: str) -> str:
    try:
        return speech.ssml(said)
    except Exception:       # speech reads the country's numbers from the content: plain words then
        return f"<speak>{said}</speak>"


def _describe(handler_input) -> str:
    try:
        kind = get_request_type(handler_input)
        return logsafe.shown(f"{kind} {get_intent_name(handler_input)}" if kind == "IntentRequest" else kind)
    except Exception:
        return "request"
