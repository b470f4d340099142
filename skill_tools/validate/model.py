"""An interaction model (interaction_model/<locale>.json): every rule Alexa applies to it.

Invocation name, intents, slots, sample utterances (and near-duplicates across
intents), custom slot types, dialog and prompts. New rules for samples go here.
"""
from __future__ import annotations

import re
from functools import partial

from skill_tools.validate.duplicates import check_duplicates
from skill_tools.validate.project import LM, MODEL_FILE, SLOT, Report
from skill_tools.validate.ssml import ssml_problems

MIN_SAMPLES = 15

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

# Sample utterances: words, initials ("v. c. f."), {slots}; nothing else.
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*'?", re.I)
_INITIAL = re.compile(r"[a-z]\.", re.I)
_INTENT_NAME = re.compile(r"^[A-Za-z_]+$")
_SLOT_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")

def language_model(model, report: Report, file: str = MODEL_FILE):
    if model is None:
        return None
    lm = (model.get("interactionModel") or {}).get("languageModel") if isinstance(model, dict) else None
    if not isinstance(lm, dict):
        report.add(file, LM, "no languageModel")
        return None
    if not isinstance(lm.get("intents"), list):
        report.add(file, f"{LM}.intents", "no intents list")
        return None
    return lm


def indexed_intents(lm) -> list[tuple[int, dict]]:
    return [(i, it) for i, it in enumerate(lm.get("intents") or []) if isinstance(it, dict)]


def intent_names(lm) -> set[str]:
    return {it.get("name") for _, it in indexed_intents(lm) if it.get("name")} if lm else set()


def custom_types(lm) -> dict[str, dict]:
    return {t.get("name"): t for t in (lm.get("types") or []) if isinstance(t, dict) and t.get("name")}


def type_phrases(type_spec: dict) -> list[str]:
    """Every value and synonym of a custom slot type."""
    phrases = []
    for value in type_spec.get("values") or []:
        name = (value or {}).get("name") or {}
        if name.get("value"):
            phrases.append(name["value"])
        phrases += [s for s in name.get("synonyms") or [] if isinstance(s, str)]
    return phrases


def check_model(model: dict, lm: dict, report: Report, file: str = MODEL_FILE) -> None:
    """Every rule, each problem reported against ``file`` (the model's name in the report)."""
    add = partial(report.add, file)
    _check_invocation(lm.get("invocationName"), add)
    types = custom_types(lm)
    names: dict[str, int] = {}
    sample_count = 0
    for i, intent in indexed_intents(lm):
        where = f"{LM}.intents[{i}]"
        name = intent.get("name") or ""
        if not name:
            add(where, "intent without a name")
            continue
        if name in names:
            add(f"{where}.name", f"{name} is declared twice (also intents[{names[name]}])")
        names.setdefault(name, i)
        builtin = name.startswith("AMAZON.")
        if not builtin and not _INTENT_NAME.match(name):
            add(f"{where}.name", f"intent name {name!r}: letters and underscores only")
        samples = intent.get("samples") or []
        sample_count += len(samples)
        if not builtin and len(samples) < MIN_SAMPLES:
            add(f"{where}.samples", f"{name} has {len(samples)} samples; give it at least {MIN_SAMPLES}")
        if name == "AMAZON.FallbackIntent" and samples:
            add(f"{where}.samples", "AMAZON.FallbackIntent cannot have sample utterances")
        slots = _check_slots(intent, where, types, add)
        for j, sample in enumerate(samples):
            _check_sample(sample, f"{where}.samples[{j}]", slots, add)
        for k, slot in enumerate(intent.get("slots") or []):
            for j, sample in enumerate((slot or {}).get("samples") or []):
                _check_sample(sample, f"{where}.slots[{k}].samples[{j}]", slots, add, slot_sample=True)
    for builtin in REQUIRED_BUILTINS:
        if builtin not in names:
            add(f"{LM}.intents", f"required built-in intent {builtin} is missing")
    check_duplicates([(i, intent.get("name"), j, sample) for i, intent in indexed_intents(lm)
                      for j, sample in enumerate(intent.get("samples") or [])], add)
    _check_types(lm, add)
    _check_dialog(model, lm, add)
    report.stats.setdefault("intents", len(names))   # the first model's: every locale has the same intents
    report.stats["samples"] = report.stats.get("samples", 0) + sample_count


def _check_invocation(name, add) -> None:
    where = f"{LM}.invocationName"
    if not isinstance(name, str) or not name.strip():
        add(where, "no invocation name")
        return
    words = name.split()
    if name != " ".join(words):
        add(where, f"invocation name {name!r}: single spaces between words, none around them")
    if len(words) < 2:
        add(where, f"invocation name {name!r}: two or more words")
    if name != name.lower():
        add(where, f"invocation name {name!r}: lower case only")
    for word in words:
        if not (re.fullmatch(r"[a-z]+('s|')?", word) or re.fullmatch(r"[a-z]\.", word)):
            add(where, f"invocation name word {word!r}: letters only (possessive apostrophes and initials like 'a.' allowed)")
        if word.lower().strip(".'") in INVOCATION_FORBIDDEN_WORDS:
            add(where, f"invocation name contains {word!r}: no wake word or launch phrase")


def _check_slots(intent: dict, where: str, types: dict, add) -> dict[str, str]:
    """Slot name -> type of the intent; problems with the declarations."""
    slots: dict[str, str] = {}
    for k, slot in enumerate(intent.get("slots") or []):
        spot = f"{where}.slots[{k}]"
        name = (slot or {}).get("name") or ""
        kind = (slot or {}).get("type") or ""
        if not _SLOT_NAME.match(name):
            add(f"{spot}.name", f"slot name {name!r}: a letter, then letters and underscores")
        if name in slots:
            add(f"{spot}.name", f"slot {name} is declared twice on {intent.get('name')}")
        slots[name] = kind
        if not kind:
            add(f"{spot}.type", f"slot {name} has no type")
        elif kind.startswith("AMAZON."):
            if kind not in BUILTIN_SLOT_TYPES:
                add(f"{spot}.type", f"{kind} is not a built-in slot type this skill allows (BUILTIN_SLOT_TYPES)")
        elif kind not in types:
            add(f"{spot}.type", f"slot type {kind} is not declared in {LM}.types")
    if sum(1 for kind in slots.values() if kind == "AMAZON.SearchQuery") > 1:
        add(f"{where}.slots", "at most one AMAZON.SearchQuery slot per intent")
    return slots


def _check_sample(sample, where: str, slots: dict[str, str], add, slot_sample: bool = False) -> None:
    if not isinstance(sample, str) or not sample.strip():
        add(where, "empty sample")
        return
    if sample != " ".join(sample.split()):
        add(where, f"{sample!r}: single spaces between words, none around them")
    seen: set[str] = set()
    tokens = sample.split()
    for token in tokens:
        slot = SLOT.fullmatch(token)
        if slot:
            name = slot.group(1)
            if name not in slots:
                add(where, f"{sample!r}: slot {{{name}}} is not declared on this intent")
            if name in seen:
                add(where, f"{sample!r}: slot {{{name}}} appears twice")
            seen.add(name)
            continue
        if _WORD.fullmatch(token) or _INITIAL.fullmatch(token):
            continue
        if re.search(r"\d", token):
            add(where, f"{sample!r}: digits in {token!r}; spell numbers out")
        elif "{" in token or "}" in token:
            add(where, f"{sample!r}: {token!r}: a slot must stand alone as {{name}}, with spaces around it")
        else:
            add(
                where,
                f"{sample!r}: {token!r}: only letters, apostrophes, periods in initials and hyphens inside words",
            )
    search = [t for t in tokens if (m := SLOT.fullmatch(t)) and slots.get(m.group(1)) == "AMAZON.SearchQuery"]
    if search and len(tokens) == len(search) and not slot_sample:
        add(where, f"{sample!r}: an AMAZON.SearchQuery slot needs carrier words around it")
    if search and len([t for t in tokens if SLOT.fullmatch(t)]) > 1:
        add(where, f"{sample!r}: a sample with an AMAZON.SearchQuery slot takes no other slot")


def _check_types(lm: dict, add) -> None:
    seen_types: set[str] = set()
    for t, spec in enumerate(lm.get("types") or []):
        where = f"{LM}.types[{t}]"
        name = (spec or {}).get("name")
        if not name:
            add(where, "slot type without a name")
            continue
        if name in seen_types:
            add(f"{where}.name", f"slot type {name} is declared twice")
        seen_types.add(name)
        ids: dict[str, int] = {}
        owner: dict[str, tuple[int, str]] = {}  # phrase -> (value index, id)
        for v, value in enumerate((spec or {}).get("values") or []):
            spot = f"{where}.values[{v}]"
            value = value or {}
            vid = value.get("id")
            if not vid:
                add(spot, f"value of {name} without an id")
            elif vid in ids:
                add(f"{spot}.id", f"id {vid} is used twice in {name} (also values[{ids[vid]}])")
            ids.setdefault(vid or "", v)
            text = (value.get("name") or {}).get("value")
            if not text:
                add(f"{spot}.name.value", f"value of {name} without a name")
            phrases = [(f"{spot}.name.value", text)] if text else []
            phrases += [
                (f"{spot}.name.synonyms[{s}]", syn)
                for s, syn in enumerate((value.get("name") or {}).get("synonyms") or [])
            ]
            mine: set[str] = set()
            for spot_phrase, phrase in phrases:
                key = " ".join(str(phrase).lower().split())
                if key in mine:
                    add(spot_phrase, f"{phrase!r} is listed twice for {vid}")
                    continue
                mine.add(key)
                if key in owner and owner[key][0] != v:
                    add(
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
            add(where, "prompt without an id")
            continue
        if pid in prompt_ids:
            add(f"{where}.id", f"prompt id {pid} is used twice")
        prompt_ids.setdefault(pid, p)
        variations = (prompt or {}).get("variations") or []
        if not variations:
            add(f"{where}.variations", f"prompt {pid} has no variations")
        for v, variation in enumerate(variations):
            spot = f"{where}.variations[{v}]"
            kind, value = (variation or {}).get("type"), (variation or {}).get("value")
            if kind not in ("PlainText", "SSML"):
                add(f"{spot}.type", f"variation type {kind!r}: PlainText or SSML")
            if not value:
                add(f"{spot}.value", "empty prompt")
            elif kind == "SSML":
                for message in ssml_problems(value):
                    add(f"{spot}.value", message)
    used: set[str] = set()
    if dialog:
        intents = {it.get("name"): it for _, it in indexed_intents(lm)}
        strategy = dialog.get("delegationStrategy")
        if strategy is not None and strategy not in ("ALWAYS", "SKILL_RESPONSE"):
            add("interactionModel.dialog.delegationStrategy", f"{strategy!r}: ALWAYS or SKILL_RESPONSE")
        for d, spec in enumerate(dialog.get("intents") or []):
            where = f"interactionModel.dialog.intents[{d}]"
            name = (spec or {}).get("name")
            intent = intents.get(name)
            if intent is None:
                add(f"{where}.name", f"dialog intent {name} is not in the language model")
                declared = {}
            else:
                declared = {s.get("name"): s.get("type") for s in intent.get("slots") or [] if isinstance(s, dict)}
            strategy = (spec or {}).get("delegationStrategy")
            if strategy is not None and strategy not in ("ALWAYS", "SKILL_RESPONSE"):
                add(f"{where}.delegationStrategy", f"{strategy!r}: ALWAYS or SKILL_RESPONSE")
            refs = [(f"{where}.prompts.{k}", v) for k, v in ((spec or {}).get("prompts") or {}).items()]
            for k, slot in enumerate((spec or {}).get("slots") or []):
                spot = f"{where}.slots[{k}]"
                sname = (slot or {}).get("name")
                if intent is not None and sname not in declared:
                    add(f"{spot}.name", f"dialog slot {sname} is not a slot of {name} in the language model")
                elif intent is not None and (slot or {}).get("type") != declared[sname]:
                    add(
                        f"{spot}.type",
                        f"dialog slot {sname} has type {(slot or {}).get('type')}; the language model says {declared[sname]}",
                    )
                slot_prompts = (slot or {}).get("prompts") or {}
                refs += [(f"{spot}.prompts.{k2}", v) for k2, v in slot_prompts.items()]
                for r, rule in enumerate((slot or {}).get("validations") or []):
                    if (rule or {}).get("prompt"):
                        refs.append((f"{spot}.validations[{r}].prompt", rule["prompt"]))
                if (slot or {}).get("elicitationRequired") and not slot_prompts.get("elicitation"):
                    add(f"{spot}.prompts", f"slot {sname} needs elicitation but has no elicitation prompt")
                if (slot or {}).get("confirmationRequired") and not slot_prompts.get("confirmation"):
                    add(f"{spot}.prompts", f"slot {sname} needs confirmation but has no confirmation prompt")
            for spot, pid in refs:
                used.add(pid)
                if pid not in prompt_ids:
                    add(spot, f"prompt {pid} is not in interactionModel.prompts")
    for pid, p in prompt_ids.items():
        if pid not in used:
            add(f"interactionModel.prompts[{p}].id", f"prompt {pid} is never used by the dialog")


def check_same_intents(source_lm: dict, lm: dict, report: Report, file: str, source_file: str = MODEL_FILE) -> None:
    """Another locale's model takes the intents and slots of the source model: one set of handlers
    answers every locale, so an intent or slot only one locale has is either never answered or never sent."""
    def shape(model_lm):
        return {it.get("name"): {(s or {}).get("name"): (s or {}).get("type") for s in it.get("slots") or []}
                for _, it in indexed_intents(model_lm) if it.get("name")}

    want, have = shape(source_lm), shape(lm)
    for name in sorted(want.keys() - have.keys()):
        report.add(file, f"{LM}.intents", f"{name} of {source_file} is missing (make content makes this model)")
    for name in sorted(have.keys() - want.keys()):
        report.add(file, f"{LM}.intents", f"{name} is not an intent of {source_file}: no handler of its own")
    for name in sorted(want.keys() & have.keys()):
        if want[name] != have[name]:
            report.add(file, f"{LM}.intents", f"the slots of {name} differ from {source_file}'s")
    if lm.get("invocationName") != source_lm.get("invocationName"):
        report.add(file, f"{LM}.invocationName", f"{lm.get('invocationName')!r}: {source_file} says "
                   f"{source_lm.get('invocationName')!r}; one name in every locale")
