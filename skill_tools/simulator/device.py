"""A simulated Echo: a typed sentence understood as Alexa would, sent to the skill as one person at one device.

The sentence goes through the deployed interaction model's understanding,
becomes a real Alexa request envelope, and runs through the same Lambda entry
point as in production. Used by the terminal commands, the conversation
scripts, the browser console, the corpus runner and the tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from skill_tools.simulator.session import Conversation, Turn

LAUNCH_PHRASES = re.compile(
    r"^(?:alexa[ ,]+)?(?:(?:open|launch|start|begin|load|run)(?: the)? spine recovery helper|launch|open|start)$"
)
ONE_SHOT_PREFIX = re.compile(
    r"^(?:alexa[ ,]+)?(?:ask|tell|open|launch) (?:the )?spine recovery helper(?: (?:to|if|whether|about|for|that))?[ ,]+"
)
DEFAULT_ZONE = "America/New_York"
TAP = re.compile(r"^(?:tap|touch|press)(?: the)? (repeat|more)(?: button)?$")
# After the skill hands over to Alexa to ask for the reminders permission, Alexa itself asks:
PERMISSION_PROMPT = "Do you give spine recovery helper permission to create reminders? You can say I approve, or no."
# What Alexa asks, by the scope the skill asked for (the reminders one otherwise).
PERMISSION_PROMPTS = {
    "read::alexa:device:all:address:country_and_postal_code":
        "Do you give spine recovery helper permission to use your device's country and postal code? "
        "You can say I approve, or no.",
}
APPROVE = re.compile(r"^(?:yes|yeah|yep|sure|ok|okay|i approve|approve|yes i approve|i do|go ahead)\b")
REFUSE = re.compile(r"^(?:no|nope|don't|do not|i don't|no thanks|no thank you|deny)\b")


@dataclass
class TurnResult:
    """One turn, in the shape of ``sim --json`` (a contract other tools rely on)."""

    utterance: str
    request_type: str
    intent: str | None
    slots: dict
    confidence: float | None
    speech: str
    ssml: str
    reprompt: str
    card: str
    end_session: bool
    screen: dict | None = None  # what a screen shows (kind, title, key, text, buttons); None without a screen
    # What the skill made of a slot, where that differs from what Alexa resolved: {"date": "2026-11-10"} when
    # "november tenth" came as 2027-11-10 (Alexa's next such day) and the skill took this year's, past one.
    used: dict = field(default_factory=dict)


class Simulator:
    """Understands typed sentences and sends them to the skill as one person at one device."""

    def __init__(self, conversation: Conversation, zone: str = DEFAULT_ZONE, strict: bool = False, understanding=None):
        """``conversation.viewport`` gives the device a screen; then "tap more" or "tap repeat" touches its buttons."""
        from skill_tools.simulator.nlu import Understanding

        self.conversation = conversation
        self.zone = ZoneInfo(zone)
        self.strict = strict
        self.understanding = understanding or Understanding.for_locale(conversation.locale)

    @classmethod
    def local(cls, db_path: str, **kw) -> "Simulator":
        """A simulator storing in the SQLite file ``db_path``."""
        from skill.storage.sqlite import SQLiteAdapter

        return cls.with_store(SQLiteAdapter(db_path), **kw)

    @classmethod
    def with_store(cls, store, user_id=None, now: datetime | None = None, zone: str = DEFAULT_ZONE,
                   locale="en-US", strict=False, understanding=None, person_id=None, viewport: str | None = None,
                   reminders=None, country: str | None = None, address_granted: bool = False) -> "Simulator":
        """A simulator on ``store`` (a persistence adapter; None: as the environment configures);
        ``country``: what the address API says once ``address_granted``."""
        kw = {"now": now, "locale": locale, "person_id": person_id, "viewport": viewport}
        if user_id:
            kw["user_id"] = user_id
        conversation = Conversation.build(store, zone=zone, reminders=reminders, country=country,
                                          address_granted=address_granted, **kw)
        return cls(conversation, zone=zone, strict=strict, understanding=understanding)

    def today(self) -> date:
        now = self.conversation.now or datetime.now(timezone.utc)
        return now.astimezone(self.zone).date()

    def say(self, utterance: str) -> TurnResult:
        text = " ".join(utterance.lower().replace(",", " ").split())
        conv = self.conversation
        if conv.in_session and conv.last is not None and conv.last.asks_permission:
            # Alexa, not the skill, heard this answer to its permission question.
            status = "ACCEPTED" if APPROVE.match(text) else "DENIED" if REFUSE.match(text) else "NOT_ANSWERED"
            return self._result(utterance, conv.permission_answer(status), None, {}, None)
        tap = TAP.match(text)
        if tap and conv.viewport:
            return self._result(utterance, conv.tap(tap.group(1)), None, {"button": tap.group(1)}, None)
        if LAUNCH_PHRASES.match(text):
            turn = conv.launch()
            return self._result(utterance, turn, None, {}, None)
        if not conv.in_session:
            text = ONE_SHOT_PREFIX.sub("", text)
        elicit = conv.last.elicit if conv.in_session and conv.last is not None else None
        meaning = self.understanding.parse(text, self.today(), strict=self.strict, elicit=elicit)
        turn = conv.intent(meaning.intent, meaning.slots)
        slots = {s["name"]: s.get("value") for s in meaning.slots if s.get("value") is not None}
        result = self._result(utterance, turn, meaning.intent, slots, round(meaning.confidence, 3))
        result.used = used_slots(slots, turn)
        return result

    @staticmethod
    def _result(utterance, turn: Turn, intent, slots, confidence) -> TurnResult:
        speech, ssml = turn.speech, turn.ssml
        if turn.asks_permission:
            from skill.speech import ssml as make_ssml, strip_tags

            prompt = PERMISSION_PROMPTS.get(turn.permission_asked, PERMISSION_PROMPT)
            speech = f"{speech} {prompt}".strip()      # the skill's words, then Alexa's question
            ssml = make_ssml(*(p for p in (strip_tags(turn.ssml), prompt) if p))
        return TurnResult(
            utterance=utterance,
            request_type=turn.request["request"]["type"],
            intent=intent,
            slots=slots,
            confidence=confidence,
            speech=speech,
            ssml=ssml,
            reprompt=turn.reprompt,
            card=turn.card,
            end_session=turn.end_session,
            screen=turn.screen,
        )


def used_slots(slots: dict, turn: Turn) -> dict:
    """The slot values the skill used where they differ from Alexa's: the date it is about to confirm
    (the session's ``pending_date``) for a ``date`` slot."""
    pending = ((turn.response or {}).get("sessionAttributes") or {}).get("pending_date")
    if "date" in slots and isinstance(pending, str) and pending != slots["date"]:
        return {"date": pending}
    return {}


def parse_now(text: str | None) -> datetime | None:
    """``--now`` and a script's ``now:``: an ISO time, UTC when it names no zone."""
    if not text:
        return None
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def country_zone(country: str) -> str:
    """A time zone of ``country`` (the first tzdata's zone.tab lists), for a device said to be there."""
    from skill import place

    zones = place.zones_of(country)
    if not zones:
        raise ValueError(f"--country {country}: no time zone of that country (an ISO code such as IE, GB, CA)")
    return zones[0]
