"""What a clinician reviews and signs: every sentence the skill can say, where each comes from.

Built from the content the skill itself loads (:func:`skill.content.load`), so the report
shows exactly what the skill says. Parts whose shape is still settling in the content are
read in one function each (:func:`triage_parts`, :func:`uncovered_subjects`,
:func:`corpus_results`), so a change of shape is a change in one place.

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

SOURCE_FILES = (*recovery_content.SOURCES, "source-article.txt")
CORPUS_PLACES = ("tests/data", "skill/content")      # where the project keeps its triage corpus
CORPUS_GLOB = "*triage*corpus*.yaml"
UNCOVERED_KEYS = ("uncovered", "uncovered_subjects", "not_covered", "referrals")
LEVEL_ORDER = (triage.EMERGENCY, getattr(triage, "MEDICINE", "medicine"), triage.DOCTOR, triage.EXPECTED,
               triage.UNKNOWN)
LEVEL_TITLES = {
    triage.EMERGENCY: "Emergency: call 911 first",
    "medicine": "Medicine questions: the pharmacist or doctor decides",
    triage.DOCTOR: "Call the doctor today",
    triage.EXPECTED: "Expected during recovery",
    triage.UNKNOWN: "Not recognised: 911 if sudden or severe, else the doctor",
    "crisis": "Emergency, crisis: 988 and 911",
    "overdose": "Emergency, too much medicine: 911 and Poison Control",
}
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'{])")
_CAPITAL_CLASS = re.compile(r"\b[A-Z][A-Z_]{2,}\b")


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
class CorpusFamily:
    family: str
    level: str
    total: int
    right: int
    over: int                      # a higher level than labelled: the safe mistake
    under: list[tuple[str, str]]   # (text, level reached) below the label: the unsafe mistake
    unrecognised: list[str]        # no family found for a non-emergency: the "unknown" answer (911 if
                                   # sudden or severe, else the doctor), cautious but not the right one
    other: list[tuple[str, str]]   # right level, another family (when triage names families)


@dataclass
class Corpus:
    path: str
    families: list[CorpusFamily]
    total: int
    right: int
    under: int
    unrecognised: int


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


def build(since: str | None = None, content=None) -> Report:
    """The report for the packaged content (``content``: a loaded Content, for tests)."""
    content = content or recovery_content.load()
    raw = _raw_yaml()
    article = Article(recovery_content.article_text())
    levels, families = triage_parts(raw, article)
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
                "The groups of symptoms the skill listens for, the level each leads to, and every word "
                "or phrase that puts a sentence in the group.",
                families),
        Section("uncovered", "Subjects the skill does not cover, and where it sends people", "",
                *uncovered_subjects(raw)),
        Section("conversation", "Conversation",
                "Everything else the skill says: greetings, questions, confirmations. These carry no "
                "medical facts.",
                [_phrases_item(content), _last_resort_item()]),
    ]
    corpus, corpus_note = corpus_results(content)
    version, files = content_version()
    revision, dirty = _git_revision()
    report = Report(version=version, files=files, revision=revision, dirty=dirty,
                    generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    sections=sections, corpus=corpus, corpus_note=corpus_note)
    if since:
        _keep_changes(report, raw, _raw_yaml_at(since), since)
    return report


def _topic_item(topic, article: "Article") -> Item:
    sentences = [("First answer", s) for s in split_sentences(topic.answer)]
    sentences += [("More, after yes", s) for s in split_sentences(topic.more)]
    return Item(
        key=f"topic.{topic.key}", title=topic.title,
        sentences=sentences,
        sources=[article.source(s) for s in topic.sources],
        not_in_article=list(topic.not_in_article),
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


def triage_parts(raw: dict, article: "Article") -> tuple[list[Item], list[Item]]:
    """(answers by level, families with their word lists) from triage.yaml.

    The content is being restructured from one word list per level (``terms`` under each
    level) into clinical families (``families:``, patterns over a ``lexicon`` of word
    classes, ``answers:`` by kind). Both layouts are read here, and only here.
    """
    spec = raw.get("triage.yaml", {})
    if isinstance(spec.get("families"), dict):
        return _family_layout(spec, article)
    levels, families = [], []
    for level in LEVEL_ORDER:
        level_spec = spec.get(level)
        if not isinstance(level_spec, dict):
            continue
        said = {k: v for k, v in level_spec.items() if k not in ("terms", "ids")}
        levels.append(_answer_item(level, said, article, [("triage.yaml", level, k) for k in said]))
        if level in triage.LEVELS:
            terms = [str(t) for t in level_spec.get("terms", [])]
            ids = [str(i) for i in level_spec.get("ids", [])]
            families.append(Item(
                key=f"triage.family.{level}", title=LEVEL_TITLES.get(level, level),
                words=[("Words and phrases", terms)] + ([("Alexa slot values", ids)] if ids else []),
                facts=[("Level", level),
                       ("Filler words ignored", ", ".join(map(str, spec.get("filler_words", []))))],
                paths=[("triage.yaml", level, "terms"), ("triage.yaml", level, "ids"),
                       ("triage.yaml", "filler_words")],
            ))
    return levels, families


def _family_layout(spec: dict, article: "Article") -> tuple[list[Item], list[Item]]:
    answers = spec.get("answers") or {}
    levels = [_answer_item(kind, said, article, [("triage.yaml", "answers", kind)])
              for kind, said in answers.items() if isinstance(said, dict)]
    lines = [(k.replace("_", " "), v) for k, v in [("safety_line", spec.get("safety_line")),
                                                    ("mentioned", answers.get("mentioned"))] if isinstance(v, str)]
    if lines:
        levels.append(Item(key="triage.level.lines", title="Safety lines added to other answers", sentences=lines,
                           paths=[("triage.yaml", "safety_line"), ("triage.yaml", "answers", "mentioned")]))
    lexicon = spec.get("lexicon") or {}
    families = []
    for key, fam in spec["families"].items():
        if not isinstance(fam, dict):
            continue
        patterns = [str(p) for p in fam.get("patterns", []) or []]
        classes = sorted({c for p in patterns for c in _CAPITAL_CLASS.findall(p) if c in lexicon})
        milder = fam.get("milder")
        if isinstance(milder, dict) and milder.get("when") in lexicon:
            classes = sorted(set(classes) | {milder["when"]})
        source = fam.get("source")
        facts = [("Level", str(fam.get("level", "")))]
        if fam.get("answer"):
            facts.append(("Its own answer", str(fam["answer"])))
        if fam.get("ids"):
            facts.append(("Alexa slot values", ", ".join(map(str, fam["ids"]))))
        if isinstance(milder, dict):
            facts.append(("Milder form", f"with {milder.get('when', '?')} words it is {milder.get('to', '?')}"
                          + (f" (only for: {milder['only']})" if milder.get("only") else "")))
        families.append(Item(
            key=f"triage.family.{key}", title=str(fam.get("title") or key.replace("_", " ")),
            sentences=[(label, fam[k]) for k, label in (("fact", "fact"), ("if_you", "in \"If you do get ...\""))
                       if isinstance(fam.get(k), str)],
            sources=[article.source(s) for s in ([source] if isinstance(source, str) else source or [])],
            not_in_article=_notes(fam.get("not_in_article")),
            words=[("Patterns", patterns)] + [(c, [str(w) for w in lexicon[c]]) for c in classes],
            facts=facts,
            paths=[("triage.yaml", "families", key)] + [("triage.yaml", "lexicon", c) for c in classes],
        ))
    return levels, families


def _answer_item(level: str, spec: dict, article: "Article", paths: list[tuple]) -> Item:
    sentences = [(key.replace("_", " "), s) for key, value in spec.items()
                 if isinstance(value, str) and key != "title" for s in split_sentences(value)]
    return Item(key=f"triage.level.{level}", title=LEVEL_TITLES.get(level, level.replace("_", " ").capitalize()),
                sentences=sentences,
                sources=[article.source(s) for s in spec.get("sources", []) or []],
                not_in_article=_notes(spec.get("not_in_article")),
                paths=paths)


def uncovered_subjects(raw: dict) -> tuple[list[Item], str]:
    """Subjects the article does not cover and the referral the skill gives (recovery.yaml), if any."""
    recovery = raw.get("recovery.yaml", {})
    key = next((k for k in UNCOVERED_KEYS if k in recovery), None)
    if key is None:
        return [], ("The content lists no uncovered subjects yet: questions outside the article get the "
                    "skill's fallback answer (see Conversation).")
    data = recovery[key]
    entries = data.items() if isinstance(data, dict) else enumerate(data or [])
    items = []
    for name, entry in entries:
        entry = entry if isinstance(entry, dict) else {"answer": str(entry)}
        title = str(entry.get("title") or entry.get("subject") or name)
        sentences = [(k.replace("_", " "), s) for k, v in entry.items() if k in ("answer", "referral", "more", "say")
                     and isinstance(v, str) for s in split_sentences(v)]
        words = [(k.replace("_", " "), [str(w) for w in v]) for k, v in entry.items()
                 if isinstance(v, list) and k not in ("sources", "not_in_article")]
        items.append(Item(key=f"uncovered.{name}", title=title, sentences=sentences, words=words,
                          sources=[Source(str(s), "public") for s in entry.get("sources", []) or []],
                          not_in_article=_notes(entry.get("not_in_article")),
                          paths=[("recovery.yaml", key, name)]))
    return items, ""


def corpus_results(content, root: Path | None = None) -> tuple[Corpus | None, str]:
    """The project's triage corpus run through the skill's triage, per family; None when there is none."""
    root = root or recovery_content.CONTENT_DIR.parents[1]
    paths = sorted(p for place in CORPUS_PLACES for p in (root / place).glob(CORPUS_GLOB))
    if not paths:
        return None, f"No triage corpus in this checkout (looked for {CORPUS_GLOB} in {', '.join(CORPUS_PLACES)})."
    path = paths[0]
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        return None, f"The triage corpus {path.name} could not be read: {exc}"
    if isinstance(entries, dict):
        entries = entries.get("entries") or entries.get("cases") or []
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    groups: dict[tuple[str, str], CorpusFamily] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("text") or not entry.get("level"):
            continue
        text, want = str(entry["text"]), str(entry["level"])
        family = str(entry.get("family") or want)
        verdict = content.triage.classify(text)
        got = verdict.level
        row = groups.setdefault((want, family), CorpusFamily(family, want, 0, 0, 0, [], [], []))
        row.total += 1
        if want not in rank:                           # e.g. not_symptom: anything but an emergency
            ok = got != triage.EMERGENCY
            row.right += ok
            if not ok:
                row.over += 1
            continue
        if got == want:
            got_family = getattr(verdict, "family", None)
            if got_family and str(got_family) != family and family != want:
                row.other.append((text, str(got_family)))
            row.right += 1
        elif rank.get(got, len(rank)) < rank[want]:
            row.over += 1
        elif got == triage.UNKNOWN and want != triage.EMERGENCY:
            row.unrecognised.append(text)
        else:
            row.under.append((text, got))
    families = sorted(groups.values(), key=lambda f: (rank.get(f.level, len(rank)), f.family))
    total = sum(f.total for f in families)
    return Corpus(path=str(path.relative_to(root)), families=families, total=total,
                  right=sum(f.right for f in families), under=sum(len(f.under) for f in families),
                  unrecognised=sum(len(f.unrecognised) for f in families)), ""


def _phrases_item(content) -> Item:
    return Item(key="phrases", title="What the skill says around the answers",
                sentences=[(key.replace("_", " "), s) for key, value in content.phrases.items()
                           for s in split_sentences(value)],
                paths=[("recovery.yaml", "phrases")])


def _last_resort_item() -> Item:
    from skill import handlers

    return Item(key="last_resort", title="Said when even the content cannot be used (written in the code)",
                sentences=[("emergency", handlers.EMERGENCY_LAST_RESORT), ("anything else", handlers.LAST_RESORT)],
                paths=[("handlers.py",)])


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


def _notes(value) -> list[str]:
    if not value:
        return []
    if value is True:
        return ["It follows the public source named, not the article."]
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]
