"""Verification of Alexa requests for the HTTPS web-service deployment (flask-ask-sdk).

Amazon certifies a web-service skill only if every request is checked
(https://developer.amazon.com/docs/custom-skills/host-a-custom-skill-as-a-web-service.html):

1. ``SignatureCertChainUrl``: scheme ``https``, host ``s3.amazonaws.com``
   (case-insensitive), port 443 if given, path starting with ``/echo.api/``
   (case-sensitive) once ``.``/``..`` segments are resolved;
2. the PEM chain found there: leaf valid now, ``echo-api.amazon.com`` among its
   subject alternative names, chain leading to a trusted root;
3. ``Signature-256``: base64 RSA PKCS#1 v1.5 / SHA-256 signature over the raw
   body, checked with the leaf's key (only the legacy ``Signature`` header:
   SHA-1);
4. ``request.timestamp`` within 150 s of now;
5. the application id in the request equals the skill id.

A failing check raises ``VerificationException``; flask-ask-sdk's
``SkillAdapter`` turns that into HTTP 400.

Timestamp and application id are checked here; the certificate chain and the
signature in :mod:`skill_tools.web.signature` (:mod:`skill_tools.web.cert_chain`
for the chain's URL, fetching and trusted roots).  flask-ask-sdk's own
certvalidator-based ``RequestVerifier`` and its ``TimestampVerifier`` (whose
clock cannot be injected) are switched off through the Flask config, and these
are passed in instead: verification stays on, it just does not depend on
oscrypto (:mod:`skill_tools.web.oscrypto_patch`).

Use::

    from flask import Flask
    from skill_tools.web.oscrypto_patch import ensure_flask_ask_sdk_importable
    from skill_tools.web.verification import FLASK_ASK_SDK_CONFIG, default_verifiers
    ensure_flask_ask_sdk_importable()
    from flask_ask_sdk.skill_adapter import SkillAdapter

    app = Flask(__name__)
    app.config.update(FLASK_ASK_SDK_CONFIG)   # before SkillAdapter(app=...)
    SkillAdapter(skill, skill_id, verifiers=default_verifiers(skill_id), app=app)

``FLASK_ASK_SDK_CONFIG`` sets ``ASK_SDK_VERIFY_SIGNATURE`` and
``ASK_SDK_VERIFY_TIMESTAMP`` to False; the SkillAdapter reads them once, in
``init_app``.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

from skill_tools.web.oscrypto_patch import ensure_flask_ask_sdk_importable
from skill_tools.web.signature import AlexaRequestVerifier, Clock, as_utc, utc_now

ensure_flask_ask_sdk_importable()  # before ask_sdk_webservice_support's certvalidator loads oscrypto
from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException  # noqa: E402

log = logging.getLogger(__name__)

MAX_TIMESTAMP_TOLERANCE_SECONDS = 150
# Amazon may deliver skill events (enable/disable, permissions, account
# linking) up to an hour late; the ASK SDK's TimestampVerifier allows that too.
SKILL_EVENT_TOLERANCE_SECONDS = 3600
SKILL_EVENT_TYPES = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)

#: Flask config for a SkillAdapter that uses :func:`default_verifiers`.
FLASK_ASK_SDK_CONFIG = {"ASK_SDK_VERIFY_SIGNATURE": False, "ASK_SDK_VERIFY_TIMESTAMP": False}


def _path(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return obj


def _envelope_fields(
    serialized_request_env: Any, deserialized_request_env: Any
) -> tuple[Any, Any, list[Any]]:
    """(request timestamp, request type, application ids) from model or JSON."""
    env = deserialized_request_env
    if env is not None and not isinstance(env, Mapping):  # ask_sdk_model RequestEnvelope
        return (
            _path(env, "request", "timestamp"),
            _path(env, "request", "object_type"),
            [
                _path(env, "context", "system", "application", "application_id"),
                _path(env, "session", "application", "application_id"),
            ],
        )
    if env is None:
        try:
            env = json.loads(serialized_request_env)
        except (TypeError, ValueError):
            env = {}
    if not isinstance(env, Mapping):
        env = {}
    return (
        _path(env, "request", "timestamp"),
        _path(env, "request", "type"),
        [
            _path(env, "context", "System", "application", "applicationId"),
            _path(env, "session", "application", "applicationId"),
        ],
    )


def _parse_timestamp(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return as_utc(value)
    if isinstance(value, str):
        try:
            return as_utc(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # epoch ms or s
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return None


class TimestampVerifier(AbstractVerifier):
    """``request.timestamp`` must be within ``tolerance_seconds`` (<= 150) of now.

    Skill events (``AlexaSkillEvent.*``) may be up to an hour old, as Amazon
    documents and the ASK SDK allows.  Written here rather than reusing
    ``ask_sdk_webservice_support.verifier.TimestampVerifier`` (same rules) so
    the clock can be injected.
    """

    def __init__(
        self,
        tolerance_seconds: float = MAX_TIMESTAMP_TOLERANCE_SECONDS,
        clock: Clock | None = None,
        skill_event_tolerance_seconds: float = SKILL_EVENT_TOLERANCE_SECONDS,
    ) -> None:
        if not 0 <= tolerance_seconds <= MAX_TIMESTAMP_TOLERANCE_SECONDS:
            raise ValueError(f"tolerance_seconds must be within 0..{MAX_TIMESTAMP_TOLERANCE_SECONDS}")
        self._tolerance = tolerance_seconds
        self._event_tolerance = max(skill_event_tolerance_seconds, tolerance_seconds)
        self._clock = clock or utc_now

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        raw, request_type, _ = _envelope_fields(serialized_request_env, deserialized_request_env)
        stamp = _parse_timestamp(raw)
        if stamp is None:
            raise VerificationException("request has no valid request.timestamp")
        now = as_utc(self._clock())
        skew = (now - stamp).total_seconds()
        limit = self._event_tolerance if request_type in SKILL_EVENT_TYPES else self._tolerance
        if skew > limit:
            raise VerificationException(
                f"request timestamp {stamp.isoformat()} is {skew:.0f} s old (limit {limit:g} s)"
            )
        if -skew > limit:
            raise VerificationException(
                f"request timestamp {stamp.isoformat()} is {-skew:.0f} s in the future (limit {limit:g} s)"
            )


class ApplicationIdVerifier(AbstractVerifier):
    """The request's application id must be this skill's id.

    Looks at ``context.System.application.applicationId`` and
    ``session.application.applicationId``: at least one must be present and
    every one present must equal ``skill_id``.  Without a configured skill id
    there is nothing to compare with: :func:`default_verifiers` then leaves
    this verifier out (and logs a warning); constructing it requires an id.
    """

    def __init__(self, skill_id: str) -> None:
        if not skill_id:
            raise ValueError("ApplicationIdVerifier needs the skill id")
        self._skill_id = skill_id

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        _, _, ids = _envelope_fields(serialized_request_env, deserialized_request_env)
        present = [i for i in ids if i is not None]  # an empty id is present, and wrong
        if not present:
            raise VerificationException("request carries no application id")
        for app_id in present:
            if app_id != self._skill_id:
                raise VerificationException(
                    f"request is for application id {app_id!r}, not this skill's {self._skill_id!r}"
                )


def default_verifiers(skill_id: str | None, **kwargs: Any) -> list[AbstractVerifier]:
    """The verifiers to pass to ``SkillAdapter(..., verifiers=...)``.

    Cheap checks first (timestamp, application id), then the signature, so a
    replayed or misrouted request costs no chain fetch.  ``kwargs`` go to
    :class:`AlexaRequestVerifier` (``trust_store``, ``chain_fetcher``,
    ``cache_ttl_seconds``, ``clock``); ``clock`` also to
    :class:`TimestampVerifier`.  With ``skill_id`` None the application-id
    check is left out.  Use together with :data:`FLASK_ASK_SDK_CONFIG`.
    """
    clock = kwargs.get("clock")
    verifiers: list[AbstractVerifier] = [TimestampVerifier(clock=clock)]
    if skill_id:
        verifiers.append(ApplicationIdVerifier(skill_id))
    else:
        log.warning("no skill id configured: requests' application id is not checked")
    verifiers.append(AlexaRequestVerifier(**kwargs))
    return verifiers
