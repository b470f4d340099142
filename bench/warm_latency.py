"""Warm latency through the Lambda entry point, next to the floor (a one-handler ask_sdk_core skill).

In one process: ``lambda_function.lambda_handler`` (storage in a temporary SQLite
file) and ``bench/floor_skill.py``'s handler each answer pre-built request dicts
(made with skill_tools.simulator.envelopes, copied outside the timed loop, so the
timed part is exactly what Lambda runs per invocation: deserialise, dispatch,
handle, serialise).  The kinds are interleaved in rounds, so noise from other
work on the machine falls on all of them alike.  Prints p50/p99 per kind and
each kind's p99 over the floor's p99; it asserts nothing.

The requests carry no apiAccessToken, so the device time-zone look-up falls back
to the configured zone without calling the network (see skill/clock.py).

    python bench/warm_latency.py [--requests 2000] [--rounds 20] [--json FILE] [--root DIR]

--root runs another checkout of the project (a directory with lambda/ and skill/),
e.g. an unpacked ``git archive`` of an older commit, for before/after figures.
"""
from __future__ import annotations

import argparse
import copy
import gc
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent

# Tuesday 24 November 2026, 10:00 in New York (the tests' date).
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
NEW_USER = "amzn1.ask.account.BENCH-NEW"
DATED_USER = "amzn1.ask.account.BENCH-DATED"
STORED_DATE = "2026-11-10"


def requests(envelopes) -> dict[str, dict]:
    """The request kinds, as Lambda receives them; no apiAccessToken (no network)."""
    kinds = {
        "launch": envelopes.launch(NOW, user_id=NEW_USER),
        "launch, date stored": envelopes.launch(NOW, user_id=DATED_USER),
        "topic (DrivingIntent)": envelopes.intent("DrivingIntent", now=NOW, user_id=NEW_USER),
        "symptom (chest pain)": envelopes.intent("SymptomIntent", {"symptom": "chest pain"}, now=NOW, user_id=NEW_USER),
        "timing, date stored (Lifting)": envelopes.intent("LiftingIntent", now=NOW, user_id=DATED_USER),
        "set date (2026-11-10)": envelopes.intent("SetSurgeryDateIntent", {"date": "2026-11-10"}, now=NOW,
                                                  user_id=NEW_USER),
    }
    for event in kinds.values():
        event["context"]["System"]["apiAccessToken"] = None
    return kinds


def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values) - 1e-9)))
    return sorted_values[rank - 1]


def measure(requests_per_kind: int, rounds: int, root: Path) -> dict:
    sys.path[:0] = [str(root / "lambda"), str(root), str(BENCH)]
    db_dir = tempfile.mkdtemp(prefix="warm-bench-")
    os.environ["RECOVERY_SKILL_DB"] = os.path.join(db_dir, "recovery.db")
    os.environ.pop("RECOVERY_SKILL_DYNAMODB_TABLE", None)
    os.environ.pop("RECOVERY_SKILL_ID", None)

    import floor_skill
    import lambda_function
    from skill.storage.sqlite import SQLiteAdapter
    from skill.storage.store import user_key
    from skill_tools.simulator import envelopes

    SQLiteAdapter(os.environ["RECOVERY_SKILL_DB"]).save(
        user_key(DATED_USER), {"surgery_date": STORED_DATE}
    )

    kinds = {name: (lambda_function.lambda_handler, event) for name, event in requests(envelopes).items()}
    kinds["floor: launch"] = (floor_skill.lambda_handler, requests(envelopes)["launch"])

    # Check each kind answers what it should before timing it.
    answers = {}
    for name, (handler, event) in kinds.items():
        out = handler(copy.deepcopy(event), None)
        answers[name] = ((out.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")[:90]

    per_round = -(-requests_per_kind // rounds)
    samples: dict[str, list[int]] = {name: [] for name in kinds}
    cpu_samples: dict[str, list[int]] = {name: [] for name in kinds}
    for _ in range(3):  # warm-up: caches, the SQLite connection, the zone
        for handler, event in kinds.values():
            handler(copy.deepcopy(event), None)
    order = list(kinds)
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for r in range(rounds):
        # Rotate the order each round so no kind always runs right after another.
        shift = r % len(order)
        for name in order[shift:] + order[:shift]:
            handler, event = kinds[name]
            events = [copy.deepcopy(event) for _ in range(per_round)]
            gc.collect()
            times, cpu_times = samples[name], cpu_samples[name]
            for ev in events:
                c0 = cpu_clock()
                t0 = clock()
                handler(ev, None)
                t1 = clock()
                cpu_times.append(cpu_clock() - c0)
                times.append(t1 - t0)

    floor = sorted(samples["floor: launch"])
    floor_p99 = percentile(floor, 0.99) / 1e6
    floor_cpu_p99 = percentile(sorted(cpu_samples["floor: launch"]), 0.99) / 1e6
    results = {}
    for name, values in samples.items():
        values.sort()
        cpu = sorted(cpu_samples[name])
        p50, p99 = percentile(values, 0.50) / 1e6, percentile(values, 0.99) / 1e6
        results[name] = {
            "cpu_p50_ms": percentile(cpu, 0.50) / 1e6,
            "cpu_p99_ms": percentile(cpu, 0.99) / 1e6,
            "cpu_p99_over_floor": percentile(cpu, 0.99) / 1e6 / floor_cpu_p99,
            "n": len(values),
            "p50_ms": p50,
            "p99_ms": p99,
            "mean_ms": statistics.fmean(values) / 1e6,
            "max_ms": values[-1] / 1e6,
            "p99_over_floor_p99": p99 / floor_p99,
            "answer": answers[name],
        }
    return {"root": str(root), "python": sys.version.split()[0], "kinds": results}


def report(figures: dict) -> str:
    lines = [f"Warm latency through lambda_function.lambda_handler (Python {figures['python']}, "
             f"{figures['root']}); times in ms",
             f"  {'':32s} {'':5s} {'wall clock':-^42s}  {'CPU time of the thread':-^24s}",
             f"  {'request':32s} {'n':>5s} {'p50':>7s} {'p99':>7s} {'mean':>7s} {'max':>7s} p99/floor"
             f"  {'p50':>7s} {'p99':>7s} p99/floor"]
    for name, k in figures["kinds"].items():
        lines.append(f"  {name:32s} {k['n']:5d} {k['p50_ms']:7.3f} {k['p99_ms']:7.3f} {k['mean_ms']:7.3f} "
                     f"{k['max_ms']:7.2f} {k['p99_over_floor_p99']:8.2f}x  {k['cpu_p50_ms']:7.3f} {k['cpu_p99_ms']:7.3f}"
                     f" {k['cpu_p99_over_floor']:8.2f}x")
    lines.append("  (CPU time leaves out time the thread waited for a core: on a busy machine the wall-clock p99")
    lines.append("   is mostly other processes' work; the CPU-time p99 is what this code itself costs)")
    lines.append("  what each answered (start of the SSML):")
    for name, k in figures["kinds"].items():
        lines.append(f"    {name:30s} {k['answer']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per kind (at least 2000 for the table)")
    ap.add_argument("--rounds", type=int, default=20, help="interleaved rounds the requests are split into")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--root", default=str(ROOT), help="project checkout to measure (default: this one)")
    args = ap.parse_args(argv)
    try:
        figures = measure(args.requests, args.rounds, Path(args.root).resolve())
    finally:
        if os.environ.get("RECOVERY_SKILL_DB", "").startswith(tempfile.gettempdir()):
            shutil.rmtree(os.path.dirname(os.environ["RECOVERY_SKILL_DB"]), ignore_errors=True)
    print(report(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
