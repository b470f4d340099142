"""The tuning corpus's alarms said in every locale, for a device in every country: each leads with that
country's number, one-shot and after a question, and no answer names another country's number."""
from __future__ import annotations

import re

import pytest
import yaml

from skill import content as recovery_content
from skill_tools.simulator import corpus

DATA = yaml.safe_load((recovery_content.CONTENT_DIR / "countries.yaml").read_text(encoding="utf-8"))
ZONES = {"US": "America/Chicago", "CA": "America/Toronto", "GB": "Europe/London", "IE": "Europe/Dublin",
         "AU": "Australia/Sydney", "IN": "Asia/Kolkata"}
ENTRIES = corpus.load_set(corpus.TUNING)
PICKED = ([e for e in ENTRIES if e["level"] == "emergency"][:20] + [e for e in ENTRIES if e["level"] == "crisis"][:5]
          + [e for e in ENTRIES if e["level"] == "overdose"][:5] + [e for e in ENTRIES if e["level"] == "urgent"][:5])
STATES = ("one-shot", "after hear-more")      # said first, and after the skill's "would you like to hear more?"
ALL_NUMBERS = {n for spec in DATA["countries"].values() for n in spec["numbers"]}


def foreign(country: str) -> list[re.Pattern]:
    own = DATA["countries"][country]["numbers"]
    return [re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])") for n in ALL_NUMBERS - set(own)
            if not any(n in o for o in own)]


@pytest.mark.parametrize("locale", list(DATA["locale_countries"]))
@pytest.mark.parametrize("country", list(DATA["countries"]))
def test_corpus_alarms_lead_with_the_country_s_number(locale, country):
    results = corpus.run(PICKED, states=STATES, zone=ZONES[country], locale=locale, country=country)
    said_as = corpus.wording(locale, country)
    alarms = [s for s in results if s.level in ("emergency", "crisis", "overdose")]
    missed = [(s.state, s.text, s.speech[:80]) for s in alarms if not s.right]
    assert not missed, f"{locale} in {country}: {missed[:3]}"
    for s in alarms:
        if s.answer == "emergency":
            assert s.speech.startswith(f"{said_as.emergency_first} now."), s.speech
    wrong = [(s.text, p.pattern) for s in results for p in foreign(country) if p.search(s.speech + " " + s.question)]
    assert not wrong, f"{locale} in {country}: another country's number: {wrong[:3]}"
