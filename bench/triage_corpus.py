"""The triage corpus said to the whole skill in every dialog state: a table per family and state.

    python bench/triage_corpus.py [--corpus FILE] [--states one-shot,after launch,...] [--misses]

For each level and family, and each state (one-shot; after launch; after the date offer, a
yes/no question; after "would you like to hear more?", another one):
  first  the emergency instruction first (the share of the family that got it)
  911    a 911 sentence anywhere in the answer
  right  the answer the clinician labelled the sentence for (emergency first; doctor today;
         the pharmacist; reassurance; for ordinary questions: no emergency answer)
and, per state, false alarms (ordinary questions given the emergency answer). Prints figures,
never asserts: tests/test_triage_corpus.py holds the floors.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.simulator import corpus  # noqa: E402


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f}%" if total else "    - "


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(corpus.CORPUS))
    ap.add_argument("--states", default=",".join(corpus.STATES))
    ap.add_argument("--misses", action="store_true", help="list every sentence that did not get its answer")
    args = ap.parse_args(argv)
    states = [s for s in args.states.split(",") if s]
    entries = corpus.load(args.corpus)
    started = time.perf_counter()
    results = corpus.run(entries, states=states)
    took = time.perf_counter() - started
    print(f"{len(entries)} sentences x {len(states)} states = {len(results)} turns in {took:.1f} s "
          f"({1000 * took / max(1, len(results)):.1f} ms a turn, simulator included)")

    by = {}
    for said in results:
        by.setdefault((said.level, said.family or "-"), {}).setdefault(said.state, corpus.Row(said.state)).add(said)
    head = "".join(f" | {s[:20]:^20}" for s in states)
    print(f"\n{'level / family':34}{head}")
    print(f"{'':34}" + " | first   911  right" * len(states))
    for (level, family) in sorted(by, key=lambda k: (["emergency", "doctor", "medicine", "expected",
                                                     "not_symptom"].index(k[0]) if k[0] in
                                                    ("emergency", "doctor", "medicine", "expected", "not_symptom")
                                                    else 9, k[1])):
        cells = by[(level, family)]
        n = next(iter(cells.values())).total
        line = f"{level[:9]:9} {family[:18]:18} {n:4}  "
        for s in states:
            r = cells.get(s)
            line += " | " + (f"{pct(r.emergency_first, r.total)}{pct(r.safety_line, r.total)}{pct(r.right, r.total)}"
                             if r else " " * 18)
        print(line)

    print(f"\n{'per state':34}" + head)
    for label, pick, measure in (
        ("emergency first (emergencies)", lambda s: s.level == "emergency", lambda s: s.emergency_first),
        ("911 sentence (all but topic answers)", lambda s: s.needs_safety_line, lambda s: s.safety_line),
        ("doctor today (doctor level)", lambda s: s.level == "doctor", lambda s: s.right),
        ("pharmacist (medicine questions)", lambda s: s.level == "medicine", lambda s: s.right),
        ("reassured (expected level)", lambda s: s.level == "expected", lambda s: s.right),
        ("false alarms (ordinary questions)", lambda s: s.level == "not_symptom", lambda s: s.emergency_first),
    ):
        line = f"{label:34}"
        for st in states:
            group = [s for s in results if s.state == st and pick(s)]
            line += f" | {pct(sum(map(measure, group)), len(group)):>9} of {len(group):<6}"
        print(line)
    if args.misses:
        print("\nnot the labelled answer:")
        for said in results:
            if not said.right:
                print(f"  [{said.state}] {said.level}/{said.family} -> {said.answer} ({said.intent}): {said.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
