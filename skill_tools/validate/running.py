"""The skill's code: intents named in the handlers exist, and the real skill answers every request.

The running check sends the same ``skill_builder`` Lambda uses (an in-memory store,
the simulator's settings API) a request for every intent of the model, with and
without a stored date and with typical slot values, and checks every answer.
"""
from __future__ import annotations

import ast
import copy
import hashlib
import json
import logging
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from skill_tools.validate.model import custom_types, indexed_intents, intent_names
from skill_tools.validate.project import HANDLER_CODE, HANDLERS_FILE, LM, LOCALE, MODEL_FILE, Report, get
from skill_tools.validate.ssml import ssml_problems

MAX_RESPONSE_BYTES = 24 * 1024  # the whole response JSON
APOLOGY = "something went wrong"
_INTENT_LITERAL = re.compile(r"^(AMAZON\.)?[A-Z][A-Za-z_]*Intent$")
_RUNS: dict[tuple, tuple[list, int]] = {}   # (locale, file, model digest, settings) -> (problems, requests)


def check_handler_code(root: Path, lm, report: Report) -> None:
    """Every intent name written in the handlers' code must be an intent of the model."""
    for name in HANDLER_CODE:
        path = root / name
        if not path.is_file():
            report.add(name, "", "file is missing")
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            report.add(name, f"line {exc.lineno}", f"syntax error: {exc.msg}")
            continue
        if lm is None:
            continue
        names = intent_names(lm)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _INTENT_LITERAL.match(node.value):
                if node.value not in names:
                    report.add(
                        name,
                        f"line {node.lineno}",
                        f"handles {node.value}, which is not an intent of {MODEL_FILE}",
                    )


# ------------------------------------------------------------------ running the skill

_NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # a Tuesday; fixed, so runs repeat
_USER = "amzn1.ask.account.VALIDATE"
_DEVICE = "amzn1.ask.device.VALIDATE"


def _memory_adapter_class():
    from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

    class MemoryAdapter(AbstractPersistenceAdapter):
        """Persistent attributes in a dict, keyed by Alexa user ID."""

        def __init__(self, records=None):
            self.records = dict(records or {})
            self.writes = 0

        @staticmethod
        def _key(request_envelope):
            return request_envelope.context.system.user.user_id

        def get_attributes(self, request_envelope):
            return copy.deepcopy(self.records.get(self._key(request_envelope), {}))

        def save_attributes(self, request_envelope, attributes):
            self.records[self._key(request_envelope)] = copy.deepcopy(dict(attributes))
            self.writes += 1

        def delete_attributes(self, request_envelope):
            self.records.pop(self._key(request_envelope), None)
            self.writes += 1

    return MemoryAdapter


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _slot_variants(intent: dict, types: dict) -> list[tuple[str, list[dict]]]:
    """(label, slots) requests that exercise an intent: no value, then typical values of each slot."""
    from skill_tools.simulator import envelopes

    declared = [(s.get("name"), s.get("type")) for s in intent.get("slots") or [] if isinstance(s, dict)]
    if not declared:
        return [("", [])]

    def request(filled: dict[str, dict]):
        return [filled.get(name) or envelopes.slot(name) for name, _ in declared]

    variants = [("no slot value", request({}))]
    for name, kind in declared:
        if kind in types:
            values = types[kind].get("values") or []
            # every value of a type of fifty or fewer; an even spread of about twenty of a longer one
            # (MedicineType's names all take the same path through triage)
            for value in values[::1 if len(values) <= 50 else len(values) // 20]:
                text = ((value or {}).get("name") or {}).get("value")
                if text:
                    slot = envelopes.slot(name, text, resolved_id=value.get("id"), resolved_name=text, slot_type=kind)
                    variants.append((f"{name}={text}", request({name: slot})))
            slot = envelopes.slot(name, "a strange feeling", slot_type=kind)
            variants.append((f"{name}=a strange feeling (no match)", request({name: slot})))
            continue
        if kind == "AMAZON.DATE":
            values = [(_NOW - timedelta(days=10)).date().isoformat(), "2026-W47", "2026-11", "XXXX-11-10"]
        elif kind == "AMAZON.DURATION":
            values = ["P2W", "P10D", "P1M"]
        elif kind in ("AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER", "AMAZON.Ordinal"):
            values = ["3"]
        elif kind == "AMAZON.TIME":
            values = ["10:00"]
        else:
            values = ["something"]
        variants += [(f"{name}={v}", request({name: envelopes.slot(name, v)})) for v in values]
    return variants


def run_skill(lm: dict, model: dict, report: Report, locale: str = LOCALE, file: str = MODEL_FILE) -> None:
    """Send the real skill a request for every intent of ``locale``'s model (its file: ``file``), in that
    locale, and check every answer.

    What the skill answers depends only on the model, the locale and the skill's settings, and the skill's
    code does not change inside one process: validating the same model again (the tests validate many copies
    of the project, most broken elsewhere) reports the first run's findings instead of sending it all again."""
    settings = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("RECOVERY_SKILL")))
    key = (locale, file, hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest(), settings)
    if key not in _RUNS:
        fresh = Report()
        _send_every_request(lm, model, fresh, locale, file)
        _RUNS[key] = (fresh.problems, fresh.stats.get("requests", 0))
    found, requests = _RUNS[key]
    for problem in found:
        report.add(problem.file, problem.path, problem.message, problem.severity)
    report.stats["requests"] = report.stats.get("requests", 0) + requests


def _send_every_request(lm: dict, model: dict, report: Report, locale: str, file: str) -> None:
    try:
        from skill import clock, place, speech
        from skill.builder import skill_builder
        from skill.storage.remember import SESSION, remember_mode
        from skill_tools.simulator import envelopes
        from skill_tools.simulator.session import LocalSettingsApi
    except Exception as exc:  # the skill itself cannot load: say so instead of crashing validate
        report.add(HANDLERS_FILE, "", f"the skill cannot be loaded: {type(exc).__name__}: {exc}")
        return
    MemoryAdapter = _memory_adapter_class()
    types = custom_types(lm)
    dialog_intents = {(d or {}).get("name") for d in (get(model, "interactionModel", "dialog", "intents") or [])}
    surgery = (_NOW - timedelta(days=10)).date().isoformat()
    # (label, what the store holds, what the session holds)
    session_only = remember_mode() == SESSION
    if session_only:  # RECOVERY_SKILL_REMEMBER=session: the date can only come from the session
        stores = (("nothing kept", {}, {}), ("surgery date in the session", {}, {"surgery_date": surgery}))
    else:
        stores = (("nothing stored", {}, {}), ("surgery date stored", {_USER: {"surgery_date": surgery}}, {}))
    adapters = []
    common = dict(user_id=_USER, device_id=_DEVICE, skill_id=envelopes.SKILL_ID, locale=locale)
    log = logging.getLogger("skill")
    captured = _Captured()
    saved = (log.propagate, log.level)
    log.addHandler(captured)
    log.propagate = False
    log.setLevel(logging.WARNING)
    without_locale = {k: v for k, v in common.items() if k != "locale"}   # envelope() takes no locale
    requests = 0
    reported: set[tuple] = set()

    def send(event, file, where, label, store, expect_speech):
        nonlocal requests
        requests += 1
        adapters.append(store)
        captured.records.clear()
        handler = skill_builder(
            persistence_adapter=store, api_client=LocalSettingsApi(), skill_id=envelopes.SKILL_ID
        ).lambda_handler()
        found = []
        response = None
        try:
            response = handler(event, None)
        except Exception as exc:
            found.append(("raised", f"the skill raised {type(exc).__name__}: {exc}"))
        for record in captured.records:
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                found.append(("raised", f"a handler raised {type(exc).__name__}: {exc}"))
        if response is not None:
            found += response_problems(response, expect_speech, speech)
        for kind, message in found:
            key = (file, where, kind)
            if key not in reported:
                reported.add(key)
                report.add(file, where, f"{label}: {message}")
        return response

    try:
        for i, intent in indexed_intents(lm):
            name = intent.get("name")
            if not name:
                continue
            where = f"{LM}.intents[{i}]"
            for store_label, records, attributes in stores:
                for slot_label, slots in _slot_variants(intent, types):
                    event = envelopes.intent(
                        name,
                        slots,
                        now=_NOW,
                        dialog_state="STARTED" if name in dialog_intents else None,
                        session_attributes=attributes,
                        **common,
                    )
                    label = f"{name}" + (f" ({slot_label})" if slot_label else "") + f", {store_label}"
                    send(event, file, where, label, MemoryAdapter(records), expect_speech=True)
            if name != "AMAZON.FallbackIntent":
                # An intent no handler takes gets the fallback answer, which sounds fine: ask the skill itself.
                query = envelopes.envelope(
                    {"type": "CanFulfillIntentRequest", "requestId": "amzn1.echo-api.request.validate",
                     "timestamp": envelopes.timestamp(_NOW), "locale": locale, "intent": {"name": name, "slots": {}}},
                    **without_locale,
                )
                answer = send(query, file, where, f"{name}, can fulfill", MemoryAdapter(), expect_speech=False)
                if answer is not None and get(answer, "response", "canFulfillIntent", "canFulfill") != "YES":
                    report.add(file, where, f"no handler answers {name}: Alexa would hear the fallback answer")
        for store_label, records, _ in stores:
            send(envelopes.launch(now=_NOW, **common), HANDLERS_FILE, "LaunchRequest", f"launch, {store_label}",
                 MemoryAdapter(records), expect_speech=True)
        send(envelopes.session_ended(now=_NOW, **common), HANDLERS_FILE, "SessionEndedRequest",
             "session ended", MemoryAdapter(), expect_speech=False)
        send(envelopes.skill_event("AlexaSkillEvent.SkillEnabled", now=_NOW, **common), HANDLERS_FILE,
             "AlexaSkillEvent.SkillEnabled", "skill enabled", MemoryAdapter(), expect_speech=False)
        store = MemoryAdapter(stores[1][1])
        send(envelopes.skill_event("AlexaSkillEvent.SkillDisabled", now=_NOW, **common), HANDLERS_FILE,
             "AlexaSkillEvent.SkillDisabled", "skill disabled", store, expect_speech=False)
        if store.records.get(_USER) and not session_only:
            report.add(HANDLERS_FILE, "AlexaSkillEvent.SkillDisabled",
                       "the person's stored data is still there after they disabled the skill")
        failure = envelopes.envelope(
            {
                "type": "System.ExceptionEncountered",
                "requestId": "amzn1.echo-api.request.validate",
                "timestamp": envelopes.timestamp(_NOW),
                "locale": locale,
                "error": {"type": "INVALID_RESPONSE", "message": "validate"},
                "cause": {"requestId": "amzn1.echo-api.request.earlier"},
            },
            with_session=False,
            **without_locale,
        )
        send(failure, HANDLERS_FILE, "System.ExceptionEncountered", "exception encountered", MemoryAdapter(),
             expect_speech=False)
        if session_only and any(adapter.writes for adapter in adapters):
            report.add(HANDLERS_FILE, "", "the skill wrote to the store although RECOVERY_SKILL_REMEMBER=session")
    finally:
        log.removeHandler(captured)
        log.propagate, level = saved
        log.setLevel(level)
        clock._zone_cache.pop(_DEVICE, None)
        place._cache.pop(_DEVICE, None)
    report.stats["requests"] = report.stats.get("requests", 0) + requests


def response_problems(response: dict, expect_speech: bool, speech) -> list[tuple[str, str]]:
    found = []
    size = len(json.dumps(response, separators=(",", ":")).encode("utf-8"))
    if size > MAX_RESPONSE_BYTES:
        found.append(("size", f"the response is {size} bytes; Alexa takes at most {MAX_RESPONSE_BYTES}"))
    body = response.get("response") or {}
    outputs = [("speech", get(body, "outputSpeech")), ("reprompt", get(body, "reprompt", "outputSpeech"))]
    said = ""
    for part, output in outputs:
        if not output:
            continue
        doc = output.get("ssml") if output.get("type") == "SSML" else None
        if doc is None:
            continue
        if part == "speech":
            said = speech.strip_tags(doc)
        for message in ssml_problems(doc):
            found.append((f"ssml-{part}", f"{part}: {message}"))
    if expect_speech and not said.strip():
        found.append(("speech", "no speech in the answer"))
    if APOLOGY in said.lower():
        found.append(("apology", f'the skill apologised ("{said[:80]}"): no handler answered, or one failed'))
    return found
