"""CLINC150's everyday requests to assistants said to the skill: how often it cries wolf.

    python bench/clinc150.py [--states one-shot,after hear-more] [--subset] [--alarms] [--limit N]

Each of the 5,500 `test` and `oos_test` utterances of CLINC150 (Larson et al. 2019, CC BY 3.0;
skill_tools/simulator/clinc150.py, tests/data/clinc150/README.md) is said one-shot and after "would you
like to hear more?" (a question pending), through the simulator's understanding of the deployed
model and the same handlers. None is about anyone's health now, so printed are:
  alarms     911, 988 or Poison Control in the first sentence (issue 18: at most 0.5%)
  crisis / overdose answers (issue 18: none)
  the kinds of answer heard, and the intents that carried the alarms
--alarms lists every alarm: the intent, the interaction-model sample it was matched by, and the
triage family and words the answer went by (public data: fine to tune on). --subset says only the
test suite's fixed tenth. Prints figures, never asserts: tests/test_clinc150.py holds the floors.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill_tools.simulator import clinc150, corpus  # noqa: E402

STATES = ("one-shot", "after hear-more")
GOAL_ALARMS = 0.005


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.2f}%" if total else "    - "


def causes(said, understanding, triage) -> str:
    """The sample the intent was matched by, and the triage family and words the answer went by."""
    from skill_tools.simulator.corpus import NOW

    today = NOW.date()
    meaning = understanding.parse(said.text, today)
    sample = f'"{meaning.sample}"' if meaning.sample else "-"
    words = " ".join(v for v in said.slots.values() if v) or said.text
    verdict = triage.classify(words)
    found = f"{verdict.family}: {', '.join(verdict.matched)}" if verdict.family else f"triage {verdict.level}"
    return f"{said.intent} by {sample}; {found}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", default=",".join(STATES))
    ap.add_argument("--subset", action="store_true", help="only the fixed tenth the test suite says")
    ap.add_argument("--alarms", action="store_true", help="list every alarm with its intent, sample and triage words")
    ap.add_argument("--limit", type=int, default=0, help="only the first N utterances (a quick look)")
    args = ap.parse_args(argv)
    found, where = clinc150.utterances()
    if found is None:
        print(where)
        return 0
    if args.subset:
        found = clinc150.subset(found)
    if args.limit:
        found = found[: args.limit]
    states = [s for s in args.states.split(",") if s]
    started = time.perf_counter()
    results = corpus.run(clinc150.entries(found), states=states, workers=corpus.cores())
    took = time.perf_counter() - started
    print(f"CLINC150 (Larson et al. 2019, CC BY 3.0) from {where}")
    print(f"{len(found)} utterances x {len(states)} states = {len(results)} turns in {took:.1f} s")

    kinds = sorted({s.answer for s in results}, key=lambda k: -sum(s.answer == k for s in results))
    print(f"\n{'':34}" + "".join(f" | {s:^18}" for s in states))
    rows = [("first-sentence alarms (911/988/PC)", lambda s: s.first_alarm),
            ("  911 first (emergency answer)", lambda s: s.answer == "emergency"),
            ("  crisis answers (988 first)", lambda s: s.answer == "crisis"),
            ("  overdose answers (Poison Control)", lambda s: s.answer == "overdose"),
            ("  other answers naming 911 first", lambda s: s.first_alarm and not s.emergency_first),
            ("a question asked first", lambda s: s.asked)]
    rows += [(f"answer: {kind}", lambda s, k=kind: s.answer == k) for kind in kinds]
    for label, hit in rows:
        line = f"{label:34}"
        for state in states:
            group = [s for s in results if s.state == state]
            n = sum(1 for s in group if hit(s))
            line += f" | {n:6} {pct(n, len(group)):>10}"
        print(line)

    print(f"\n{'done when (issue 18)':34}" + "".join(f" | {s:^18}" for s in states))
    line = f"{'alarms at most 0.5%':34}"
    line2 = f"{'no crisis or overdose answer':34}"
    for state in states:
        group = [s for s in results if s.state == state]
        alarms = sum(s.first_alarm for s in group)
        bad = sum(s.answer in ("crisis", "overdose") for s in group)
        line += f" | {pct(alarms, len(group)):>10} {'PASS' if alarms <= GOAL_ALARMS * len(group) else 'FAIL':>7}"
        line2 += f" | {bad:10} {'PASS' if bad == 0 else 'FAIL':>7}"
    print(line)
    print(line2)

    alarms = [s for s in results if s.first_alarm]
    by_intent = collections.Counter((s.intent, s.answer) for s in alarms)
    if by_intent:
        print("\nalarms by intent and answer (all states):")
        for (intent, answer), n in by_intent.most_common():
            print(f"  {n:5}  {intent} -> {answer}")
    if args.alarms and alarms:
        from skill import content
        from skill_tools.simulator.nlu import Understanding

        understanding, triage = Understanding.from_model_file(), content.load().triage
        print("\nalarms (utterance: intent by sample; triage family: words):")
        seen: dict[str, list[str]] = {}
        for said in alarms:
            seen.setdefault(said.text, []).append(said.state)
        for said in alarms:
            where_heard = seen.pop(said.text, None)
            if where_heard is None:
                continue
            shown = "every state" if len(where_heard) == len(states) else ", ".join(where_heard)
            print(f"  [{shown}] {said.answer}: {said.text}  <- {causes(said, understanding, triage)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
