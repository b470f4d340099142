#!/usr/bin/env python3
"""Storage benchmark: save/load latency and concurrent people through the skill, SQLite and DynamoDB.

DynamoDB is dynalite on 127.0.0.1 (started and stopped here; see scripts/dynalite.py),
so its figures measure the adapter, boto3 and a loopback HTTP round trip, not AWS.
Prints figures only: it asserts nothing (the tests do).

    python bench/storage_bench.py [--ops 400] [--users 60] [--threads 8]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ask_sdk_model.services import ApiClientResponse  # noqa: E402

from skill.storage.dynamodb import dynamodb_adapter  # noqa: E402
from skill.storage.sqlite import SQLiteAdapter  # noqa: E402
from skill.storage.store import user_key  # noqa: E402
from skill.builder import skill_builder  # noqa: E402
from skill_tools.simulator import envelopes  # noqa: E402
from skill.speech import spoken_date, strip_tags  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 24)


class FakeApi:
    """The settings API's time zone, without network."""

    def invoke(self, request):
        return ApiClientResponse(headers=[], status_code=200, body='"America/New_York"')


def load_dynalite():
    spec = importlib.util.spec_from_file_location("recovery_skill_dynalite", REPO / "scripts" / "dynalite.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def latency(name: str, store, ops: int) -> None:
    """Save then load one person's record, ``ops`` times over 50 people."""
    keys = [user_key(f"amzn1.ask.account.BENCH-{i}") for i in range(50)]
    saves, loads = [], []
    store.save(keys[0], {"surgery_date": "2026-01-01"})  # first use: connection, table
    for i in range(ops):
        key = keys[i % len(keys)]
        record = {"surgery_date": (TODAY - timedelta(days=i % 300)).isoformat()}
        started = time.perf_counter()
        store.save(key, record)
        saves.append(time.perf_counter() - started)
        started = time.perf_counter()
        store.load(key)
        loads.append(time.perf_counter() - started)
    for what, values in (("save", saves), ("load", loads)):
        print(f"{name:<22} {what}  p50 {ms(statistics.median(values))}  p99 {ms(percentile(values, 99))}"
              f"  ({len(values)} ops)")


def conversations(name: str, new_adapter, users: int, threads: int) -> None:
    """``users`` people at once, each: set the date (2 requests), then ask for it in a new session (1 request).

    Three skill instances (containers) share the store, each with its own adapter.
    A record is lost when nothing is stored for a person, wrong when it holds
    another date, or when the answer names another date.
    """
    containers = [skill_builder(persistence_adapter=new_adapter(), api_client=FakeApi()).lambda_handler()
                  for _ in range(3)]
    people = [(f"amzn1.ask.account.BENCH-USER-{n:04d}", TODAY - timedelta(days=1 + n % 360)) for n in range(users)]
    wrong_answers = []
    failures = []
    lock = threading.Lock()

    def person(n: int) -> None:
        user_id, day = people[n]
        handler = containers[n % 3]
        session = {"session_id": f"amzn1.echo-api.session.bench-{n}", "user_id": user_id}
        try:
            asked = handler(envelopes.intent("SetSurgeryDateIntent", {"date": day.isoformat()}, now=NOW, new=True,
                                             **session), None)
            handler(envelopes.intent("AMAZON.YesIntent", now=NOW, new=False,
                                     session_attributes=asked.get("sessionAttributes") or {}, **session), None)
            answer = containers[(n + 1) % 3](envelopes.intent("GetSurgeryDateIntent", now=NOW, user_id=user_id), None)
            said = strip_tags(answer["response"]["outputSpeech"]["ssml"])
            if f"since your surgery on {spoken_date(day, TODAY)}." not in said:
                with lock:
                    wrong_answers.append(n)
        except Exception as exc:  # counted, not raised: this is a measurement
            with lock:
                failures.append(f"{type(exc).__name__}: {exc}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(person, range(users)))
    elapsed = time.perf_counter() - started

    check = new_adapter()
    lost = wrong = 0
    for user_id, day in people:
        record = check.load(user_key(user_id))
        if not record:
            lost += 1
        elif record != {"surgery_date": day.isoformat()}:
            wrong += 1
    print(f"{name:<22} {users} people, {threads} threads: {elapsed:6.2f} s, {users / elapsed:7.1f} people/s, "
          f"{3 * users / elapsed:7.1f} requests/s; lost records {lost}, wrong records {wrong}, "
          f"wrong answers {len(wrong_answers)}, errors {len(failures)}")
    if failures:
        print(f"{'':<22} first error: {failures[0]}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ops", type=int, default=400, help="save+load pairs per store (default 400)")
    p.add_argument("--users", type=int, default=60, help="people talking at once (default 60)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    args = p.parse_args(argv)
    print(f"storage benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory(prefix="recovery-bench-") as tmp:
        path = Path(tmp) / "recovery.db"
        latency("SQLite", SQLiteAdapter(path), args.ops)
        conversations("SQLite", lambda: SQLiteAdapter(Path(tmp) / "people.db"), args.users, args.threads)

    dynalite = load_dynalite()
    try:
        server = dynalite.Dynalite().start()
    except (dynalite.DynaliteMissing, dynalite.DynaliteFailed) as exc:
        print(f"DynamoDB (dynalite)    not measured: {exc}")
        return 0
    try:
        for name in dynalite.AWS_ENV_TO_CLEAR:
            os.environ.pop(name, None)
        os.environ.update(dynalite.DUMMY_AWS_ENV)  # dummy credentials for the local server only
        latency("DynamoDB (dynalite)", dynamodb_adapter("bench-latency", server.endpoint), args.ops)
        conversations("DynamoDB (dynalite)", lambda: dynamodb_adapter("bench-people", server.endpoint),
                      args.users, args.threads)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
