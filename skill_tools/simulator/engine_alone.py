"""The triage engine alone (no simulator, no handlers) on many sentences, shared among the cores: what the
engine finds, apart from how Alexa would have heard the words."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from skill import content
from skill_tools.simulator.corpus import SPLIT_FROM, cores


def engine_levels(texts: list[str], locale: str = "en-US") -> list[str]:
    """The engine's level for each sentence, in the order given."""
    workers = min(cores(), max(1, len(texts) // SPLIT_FROM))
    if workers == 1:
        return _engine_levels(texts, locale)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_engine_levels, [texts[i::workers] for i in range(workers)], [locale] * workers))
    levels: list[str] = [""] * len(texts)
    for i, part in enumerate(parts):
        levels[i::workers] = part
    return levels


def _engine_levels(texts: list[str], locale: str) -> list[str]:
    triage = content.load(locale).triage
    return [triage.classify(text).level for text in texts]
