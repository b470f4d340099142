"""Quiet, safe logs: what a request carries is logged escaped and short; an ordinary load logs nothing."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from skill import logsafe
from skill.builder import skill_builder
from skill_tools.simulator import envelopes
from skill_tools.simulator.session import LocalSettingsApi
from skill.storage.sqlite import SQLiteAdapter
from skill_tools.web.app import create_app
from skill_tools.web.server import THREADS, running
from tests.conftest import NOW

NASTY = "Evil\nINFO skill.handlers: forged line\r\x00\x1b[31m" + "x" * 5000


@pytest.fixture
def lambda_handler(tmp_path):
    return skill_builder(persistence_adapter=SQLiteAdapter(tmp_path / "logs.db"),
                         api_client=LocalSettingsApi("America/New_York")).lambda_handler()


def request(kind: str, **fields) -> dict:
    return {"type": kind, "requestId": "amzn1.echo-api.request.1", "timestamp": envelopes.timestamp(NOW),
            "locale": "en-US", **fields}


NASTY_REQUESTS = {
    "intent name": envelopes.intent(NASTY, now=NOW),
    "request type": envelopes.envelope(request(NASTY)),
    "session ended error": envelopes.envelope(request(
        "SessionEndedRequest", reason="ERROR", error={"type": NASTY, "message": NASTY})),
    "exception encountered": envelopes.envelope(request(
        "System.ExceptionEncountered", error={"type": "INVALID_RESPONSE", "message": NASTY},
        cause={"requestId": "amzn1.echo-api.request.0"}), with_session=False),
    "can fulfill intent": envelopes.envelope(request("CanFulfillIntentRequest", intent={"name": NASTY, "slots": {}})),
    "permission answer": envelopes.envelope(request(
        "Connections.Response", name="AskFor", token="", status={"code": NASTY, "message": NASTY},
        payload={"status": NASTY})),
    "unreadable envelope": envelopes.envelope({**request("LaunchRequest"), "timestamp": NASTY}),
}


@pytest.mark.parametrize("case", NASTY_REQUESTS)
def test_what_a_request_carries_is_logged_escaped_and_short(lambda_handler, caplog, case):
    caplog.set_level(logging.DEBUG)
    lambda_handler(NASTY_REQUESTS[case], None)
    lines = [record.getMessage() for record in caplog.records if record.name.startswith("skill")]
    assert lines, "the request was logged"
    for line in lines:
        assert not set(line) & {"\n", "\r", "\x00", "\x1b"}, repr(line)
        assert len(line) <= 400, len(line)
    assert any("Evil\\n" in line for line in lines), lines


def test_shown_escapes_like_repr_and_cuts():
    assert logsafe.shown("a\nb\x00c") == "a\\nb\\x00c"
    assert logsafe.shown("é ok") == "é ok"
    assert logsafe.shown("x" * 500, 20) == "x" * 17 + "..."
    assert logsafe.shown(None) == "None"
    assert len(logsafe.shown("\x00" * 500)) <= logsafe.LIMIT


CLIENTS = 4
REQUESTS = 100


def test_an_ordinary_load_logs_no_task_queue_depth(tmp_path, caplog):
    """Four clients at once (the load the issue measured), on the server's default threads: nothing queues.

    waitress counts a worker as busy until it is back waiting, just after its answer went out, while the
    client may already have sent its next request: so the default threads are four times the clients."""
    assert THREADS >= 4 * CLIENTS
    skill = skill_builder(persistence_adapter=SQLiteAdapter(tmp_path / "load.db"),
                          api_client=LocalSettingsApi("America/New_York")).create()
    caplog.set_level(logging.WARNING)
    with running(create_app(skill, verify=False)) as url:
        def client(n: int) -> list[int]:
            with requests.Session() as http:
                return [http.post(url, json=envelopes.intent("LiftingIntent", now=None, user_id=f"u{n}"),
                                  timeout=30).status_code for _ in range(REQUESTS)]

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [code for codes in pool.map(client, range(CLIENTS)) for code in codes]
    assert statuses == [200] * REQUESTS * CLIENTS
    assert not [r for r in caplog.records if "queue" in r.getMessage().lower()], caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_an_overload_logs_its_queue_once_a_minute_not_once_a_request(tmp_path, caplog):
    skill = skill_builder(persistence_adapter=SQLiteAdapter(tmp_path / "load.db"),
                          api_client=LocalSettingsApi("America/New_York")).create()
    caplog.set_level(logging.WARNING)
    with running(create_app(skill, verify=False), threads=1) as url:
        def client(n: int) -> int:
            with requests.Session() as http:
                return sum(http.post(url, json=envelopes.launch(user_id=f"u{n}"), timeout=30).status_code == 200
                           for _ in range(20))

        with ThreadPoolExecutor(12) as pool:
            assert sum(pool.map(client, range(12))) == 240
    queue_lines = [r for r in caplog.records if r.name == "waitress.queue"]
    assert len(queue_lines) <= 1, [r.getMessage() for r in queue_lines]
