"""The recovery knowledge: topics, timing phrases, triage lists and a locale's words, read once from YAML.

The words live in ``skill/content/*.yaml`` so a clinician can review them without
reading Python; this module only gives them a shape the handlers can use.

Importing PyYAML and parsing the YAML costs a Lambda cold start about 25 ms, so
``skill/content/content.json`` carries the same data as JSON, generated from the
YAML by ``python -m skill_tools.content_build`` (never edit it by hand).  It records a
CRC-32 of each YAML file it came from: when they differ from the YAML beside it
(someone edited the YAML and did not regenerate) or the JSON is missing or
unreadable, the YAML is read instead, so the skill always says what the YAML says.

``load(locale, country)`` takes a locale: the words of ``locales/<language>/words.yaml`` and the
locale's own overrides (:func:`skill.text.word_files`), and a country, whose numbers and ways of
saying things fill the sentences' placeholders (:mod:`skill.countries`). content.json holds the
files of every locale the skill is published in.

Each request speaks with the content of its own locale and country: :func:`use` sets it for the
request (skill.interceptors), :func:`current` reads it.
"""
from __future__ import annotations

import functools
import json
import logging
import threading
import zlib
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from skill import countries, text

if TYPE_CHECKING:
    from skill.triage import Triage
    from skill.triage.crisis_model import CrisisModel

log = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).parent / "content"
COMPILED = "content.json"
# Bump when the compiled file's layout changes: older files are then ignored.
COMPILED_FORMAT = 4


def sources(locale: str = text.DEFAULT_LOCALE) -> tuple[str, ...]:
    """The YAML files of a locale's content, relative to CONTENT_DIR."""
    return ("recovery.yaml", "triage.yaml", "countries.yaml", *text.word_files(locale))


SOURCES = sources()


def all_sources() -> tuple[str, ...]:
    """The YAML files of every locale's content (what content.json holds)."""
    locales = parse_yaml(_read("countries.yaml"))["locale_countries"]   # tools only: the runtime reads content.json
    return tuple(dict.fromkeys(name for locale in locales for name in sources(locale)))


# NamedTuples rather than frozen dataclasses, for the cold start (see skill.timeline).
class Topic(NamedTuple):
    """One answerable subject, with the article sentences it rests on."""

    key: str
    intent: str
    title: str
    answer: str
    more: str
    sources: tuple[str, ...]
    not_in_article: tuple[str, ...]
    review_notes: tuple[str, ...] = ()   # about the sources themselves (an attribution not confirmed...)


class Subject(NamedTuple):
    """Something people ask about: covered by a topic of the article, or not (then who to ask)."""

    key: str
    topic: str | None           # the topic that answers it; None: the article does not cover it
    title: str
    who: str | None             # referrals key: who does know
    nearest: str | None         # nearest_facts key: the closest thing the article does say
    words: tuple[str, ...]


class TriageRules:
    """A locale's triage rules, made into the engine when a sentence first needs them: importing the
    engine's code is a tenth of a Lambda cold start, and a LaunchRequest needs none of it."""

    __slots__ = ("spec", "language", "_engine", "_making")

    def __init__(self, spec: dict, language: text.Language):
        self.spec, self.language, self._engine, self._making = spec, language, None, threading.Lock()

    def engine(self) -> "Triage":
        if self._engine is None:
            with self._making:      # threads of the web service arriving at once make one engine, not several
                if self._engine is None:
                    from skill.triage.engine import Triage   # (compiles its rules on first use, under a lock)

                    spec = self.spec
                    rules = json.loads(spec[RULES_JSON]) if RULES_JSON in spec else spec
                    self._engine = Triage(rules, self.language, crisis_model(rules.get("crisis_model")))
        return self._engine


class Content(NamedTuple):
    topics: dict[str, Topic]
    timing: dict
    phrases: dict[str, str]
    triage_text: dict[str, dict]     # answer kind (emergency, crisis, doctor...) -> its words
    rules: "TriageRules"             # the triage engine, made when first needed: see :attr:`triage`
    families: dict[str, dict]        # red-flag family -> title, source, if_you, fact...
    subjects: dict[str, Subject]
    referrals: dict[str, str]
    nearest_facts: dict[str, dict]
    handling: dict                   # what the handlers need of triage: emergency intents, families by role

    by_intent: dict[str, Topic]
    language: text.Language          # the locale's words: tokens, stems, spoken numbers
    place: countries.Country         # the country spoken to: its numbers, dates and temperatures
    # each subject's phrases as stemmed words, longest first: stemmed on the first sentence heard (a
    # LaunchRequest needs none), then kept: from_dicts gives an empty list, filled in place
    subject_stems: list[tuple[tuple[str, ...], "Subject"]]
    locale: str = text.DEFAULT_LOCALE

    @property
    def triage(self) -> "Triage":
        return self.rules.engine()

    def topic_for_intent(self, intent: str) -> Topic | None:
        return self.by_intent.get(intent)

    def subject_in(self, text: str | None) -> Subject | None:
        """The subject whose words are said in ``text`` (the longest match wins), or None."""
        said = tuple(self.language.stem(w) for w in self.language.words(text))
        stems = self.subject_stems
        if not stems:
            stems[:] = _stemmed(self.subjects, self.language)   # one assignment: no thread sees half of it
        for wanted, subject in stems:
            if any(said[i:i + len(wanted)] == wanted for i in range(len(said) - len(wanted) + 1)):
                return subject
        return None

    def subject_slot_type(self) -> dict:
        """The SubjectType of the interaction model, made from the subjects' words."""
        return {
            "name": "SubjectType",
            "values": [
                {"id": s.key.upper(), "name": {"value": s.words[0], "synonyms": list(s.words[1:])}}
                for s in self.subjects.values()
            ],
        }

    @classmethod
    def from_dicts(cls, recovery: dict, triage: dict, words: dict | None = None, *,
                   place: countries.Country | None = None, rules: tuple | None = None,
                   locale: str = text.DEFAULT_LOCALE) -> "Content":
        """The content from its parsed files; ``words``: the locale's word data (default: the
        default locale's, read from its YAML); ``place``: the country whose numbers fill the
        placeholders (default: the locale's own); ``rules``: the locale's (language, triage), when
        already built (they hold no sentences, so every country of a locale shares them)."""
        if rules is None:
            language = text.Language(words) if words is not None else text.for_locale()
            rules = (language, TriageRules(triage, language))
        language, rules = rules
        if place is None:
            data = _data(locale)["countries.yaml"]
            place = countries.country(data, countries.of_locale(data, locale))
        recovery = countries.render(recovery, place)
        triage = {**triage, **countries.render({k: triage[k] for k in _TRIAGE_TEXT}, place),
                  "families": {key: {**spec, **countries.render({k: v for k, v in spec.items() if k != "patterns"}, place)}
                               for key, spec in triage["families"].items()}}
        topics = {
            key: Topic(
                key=key,
                intent=spec["intent"],
                title=spec["title"],
                answer=" ".join(spec["answer"].split()),
                more=" ".join(spec.get("more", "").split()),
                sources=tuple(spec.get("sources", [])),
                not_in_article=tuple(spec.get("not_in_article", [])),
                review_notes=tuple(" ".join(n.split()) for n in spec.get("review_notes", [])),
            )
            for key, spec in recovery["topics"].items()
        }
        answers = triage["answers"]
        triage_text = {
            kind: {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in spec.items()}
            for kind, spec in answers.items()
            if isinstance(spec, dict)
        }
        phrases = {k: " ".join(v.split()) for k, v in recovery["phrases"].items()}
        subjects = {
            key: Subject(key, spec.get("topic"), spec.get("title") or topics[spec["topic"]].title.lower(),
                         spec.get("who"), spec.get("nearest"), tuple(spec["words"]))
            for key, spec in recovery.get("subjects", {}).items()
        }
        phrases["safety_line"] = " ".join(triage["safety_line"].split())
        phrases["mentioned"] = " ".join(answers["mentioned"].split())
        return cls(
            topics=topics,
            by_intent={t.intent: t for t in topics.values()},
            timing=recovery["timing"],
            phrases=phrases,
            triage_text=triage_text,
            rules=rules,
            language=language,
            place=place,
            locale=locale,
            subjects=subjects,
            subject_stems=[],
            referrals={k: " ".join(v.split()) for k, v in recovery.get("referrals", {}).items()},
            nearest_facts={
                key: {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in spec.items()}
                for key, spec in recovery.get("nearest_facts", {}).items()
            },
            handling=triage["handling"],
            families={
                key: {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in spec.items() if k != "patterns"}
                for key, spec in triage["families"].items()
            },
        )


def _stemmed(subjects: dict, language: text.Language) -> tuple:
    """Every subject phrase as stemmed words, longest first (ties: the subjects' order), for subject_in."""
    stems = [(tuple(language.stem(w) for w in language.words(phrase)), subject)
             for subject in subjects.values() for phrase in subject.words]
    return tuple(sorted((s for s in stems if s[0]), key=lambda s: -len(s[0])))


# The parts of triage.yaml that hold sentences (the families' too, all but their patterns).
_TRIAGE_TEXT = ("safety_line", "answers")
# What from_dicts reads of triage.yaml: content.json holds these (the families without their patterns) as they
# are, and the whole file again as JSON text under RULES_JSON, decoded when a sentence first needs triage: a
# LaunchRequest's cold start then decodes a fifth of the file.
TRIAGE_SPOKEN = (*_TRIAGE_TEXT, "handling", "families")
RULES_JSON = "rules_json"


def crisis_model(settings: dict | None) -> "CrisisModel | None":
    """triage.yaml's ``crisis_model`` (its weights file, its thresholds) as the engine's second crisis reading."""
    if not settings:
        return None
    from skill.triage.crisis_model import CrisisModel

    beside, asked, aside = (settings.get(k) for k in ("beside_findings", "asked", "set_aside"))
    return CrisisModel.from_dict(json.loads(_read(settings["file"])), float(settings["threshold"]),
                                 *(None if v is None else float(v) for v in (beside, asked, aside)))


def _read(name: str) -> str:
    return (CONTENT_DIR / name).read_text(encoding="utf-8")


def load(locale: str = text.DEFAULT_LOCALE, country: str | None = None) -> Content:
    """The packaged content of a locale, said for a country (default: the locale's own), built once
    per process for each pair (Lambda keeps them between requests)."""
    if country is None:
        country = countries.of_locale(_data(locale)["countries.yaml"], locale)
    return _load(locale, country)


@functools.cache
def _load(locale: str, country: str) -> Content:
    """(``load("en-US")`` and ``load("en-US", "US")`` are one cache entry.)"""
    return _content(_data(locale), sources(locale), country, locale)


def _cache_clear() -> None:
    _load.cache_clear()
    _data.cache_clear()
    _rules.cache_clear()


load.cache_clear = _cache_clear


@functools.cache
def _data(locale: str) -> dict[str, dict]:
    """The parsed files of a locale's content: the compiled JSON when current, else the YAML."""
    names = sources(locale)
    texts = {name: _read(name) for name in names}
    data = _compiled(texts)
    return data if data is not None else _parse_yaml(texts)


@functools.cache
def _rules(locale: str) -> tuple[text.Language, TriageRules]:
    """A locale's words and triage, built once and shared by every country's content."""
    data = _data(locale)
    language = text.Language(_words(data, sources(locale)))
    return language, TriageRules(data["triage.yaml"], language)


def _words(data: dict[str, dict], names: tuple[str, ...]) -> dict:
    return text.merged([data[name] for name in names if name.startswith("locales/")])


def _content(data: dict[str, dict], names: tuple[str, ...], country: str | None = None,
             locale: str = text.DEFAULT_LOCALE) -> Content:
    place_data = data["countries.yaml"]
    place = countries.country(place_data, country or countries.of_locale(place_data, locale))
    rules = _rules(locale) if data is _data(locale) else None
    return Content.from_dicts(data["recovery.yaml"], data["triage.yaml"], _words(data, names), place=place,
                              rules=rules, locale=locale)


# The content the request being answered speaks with (set by skill.interceptors.PlaceInterceptor).
_CURRENT: ContextVar[Content | None] = ContextVar("recovery_content", default=None)


def use(content: Content | None) -> None:
    """Answer the request being handled with ``content`` (its locale and country); None: the default."""
    _CURRENT.set(content)


def current() -> Content:
    """The content of the request being answered; the default locale's outside a request."""
    found = _CURRENT.get()
    return found if found is not None else load()


def digest(text: str) -> str:
    """A check that content.json was regenerated after the YAML changed, not a seal: zlib's CRC-32 (a
    SHA-256 would load OpenSSL, or take 2 ms with Python's own, on every cold start)."""
    return f"crc32:{zlib.crc32(text.encode('utf-8')):08x}"


def _parse_yaml(texts: dict[str, str]) -> dict[str, dict]:
    return {name: parse_yaml(text) for name, text in texts.items()}


def parse_yaml(text: str):
    """YAML text, parsed safely with PyYAML's C loader when it has one (ten times the pure-Python one)."""
    import yaml

    return yaml.load(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _compiled(texts: dict[str, str]) -> dict[str, dict] | None:
    """The data of content.json when it was generated from exactly these YAML texts, else None."""
    path = CONTENT_DIR / COMPILED
    try:
        compiled = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.info("%s not found: reading the YAML content", COMPILED)
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s unreadable (%s): reading the YAML content", COMPILED, exc)
        return None
    built = compiled.get("sources") if isinstance(compiled, dict) else None
    if (
        not isinstance(built, dict)
        or compiled.get("format") != COMPILED_FORMAT
        or any(built.get(name) != digest(text) for name, text in texts.items())
        or not isinstance(compiled.get("data"), dict)
        or not all(isinstance(compiled["data"].get(name), dict) for name in texts)
    ):
        log.warning("%s is out of date with the YAML content: reading the YAML (run make content)",
                    COMPILED)
        return None
    return compiled["data"]


def article_text() -> str:
    """The source article the content must be traceable to."""
    return _read("source-article.txt")

