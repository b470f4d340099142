"""The other English locales' interaction models, made from en-US.json and model_locales.yaml.

en-US.json stays the one model edited by hand; each other locale's model (interaction_model/en-GB.json,
en-CA.json, en-AU.json, en-IN.json) is en-US's plus its country's words, so a sample added to en-US
reaches every locale at the next ``make content``. ``interaction_model/`` is a link into the skill
package, so what is written here is what ``ask deploy`` uploads. :mod:`skill_tools.content_build` runs
this (and ``--check`` it); nothing here is read by the running skill.
"""
from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path

from skill import content

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "interaction_model"
SOURCE_LOCALE = "en-US"
DATA = Path(__file__).with_name("model_locales.yaml")


@cache
def _data() -> dict:
    return content.parse_yaml(DATA.read_text(encoding="utf-8"))


def locales() -> tuple[str, ...]:
    """Every locale with an interaction model, the source first."""
    return (SOURCE_LOCALE, *_data()["locales"])


def model_path(locale: str, model_dir: Path | None = None) -> Path:
    return (model_dir or MODEL_DIR) / f"{locale}.json"


def dump(model: dict) -> str:
    """A model as the files hold it (the formatting of en-US.json)."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def _with_replacements(phrase: str, say_also: dict) -> list[str]:
    """The copies of ``phrase`` its country would say: one per replacement of whole words."""
    out = []
    for said, instead in say_also.items():
        pattern = re.compile(r"(?<![\w.'])" + re.escape(said) + r"(?![\w'])")
        if pattern.search(phrase):
            out += [pattern.sub(lambda _m, r=r: r, phrase) for r in instead]
    return out


def _add_samples(intents: list[dict], say_also: dict, extra: dict) -> None:
    """Each intent's samples and slot samples, with the country's copies after them; a copy that is
    already another intent's sample is left out (one sample, one intent)."""
    owner = {s: it["name"] for it in intents for s in it.get("samples", [])}
    for intent in intents:
        name = intent["name"]
        samples = intent.get("samples")
        if samples is not None:
            made = [c for s in samples for c in _with_replacements(s, say_also)] + list(extra.get(name, []))
            for copy_ in made:
                if owner.setdefault(copy_, name) == name and copy_ not in samples:
                    samples.append(copy_)
        elif extra.get(name):
            raise ValueError(f"model_locales.yaml: {name} takes no samples")
        for slot in intent.get("slots", []):
            if "samples" in slot:
                slot["samples"] += [c for s in slot["samples"] for c in _with_replacements(s, say_also)
                                    if c not in slot["samples"]]
                slot["samples"] = list(dict.fromkeys(slot["samples"]))
    unknown = set(extra) - {it["name"] for it in intents}
    if unknown:
        raise ValueError(f"model_locales.yaml: no intent {', '.join(sorted(unknown))} in {SOURCE_LOCALE}.json")


def _add_synonyms(types: list[dict], say_also: dict, extra: dict) -> None:
    """Each slot value's synonyms with the country's copies and extra synonyms; a phrase another value
    of the type already has is left out (Alexa could not tell which was meant)."""
    for spec in types:
        owner = {}
        for value in spec["values"]:
            for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                owner.setdefault(phrase.lower(), value["id"])
        wanted = extra.get(spec["name"], {})
        unknown = set(wanted) - {v["id"] for v in spec["values"]}
        if unknown:
            raise ValueError(f"model_locales.yaml: {spec['name']} has no value {', '.join(sorted(unknown))}")
        for value in spec["values"]:
            name = value["name"]
            phrases = [name["value"], *name.get("synonyms", [])]
            made = [c for p in phrases for c in _with_replacements(p, say_also)] + list(wanted.get(value["id"], []))
            for phrase in made:
                if owner.setdefault(phrase.lower(), value["id"]) == value["id"] and phrase not in phrases:
                    name.setdefault("synonyms", []).append(phrase)
                    phrases.append(phrase)
    unknown = set(extra) - {t["name"] for t in types}
    if unknown:
        raise ValueError(f"model_locales.yaml: no slot type {', '.join(sorted(unknown))} in {SOURCE_LOCALE}.json")


def _set_prompts(prompts: list[dict], wanted: dict) -> None:
    by_id = {p["id"]: p for p in prompts}
    for pid, texts in wanted.items():
        if pid not in by_id:
            raise ValueError(f"model_locales.yaml: no prompt {pid} in {SOURCE_LOCALE}.json")
        by_id[pid]["variations"] = [{"type": "PlainText", "value": t} for t in texts]


def locale_model(source: dict, locale: str) -> dict:
    """The interaction model of ``locale``: the source model with its sets applied in order."""
    data = _data()
    if locale == SOURCE_LOCALE:
        return source
    model = copy.deepcopy(source)
    im = model["interactionModel"]
    lm = im["languageModel"]
    for set_name in data["locales"][locale]:
        spec = data["sets"][set_name]
        say_also = spec.get("say_also", {})
        _add_samples(lm["intents"], say_also, spec.get("samples", {}))
        _add_synonyms(lm.get("types", []), say_also, spec.get("synonyms", {}))
        _set_prompts(im.get("prompts", []), spec.get("prompts", {}))
    return model


def generated(source: dict | None = None, model_dir: Path | None = None) -> dict[Path, str]:
    """Every generated model file and what it must hold, made from ``source`` (default: en-US.json on disk)."""
    if source is None:
        source = json.loads(model_path(SOURCE_LOCALE, model_dir).read_text(encoding="utf-8"))
    return {model_path(loc, model_dir): dump(locale_model(source, loc)) for loc in locales()[1:]}


def stale(source: dict | None = None, model_dir: Path | None = None) -> list[Path]:
    """The generated models that do not hold what ``source`` and model_locales.yaml make."""
    out = []
    for path, text in generated(source, model_dir).items():
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            out.append(path)
    return out


def write(source: dict | None = None, model_dir: Path | None = None) -> list[Path]:
    """Write the generated models that changed; returns their paths."""
    changed = []
    for path, text in generated(source, model_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def emergency_numbers(locale: str) -> tuple[str, ...]:
    """The emergency numbers a locale's store listing must name: those of the countries it is published in
    (model_locales.yaml ``listing``), as skill/content/countries.yaml says them ("112 or 999": both)."""
    countries = _countries()
    said = [countries[code]["says"]["emergency"] for code in _data()["listing"].get(locale, {}).get("countries", ())]
    return tuple(dict.fromkeys(n for words in said for n in words.split(" or ")))


@cache
def _countries() -> dict:
    """skill/content/countries.yaml's countries, read once (validate asks for each listing's numbers)."""
    return content.parse_yaml((content.CONTENT_DIR / "countries.yaml").read_text(encoding="utf-8"))["countries"]
