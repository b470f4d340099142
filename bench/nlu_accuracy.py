"""How well the simulator's language understanding copes with paraphrases it was not built from.

Runs every case of tests/data/paraphrases.yaml (a held-out development set: sentences people
might say, none copied from the interaction model) through skill_tools.simulator.nlu and prints:
intent accuracy overall and per intent, slot words, the fallback rates, strict-mode accuracy
(exact samples only), per-turn latency and the misses. It reports; it asserts nothing.

    python bench/nlu_accuracy.py [--data FILE] [--misses N] [--repeat N]

Slot words are compared two ways: equal to the expected words, and containing them (the
simulator, like Alexa, fills a custom slot with everything heard in its place, e.g.
"tingling in my toes", and resolves that to TINGLING).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill_tools.simulator.nlu import FALLBACK, FALLBACK_THRESHOLD, Understanding, basic_tokens  # noqa: E402

TODAY = date(2026, 11, 24)


def _words(text) -> str:
    return " ".join(basic_tokens(str(text)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "tests" / "data" / "paraphrases.yaml"))
    ap.add_argument("--misses", type=int, default=1000, help="show at most this many misses")
    ap.add_argument("--repeat", type=int, default=5, help="parses per sentence for the best-of latency")
    args = ap.parse_args(argv)

    with open(args.data, encoding="utf-8") as f:
        cases = yaml.safe_load(f)["cases"]

    started = time.perf_counter()
    nlu = Understanding.from_model_file()
    load_ms = (time.perf_counter() - started) * 1000

    per_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    latencies, best_of, misses, slot_misses = [], [], [], []
    correct = strict_correct = 0
    in_domain = in_domain_fallback = ood = ood_fallback = 0
    slot_total = slot_correct = slot_within = 0
    for case in cases:
        say, want = str(case["say"]), case["intent"]
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            got = nlu.parse(say, TODAY)
            runs.append((time.perf_counter() - t0) * 1000)
        latencies.append(runs[0])
        best_of.append(min(runs))
        strict = nlu.parse(say, TODAY, strict=True)

        ok = got.intent == want
        correct += ok
        strict_correct += strict.intent == want
        per_intent[want][0] += ok
        per_intent[want][1] += 1
        if want == FALLBACK:
            ood += 1
            ood_fallback += got.intent == FALLBACK
        else:
            in_domain += 1
            in_domain_fallback += got.intent == FALLBACK
        if not ok:
            misses.append((say, want, got))
        for name, words in (case.get("slots") or {}).items():
            slot_total += 1
            heard = got.slot_words.get(name)
            exact = ok and heard is not None and _words(heard) == _words(words)
            within = ok and heard is not None and f" {_words(words)} " in f" {_words(heard)} "
            slot_correct += exact
            slot_within += within
            if not exact:
                slot_misses.append((say, name, words, heard if ok else f"(intent {got.intent})"))

    n = len(cases)
    pct = lambda a, b: f"{100 * a / b:5.1f}%" if b else "   n/a"  # noqa: E731
    def pq(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    print(f"NLU accuracy on {Path(args.data).name}: {n} cases, today = {TODAY}")
    print(f"  model load                 {load_ms:7.1f} ms")
    print(f"  intent accuracy            {pct(correct, n)}  ({correct}/{n})")
    print(f"  slot words, exact          {pct(slot_correct, slot_total)}  "
          f"({slot_correct}/{slot_total} slots: heard words == expected)")
    print(f"  slot words, containing     {pct(slot_within, slot_total)}  "
          f"({slot_within}/{slot_total} slots: expected words within heard)")
    print(f"  in-domain fell to Fallback {pct(in_domain_fallback, in_domain)}  ({in_domain_fallback}/{in_domain})")
    print(f"  out-of-domain -> Fallback  {pct(ood_fallback, ood)}  ({ood_fallback}/{ood})")
    print(f"  strict-mode accuracy       {pct(strict_correct, n)}  ({strict_correct}/{n}; exact samples only)")
    print(f"  latency per turn           p50 {pq(latencies, 0.5):.2f} ms   p99 {pq(latencies, 0.99):.2f} ms   "
          f"mean {statistics.fmean(latencies):.2f} ms   max {max(latencies):.2f} ms   (first parse)")
    if args.repeat > 1:
        print(f"  latency, best of {args.repeat:<2d}        p50 {pq(best_of, 0.5):.2f} ms   "
              f"p99 {pq(best_of, 0.99):.2f} ms   (less scheduling noise)")
    print(f"  fallback threshold         {FALLBACK_THRESHOLD}")
    print()
    print("per intent:")
    for intent in sorted(per_intent):
        ok, total = per_intent[intent]
        print(f"  {intent:28s} {pct(ok, total)}  ({ok}/{total})")
    print()
    print(f"misses ({len(misses)}):")
    for say, want, got in misses[: args.misses]:
        print(f"  {say!r}\n      want {want}, got {got.intent} ({got.confidence:.2f}) via {got.sample!r}")
    if slot_misses:
        print()
        print(f"slot misses ({len(slot_misses)}):")
        for say, name, words, heard in slot_misses[: args.misses]:
            print(f"  {say!r}: {name} want {words!r}, heard {heard!r}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:          # e.g. piped into head
        sys.exit(0)
