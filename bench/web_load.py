"""Load on the served skill: throughput and latency over loopback, with and without verification.

The web-service app (skill_tools.web.app on waitress, as ``recovery-skill serve`` runs it)
is served from this process on 127.0.0.1, storage in a temporary SQLite file, the
device time zone answered locally.  Requests are signed like Alexa's with the test
PKI of tests/certs_for_tests.py (trusted by the server's verifiers; chains served
from memory, so nothing leaves the machine).  A separate client process fires
them with 1, 8 and 32 threads, each on its own keep-alive connection, until a
request count or a time limit is reached, first with verification on, then
with it off (``--no-verify``).  Prints a table; it asserts nothing.

    python bench/web_load.py [--requests 2000] [--seconds 10] [--threads 4]
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import logging
import math
import multiprocessing
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = (1, 8, 32)
DISTINCT_BODIES = 64  # signed once per setting, then replayed (well within the 150 s window)


# ------------------------------------------------------------------ client process (stdlib only)


def fire(host: str, port: int, requests: list[tuple[bytes, dict]], clients: int, total: int, seconds: float) -> dict:
    """Send up to ``total`` requests from ``clients`` threads for at most ``seconds``."""
    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors = [0]
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def next_index() -> int | None:
        with lock:
            if issued[0] >= total or time.perf_counter() > deadline[0]:
                return None
            issued[0] += 1
            return issued[0]

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine, failed = [], 0
        start.wait()
        while (index := next_index()) is not None:
            body, headers = requests[index % len(requests)]
            began = time.perf_counter()
            try:
                conn.request("POST", "/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
            mine.append(time.perf_counter() - began)
            failed += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "per_second": len(latencies) / wall if wall else 0.0,
        "p50_ms": _percentile(latencies, 50) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
    }


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = math.ceil(percent / 100 * len(sorted_values))  # nearest-rank percentile
    return sorted_values[max(rank, 1) - 1]


# ------------------------------------------------------------------ server side (this process)


def _test_pki():
    spec = importlib.util.spec_from_file_location("certs_for_tests", ROOT / "tests" / "certs_for_tests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AlexaTestPKI()


def _signed_requests(pki, verify: bool) -> list[tuple[bytes, dict]]:
    """A mix of what a session sends: launches and questions, from several people, fresh timestamps."""
    from skill_tools.simulator import envelopes

    kinds = [
        lambda user: envelopes.launch(user_id=user),
        lambda user: envelopes.intent("AboutProcedureIntent", user_id=user, new=False),
        lambda user: envelopes.intent("LiftingIntent", user_id=user, new=False),
        lambda user: envelopes.intent("AMAZON.HelpIntent", user_id=user, new=False),
    ]
    signed = []
    for n in range(DISTINCT_BODIES):
        body = json.dumps(kinds[n % len(kinds)](f"amzn1.ask.account.BENCH-{n % 16}")).encode()
        headers = pki.headers(body) if verify else {"Content-Type": "application/json"}
        signed.append((body, headers))
    return signed


def _verifier_cost_us(pki, runs: int = 500) -> float:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    from skill_tools.simulator import envelopes
    from skill_tools.web.verification import default_verifiers

    verifiers = default_verifiers(envelopes.SKILL_ID, trust_store=pki.trust_store, chain_fetcher=pki.fetch)
    body, headers = _signed_requests(pki, verify=True)[0]
    text = body.decode()
    envelope = DefaultSerializer().deserialize(text, RequestEnvelope)  # as flask-ask-sdk passes it
    began = time.perf_counter()
    for _ in range(runs):
        for verifier in verifiers:
            verifier.verify(headers, text, envelope)
    return (time.perf_counter() - began) / runs * 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per setting (at most)")
    ap.add_argument("--seconds", type=float, default=10.0, help="time per setting (at most)")
    ap.add_argument("--threads", type=int, default=4, help="server worker threads (serve --workers)")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    logging.basicConfig(level=logging.ERROR)
    from skill.builder import skill_builder
    from skill_tools.simulator import envelopes
    from skill_tools.simulator.session import LocalSettingsApi
    from skill.storage.sqlite import SQLiteAdapter
    from skill_tools.web.app import create_app
    from skill_tools.web.server import running
    from skill_tools.web.verification import default_verifiers

    pki = _test_pki()
    client = multiprocessing.get_context("spawn").Pool(1)  # the load comes from another process
    results = {}
    with tempfile.TemporaryDirectory() as scratch, client, contextlib.ExitStack() as servers:
        store = SQLiteAdapter(Path(scratch) / "bench.db")
        addresses = {}
        for verify in (True, False):
            skill = skill_builder(persistence_adapter=store, api_client=LocalSettingsApi(), skill_id=envelopes.SKILL_ID).create()
            if verify:
                verifiers = default_verifiers(envelopes.SKILL_ID, trust_store=pki.trust_store, chain_fetcher=pki.fetch)
                app = create_app(skill, verifiers=verifiers)
            else:
                app = create_app(skill, verify=False)
            host, port = servers.enter_context(running(app, threads=args.threads)).removeprefix("http://").split(":")
            addresses[verify] = (host, int(port))
        # On and off alternate, so a change in the machine's load hits both alike.
        for clients in CLIENTS:
            for verify in (True, False):
                requests = _signed_requests(pki, verify)
                client.apply(fire, (*addresses[verify], requests, clients, 20, 5.0))  # warm up
                results[verify, clients] = client.apply(
                    fire, (*addresses[verify], requests, clients, args.requests, args.seconds)
                )

    print(f"Verifiers alone, in process: {_verifier_cost_us(pki):.0f} µs per request "
          "(timestamp, application ID, cached chain validated, signature)")
    print(f"Web service load: waitress {args.threads} threads, loopback, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; client in another process; at most {args.requests} requests "
          f"or {args.seconds:g} s per row")
    print(f"{'verification':<13}{'clients':>8}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for verify in (True, False):
        for clients in CLIENTS:
            r = results[verify, clients]
            print(f"{'on' if verify else 'off':<13}{clients:>8}{r['requests']:>10}{r['errors']:>8}"
                  f"{r['per_second']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
