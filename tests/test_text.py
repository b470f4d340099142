"""skill.text: the one place words become tokens, for triage, content lookup and the simulator."""
import re
from pathlib import Path

import pytest

from skill import content, text

EN = text.for_locale()


@pytest.mark.parametrize("said, words", [
    ("I can not breathe", ["i", "can't", "breathe"]),
    ("im dizzy and hes pale", ["i", "dizzy", "and", "he", "pale"]),      # i'm, he's: the ending says nothing
    ("Mother's débil, ain't she?", ["mother", "debil", ",", "isn't", "she", "?"]),
    ("a hundred and three", ["103"]),
    ("thirty nine point five", ["39.5"]),
    ("one oh three", ["103"]),
    ("his pulse says one forty", ["his", "pulse", "says", "140"]),   # a reading said in pairs: not 41
    ("one thirty eight", ["138"]),
    ("ninety eight six both times", ["98.6", "both", "times"]),   # as a thermometer is read out: not 104
    ("thirty eight five", ["38.5"]),
    ("back in nineteen eighty five", ["back", "in", "1985"]),
    ("one of them", ["one", "of", "them"]),
    ("a hundred and a half", ["100.5"]),
])
def test_words_as_the_triage_rules_see_them(said, words):
    assert EN.words(said) == words


def test_the_two_stemmers_differ_where_their_docstrings_say():
    assert EN.stem("fainting") == EN.stem("faints") == "faint"
    assert EN.stem("scared") == "scare" != EN.stem("scar")
    assert EN.loose_stem("stiffly") == EN.loose_stem("stiff") == "stiff" != EN.stem("stiffly")
    assert EN.loose_stem("bumpy") == "bump" != EN.stem("bumpy")
    assert EN.loose_stem("scared") == EN.loose_stem("scar")


def test_contractions_spelled_out_for_the_understanding():
    assert EN.expand(["what's", "doctor's", "haven't", "im"]) == ["what", "is", "doctor", "have", "not", "i", "am"]


def test_plain_tokens_fold_accents_and_split_initials():
    assert text.plain_tokens("Caída v.c.f. isn't") == ["caida", "v", "c", "f", "isn't"]


def test_an_english_locale_shares_the_english_words_and_may_override_them(tmp_path, monkeypatch):
    assert text.word_files("en-GB") == ["locales/en/words.yaml"]
    (tmp_path / "en").mkdir()
    (tmp_path / "en-GB").mkdir()
    (tmp_path / "en" / "words.yaml").write_text("numbers: {units: [zero, one, two]}\nclitics: [s]\n")
    (tmp_path / "en-GB" / "words.yaml").write_text("clitics: [s, d]\n")
    monkeypatch.setattr(text, "LOCALES_DIR", tmp_path)
    assert text.word_files("en-GB") == ["locales/en/words.yaml", "locales/en-GB/words.yaml"]
    assert text.merged([{"numbers": 1, "clitics": ["s"]}, {"clitics": ["s", "d"]}]) == {"numbers": 1, "clitics": ["s", "d"]}
    with pytest.raises(ValueError):
        text.word_files("fr-FR")


def test_content_load_takes_a_locale():
    assert content.load("en-US") is content.load()
    other = content.load("en-GB")
    assert other.language.words("I can not") == ["i", "can't"]
    assert other.triage.classify("my chest hurts").level == content.load().triage.classify("my chest hurts").level


def test_no_family_or_word_class_name_in_the_triage_code():
    """What the code needs of a family (it reads a temperature, it speaks second) is an attribute in the data."""
    spec = content._parse_yaml({"triage.yaml": (content.CONTENT_DIR / "triage.yaml").read_text()})["triage.yaml"]
    names = set(spec["families"]) | set(spec["lexicon"]) | {"fever", "crisis", "overdose"}
    code = "\n".join(p.read_text() for p in (Path(content.__file__).parent / "triage").glob("*.py"))
    code = re.sub(r"#.*|\"\"\".*?\"\"\"", "", code, flags=re.S)     # comments and docstrings may name them
    strings = set(re.findall(r"[\"']([A-Za-z_]+)[\"']", code))
    assert not names & strings
