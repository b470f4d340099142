"""Every benchmark of the project, one after the other, then one table (``make bench``).

Runs, each in its own process with a time limit, printing what it prints:

- bench/cold_start.py    fresh process: import lambda_function + one LaunchRequest, next to the floor;
- bench/warm_latency.py  p50/p99 per request kind through lambda_function.lambda_handler, next to the floor;
- bench/sim_latency.py   the simulator's per-turn latency;
- bench/nlu_accuracy.py, bench/triage_corpus.py (tuning and held-out test sets), bench/clinc150.py (everyday
  requests to assistants), bench/storage_bench.py, bench/web_load.py: colleagues' benchmarks, where they exist;

looks into build/lambda.zip (size, top-level entries), and ends with a summary
table that sets the figures next to the goals.  Benchmarks print figures; they
never assert: a missed goal is printed as such, and the exit status is 0 unless
one of this file's own benchmarks could not run at all.

    python bench/run_all.py [--quick] [--baseline DIR] [--limit SECONDS]

--baseline DIR also measures another checkout (e.g. an unpacked ``git archive`` of
an older commit) in the cold-start and warm runs, for before/after columns.
--quick: fewer runs and requests (a smoke test of the benchmarks, not figures to quote).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
ZIP = ROOT / "build" / "lambda.zip"
COLLEAGUES = ("nlu_accuracy.py", "triage_corpus.py", "clinc150.py", "storage_bench.py", "web_load.py")
MAX_PRINTED_LINES = 150
# Benchmarks whose whole table is the point: printed uncut.
UNCUT = ("triage_corpus.py", "clinc150.py")
# Benchmarks given more than the time limit: the corpus says forty thousand sentences in six dialog states
LONGER = {"triage_corpus.py": 3}

GOAL_COLD_RATIO = 1.3
GOAL_WARM_RATIO = 3.0
GOAL_WARM_P99_MS = 5.0
GOAL_ZIP_MB = 10.0


def section(title: str) -> None:
    print()
    print(f"==== {title} " + "=" * max(4, 76 - len(title)))
    sys.stdout.flush()


def run(script: str, args: list[str], limit: float) -> tuple[bool, str]:
    """Run bench/SCRIPT; print its output (long outputs cut); True when it finished with status 0."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=limit)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        _print_cut(out)
        print(f"  [{script}: stopped after the time limit of {limit:.0f} s]")
        return False, out
    _print_cut(done.stdout, None if script in UNCUT else MAX_PRINTED_LINES)
    if done.returncode != 0:
        print(f"  [{script}: exit status {done.returncode}]")
        _print_cut(done.stderr[-4000:])
    print(f"  [{script}: {time.perf_counter() - started:.0f} s]")
    return done.returncode == 0, done.stdout


def _print_cut(text: str, most: int | None = MAX_PRINTED_LINES) -> None:
    lines = text.rstrip("\n").splitlines()
    most = len(lines) if most is None else most
    for line in lines[:most]:
        print(line)
    if len(lines) > most:
        print(f"  ... ({len(lines) - most} more lines not shown)")
    sys.stdout.flush()


def load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- the zip


def inspect_zip(path: Path = ZIP) -> dict | None:
    if not path.exists():
        return None
    entries: dict[str, list[int]] = {}
    pyc = 0
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        for info in infos:
            top = info.filename.split("/", 1)[0] + ("/" if "/" in info.filename else "")
            sizes = entries.setdefault(top, [0, 0, 0])
            sizes[0] += info.file_size
            sizes[1] += info.compress_size
            sizes[2] += 1
            pyc += info.filename.endswith(".pyc")
        content_state = _zip_content_state(z)
    newest_source = max(p.stat().st_mtime for p in [*(ROOT / "skill").rglob("*"), ROOT / "lambda" / "lambda_function.py"]
                        if p.is_file() and "__pycache__" not in p.parts)
    return {
        "bytes": path.stat().st_size,
        "files": len(infos),
        "pyc_files": pyc,
        "older_than_sources": path.stat().st_mtime < newest_source,
        "content_json": content_state,
        "entries": sorted(([name, *sizes] for name, sizes in entries.items()), key=lambda e: -e[2]),
    }


def _zip_content_state(z: zipfile.ZipFile) -> str:
    """Whether the zip's skill/content/content.json was generated from the zip's own YAML (the skill's own
    fingerprint of each file, as the skill checks it on a cold start)."""
    from skill.content import digest

    names = set(z.namelist())
    if "skill/content/content.json" not in names:
        return "missing (the skill reads the YAML: PyYAML on the cold start)"
    try:
        compiled = json.loads(z.read("skill/content/content.json"))
        sources = {name: digest(z.read(f"skill/content/{name}").decode("utf-8")) for name in compiled["sources"]}
    except (KeyError, ValueError) as exc:
        return f"unreadable ({exc}): the skill reads the YAML"
    return "up to date with the YAML" if sources == compiled["sources"] else "OUT OF DATE: the skill reads the YAML"


def report_zip(info: dict | None) -> None:
    if info is None:
        print(f"  {ZIP.relative_to(ROOT)} not found: build it with make lambda-zip")
        return
    print(f"  {ZIP.relative_to(ROOT)}: {info['bytes'] / 1e6:.2f} MB compressed, {info['files']} files, "
          f"{info['pyc_files']} .pyc" + ("   (OLDER than the sources: make lambda-zip)" if info["older_than_sources"] else ""))
    print(f"  skill/content/content.json in the zip: {info['content_json']}")
    print(f"  {'top-level entry':52s} {'unpacked':>10s} {'in the zip':>10s} {'files':>6s}")
    for name, unpacked, packed, count in info["entries"]:
        print(f"  {name:52s} {unpacked / 1024:8.0f}KB {packed / 1024:8.0f}KB {count:6d}")


# ---------------------------------------------------------------- summary


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("meets the goal" if ok else "MISSES the goal")


def summary(cold: dict | None, warm: dict | None, zip_info: dict | None, sim: dict | None,
            cold_before: dict | None, warm_before: dict | None) -> None:
    before = cold_before is not None or warm_before is not None
    head = f"  {'figure':46s} {'now':>22s}" + (f" {'before':>22s}" if before else "") + "  goal"
    print(head)

    def row(label, now, was=None, goal=""):
        print(f"  {label:46s} {now:>22s}" + (f" {was or '':>22s}" if before else "") + (f"  {goal}" if goal else ""))

    def settings(figures):
        out = {}
        for setting, summ in ((figures or {}).get("settings") or {}).items():
            out[setting] = (summ["lambda_function"], summ["floor (ask_sdk_core, one handler)"], summ["ratio"])
        return out

    c, cb = settings(cold), settings(cold_before)
    if "cached" in c:
        h, f, r = c["cached"]
        hb, fb, rb = cb.get("cached", (None, None, None))
        row("cold start, lambda_function (median wall)", f"{h['wall_ms']:.0f} ms",
            hb and f"{hb['wall_ms']:.0f} ms")
        row("cold start, floor (median wall)", f"{f['wall_ms']:.0f} ms", fb and f"{fb['wall_ms']:.0f} ms")
        row("cold start ratio (wall)", f"{r['wall']:.2f}x", rb and f"{rb['wall']:.2f}x",
            f"<= {GOAL_COLD_RATIO}x: {verdict(r['wall'] <= GOAL_COLD_RATIO)}")
        row("  import+answer inside the process", f"{h['import_ms'] + h['answer_ms']:.0f} / "
            f"{f['import_ms'] + f['answer_ms']:.0f} ms = {r['import_plus_answer']:.2f}x",
            hb and f"{hb['import_ms'] + hb['answer_ms']:.0f} / {fb['import_ms'] + fb['answer_ms']:.0f} ms = "
                   f"{rb['import_plus_answer']:.2f}x")
        row("peak memory (max RSS), lambda_function", f"{h['maxrss_kb'] / 1024:.1f} MB",
            hb and f"{hb['maxrss_kb'] / 1024:.1f} MB")
        row("peak memory (max RSS), floor", f"{f['maxrss_kb'] / 1024:.1f} MB", fb and f"{fb['maxrss_kb'] / 1024:.1f} MB")
    for setting, (h, f, r) in c.items():
        if setting == "cached":
            continue
        hb, fb, rb = cb.get(setting, (None, None, None))
        row(f"cold start, {setting}"[:46], f"{h['wall_ms']:.0f} / {f['wall_ms']:.0f} ms = {r['wall']:.2f}x",
            hb and f"{hb['wall_ms']:.0f} / {fb['wall_ms']:.0f} ms = {rb['wall']:.2f}x", "(lambda / floor, wall)")

    if warm:
        kinds = warm["kinds"]
        was_kinds = (warm_before or {}).get("kinds", {})
        for name, k in kinds.items():
            b = was_kinds.get(name)
            is_floor = name.startswith("floor")
            goal = "" if is_floor else (
                f"p99 <= {GOAL_WARM_RATIO}x floor and < {GOAL_WARM_P99_MS} ms: "
                + verdict(k["p99_over_floor_p99"] <= GOAL_WARM_RATIO and k["p99_ms"] < GOAL_WARM_P99_MS))
            row(f"warm {name} p50 / p99", f"{k['p50_ms']:.2f} / {k['p99_ms']:.2f} ms",
                b and f"{b['p50_ms']:.2f} / {b['p99_ms']:.2f} ms", goal)
            if not is_floor:
                row("  p99 / floor p99 (wall; CPU time)",
                    f"{k['p99_over_floor_p99']:.2f}x; {k['cpu_p99_over_floor']:.2f}x",
                    b and f"{b['p99_over_floor_p99']:.2f}x; {b['cpu_p99_over_floor']:.2f}x")
    if zip_info:
        row("build/lambda.zip", f"{zip_info['bytes'] / 1e6:.2f} MB", None,
            f"< {GOAL_ZIP_MB:.0f} MB: {verdict(zip_info['bytes'] / 1e6 < GOAL_ZIP_MB)}")
    if sim:
        row("simulator per turn p50 / p99", f"{sim['p50_ms']:.2f} / {sim['p99_ms']:.2f} ms")
        row("simulator start-up", f"{sim['startup_ms']:.0f} ms")
    if (BENCH / "web_load.py").exists():
        print("  web endpoint: see the web_load.py section above")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs (smoke test; not figures to quote)")
    ap.add_argument("--baseline", help="another checkout to measure too, for a 'before' column")
    ap.add_argument("--limit", type=float, default=600, help="time limit of each benchmark, seconds")
    args = ap.parse_args(argv)

    cold_runs, warm_requests, sim_turns = ("4", "200", "60") if args.quick else ("20", "2000", "400")
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"Benchmarks of {ROOT} on Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failed = []

    cold = cold_before = warm = warm_before = None
    section("cold start")
    ok, _ = run("cold_start.py", ["--runs", cold_runs, "--json", str(tmp / "cold.json")], args.limit)
    cold = load(tmp / "cold.json") if ok else None
    if cold is None:
        failed.append("cold_start.py")
    if args.baseline:
        section(f"cold start, baseline {args.baseline}")
        ok, _ = run("cold_start.py", ["--runs", cold_runs, "--json", str(tmp / "cold-before.json"),
                                      "--root", args.baseline, "--no-zip"], args.limit)
        cold_before = load(tmp / "cold-before.json") if ok else None

    section("warm latency")
    ok, _ = run("warm_latency.py", ["--requests", warm_requests, "--json", str(tmp / "warm.json")], args.limit)
    warm = load(tmp / "warm.json") if ok else None
    if warm is None:
        failed.append("warm_latency.py")
    if args.baseline:
        section(f"warm latency, baseline {args.baseline}")
        ok, _ = run("warm_latency.py", ["--requests", warm_requests, "--json", str(tmp / "warm-before.json"),
                                        "--root", args.baseline], args.limit)
        warm_before = load(tmp / "warm-before.json") if ok else None

    section("deployment package")
    zip_info = inspect_zip()
    report_zip(zip_info)

    section("simulator")
    ok, _ = run("sim_latency.py", ["--turns", sim_turns, "--json", str(tmp / "sim.json")], args.limit)
    sim = load(tmp / "sim.json") if ok else None
    if sim is None:
        failed.append("sim_latency.py")

    for script in COLLEAGUES:
        if (BENCH / script).exists():
            section(script)
            run(script, [], args.limit * LONGER.get(script, 1))

    section("summary")
    summary(cold, warm, zip_info, sim, cold_before, warm_before)
    if failed:
        print(f"  could not run: {', '.join(failed)}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
