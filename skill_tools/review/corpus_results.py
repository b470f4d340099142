"""The triage corpus said to the skill in every dialog state, summed up for the review report."""
from __future__ import annotations

from pathlib import Path

import yaml

from skill import content as recovery_content
from skill_tools.review.shape import Corpus, CorpusMiss
from skill_tools.simulator import corpus as triage_corpus


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
