"""A thermometer reading means what the person's country means by it: Celsius outside the US ("thirty nine
degrees" is a fever in Manchester, Sydney, Pune and Toronto), Fahrenheit in the US, where "38 degrees" is a
cold day; said with a fever word, a Celsius figure is a fever everywhere."""
import pytest

from skill import content, text
from skill.triage import EMERGENCY, NOT_HEALTH, URGENT

CELSIUS = ["en-GB", "en-CA", "en-AU", "en-IN"]


def level(locale, said):
    return content.load(locale).triage.classify(said).level


@pytest.mark.parametrize("locale", CELSIUS)
@pytest.mark.parametrize("celsius, fahrenheit", [
    ("I'm thirty eight point five degrees", "I'm a hundred and one point three degrees"),
    ("she's 39 degrees", "she's a hundred and two degrees"),
    ("my husband is thirty nine point eight degrees", "my husband is a hundred and three point six degrees"),
])
def test_a_celsius_reading_is_the_fever_its_fahrenheit_is(locale, celsius, fahrenheit):
    assert level(locale, celsius) == level("en-US", fahrenheit) == level(locale, fahrenheit)
    assert level(locale, celsius) in (URGENT, EMERGENCY)


def test_in_the_us_a_bare_38_degrees_is_no_fever():
    assert level("en-US", "it's 38 degrees") == NOT_HEALTH
    assert level("en-US", "thirty nine degrees") == NOT_HEALTH
    for locale in CELSIUS:
        assert level(locale, "thirty nine degrees") == URGENT, locale


@pytest.mark.parametrize("locale", ["en-US", *CELSIUS])
def test_a_celsius_figure_with_a_fever_word_is_a_fever_everywhere(locale):
    assert level(locale, "I have a temperature of thirty eight point five") == URGENT
    assert level(locale, "my fever is 39.6") == EMERGENCY
    assert level(locale, "the thermometer says 38.5") == URGENT


def test_a_locale_file_changes_one_word_list_and_keeps_the_others():
    """locales/en-US/words.yaml gives triage one list of its own; the rest of triage's words stay en's."""
    us, gb = text.for_locale("en-US"), text.for_locale("en-GB")
    assert "degrees" not in us.words_of("triage", "celsius_units")
    assert "degrees" in gb.words_of("triage", "celsius_units")
    assert us.words_of("triage", "skippable") == gb.words_of("triage", "skippable") != frozenset()
    assert us.data["numbers"] == gb.data["numbers"]


def test_merging_goes_as_deep_as_the_data():
    merged = text.merged([{"triage": {"a": [1], "b": {"c": 1, "d": 2}}, "speech": "x"},
                          {"triage": {"b": {"d": 3}, "e": [4]}}])
    assert merged == {"triage": {"a": [1], "b": {"c": 1, "d": 3}, "e": [4]}, "speech": "x"}


@pytest.mark.parametrize("locale, fever", [("en-GB", True), ("en-AU", True), ("en-IN", True), ("en-CA", True),
                                           ("en-US", False)])
def test_the_skill_reads_the_figure_by_the_requests_locale(tmp_path, locale, fever):
    """The running skill (not only the triage) takes the words of the locale the request is in."""
    from skill_tools.simulator.device import Simulator

    sim = Simulator.local(str(tmp_path / "t.db"), locale=locale)
    said = sim.say("I'm thirty nine degrees")
    asked_about_the_fever = "shaking chills" in said.speech
    assert asked_about_the_fever == fever, said.speech
