"""Each English locale's simulator understands with its own model and words: what a person in the UK,
Australia or India says in their own words reaches the intent the American words reach in en-US."""
import json
from datetime import date

import pytest

from skill_tools import cli
from skill_tools.simulator import builtin_slots, locale_words
from skill_tools.simulator.nlu import Understanding

TODAY = date(2026, 11, 24)
FORTNIGHT = ("en-GB", "en-AU", "en-IN")


def meaning(locale, text):
    return Understanding.for_locale(locale).parse(text, TODAY)


def resolved(found, slot):
    data = next(s for s in found.slots if s["name"] == slot)
    return data["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"]


def test_each_locale_reads_its_own_model():
    for locale in ("en-US", "en-GB", "en-CA", "en-AU", "en-IN"):
        understanding = Understanding.for_locale(locale)
        assert understanding.locale == locale
        assert understanding is Understanding.for_locale(locale)       # built once


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-IN"])
def test_a_fortnight_ago_is_a_surgery_date_two_weeks_back(locale):
    found = meaning(locale, "I had my surgery a fortnight ago")
    assert found.intent == "SetSurgeryDateIntent"
    assert {s["name"]: s.get("value") for s in found.slots}["duration"] == "P2W"
    assert builtin_slots.resolve_duration("two fortnights", locale) == "P4W"


def test_a_went_to_a_and_e_is_what_the_emergency_room_is_in_en_us():
    us = meaning("en-US", "I went to the emergency room")
    gb = meaning("en-GB", "I went to A&E")
    assert gb.intent == us.intent
    assert "a and e" in gb.slot_words.get("description", "")


@pytest.mark.parametrize("locale", ["en-GB", "en-AU"])
def test_seeing_my_gp_is_a_follow_up_visit(locale):
    found = meaning(locale, "can I see my GP")
    assert found.intent == meaning("en-US", "can I see my surgeon").intent == "SubjectIntent"
    assert resolved(found, "subject") == "FOLLOW_UP"


@pytest.mark.parametrize("locale, said", [
    ("en-GB", "when should I go to A and E"), ("en-GB", "when should I ring nine nine nine"),
    ("en-AU", "when should I call triple zero"), ("en-IN", "when should I go to casualty"),
    ("en-IN", "when should I call one one two"), ("en-CA", "should I call eight one one"),
])
def test_when_to_get_help_in_the_countrys_words(locale, said):
    assert meaning(locale, said).intent == "WarningSignsIntent"
    assert meaning(locale, said).confidence == 1.0


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-IN"])
def test_paracetamol_is_an_extra_dose_like_tylenol(locale):
    assert meaning(locale, "I took an extra paracetamol by mistake").intent == "ExtraDoseIntent"
    assert meaning(locale, "I took an extra paracetamol by mistake").confidence == 1.0


def test_en_us_words_are_en_us_yaml_alone():
    assert locale_words.words("en-US") is locale_words.WORDS
    assert builtin_slots.resolve_duration("a fortnight") is None          # en-US.yaml has no fortnight
    assert "fortnight" not in locale_words.WORDS["builtin_slots"]["duration_units"]


def test_a_locale_file_merges_over_en_us_and_changes_only_what_it_may(tmp_path, monkeypatch):
    gb = locale_words.words("en-GB")
    assert gb["builtin_slots"]["duration_units"]["weeks"] == "W"            # en-US's, kept
    assert gb["builtin_slots"]["duration_units"]["fortnight"] == "2W"       # en-GB's own
    assert gb["builtin_slots"]["months"] == locale_words.WORDS["builtin_slots"]["months"]
    (tmp_path / "en-NZ.yaml").write_text("concept_groups: {doctor: [gp]}\n", encoding="utf-8")
    monkeypatch.setattr(locale_words, "NLU_DIR", tmp_path)
    with pytest.raises(ValueError, match="concept_groups"):
        locale_words.words("en-NZ")
    locale_words._own.cache_clear()


def test_sim_speaks_in_the_locale_asked(capsys):
    code = cli.main(["sim", "--json", "--locale", "en-GB", "--now", "2026-11-24T15:00:00Z",
                     "my surgery was a fortnight ago"])
    assert code == 0
    turn = json.loads(capsys.readouterr().out.splitlines()[0])
    assert turn["intent"] == "SetSurgeryDateIntent" and turn["slots"] == {"duration": "P2W"}
    assert "November 10" in turn["speech"]


def test_sim_refuses_a_locale_without_a_model(capsys):
    assert cli.main(["sim", "--locale", "fr-FR", "bonjour"]) == 2
    assert "en-GB" in capsys.readouterr().err
