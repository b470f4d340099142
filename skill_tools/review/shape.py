"""The review report's shape: sections of items, each sentence with its sources, and the corpus results.

Plain data, filled in by :mod:`skill_tools.review.report` and read by the template (``render``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from skill_tools.simulator import corpus as triage_corpus


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
