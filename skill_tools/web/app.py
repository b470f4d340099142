"""The skill as a web service: a small Flask app around flask-ask-sdk's SkillAdapter.

``POST /``       the Alexa endpoint;
``GET /health``  ``{"status": "ok"}`` for load balancers and monitors (touches nothing).

A request reaches the skill only if it is a well-formed Alexa request envelope
(small, UTF-8, JSON, the fields Alexa always sends) and passes verification
(:mod:`skill_tools.web.verification`: timestamp, application ID, certificate chain
and signature).  Anything else is answered 400 (413 when too large), never
500, with one WARNING log line saying why; the line never holds the body or a
user ID.
"""
from __future__ import annotations

import json
import logging

from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

from skill import envelope_limits, logsafe
from skill_tools.web.oscrypto_patch import ensure_flask_ask_sdk_importable
from skill_tools.web.verification import (
    FLASK_ASK_SDK_CONFIG,
    ApplicationIdVerifier,
    VerificationException,
    default_verifiers,
)

ensure_flask_ask_sdk_importable()  # before flask_ask_sdk's certvalidator loads oscrypto
from flask_ask_sdk.skill_adapter import SkillAdapter  # noqa: E402

log = logging.getLogger(__name__)

#: Alexa's requests are a few KiB; the limit leaves room for large contexts.
MAX_BODY_BYTES = 64 * 1024

# Fields every Alexa request envelope carries, and their JSON types.
_ALWAYS_PRESENT = (
    (("version",), str),
    (("context", "System", "application", "applicationId"), str),
    (("context", "System", "user", "userId"), str),
    (("request", "type"), str),
    (("request", "requestId"), str),
    (("request", "timestamp"), str),
)
# Request types Alexa sends only inside a session, so with a ``session`` object.
_IN_SESSION = frozenset({"LaunchRequest", "IntentRequest", "SessionEndedRequest"})


def create_app(
    skill=None,
    *,
    skill_id: str | None = None,
    verify: bool = True,
    verifiers=None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Flask:
    """The web-service app for ``skill`` (default: built by :func:`skill.builder.skill_builder`).

    skill_id: the only application ID accepted (default: the skill's own,
        which the builder takes from RECOVERY_SKILL_ID).
    verify: False turns off the timestamp, certificate and signature checks
        (local testing only); a configured skill ID is still enforced.
    verifiers: the checks to run (default: :func:`default_verifiers`); only
        used when ``verify`` is on.
    """
    if skill is None:
        from skill.builder import skill_builder

        skill = skill_builder(skill_id=skill_id).create()
    if skill_id and skill.skill_id and skill_id != skill.skill_id:
        raise ValueError(f"skill_id {skill_id!r} differs from the skill's own {skill.skill_id!r}")
    skill_id = skill_id or skill.skill_id
    if not verify:
        verifiers = [ApplicationIdVerifier(skill_id)] if skill_id else []
    elif verifiers is None:
        verifiers = default_verifiers(skill_id)

    app = Flask(__name__)
    app.extensions["recovery_skill"] = skill  # for the server's stop: its storage is flushed (skill_tools.web.server)
    app.config.update(FLASK_ASK_SDK_CONFIG, MAX_CONTENT_LENGTH=max_body_bytes)
    # flask-ask-sdk logs each refusal as an ERROR with a traceback; we log one WARNING line.
    app.logger.addFilter(_not_a_refusal)
    adapter = SkillAdapter(skill=skill, skill_id=skill_id, verifiers=verifiers, app=app)

    @app.post("/")
    def alexa() -> Response:
        try:
            body = request.get_data()
        except RequestEntityTooLarge:
            return _refuse(413, f"body over {max_body_bytes} bytes")
        problem = envelope_problem(body, skill.serializer)
        if problem:
            return _refuse(400, problem)
        try:
            return adapter.dispatch_request()
        except BadRequest as exc:  # raised by the adapter for a VerificationException
            return _refuse(400, f"verification failed: {exc.__context__ or exc.description}")

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return _error(exc.code or 500)

    return app


def envelope_problem(body: bytes, serializer) -> str | None:
    """Why ``body`` is not an Alexa request envelope the skill can take, or None.

    The reason names what is wrong, never the values in the body.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return "body is not JSON"
    for path, kind in _ALWAYS_PRESENT:
        if not isinstance(_lookup(data, path), kind):
            return f"not an Alexa request envelope: no {'.'.join(path)}"
    if data["request"]["type"] in _IN_SESSION and not isinstance(data.get("session"), dict):
        return f"not an Alexa request envelope: {logsafe.shown(data['request']['type'])} without a session"
    limit = envelope_limits.problem(data)
    if limit:
        return limit
    try:
        serializer.deserialize(payload=text, obj_type=RequestEnvelope)
    except Exception as exc:  # any failure to read the input is the input's fault
        return f"request envelope does not fit Alexa's request model ({type(exc).__name__})"
    return None


def _refuse(status: int, reason: str) -> Response:
    log.warning("refused request to %s: %s", logsafe.shown(request.path), reason)
    return _error(status)


def _error(status: int) -> Response:
    response = jsonify(error=HTTP_STATUS_CODES.get(status, "Error"))
    response.status_code = status
    return response


def _lookup(data, path: tuple[str, ...]):
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _not_a_refusal(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], VerificationException))
