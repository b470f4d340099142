"""``recovery-skill console``: the simulator in a web page, for people who do not use a terminal.

Each browser tab is one device of one person: typed (or spoken) sentences go through
the simulator's :class:`~skill_tools.simulator.device.Simulator` (the interaction model's
understanding, real request envelopes, the skill built by :mod:`skill.builder`, SQLite
storage, the device's time zone), so the page hears exactly what ``recovery-skill sim``
hears. The page shows the answer large and speaks it with the browser's own voice; a
tester panel shows what Alexa would have done (intent, slots, the skill's triage verdict,
the JSON). A tab can be a device with a screen (an Echo Show 8, as ``sim --screen``): the
page then shows the skill's APL document drawn by :mod:`skill_tools.simulator.apl_html`, the
same drawing as the pictures in docs/screens.

Local only: it listens on loopback by default and answers only requests addressed to a
loopback name from the page itself (JSON bodies, same origin), so a web site open in
another tab cannot talk to it, forget the person's date, or rebind a name to it.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import RequestEnvelope

from skill import content as recovery_content
from skill import dialog, interceptors, speech
from skill.builder import skill_builder
from skill.handlers.timing import iso_date
from skill.slots import WHAT_IF_INTENT
from skill_tools.simulator import apl_html, corpus, envelopes
from skill_tools.simulator.device import DEFAULT_ZONE, Simulator
from skill_tools.simulator.session import Conversation, LocalSettingsApi
from skill_tools.simulator.ssml_chunks import ssml_rate_factor, ssml_to_chunks

log = logging.getLogger(__name__)

MAX_DEVICES = 50             # open tabs remembered; the oldest is dropped past this
# The screen of a tab that has one: an Echo Show 8, as ``recovery-skill sim --screen``. A tab starts
# without one, as most Echo devices are: the spoken answer is the one that must always work.
SCREEN = "hub-medium"
SCREEN_NAME = "Echo Show 8"

# What a "yes" does, by what skill.dialog's table says it means in the pending state.
_YES_MEANS = {
    dialog.ASK_DATE: 'start telling the skill your surgery date',
    dialog.TELL_MORE: 'hear more about: {topic}',
    dialog.SAVE_DATE: 'save {pending} as your surgery date',
    dialog.FORGET_DATE: 'forget the stored surgery date',
    dialog.SET_REMINDER: 'set a reminder for the day heavy lifting can start (Alexa asks permission first)',
    dialog.HIGHER_ANSWER: "answer the skill's question yes: the more urgent answer (911 or the surgeon's office)",
}
_NOTHING_PENDING = 'nothing is pending: "yes" gets "what else would you like to know?"'
_WAITING_FOR_DAY = 'nothing yet: the skill is waiting for the day in {month}'


class VerdictSeen(AbstractRequestInterceptor):
    """Registered after the skill's own triage interceptor: keeps the verdict it worked out for the
    last request (and the intent), so the tester panel shows what the answer followed."""

    def __init__(self):
        self.last: tuple[str, object] | None = None

    def process(self, handler_input):
        intent = get_intent_name(handler_input) if is_request_type("IntentRequest")(handler_input) else None
        self.last = (intent, interceptors.verdict(handler_input)) if intent else None


class Console:
    """The devices (tabs) talking to one skill, one store, one understanding. Thread-safe."""

    def __init__(self, adapter, zone: str = DEFAULT_ZONE, user_id: str = envelopes.DEFAULT_USER,
                 understanding=None, locale: str = "en-US", country: str | None = None):
        """``locale``: the devices' language; ``country``: where they are (the address API says it, with
        the permission granted; the zone should be one of that country's)."""
        from skill_tools.simulator.nlu import Understanding

        self.adapter = adapter
        self.zone = zone
        self.user_id = user_id
        self.locale, self.country = locale, country
        self.understanding = understanding or Understanding.from_model_file(locale=locale)
        self.said_as = corpus.wording(locale, country)
        self.verdicts = VerdictSeen()
        self.api = LocalSettingsApi(zone, country=country, address_granted=country is not None)
        builder = skill_builder(persistence_adapter=adapter, api_client=self.api)
        builder.add_global_request_interceptor(self.verdicts)
        self.handler = builder.lambda_handler()
        self._serializer = DefaultSerializer()
        self._devices: OrderedDict[str, Simulator] = OrderedDict()
        self._lock = threading.Lock()

    # ------------------------------------------------------------ devices
    def _device(self, device: str) -> Simulator:
        sim = self._devices.get(device)
        if sim is None:
            conversation = Conversation(handler=self.handler, user_id=self.user_id, locale=self.locale, api=self.api,
                                        device_id=f"amzn1.ask.device.CONSOLE-{device}")
            sim = Simulator(conversation, zone=self.zone, understanding=self.understanding)
            self._devices[device] = sim
            while len(self._devices) > MAX_DEVICES:
                self._devices.popitem(last=False)
        self._devices.move_to_end(device)
        return sim

    # ------------------------------------------------------------ actions
    def say(self, device: str, text: str) -> dict:
        with self._lock:
            sim = self._device(device)
            self.verdicts.last = None
            result = sim.say(text)
            turn = sim.conversation.last
            viewport = sim.conversation.viewport
            answer = self.said_as.kind(result.speech)      # what a listener heard, as the corpus sorts it
            return {
                "said": text,
                "heard": {"request_type": result.request_type, "intent": result.intent,
                          "slots": result.slots, "confidence": result.confidence},
                "speech": result.speech,
                "reprompt": result.reprompt,
                "end_session": result.end_session,
                "voice": {"rate": ssml_rate_factor(result.ssml),
                          "parts": [{"text": t, "pause": p} for t, p in ssml_to_chunks(result.ssml) if t]},
                "triage": self._triage(),
                "answer": corpus.ANSWER_WORDS.get(answer, answer),
                "emergency": answer in corpus.EMERGENCY_ANSWERS,
                "screen": screen_view(turn.document, viewport) if viewport else None,
                "request": turn.request,
                "response": turn.response,
                "state": self._state(sim),
            }

    def new_session(self, device: str) -> dict:
        with self._lock:
            sim = self._device(device)
            sim.conversation.end()
            sim.conversation.last = None
            return self._state(sim)

    def forget(self, device: str) -> dict:
        """Forget the person as disabling the skill does: the skill's own SkillDisabled handling."""
        with self._lock:
            sim = self._device(device)
            sim.conversation.end()
            sim.conversation.last = None
            try:
                sim.conversation.event("AlexaSkillEvent.SkillDisabled")
            except Exception as exc:  # the skill raises so Alexa would retry: the data is still there
                raise PersistenceException(f"the skill could not delete the record ({type(exc).__name__})") from exc
            return self._state(sim)

    def settings(self, device: str, today: str | None = None, surgery_date: str | None = None,
                 screen: bool | None = None) -> dict:
        """Set the device's "today", the stored surgery date (None: leave; "": real time / none), its screen."""
        with self._lock:
            sim = self._device(device)
            if screen is not None:
                sim.conversation.viewport = SCREEN if screen else None
            if today is not None:
                day = _iso(today, "today")
                sim.conversation.now = None if day is None else datetime.combine(
                    day, time(10, 0), ZoneInfo(self.zone)).astimezone(timezone.utc)
            if surgery_date is not None:
                day = _iso(surgery_date, "surgery date")
                envelope = self._envelope(sim)
                stored = dict(self.adapter.get_attributes(envelope))
                if day is None:
                    stored.pop("surgery_date", None)
                else:
                    stored["surgery_date"] = day.isoformat()
                if stored:
                    self.adapter.save_attributes(envelope, stored)
                else:
                    self.adapter.delete_attributes(envelope)
            return self._state(sim)

    def state(self, device: str) -> dict:
        with self._lock:
            return self._state(self._device(device))

    # ------------------------------------------------------------ what the page shows
    def _envelope(self, sim: Simulator) -> RequestEnvelope:
        """An envelope of this person at this device, for the persistence adapter's interface."""
        conv = sim.conversation
        event = envelopes.launch(user_id=conv.user_id, device_id=conv.device_id)
        return self._serializer.deserialize(json.dumps(event), RequestEnvelope)

    def _state(self, sim: Simulator) -> dict:
        conv = sim.conversation
        today = sim.today()
        try:
            stored = iso_date(self.adapter.get_attributes(self._envelope(sim)).get("surgery_date"))
            storage = "ok"
        except PersistenceException as exc:
            log.warning("console: storage unavailable (%s)", type(exc).__name__)
            stored, storage = None, "unavailable"
        session = conv.attributes if conv.in_session else {}
        return {
            "in_session": conv.in_session,
            "state": session.get("state"),
            "yes_means": yes_means(session, today) if conv.in_session else "",
            "can_repeat": isinstance(session.get("last_speech"), dict),
            "surgery_date": stored.isoformat() if stored else "",
            "surgery_date_spoken": speech.spoken_date(stored, today) if stored else "",
            "storage": storage,
            "today": today.isoformat(),
            "today_spoken": speech.spoken_date(today),
            "today_is_set": conv.now is not None,
            "zone": self.zone,
            "locale": self.locale,
            "country": self.country or "",
            "screen": conv.viewport is not None,
        }

    def _triage(self) -> dict | None:
        """The verdict the skill's answer followed (the skill's own, :mod:`skill.interceptors`), in words
        for a tester; None when the last request was no intent or the answer followed none."""
        if self.verdicts.last is None or self.verdicts.last[1] is None:
            return None
        intent, verdict = self.verdicts.last
        by_samples = [f"{intent} (an emergency by its sample sentences)"] if intent in interceptors.EMERGENCY_INTENTS else []
        return {
            "level": verdict.level,
            "family": family_label(verdict.family),
            "matched": list(verdict.matched) or by_samples,
            "mentioned": [family_label(key) for key in verdict.mentioned],
            "what_if": intent == WHAT_IF_INTENT,
        }


def yes_means(session: dict, today: date) -> str:
    """What a "yes" would answer now, in words for a tester."""
    pending_question = dialog.state_of(session)
    means = _YES_MEANS.get(pending_question.yes)
    if means is None:   # "yes" answers no question: none is pending, or the pending one asks for a day
        means = _NOTHING_PENDING if pending_question.key is None else _WAITING_FOR_DAY
    topic = recovery_content.load().topics.get(session.get("topic") or "")
    pending = iso_date(session.get("pending_date"))
    month = session.get("pending_month")
    return means.format(
        topic=topic.title if topic else "the last topic",
        pending=speech.spoken_date(pending, today) if pending else "the date",
        month=speech.month_name(month) if isinstance(month, int) and 1 <= month <= 12 else "that month",
    )


def family_label(key: str | None) -> str:
    """A red-flag family by its title and key, "Chest pain or pressure (chest_pain)"; "" for none."""
    if not key:
        return ""
    title = recovery_content.load().families.get(key, {}).get("title")
    return f"{title} ({key})" if title else key


def screen_view(directive: dict | None, viewport: str) -> dict | None:
    """What the device's screen shows for this turn: the RenderDocument drawn as an HTML page (the
    renderer of docs/screens), with its size in CSS pixels; None when the answer rendered nothing."""
    if directive is None:
        return None
    size = apl_html.viewport_scope(envelopes.VIEWPORTS[viewport])
    shown = ((directive.get("datasources") or {}).get("screen") or {}).get("properties") or {}
    view = {"kind": shown.get("kind") or "", "width": size["width"], "height": size["height"]}
    try:
        view["html"] = apl_html.page(directive, envelopes.VIEWPORTS[viewport])
    except (apl_html.Unsupported, KeyError, TypeError, ValueError) as exc:
        log.warning("console: the screen could not be drawn (%s)", exc)
        view["error"] = f"The screen could not be drawn here ({exc}); the Response JSON has the document."
    return view


def _iso(value: str, what: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"the {what} should be a date like 2026-11-10, not {value[:20]!r}") from None
