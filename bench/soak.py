#!/usr/bin/env python3
"""Soak: ``recovery-skill serve`` under a steady load, then a SIGTERM across that load (make soak).

Loopback only: the server listens on 127.0.0.1 (a free port) and the clients talk to nothing else.
Bounded: it stops by itself after ``--seconds`` of load (default 150) or ``--max-requests``, then
sends SIGTERM while the clients are still sending, and waits at most 30 s for the server to stop.

Prints requests per second, p50 and p99 latency, errors and the server's RSS memory at the start,
the middle and the end of the load; then what the SIGTERM did: requests answered after it, requests
dropped (sent on a connection the server had, and never answered), connections refused once it no
longer listened (nothing sent: what a load balancer retries elsewhere), and the exit code.
Exit status 0 only with 0 errors, 0 dropped, exit code 0 and memory flat (end within 10% + 8 MiB of
the middle).

    python bench/soak.py [--seconds 150] [--clients 4] [--max-requests 200000]
"""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill_tools.simulator import envelopes  # noqa: E402

HOST = "127.0.0.1"


def event_kinds():
    """What the clients send, in turn: a conversation's worth of real envelopes (no network calls)."""
    def offline(event):
        del event["context"]["System"]["apiAccessToken"]  # the settings API is not called
        return event

    symptom = [envelopes.slot("symptom", "tingling", resolved_id="TINGLING", slot_type="SymptomType")]
    return [
        lambda user: offline(envelopes.launch(user_id=user)),
        lambda user: offline(envelopes.intent("LiftingIntent", user_id=user)),
        lambda user: offline(envelopes.intent("SetSurgeryDateIntent", {"date": "2026-11-10"}, user_id=user)),
        lambda user: offline(envelopes.intent("SymptomIntent", symptom, user_id=user)),
        lambda user: offline(envelopes.intent("EmergencyIntent", user_id=user)),
        lambda user: offline(envelopes.intent("GetSurgeryDateIntent", user_id=user)),
    ]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    after_stop_answered: int = 0
    dropped: list[str] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client(url: str, number: int, stop_at: float, stopping: threading.Event, tally: Tally, budget) -> None:
    kinds = event_kinds()
    user = f"amzn1.ask.account.SOAK-{number}"
    http = requests.Session()
    for kind in itertools.cycle(kinds):
        if time.monotonic() > stop_at or next(budget, None) is None:
            return
        signalled = stopping.is_set()
        started = time.perf_counter()
        try:
            response = http.post(url, json=kind(user), timeout=10)
        except requests.ConnectionError as exc:
            refused = "Connection refused" in str(exc) or "NewConnectionError" in str(exc)
            with tally.lock:
                if stopping.is_set() and refused:
                    tally.refused += 1          # not listening any more: nothing was sent
                elif stopping.is_set():
                    tally.dropped.append(type(exc).__name__ + ": " + str(exc)[:120])
                else:
                    tally.errors.append(type(exc).__name__)
            if stopping.is_set():
                return
            continue
        except requests.RequestException as exc:
            with tally.lock:
                (tally.dropped if stopping.is_set() else tally.errors).append(type(exc).__name__)
            continue
        elapsed = time.perf_counter() - started
        ok = response.status_code == 200 and "response" in response.json()
        with tally.lock:
            if not ok:
                tally.errors.append(f"HTTP {response.status_code}")
            elif stopping.is_set() or signalled:
                tally.after_stop_answered += 1
            else:
                tally.latencies.append(elapsed)


def window(tally: Tally, start: int, end: int, seconds: float) -> str:
    chunk = sorted(tally.latencies[start:end])
    if not chunk:
        return "no requests"
    p50 = statistics.median(chunk) * 1000
    p99 = chunk[min(len(chunk) - 1, int(len(chunk) * 0.99))] * 1000
    return f"{len(chunk) / seconds:7.1f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=150.0, help="seconds of load before the SIGTERM (default 150)")
    p.add_argument("--clients", type=int, default=4, help="clients sending at once (default 4)")
    p.add_argument("--max-requests", type=int, default=200_000, help="stop the load after this many requests")
    args = p.parse_args(argv)
    if not 5 <= args.seconds <= 540:
        p.error("--seconds must be between 5 and 540: the whole soak stays under ten minutes")

    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        env = {**os.environ, "RECOVERY_SKILL_DB": f"{scratch}/soak.db", "PYTHONPATH": str(ROOT)}
        env.pop("RECOVERY_SKILL_DYNAMODB_TABLE", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "skill_tools", "serve", "--no-verify", "--host", HOST, "--port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            if " on http://" not in line:
                print("soak: the server did not start:", line, server.stderr.read(), file=sys.stderr)
                return 1
            url = line.split(" on ", 1)[1].split()[0]
            assert url.startswith(f"http://{HOST}:"), url
            stderr_lines: list[str] = []
            threading.Thread(target=lambda: stderr_lines.extend(server.stderr), daemon=True).start()
            return soak(server, url, args, stderr_lines)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def soak(server: subprocess.Popen, url: str, args, stderr_lines: list[str]) -> int:
    tally, stopping = Tally(), threading.Event()
    budget = iter(range(args.max_requests))
    for _ in range(50):  # warm up: imports, content, the first SQLite connection of each thread
        requests.post(url, json=event_kinds()[0]("amzn1.ask.account.SOAK-WARM"), timeout=10)
    began = time.monotonic()
    stop_at = began + args.seconds + 30  # the clients go on across the SIGTERM, then stop by themselves
    threads = [threading.Thread(target=client, args=(url, n, stop_at, stopping, tally, budget), daemon=True)
               for n in range(args.clients)]
    for thread in threads:
        thread.start()
    marks = []  # (seconds since start, requests so far, RSS KiB)
    print(f"soak: {args.clients} clients on {url} for {args.seconds:.0f} s (loopback only)", flush=True)
    for label, at in (("start", min(5.0, args.seconds / 3)), ("middle", args.seconds / 2), ("end", args.seconds)):
        time.sleep(max(0.0, began + at - time.monotonic()))
        with tally.lock:
            count, errors = len(tally.latencies), len(tally.errors)
        marks.append((label, time.monotonic() - began, count, rss_kib(server.pid)))
        print(f"  {label:6} {marks[-1][1]:6.1f} s  {count:7d} requests  {errors} errors  "
              f"RSS {marks[-1][3] / 1024:6.1f} MiB", flush=True)

    # SIGTERM while the clients are still sending.
    stopping.set()
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        code = None
    for thread in threads:
        thread.join(timeout=15)

    print("load, between the marks:")
    previous = (0.0, 0)
    for label, at, count, _rss in marks:
        print(f"  to {label:6}  {window(tally, previous[1], count, max(at - previous[0], 1e-9))}")
        previous = (at, count)
    total_seconds = marks[-1][1]
    print(f"  overall     {window(tally, 0, marks[-1][2], total_seconds)}  ({marks[-1][2]} requests)")
    rss = {label: kib for label, _at, _count, kib in marks}
    growth = rss["end"] - rss["middle"]
    flat = rss["end"] <= rss["middle"] * 1.10 + 8 * 1024
    print(f"memory (RSS): start {rss['start'] / 1024:.1f} MiB, middle {rss['middle'] / 1024:.1f} MiB, "
          f"end {rss['end'] / 1024:.1f} MiB ({growth / 1024:+.1f} MiB middle to end: {'flat' if flat else 'GROWING'})")
    print(f"errors: {len(tally.errors)}" + (f" ({', '.join(sorted(set(tally.errors)))})" if tally.errors else ""))
    print(f"SIGTERM across the load: {tally.after_stop_answered} answered after it, {len(tally.dropped)} dropped, "
          f"{tally.refused} connection(s) refused once no longer listening; exit code {code}")
    for drop in tally.dropped[:5]:
        print(f"  dropped: {drop}")
    noisy = [line.rstrip() for line in stderr_lines if "WARNING" in line and "--no-verify" not in line
             or "ERROR" in line or "Traceback" in line]
    print(f"server log lines beyond the start and stop notices: {len(noisy)}")
    for line in noisy[:5]:
        print(f"  {line}")
    ok = not tally.errors and not tally.dropped and code == 0 and flat and not noisy
    print("soak: OK" if ok else "soak: FAILED", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
