"""Echo Show screens: what a person sees with each answer, checked against APL's rules."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from skill import content as recovery_content
from skill import screen
from skill_tools.simulator import envelopes
from skill.storage.store import user_key
from tests.conftest import NOW, CheckedConversation

ROOT = Path(__file__).parents[1]
DOCUMENT = ROOT / "skill" / "content" / "apl" / "document.json"
VALIDATOR = ROOT / "tests" / "js" / "validate-apl.js"
SUGGESTER = ROOT / "node_modules" / "apl-suggester"
MODEL = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
INTENTS = [i["name"] for i in MODEL["interactionModel"]["languageModel"]["intents"]]


@pytest.fixture
def show(store):
    """A person at an Echo Show 8, surgery date stored (two weeks ago)."""
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    return CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-medium")


# ------------------------------------------------------------------ the document against APL's rules


def _run_validator(*paths) -> dict:
    node = shutil.which(os.environ.get("RECOVERY_SKILL_NODE", "node"))
    if node is None or not SUGGESTER.is_dir():
        message = "node or apl-suggester is missing: run make setup (scripts/install-node-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI=true: these tests may not be skipped)", pytrace=False)
        pytest.skip(message)
    out = subprocess.run([node, str(VALIDATOR), *map(str, paths)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_document_passes_amazons_apl_validator_which_does_catch_mistakes(tmp_path):
    broken = json.loads(DOCUMENT.read_text())
    answer = broken["mainTemplate"]["items"][0]["item"]["items"][2]["item"]
    answer["fontSize"] = "huge"  # not a dimension
    answer["colour"] = "#FFFFFF"  # not a property of Text
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken))
    results = _run_validator(DOCUMENT, bad)
    assert results[str(DOCUMENT)] == []
    complaints = " ".join(r["errorMessage"] for r in results[str(bad)])
    assert "fontSize" in complaints and "colour" in complaints


def _bindings(node, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(node, dict):
        for value in node.values():
            _bindings(value, found)
    elif isinstance(node, list):
        for value in node:
            _bindings(value, found)
    elif isinstance(node, str):
        found.update(re.findall(r"(payload\.screen\.properties|data)\.([A-Za-z]+)", node))
    return found


def test_every_value_the_document_shows_is_in_every_kinds_data_source():
    uses = _bindings(screen.document())
    assert ("payload.screen.properties", "text") in uses and ("data", "event") in uses
    for kind in screen.templates()["kinds"]:
        properties = screen.datasource("Wait until Tuesday, December 22nd.", kind, more=True)["screen"]["properties"]
        for where, name in uses:
            if where == "data":
                assert all(name in button for button in properties["buttons"])
            else:
                assert name in properties, f"{kind} has no {name}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("kind", list(json.loads((DOCUMENT.parent / "screens.json").read_text())["kinds"]))
def test_every_kinds_text_keeps_a_contrast_of_seven_to_one(kind):
    spec = screen.templates()["kinds"][kind]
    for text in ("foreground", "accent", "keyColor"):
        assert contrast(spec[text], spec["background"]) >= 7, (kind, text)
    assert contrast(spec["buttonForeground"], spec["buttonBackground"]) >= 7
    assert contrast(spec["foreground"], spec["buttonBackground"]) >= 7, "button border"


def test_small_and_round_screens_have_their_own_sizes():
    conditions = {r.get("when"): r for r in screen.document()["resources"]}
    round_ = next(r for w, r in conditions.items() if w and "round" in w)
    small = next(r for w, r in conditions.items() if w and "height < 540" in w)
    base = conditions[None]
    assert round_["strings"]["align"] == "center"
    for size in ("textSize", "keySize", "titleSize"):
        assert int(small["dimensions"][size][:-2]) < int(base["dimensions"][size][:-2])
        assert int(round_["dimensions"][size][:-2]) < int(small["dimensions"][size][:-2])
    assert int(round_["dimensions"]["pagePadding"][:-2]) > int(base["dimensions"]["pagePadding"][:-2])


# ------------------------------------------------------------------ with and without a screen


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_shows_its_words_on_a_screen_and_nothing_without_one(store, intent):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    plain = CheckedConversation.build(store, zone="America/New_York", now=NOW)
    with_screen = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-small")
    spoken = plain.intent(intent)
    shown = with_screen.intent(intent)
    assert spoken.document is None
    assert all(d["type"] != "Alexa.Presentation.APL.RenderDocument" for d in spoken.body.get("directives") or [])
    assert shown.speech == spoken.speech
    if not shown.speech:
        return  # Alexa speaks for the skill (the permission question): nothing of ours to show
    if shown.screen["kind"] == "emergency":  # a short instruction that fits every screen; the full words are said
        emergency = screen.templates()["kinds"]["emergency"]
        assert shown.screen["words"] in [emergency["instruction"], *emergency["instruction_when"].values()]
    else:
        assert shown.screen["words"] == shown.speech
    assert shown.document["document"] == screen.document()
    others = [d for d in shown.body.get("directives") or [] if d["type"] != "Alexa.Presentation.APL.RenderDocument"]
    assert others == (spoken.body.get("directives") or [])
    expected_kind = "emergency" if intent == "EmergencyIntent" else None
    if expected_kind:
        assert shown.screen["kind"] == "emergency"
    assert len(json.dumps(shown.response).encode()) < 24_000, "Alexa takes at most 24 KB"


def test_each_answer_kind_gets_its_screen(show):
    assert show.launch().screen["kind"] == "answer"
    offer = show.intent("LiftingIntent")
    assert offer.screen["kind"] == "yes_no" and offer.screen["key"] == "Tuesday, December 22nd"
    assert offer.screen["buttons"] == ["Repeat"]
    topic = show.intent("PainIntent")
    assert (topic.screen["kind"], topic.screen["buttons"]) == ("answer", ["Repeat", "More"])
    ask = show.intent("SetSurgeryDateIntent")
    assert ask.elicit and ask.screen["kind"] == "question" and ask.screen["title"] == "Please answer"
    bye = show.intent("AMAZON.StopIntent")
    assert bye.end_session and (bye.screen["kind"], bye.screen["buttons"]) == ("goodbye", [])


def test_the_emergency_screen_is_full_screen_red_with_the_instruction_and_the_number(show):
    turn = show.intent("SymptomIntent", [envelopes.slot("symptom", "chest pain")])
    shown = turn.screen
    assert turn.speech.startswith("Call 911")
    assert (shown["kind"], shown["title"], shown["key"], shown["buttons"]) == ("emergency", "EMERGENCY", "Call 911 now", [])
    assert shown["words"] == "Call 911 now. I can't make calls: please use your phone."
    properties = turn.document["datasources"]["screen"]["properties"]
    assert properties["background"] == "#8B0000"
    root = turn.document["document"]["mainTemplate"]["items"][0]
    assert (root["width"], root["height"]) == ("100vw", "100vh")


def test_a_screen_that_fails_never_costs_the_emergency_answer(show, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("screen broke")

    monkeypatch.setattr(screen, "directive", broken)
    turn = show.intent("EmergencyIntent")
    assert turn.speech == recovery_content.load().triage_text["emergency"]["answer"]
    assert turn.document is None


def test_a_screen_is_never_assumed_from_the_viewport_alone(store):
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-medium")
    event = envelopes.intent("DrivingIntent", None, NOW, **talk._common())
    del event["context"]["System"]["device"]["supportedInterfaces"]["Alexa.Presentation.APL"]
    assert "Viewport" in event["context"]
    assert talk.send(event).document is None


# ------------------------------------------------------------------ the buttons


def test_more_button_gives_the_more_of_the_topic_and_repeat_says_it_again(show):
    show.intent("PainIntent")
    more = show.tap("more")
    assert more.request["request"]["type"] == "Alexa.Presentation.APL.UserEvent"
    assert more.speech.startswith(recovery_content.load().topics["pain"].more)
    assert more.screen["buttons"] == ["Repeat"]
    again = show.tap("repeat")
    assert again.speech == more.speech and again.screen == more.screen
    nothing = show.tap("more")
    assert nothing.speech.startswith("That's all I have on that.")


def test_the_emergency_screen_stays_without_buttons_as_the_session_closes(store):
    """Nothing to tap on the emergency screen: the session is closed so the device is free to call."""
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-round")
    first = talk.intent("EmergencyIntent")
    assert first.end_session and first.screen["kind"] == "emergency" and not first.screen["buttons"]


def test_a_button_of_an_old_screen_in_a_new_session_still_answers(store):
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-medium")
    turn = talk.tap("repeat")
    assert turn.speech.startswith("I haven't said anything yet.")


@pytest.mark.parametrize("intent, key", [("EmergencyIntent", "Call 911 now"),
                                         ("CrisisIntent", "Call or text 988, or call 911"),
                                         ("OverdoseIntent", "Call 911 now"),
                                         ("ExtraDoseIntent", "Call Poison Control 1-800-222-1222")])
def test_each_emergency_screen_shows_the_number_its_answer_gives(store, intent, key):
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, viewport="hub-medium")
    turn = talk.intent(intent)
    assert turn.screen["kind"] == "emergency" and turn.screen["key"] == key
