"""The triage engine alone (no simulator, no handlers) on many sentences, shared among the cores: what the
engine finds, apart from how Alexa would have heard the words."""
from __future__ import annotations

from functools import partial

from skill import content
from skill_tools.simulator.corpus import SPLIT_FROM
from skill_tools.simulator.processes import cores, shared


def engine_levels(texts: list[str], locale: str = "en-US", workers: int | None = None) -> list[str]:
    """The engine's level for each sentence, in the order given (``workers``: processes, by default the cores')."""
    workers = min(workers or cores(), max(1, len(texts) // SPLIT_FROM))
    if workers == 1:
        return _engine_levels(texts, locale)
    return [level for part in shared(partial(_engine_levels, locale=locale), texts, workers) for level in part]


def _engine_levels(texts: list[str], locale: str) -> list[str]:
    triage = content.load(locale).triage
    return [triage.classify(text).level for text in texts]
