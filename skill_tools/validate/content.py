"""The content (recovery.yaml, triage.yaml): every fact traced to the article, every word speakable."""
from __future__ import annotations

import re
from pathlib import Path

from skill_tools.validate.model import custom_types, intent_names
from skill_tools.validate.project import ARTICLE_FILE, LM, MODEL_FILE, RECOVERY_FILE, TRIAGE_FILE, Report
from skill_tools.validate.ssml import ssml_of_text

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def check_content(root: Path, recovery, triage, lm, report: Report) -> None:
    article_path = root / ARTICLE_FILE
    if not article_path.is_file():
        report.add(ARTICLE_FILE, "", "file is missing")
        article = None
    else:
        article = " ".join(article_path.read_text(encoding="utf-8").split())
    intents = intent_names(lm)
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
                for message in ssml_of_text(text):
                    report.add(RECOVERY_FILE, f"{where}.{part}", message)
        if not spec.get("sources"):
            report.add(RECOVERY_FILE, f"{where}.sources", "every topic rests on sentences of the article")
        sources(RECOVERY_FILE, f"{where}.", spec)
    report.stats["topics"] = len(topics or {})
    if isinstance(recovery, dict):
        sources(RECOVERY_FILE, "timing.", recovery.get("timing"))
        for key, text in (recovery.get("phrases") or {}).items():
            for message in ssml_of_text(str(text)):
                report.add(RECOVERY_FILE, f"phrases.{key}", message)
    if isinstance(triage, dict):
        _check_triage(triage, article, lm, sources, report)


def _check_triage(triage: dict, article, lm, sources, report: Report) -> None:
    """triage.yaml: its answers speakable and sourced, its families' sources and slot ids real,
    and every slot value of a type it sorts listed by some family."""
    answers = triage.get("answers") if isinstance(triage.get("answers"), dict) else {}
    families = triage.get("families") if isinstance(triage.get("families"), dict) else {}
    if not families:
        report.add(TRIAGE_FILE, "families", "no families")
    texts = [("safety_line", triage.get("safety_line"))]
    for kind, spec in answers.items():
        if isinstance(spec, dict):
            sources(TRIAGE_FILE, f"answers.{kind}.", spec)
            texts += [(f"answers.{kind}.{part}", text) for part, text in spec.items() if isinstance(text, str)]
        else:
            texts.append((f"answers.{kind}", spec))
    for where, text in texts:
        if isinstance(text, str) and text.strip():
            for message in ssml_of_text(_PLACEHOLDER.sub("tingling", text)):
                report.add(TRIAGE_FILE, where, message)
    type_ids = {
        name: {(v or {}).get("id") for v in (spec.get("values") or [])}
        for name, spec in (custom_types(lm).items() if lm else [])
    }
    all_ids = set().union(*type_ids.values()) if type_ids else set()
    listed: set[str] = set()
    for key, family in families.items():
        if not isinstance(family, dict):
            report.add(TRIAGE_FILE, f"families.{key}", "not a family")
            continue
        source = family.get("source")
        if isinstance(source, str) and not family.get("not_in_article") and article is not None \
                and " ".join(source.split()) not in article:
            report.add(TRIAGE_FILE, f"families.{key}.source",
                       f"{source!r} does not stand word for word in {ARTICLE_FILE} (or mark not_in_article)")
        for k, vid in enumerate(family.get("ids") or []):
            listed.add(vid)
            if lm is not None and vid not in all_ids:
                report.add(TRIAGE_FILE, f"families.{key}.ids[{k}]", f"{vid} is not a slot value id of {MODEL_FILE}")
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
                        f"{(value or {}).get('id')} is in no triage level of {TRIAGE_FILE} (no family lists it): "
                        "the skill cannot sort it",
                    )
