"""Every English locale in every country: the emergency, crisis, poison and urgent answers name the
numbers of the country the device is in, never another country's (skill/content/countries.yaml)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import yaml

from skill import content as recovery_content
from skill import countries, place, screen
from skill.builder import skill_builder
from skill_tools.simulator.device import Simulator
from skill_tools.simulator.nlu import Understanding
from skill.storage.sqlite import SQLiteAdapter

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
DATA = yaml.safe_load((recovery_content.CONTENT_DIR / "countries.yaml").read_text(encoding="utf-8"))
LOCALES = list(DATA["locale_countries"])
COUNTRIES = list(DATA["countries"])
ZONES = {"US": "America/Chicago", "CA": "America/Toronto", "GB": "Europe/London", "IE": "Europe/Dublin",
         "AU": "Australia/Sydney", "IN": "Asia/Kolkata"}
ALL_NUMBERS = {n for spec in DATA["countries"].values() for n in spec["numbers"]}
UNDERSTANDINGS = {locale: Understanding.from_model_file(locale=locale) for locale in LOCALES}   # each locale's own model
UNDERSTANDING = UNDERSTANDINGS["en-US"]

EMERGENCY = "I can't breathe"
CRISIS = "I want to kill myself"
OVERDOSE = "she took too many of her oxycodone and she's hard to wake up"
POISON = "I took an extra pill by mistake"
URGENT = "my wound is oozing pus"
QUESTION = "my legs are numb"          # the skill asks one yes-or-no question first


def says(code: str) -> dict:
    return DATA["countries"][code]["says"]


def foreign_numbers(code: str) -> set[str]:
    """Numbers of other countries that this one does not use itself."""
    own = set(DATA["countries"][code]["numbers"])
    return {n for n in ALL_NUMBERS - own if not any(n in o for o in own)}


def named(text: str, number: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(number)}(?![\w-])", text) is not None


def device(tmp_path, locale: str, country: str, **kw) -> Simulator:
    return Simulator.with_store(SQLiteAdapter(tmp_path / f"{locale}-{country}.db"), now=NOW, zone=ZONES[country],
                                locale=locale, country=country, understanding=UNDERSTANDINGS[locale], **kw)


def own_locale(country: str) -> str:
    """The country's own English locale (en-GB for GB), else en-US (Ireland's Echos speak en-GB or en-US)."""
    return f"en-{country}" if f"en-{country}" in DATA["locale_countries"] else "en-US"


def known_there(sim: Simulator) -> None:
    """The device has talked to the skill before (this container knows its country): a launch, then stop."""
    sim.say("open spine recovery helper")
    sim.say("stop")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_every_alarm_names_the_country_s_numbers_one_shot_and_after_a_question(tmp_path, locale, country):
    sim = device(tmp_path, locale, country)
    known_there(sim)
    here = says(country)
    heard = {
        "emergency": sim.say(EMERGENCY).speech,
        "crisis": sim.say(CRISIS).speech,
        "overdose": sim.say(OVERDOSE).speech,
        "poison": sim.say(POISON).speech,
        "urgent": sim.say(URGENT).speech,
    }
    assert heard["emergency"].startswith(f"Call {here['emergency']} now."), heard["emergency"]
    assert heard["crisis"].startswith(f"Please {here['crisis_now']}"), heard["crisis"]
    assert heard["overdose"].startswith(here["overdose_first"]), heard["overdose"]
    assert heard["poison"].startswith(here["poison_now"]), heard["poison"]
    assert here["urgent_help"] in heard["urgent"], heard["urgent"]
    sim.say("open spine recovery helper")          # in a session, after the skill's question
    asked = sim.say(QUESTION).speech
    assert asked.endswith(f"If so, call {here['emergency']} now."), asked
    assert sim.say("yes").speech.startswith(f"Call {here['emergency']} now."), "yes to the question: 911's answer"
    for what, said in {**heard, "question": asked}.items():
        wrong = [n for n in foreign_numbers(country) if named(said, n)]
        assert not wrong, f"{locale} in {country}, {what}: another country's number {wrong}: {said}"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_device_never_heard_from_says_its_locale_s_number_without_waiting_for_the_network(tmp_path, locale):
    """An emergency is the first thing ever said: no API is asked on that path; the locale's country answers."""
    away = "IE" if DATA["locale_countries"][locale] != "IE" else "GB"
    sim = device(tmp_path, locale, away, address_granted=True)
    heard = sim.say(EMERGENCY).speech
    own = says(DATA["locale_countries"][locale])["emergency"]
    assert heard.startswith(f"Call {own} now."), heard
    assert sim.conversation.api.paths == [], "the emergency answer waited for an API"
    sim.say("how long will the pain last")         # not an emergency: now the device's country is asked for
    assert sim.say(EMERGENCY).speech.startswith(f"Call {says(away)['emergency']} now.")


def test_the_address_api_country_comes_before_the_time_zone_s(tmp_path):
    """A Canadian device set to a US time zone, with the address permission granted: Canada's lines."""
    sim = Simulator.with_store(SQLiteAdapter(tmp_path / "a.db"), now=NOW, zone="America/New_York", locale="en-US",
                               country="CA", address_granted=True, understanding=UNDERSTANDING)
    known_there(sim)
    assert any("countryAndPostalCode" in p for p in sim.conversation.api.paths)
    assert says("CA")["poison_now"] in sim.say(POISON).speech


def test_without_the_permission_the_address_api_is_not_asked(tmp_path):
    sim = device(tmp_path, "en-GB", "IE")
    known_there(sim)
    assert not any("countryAndPostalCode" in p for p in sim.conversation.api.paths)
    assert sim.say(EMERGENCY).speech.startswith("Call 112 or 999 now.")


def test_a_country_the_content_does_not_list_is_given_no_guessed_number(tmp_path):
    sim = Simulator.with_store(SQLiteAdapter(tmp_path / "nz.db"), now=NOW, zone="Pacific/Auckland", locale="en-AU",
                               understanding=UNDERSTANDINGS["en-AU"])
    known_there(sim)
    heard = sim.say(EMERGENCY).speech
    assert heard.startswith("Call your local emergency number now."), heard
    assert not [n for n in ALL_NUMBERS if named(heard, n)]


@pytest.mark.parametrize("country", COUNTRIES)
def test_no_sentence_of_the_content_names_another_country_s_number(country):
    """Every sentence the skill can say (answers, questions, phrases, screens), said in this country."""
    for locale in LOCALES:
        content = recovery_content.load(locale, country)
        texts = [*content.phrases.values(), *(t.answer for t in content.topics.values()),
                 *(t.more for t in content.topics.values()), *content.referrals.values(),
                 *(v for spec in content.triage_text.values() for v in spec.values() if isinstance(v, str)),
                 *(spec.get(k) or "" for spec in content.families.values() for k in ("fact", "question", "if_you")),
                 *(line for spec in content.timing.values() if isinstance(spec, str) for line in [spec])]
        recovery_content.use(content)
        shown = screen.templates()["kinds"]["emergency"]
        texts += [shown["key"], shown["instruction"], *shown["key_when"].values(), *shown["instruction_when"].values()]
        wrong = [(n, t) for t in texts for n in foreign_numbers(country) if named(t, n)]
        assert not wrong, f"{locale} in {country}: {wrong[:3]}"
        left = [t for t in texts if re.search(r"\{(%s)\}" % "|".join(countries.placeholders(DATA)), t)]
        assert not left, f"placeholders not filled: {left[:3]}"


def test_every_country_fills_every_placeholder_and_has_a_source_for_every_number():
    wanted = countries.placeholders(DATA)
    for code, spec in DATA["countries"].items():
        assert set(spec["says"]) == wanted, code
        sourced = {s["number"] for s in spec["sources"]}
        assert set(spec["numbers"]) <= {n for s in sourced for n in re.split(r" or ", str(s))}, code
        for source in spec["sources"]:
            assert source["confirmed"] in ("yes", "indirect", "no") and source["checked"], (code, source)


@pytest.mark.parametrize("country, said", [("US", "Tuesday, December 22nd"), ("CA", "Tuesday, December 22nd"),
                                           ("GB", "Tuesday the 22nd of December"), ("AU", "Tuesday the 22nd of December")])
def test_dates_are_said_as_the_country_says_them(tmp_path, country, said):
    sim = device(tmp_path, own_locale(country), country)
    for line in ("open spine recovery helper", "yes", "november tenth", "yes"):
        sim.say(line)
    heard = sim.say("when can I lift my grandson").speech
    assert said in heard, heard


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_emergency_screen_shows_the_country_s_number(tmp_path, country):
    sim = device(tmp_path, own_locale(country), country, viewport="hub-large")
    known_there(sim)
    shown = sim.say(EMERGENCY).screen
    assert shown["key"] == f"Call {says(country)['emergency']} now", shown


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unreadable_request_is_refused_with_its_locale_s_number(locale):
    handler = skill_builder(persistence_adapter=None).lambda_handler()
    answer = handler({"version": "1.0", "request": {"type": "IntentRequest", "locale": locale}, "context": 7}, None)
    number = says(DATA["locale_countries"][locale])["emergency"]
    assert f"call {number} now" in answer["response"]["outputSpeech"]["ssml"].replace('<say-as interpret-as="digits">', "").replace("</say-as>", "").replace('<sub alias="triple zero">', "").replace("</sub>", "")


def test_zone_table_knows_the_countries_and_old_zone_names():
    assert place.zone_country("Europe/Dublin") == "IE"
    assert place.zone_country("America/Toronto") == "CA"
    assert place.zone_country("Asia/Calcutta") == "IN"          # an old name, a link in tzdata
    assert place.zone_country("Mars/Olympus") is None


# ---------------------------------------------------------------- asking once for the device's country

ASKS = "Alexa will ask you to share your device's country"


def test_the_country_is_asked_for_once_and_a_refusal_is_remembered(tmp_path):
    sim = device(tmp_path, "en-US", "IE")            # an American Echo in Dublin: the locale and the zone disagree
    first = sim.say("open spine recovery helper")
    assert ASKS in first.speech and sim.conversation.last.permission_asked == place.ADDRESS_SCOPE
    refused = sim.say("no")
    assert refused.speech.startswith("That's fine.") and "Welcome to spine recovery helper" in refused.speech
    sim.say("stop")
    again = sim.say("open spine recovery helper")
    assert ASKS not in again.speech and not sim.conversation.last.asks_permission, "asked a second time"


def test_granted_the_address_country_decides_from_then_on(tmp_path):
    sim = Simulator.with_store(SQLiteAdapter(tmp_path / "a.db"), now=NOW, zone="America/New_York", locale="en-GB",
                               country="IE", understanding=UNDERSTANDINGS["en-GB"])   # an en-GB Echo, US zone, in Ireland
    assert ASKS in sim.say("open spine recovery helper").speech
    thanks = sim.say("I approve")
    assert thanks.speech.startswith("Thank you. I'll give you the numbers for Ireland."), thanks.speech
    assert sim.say(EMERGENCY).speech.startswith("Call 112 or 999 now.")


def test_not_answered_sends_the_consent_card_and_is_not_asked_again(tmp_path):
    sim = device(tmp_path, "en-AU", "GB")
    sim.say("open spine recovery helper")
    turn = sim.conversation.permission_answer("NOT_ANSWERED")
    assert turn.card_type == "AskForPermissionsConsent"
    assert place.ADDRESS_SCOPE in turn.body["card"]["permissions"]
    sim.say("stop")
    assert ASKS not in sim.say("open spine recovery helper").speech


@pytest.mark.parametrize("locale", LOCALES)
def test_not_asked_when_the_time_zone_agrees_with_the_locale(tmp_path, locale):
    sim = device(tmp_path, locale, DATA["locale_countries"][locale])
    assert ASKS not in sim.say("open spine recovery helper").speech


def test_never_asked_before_an_emergency_answer_nor_in_a_one_shot_question(tmp_path):
    sim = device(tmp_path, "en-US", "IE")
    assert sim.say(EMERGENCY).speech.startswith("Call 911 now.")      # first ever: no network, the locale's
    assert ASKS not in sim.say("how long will the pain last").speech
    assert not sim.conversation.last.asks_permission


def test_the_console_speaks_for_its_locale_and_country(tmp_path):
    from skill_tools.web.console import Console

    console = Console(SQLiteAdapter(tmp_path / "c.db"), zone="Europe/Dublin", locale="en-GB", country="IE",
                      understanding=UNDERSTANDINGS["en-GB"])
    console.say("kitchen", "open spine recovery helper")
    answer = console.say("kitchen", EMERGENCY)
    assert answer["speech"].startswith("Call 112 or 999 now.") and answer["emergency"], answer["speech"]
    assert answer["answer"].startswith("emergency")


@pytest.mark.parametrize("locale", LOCALES)
def test_help_says_the_information_is_american_and_the_care_team_comes_first(tmp_path, locale):
    sim = device(tmp_path, locale, DATA["locale_countries"][locale])
    sim.say("open spine recovery helper")
    heard = sim.say("help").speech
    assert "comes from an American article" in heard and "care team's instructions always come first" in heard


def test_the_review_shows_each_country_s_numbers_and_flags_those_not_confirmed():
    from skill_tools.review import items

    for code, spec in DATA["countries"].items():
        item = items.numbers_item(recovery_content.load("en-US", code).place)
        unconfirmed = [s for s in spec["sources"] if s["confirmed"] != "yes"]
        assert len(item.review_notes) == len(unconfirmed), code
        assert all(note.startswith("NOT CONFIRMED") for note in item.review_notes)
        assert ("emergency", spec["says"]["emergency"]) in item.sentences
