"""What a clinician reviews and signs: every sentence the skill can say, where each comes from.

Built from the content the skill itself loads (:func:`skill.content.load`), so the report
shows exactly what the skill says; triage's families, word classes and reading rules come
from triage.yaml as written. The triage corpus is said to the whole skill in every dialog
state by :mod:`skill_tools.simulator.corpus`, so its results are what a person would have heard.

``since``: only the items whose YAML changed since a signed git revision, plus what was
removed. Items are compared by the YAML they come from (each item names its YAML paths),
so the comparison still works when the YAML's layout changed in between.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from skill import content as recovery_content
from skill import triage
from skill_tools.simulator import corpus as triage_corpus

SOURCE_FILES = (*recovery_content.SOURCES, "source-article.txt")
# The answers of triage.yaml (``answers:``), by kind.
ANSWER_TITLES = {
    "emergency": "Emergency: call 911 first",
    "crisis": "Emergency, crisis: 988 and 911",
    "overdose": "Emergency, too much medicine: 911 and Poison Control",
    "medicine": "Medicine questions: the pharmacist or doctor decides",
    "doctor": "Call the doctor today",
    "expected": "Expected during recovery",
    "unknown": "Not recognised: 911 if sudden or severe, else the doctor",
}
LABEL_TITLES = {"not_alarm": "not an alarm", "urgent": "urgent: surgeon's office now", "doctor": "doctor today"}
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'{])")


# ---------------------------------------------------------------- the report's shape


@dataclass
class Source:
    text: str
    kind: str                      # "article" | "public"
    where: str = ""                # "Pain Management, paragraph 1" for article sentences
    found: bool = True             # an article sentence that does not stand in the article: False


@dataclass
class Item:
    key: str                       # stable: "topic.driving", "triage.family.chest_pain"
    title: str
    sentences: list[tuple[str, str]] = field(default_factory=list)    # (what it is, sentence)
    sources: list[Source] = field(default_factory=list)
    not_in_article: list[str] = field(default_factory=list)
    review_notes: list[str] = field(default_factory=list)             # about the sources themselves
    words: list[tuple[str, list[str]]] = field(default_factory=list)  # (list name, words)
    facts: list[tuple[str, str]] = field(default_factory=list)        # (label, value)
    paths: list[tuple] = field(default_factory=list)                  # YAML it comes from
    change: str = ""               # with since: "new" | "changed"


@dataclass
class Section:
    key: str
    title: str
    intro: str
    items: list[Item]
    note: str = ""                 # why the section is empty, when it is


@dataclass
class CorpusMiss:
    """One corpus sentence whose answer was not the one labelled, in one or more dialog states."""

    text: str
    level: str
    family: str
    outcome: str                   # "under" | "unrecognised" | "over" (skill_tools.simulator.corpus.Said.outcome)
    heard: dict[str, list[str]]    # kind of answer heard -> the dialog states it was heard in


@dataclass
class Corpus:
    path: str
    sentences: int                 # entries said, each once in every state
    states: list[str]
    total: triage_corpus.Row       # every answer heard
    families: list[tuple[str, str, triage_corpus.Row]]    # (label, family title, its row), most urgent first
    by_state: list[tuple[str, list[triage_corpus.Row]]]   # (label or "all", one row per state)
    misses: list[CorpusMiss]
    skipped: int = 0               # entries without text or with a label the corpus does not know


@dataclass
class Report:
    version: str                   # content hash: what the signature covers
    files: list[tuple[str, str]]   # (file, sha256)
    revision: str                  # git commit of the checkout ("" outside git)
    dirty: bool                    # content differs from that commit
    generated: str
    sections: list[Section]
    corpus: Corpus | None
    corpus_note: str
    since: str = ""
    removed: list[tuple[str, str]] = field(default_factory=list)   # (YAML path, old value)


# ---------------------------------------------------------------- building it


def build(since: str | None = None, content=None, corpus_path: Path | str | None = None) -> Report:
    """The report for the packaged content (``content``: a loaded Content, for tests).

    ``corpus_path``: the triage corpus to run, a file or several (default the tuning set,
    skill_tools.simulator.corpus.TUNING; the held-out test set is not shown: nobody tunes on its
    sentences); it is said to the packaged skill, whatever ``content`` is."""
    content = content or recovery_content.load()
    raw = _raw_yaml()
    then = _raw_yaml_at(since) if since else None      # an unknown revision fails before the long part
    article = Article(recovery_content.article_text())
    levels, families = triage_parts(raw.get("triage.yaml", {}), article)
    sections = [
        Section("topics", "Answers by topic",
                "Each question the skill answers: its first answer, what it adds when the person says yes "
                "to hearing more, and the article sentences the facts come from.",
                [_topic_item(t, article) for t in content.topics.values()]),
        Section("timing", "Timing from the surgery date",
                "Said when the person's surgery date is stored. Words in braces are filled in by the skill.",
                [_timing_item(content, article)]),
        Section("levels", "Answers by triage level",
                "What the skill says when a person describes a symptom, for each level of urgency.",
                levels),
        Section("families", "Triage families and their word lists",
                "The red-flag groups the skill listens for: the level and answer each leads to, what it "
                "adds when the red flag is denied or only asked about, its source, and every pattern and "
                "word class that puts a sentence in the group. In a pattern, a word in CAPITALS stands for "
                "any word of that class; the last item says how denials and questions are read.",
                families),
        Section("uncovered", "Subjects the article does not cover, and where the skill sends people",
                "Asked about something the article does not cover, the skill says so plainly, names who "
                "does know, and gives the nearest thing the article says.",
                subject_items(content, article)),
        Section("conversation", "Conversation",
                "Everything else the skill says: greetings, questions, confirmations. These carry no "
                "medical facts.",
                [_phrases_item(content), _last_resort_item()]),
    ]
    corpus, corpus_note = corpus_results(corpus_path or triage_corpus.TUNING, content)
    version, files = content_version()
    revision, dirty = _git_revision()
    report = Report(version=version, files=files, revision=revision, dirty=dirty,
                    generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    sections=sections, corpus=corpus, corpus_note=corpus_note)
    if since:
        _keep_changes(report, raw, then, since)
    return report


def _topic_item(topic, article: "Article") -> Item:
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


def _timing_item(content, article: "Article") -> Item:
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


def _family_item(key: str, fam: dict, families: dict, lexicon: dict, mentioned: str, article: "Article") -> Item:
    """One red-flag family: its level and answer, what it adds to answers, its source, its words."""
    patterns = [str(p) for p in fam.get("patterns") or []]
    qualifiers = fam.get("qualifiers") or []
    classes = list(dict.fromkeys(c for p in [*patterns, *(q.get("when", "") for q in qualifiers)]
                                 for c in triage.word_classes(p) if c in lexicon))
    title = lambda k: str(families.get(k, {}).get("title") or k)  # noqa: E731
    facts = [("Level", str(fam.get("level", ""))),
             ("Answer", ANSWER_TITLES.get(fam.get("answer") or fam.get("level"), str(fam.get("level"))))]
    if fam.get("always"):
        facts.append(("Never read as denied or asked about", "yes: these words always get the answer"))
    if fam.get("outranks"):
        facts.append(("Takes the place of", "; ".join(title(k) for k in fam["outranks"])))
    if fam.get("ids"):
        facts.append(("Alexa slot values", ", ".join(map(str, fam["ids"]))))
    for q in qualifiers:
        only = _as_list(q.get("only"))
        facts.append(("Moved by", f"with {q.get('when')} words near it, it is {title(q.get('to'))}"
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
            for p in [*(fam.get("patterns") or []), *(q.get("when", "") for q in fam.get("qualifiers") or [])]
            for c in triage.word_classes(str(p))}
    unused = sorted(set(spec.get("lexicon") or {}) - used)
    words = [("Denial words: a red flag after one is read as denied", negation.get("forward") or []),
             ("Look like denials but deny nothing", negation.get("pseudo") or []),
             ("End a denial", negation.get("terminators") or []),
             ("Question words: a red flag after one is read as asked about", hypothetical.get("triggers") or []),
             ("Look like questions but are not", hypothetical.get("pseudo") or []),
             ("Never a finding where they stand", spec.get("not_findings") or []),
             ("Figurative speech: never a finding, and not health talk", spec.get("figurative") or [])]
    context = spec.get("context") or {}
    for kind, meaning in (("historical", "past history: not now"), ("other", "someone or something else"),
                          ("explained", "explained away"), ("resolved", "it has passed")):
        for direction, triggers in (context.get(kind) or {}).items():
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
                                                     "figurative", "context", "temperature")])


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


def corpus_results(paths, content=None) -> tuple[Corpus | None, str]:
    """The triage corpus (a file, or the files of a set; those not written yet are left out) said to
    the skill in every dialog state (skill_tools.simulator.corpus), per red-flag family (else complaint)
    and per state; None, and why, when there is no corpus to run."""
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    shown = " + ".join(_shown(p) for p in paths if p.exists()) or " or ".join(_shown(p) for p in paths)
    if not any(p.exists() for p in paths):
        return None, f"No triage corpus at {shown}."
    try:
        entries = triage_corpus.load_set(paths)
    except (OSError, yaml.YAMLError, TypeError, AttributeError) as exc:
        return None, f"The triage corpus {shown} could not be read: {exc}"
    usable = [e for e in entries if str(e.get("text") or "").strip() and e.get("level") in triage_corpus.LABELS]
    if not usable:
        return None, f"The triage corpus {shown} has no labelled sentences."
    states = list(triage_corpus.STATES)
    results = triage_corpus.run(usable, states=states)
    titles = (content or recovery_content.load()).families
    rank = {label: i for i, label in enumerate(triage_corpus.LABELS)}
    families = sorted(triage_corpus.table(results, "topic").items(), key=lambda kv: (rank[kv[0][0]], kv[0][1]))
    by_state = triage_corpus.table(results, "state")
    total, per_state = triage_corpus.Row("all"), {state: triage_corpus.Row(state) for state in states}
    misses: dict[tuple, CorpusMiss] = {}
    for said in results:
        total.add(said)
        per_state[said.state].add(said)
        if said.outcome != "right":
            key = (said.text, said.level, said.topic, said.outcome)
            miss = misses.setdefault(key, CorpusMiss(said.text, said.level, _family_title(said.topic, titles),
                                                     said.outcome, {}))
            miss.heard.setdefault(said.answer, []).append(said.state)
    order = {"under": 0, "unrecognised": 1, "over": 2}
    return Corpus(
        path=shown, sentences=len(usable), states=states, total=total,
        families=[(label, _family_title(family, titles), row) for (label, family), row in families],
        by_state=[(label, [by_state[(label, s)] for s in states]) for label in triage_corpus.LABELS
                  if (label, states[0]) in by_state] + [("all", [per_state[s] for s in states])],
        misses=sorted(misses.values(), key=lambda m: (order[m.outcome], rank[m.level], m.family, m.text)),
        skipped=len(entries) - len(usable),
    ), ""


def _family_title(key: str, families: dict) -> str:
    title = (families.get(key) or {}).get("title")
    return f"{title} ({key})" if title else key


def _shown(path: Path) -> str:
    """A corpus path as the reader knows it: from the checkout's top when it is inside it."""
    root = recovery_content.CONTENT_DIR.parents[1]
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _phrases_item(content) -> Item:
    return Item(key="phrases", title="What the skill says around the answers",
                sentences=[(key.replace("_", " "), s) for key, value in content.phrases.items()
                           for s in split_sentences(value)],
                paths=[("recovery.yaml", "phrases")])


def _last_resort_item() -> Item:
    from skill.handlers import system

    return Item(key="last_resort", title="Said when even the content cannot be used (written in the code)",
                sentences=[("emergency", system.EMERGENCY_LAST_RESORT), ("anything else", system.LAST_RESORT)],
                paths=[("handlers/system.py",)])


# ---------------------------------------------------------------- the article


class Article:
    """The source article, to say where each source sentence stands in it."""

    def __init__(self, text: str):
        self.paragraphs: list[tuple[str, int, str]] = []   # (heading, paragraph number, text)
        heading, number = "Introduction", 0
        for block in (b.strip() for b in text.split("\n")):
            if not block:
                continue
            if len(block) < 80 and not block.endswith((".", ",")):
                if self.paragraphs or block != text.strip().split("\n")[0].strip():
                    heading, number = block, 0
                continue
            number += 1
            self.paragraphs.append((heading, number, " ".join(block.split())))

    def source(self, sentence: str) -> Source:
        wanted = " ".join(str(sentence).split())
        for heading, number, text in self.paragraphs:
            if wanted and wanted in text:
                return Source(wanted, "article", f"{heading}, paragraph {number}")
        return Source(wanted, "public" if not _looks_like_article(wanted) else "article", "", found=False)


def _looks_like_article(sentence: str) -> bool:
    """A quoted article sentence ends like one; a public source names its organisation."""
    return not re.search(r"\(([A-Z][A-Za-z]+|[a-z]+\.(org|gov))|: ", sentence)


# ---------------------------------------------------------------- version and changes


def content_version() -> tuple[str, list[tuple[str, str]]]:
    """One hash over the content files (what a signature covers), and each file's own."""
    files = [(name, hashlib.sha256((recovery_content.CONTENT_DIR / name).read_bytes()).hexdigest())
             for name in SOURCE_FILES]
    whole = hashlib.sha256("".join(f"{name}:{digest}\n" for name, digest in files).encode()).hexdigest()
    return whole[:16], files


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=recovery_content.CONTENT_DIR, capture_output=True, text=True,
                          timeout=30)
    if done.returncode != 0:
        raise ReviewError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


class ReviewError(Exception):
    """Something the person asked for cannot be done (unknown revision, no git)."""


def _git_revision() -> tuple[str, bool]:
    try:
        revision = _git("rev-parse", "--short=12", "HEAD").strip()
        dirty = bool(_git("status", "--porcelain", "--", ".").strip())
    except (ReviewError, OSError, subprocess.TimeoutExpired):
        return "", False
    return revision, dirty


def _raw_yaml() -> dict:
    return {name: yaml.safe_load((recovery_content.CONTENT_DIR / name).read_text(encoding="utf-8")) or {}
            for name in recovery_content.SOURCES}


def _raw_yaml_at(revision: str) -> dict:
    """The content YAML as it was at a git revision (a file missing then is empty)."""
    try:
        top = Path(_git("rev-parse", "--show-toplevel").strip())
        _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except (ReviewError, OSError) as exc:
        raise ReviewError(f"cannot read revision {revision!r}: {exc}") from exc
    folder = recovery_content.CONTENT_DIR.resolve().relative_to(top.resolve()).as_posix()
    old = {}
    for name in recovery_content.SOURCES:
        try:
            old[name] = yaml.safe_load(_git("show", f"{revision}:{folder}/{name}")) or {}
        except ReviewError:
            old[name] = {}
    return old


def _flatten(data, path=()) -> dict[tuple, object]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flatten(value, (*path, str(key))))
        return out or {path: {}}
    return {path: data}


def _under(path: tuple, prefix: tuple) -> bool:
    return path[: len(prefix)] == prefix


def _keep_changes(report: Report, now: dict, then: dict, since: str) -> None:
    """Keep the items whose YAML changed since ``then``; list what was removed."""
    new_leaves = {(name, *p): v for name, data in now.items() for p, v in _flatten(data).items()}
    old_leaves = {(name, *p): v for name, data in then.items() for p, v in _flatten(data).items()}
    for section in report.sections:
        kept = []
        for item in section.items:
            mine = [p for p in new_leaves if any(_under(p, q) for q in item.paths)]
            before = [p for p in old_leaves if any(_under(p, q) for q in item.paths)]
            if not before and mine:
                item.change = "new"
            elif any(new_leaves.get(p) != old_leaves.get(p) for p in set(mine) | set(before)):
                item.change = "changed"
            else:
                continue
            kept.append(item)
        section.items = kept
        if not kept:
            section.note = f"Nothing here changed since {since}."
    report.removed = [(" / ".join(p), _short(v)) for p, v in sorted(old_leaves.items()) if p not in new_leaves]
    report.since = since


def _short(value) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True).strip()
    return text if len(text) <= 300 else text[:297] + "..."


# ---------------------------------------------------------------- small helpers


def split_sentences(text: str) -> list[str]:
    """One spoken sentence a line, so each can be read and ticked on its own."""
    text = " ".join(str(text or "").split())
    return [s for s in _SENTENCE_END.split(text) if s] if text else []


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
