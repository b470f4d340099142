"""The review items made from the content: topics, timing, triage answers, families and rules, subjects.

Each item names the YAML paths it comes from, so ``--since`` can tell which changed
(:mod:`skill_tools.review.changes`). The triage parts are read from triage.yaml as written.
"""
from __future__ import annotations

from skill import triage
from skill_tools.review.article import Article, split_sentences
from skill_tools.review.shape import Item, Source

# The answers of triage.yaml (``answers:``), by kind.
ANSWER_TITLES = {
    "emergency": "Emergency: call the emergency number first",
    "crisis": "Emergency, crisis: the crisis line and the emergency number",
    "crisis_check": "Emergency, crisis words a model heard: the crisis line and the emergency number, asked",
    "overdose": "Emergency, too much medicine: the emergency number and the poison line",
    "medicine": "Medicine questions: the pharmacist or doctor decides",
    "doctor": "Call the doctor today",
    "expected": "Expected during recovery",
    "unknown": "Not recognised: the emergency number if sudden or severe, else the doctor",
}


def numbers_item(place) -> Item:
    """A country's numbers, each with its source; those not confirmed on an official page flagged."""
    notes = [f"NOT CONFIRMED on an official page ({s['confirmed']}): {s['number']} ({s['what']}). Check {s.get('url') or 'the official source'} before signing."
             for s in place.sources if s.get("confirmed") != "yes"]
    return Item(key=f"numbers.{place.code}", title=f"{place.name}: emergency, crisis, poison and urgent lines",
                sentences=[(name, said) for name, said in place.says.items()],
                sources=[Source(f"{s['number']} ({s['what']}): {s['source']}. \"{s.get('quote', '')}\" {s.get('url', '')}, "
                                f"checked {s['checked']}, confirmed: {s['confirmed']}", "public", found=s.get("confirmed") == "yes")
                         for s in place.sources],
                review_notes=notes,
                facts=[("dates said", place.date_order.replace("_", " ")), ("temperatures", f"{place.temperature} first")],
                paths=[("countries.yaml", "countries", place.code)])


def topic_item(topic, article: "Article") -> Item:
    sentences = [("First answer", s) for s in split_sentences(topic.answer)]
    sentences += [("More, after yes", s) for s in split_sentences(topic.more)]
    return Item(
        key=f"topic.{topic.key}", title=topic.title,
        sentences=sentences,
        sources=[article.source(s) for s in topic.sources],
        not_in_article=list(topic.not_in_article),
        review_notes=list(topic.review_notes),
        facts=[("Asked with", topic.intent)],
        paths=[("recovery.yaml", "topics", topic.key)],
    )


def timing_item(content, article: "Article") -> Item:
    timing = content.timing
    sentences = [(key.replace("_", " "), s) for key, value in timing.items() if isinstance(value, str)
                 for s in split_sentences(value)]
    numbers = [(key.replace("_", " "), str(value)) for key, value in timing.items()
               if isinstance(value, (int, float)) and not isinstance(value, bool)]
    return Item(key="timing", title="Timing sentences", sentences=sentences,
                sources=[article.source(s) for s in timing.get("sources", [])],
                not_in_article=list(timing.get("not_in_article", [])), facts=numbers,
                paths=[("recovery.yaml", "timing")])


def triage_parts(spec: dict, article: "Article") -> tuple[list[Item], list[Item]]:
    """(the answers of triage.yaml, its red-flag families and reading rules) as review items."""
    answers = spec.get("answers") or {}
    families = spec.get("families") or {}
    lexicon = spec.get("lexicon") or {}
    levels = [_answer_item(kind, said, families, article) for kind, said in answers.items() if isinstance(said, dict)]
    lines = [(label, " ".join(str(text).split())) for label, text in (
        ("Added to answers that are not emergencies (safety line)", spec.get("safety_line")),
        ("A red flag denied or only asked about (mentioned)", answers.get("mentioned"))) if text]
    levels.append(Item(key="triage.level.lines", title="Safety lines added to other answers", sentences=lines,
                       paths=[("triage.yaml", "safety_line"), ("triage.yaml", "answers", "mentioned")]))
    items = [_family_item(key, fam, families, lexicon, str(answers.get("mentioned") or ""), article)
             for key, fam in families.items()]
    return levels, items + [_rules_item(spec)]


def _answer_item(kind: str, said: dict, families: dict, article: "Article") -> Item:
    sentences = [(part.replace("_", " "), s) for part, value in said.items()
                 if isinstance(value, str) for s in split_sentences(value)]
    given_for = [str(f.get("title") or key) for key, f in families.items()
                 if (f.get("answer") or f.get("level")) == kind]
    return Item(key=f"triage.level.{kind}", title=ANSWER_TITLES.get(kind, kind.replace("_", " ").capitalize()),
                sentences=sentences,
                sources=[article.source(s) for s in said.get("sources") or []],
                not_in_article=_notes(said.get("not_in_article")),
                facts=[("Given for", "; ".join(given_for))] if given_for else [],
                paths=[("triage.yaml", "answers", kind)])


def _when(qualifier: dict) -> str:
    """A qualifier's words as written: a class, classes (a list, shown joined by "|") or phrases joined by "|"."""
    when = qualifier.get("when") or ""
    return "|".join(when) if isinstance(when, list) else str(when)


def _family_item(key: str, fam: dict, families: dict, lexicon: dict, mentioned: str, article: "Article") -> Item:
    """One red-flag family: its level and answer, what it adds to answers, its source, its words."""
    patterns = [str(p) for p in fam.get("patterns") or []]
    qualifiers = fam.get("qualifiers") or []
    classes = list(dict.fromkeys(c for p in [*patterns, *(_when(q) for q in qualifiers)]
                                 for c in triage.word_classes(p) if c in lexicon))
    title = lambda k: str(families.get(k, {}).get("title") or k)  # noqa: E731
    facts = [("Level", str(fam.get("level", ""))),
             ("Answer", ANSWER_TITLES.get(fam.get("answer") or fam.get("level"), str(fam.get("level"))))]
    if fam.get("heard_by"):
        facts.append(("Heard by", " ".join(str(fam["heard_by"]).split())))
    if fam.get("always"):
        facts.append(("Never read as denied or asked about", "yes: these words always get the answer"))
    if fam.get("outranks"):
        facts.append(("Takes the place of", "; ".join(title(k) for k in fam["outranks"])))
    if fam.get("ids"):
        facts.append(("Alexa slot values", ", ".join(map(str, fam["ids"]))))
    for q in qualifiers:
        only = _as_list(q.get("only"))
        facts.append(("Moved by", f"with {_when(q)} words near it, it is {title(q.get('to'))}"
                      + (f" (for the patterns {'; '.join(only)})" if only else "")))
    if "if_resolved" in fam:
        facts.append(("Once it has passed", "the same level" if fam["if_resolved"] == "keep"
                      else f"it is {title(fam['if_resolved'])}"))
    if fam.get("temperature_from"):
        t = fam["temperature_from"]
        facts.append(("Thermometer readings", f"from {t.get('f')} F or {t.get('c')} C up"))
    sentences = []
    if fam.get("ask"):
        sentences.append(("Asked once, before answering", str(fam["ask"].get("question", ""))))
        facts.append(("A yes (or anything but no) to the question", title(fam["ask"].get("if_yes"))))
    if fam.get("if_you") and mentioned:
        sentences.append(("When denied or asked about", " ".join(mentioned.format(what=fam["if_you"]).split())))
    sentences += [("Said with the answer", s) for s in split_sentences(fam.get("fact") or "")]
    source = " ".join(str(fam.get("source") or "").split())
    sources = [Source(source, "public") if fam.get("not_in_article") else article.source(source)] if source else []
    return Item(
        key=f"triage.family.{key}", title=str(fam.get("title") or key.replace("_", " ")),
        sentences=sentences, sources=sources, not_in_article=_notes(fam.get("not_in_article")),
        words=[("Patterns (CAPITALS: a word class below)", patterns)]
        + [(f"{c} (word class)", [str(w) for w in lexicon[c]]) for c in classes],
        facts=facts,
        paths=[("triage.yaml", "families", key)] + [("triage.yaml", "lexicon", c) for c in classes],
    )


def _rules_item(spec: dict) -> Item:
    """How words are read before any family: denials, questions, phrases that are never findings."""
    negation, hypothetical = spec.get("negation") or {}, spec.get("hypothetical") or {}
    temperature = spec.get("temperature") or {}
    used = {c for fam in (spec.get("families") or {}).values()
            for p in [*(fam.get("patterns") or []), *(_when(q) for q in fam.get("qualifiers") or [])]
            for c in triage.word_classes(str(p))}
    listed = sorted({c for key in ("not_findings", "still_findings") for p in spec.get(key) or []
                     for c in triage.word_classes(str(p))})      # classes inside listed phrases ("PILL_TIMES")
    unused = sorted(set(spec.get("lexicon") or {}) - used - set(listed))
    words = [("Denial words: a red flag after one is read as denied", negation.get("forward") or []),
             ("Look like denials but deny nothing", negation.get("pseudo") or []),
             ("End a denial", negation.get("terminators") or []),
             ("Question words: a red flag after one is read as asked about", hypothetical.get("triggers") or []),
             ("Look like questions but are not", hypothetical.get("pseudo") or []),
             ("Never a finding where they stand", spec.get("not_findings") or []),
             ("... unless said as one of these", spec.get("still_findings") or []),
             *((f"{c} (word class)", (spec.get("lexicon") or {}).get(c, [])) for c in listed),
             ("Figurative speech: never a finding, and not health talk", spec.get("figurative") or [])]
    context = spec.get("context") or {}
    for kind, meaning in (("historical", "past history: not now"), ("other", "someone or something else"),
                          ("explained", "explained away"), ("resolved", "it has passed")):
        for direction, triggers in (context.get(kind) or {}).items():
            if direction not in ("before", "after", "either"):
                continue              # the rule's examples, and what denies a resolution
            words.append((f"Context, {meaning} ({direction} the finding)", triggers))
    facts = [("Words apart", f"a pattern's parts must stand within {spec.get('window', 9)} words of each other; "
              f"a denial reaches {negation.get('scope', 6)} words")]
    if temperature:
        steps = [f"{f['temperature_from']['f']} F or {f['temperature_from']['c']} C and above: {f.get('title', k)}"
                 for k, f in (spec.get("families") or {}).items() if f.get("temperature_from")]
        facts.append(("Thermometer readings said with a fever word", "; ".join(steps)))
    if unused:
        facts.append(("Word classes no family uses", ", ".join(unused)))
    return Item(key="triage.rules", title="How words are read: denials, questions, phrases that are not symptoms",
                sentences=[], words=[(name, [str(w) for w in ws]) for name, ws in words if ws], facts=facts,
                paths=[("triage.yaml", k) for k in ("window", "negation", "hypothetical", "not_findings",
                                                     "still_findings", "figurative", "context", "temperature")]
                + [("triage.yaml", "lexicon", c) for c in listed])


def subject_items(content, article: "Article") -> list[Item]:
    """What people ask about in their own words: each subject the article does not cover (what the
    skill says instead, who knows, the nearest fact it can give), then the words sent to a topic."""
    items = []
    for subject in content.subjects.values():
        if subject.topic:
            continue
        nearest = content.nearest_facts.get(subject.nearest or "", {})
        said = [("Said", content.phrases["not_covered"].format(title=subject.title)),
                ("Who knows", content.referrals.get(subject.who or "discharge", ""))]
        said += [("What I can tell you", s) for s in split_sentences(nearest.get("say") or "")]
        items.append(Item(
            key=f"subject.{subject.key}", title=subject.title[:1].upper() + subject.title[1:],
            sentences=[(what, s) for what, s in said if s],
            sources=[article.source(s) for s in nearest.get("sources") or []],
            not_in_article=_notes(nearest.get("not_in_article")),
            words=[("Words that ask about it", list(subject.words))],
            paths=[("recovery.yaml", "subjects", subject.key), ("recovery.yaml", "referrals", subject.who or "discharge")]
            + ([("recovery.yaml", "nearest_facts", subject.nearest)] if subject.nearest else []),
        ))
    covered = [s for s in content.subjects.values() if s.topic]
    if covered:
        items.append(Item(
            key="subject.covered", title="Subjects the article covers: the words that lead to its topics",
            words=[(f"{content.topics[s.topic].title} (topic {s.topic})", list(s.words)) for s in covered],
            paths=[("recovery.yaml", "subjects", s.key) for s in covered],
        ))
    return items


def phrases_item(content) -> Item:
    return Item(key="phrases", title="What the skill says around the answers",
                sentences=[(key.replace("_", " "), s) for key, value in content.phrases.items()
                           for s in split_sentences(value)],
                paths=[("recovery.yaml", "phrases")])


def last_resort_item() -> Item:
    from skill.handlers import system

    return Item(key="last_resort", title="Said when even the content cannot be used (written in the code)",
                sentences=[("emergency", system.last_resort(emergency=True)), ("anything else", system.last_resort())],
                paths=[("handlers/system.py",)])


def _as_list(value) -> list[str]:
    """A YAML value that may be one string or a list of them."""
    if not value:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def _notes(value) -> list[str]:
    if not value:
        return []
    if value is True:
        return ["It follows the public source named, not the article."]
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
