"""Storage, the same behaviour on SQLite and on DynamoDB (dynalite on 127.0.0.1), through the real skill.

Every conversation goes through ``skill_builder(...).lambda_handler()`` with real
request envelopes; the settings API is answered by a fake so no network is used.
Needs the ``conftest_dynalite`` plugin (registered in tests/conftest.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest
from ask_sdk_core.exceptions import PersistenceException

from skill import content as recovery_content
from skill import storage
from skill.builder import skill_builder
from skill_tools.simulator import envelopes
from skill_tools.data_command import data_command
from skill_tools.simulator.session import Conversation, LocalSettingsApi, Turn
from skill.speech import spoken_date
from skill.storage.dynamodb import dynamodb_adapter
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import ACCOUNT_RECORD, STORED_KEYS, user_key

REPO = Path(__file__).resolve().parents[1]
# Tuesday 24 November 2026, 10:00 in New York.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 24)
SURGERY = "2026-11-10"
USER = "amzn1.ask.account.STORAGE-TEST-PERSON-7f3a9c"
ALEXA_LIMIT_SECONDS = 8.0

_CONTENT = recovery_content.load()
WELCOME = _CONTENT.phrases["welcome"]
WELCOME_BACK = _CONTENT.phrases["welcome_back"]
STORAGE_APOLOGY = _CONTENT.timing["storage_down"]
SAVE_APOLOGY = _CONTENT.phrases["date_not_saved"]
# Sentences that only make sense with a known surgery date ("timing advice"):
# the longest fixed piece of each template.
TIMING_MARKERS = tuple(
    max(re.split(r"\{[^}]*\}", _CONTENT.timing[key]), key=len).strip()
    for key in ("since", "surgery_ahead", "surgery_today", "lifting_wait", "lifting_done", "pain_inside", "pain_after")
)

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ a person talking to the skill


class Person(Conversation):
    """One user with one device: the simulator's conversation, timing every request."""

    def __init__(self, adapter=None, user_id: str = USER, now: datetime = NOW, handler=None, person_id=None):
        handler = handler or skill_builder(persistence_adapter=adapter, api_client=LocalSettingsApi()).lambda_handler()
        super().__init__(handler=handler, user_id=user_id, now=now, person_id=person_id)
        self.timings: list[tuple[str, float]] = []

    def set_date(self, iso: str = SURGERY) -> Turn:
        question = self.intent("SetSurgeryDateIntent", {"date": iso})
        assert "Is that right?" in question.speech, question.speech
        return self.intent("AMAZON.YesIntent")

    def send(self, event: dict, keep_session=False) -> Turn:
        started = time.perf_counter()
        turn = super().send(event, keep_session)
        self.timings.append((event["request"]["type"], time.perf_counter() - started))
        return turn


# ------------------------------------------------------------------ the two stores


@dataclass
class Backend:
    name: str
    new: Callable[[], object]  # a fresh adapter on the same data, as a new container would have
    raw_records: Callable[[], dict]  # (account key, person key) -> stored record, read around the adapter


def sqlite_backend(path: Path) -> Backend:
    def raw():
        if not path.exists():
            return {}
        with sqlite3.connect(path) as conn:
            return {(a, p): json.loads(v)
                    for a, p, v in conn.execute("SELECT account_key, person_key, attributes FROM records")}

    return Backend("sqlite", lambda: SQLiteAdapter(path), raw)


def dynamodb_backend() -> Backend:
    def raw():
        store = storage.adapter_from_env()
        items = store.table.scan(ConsistentRead=True)["Items"]
        for item in items:
            assert set(item) == {"id", "person", "attributes"}, f"unexpected attributes in a DynamoDB item: {sorted(item)}"
        return {(item["id"], item["person"]): item["attributes"] for item in items}

    return Backend("dynamodb", storage.adapter_from_env, raw)


@pytest.fixture(params=["sqlite", "dynamodb"])
def backend(request, tmp_path) -> Backend:
    if request.param == "sqlite":
        return sqlite_backend(tmp_path / "recovery.db")
    request.getfixturevalue("dynamodb_env")
    return dynamodb_backend()


def closed_port() -> int:
    """A loopback port where nothing listens (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def black_hole():
    """A loopback port that accepts connections and never answers: a store that times out."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    yield f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()


@pytest.fixture
def aws_dummy_env(monkeypatch):
    """Dummy credentials and a region, for DynamoDB adapters pointed at dead endpoints (no dynalite needed)."""
    from conftest_dynalite import load_dynalite_module

    dynalite = load_dynalite_module()
    for name in dynalite.AWS_ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for name, value in dynalite.DUMMY_AWS_ENV.items():
        monkeypatch.setenv(name, value)


def dead_store(kind: str, tmp_path: Path, monkeypatch):
    """A store that is down, as each backend fails in real life."""
    if kind == "dynamodb-closed-port":
        monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_TABLE", "recovery-down")
        monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
        return storage.adapter_from_env()
    if kind == "sqlite-parent-is-a-file":
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("a file where the data directory should be")
        return SQLiteAdapter(blocker / "recovery.db")
    if kind == "sqlite-unwritable":
        if os.geteuid() == 0:  # root writes anywhere except pseudo file systems
            return SQLiteAdapter("/proc/recovery-skill-test/recovery.db")
        locked = tmp_path / "read-only"
        locked.mkdir()
        locked.chmod(0o555)
        return SQLiteAdapter(locked / "data" / "recovery.db")
    raise ValueError(kind)


DEAD_KINDS = ["dynamodb-closed-port", "sqlite-parent-is-a-file", "sqlite-unwritable"]


# ------------------------------------------------------------------ the same behaviour on both stores


def test_save_then_load_in_a_new_session(backend):
    first = Person(backend.new())
    first.launch()
    saved = first.set_date()
    assert saved.speech.startswith("Thank you. I'll remember that your surgery was on Tuesday, November 10th.")
    assert first.intent("AMAZON.StopIntent").body.get("shouldEndSession") is True

    # A new session on a new container: only the store connects the two.
    later = Person(backend.new())
    answer = later.intent("GetSurgeryDateIntent")
    assert "It has been 2 weeks since your surgery on Tuesday, November 10th." in answer.speech
    assert backend.new().load(user_key(USER)) == {"surgery_date": SURGERY}


def test_launch_says_how_long_ago_once_a_date_is_set(backend):
    person = Person(backend.new())
    assert "Would you like me to remember the date of your surgery" in person.launch().speech
    person.set_date()
    welcome = Person(backend.new()).launch()
    assert welcome.speech.startswith(WELCOME_BACK)
    assert "It has been 2 weeks since your surgery on Tuesday, November 10th." in welcome.speech


def test_forget_deletes_only_after_confirmation(backend):
    person = Person(backend.new())
    person.set_date()
    other = Person(backend.new(), user_id=USER + "-other")
    other.set_date("2026-10-01")

    assert person.intent("ForgetSurgeryDateIntent").speech == "Do you want me to forget your surgery date?"
    assert person.intent("AMAZON.NoIntent").speech.startswith("All right, I'll keep it.")
    assert backend.new().load(user_key(USER)) == {"surgery_date": SURGERY}

    person.intent("ForgetSurgeryDateIntent")
    assert person.intent("AMAZON.YesIntent").speech.startswith("Done. I've forgotten your surgery date.")
    store = backend.new()
    assert store.load(user_key(USER)) == {}
    assert (user_key(USER), ACCOUNT_RECORD) not in backend.raw_records()
    assert store.load(user_key(USER + "-other")) == {"surgery_date": "2026-10-01"}
    assert "Would you like me to remember the date" in Person(backend.new()).launch().speech


def test_skill_disabled_event_deletes_the_record(backend):
    person = Person(backend.new())
    person.set_date()
    Person(backend.new(), user_id=USER + "-other").set_date("2026-10-01")

    reply = Person(backend.new()).event("AlexaSkillEvent.SkillDisabled")
    assert reply.response.get("version") == "1.0"
    records = backend.raw_records()
    assert (user_key(USER), ACCOUNT_RECORD) not in records
    assert set(records) == {(user_key(USER + "-other"), ACCOUNT_RECORD)}
    assert backend.new().load(user_key(USER + "-other")) == {"surgery_date": "2026-10-01"}


def test_only_stored_keys_are_stored(backend):
    person = Person(backend.new())
    person.launch()
    person.intent("LiftingIntent")
    person.set_date()
    person.intent("AMAZON.RepeatIntent")

    # Straight through the adapter, with everything a careless caller could pass.
    store = backend.new()
    envelope = envelopes.intent("HelpIntent", user_id=USER + "-direct")
    from ask_sdk_core.serialize import DefaultSerializer

    request = DefaultSerializer().deserialize(json.dumps(envelope), "ask_sdk_model.RequestEnvelope")
    store.save_attributes(request, {"surgery_date": "2026-09-09", "preferences": {"voice": "slow"},
                                    "state": "confirm_date", "last_speech": {"ssml": "<speak/>"},
                                    "user_id": USER, "empty": None})
    assert store.get_attributes(request) == {"surgery_date": "2026-09-09", "preferences": {"voice": "slow"}}

    records = backend.raw_records()
    assert set(records) == {(user_key(USER), ACCOUNT_RECORD), (user_key(USER + "-direct"), ACCOUNT_RECORD)}
    for key, record in records.items():
        assert set(record) <= set(STORED_KEYS), record
        assert USER not in json.dumps(record, default=str)
        assert USER not in key


def test_concurrent_users_get_their_own_records(backend):
    """24 people at once on 3 containers (8 threads): every record saved, none mixed up, no apology."""
    containers = [skill_builder(persistence_adapter=backend.new(), api_client=LocalSettingsApi()).lambda_handler()
                  for _ in range(3)]
    people = [(f"{USER}-{i:02d}", TODAY - timedelta(days=3 + i * 5)) for i in range(24)]
    problems: list[str] = []

    def conversation(index_and_person):
        index, (user_id, day) = index_and_person
        person = Person(user_id=user_id, handler=containers[index % 3])
        person.launch()
        saved = person.set_date(day.isoformat())
        if not saved.speech.startswith("Thank you."):
            problems.append(f"{index}: not saved: {saved.speech}")
        later = Person(user_id=user_id, handler=containers[(index + 1) % 3])
        said = later.intent("GetSurgeryDateIntent").speech
        if f"since your surgery on {spoken_date(day, TODAY)}." not in said:
            problems.append(f"{index}: wrong date heard: {said}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(conversation, enumerate(people)))
    assert problems == []
    store = backend.new()
    for user_id, day in people:
        assert store.load(user_key(user_id)) == {"surgery_date": day.isoformat()}
    assert len(backend.raw_records()) == len(people)


def test_concurrent_writes_to_one_user_leave_one_whole_record(backend):
    """8 threads, each with its own adapter (connection or client), writing the same person."""
    from ask_sdk_core.serialize import DefaultSerializer

    request = DefaultSerializer().deserialize(json.dumps(envelopes.launch(NOW, user_id=USER)),
                                              "ask_sdk_model.RequestEnvelope")
    written = set()
    errors: list[Exception] = []
    start = threading.Barrier(8)

    def writer(n):
        store = backend.new()
        start.wait()
        for round_ in range(6):
            day = (TODAY - timedelta(days=n * 10 + round_ + 1)).isoformat()
            written.add((day, n, round_))
            try:
                store.save_attributes(request, {"surgery_date": day, "preferences": {"writer": n, "round": round_}})
                got = store.get_attributes(request)
                assert set(got) == {"surgery_date", "preferences"}
            except Exception as exc:  # collected: a "database is locked" here would reach a person
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = backend.new().load(user_key(USER))
    assert (final["surgery_date"], final["preferences"]["writer"], final["preferences"]["round"]) in written


# ------------------------------------------------------------------ one record per person on a shared Echo

# Two voice profiles on the account USER, as Alexa names them in context.System.person.
ALICE = "amzn1.ask.person.STORAGE-TEST-ALICE-51c2"
BOB = "amzn1.ask.person.STORAGE-TEST-BOB-8d07"
ALICE_DATE, BOB_DATE, GUEST_DATE = "2026-11-10", "2026-10-01", "2026-11-20"
NO_DATE = _CONTENT.phrases["no_date_stored"]


def said_date(iso: str) -> str:
    return f"since your surgery on {spoken_date(date.fromisoformat(iso), TODAY)}."


def asks_date(backend: Backend, person_id=None, user_id=USER) -> str:
    """What this voice hears, in a new session on a new container, to "when was my surgery"."""
    return Person(backend.new(), user_id=user_id, person_id=person_id).intent("GetSurgeryDateIntent").speech


def household(backend: Backend) -> None:
    """Alice and Bob (recognised) and a guest (not recognised) each set a date on one Echo."""
    for person_id, day in ((ALICE, ALICE_DATE), (BOB, BOB_DATE), (None, GUEST_DATE)):
        voice = Person(backend.new(), person_id=person_id)
        voice.launch()
        assert voice.set_date(day).speech.startswith("Thank you. I'll remember that your surgery was on")


def test_each_voice_on_one_account_hears_its_own_date(backend):
    alice = Person(backend.new(), person_id=ALICE)
    assert "Would you like me to remember the date" in alice.launch().speech
    alice.set_date(ALICE_DATE)
    # Not recognised: the account's own record, which is empty; Alice's date is never heard.
    guest = asks_date(backend)
    assert guest.startswith(NO_DATE) and "since your surgery" not in guest
    # Bob, recognised but new: nothing of Alice's either.
    bob = Person(backend.new(), person_id=BOB)
    assert "Would you like me to remember the date" in bob.launch().speech
    bob.set_date(BOB_DATE)
    Person(backend.new()).set_date(GUEST_DATE)

    for person_id, day in ((ALICE, ALICE_DATE), (BOB, BOB_DATE), (None, GUEST_DATE)):
        heard = asks_date(backend, person_id)
        assert said_date(day) in heard, heard
        others = {ALICE_DATE, BOB_DATE, GUEST_DATE} - {day}
        assert not any(said_date(other) in heard for other in others)
    assert backend.raw_records() == {
        (user_key(USER), user_key(ALICE)): {"surgery_date": ALICE_DATE},
        (user_key(USER), user_key(BOB)): {"surgery_date": BOB_DATE},
        (user_key(USER), ACCOUNT_RECORD): {"surgery_date": GUEST_DATE},
    }
    assert not any(ALICE in str(key) or BOB in str(key) for key in backend.raw_records())


def test_a_recognised_voice_does_not_get_the_accounts_date(backend):
    """The account's date may be the partner's: a recognised voice with no date of its own is asked for one."""
    Person(backend.new()).set_date(GUEST_DATE)
    heard = asks_date(backend, ALICE)
    assert heard.startswith(NO_DATE) and "since your surgery" not in heard
    assert "Would you like me to remember the date" in Person(backend.new(), person_id=ALICE).launch().speech


def test_forget_forgets_only_the_speakers_record(backend):
    household(backend)
    bob = Person(backend.new(), person_id=BOB)
    assert bob.intent("ForgetSurgeryDateIntent").speech == "Do you want me to forget your surgery date?"
    assert bob.intent("AMAZON.YesIntent").speech.startswith("Done. I've forgotten your surgery date.")
    assert set(backend.raw_records()) == {(user_key(USER), user_key(ALICE)), (user_key(USER), ACCOUNT_RECORD)}
    assert asks_date(backend, BOB).startswith(NO_DATE)
    assert said_date(ALICE_DATE) in asks_date(backend, ALICE)
    assert said_date(GUEST_DATE) in asks_date(backend)

    guest = Person(backend.new())
    guest.intent("ForgetSurgeryDateIntent")
    assert guest.intent("AMAZON.YesIntent").speech.startswith("Done. I've forgotten your surgery date.")
    assert backend.raw_records() == {(user_key(USER), user_key(ALICE)): {"surgery_date": ALICE_DATE}}
    assert said_date(ALICE_DATE) in asks_date(backend, ALICE)


def spy_on_storage_calls(store) -> list[str]:
    """Every statement (SQLite) or table call (DynamoDB) the store makes from now on, in this thread."""
    calls: list[str] = []
    if isinstance(store, SQLiteAdapter):
        store._connection().set_trace_callback(calls.append)
        return calls
    for name in ("get_item", "put_item", "delete_item", "query", "scan"):
        def spy(*args, _name=name, _real=getattr(store.table, name), **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)
        setattr(store.table, name, spy)
    return calls


def test_skill_disabled_erases_every_record_of_the_account_in_one_query(backend):
    household(backend)
    Person(backend.new(), user_id=USER + "-other", person_id=ALICE + "-other").set_date(BOB_DATE)
    Person(backend.new(), user_id=USER + "-other").set_date(GUEST_DATE)

    store = backend.new()
    calls = spy_on_storage_calls(store)
    alice = Person(store, person_id=ALICE)
    event = alice.event("AlexaSkillEvent.SkillDisabled")
    assert "person" not in event.request["context"]["System"], "Alexa names only the account in this event"
    assert "outputSpeech" not in event.body

    assert set(backend.raw_records()) == {(user_key(USER + "-other"), user_key(ALICE + "-other")),
                                          (user_key(USER + "-other"), ACCOUNT_RECORD)}
    for person_id in (ALICE, BOB, None):
        assert asks_date(backend, person_id).startswith(NO_DATE)
    if backend.name == "sqlite":
        deletes = [sql for sql in calls if sql.lstrip().upper().startswith("DELETE")]
        assert len(deletes) == 1, calls
        with sqlite3.connect(store.path) as conn:
            plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + deletes[0]))
        assert "SEARCH" in plan and "SCAN" not in plan, plan
    else:
        assert calls.count("query") == 1 and "scan" not in calls, calls


def test_sqlite_file_of_earlier_versions_keeps_its_dates(tmp_path, caplog):
    """A file written before records were per person (table users, one row per account) needs no step."""
    path = tmp_path / "recovery.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (user_key TEXT PRIMARY KEY, attributes TEXT NOT NULL, updated_at REAL NOT NULL)")
        conn.executemany("INSERT INTO users VALUES (?, ?, ?)", [
            (user_key(USER), json.dumps({"surgery_date": SURGERY}), time.time()),
            (user_key(USER + "-other"), json.dumps({"surgery_date": BOB_DATE}), time.time())])
    backend = sqlite_backend(path)
    caplog.set_level(logging.INFO, logger="skill.storage")

    assert said_date(SURGERY) in asks_date(backend)  # the account's record, as before
    assert asks_date(backend, ALICE).startswith(NO_DATE)  # a recognised voice starts its own
    assert backend.raw_records() == {(user_key(USER), ACCOUNT_RECORD): {"surgery_date": SURGERY},
                                     (user_key(USER + "-other"), ACCOUNT_RECORD): {"surgery_date": BOB_DATE}}
    assert "moved 2 record(s)" in caplog.text
    with sqlite3.connect(path) as conn:
        assert "users" not in {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    Person(backend.new()).event("AlexaSkillEvent.SkillDisabled")
    assert set(backend.raw_records()) == {(user_key(USER + "-other"), ACCOUNT_RECORD)}


def test_dynamodb_table_of_earlier_versions_keeps_working_one_record_per_account(dynamodb_env, caplog):
    """A table with partition key id only (what earlier versions created) cannot gain a sort key.

    The store finds that out on first use and goes on as before: the account's one
    record, shared by every voice, with a warning saying how to get a record per person.
    """
    client = storage.adapter_from_env().resource.meta.client
    client.create_table(TableName=dynamodb_env.table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    deadline = time.monotonic() + 10
    while client.describe_table(TableName=dynamodb_env.table)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    # As earlier versions wrote it (this client, the resource's, takes plain Python values).
    client.put_item(TableName=dynamodb_env.table, Item={"id": user_key(USER), "attributes": {"surgery_date": SURGERY}})
    backend = dynamodb_backend()
    caplog.set_level(logging.WARNING, logger="skill.storage")

    assert said_date(SURGERY) in asks_date(backend)
    assert said_date(SURGERY) in asks_date(backend, ALICE)  # shared, exactly as before the upgrade
    assert "one-key layout of earlier versions" in caplog.text and "DEPLOY.md" in caplog.text
    Person(backend.new(), person_id=BOB).set_date(BOB_DATE)
    items = client.scan(TableName=dynamodb_env.table)["Items"]
    assert [(item["id"], item["attributes"]) for item in items] == [(user_key(USER), {"surgery_date": BOB_DATE})]
    Person(backend.new()).event("AlexaSkillEvent.SkillDisabled")
    assert client.scan(TableName=dynamodb_env.table)["Items"] == []


# ------------------------------------------------------------------ when the store is down


EVERY_TURN = [
    ("LaunchRequest", None),
    ("AboutProcedureIntent", None), ("CausesIntent", None), ("SuccessRateIntent", None),
    ("HospitalStayIntent", None), ("RecoveryTimeIntent", None), ("PainIntent", None),
    ("PainMedicineIntent", None), ("ActivitiesIntent", None), ("LiftingIntent", None), ("DrivingIntent", None),
    ("PhysicalTherapyIntent", None), ("WalkingIntent", None), ("RisksIntent", None), ("WarningSignsIntent", None),
    ("SymptomIntent", {"symptom": "soreness"}), ("SymptomIntent", {"symptom": "tingling"}),
    ("SymptomIntent", {"symptom": "chest pain"}), ("EmergencyIntent", None),
    ("SetSurgeryDateIntent", {"date": SURGERY}), ("AMAZON.YesIntent", None),
    ("GetSurgeryDateIntent", None), ("ForgetSurgeryDateIntent", None),
    ("AMAZON.HelpIntent", None), ("AMAZON.RepeatIntent", None), ("AMAZON.FallbackIntent", None),
    ("AMAZON.NoIntent", None), ("AMAZON.CancelIntent", None), ("AMAZON.NavigateHomeIntent", None),
    ("AMAZON.StopIntent", None),
]


def _emergency_turns(adapter):
    person = Person(adapter)
    person.launch()
    return [person.intent("SymptomIntent", {"symptom": "chest pain"}).response["response"],
            person.intent("EmergencyIntent").response["response"]]


@pytest.mark.parametrize("kind", DEAD_KINDS)
def test_every_intent_answers_when_the_store_is_down(kind, tmp_path, monkeypatch, aws_dummy_env, capsys):
    person = Person(dead_store(kind, tmp_path, monkeypatch))
    replies = {}
    for name, slots in EVERY_TURN:
        reply = person.launch() if name == "LaunchRequest" else person.intent(name, slots)
        key = name + (f"({slots['symptom']})" if slots and "symptom" in slots else "")
        replies[key] = reply
        assert reply.speech, f"{key}: no answer"
        assert not any(marker in reply.speech for marker in TIMING_MARKERS), f"{key}: timing advice: {reply.speech}"
    with capsys.disabled():
        print(f"\n[{kind}] seconds per turn: " + ", ".join(f"{w}={s:.3f}" for w, s in person.timings))

    assert replies["LaunchRequest"].speech.startswith(WELCOME)
    assert replies["AMAZON.YesIntent"].speech.startswith(SAVE_APOLOGY)
    assert replies["GetSurgeryDateIntent"].speech.startswith(STORAGE_APOLOGY)
    assert replies["ForgetSurgeryDateIntent"].speech.startswith(STORAGE_APOLOGY)
    assert replies["SymptomIntent(soreness)"].speech  # expected soreness: no timing, answered all the same
    assert STORAGE_APOLOGY in replies["LiftingIntent"].speech
    for key in ("SymptomIntent(chest pain)", "EmergencyIntent"):
        assert replies[key].speech.startswith("Call"), replies[key].speech
        assert replies[key].speech.startswith("Call 911 now")
        assert STORAGE_APOLOGY not in replies[key].speech

    # Exactly the answer a person gets when the store works.
    down = _emergency_turns(dead_store(kind, tmp_path, monkeypatch))
    usual = _emergency_turns(SQLiteAdapter(tmp_path / "working.db"))
    for got, expected in zip(down, usual):
        assert got["outputSpeech"] == expected["outputSpeech"]
        assert got.get("reprompt") == expected.get("reprompt")
        assert got.get("shouldEndSession") == expected.get("shouldEndSession") is True
        assert got.get("card") == expected.get("card")


@pytest.mark.parametrize("kind", DEAD_KINDS)
def test_skill_disabled_while_the_store_is_down_fails_so_alexa_retries(kind, tmp_path, monkeypatch, aws_dummy_env):
    person = Person(dead_store(kind, tmp_path, monkeypatch))
    with pytest.raises(PersistenceException):
        person.event("AlexaSkillEvent.SkillDisabled")


def test_dynamodb_building_the_skill_needs_no_network(aws_dummy_env, monkeypatch):
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_TABLE", "recovery-down")
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    started = time.perf_counter()
    skill_builder(api_client=LocalSettingsApi()).lambda_handler()  # the adapter comes from the environment
    assert time.perf_counter() - started < 2.0


def test_dynamodb_that_times_out_answers_inside_alexas_limit(black_hole, aws_dummy_env, monkeypatch, capsys):
    """A server that accepts and never answers: the bounded retries and timeouts keep each request under 8 s."""
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_TABLE", "recovery-slow")
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_ENDPOINT", black_hole)
    person = Person(storage.adapter_from_env())
    launch = person.launch()
    question = person.intent("SetSurgeryDateIntent", {"date": SURGERY})  # no storage involved
    saved = person.intent("AMAZON.YesIntent")
    emergency = person.intent("EmergencyIntent")
    with capsys.disabled():
        print("\n[dynamodb-black-hole] seconds per turn: " + ", ".join(f"{w}={s:.3f}" for w, s in person.timings))
    for what, seconds in person.timings:
        assert seconds < ALEXA_LIMIT_SECONDS, f"{what} took {seconds:.1f} s"
    assert launch.speech.startswith(WELCOME)
    assert "Is that right?" in question.speech
    assert saved.speech.startswith(SAVE_APOLOGY)
    assert emergency.speech.startswith("Call 911 now")
    assert person.timings[-1][1] < 1.0, "an emergency never waits for storage"


def test_dynamodb_closed_port_fails_fast(aws_dummy_env):
    store = dynamodb_adapter("recovery-down", f"http://127.0.0.1:{closed_port()}")
    for operation in (lambda: store.load("k" * 32), lambda: store.save("k" * 32, {"surgery_date": SURGERY}),
                      lambda: store.delete("k" * 32)):
        started = time.perf_counter()
        with pytest.raises(PersistenceException):
            operation()
        assert time.perf_counter() - started < ALEXA_LIMIT_SECONDS


def test_sqlite_locked_by_another_writer_answers_in_time(tmp_path, capsys):
    """Another process holds the write lock: the save waits the busy timeout, then apologises."""
    path = tmp_path / "recovery.db"
    SQLiteAdapter(path).save(user_key("someone else"), {"surgery_date": "2026-01-01"})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        person = Person(SQLiteAdapter(path))  # default busy timeout
        launch = person.launch()  # reads go on while the writer holds the lock (WAL)
        person.intent("SetSurgeryDateIntent", {"date": SURGERY})
        saved = person.intent("AMAZON.YesIntent")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with capsys.disabled():
        print("\n[sqlite-locked] seconds per turn: " + ", ".join(f"{w}={s:.3f}" for w, s in person.timings))
    assert "Would you like me to remember the date" in launch.speech
    assert saved.speech.startswith(SAVE_APOLOGY)
    assert all(seconds < ALEXA_LIMIT_SECONDS for _, seconds in person.timings)
    # Once the lock is gone the same person can save.
    person.intent("SetSurgeryDateIntent", {"date": SURGERY})
    assert person.intent("AMAZON.YesIntent").speech.startswith("Thank you.")


def test_dynamodb_adapter_imports_without_a_configured_region(tmp_path):
    """Without any AWS region configured the store still builds (no NoRegionError), in us-east-1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, HOME=str(tmp_path))
    code = ("from skill.storage.dynamodb import dynamodb_adapter\n"
            "store = dynamodb_adapter('recovery-x', 'http://127.0.0.1:9')\n"
            "import os; assert 'AWS_DEFAULT_REGION' not in os.environ\n"
            "print(store.region)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "us-east-1"


def test_the_sqlite_store_loads_no_dynamodb_code(tmp_path):
    """Cold start: choosing and using the SQLite store imports neither boto3 nor the DynamoDB module."""
    code = ("import sys\n"
            "from skill.storage import adapter_from_env\n"
            "store = adapter_from_env({'RECOVERY_SKILL_DB': sys.argv[1]})\n"
            "store.save('a' * 32, {'surgery_date': '2026-11-10'})\n"
            "assert store.load('a' * 32) == {'surgery_date': '2026-11-10'}\n"
            "print([m for m in ('boto3', 'botocore', 'skill.storage.dynamodb') if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cold.db")], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------------------ no half-written records


def test_failed_save_keeps_the_previous_record(backend, tmp_path, monkeypatch, aws_dummy_env):
    Person(backend.new()).set_date()
    if backend.name == "sqlite":
        path = tmp_path / "recovery.db"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        broken = SQLiteAdapter(path, timeout_seconds=0.2)
    else:
        holder = None
        broken = dynamodb_adapter(os.environ["RECOVERY_SKILL_DYNAMODB_TABLE"],
                                          f"http://127.0.0.1:{closed_port()}")
    try:
        person = Person(broken)
        person.intent("SetSurgeryDateIntent", {"date": "2026-11-01"})
        assert person.intent("AMAZON.YesIntent").speech.startswith(SAVE_APOLOGY)
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    assert backend.new().load(user_key(USER)) == {"surgery_date": SURGERY}


_KILLED_WRITER = """
import sys
from skill.storage.sqlite import SQLiteAdapter
store = SQLiteAdapter(sys.argv[1])
i = 0
while True:
    i += 1
    store.save("user-%d" % (i % 5), {"surgery_date": "2026-01-%02d" % (i % 28 + 1),
                                     "preferences": {"i": i, "pad": "x" * 20000}})
"""


def test_sqlite_writer_killed_mid_write_leaves_only_whole_records(tmp_path):
    path = tmp_path / "recovery.db"
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(path)], cwd=REPO)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(path) as conn:
                    if conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] >= 5:
                        break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        time.sleep(0.3)  # many writes in flight
    finally:
        writer.kill()  # SIGKILL: no clean-up, no rollback by the writer
        writer.wait()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT account_key, attributes FROM records").fetchall()
    assert len(rows) == 5
    for key, text in rows:
        record = json.loads(text)
        i = record["preferences"]["i"]
        assert key == f"user-{i % 5}"
        assert record == {"surgery_date": "2026-01-%02d" % (i % 28 + 1), "preferences": {"i": i, "pad": "x" * 20000}}


# ------------------------------------------------------------------ SQLite: many processes


def _sqlite_process(args):
    """One process with 4 threads, each writing its own people and one person everyone writes."""
    path, worker, rounds = args
    store = SQLiteAdapter(path)
    errors, mismatches, last = [], [], {}

    def thread(t):
        for r in range(rounds):
            own = f"p{worker}-t{t}-u{r % 3}"
            value = {"surgery_date": f"2026-{(worker % 12) + 1:02d}-{t + 10:02d}",
                     "preferences": {"worker": worker, "thread": t, "round": r}}
            try:
                store.save(own, value)
                store.save("shared", value)
                if store.load(own) != value:
                    mismatches.append(own)
            except PersistenceException as exc:
                errors.append(str(exc))
            last[own] = value

    threads = [threading.Thread(target=thread, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors, mismatches, last


def test_sqlite_many_processes_and_threads_lose_nothing(tmp_path):
    path = str(tmp_path / "recovery.db")  # does not exist yet: the processes race to create it
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_sqlite_process, [(path, w, 15) for w in range(4)])
    errors = [e for r in results for e in r[0]]
    mismatches = [m for r in results for m in r[1]]
    assert errors == [], f"{len(errors)} errors would have reached people, e.g. {errors[:1]}"
    assert mismatches == []
    expected = {k: v for r in results for k, v in r[2].items()}
    store = SQLiteAdapter(path)
    for key, value in expected.items():
        assert store.load(key) == value
    shared = store.load("shared")
    p = shared["preferences"]
    assert shared["surgery_date"] == f"2026-{(p['worker'] % 12) + 1:02d}-{p['thread'] + 10:02d}"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == len(expected) + 1


# ------------------------------------------------------------------ logs


@pytest.mark.parametrize("kind", ["sqlite", "dynamodb", "sqlite-down", "dynamodb-down"])
def test_logs_never_hold_the_user_id_or_the_date(kind, tmp_path, monkeypatch, caplog, request):
    secret_user = "amzn1.ask.account.LOG-SECRET-92f1c0d7e4"
    caplog.set_level(logging.DEBUG)
    if kind == "sqlite":
        adapter = SQLiteAdapter(tmp_path / "recovery.db")
    elif kind == "dynamodb":
        request.getfixturevalue("dynamodb_env")
        adapter = storage.adapter_from_env()
    else:
        request.getfixturevalue("aws_dummy_env")
        adapter = dead_store({"sqlite-down": "sqlite-parent-is-a-file",
                              "dynamodb-down": "dynamodb-closed-port"}[kind], tmp_path, monkeypatch)
    person = Person(adapter, user_id=secret_user)
    person.launch()
    person.set_date(SURGERY)
    person.intent("GetSurgeryDateIntent")
    person.intent("PainIntent")
    person.intent("SymptomIntent", {"symptom": "tingling"})
    person.intent("SymptomIntent", {"symptom": "chest pain"})
    person.intent("ForgetSurgeryDateIntent")
    person.intent("AMAZON.YesIntent")
    Person(adapter, user_id=secret_user).launch()
    try:
        Person(adapter, user_id=secret_user).event("AlexaSkillEvent.SkillDisabled")
    except PersistenceException:
        assert kind.endswith("-down")
    everything = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert caplog.records, "the conversation logged nothing at all: the check would prove nothing"
    assert secret_user not in everything
    assert SURGERY not in everything
    if kind.endswith("-down"):
        assert "storage unavailable" in caplog.text  # the failures were logged, just without the person


# ------------------------------------------------------------------ the operator's data command


def _data(action, user, env, capsys, person=None):
    code = data_command(argparse.Namespace(action=action, user=user, person=person), env=env)
    out, err = capsys.readouterr()
    return code, out, err


def test_data_command_shows_and_deletes_on_either_store(backend, tmp_path, capsys):
    env = {"RECOVERY_SKILL_DB": str(tmp_path / "recovery.db")} if backend.name == "sqlite" else os.environ
    code, out, err = _data("show", USER, env, capsys)
    assert (code, err) == (0, "")
    assert "no record" in out

    Person(backend.new()).set_date()
    code, out, err = _data("show", USER, env, capsys)
    assert code == 0
    shown = json.loads(out)
    assert shown == {"account_key": user_key(USER), "records": {ACCOUNT_RECORD: {"surgery_date": SURGERY}}}

    code, out, err = _data("delete", USER, env, capsys)
    assert code == 0 and "deleted 1 record(s)" in out and user_key(USER) in out
    assert backend.new().load(user_key(USER)) == {}
    code, out, err = _data("delete", USER, env, capsys)
    assert code == 0 and "no record" in out and "nothing deleted" in out
    for text in (out, err):
        assert USER not in text


def test_data_command_reaches_one_person_or_the_whole_account(backend, tmp_path, capsys):
    env = {"RECOVERY_SKILL_DB": str(tmp_path / "recovery.db")} if backend.name == "sqlite" else os.environ
    household(backend)
    code, out, _ = _data("show", USER, env, capsys)
    assert code == 0
    assert json.loads(out) == {"account_key": user_key(USER), "records": {
        ACCOUNT_RECORD: {"surgery_date": GUEST_DATE},
        user_key(ALICE): {"surgery_date": ALICE_DATE},
        user_key(BOB): {"surgery_date": BOB_DATE}}}
    code, out, _ = _data("show", USER, env, capsys, person=ALICE)
    assert json.loads(out) == {"account_key": user_key(USER), "person_key": user_key(ALICE),
                               "record": {"surgery_date": ALICE_DATE}}

    code, out, _ = _data("delete", USER, env, capsys, person=ALICE)
    assert code == 0 and f"deleted the record of person key {user_key(ALICE)}" in out
    assert asks_date(backend, ALICE).startswith(NO_DATE)
    assert said_date(BOB_DATE) in asks_date(backend, BOB)
    code, out, _ = _data("delete", USER, env, capsys, person=ALICE)
    assert code == 0 and "no record" in out and "nothing deleted" in out

    code, out, _ = _data("delete", USER, env, capsys)
    assert code == 0 and "deleted 2 record(s)" in out and "the account's own record and 1 voice profile(s)" in out
    assert backend.raw_records() == {}
    assert USER not in out and ALICE not in out


def test_data_command_never_creates_a_database_and_reports_a_dead_store(tmp_path, capsys, monkeypatch,
                                                                         aws_dummy_env):
    missing = tmp_path / "nothing-here" / "recovery.db"
    code, out, _ = _data("show", USER, {"RECOVERY_SKILL_DB": str(missing)}, capsys)
    assert code == 0 and "no record" in out
    assert not missing.parent.exists()

    env = {"RECOVERY_SKILL_DYNAMODB_TABLE": "recovery-down",
           "RECOVERY_SKILL_DYNAMODB_ENDPOINT": f"http://127.0.0.1:{closed_port()}", "AWS_REGION": "us-east-1"}
    code, out, err = _data("delete", USER, env, capsys)
    assert code == 1 and out == ""
    assert "cannot reach DynamoDB table recovery-down" in err
    assert USER not in err


def test_data_command_through_the_cli(tmp_path, monkeypatch, capsys):
    from skill_tools import cli

    path = tmp_path / "recovery.db"
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(path))
    Person(SQLiteAdapter(path)).set_date()
    Person(SQLiteAdapter(path), person_id=ALICE).set_date(ALICE_DATE)
    assert cli.main(["data", "show", "--user", USER]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["records"] == {ACCOUNT_RECORD: {"surgery_date": SURGERY},
                                          user_key(ALICE): {"surgery_date": ALICE_DATE}}
    assert USER not in out
    assert cli.main(["data", "delete", "--user", USER, "--person", ALICE]) == 0
    assert "deleted" in capsys.readouterr().out
    assert SQLiteAdapter(path).records(user_key(USER)) == {ACCOUNT_RECORD: {"surgery_date": SURGERY}}
    assert cli.main(["data", "delete", "--user", USER]) == 0
    assert "deleted" in capsys.readouterr().out
    assert SQLiteAdapter(path).records(user_key(USER)) == {}


# ------------------------------------------------------------------ the dynalite fixture itself


@pytest.mark.parametrize("ci", ["true", ""])
def test_dynalite_fixture_fails_in_ci_and_skips_elsewhere_when_node_is_missing(ci, tmp_path):
    (tmp_path / "test_needs_dynalite.py").write_text("def test_it(dynalite_server):\n    pass\n")
    env = dict(os.environ, CI=ci, RECOVERY_SKILL_NODE=str(tmp_path / "no-such-node"),
               PYTHONPATH=str(Path(__file__).resolve().parent))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest_dynalite", "-p", "no:cacheprovider", "-rs", "-q",
         "--rootdir", str(tmp_path), str(tmp_path / "test_needs_dynalite.py")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    output = done.stdout + done.stderr
    assert "DynamoDB tests need dynalite" in output and "install-node-deps.sh" in output, output
    if ci:
        assert done.returncode == 1 and "1 error" in output, output
    else:
        assert done.returncode == 0 and "1 skipped" in output, output
