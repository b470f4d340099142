"""The triage corpus said to the whole skill in every dialog state: the tuning set and the held-out test sets.

    python bench/triage_corpus.py [--states one-shot,after launch,...] [--by complaint|family]
                                  [--misses] [--show-test-misses] [--tuning FILE ...] [--test FILE]

Two sets (skill_tools/simulator/corpus.py): TUNING (skill_tools/corpus/triage_tuning*.yaml,
package data of the tools: the engine may be tuned on it) and TEST (tests/data/triage_test.yaml:
written blind, frozen, never tuned on; its sentences that are also in a tuning file are left out
of its figures), with CRISIS_TEST beside it (tests/data/triage_test_crisis.yaml: 300 crisis sentences and their
twins, also blind and frozen, in the done-when lines). A set whose files are not written yet is left out.

Printed, the tuning figures beside the test figures:
  per level and dialog state   n, first (the emergency instruction first), 911 (a 911 sentence
                               anywhere), right (the answer labelled), alarm (911, 988 or Poison
                               Control in the first sentence: for not_alarm, a false alarm), asked
                               (the skill asked its one yes/no question; the person said "no")
  per complaint (or family)    first / 911 / right in each state, a tuning line and a test line;
                               for not_alarm rows the first column is the alarm share
  done when                    issue 18's measures, PASS or FAIL for each set
--misses lists the tuning set's misses; the test set's only with --show-test-misses (for the final
report: nobody tunes on them). Prints figures, never asserts: tests/test_triage_corpus.py holds the floors.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill_tools.simulator import corpus  # noqa: E402

# The held-out test set: the bench passes it in, the tools never default to it.
TEST = Path(__file__).resolve().parents[1] / "tests" / "data" / "triage_test.yaml"
# ... and its crisis set: 300 crisis sentences and their 300 twins, by three more blind writers
CRISIS_TEST = TEST.with_name("triage_test_crisis.yaml")

RANK = {label: i for i, label in enumerate(corpus.LABELS)}


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f}%" if total else "    - "


def row_cells(group: list) -> str:
    """first, 911, right (alarm for not_alarm) of a group of results."""
    if not group:
        return "      -      -      -"
    n = len(group)
    first = sum(s.first_alarm if s.level == "not_alarm" else s.emergency_first for s in group)
    return f"{pct(first, n)} {pct(sum(s.safety_line for s in group), n)} {pct(sum(s.right for s in group), n)}"


def level_cells(group: list) -> str:
    if not group:
        return f"{'-':>5}" + "      -" * 5
    n = len(group)
    return (f"{n:5} " + " ".join(pct(sum(f(s) for s in group), n) for f in (
        lambda s: s.emergency_first, lambda s: s.safety_line, lambda s: s.right, lambda s: s.first_alarm,
        lambda s: s.asked)))


def misses(title: str, results: list, states: list) -> None:
    """One line per sentence and answer heard, with the states it was heard in."""
    heard: dict[tuple, list] = {}
    for said in results:
        if not said.right:
            key = (RANK.get(said.level, 99), said.level, said.group, said.text, said.answer, said.asked, said.intent)
            heard.setdefault(key, []).append(said.state)
    print(f"\n{title}: {len(heard)}")
    for (_, level, group, text, answer, asked, intent), where in sorted(heard.items()):
        shown = "every state" if len(where) == len(states) else ", ".join(where)
        print(f"  {level}/{group} -> {answer}{' after its question' if asked else ''} ({intent}) [{shown}]: {text}")


def held_out_crisis_answers(crisis: list, states: list) -> None:
    """What the held-out crisis set's misses were answered with, as counts only (its sentences are
    never shown): tells a crisis heard as an emergency from one not heard at all, and a twin alarmed
    with 911 from one alarmed with 988."""
    one = [s for s in crisis if s.state == states[0]]
    for title, wrong in (("crisis sentences without 988", [s for s in one if s.level == "crisis" and not s.right]),
                         ("twins alarmed first", [s for s in one if s.level == "not_alarm" and s.first_alarm])):
        tally: dict[str, int] = {}
        for said in wrong:
            tally[said.answer] = tally.get(said.answer, 0) + 1
        shown = ", ".join(f"{answer} {n}" for answer, n in sorted(tally.items(), key=lambda kv: -kv[1]))
        print(f"crisis test (held out), {states[0]}: {title}: {len(wrong)}" + (f" ({shown})" if shown else ""))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tuning", nargs="+", default=[str(p) for p in corpus.TUNING + corpus.BENCH_ONLY], metavar="FILE")
    ap.add_argument("--test", default=str(TEST), metavar="FILE")
    ap.add_argument("--crisis-test", default=str(CRISIS_TEST), metavar="FILE")
    ap.add_argument("--states", default=",".join(corpus.STATES))
    ap.add_argument("--by", choices=("complaint", "family"), default="complaint",
                    help="group sentences by complaint (else family; the default) or by triage family")
    ap.add_argument("--misses", action="store_true", help="list every tuning sentence that did not get its answer")
    ap.add_argument("--show-test-misses", action="store_true",
                    help="also list the held-out test set's misses (for the final report; never to tune on)")
    args = ap.parse_args(argv)
    states = [s for s in args.states.split(",") if s]
    held_out, shared = corpus.load_held_out((args.test,), args.tuning)
    crisis_held, crisis_shared = corpus.load_held_out((args.crisis_test,), args.tuning)
    sets = {"tuning": corpus.load_set(args.tuning), "test": held_out, "crisis": crisis_held}
    shared_in = {"test": shared, "crisis": crisis_shared}
    for name, files in (("tuning", args.tuning), ("test", [args.test]), ("crisis", [args.crisis_test])):
        found = [Path(f).name for f in files if Path(f).exists()]
        print(f"{name:7} {len(sets[name]):5} sentences from {', '.join(found) or 'no file yet'}"
              + (f" (not written yet: {', '.join(Path(f).name for f in files if not Path(f).exists())})"
                 if len(found) < len(files) else "")
              + (f" ({shared_in[name]} more are also in the tuning files, so not held out: left out)"
                 if shared_in.get(name) else ""))
    results = {}
    for name, entries in sets.items():
        started = time.perf_counter()
        results[name] = corpus.run(entries, states=states, workers=corpus.cores()) if entries else []
        took = time.perf_counter() - started
        if entries:
            print(f"{name:7} {len(entries)} x {len(states)} states = {len(results[name])} turns in {took:.1f} s "
                  f"({1000 * took / max(1, len(results[name])):.1f} ms a turn, simulator included)")
    tune, test = results["tuning"], results["test"]

    head = f"{'n':>5} {'first':>6} {'911':>6} {'right':>6} {'alarm':>6} {'asked':>6}"
    print(f"\n{'level':10} {'dialog state':24} | {'tuning':^41} | {'test (held out)':^41}")
    print(f"{'':10} {'':24} | {head} | {head}")
    for level in corpus.LABELS:
        if not any(s.level == level for s in tune + test):
            continue
        for state in states + ["all states"]:
            pick = (lambda s: s.level == level and s.state == state) if state != "all states" else \
                (lambda s: s.level == level)
            print(f"{level:10} {state:24} | {level_cells([s for s in tune if pick(s)])} | "
                  f"{level_cells([s for s in test if pick(s)])}")

    by = (lambda s: s.family or "-") if args.by == "family" else (lambda s: s.group)
    groups = sorted({(s.level, by(s)) for s in tune + test}, key=lambda k: (RANK.get(k[0], 99), k[1]))
    cell_head = "".join(f" | {s[:20]:^20}" for s in states)
    print(f"\nper {args.by} (first 911 right in each state; not_alarm: alarm 911 right)")
    print(f"{'level / ' + args.by:35}{'set':5}{cell_head}")
    for level, name in groups:
        for label, res in (("tune", tune), ("test", test)):
            members = [s for s in res if s.level == level and by(s) == name]
            if not members:
                continue
            n = sum(1 for s in members if s.state == states[0])
            line = f"{level[:9]:9} {name[:20]:20} {n:4} {label:4}"
            for state in states:
                line += " | " + row_cells([s for s in members if s.state == state])
            print(line)

    crisis = results["crisis"]
    print(f"\n{'done when (issue 18)':42} {'goal':>6} | {'tuning':^24} | {'test (held out)':^24} | "
          f"{'crisis test (held out)':^24}")
    for m in corpus.DONE_WHEN:
        line = f"{m.name:42} {100 * m.goal:5.0f}%"
        for res in (tune, test, crisis):
            hits, total, per = m.figures(res)
            verdict = m.passed(res)
            worst = min((h / n for h, n in per.values()), default=0)
            shown = f"{pct(hits, total)}" + (f" (min {100 * worst:5.1f}%)" if m.every_state and per else " " * 13)
            line += f" | {shown} {'-' if verdict is None else 'PASS' if verdict else 'FAIL':4}"
        print(line)
    held_out_crisis_answers(crisis, states)
    for label, res in (("tuning", tune), ("test", test)):
        if res:
            asked = sum(s.asked for s in res)
            print(f"{label}: {asked} of {len(res)} answers were a question first ({pct(asked, len(res)).strip()})")

    if args.misses:
        misses("tuning set: not the labelled answer", tune, states)
    if args.show_test_misses:
        misses("TEST set (held out; for the report, never to tune on): not the labelled answer", test, states)
    return 0


if __name__ == "__main__":
    sys.exit(main())
