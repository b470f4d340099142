"""Topics (every question the article answers) and subjects (what people ask about, covered by a
topic or not): the short answer, its timing when the date is known, and the offer of more."""
from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_intent_name, is_request_type

from skill import dialog
from skill.handlers.reminders import offer_reminder_once
from skill.handlers.replies import content, phrase, reply
from skill.handlers.timing import lifting_sentence, pain_sentence, since_sentence, timing_parts

# Which timing a topic adds when the surgery date is known.
TOPIC_TIMING = {
    "LiftingIntent": (since_sentence, lifting_sentence),
    "PainIntent": (since_sentence, pain_sentence),
    "RecoveryTimeIntent": (since_sentence, lifting_sentence),
    "ActivitiesIntent": (lifting_sentence,),
}


class TopicHandler(AbstractRequestHandler):
    """Every question the article answers: the short answer, timing when we know the date, an offer of more."""

    def can_handle(self, handler_input):
        return (
            is_request_type("IntentRequest")(handler_input)
            and content().topic_for_intent(get_intent_name(handler_input)) is not None
        )

    def handle(self, handler_input):
        return topic_reply(handler_input, content().topic_for_intent(get_intent_name(handler_input)))


def topic_reply(handler_input, topic):
    """A topic's short answer, its timing when the date is known, and an offer of more."""
    parts = [topic.answer]
    if topic.intent in TOPIC_TIMING:
        parts += timing_parts(handler_input, TOPIC_TIMING[topic.intent])
        if lifting_sentence in TOPIC_TIMING[topic.intent] and (offer := offer_reminder_once(handler_input)):
            return reply(handler_input, parts + [offer], offer, state=dialog.OFFER_REMINDER)
    if topic.more:
        parts.append(phrase("offer_more"))
        return reply(handler_input, parts, phrase("offer_more"), state=dialog.OFFER_MORE, extra={"topic": topic.key})
    return reply(handler_input, parts + [phrase("what_else")])


def tell_more(handler_input):
    """Yes to "would you like to hear more?": the topic's longer answer."""
    topic = content().topics.get(handler_input.attributes_manager.session_attributes.get("topic"))
    if topic is not None:
        return reply(handler_input, [topic.more, phrase("what_else")])
    return reply(handler_input, [phrase("what_else")])


def subject_reply(handler_input, subject):
    """Covered: the topic's answer. Not covered: say so plainly, who knows, and the nearest article fact."""
    if subject.topic:
        return topic_reply(handler_input, content().topics[subject.topic])
    nearest = content().nearest_facts.get(subject.nearest or "", {}).get("say", "")
    parts = [phrase("not_covered", title=subject.title), content().referrals.get(subject.who or "discharge", ""),
             nearest, phrase("safety_line"), phrase("what_else")]
    return reply(handler_input, parts)
