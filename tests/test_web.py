"""The web service for real: waitress on 127.0.0.1, requests over HTTP, signed like Alexa's.

One server serves the whole module (skill_tools.web.server.running).  Its verifiers
trust a test PKI (tests/certs_for_tests.py) and fetch chains from a fake S3, so
nothing touches the network.  Its storage and settings API are switches, so
each conversation script plays against a fresh store, and its verification
clock follows the scripts' fixed dates.
"""
from __future__ import annotations

import copy
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.services import ApiClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # running the `pytest` script rather than `python -m pytest`
    sys.path.insert(0, str(ROOT))

import certs_for_tests  # noqa: E402
from skill.builder import skill_builder  # noqa: E402
from skill.dialog import CONFIRM_DATE  # noqa: E402
from skill_tools.simulator import envelopes, scripts  # noqa: E402
from skill_tools.simulator.session import LocalSettingsApi  # noqa: E402
from skill.storage.sqlite import SQLiteAdapter  # noqa: E402
from skill.storage.store import user_key  # noqa: E402
from skill_tools.web.app import MAX_BODY_BYTES, create_app  # noqa: E402
from skill_tools.web.server import running  # noqa: E402
from skill_tools.web.verification import default_verifiers  # noqa: E402

SKILL_ID = envelopes.SKILL_ID
USER = "amzn1.ask.account.WEB-TESTER-0123456789"
SEEDED = {"surgery_date": "2026-11-10"}
SCRIPT_FILES = sorted((ROOT / "tests" / "scripts").glob("*.yaml"))


# ------------------------------------------------------------------ the served app


class StoreSwitch(AbstractPersistenceAdapter):
    """The served skill's storage: whatever store ``target`` is at the moment."""

    def __init__(self, target):
        self.target = target

    def get_attributes(self, request_envelope):
        return self.target.get_attributes(request_envelope)

    def save_attributes(self, request_envelope, attributes):
        self.target.save_attributes(request_envelope, attributes)

    def delete_attributes(self, request_envelope):
        self.target.delete_attributes(request_envelope)


class ApiSwitch(ApiClient):
    def __init__(self, target):
        self.target = target

    def invoke(self, request):
        return self.target.invoke(request)


class Clock:
    """The verifiers' clock: the real time unless ``fixed``."""

    def __init__(self):
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(timezone.utc)


@dataclass
class Served:
    url: str
    pki: certs_for_tests.AlexaTestPKI
    db: Path
    store: StoreSwitch
    api: ApiSwitch
    clock: Clock
    http: requests.Session = field(default_factory=requests.Session)

    def post(self, body: bytes | dict, headers: dict | None = None, *, signed: bool = True) -> requests.Response:
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        if headers is None:
            headers = self.pki.headers(body) if signed else {"Content-Type": "application/json"}
        return self.http.post(self.url, data=body, headers=headers, timeout=10)

    def stored(self) -> list[tuple]:
        """Every record in the served SQLite store."""
        with sqlite3.connect(self.db) as conn:
            return conn.execute("SELECT account_key, attributes FROM records ORDER BY account_key").fetchall()

    def seed(self) -> None:
        """USER has a surgery date stored, so a request that got through could change it."""
        if self.store.target.load(user_key(USER)) != SEEDED:
            self.store.target.save(user_key(USER), SEEDED)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "recovery.db"
    home = SQLiteAdapter(db)
    store, api, clock = StoreSwitch(home), ApiSwitch(LocalSettingsApi("America/New_York")), Clock()
    pki = certs_for_tests.AlexaTestPKI()
    skill = skill_builder(persistence_adapter=store, api_client=api, skill_id=SKILL_ID).create()
    verifiers = default_verifiers(SKILL_ID, trust_store=pki.trust_store, chain_fetcher=pki.fetch, clock=clock)
    app = create_app(skill, skill_id=SKILL_ID, verifiers=verifiers)
    with running(app, threads=4) as url:
        web = Served(url, pki, db, store, api, clock)
        web.seed()
        yield web
        web.http.close()


@pytest.fixture
def web(served):
    """The served app back at home: its own store, the real clock."""
    home, api = served.store.target, served.api.target
    yield served
    served.store.target, served.api.target, served.clock.fixed = home, api, None


# ------------------------------------------------------------------ requests


def now(offset_seconds: float = 0) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)


def disable_event(**kw) -> dict:
    """AlexaSkillEvent.SkillDisabled: deletes USER's data if it gets through."""
    return envelopes.skill_event("AlexaSkillEvent.SkillDisabled", now(), user_id=USER, **kw)


def launch() -> dict:
    return envelopes.launch(now(), user_id=USER)


def signed(pki, env: dict | None = None, chain: str = "good", drop: str = "", **changes) -> tuple[bytes, dict]:
    """A request as Alexa signs it (by default a SkillDisabled event), then ``changes`` to its headers."""
    body = json.dumps(env or disable_event()).encode()
    headers = {**pki.headers(body, chain), **changes}
    headers.pop(drop, None)
    return body, headers


def tampered(pki):
    body, headers = signed(pki)
    return body.replace(b"WEB-TESTER", b"WEB-TESTEE"), headers


def padded(pki):
    env = launch()
    env["session"]["attributes"]["padding"] = "x" * MAX_BODY_BYTES
    return signed(pki, env)


def stale_event(seconds):
    return lambda pki: signed(pki, envelopes.skill_event("AlexaSkillEvent.SkillDisabled", now(seconds), user_id=USER))


def url(value):
    return lambda pki: signed(pki, SignatureCertChainUrl=value)


#: name -> (request maker(pki) -> (body, headers), expected status, what the log line says)
REFUSALS = {
    "tampered body": (tampered, 400, "body altered after signing"),
    "wrong signature": (
        lambda pki: signed(pki, **{"Signature-256": certs_for_tests.sign_body(pki.other_key, b"{}")}),
        400,
        "not a valid SHA256 signature",
    ),
    "signature not base64": (lambda pki: signed(pki, **{"Signature-256": "%%%"}), 400, "not valid base64"),
    "expired certificate": (lambda pki: signed(pki, chain="expired"), 400, "has expired"),
    "certificate not yet valid": (lambda pki: signed(pki, chain="not_yet_valid"), 400, "not yet valid"),
    "wrong SAN": (lambda pki: signed(pki, chain="wrong_san"), 400, "lack echo-api.amazon.com"),
    "untrusted chain": (lambda pki: signed(pki, chain="untrusted"), 400, "does not lead to a trusted root"),
    "chain URL over http": (url("http://s3.amazonaws.com/echo.api/good.pem"), 400, "must use https"),
    "chain URL on another host": (url("https://s3.amazonaws.com.evil.example/echo.api/good.pem"), 400, "host must be"),
    "chain URL on another port": (url("https://s3.amazonaws.com:8443/echo.api/good.pem"), 400, "port must be 443"),
    "chain URL escaping echo.api": (url("https://s3.amazonaws.com/echo.api/../good.pem"), 400, "path must start"),
    "chain URL path in other case": (url("https://s3.amazonaws.com/ECHO.API/good.pem"), 400, "path must start"),
    "chain not found": (url("https://s3.amazonaws.com/echo.api/missing.pem"), 400, "could not fetch"),
    "stale timestamp": (stale_event(-3700), 400, "s old"),
    "future timestamp": (stale_event(+3700), 400, "in the future"),
    "stale launch": (lambda pki: signed(pki, envelopes.launch(now(-151), user_id=USER)), 400, "s old"),
    "wrong application ID": (
        lambda pki: signed(pki, envelopes.skill_event(
            "AlexaSkillEvent.SkillDisabled", now(), user_id=USER, skill_id="amzn1.ask.skill.other")),
        400,
        "not this skill's",
    ),
    "empty application ID": (
        lambda pki: signed(pki, envelopes.skill_event(
            "AlexaSkillEvent.SkillDisabled", now(), user_id=USER, skill_id="")),
        400,
        "application id '', not this skill's",
    ),
    "no chain URL header": (lambda pki: signed(pki, drop="SignatureCertChainUrl"), 400, "missing SignatureCertChainUrl"),
    "no signature header": (lambda pki: signed(pki, drop="Signature-256"), 400, "missing Signature-256"),
    "no headers at all": (lambda pki: (signed(pki)[0], {}), 400, "missing SignatureCertChainUrl"),
    "malformed JSON": (lambda pki: signed(pki)[0][:-7], 400, "not JSON"),
    "non-UTF-8 body": (lambda pki: b'{"version": "1.0", "x": "\xff\xfe"}', 400, "not UTF-8"),
    "JSON but not an envelope": (lambda pki: b'{"hello": ["world"]}', 400, "not an Alexa request envelope"),
    "JSON list": (lambda pki: b"[1, 2, 3]", 400, "not an Alexa request envelope"),
    "launch without a session": (
        lambda pki: signed(pki, {k: v for k, v in launch().items() if k != "session"}),
        400,
        "LaunchRequest without a session",
    ),
    "envelope the SDK cannot read": (
        lambda pki: signed(pki, envelopes.envelope({**launch()["request"], "timestamp": "half past nine"})),
        400,
        "does not fit Alexa's request model",
    ),
    "body over the limit": (padded, 413, f"body over {MAX_BODY_BYTES} bytes"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_refused_with_4xx_and_one_clear_log_line(web, caplog, case):
    make, status, reason = REFUSALS[case]
    request = make(web.pki)
    body, headers = request if isinstance(request, tuple) else (request, {"Content-Type": "application/json"})
    web.seed()
    before = web.stored()
    caplog.set_level(logging.WARNING)

    response = web.post(body, headers)

    assert response.status_code == status, response.text
    assert response.json() == {"error": "Request Entity Too Large" if status == 413 else "Bad Request"}
    refusals = [r for r in caplog.records if r.name == "skill_tools.web.app" and r.levelno == logging.WARNING]
    assert len(refusals) == 1, caplog.text
    assert reason in refusals[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert USER not in caplog.text and "amzn1.echo-api.request" not in caplog.text  # no user ID, no body
    assert web.stored() == before


def test_signed_request_gets_the_skills_answer(web):
    event = launch()
    response = web.post(event)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    answer = response.json()
    assert "Welcome back to spine recovery helper" in answer["response"]["outputSpeech"]["ssml"]
    # The very answer the Lambda entry point gives for the same event.
    lambda_handler = skill_builder(persistence_adapter=web.store.target, api_client=LocalSettingsApi()).lambda_handler()
    expected = lambda_handler(event, None)
    assert answer["response"] == expected["response"]
    assert answer["sessionAttributes"] == expected["sessionAttributes"]


def test_a_signed_request_of_a_type_newer_than_the_sdk_gets_an_empty_answer(web):
    """Not refused: Alexa may send request types the installed ask-sdk-model does not know yet."""
    event = envelopes.envelope({**launch()["request"], "type": "Alexa.Future.SomethingNew"}, user_id=USER)
    response = web.post(event)
    assert response.status_code == 200
    assert response.json()["response"] == {}


@pytest.mark.parametrize("seconds", [-140, +140])
def test_timestamp_within_150_seconds_is_accepted(web, seconds):
    assert web.post(envelopes.launch(now(seconds), user_id=USER)).status_code == 200


def test_signed_skill_disabled_deletes_the_record(web):
    """The control for the refusals above: the same event, signed and fresh, does change the store."""
    web.seed()
    assert (user_key(USER), '{"surgery_date": "2026-11-10"}') in web.stored()
    assert web.post(disable_event()).status_code == 200
    assert user_key(USER) not in [key for key, _ in web.stored()]
    web.seed()


def test_over_the_limit_without_content_length(web, caplog):
    caplog.set_level(logging.WARNING)
    chunks = (b"x" * 8192 for _ in range(MAX_BODY_BYTES // 8192 + 2))  # requests sends it chunked
    response = web.http.post(web.url, data=chunks, headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 413
    assert f"body over {MAX_BODY_BYTES} bytes" in caplog.text


def test_other_methods_and_paths(web):
    assert web.http.get(web.url).status_code == 405
    assert web.http.post(web.url + "/health").status_code == 405
    assert web.http.get(web.url + "/admin").status_code == 404


def test_health_says_ok_and_nothing_else(web):
    response = web.http.get(web.url + "/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# ------------------------------------------------------------------ thrown garbage (hypothesis)

JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
JSON_VALUES = JSON_LEAVES | st.lists(JSON_LEAVES, max_size=3) | st.dictionaries(st.text(max_size=8), JSON_LEAVES, max_size=3)


def base_envelopes() -> list[dict]:
    """Fresh, valid requests of every kind the skill meets; the first one stores a date."""
    stamp = now()
    common = {"user_id": USER, "new": False, "session_id": "amzn1.echo-api.session.web"}
    return [
        envelopes.intent("AMAZON.YesIntent", now=stamp, session_attributes={
            "state": CONFIRM_DATE, "pending_date": "2026-11-03"}, **common),
        envelopes.intent("SetSurgeryDateIntent", {"date": "2026-11-10"}, now=stamp, **common),
        envelopes.intent("LiftingIntent", now=stamp, **common),
        envelopes.intent("ForgetSurgeryDateIntent", now=stamp, **common),
        envelopes.launch(stamp, user_id=USER),
        envelopes.session_ended(now=stamp, **common),
        envelopes.skill_event("AlexaSkillEvent.SkillEnabled", stamp, user_id=USER),
        envelopes.skill_event("AlexaSkillEvent.SkillDisabled", stamp, user_id=USER),
    ]


def _nodes(value, path=()):
    """Every (container, key) in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _nodes(item, path + (index,))


def mutate(data, envelope: dict) -> dict:
    """1-3 random edits: a value replaced (often by another type), a key deleted or added."""
    envelope = copy.deepcopy(envelope)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        container, key = data.draw(st.sampled_from(list(_nodes(envelope))), label="where")
        action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="edit")
        if action == "replace":
            container[key] = data.draw(JSON_VALUES, label="value")
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[data.draw(st.text(max_size=8), label="new key")] = data.draw(JSON_VALUES, label="value")
        else:
            container.append(data.draw(JSON_VALUES, label="value"))
        if not list(_nodes(envelope)):
            break
    return envelope


def post_and_check(web: Served, body: bytes, headers: dict, before) -> requests.Response:
    response = web.post(body, headers)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400, 413), (response.status_code, body[:300])
    if response.status_code == 200:
        assert isinstance(response.json().get("response"), dict)
    else:
        assert web.stored() == before, body[:300]
    return response


GARBAGE = settings(
    max_examples=int(os.environ.get("WEB_GARBAGE_EXAMPLES", "1000")), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@GARBAGE
@given(data=st.data())
def test_signed_mutated_envelopes_never_500(served, data):
    """Correctly signed, so the mutations reach the envelope checks, the verifiers and the skill."""
    envelope = data.draw(st.sampled_from(base_envelopes()), label="base")
    envelope = mutate(data, envelope)
    body = json.dumps(envelope).encode()
    if data.draw(st.booleans(), label="truncate"):
        body = body[: data.draw(st.integers(0, len(body) - 1), label="cut")]
    served.seed()
    post_and_check(served, body, served.pki.headers(body), served.stored())


@GARBAGE
@given(data=st.data())
def test_unsigned_garbage_is_refused(served, data):
    kind = data.draw(st.sampled_from(["bytes", "json", "mutated", "signature of another body"]), label="kind")
    if kind == "bytes":
        body = data.draw(st.binary(max_size=512), label="body")
    elif kind == "json":
        body = json.dumps(data.draw(JSON_VALUES, label="value")).encode()
    else:
        body = json.dumps(mutate(data, data.draw(st.sampled_from(base_envelopes()), label="base"))).encode()
    headers = {"Content-Type": "application/json"}
    if kind == "signature of another body":
        headers = served.pki.headers(body + b" ")
    served.seed()
    response = post_and_check(served, body, headers, served.stored())
    assert response.status_code == 400


def test_still_healthy_after_the_garbage(served):
    assert served.http.get(served.url + "/health", timeout=5).json() == {"status": "ok"}
    assert served.post(launch()).status_code == 200


# ------------------------------------------------------------------ conversation scripts over HTTP


def _script_cases():
    for path in SCRIPT_FILES:
        for case in scripts.load(path):
            yield pytest.param(case, id=f"{path.stem}: {case.get('name', 'unnamed')}")


@pytest.fixture(scope="module")
def understanding():
    from skill_tools.simulator.nlu import Understanding

    return Understanding.from_model_file()


def http_transport(web: Served):
    """scripts.run_case's transport: each event signed and posted to the served endpoint."""

    def transport(store, api_client):
        web.store.target, web.api.target = store, api_client

        def handler(event, _context):
            stamp = datetime.fromisoformat(event["request"]["timestamp"].replace("Z", "+00:00"))
            web.clock.fixed = stamp + timedelta(seconds=1)  # delivered a second after it was said
            response = web.post(event)
            assert response.status_code == 200, response.text
            return response.json()

        return handler

    return transport


@pytest.mark.skipif(not SCRIPT_FILES, reason="no conversation scripts in tests/scripts")
@pytest.mark.parametrize("case", list(_script_cases()))
def test_conversation_script_over_http(web, understanding, case):
    result = scripts.run_case(case, transport=http_transport(web), understanding=understanding)
    assert result.passed, "\n".join(result.failures)


# ------------------------------------------------------------------ recovery-skill serve


def _serve(tmp_path, *flags):
    env = {**os.environ, "RECOVERY_SKILL_DB": str(tmp_path / "serve.db"), "RECOVERY_SKILL_ID": SKILL_ID,
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "skill_tools", "serve", "--port", "0", "--workers", "2", *flags],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()
    assert line.startswith("Serving the skill"), line + proc.stderr.read()
    return proc, line.split(" on ", 1)[1].split()[0]


def _stop(proc) -> str:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    return err


@pytest.mark.parametrize("verify", [True, False], ids=["verified", "no-verify"])
def test_serve_command(tmp_path, verify):
    proc, base = _serve(tmp_path, *([] if verify else ["--no-verify"]))
    try:
        assert requests.get(base + "/health", timeout=5).json() == {"status": "ok"}
        offline = envelopes.launch()
        del offline["context"]["System"]["apiAccessToken"]  # no settings-API call over the network
        unsigned = requests.post(base, json=offline, timeout=5)
        assert unsigned.status_code == (400 if verify else 200)
        assert requests.post(base, data=b"\xff", timeout=5).status_code == 400
    finally:
        err = _stop(proc)
    if verify:
        assert "missing SignatureCertChainUrl" in err
    else:
        assert "WARNING" in err and "local testing only" in err


def test_serve_refuses_to_start_verified_without_a_skill_id(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RECOVERY_SKILL_ID"}
    env.update(RECOVERY_SKILL_DB=str(tmp_path / "serve.db"), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "skill_tools", "serve", "--port", "0"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "set RECOVERY_SKILL_ID" in out.stderr
