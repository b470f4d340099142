"""``recovery-skill validate``: the checks Alexa certification makes, before we submit.

Reads the project as files (interaction model, ``skill.json``, ``ask-resources.json``,
the content YAML and the source article), then RUNS the real skill (the same
``skill_builder`` Lambda uses, with an in-memory store and a fake settings API)
on a request for every intent of the model, and checks every answer.

:func:`problems` is pure (a list of :class:`Problem`, nothing printed); :func:`run`
prints them as ``FILE: PATH: message`` and returns the exit code.

Two kinds of problem:

* ``error``: the model, manifest, content or code is wrong. Exit code 1.
* ``submission``: fine for development, but certification will refuse it: a placeholder
  privacy-policy URL, icons that are not there yet. Printed every time, marked
  ``[before submission]``; they fail the run only with ``RECOVERY_SKILL_SUBMISSION=1``
  (what DEPLOY.md asks for right before submitting).

``python -m skill.validate package [OUT]`` assembles the ASK CLI v2 skill package
(``OUT``, default ``build/skill-package``) from ``skill.json``, the interaction model
and the icons; see :func:`build_skill_package`.
"""
from __future__ import annotations

import ast
import copy
import json
import logging
import os
import re
import shutil
import struct
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

# ------------------------------------------------------------------ files

MODEL_FILE = "interaction_model/en-US.json"
MANIFEST_FILE = "skill.json"
RESOURCES_FILE = "ask-resources.json"
RECOVERY_FILE = "skill/content/recovery.yaml"
TRIAGE_FILE = "skill/content/triage.yaml"
ARTICLE_FILE = "skill/content/source-article.txt"
HANDLERS_FILE = "skill/handlers.py"
LAMBDA_DIR = "lambda"
ASSETS_DIR = "assets/images"
ASK_STATES_FILE = ".ask/ask-states.json"

# What problems() reads (plus the icons skill.json points at under assets/images/).
INPUT_FILES = (
    MODEL_FILE,
    MANIFEST_FILE,
    RESOURCES_FILE,
    RECOVERY_FILE,
    TRIAGE_FILE,
    ARTICLE_FILE,
    HANDLERS_FILE,
    f"{LAMBDA_DIR}/lambda_function.py",
)

LOCALE = "en-US"
LM = "interactionModel.languageModel"

# ------------------------------------------------------------------ Alexa's rules, as data

MIN_SAMPLES = 15
MAX_SSML = 8000  # characters of outputSpeech SSML
MAX_RESPONSE_BYTES = 24 * 1024  # the whole response JSON
MAX_EXAMPLE_PHRASES = 3

REQUIRED_BUILTINS = (
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
)

# Built-in slot types this skill may use; add one here when the model really needs it.
BUILTIN_SLOT_TYPES = frozenset(
    {
        "AMAZON.DATE",
        "AMAZON.DURATION",
        "AMAZON.NUMBER",
        "AMAZON.FOUR_DIGIT_NUMBER",
        "AMAZON.Ordinal",
        "AMAZON.TIME",
        "AMAZON.SearchQuery",
        "AMAZON.PhoneNumber",
        "AMAZON.FirstName",
        "AMAZON.US_STATE",
        "AMAZON.US_CITY",
        "AMAZON.City",
        "AMAZON.Country",
        "AMAZON.Language",
        "AMAZON.Person",
    }
)

# Wake words, launch phrases and the words Amazon reserves: none may be a word of the invocation name.
INVOCATION_FORBIDDEN_WORDS = frozenset(
    "alexa amazon echo computer skill app ask open launch tell start begin load run resume use play enable".split()
)

CATEGORIES = frozenset(
    """ALARMS_AND_CLOCKS ASTROLOGY BUSINESS_AND_FINANCE CALCULATORS CALENDARS_AND_REMINDERS
    CHILDRENS_EDUCATION_AND_REFERENCE CHILDRENS_GAMES CHILDRENS_MUSIC_AND_AUDIO CHILDRENS_NOVELTY_AND_HUMOR
    COMMUNICATION CONNECTED_CAR COOKING_AND_RECIPE CURRENCY_GUIDES_AND_CONVERTERS DATING DELIVERY_AND_TAKEOUT
    DEVICE_TRACKING EDUCATION_AND_REFERENCE EVENT_FINDERS EXERCISE_AND_WORKOUT FASHION_AND_STYLE FLIGHT_FINDERS
    FRIENDS_AND_FAMILY GAME_INFO_AND_ACCESSORY GAMES HEALTH_AND_FITNESS HOTEL_FINDERS KNOWLEDGE_AND_TRIVIA
    MOVIE_AND_TV_KNOWLEDGE_AND_TRIVIA MOVIE_INFO_AND_REVIEWS MOVIE_SHOWTIMES MUSIC_AND_AUDIO_ACCESSORIES
    MUSIC_AND_AUDIO_KNOWLEDGE_AND_TRIVIA MUSIC_INFO_REVIEWS_AND_RECOGNITION_SERVICE NAVIGATION_AND_TRIP_PLANNER
    NEWS NOVELTY ORGANIZERS_AND_ASSISTANTS PETS_AND_ANIMAL PODCAST PUBLIC_TRANSPORTATION RELIGION_AND_SPIRITUALITY
    RESTAURANT_BOOKING_INFO_AND_REVIEW SCHOOLS SCORE_KEEPING SELF_IMPROVEMENT SHOPPING SMART_HOME
    SOCIAL_NETWORKING SPORTS_GAMES SPORTS_NEWS STREAMING_SERVICE TAXI_AND_RIDESHARING TO_DO_LISTS_AND_NOTES
    TRANSLATORS TV_GUIDES UNIT_CONVERTERS WEATHER WINE_AND_BEVERAGE ZIP_CODE_LOOKUP""".split()
)

SKILL_EVENTS = frozenset(
    {
        "SKILL_ENABLED",
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
        "SKILL_ACCOUNT_LINKED",
        "SKILL_PROACTIVE_SUBSCRIPTION_CHANGED",
    }
)
# We delete the person's data when they disable the skill (privacy policy, certification).
REQUIRED_EVENTS = ("SKILL_DISABLED",)

SSL_CERTIFICATE_TYPES = frozenset({"Trusted", "Wildcard", "SelfSigned"})
LAMBDA_ARN = re.compile(r"^arn:aws:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$")
PLACEHOLDER_ACCOUNT = "000000000000"
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example\.(com|org|net)|localhost|test|invalid)$|^127\.|^0\.0\.0\.0$", re.I)
LAMBDA_RUNTIMES = frozenset({"python3.12", "python3.13"})

# Icons: certification wants 108x108 and 512x512 PNGs.
ICON_SIZES = {"smallIconUri": 108, "largeIconUri": 512}

# The health-skill disclaimer the description must carry (shared/alexa-facts.md).
DISCLAIMER_PARTS = (
    (re.compile(r"general information", re.I), "that it gives general information"),
    (re.compile(r"not\s+(a\s+substitute\s+for\s+)?medical\s+advice", re.I), '"not medical advice"'),
    (re.compile(r"\b911\b|nine one one", re.I), "to call 911 in an emergency"),
)

# Sample utterances: words, initials ("v. c. f."), {slots}; nothing else.
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*'?", re.I)
_INITIAL = re.compile(r"[a-z]\.", re.I)
_SLOT = re.compile(r"\{([A-Za-z][A-Za-z_]*)\}")
_INTENT_NAME = re.compile(r"^[A-Za-z_]+$")
_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_INTENT_LITERAL = re.compile(r"^(AMAZON\.)?[A-Z][A-Za-z_]*Intent$")

# Near-duplicates across intents.
# 1. The same words once these fillers are gone ("what is the kyphoplasty" / "what is kyphoplasty").
FILLER_WORDS = frozenset("a an the my your please just really so um uh well now do you".split())
# 2. One edit apart where the edit is a word that carries no topic: a negation, a pronoun, a
#    modal, a preposition ("remember my surgery date" / "don't remember my surgery date").
#    A different content word ("can i drive" / "can i walk") is a different question, not a
#    near-duplicate, so it is not flagged.
WEAK_WORDS = FILLER_WORDS | frozenset(
    """i i'm me we it it's that this these those is am are was were be been does did don't doesn't didn't
    not no never can can't could will won't would should to of in on at for with about and or any some
    still again ever yet too also all""".split()
)

APOLOGY = "something went wrong"


# ------------------------------------------------------------------ problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing certification (or the skill's own contract) would refuse."""

    file: str  # relative to the project root, e.g. "interaction_model/en-US.json"
    path: str  # where inside it, e.g. "interactionModel.languageModel.intents[3].samples[7]"
    message: str
    severity: str = "error"  # "error", or "submission": only blocks submitting to certification

    def __str__(self) -> str:
        mark = "[before submission] " if self.severity == "submission" else ""
        return f"{self.file}: {self.path}: {mark}{self.message}"


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def add(self, file: str, path: str, message: str, severity: str = "error") -> None:
        problem = Problem(file, path, message, severity)
        if problem not in self.problems:
            self.problems.append(problem)


def problems(root: Path) -> list[Problem]:
    """Every problem of the project at ``root`` (a checkout, or a copy with the files of INPUT_FILES)."""
    return _check(Path(root)).problems


def blocking(found: list[Problem], submission: bool = False) -> list[Problem]:
    """The problems that fail the run: errors, plus submission items when ``submission``."""
    return [p for p in found if p.severity == "error" or submission]


def project_root() -> Path:
    """The checkout to validate: the current directory when it is one, else the one this module is in."""
    here = Path.cwd()
    if (here / MODEL_FILE).is_file():
        return here
    return Path(__file__).resolve().parents[1]


def run(args=None) -> int:
    """Print every problem as ``FILE: PATH: message`` and a summary; 1 if any blocks, else 0."""
    root = project_root()
    report = _check(root)
    submission = os.environ.get("RECOVERY_SKILL_SUBMISSION", "") not in ("", "0")
    for problem in sorted(report.problems, key=lambda p: (p.severity != "error", p.file, _natural(p.path))):
        print(problem)
    errors = [p for p in report.problems if p.severity == "error"]
    todo = [p for p in report.problems if p.severity == "submission"]
    s = report.stats
    checked = (
        f"{s.get('intents', 0)} intents, {s.get('samples', 0)} samples, {s.get('topics', 0)} topics, "
        f"{s.get('requests', 0)} requests run through the skill"
    )
    if errors:
        files = len({p.file for p in errors})
        print(f"validate: {len(errors)} problem(s) in {files} file(s); {len(todo)} to do before submission ({checked})")
    else:
        print(f"validate: no problems; {len(todo)} to do before submission ({checked})")
    return 1 if blocking(report.problems, submission) else 0


def _natural(path: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


# ------------------------------------------------------------------ loading


def _load_json(root: Path, name: str, report: _Report):
    path = root / name
    if not path.is_file():
        report.add(name, "", "file is missing")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(name, "", f"not valid JSON: {exc}")
        return None


def _load_yaml(root: Path, name: str, report: _Report):
    path = root / name
    if not path.is_file():
        report.add(name, "", "file is missing")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        report.add(name, "", f"not valid YAML: {exc}")
        return None


def _check(root: Path) -> _Report:
    report = _Report()
    model = _load_json(root, MODEL_FILE, report)
    manifest = _load_json(root, MANIFEST_FILE, report)
    recovery = _load_yaml(root, RECOVERY_FILE, report)
    triage = _load_yaml(root, TRIAGE_FILE, report)
    lm = _language_model(model, report)
    if lm is not None:
        _check_model(model, lm, report)
    if manifest is not None:
        _check_manifest(root, manifest, lm, report)
    _check_resources(root, report)
    _check_content(root, recovery, triage, lm, report)
    _check_handler_code(root, lm, report)
    if lm is not None:
        _run_skill(lm, model, report)
    return report


def _language_model(model, report: _Report):
    if model is None:
        return None
    lm = (model.get("interactionModel") or {}).get("languageModel") if isinstance(model, dict) else None
    if not isinstance(lm, dict):
        report.add(MODEL_FILE, LM, "no languageModel")
        return None
    if not isinstance(lm.get("intents"), list):
        report.add(MODEL_FILE, f"{LM}.intents", "no intents list")
        return None
    return lm


def _intents(lm) -> list[tuple[int, dict]]:
    return [(i, it) for i, it in enumerate(lm.get("intents") or []) if isinstance(it, dict)]


def _intent_names(lm) -> set[str]:
    return {it.get("name") for _, it in _intents(lm) if it.get("name")} if lm else set()


def _custom_types(lm) -> dict[str, dict]:
    return {t.get("name"): t for t in (lm.get("types") or []) if isinstance(t, dict) and t.get("name")}


def _type_phrases(type_spec: dict) -> list[str]:
    """Every value and synonym of a custom slot type."""
    phrases = []
    for value in type_spec.get("values") or []:
        name = (value or {}).get("name") or {}
        if name.get("value"):
            phrases.append(name["value"])
        phrases += [s for s in name.get("synonyms") or [] if isinstance(s, str)]
    return phrases


# ------------------------------------------------------------------ interaction model


def _check_model(model: dict, lm: dict, report: _Report) -> None:
    add = report.add
    _check_invocation(lm.get("invocationName"), add)
    types = _custom_types(lm)
    names: dict[str, int] = {}
    sample_count = 0
    for i, intent in _intents(lm):
        where = f"{LM}.intents[{i}]"
        name = intent.get("name") or ""
        if not name:
            add(MODEL_FILE, where, "intent without a name")
            continue
        if name in names:
            add(MODEL_FILE, f"{where}.name", f"{name} is declared twice (also intents[{names[name]}])")
        names.setdefault(name, i)
        builtin = name.startswith("AMAZON.")
        if not builtin and not _INTENT_NAME.match(name):
            add(MODEL_FILE, f"{where}.name", f"intent name {name!r}: letters and underscores only")
        samples = intent.get("samples") or []
        sample_count += len(samples)
        if not builtin and len(samples) < MIN_SAMPLES:
            add(MODEL_FILE, f"{where}.samples", f"{name} has {len(samples)} samples; give it at least {MIN_SAMPLES}")
        if name == "AMAZON.FallbackIntent" and samples:
            add(MODEL_FILE, f"{where}.samples", "AMAZON.FallbackIntent cannot have sample utterances")
        slots = _check_slots(intent, where, types, add)
        for j, sample in enumerate(samples):
            _check_sample(sample, f"{where}.samples[{j}]", slots, add)
        for k, slot in enumerate(intent.get("slots") or []):
            for j, sample in enumerate((slot or {}).get("samples") or []):
                _check_sample(sample, f"{where}.slots[{k}].samples[{j}]", slots, add, slot_sample=True)
    for builtin in REQUIRED_BUILTINS:
        if builtin not in names:
            add(MODEL_FILE, f"{LM}.intents", f"required built-in intent {builtin} is missing")
    _check_duplicates(lm, add)
    _check_types(lm, add)
    _check_dialog(model, lm, add)
    report.stats["intents"] = len(names)
    report.stats["samples"] = sample_count


def _check_invocation(name, add) -> None:
    where = f"{LM}.invocationName"
    if not isinstance(name, str) or not name.strip():
        add(MODEL_FILE, where, "no invocation name")
        return
    words = name.split()
    if name != " ".join(words):
        add(MODEL_FILE, where, f"invocation name {name!r}: single spaces between words, none around them")
    if len(words) < 2:
        add(MODEL_FILE, where, f"invocation name {name!r}: two or more words")
    if name != name.lower():
        add(MODEL_FILE, where, f"invocation name {name!r}: lower case only")
    for word in words:
        if not (re.fullmatch(r"[a-z]+('s|')?", word) or re.fullmatch(r"[a-z]\.", word)):
            add(MODEL_FILE, where, f"invocation name word {word!r}: letters only (possessive apostrophes and initials like 'a.' allowed)")
        if word.lower().strip(".'") in INVOCATION_FORBIDDEN_WORDS:
            add(MODEL_FILE, where, f"invocation name contains {word!r}: no wake word or launch phrase")


def _check_slots(intent: dict, where: str, types: dict, add) -> dict[str, str]:
    """Slot name -> type of the intent; problems with the declarations."""
    slots: dict[str, str] = {}
    for k, slot in enumerate(intent.get("slots") or []):
        spot = f"{where}.slots[{k}]"
        name = (slot or {}).get("name") or ""
        kind = (slot or {}).get("type") or ""
        if not _SLOT_NAME.match(name):
            add(MODEL_FILE, f"{spot}.name", f"slot name {name!r}: a letter, then letters and underscores")
        if name in slots:
            add(MODEL_FILE, f"{spot}.name", f"slot {name} is declared twice on {intent.get('name')}")
        slots[name] = kind
        if not kind:
            add(MODEL_FILE, f"{spot}.type", f"slot {name} has no type")
        elif kind.startswith("AMAZON."):
            if kind not in BUILTIN_SLOT_TYPES:
                add(MODEL_FILE, f"{spot}.type", f"{kind} is not a built-in slot type this skill allows (BUILTIN_SLOT_TYPES)")
        elif kind not in types:
            add(MODEL_FILE, f"{spot}.type", f"slot type {kind} is not declared in {LM}.types")
    if sum(1 for kind in slots.values() if kind == "AMAZON.SearchQuery") > 1:
        add(MODEL_FILE, f"{where}.slots", "at most one AMAZON.SearchQuery slot per intent")
    return slots


def _check_sample(sample, where: str, slots: dict[str, str], add, slot_sample: bool = False) -> None:
    if not isinstance(sample, str) or not sample.strip():
        add(MODEL_FILE, where, "empty sample")
        return
    if sample != " ".join(sample.split()):
        add(MODEL_FILE, where, f"{sample!r}: single spaces between words, none around them")
    seen: set[str] = set()
    tokens = sample.split()
    for token in tokens:
        slot = _SLOT.fullmatch(token)
        if slot:
            name = slot.group(1)
            if name not in slots:
                add(MODEL_FILE, where, f"{sample!r}: slot {{{name}}} is not declared on this intent")
            if name in seen:
                add(MODEL_FILE, where, f"{sample!r}: slot {{{name}}} appears twice")
            seen.add(name)
            continue
        if _WORD.fullmatch(token) or _INITIAL.fullmatch(token):
            continue
        if re.search(r"\d", token):
            add(MODEL_FILE, where, f"{sample!r}: digits in {token!r}; spell numbers out")
        elif "{" in token or "}" in token:
            add(MODEL_FILE, where, f"{sample!r}: {token!r}: a slot must stand alone as {{name}}, with spaces around it")
        else:
            add(
                MODEL_FILE,
                where,
                f"{sample!r}: {token!r}: only letters, apostrophes, periods in initials and hyphens inside words",
            )
    search = [t for t in tokens if (m := _SLOT.fullmatch(t)) and slots.get(m.group(1)) == "AMAZON.SearchQuery"]
    if search and len(tokens) == len(search) and not slot_sample:
        add(MODEL_FILE, where, f"{sample!r}: an AMAZON.SearchQuery slot needs carrier words around it")


def _words(sample: str) -> list[str]:
    """Lower-case words of a sample, every slot as '{}'."""
    return ["{}" if _SLOT.fullmatch(t) else t.lower() for t in sample.split()]


def _one_weak_edit(a: list[str], b: list[str]) -> str | None:
    """The word that makes a and b differ, when that is one inserted, removed or replaced weak word."""
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1 and a[diff[0]] in WEAK_WORDS and b[diff[0]] in WEAK_WORDS:
            return f"{a[diff[0]]!r} / {b[diff[0]]!r}"
        return None
    if abs(len(a) - len(b)) != 1:
        return None
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for k in range(len(long_)):
        if long_[k] in WEAK_WORDS and long_[:k] + long_[k + 1 :] == short:
            return repr(long_[k])
    return None


def _check_duplicates(lm: dict, add) -> None:
    entries = []  # (intent index, intent name, sample index, text, words)
    for i, intent in _intents(lm):
        for j, sample in enumerate(intent.get("samples") or []):
            if isinstance(sample, str) and sample.strip():
                entries.append((i, intent.get("name"), j, sample, _words(sample)))

    def where(e):
        return f"{LM}.intents[{e[0]}].samples[{e[2]}]"

    first: dict[tuple, tuple] = {}
    exact_pairs = set()
    for e in entries:
        key = tuple(e[4])
        other = first.get(key)
        if other is None:
            first[key] = e
            continue
        exact_pairs.add((other[0], other[2], e[0], e[2]))
        if other[0] == e[0]:
            add(MODEL_FILE, where(e), f"{e[3]!r} is already a sample of this intent ({where(other)})")
        else:
            add(
                MODEL_FILE,
                where(e),
                f"{e[3]!r} ({e[1]}) is also a sample of {other[1]} ({where(other)}): one sample, one intent",
            )
    stripped = [tuple(w for w in e[4] if w not in FILLER_WORDS) for e in entries]
    for x in range(len(entries)):
        a = entries[x]
        for y in range(x + 1, len(entries)):
            b = entries[y]
            if a[0] == b[0] or (a[0], a[2], b[0], b[2]) in exact_pairs or a[4] == b[4]:
                continue
            if stripped[x] == stripped[y]:
                why = "the same words once fillers are gone"
            elif word := (_one_weak_edit(a[4], b[4]) or _one_weak_edit(list(stripped[x]), list(stripped[y]))):
                why = f"only {word} tells them apart"
            else:
                continue
            add(
                MODEL_FILE,
                where(b),
                f"{b[3]!r} ({b[1]}) nearly duplicates {a[3]!r} ({a[1]}, {where(a)}): {why}; "
                "Alexa may send either intent",
            )


def _check_types(lm: dict, add) -> None:
    seen_types: set[str] = set()
    for t, spec in enumerate(lm.get("types") or []):
        where = f"{LM}.types[{t}]"
        name = (spec or {}).get("name")
        if not name:
            add(MODEL_FILE, where, "slot type without a name")
            continue
        if name in seen_types:
            add(MODEL_FILE, f"{where}.name", f"slot type {name} is declared twice")
        seen_types.add(name)
        ids: dict[str, int] = {}
        owner: dict[str, tuple[int, str]] = {}  # phrase -> (value index, id)
        for v, value in enumerate((spec or {}).get("values") or []):
            spot = f"{where}.values[{v}]"
            value = value or {}
            vid = value.get("id")
            if not vid:
                add(MODEL_FILE, spot, f"value of {name} without an id")
            elif vid in ids:
                add(MODEL_FILE, f"{spot}.id", f"id {vid} is used twice in {name} (also values[{ids[vid]}])")
            ids.setdefault(vid or "", v)
            text = (value.get("name") or {}).get("value")
            if not text:
                add(MODEL_FILE, f"{spot}.name.value", f"value of {name} without a name")
            phrases = [(f"{spot}.name.value", text)] if text else []
            phrases += [
                (f"{spot}.name.synonyms[{s}]", syn)
                for s, syn in enumerate((value.get("name") or {}).get("synonyms") or [])
            ]
            mine: set[str] = set()
            for spot_phrase, phrase in phrases:
                key = " ".join(str(phrase).lower().split())
                if key in mine:
                    add(MODEL_FILE, spot_phrase, f"{phrase!r} is listed twice for {vid}")
                    continue
                mine.add(key)
                if key in owner and owner[key][0] != v:
                    add(
                        MODEL_FILE,
                        spot_phrase,
                        f"{phrase!r} belongs to {vid} and also to {owner[key][1]} ({where}.values[{owner[key][0]}]): "
                        "Alexa cannot tell which value was meant",
                    )
                owner.setdefault(key, (v, vid))


def _check_dialog(model: dict, lm: dict, add) -> None:
    im = model.get("interactionModel") or {}
    dialog = im.get("dialog")
    prompts = im.get("prompts") or []
    prompt_ids: dict[str, int] = {}
    for p, prompt in enumerate(prompts):
        pid = (prompt or {}).get("id")
        where = f"interactionModel.prompts[{p}]"
        if not pid:
            add(MODEL_FILE, where, "prompt without an id")
            continue
        if pid in prompt_ids:
            add(MODEL_FILE, f"{where}.id", f"prompt id {pid} is used twice")
        prompt_ids.setdefault(pid, p)
        variations = (prompt or {}).get("variations") or []
        if not variations:
            add(MODEL_FILE, f"{where}.variations", f"prompt {pid} has no variations")
        for v, variation in enumerate(variations):
            spot = f"{where}.variations[{v}]"
            kind, value = (variation or {}).get("type"), (variation or {}).get("value")
            if kind not in ("PlainText", "SSML"):
                add(MODEL_FILE, f"{spot}.type", f"variation type {kind!r}: PlainText or SSML")
            if not value:
                add(MODEL_FILE, f"{spot}.value", "empty prompt")
            elif kind == "SSML":
                for message in _ssml_problems(value):
                    add(MODEL_FILE, f"{spot}.value", message)
    used: set[str] = set()
    if dialog:
        intents = {it.get("name"): it for _, it in _intents(lm)}
        strategy = dialog.get("delegationStrategy")
        if strategy is not None and strategy not in ("ALWAYS", "SKILL_RESPONSE"):
            add(MODEL_FILE, "interactionModel.dialog.delegationStrategy", f"{strategy!r}: ALWAYS or SKILL_RESPONSE")
        for d, spec in enumerate(dialog.get("intents") or []):
            where = f"interactionModel.dialog.intents[{d}]"
            name = (spec or {}).get("name")
            intent = intents.get(name)
            if intent is None:
                add(MODEL_FILE, f"{where}.name", f"dialog intent {name} is not in the language model")
                declared = {}
            else:
                declared = {s.get("name"): s.get("type") for s in intent.get("slots") or [] if isinstance(s, dict)}
            strategy = (spec or {}).get("delegationStrategy")
            if strategy is not None and strategy not in ("ALWAYS", "SKILL_RESPONSE"):
                add(MODEL_FILE, f"{where}.delegationStrategy", f"{strategy!r}: ALWAYS or SKILL_RESPONSE")
            refs = [(f"{where}.prompts.{k}", v) for k, v in ((spec or {}).get("prompts") or {}).items()]
            for k, slot in enumerate((spec or {}).get("slots") or []):
                spot = f"{where}.slots[{k}]"
                sname = (slot or {}).get("name")
                if intent is not None and sname not in declared:
                    add(MODEL_FILE, f"{spot}.name", f"dialog slot {sname} is not a slot of {name} in the language model")
                elif intent is not None and (slot or {}).get("type") != declared[sname]:
                    add(
                        MODEL_FILE,
                        f"{spot}.type",
                        f"dialog slot {sname} has type {(slot or {}).get('type')}; the language model says {declared[sname]}",
                    )
                slot_prompts = (slot or {}).get("prompts") or {}
                refs += [(f"{spot}.prompts.{k2}", v) for k2, v in slot_prompts.items()]
                for r, rule in enumerate((slot or {}).get("validations") or []):
                    if (rule or {}).get("prompt"):
                        refs.append((f"{spot}.validations[{r}].prompt", rule["prompt"]))
                if (slot or {}).get("elicitationRequired") and not slot_prompts.get("elicitation"):
                    add(MODEL_FILE, f"{spot}.prompts", f"slot {sname} needs elicitation but has no elicitation prompt")
                if (slot or {}).get("confirmationRequired") and not slot_prompts.get("confirmation"):
                    add(MODEL_FILE, f"{spot}.prompts", f"slot {sname} needs confirmation but has no confirmation prompt")
            for spot, pid in refs:
                used.add(pid)
                if pid not in prompt_ids:
                    add(MODEL_FILE, spot, f"prompt {pid} is not in interactionModel.prompts")
    for pid, p in prompt_ids.items():
        if pid not in used:
            add(MODEL_FILE, f"interactionModel.prompts[{p}].id", f"prompt {pid} is never used by the dialog")


# ------------------------------------------------------------------ skill.json


def _get(data, *keys):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _check_manifest(root: Path, manifest: dict, lm, report: _Report) -> None:
    def add(path, message, severity="error"):
        report.add(MANIFEST_FILE, path, message, severity)

    m = manifest.get("manifest") if isinstance(manifest, dict) else None
    if not isinstance(m, dict):
        add("manifest", "no manifest object")
        return
    if m.get("manifestVersion") != "1.0":
        add("manifest.manifestVersion", 'must be "1.0"')
    pub = m.get("publishingInformation") or {}
    loc = _get(pub, "locales", LOCALE)
    base = f"manifest.publishingInformation.locales.{LOCALE}"
    if not isinstance(loc, dict):
        add("manifest.publishingInformation.locales", f"no {LOCALE} publishing information")
        loc = {}
    for key, limit in (("name", 50), ("summary", 160), ("description", 4000)):
        text = loc.get(key)
        if not isinstance(text, str) or not text.strip():
            add(f"{base}.{key}", f"{key} is missing")
        elif len(text) > limit:
            add(f"{base}.{key}", f"{key} is {len(text)} characters; at most {limit}")
    description = loc.get("description") or ""
    for pattern, what in DISCLAIMER_PARTS:
        if not pattern.search(description):
            add(f"{base}.description", f"the description must say {what} (health skill disclaimer)")
    keywords = loc.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        add(f"{base}.keywords", "no keywords")
    elif len(keywords) > 30 or any(not isinstance(k, str) or not k.strip() for k in keywords):
        add(f"{base}.keywords", "at most 30 keywords, none empty")
    _check_example_phrases(loc.get("examplePhrases"), f"{base}.examplePhrases", lm, add)
    for key, size in ICON_SIZES.items():
        _check_icon(root, loc.get(key), f"{base}.{key}", size, add)
    if not isinstance(pub.get("isAvailableWorldwide"), bool):
        add("manifest.publishingInformation.isAvailableWorldwide", "true or false")
    elif not pub["isAvailableWorldwide"] and not pub.get("distributionCountries"):
        add("manifest.publishingInformation.distributionCountries", "not available worldwide, so list the countries")
    if pub.get("category") not in CATEGORIES:
        add("manifest.publishingInformation.category", f"{pub.get('category')!r} is not an Alexa skill category")
    if not (pub.get("testingInstructions") or "").strip():
        add("manifest.publishingInformation.testingInstructions", "tell the certification testers how to test the skill")
    _check_privacy(m.get("privacyAndCompliance"), add)
    _check_endpoints(m, add)
    permissions = m.get("permissions", [])
    if not isinstance(permissions, list) or any(not isinstance(p, dict) or not p.get("name") for p in permissions):
        add("manifest.permissions", 'a list of {"name": ...}')


_PHRASE = re.compile(r"^alexa,\s+(open|ask|launch)\s+(.*)$")
_CONNECTORS = ("to", "for", "about", "if", "whether")


def _check_example_phrases(phrases, where: str, lm, add) -> None:
    if not isinstance(phrases, list) or not phrases:
        add(where, "give one to three example phrases")
        return
    if len(phrases) > MAX_EXAMPLE_PHRASES:
        add(where, f"{len(phrases)} example phrases; at most {MAX_EXAMPLE_PHRASES}")
    invocation = (lm or {}).get("invocationName") or ""
    seen = set()
    for k, phrase in enumerate(phrases):
        spot = f"{where}[{k}]"
        if not isinstance(phrase, str):
            add(spot, "not a string")
            continue
        text = " ".join(phrase.strip().rstrip(".?!").split()).lower()
        if text in seen:
            add(spot, f"{phrase!r} is listed twice")
        seen.add(text)
        m = _PHRASE.match(text)
        if not m or not invocation or not (m.group(2) + " ").startswith(invocation + " "):
            add(spot, f'{phrase!r} must start with "Alexa, open|ask|launch {invocation}"')
            continue
        verb, rest = m.group(1), m.group(2)[len(invocation) :].strip()
        if verb in ("open", "launch"):
            if rest:
                add(spot, f'{phrase!r}: nothing may follow "{verb} {invocation}"')
            continue
        if not rest:
            add(spot, f'{phrase!r}: say what to ask after "ask {invocation}"')
            continue
        candidates = [rest]
        first, _, remainder = rest.partition(" ")
        if first in _CONNECTORS and remainder:
            candidates.append(remainder)
        if not any(_matching_intent(lm, c) for c in candidates):
            add(spot, f'{phrase!r}: "{rest}" is not a sample utterance of any intent of the model')


def _matching_intent(lm, text: str) -> str | None:
    """The intent one of whose samples says ``text`` (slots filled by their values), or None."""
    if not lm:
        return None
    types = _custom_types(lm)
    for _, intent in _intents(lm):
        slot_types = {s.get("name"): s.get("type") for s in intent.get("slots") or [] if isinstance(s, dict)}
        for sample in intent.get("samples") or []:
            if isinstance(sample, str) and _sample_matches(sample, slot_types, types, text):
                return intent.get("name")
    return None


def _sample_matches(sample: str, slot_types: dict, types: dict, text: str) -> bool:
    parts = []
    for token in sample.split():
        slot = _SLOT.fullmatch(token)
        if not slot:
            parts.append(re.escape(token.lower()))
            continue
        kind = slot_types.get(slot.group(1))
        if kind in types:
            phrases = sorted({" ".join(p.lower().split()) for p in _type_phrases(types[kind])}, key=len, reverse=True)
            parts.append("(?:" + "|".join(re.escape(p) for p in phrases) + ")" if phrases else "(?!)")
        else:
            parts.append(r"\S+(?: \S+){0,5}")
    return re.fullmatch(" ".join(parts), " ".join(text.lower().split())) is not None


def _placeholder_url(url: str) -> bool:
    host = re.sub(r"^https?://", "", url, flags=re.I).split("/")[0].split(":")[0]
    return bool(PLACEHOLDER_HOSTS.search(host)) or not host


def _check_icon(root: Path, uri, where: str, size: int, add) -> None:
    if not uri:
        add(where, f"no icon: certification needs a {size}x{size} PNG", "submission")
        return
    if not isinstance(uri, str):
        add(where, "not a string")
        return
    if uri.startswith("https://"):
        if _placeholder_url(uri):
            add(where, f"{uri} is a placeholder: certification needs a real {size}x{size} PNG", "submission")
        return
    if not uri.startswith("file://"):
        add(where, f'{uri!r}: an https:// URL or "file://{ASSETS_DIR}/..." inside the skill package')
        return
    relative = uri[len("file://") :]
    if not relative.startswith(ASSETS_DIR + "/") or ".." in relative.split("/"):
        add(where, f"{uri}: icons of the skill package live under {ASSETS_DIR}/")
        return
    path = root / relative
    if not path.is_file():
        add(where, f"{relative} is not there yet: add a {size}x{size} PNG (see DEPLOY.md)", "submission")
        return
    dims = _png_size(path)
    if dims is None:
        add(where, f"{relative} is not a PNG file")
    elif dims != (size, size):
        add(where, f"{relative} is {dims[0]}x{dims[1]}; certification needs {size}x{size}")


def _png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _check_privacy(privacy, add) -> None:
    where = "manifest.privacyAndCompliance"
    if not isinstance(privacy, dict):
        add(where, "no privacyAndCompliance")
        return
    for key in ("allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds"):
        if not isinstance(privacy.get(key), bool):
            add(f"{where}.{key}", "true or false")
    if privacy.get("isExportCompliant") is not True:
        add(f"{where}.isExportCompliant", "must be true to publish")
    if privacy.get("isChildDirected") is True:
        add(f"{where}.isChildDirected", "a recovery skill for adults is not child-directed")
    urls = _get(privacy, "locales", LOCALE) or {}
    for key in ("privacyPolicyUrl", "termsOfUseUrl"):
        url = urls.get(key)
        spot = f"{where}.locales.{LOCALE}.{key}"
        if not url:
            if key == "privacyPolicyUrl" and privacy.get("usesPersonalInfo"):
                add(spot, "usesPersonalInfo is true (we store the surgery date), so a privacy policy URL is required")
            continue
        if not isinstance(url, str) or not url.startswith("https://"):
            add(spot, f"{url!r}: an https:// URL")
        elif _placeholder_url(url):
            add(spot, f"{url} is a placeholder: publish the page and put its real address here", "submission")


def _check_endpoints(m: dict, add) -> None:
    custom = _get(m, "apis", "custom")
    if not isinstance(custom, dict):
        add("manifest.apis.custom", "no custom skill API")
    else:
        _check_endpoint(custom.get("endpoint"), "manifest.apis.custom.endpoint", add)
        if not isinstance(custom.get("interfaces", []), list):
            add("manifest.apis.custom.interfaces", "a list")
    events = m.get("events")
    if not isinstance(events, dict):
        add("manifest.events", "no events: subscribe to SKILL_DISABLED, so a person's data goes when they disable the skill")
        return
    _check_endpoint(events.get("endpoint"), "manifest.events.endpoint", add)
    names = []
    for k, sub in enumerate(events.get("subscriptions") or []):
        name = (sub or {}).get("eventName")
        names.append(name)
        if name not in SKILL_EVENTS:
            add(f"manifest.events.subscriptions[{k}].eventName", f"{name!r} is not a skill event")
    for name in REQUIRED_EVENTS:
        if name not in names:
            add(
                "manifest.events.subscriptions",
                f"{name} is not subscribed: the skill deletes a person's data when they disable it",
            )


def _check_endpoint(endpoint, where: str, add) -> None:
    uri = (endpoint or {}).get("uri") if isinstance(endpoint, dict) else None
    if not uri:
        add(where, "no endpoint uri")
        return
    if uri.startswith("arn:"):
        if not LAMBDA_ARN.match(uri):
            add(f"{where}.uri", f"{uri!r} is not a Lambda function ARN")
        return
    if not uri.startswith("https://"):
        add(f"{where}.uri", f"{uri!r}: a Lambda ARN or an https:// URL (Alexa calls web services on 443 only)")
        return
    port = re.match(r"https://[^/:]+:(\d+)", uri)
    if port and port.group(1) != "443":
        add(f"{where}.uri", f"{uri}: Alexa calls HTTPS endpoints on port 443 only")
    if endpoint.get("sslCertificateType") not in SSL_CERTIFICATE_TYPES:
        add(f"{where}.sslCertificateType", f"an HTTPS endpoint needs sslCertificateType: {', '.join(sorted(SSL_CERTIFICATE_TYPES))}")
    if _placeholder_url(uri):
        add(f"{where}.uri", f"{uri} is a placeholder host", "submission")


# ------------------------------------------------------------------ ask-resources.json


def _check_resources(root: Path, report: _Report) -> None:
    resources = _load_json(root, RESOURCES_FILE, report)
    if not isinstance(resources, dict):
        return

    def add(path, message):
        report.add(RESOURCES_FILE, path, message)

    if resources.get("askcliResourcesVersion") != "2020-03-31":
        add("askcliResourcesVersion", 'ASK CLI v2 reads "2020-03-31"')
    profile = _get(resources, "profiles", "default")
    if not isinstance(profile, dict):
        add("profiles.default", "no default profile")
        return
    if not _get(profile, "skillMetadata", "src"):
        add("profiles.default.skillMetadata.src", "where the skill package is")
    if not _get(profile, "code", "default", "src"):
        add("profiles.default.code.default.src", "where the Lambda code is")
    infra = profile.get("skillInfrastructure") or {}
    config = infra.get("userConfig") or {}
    where = "profiles.default.skillInfrastructure.userConfig"
    if infra.get("type") == "@ask-cli/lambda-deployer":
        if config.get("runtime") not in LAMBDA_RUNTIMES:
            add(f"{where}.runtime", f"{config.get('runtime')!r}: one of {', '.join(sorted(LAMBDA_RUNTIMES))}")
        module, _, function = (config.get("handler") or "").rpartition(".")
        source = root / LAMBDA_DIR / f"{module}.py"
        if not module or not source.is_file():
            add(f"{where}.handler", f"{config.get('handler')!r}: no {LAMBDA_DIR}/{module}.py")
        elif function not in _assigned_names(source):
            add(f"{where}.handler", f"{LAMBDA_DIR}/{module}.py defines no {function}")
        variables = _get(config, "lambda", "environmentVariables") or {}
        if "AWS_REGION" in variables:
            add(f"{where}.lambda.environmentVariables.AWS_REGION", "reserved by Lambda, which sets it itself")


def _assigned_names(source: Path) -> set[str]:
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


# ------------------------------------------------------------------ content


def _check_content(root: Path, recovery, triage, lm, report: _Report) -> None:
    article_path = root / ARTICLE_FILE
    if not article_path.is_file():
        report.add(ARTICLE_FILE, "", "file is missing")
        article = None
    else:
        article = " ".join(article_path.read_text(encoding="utf-8").split())
    intents = _intent_names(lm)
    custom = {n for n in intents if not n.startswith("AMAZON.")}

    def sources(file, where, spec):
        listed = (spec or {}).get("sources")
        if listed is None:
            return
        if not isinstance(listed, list):
            report.add(file, f"{where}sources", "a list of the article's sentences")
            return
        for k, sentence in enumerate(listed):
            if article is not None and " ".join(str(sentence).split()) not in article:
                report.add(file, f"{where}sources[{k}]", f"{sentence!r} does not stand word for word in {ARTICLE_FILE}")

    topics = (recovery or {}).get("topics") if isinstance(recovery, dict) else None
    if recovery is not None and not isinstance(topics, dict):
        report.add(RECOVERY_FILE, "topics", "no topics")
    seen_intents: dict[str, str] = {}
    for key, spec in (topics or {}).items():
        where = f"topics.{key}"
        if not isinstance(spec, dict):
            report.add(RECOVERY_FILE, where, "not a topic")
            continue
        intent = spec.get("intent")
        if not intent:
            report.add(RECOVERY_FILE, f"{where}.intent", "no intent")
        elif lm is not None and intent not in custom:
            report.add(RECOVERY_FILE, f"{where}.intent", f"{intent} is not an intent of {MODEL_FILE}")
        if intent in seen_intents:
            report.add(RECOVERY_FILE, f"{where}.intent", f"{intent} also answers topics.{seen_intents[intent]}")
        seen_intents.setdefault(intent, key)
        for part in ("answer", "more"):
            text = spec.get(part)
            if part == "answer" and not (text or "").strip():
                report.add(RECOVERY_FILE, f"{where}.answer", "no answer")
            if text:
                for message in _ssml_of_text(text):
                    report.add(RECOVERY_FILE, f"{where}.{part}", message)
        if not spec.get("sources"):
            report.add(RECOVERY_FILE, f"{where}.sources", "every topic rests on sentences of the article")
        sources(RECOVERY_FILE, f"{where}.", spec)
    report.stats["topics"] = len(topics or {})
    if isinstance(recovery, dict):
        sources(RECOVERY_FILE, "timing.", recovery.get("timing"))
        for key, text in (recovery.get("phrases") or {}).items():
            for message in _ssml_of_text(str(text)):
                report.add(RECOVERY_FILE, f"phrases.{key}", message)
    if isinstance(triage, dict):
        answers = triage.get("answers") if isinstance(triage.get("answers"), dict) else {}
        families = triage.get("families") if isinstance(triage.get("families"), dict) else {}
        if not answers:
            report.add(TRIAGE_FILE, "answers", "no answers: the skill has nothing to say to a symptom")
        if not families:
            report.add(TRIAGE_FILE, "families", "no red-flag families: the skill cannot sort a symptom")
        # What the skill fills in where the words have braces, so the spoken result is checked.
        filled = {"symptom_sentence": "You mentioned tingling.", "fact": "Some soreness is common.",
                  "what": "chest pain"}
        for kind, spec in answers.items():
            if isinstance(spec, dict):
                sources(TRIAGE_FILE, f"answers.{kind}.", spec)
                texts = {f"answers.{kind}.{part}": v for part, v in spec.items() if isinstance(v, str)}
            else:
                texts = {f"answers.{kind}": str(spec)}
            for where, text in texts.items():
                text = re.sub(r"\{(\w+)\}", lambda m: filled.get(m.group(1), m.group(0)), text)
                for message in _ssml_of_text(text):
                    report.add(TRIAGE_FILE, where, message)
        type_ids = {
            name: {(v or {}).get("id") for v in (spec.get("values") or [])}
            for name, spec in (_custom_types(lm).items() if lm else [])
        }
        all_ids = set().union(*type_ids.values()) if type_ids else set()
        listed: set[str] = set()
        for key, family in families.items():
            where = f"families.{key}"
            if not isinstance(family, dict):
                report.add(TRIAGE_FILE, where, "not a red-flag family")
                continue
            if family.get("fact"):
                for message in _ssml_of_text(str(family["fact"])):
                    report.add(TRIAGE_FILE, f"{where}.fact", message)
            source = " ".join(str(family.get("source") or "").split())
            if not family.get("not_in_article") and article is not None and source not in article:
                report.add(TRIAGE_FILE, f"{where}.source",
                           f"{source!r} does not stand word for word in {ARTICLE_FILE} (a public source needs not_in_article)")
            for k, vid in enumerate(family.get("ids") or []):
                listed.add(vid)
                if lm is not None and vid not in all_ids:
                    report.add(TRIAGE_FILE, f"{where}.ids[{k}]", f"{vid} is not a slot value id of {MODEL_FILE}")
        if lm is not None and listed:
            for t, spec in enumerate(lm.get("types") or []):
                values = (spec or {}).get("values") or []
                if not {(v or {}).get("id") for v in values} & listed:
                    continue  # a type the triage does not sort
                for v, value in enumerate(values):
                    if (value or {}).get("id") not in listed:
                        report.add(
                            MODEL_FILE,
                            f"{LM}.types[{t}].values[{v}].id",
                            f"{(value or {}).get('id')} is in no red-flag family of {TRIAGE_FILE}, so it has no "
                            "triage level: the skill cannot sort it",
                        )


def _ssml_of_text(text: str) -> list[str]:
    """Problems of the SSML the skill makes of one piece of text (skill.speech.ssml)."""
    from skill import speech

    try:
        doc = speech.ssml(" ".join(text.split()))
    except ValueError as exc:
        return [f"SSML: {exc}"]
    return _ssml_problems(doc)


def _ssml_problems(doc: str) -> list[str]:
    found = []
    if len(doc) > MAX_SSML:
        found.append(f"SSML is {len(doc)} characters; Alexa speaks at most {MAX_SSML}")
    try:
        root = ET.fromstring(doc if doc.lstrip().startswith("<speak") else f"<speak>{doc}</speak>")
    except ET.ParseError as exc:
        found.append(f"SSML is not well-formed XML: {exc}")
        return found
    if root.tag != "speak":
        found.append(f"SSML root is <{root.tag}>, not <speak>")
    return found


# ------------------------------------------------------------------ handler code


def _check_handler_code(root: Path, lm, report: _Report) -> None:
    """Every intent name written in handlers.py must be an intent of the model."""
    path = root / HANDLERS_FILE
    if not path.is_file():
        report.add(HANDLERS_FILE, "", "file is missing")
        return
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError as exc:
        report.add(HANDLERS_FILE, f"line {exc.lineno}", f"syntax error: {exc.msg}")
        return
    if lm is None:
        return
    names = _intent_names(lm)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _INTENT_LITERAL.match(node.value):
            if node.value not in names:
                report.add(
                    HANDLERS_FILE,
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

        @staticmethod
        def _key(request_envelope):
            return request_envelope.context.system.user.user_id

        def get_attributes(self, request_envelope):
            return copy.deepcopy(self.records.get(self._key(request_envelope), {}))

        def save_attributes(self, request_envelope, attributes):
            self.records[self._key(request_envelope)] = copy.deepcopy(dict(attributes))

        def delete_attributes(self, request_envelope):
            self.records.pop(self._key(request_envelope), None)

    return MemoryAdapter


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _slot_variants(intent: dict, types: dict) -> list[tuple[str, list[dict]]]:
    """(label, slots) requests that exercise an intent: no value, then typical values of each slot."""
    from skill.simulator import envelopes

    declared = [(s.get("name"), s.get("type")) for s in intent.get("slots") or [] if isinstance(s, dict)]
    if not declared:
        return [("", [])]

    def request(filled: dict[str, dict]):
        return [filled.get(name) or envelopes.slot(name) for name, _ in declared]

    variants = [("no slot value", request({}))]
    for name, kind in declared:
        if kind in types:
            for value in (types[kind].get("values") or [])[:200]:
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


def _run_skill(lm: dict, model: dict, report: _Report) -> None:
    """Send the real skill a request for every intent of the model and check every answer."""
    try:
        from skill import clock, speech
        from skill.builder import skill_builder
        from skill.simulator import envelopes
        from skill.simulator.session import LocalSettingsApi
    except Exception as exc:  # the skill itself cannot load: say so instead of crashing validate
        report.add(HANDLERS_FILE, "", f"the skill cannot be loaded: {type(exc).__name__}: {exc}")
        return
    MemoryAdapter = _memory_adapter_class()
    types = _custom_types(lm)
    dialog_intents = {(d or {}).get("name") for d in (_get(model, "interactionModel", "dialog", "intents") or [])}
    surgery = (_NOW - timedelta(days=10)).date().isoformat()
    stores = (("nothing stored", {}), ("surgery date stored", {_USER: {"surgery_date": surgery}}))
    common = dict(user_id=_USER, device_id=_DEVICE, skill_id=envelopes.SKILL_ID)
    log = logging.getLogger("skill")
    captured = _Captured()
    saved = (log.propagate, log.level)
    log.addHandler(captured)
    log.propagate = False
    log.setLevel(logging.WARNING)
    requests = 0
    reported: set[tuple] = set()

    def send(event, file, where, label, store, expect_speech):
        nonlocal requests
        requests += 1
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
            found += _response_problems(response, expect_speech, speech)
        for kind, message in found:
            key = (file, where, kind)
            if key not in reported:
                reported.add(key)
                report.add(file, where, f"{label}: {message}")
        return response

    try:
        for i, intent in _intents(lm):
            name = intent.get("name")
            if not name:
                continue
            where = f"{LM}.intents[{i}]"
            for store_label, records in stores:
                for slot_label, slots in _slot_variants(intent, types):
                    event = envelopes.intent(
                        name,
                        slots,
                        now=_NOW,
                        dialog_state="STARTED" if name in dialog_intents else None,
                        **common,
                    )
                    label = f"{name}" + (f" ({slot_label})" if slot_label else "") + f", {store_label}"
                    send(event, MODEL_FILE, where, label, MemoryAdapter(records), expect_speech=True)
        for store_label, records in stores:
            send(envelopes.launch(now=_NOW, **common), HANDLERS_FILE, "LaunchRequest", f"launch, {store_label}",
                 MemoryAdapter(records), expect_speech=True)
        send(envelopes.session_ended(now=_NOW, **common), HANDLERS_FILE, "SessionEndedRequest",
             "session ended", MemoryAdapter(), expect_speech=False)
        send(envelopes.skill_event("AlexaSkillEvent.SkillEnabled", now=_NOW, **common), HANDLERS_FILE,
             "AlexaSkillEvent.SkillEnabled", "skill enabled", MemoryAdapter(), expect_speech=False)
        store = MemoryAdapter(stores[1][1])
        send(envelopes.skill_event("AlexaSkillEvent.SkillDisabled", now=_NOW, **common), HANDLERS_FILE,
             "AlexaSkillEvent.SkillDisabled", "skill disabled", store, expect_speech=False)
        if store.records.get(_USER):
            report.add(HANDLERS_FILE, "AlexaSkillEvent.SkillDisabled",
                       "the person's stored data is still there after they disabled the skill")
        failure = envelopes.envelope(
            {
                "type": "System.ExceptionEncountered",
                "requestId": "amzn1.echo-api.request.validate",
                "timestamp": envelopes.timestamp(_NOW),
                "locale": LOCALE,
                "error": {"type": "INVALID_RESPONSE", "message": "validate"},
                "cause": {"requestId": "amzn1.echo-api.request.earlier"},
            },
            with_session=False,
            **common,
        )
        send(failure, HANDLERS_FILE, "System.ExceptionEncountered", "exception encountered", MemoryAdapter(),
             expect_speech=False)
    finally:
        log.removeHandler(captured)
        log.propagate, level = saved
        log.setLevel(level)
        clock._zone_cache.pop(_DEVICE, None)
    report.stats["requests"] = requests


def _response_problems(response: dict, expect_speech: bool, speech) -> list[tuple[str, str]]:
    found = []
    size = len(json.dumps(response, separators=(",", ":")).encode("utf-8"))
    if size > MAX_RESPONSE_BYTES:
        found.append(("size", f"the response is {size} bytes; Alexa takes at most {MAX_RESPONSE_BYTES}"))
    body = response.get("response") or {}
    outputs = [("speech", _get(body, "outputSpeech")), ("reprompt", _get(body, "reprompt", "outputSpeech"))]
    said = ""
    for part, output in outputs:
        if not output:
            continue
        doc = output.get("ssml") if output.get("type") == "SSML" else None
        if doc is None:
            continue
        if part == "speech":
            said = speech.strip_tags(doc)
        for message in _ssml_problems(doc):
            found.append((f"ssml-{part}", f"{part}: {message}"))
    if expect_speech and not said.strip():
        found.append(("speech", "no speech in the answer"))
    if APOLOGY in said.lower():
        found.append(("apology", f'the skill apologised ("{said[:80]}"): no handler answered, or one failed'))
    return found


# ------------------------------------------------------------------ the ASK CLI skill package


def deployed_lambda_arn(root: Path) -> str | None:
    """The Lambda ARN the ASK CLI recorded after a deploy (.ask/ask-states.json), if any."""
    path = root / ASK_STATES_FILE
    if not path.is_file():
        return None
    try:
        states = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    infra = _get(states, "profiles", "default", "skillInfrastructure") or {}
    for kind in ("@ask-cli/lambda-deployer", *infra):
        arn = _get(infra, kind, "deployState", "default", "lambda", "arn")
        if isinstance(arn, str) and LAMBDA_ARN.match(arn):
            return arn
    return None


def build_skill_package(root: Path, out: Path) -> list[str]:
    """Assemble the skill package the ASK CLI deploys (``skillMetadata.src``) into ``out``.

    out/skill.json                              from skill.json
    out/interactionModels/custom/en-US.json     from interaction_model/en-US.json
    out/assets/images/...                       the icons skill.json names as file://assets/images/...

    A Lambda endpoint with the placeholder account (000000000000) becomes the deployed
    function's ARN when .ask/ask-states.json knows it. Before the first deploy it is left
    out, so SMAPI does not refuse a function that does not exist: the ASK CLI's
    lambda-deployer fills ``apis.custom.endpoint`` itself, and the ``events`` block comes
    back (with the real ARN) on the next ``make skill-package && ask deploy``. Icons that
    are not there yet are left out too (fine for development, not for certification).
    Returns notes on what was changed, for the person running it.
    """
    root, out = Path(root), Path(out)
    manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
    m = manifest["manifest"]
    notes = []
    arn = deployed_lambda_arn(root)
    for where, holder in (("apis.custom", _get(m, "apis", "custom")), ("events", m.get("events"))):
        uri = _get(holder, "endpoint", "uri")
        if not (isinstance(uri, str) and uri.startswith("arn:") and f":{PLACEHOLDER_ACCOUNT}:" in uri):
            continue
        if arn:
            holder["endpoint"]["uri"] = arn
            notes.append(f"{where}.endpoint: {arn} (from {ASK_STATES_FILE})")
        elif where == "events":
            del m["events"]
            notes.append("events: left out until the first deploy has made the Lambda function")
        else:
            del holder["endpoint"]
            notes.append(f"{where}.endpoint: left for ask deploy to fill in (no Lambda function yet)")
    if out.exists():
        shutil.rmtree(out)
    (out / "interactionModels" / "custom").mkdir(parents=True)
    shutil.copyfile(root / MODEL_FILE, out / "interactionModels" / "custom" / f"{LOCALE}.json")
    for locale, info in (_get(m, "publishingInformation", "locales") or {}).items():
        for key in ICON_SIZES:
            uri = (info or {}).get(key)
            if not (isinstance(uri, str) and uri.startswith("file://")):
                continue
            relative = uri[len("file://") :]
            source = root / relative
            if source.is_file():
                (out / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, out / relative)
            else:
                del info[key]
                notes.append(f"{locale}.{key}: {relative} is not there yet, so the package has no such icon")
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return notes


def _main(argv: list[str]) -> int:
    if argv[:1] == ["package"]:
        root = project_root()
        out = Path(argv[1]) if len(argv) > 1 else root / "build" / "skill-package"
        for note in build_skill_package(root, out):
            print(f"skill-package: {note}")
        print(f"skill-package: wrote {out}")
        return 0
    if argv:
        print("usage: python -m skill.validate [package [OUT]]", file=sys.stderr)
        return 2
    return run(None)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
