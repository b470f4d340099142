"""Storage faults a person could run into, through the real skill: the store down and back, throttled,
a read-only file, a full disk. (Locked, killed mid-write, unreachable and unwritable are in
test_storage.py; removed or replaced under a running process in test_private_store.py.)

In every one: the person hears an apology rather than "I'll remember" when the date was not kept,
an emergency is answered as always, every turn answers inside Alexa's 8 seconds, and no date that
was acknowledged is lost once the store is back.
"""
from __future__ import annotations

import http.client
import http.server
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from skill import content as recovery_content
from skill_tools.simulator.session import Conversation
from skill.storage.dynamodb import dynamodb_adapter
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from tests.conftest import NOW
from tests.conftest_dynalite import in_ci, load_dynalite_module

ROOT = Path(__file__).resolve().parents[1]
USER = "amzn1.ask.account.FAULT-TESTER"
SAVED = "Thank you. I'll remember"
NOT_SAVED = recovery_content.load().phrases["date_not_saved"]
ALEXA_LIMIT_SECONDS = 8.0


class Person(Conversation):
    """A conversation that times each turn."""

    timings: list

    def send(self, event, keep_session=False):
        started = time.perf_counter()
        turn = super().send(event, keep_session)
        self.timings.append(time.perf_counter() - started)
        return turn


def person(store) -> Person:
    talk = Person.build(store, zone="America/New_York", now=NOW, user_id=USER)
    talk.timings = []
    return talk


def save(store, day: str) -> str:
    talk = person(store)
    talk.intent("SetSurgeryDateIntent", {"date": day})
    answer = talk.intent("AMAZON.YesIntent").speech
    assert all(seconds < ALEXA_LIMIT_SECONDS for seconds in talk.timings), talk.timings
    return answer


def emergency_answered(store) -> bool:
    talk = person(store)
    turn = talk.intent("EmergencyIntent")
    return turn.speech.startswith("Call 911") and turn.end_session and talk.timings[0] < ALEXA_LIMIT_SECONDS


# ------------------------------------------------------------------ DynamoDB: down and back, throttled


@pytest.fixture
def dynalite_on_disk(tmp_path, monkeypatch):
    """A dynalite of this test's own, its tables in a folder, so it can be killed and started again."""
    dynalite = load_dynalite_module()
    for name in dynalite.AWS_ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for name, value in dynalite.DUMMY_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    server = dynalite.Dynalite(path=str(tmp_path / "tables"))
    try:
        server.start()
    except dynalite.DynaliteMissing as exc:
        if in_ci():
            pytest.fail(f"DynamoDB tests need dynalite: {exc}", pytrace=False)
        pytest.skip(f"DynamoDB tests need dynalite: {exc}")
    yield server
    server.stop()


def test_dynamodb_down_and_back_keeps_every_acknowledged_date(dynalite_on_disk):
    dynalite = load_dynalite_module()
    server = dynalite_on_disk
    store = dynamodb_adapter("faults", server.endpoint, "us-east-1")
    assert save(store, "2026-11-10").startswith(SAVED)

    server.stop()                                   # the store goes down
    assert save(store, "2026-11-12").startswith(NOT_SAVED)
    assert emergency_answered(store)

    back = dynalite.Dynalite(port=server.port, path=server.path).start()   # and comes back
    try:
        answer = person(store).intent("GetSurgeryDateIntent").speech
        assert "Tuesday, November 10th" in answer, "the date acknowledged before the outage is still there"
        assert save(store, "2026-11-12").startswith(SAVED)
        assert "Thursday, November 12th" in person(store).intent("GetSurgeryDateIntent").speech
    finally:
        back.stop()


class Throttling(http.server.BaseHTTPRequestHandler):
    """A DynamoDB endpoint that refuses every call as over its throughput while ``throttle`` is set,
    and forwards them to the real one (dynalite) once it is cleared."""

    throttle = threading.Event()
    upstream: tuple[str, int] = ("127.0.0.1", 0)
    calls = 0

    def do_POST(self):  # noqa: N802 (the handler's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).calls += 1
        if self.throttle.is_set():
            payload = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                                  "message": "The level of configured provisioned throughput for the table was "
                                             "exceeded."}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        upstream = http.client.HTTPConnection(*self.upstream, timeout=5)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream.request("POST", self.path, body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    def log_message(self, *args):
        pass


def test_dynamodb_throttled_apologises_in_time_then_saves(dynalite_on_disk):
    Throttling.upstream = ("127.0.0.1", dynalite_on_disk.port)
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Throttling)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        store = dynamodb_adapter("throttled", f"http://127.0.0.1:{proxy.server_address[1]}", "us-east-1")
        assert save(store, "2026-11-10").startswith(SAVED)
        Throttling.throttle.set()
        before = Throttling.calls
        assert save(store, "2026-11-12").startswith(NOT_SAVED)
        assert emergency_answered(store)
        assert Throttling.calls > before, "DynamoDB was asked, and refused"
        Throttling.throttle.clear()
        assert "Tuesday, November 10th" in person(store).intent("GetSurgeryDateIntent").speech
        assert save(store, "2026-11-12").startswith(SAVED)
    finally:
        Throttling.throttle.clear()
        proxy.shutdown()
        proxy.server_close()


# ------------------------------------------------------------------ SQLite: read-only, full


CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from tests.test_faults import SAVED, emergency_answered, person, save
from skill.storage.sqlite import SQLiteAdapter
store = SQLiteAdapter(sys.argv[1])
print(json.dumps({{"read": person(store).intent("GetSurgeryDateIntent").speech,
                  "save": save(store, "2026-11-12"), "emergency": emergency_answered(store)}}))
""".format(root=str(ROOT))


def run_child(db: Path, **popen) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, **popen)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_a_read_only_sqlite_file_reads_but_says_it_did_not_save(tmp_path):
    db = tmp_path / "store" / "recovery.db"
    first = SQLiteAdapter(db)
    assert save(first, "2026-11-10").startswith(SAVED)
    first.close_all()
    os.chmod(db, 0o400)
    setpriv = shutil.which("setpriv")
    if os.geteuid() == 0:  # root writes a read-only file anyway: take that power away from the child
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only file cannot be made here")
        result = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--",
                                 sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, timeout=120,
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert result.returncode == 0, result.stderr
        shown = json.loads(result.stdout.splitlines()[-1])
    else:
        shown = run_child(db)
    assert "Tuesday, November 10th" in shown["read"]
    assert shown["save"].startswith(NOT_SAVED), shown["save"]
    assert shown["emergency"]
    os.chmod(db, 0o600)
    assert SQLiteAdapter(db).load(user_key(USER)) == {"surgery_date": "2026-11-10"}


def test_a_full_disk_says_it_did_not_save_and_loses_nothing(tmp_path):
    db = tmp_path / "store" / "recovery.db"
    first = SQLiteAdapter(db)
    assert save(first, "2026-11-10").startswith(SAVED)
    first.close_all()
    size = sum(path.stat().st_size for path in db.parent.iterdir())

    def full_disk():
        # No file may grow past what is there: as on a full disk (EFBIG instead of ENOSPC, same outcome).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    shown = run_child(db, preexec_fn=full_disk)
    assert shown["save"].startswith(NOT_SAVED), shown["save"]
    assert shown["emergency"]
    assert SQLiteAdapter(db).load(user_key(USER)) == {"surgery_date": "2026-11-10"}, "the saved date is whole"
