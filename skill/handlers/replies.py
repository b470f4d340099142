"""Building every response: the words (phrase lookup), speech and card, the reprompt, the date
dialog's directive and the screen. Every answer goes through :func:`reply` or :func:`respond`.

The last answer is kept in the session for "repeat that"; the dialog state set with it
(skill.dialog) says what a yes or no would answer next.
"""
from __future__ import annotations

import logging

from ask_sdk_model import Intent, IntentConfirmationStatus, Slot
from ask_sdk_model.ui import SimpleCard  # ask_sdk_core's response builder imports it anyway

from skill import content as recovery_content
from skill import dialog, screen, speech
from skill.storage.remember import SESSION, remember_mode

log = logging.getLogger(__name__)

SET_DATE_INTENT = "SetSurgeryDateIntent"


def content():
    return recovery_content.current()


def phrase(key: str, **values) -> str:
    phrases = content().phrases
    if remember_mode() == SESSION and f"{key}_session" in phrases:
        key = f"{key}_session"  # the words for a skill that keeps the date only while it talks
    return phrases[key].format(**values)


def timing_phrase(key: str, **values) -> str:
    return content().timing[key].format(**values)


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
    reprompt_ssml = speech.ssml(reprompt or phrase("what_else"))
    if end:
        session.pop("last_speech", None)
    else:
        session["last_speech"] = {"ssml": ssml, "reprompt": reprompt_ssml, "text": text, "elicit": elicit, "kind": kind}
    return respond(handler_input, ssml, text, None if end else reprompt_ssml, elicit=elicit, kind=kind)


def storage_down(handler_input):
    """The store did not answer: say so plainly and go on (the date was neither read nor changed)."""
    return reply(handler_input, [timing_phrase("storage_down"), phrase("what_else")])


def respond(handler_input, ssml: str, text: str, reprompt_ssml: str | None, *, elicit=False, kind=None, title=None):
    """The response itself: speech, card, reprompt (none ends the session), the date dialog if asked,
    and on a screen the same words in large type (``kind`` "emergency" gives the emergency screen).
    ``title``: the card's, when the content's own cannot be used (the last resort)."""
    builder = handler_input.response_builder.speak(ssml)
    builder.set_card(SimpleCard(title or phrase("card_title"), text))
    if elicit:
        builder.add_directive(_elicit_date_directive())
    if screen.supported(handler_input):
        try:
            builder.add_directive(screen_directive(handler_input, text, kind, elicit=elicit, ends=reprompt_ssml is None))
        except Exception as exc:  # a screen must never cost the spoken answer (least of all an emergency)
            log.error("screen not rendered: %s at %s", type(exc).__name__, where(exc))
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


def screen_directive(handler_input, text: str, kind: str | None, *, elicit: bool, ends: bool):
    """The screen of one answer: the kind asked for, else a goodbye, a question, or the kind of the
    question pending (skill.dialog: a yes-or-no question, or an answer)."""
    pending = dialog.state_of(handler_input.attributes_manager.session_attributes)
    if kind is None:
        kind = "goodbye" if ends else "question" if elicit else pending.screen
    return screen.directive(text, kind, more=pending.more_button and not ends)


def where(exception) -> str:
    """file:line where ``exception`` was raised: for a log line that must not carry its message."""
    import traceback

    frames = traceback.extract_tb(exception.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
