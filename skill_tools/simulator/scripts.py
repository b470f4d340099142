"""Conversation scripts: whole conversations in YAML, with what the answers must and must not say.

    conversations:
      - name: lifting after a stored date
        now: 2026-11-24T15:00:00Z        # optional (default: the real time)
        timezone: America/New_York       # optional
        surgery_date: 2026-11-10         # optional: stored before the first turn
        screen: hub-medium               # optional: the device has a screen (a viewport of envelopes.VIEWPORTS)
        reminders: granted               # optional: the local Reminders API: not-granted (default), granted,
                                         #   down or slow
        turns:
          - say: open spine recovery helper
            expect: ["Welcome back", "2 weeks"]    # regexes the speech must match
            reject: ["Call 911"]                   # regexes it must not match
            intent: LaunchRequest                  # optional: what must have been understood
            end_session: false                     # optional
            screen: {kind: answer, key: "December 22nd", text: "lifting", buttons: [Repeat, More]}
                                                   # optional: what the screen shows (regexes); null: nothing
            reminders: 1                           # optional: how many reminders are set after this turn
          - tap: more                              # a touch on the screen's More (or Repeat) button

Run with ``recovery-skill test FILE...``; pytest runs the shipped scripts too, and
the web tests run them against the served endpoint by passing another ``transport``.
"""
from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from skill_tools.simulator import envelopes
from skill_tools.simulator.device import DEFAULT_ZONE, Simulator, parse_now
from skill_tools.simulator.fake_reminders import FakeReminders
from skill_tools.simulator.session import Conversation, LocalSettingsApi
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key


@dataclass
class CaseResult:
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load(path) -> list[dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    cases = data.get("conversations", []) if isinstance(data, dict) else []
    if not cases:
        raise ValueError(f"{path}: no conversations")
    return cases


def run_case(case: dict, transport=None, understanding=None) -> CaseResult:
    """Play one conversation. ``transport(store, zone)`` may return the callable that answers
    an event (the served web endpoint, for instance); by default the skill runs in-process."""
    result = CaseResult(case.get("name", "unnamed"))
    now = parse_now(str(case["now"])) if case.get("now") else datetime.now(timezone.utc)
    zone = case.get("timezone", DEFAULT_ZONE)
    with tempfile.TemporaryDirectory() as scratch:
        store = SQLiteAdapter(Path(scratch) / "script.db")
        user = case.get("user", envelopes.DEFAULT_USER)
        if case.get("surgery_date"):
            store.save(user_key(user), {"surgery_date": str(case["surgery_date"])})
        setting = str(case.get("reminders", "not-granted"))
        reminders = FakeReminders(granted=setting != "not-granted",
                                  mode=setting if setting in ("down", "slow") else "ok")
        screen = case.get("screen")
        viewport = "hub-medium" if screen is True else (str(screen) if screen else None)
        if transport is None:
            conversation = Conversation.build(store, zone=zone, now=now, user_id=user, reminders=reminders,
                                              viewport=viewport)
        else:
            conversation = Conversation(handler=transport(store, LocalSettingsApi(zone, reminders)), now=now,
                                        user_id=user, reminders=reminders, viewport=viewport)
        sim = Simulator(conversation, zone=zone, understanding=understanding)
        for number, turn in enumerate(case.get("turns", []), start=1):
            said = f"tap {turn['tap']}" if "tap" in turn else _spoken(turn["say"])
            try:
                answer = sim.say(said)
            except Exception as exc:  # a script must report, not crash the run
                result.failures.append(f"turn {number} '{said}': error {type(exc).__name__}: {exc}")
                break
            where = f"turn {number} '{said}'"
            for pattern in _as_list(turn.get("expect")):
                if not re.search(pattern, answer.speech, re.IGNORECASE):
                    result.failures.append(f"{where}: expected /{pattern}/ in: {answer.speech}")
            for pattern in _as_list(turn.get("reject")):
                if re.search(pattern, answer.speech, re.IGNORECASE):
                    result.failures.append(f"{where}: did not expect /{pattern}/ in: {answer.speech}")
            if "intent" in turn and turn["intent"] not in (answer.intent, answer.request_type):
                result.failures.append(f"{where}: understood {answer.intent or answer.request_type}, not {turn['intent']}")
            if "end_session" in turn and bool(turn["end_session"]) != answer.end_session:
                result.failures.append(f"{where}: end_session was {answer.end_session}")
            if "screen" in turn:
                result.failures += _screen_failures(where, turn["screen"], answer.screen)
            if "reminders" in turn and len(reminders.active) != int(turn["reminders"]):
                result.failures.append(f"{where}: {len(reminders.active)} reminder(s) set, not {turn['reminders']}")
    return result


def _screen_failures(where: str, expected, shown: dict | None) -> list[str]:
    """What differs between a turn's screen expectation and what the screen shows."""
    if expected is None:
        return [] if shown is None else [f"{where}: expected no screen, got a {shown['kind']} screen"]
    if shown is None:
        return [f"{where}: expected a screen, none was rendered"]
    failures = []
    for part in ("kind", "title", "key", "text", "question", "words"):
        if part in expected and not re.search(str(expected[part]), shown[part] or "", re.IGNORECASE):
            failures.append(f"{where}: screen {part} /{expected[part]}/ not in: {shown[part]!r}")
    if "buttons" in expected and list(expected["buttons"] or []) != shown["buttons"]:
        failures.append(f"{where}: screen buttons {shown['buttons']}, not {expected['buttons']}")
    return failures


def _spoken(value) -> str:
    """YAML reads a bare yes / no as a boolean; script authors mean the words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def run_files(paths, transport=None, out=sys.stdout) -> bool:
    """Run every conversation of every file, print each, and a closing 'N passed, M failed'."""
    from skill_tools.simulator.nlu import Understanding

    understanding = Understanding.from_model_file()
    passed = failed = 0
    for path in paths:
        try:
            cases = load(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            print(f"ERROR {path}: {exc}", file=out)
            failed += 1
            continue
        for case in cases:
            result = run_case(case, transport=transport, understanding=understanding)
            print(f"{'PASS' if result.passed else 'FAIL'} {Path(path).name}: {result.name}", file=out)
            for failure in result.failures:
                print(f"    {failure}", file=out)
            passed += result.passed
            failed += not result.passed
    print(f"{passed} passed, {failed} failed", file=out)
    return failed == 0
