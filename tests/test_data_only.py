"""A new red-flag family is a data change: written into triage.yaml, it reaches the person through the whole skill.

The content is copied to a scratch folder, one family is added to its triage.yaml, and the skill is asked
with the family's words: the answer is the family's level with its own fact. No Python is touched.
"""
import shutil

import pytest

from skill import content

NEW_FAMILY = """
  hiccups_after_surgery:
    level: urgent
    title: Hiccups that will not stop after surgery
    if_you: hiccups that will not stop
    fact: Hiccups that go on for two days can tire you out, and the surgeon's office can help.
    source: "Persistent pain that worsens after the procedure or other abnormal sensations should be reported to a physician."
    not_in_article: "A worked example of a new family, not a fact of the article."
    patterns:
      - "(hiccups|hiccupping) ... (two days|won't stop|will not stop|for days)"
"""


def written_into(tmp_path, monkeypatch, name: str, section: str, added: str) -> None:
    """The skill reads its content from a scratch copy, with ``added`` written at the top of ``section``
    of the file ``name``."""
    for source in (*content.SOURCES, "source-article.txt", "crisis_model.json"):
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(content.CONTENT_DIR / source, tmp_path / source)
    edited = tmp_path / name
    edited.write_text(edited.read_text().replace(f"\n{section}:\n", f"\n{section}:\n" + added, 1))
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    content.load.cache_clear()


@pytest.fixture
def edited_content(tmp_path, monkeypatch):
    """The content in a scratch folder, with the new family written into triage.yaml's families."""
    written_into(tmp_path, monkeypatch, "triage.yaml", "families", NEW_FAMILY)
    yield content.load()
    content.load.cache_clear()


def test_a_family_written_in_the_data_is_found_by_triage(edited_content):
    verdict = edited_content.triage.classify("I've had the hiccups for two days now")
    assert (verdict.level, verdict.family) == ("urgent", "hiccups_after_surgery")
    assert edited_content.triage.classify("I had the hiccups for two days back in 2010").family is None


def test_a_family_written_in_the_data_reaches_the_person(edited_content, talk):
    turn = talk.intent("DescribeIntent", {"description": "my husband has had the hiccups for two days"})
    assert turn.speech.startswith("Please call your surgeon's office now."), turn.speech
    assert "Hiccups that go on for two days can tire you out" in turn.speech
    assert "call 911" in turn.speech


def test_without_the_data_the_words_are_no_red_flag(talk):
    turn = talk.intent("DescribeIntent", {"description": "my husband has had the hiccups for two days"})
    assert not turn.speech.startswith("Please call your surgeon's office now."), turn.speech


# A new English-speaking country is a data change too: its entry in countries.yaml (the numbers below are
# a worked example for the test, not checked content). Its devices are found by their time zone (tzdata's
# zone.tab names Pacific/Auckland New Zealand); no Python is touched.
NEW_COUNTRY = """
  NZ:
    name: New Zealand
    date_order: day_first
    temperature: celsius
    numbers: {"111": digits, "1737": digits}
    says:
      emergency: "111"
      crisis_now: call or text 1737 now, free
      crisis_named: call or text 1737, free
      crisis_short: call or text 1737
      overdose_first: Call 111 now.
      poison_now: Call the poisons centre now
      poison_again: the poisons centre
      poison_screen: Call the poisons centre
      urgent_help: go to an urgent care clinic, or call 111
      emergency_room: the emergency department
      doctor: your GP
    sources:
      - {number: "111", what: emergency, source: "a worked example", url: "", quote: "", checked: "2026-12-04", confirmed: "no"}
"""


@pytest.fixture
def edited_countries(tmp_path, monkeypatch):
    written_into(tmp_path, monkeypatch, "countries.yaml", "countries", NEW_COUNTRY)
    yield
    content.load.cache_clear()


def test_a_country_written_in_the_data_gets_its_own_numbers(edited_countries, store):
    from skill_tools.simulator.session import Conversation

    kiwi = Conversation.build(store, zone="Pacific/Auckland", locale="en-AU")
    kiwi.launch()
    kiwi.end()
    turn = kiwi.intent("EmergencyIntent")
    assert turn.speech.startswith("Call 111 now."), turn.speech
    crisis = kiwi.intent("CrisisIntent")
    assert crisis.speech.startswith("Please call or text 1737 now, free, or call 111"), crisis.speech
    assert "000" not in turn.speech + crisis.speech        # not the locale's country's (Australia's)
