"""The recovery knowledge: topics, timing phrases and triage lists, read once from YAML.

The words live in ``skill/content/*.yaml`` so a clinician can review them without
reading Python; this module only gives them a shape the handlers can use.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from skill.triage import Triage

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Topic:
    """One answerable subject, with the article sentences it rests on."""

    key: str
    intent: str
    title: str
    answer: str
    more: str
    sources: tuple[str, ...]
    not_in_article: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    timing: dict
    phrases: dict[str, str]
    triage_text: dict[str, dict]
    triage: Triage

    by_intent: dict[str, Topic]

    def topic_for_intent(self, intent: str) -> Topic | None:
        return self.by_intent.get(intent)

    @classmethod
    def from_dicts(cls, recovery: dict, triage: dict) -> "Content":
        topics = {
            key: Topic(
                key=key,
                intent=spec["intent"],
                title=spec["title"],
                answer=" ".join(spec["answer"].split()),
                more=" ".join(spec.get("more", "").split()),
                sources=tuple(spec.get("sources", [])),
                not_in_article=tuple(spec.get("not_in_article", [])),
            )
            for key, spec in recovery["topics"].items()
        }
        triage_text = {
            level: {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in spec.items()}
            for level, spec in triage.items()
            if isinstance(spec, dict)
        }
        return cls(
            topics=topics,
            by_intent={t.intent: t for t in topics.values()},
            timing=recovery["timing"],
            phrases={k: " ".join(v.split()) for k, v in recovery["phrases"].items()},
            triage_text=triage_text,
            triage=Triage.from_lists(triage, triage.get("filler_words", ())),
        )


def _read(name: str) -> str:
    return (Path(__file__).parent / "content" / name).read_text(encoding="utf-8")


@functools.cache
def load() -> Content:
    """The packaged content, parsed once per process (Lambda keeps it between requests)."""
    return Content.from_dicts(yaml.load(_read("recovery.yaml"), _Loader), yaml.load(_read("triage.yaml"), _Loader))


def article_text() -> str:
    """The source article the content must be traceable to."""
    return _read("source-article.txt")
