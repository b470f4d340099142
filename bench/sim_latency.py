"""The simulator's per-turn latency: typed sentence -> understanding -> envelope -> Lambda entry -> answer.

``skill_tools.simulator.device.Simulator.local`` (SQLite in a temporary file, the device
zone answered locally, a fixed date) plays a conversation of everyday sentences
again and again, for a few hundred turns.  Prints the start-up time (the
interaction model's understanding is built then), per-turn p50/p90/p99 in wall
clock and thread CPU time, and the slowest sentences.  It asserts nothing.

    python bench/sim_latency.py [--turns 400] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
ZONE = "America/New_York"

# One visit: opens, asks, reports a symptom, sets and reads the date, and leaves.
CONVERSATION = (
    "open spine recovery helper",
    "when can I drive",
    "no",
    "I have chest pain",
    "my surgery was on november tenth",
    "yes",
    "how long until I can lift things",
    "is it normal to be sore",
    "repeat that",
    "what's my surgery date",
    "can I take a bath",
    "help",
    "how long is the recovery",
    "yes",
    "stop",
    "ask spine recovery helper when can i walk",
    "forget my surgery date",
    "yes",
    "stop",
)


def percentile(sorted_values, q: float) -> float:
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values) - 1e-9)))
    return sorted_values[rank - 1]


def measure(turns: int) -> dict:
    work = tempfile.mkdtemp(prefix="sim-bench-")
    try:
        return _measure(turns, Path(work) / "recovery.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(turns: int, db: Path) -> dict:
    from skill_tools.simulator.device import Simulator

    started = time.perf_counter()
    sim = Simulator.local(str(db), now=NOW, zone=ZONE)
    startup_ms = (time.perf_counter() - started) * 1000

    wall, cpu, intents = [], [], {}
    per_sentence: dict[str, list[float]] = defaultdict(list)
    for i in range(turns):
        text = CONVERSATION[i % len(CONVERSATION)]
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        result = sim.say(text)
        t1 = time.perf_counter_ns()
        cpu.append((time.thread_time_ns() - c0) / 1e6)
        wall.append((t1 - t0) / 1e6)
        per_sentence[text].append((t1 - t0) / 1e6)
        intents.setdefault(text, result.intent or result.request_type)
    wall_sorted, cpu_sorted = sorted(wall), sorted(cpu)
    slowest = sorted(((statistics.median(v), k) for k, v in per_sentence.items()), reverse=True)[:5]
    return {
        "python": sys.version.split()[0],
        "turns": turns,
        "startup_ms": startup_ms,
        "p50_ms": percentile(wall_sorted, 0.50),
        "p90_ms": percentile(wall_sorted, 0.90),
        "p99_ms": percentile(wall_sorted, 0.99),
        "mean_ms": statistics.fmean(wall),
        "max_ms": wall_sorted[-1],
        "cpu_p50_ms": percentile(cpu_sorted, 0.50),
        "cpu_p99_ms": percentile(cpu_sorted, 0.99),
        "slowest": [{"sentence": k, "median_ms": m, "understood_as": intents[k]} for m, k in slowest],
    }


def report(f: dict) -> str:
    lines = [
        f"Simulator per turn: Simulator.local(...).say(text), {f['turns']} turns (Python {f['python']})",
        f"  start-up (understanding built)  {f['startup_ms']:8.1f} ms",
        f"  per turn, wall clock            p50 {f['p50_ms']:.2f} ms   p90 {f['p90_ms']:.2f} ms   "
        f"p99 {f['p99_ms']:.2f} ms   mean {f['mean_ms']:.2f} ms   max {f['max_ms']:.1f} ms",
        f"  per turn, thread CPU time       p50 {f['cpu_p50_ms']:.2f} ms   p99 {f['cpu_p99_ms']:.2f} ms",
        "  slowest sentences (median wall clock):",
    ]
    for s in f["slowest"]:
        lines.append(f"    {s['median_ms']:7.2f} ms  {s['sentence']!r} -> {s['understood_as']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=400)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    figures = measure(max(args.turns, 1))
    print(report(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
