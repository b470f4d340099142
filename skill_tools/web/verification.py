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

Why our own verifiers, and the import trap
------------------------------------------
flask-ask-sdk 1.0.0 imports ``ask_sdk_webservice_support.verifier``, whose
``RequestVerifier`` validates chains with ``certvalidator``, which imports
``oscrypto``.  oscrypto 1.3.0 (the latest release, 2022) finds the OpenSSL
version with the regex ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``: it allows one digit
for the patch number, so ``"OpenSSL 3.0.19 27 Jan 2026"`` (any 3.x.10 and later)
does not match and ``oscrypto/_openssl/_libcrypto_cffi.py`` (or
``_libcrypto_ctypes.py``) raises ``LibraryNotFoundError: Error detecting the
version of libcrypto`` at import time.  So on a current system plain
``import flask_ask_sdk.skill_adapter`` fails, whatever the app configures.
Upstream fixed the regex (``\\d+`` for the last component; wbond/oscrypto
issue #75, PR #76) but never released it (issues #78 and #81 ask for a
release).  PyPI has no fixed ``oscrypto``: only forks under other names
(``oscrypto-snowflake-patch``, ``elements-oscrypto``) that install the same
top-level package over the real one while certvalidator still requires the
``oscrypto`` distribution, and a git pin cannot be expressed in a PyPI-only
install.  Pinning an older oscrypto does not help (same regex).

So two measures, both small:

* :func:`ensure_flask_ask_sdk_importable` (run when this module is imported)
  applies exactly the upstream fix before oscrypto loads its libcrypto
  bindings: it compiles the installed ``_libcrypto_cffi``/``_libcrypto_ctypes``
  module (whichever oscrypto itself would use) with the one-character regex
  change and registers it in ``sys.modules``.  Nothing on disk changes and no
  oscrypto code is copied into this project.  If the installed oscrypto no
  longer contains the buggy regex (a fixed release), or the module was already
  imported, or the backend is not OpenSSL (macOS, Windows), it does nothing.
  The new regex matches every version string the old one matched, with the
  same result.
* The signature check itself is done by :class:`AlexaRequestVerifier`, built on
  ``cryptography``'s own X.509 path validation (``PolicyBuilder``/``Store``,
  cryptography >= 42), with an expiring chain cache, injectable trust store,
  fetcher and clock.  flask-ask-sdk's certvalidator-based ``RequestVerifier``
  (and its ``TimestampVerifier``, whose clock cannot be injected) are switched
  off through the Flask config, and ours are passed in instead — verification
  stays on, it just does not depend on oscrypto.

Use::

    from flask import Flask
    from skill_tools.web.verification import default_verifiers   # applies the shim
    from flask_ask_sdk.skill_adapter import SkillAdapter

    app = Flask(__name__)
    app.config.update(FLASK_ASK_SDK_CONFIG)   # before SkillAdapter(app=...)
    SkillAdapter(skill, skill_id, verifiers=default_verifiers(skill_id), app=app)

``FLASK_ASK_SDK_CONFIG`` sets ``ASK_SDK_VERIFY_SIGNATURE`` and
``ASK_SDK_VERIFY_TIMESTAMP`` to False; the SkillAdapter reads them once, in
``init_app``.

cryptography's path validation applies the CA/Browser Forum (WebPKI) profile.
Amazon's chain (leaf ``echo-api.amazon.com`` from an Amazon Trust Services
intermediate, non-critical SAN, serverAuth EKU, authorityKeyIdentifier)
satisfies it.  Its requirements that Amazon's documentation does not make:
a leaf with an extendedKeyUsage extension must list serverAuth; SAN must be
present and critical exactly when the subject is empty; every
non-self-signed certificate needs an authorityKeyIdentifier; RSA keys >= 2048
bits.  Signing Alexa requests is not TLS server authentication, so where
cryptography allows it (>= 45, ``extension_policies``) we accept any EKU on
the leaf, as Amazon's checks and the ASK SDK do; the other rules are RFC 5280
or Baseline Requirements rules every publicly trusted certificate meets.
The SAN check is ours, exact (no wildcards), done before the chain for a clear
message.

Request bodies: flask-ask-sdk hands verifiers the body decoded as UTF-8;
re-encoding a strictly decoded UTF-8 string gives back the exact bytes, so the
signature is checked over the raw body.  ``bytes`` are accepted as well.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import importlib.machinery
import importlib.util
import json
import logging
import os
import posixpath
import re
import ssl
import sys
import threading
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import verification as x509_verification

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------
# The oscrypto shim (must run before ask_sdk_webservice_support is imported).
# --------------------------------------------------------------------------

# The regex literal exactly as it appears in oscrypto 1.3.0's source, and the
# upstream fix (wbond/oscrypto #75 / PR #76): one "+" on the patch number.
_OSCRYPTO_BUGGY_VERSION_RE = r"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'"
_OSCRYPTO_FIXED_VERSION_RE = r"'\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b'"

_shim_lock = threading.Lock()


def ensure_flask_ask_sdk_importable() -> bool:
    """Make ``import flask_ask_sdk.skill_adapter`` work with oscrypto 1.3.0.

    Loads oscrypto's libcrypto binding module with the upstream-fixed version
    regex (see the module docstring; wbond/oscrypto issues #75 and #78).
    Idempotent and cheap.  Returns True if it loaded the patched module,
    False if nothing needed doing.  Call it before anything imports
    ``flask_ask_sdk``, ``ask_sdk_webservice_support.verifier``,
    ``certvalidator`` or ``oscrypto.asymmetric`` (importing this module does).
    """
    with _shim_lock:
        try:
            import oscrypto
        except ImportError:  # not installed: nothing to fix
            return False
        # Both calls only read/initialise oscrypto's own settings, exactly as
        # its first real import would (after them, oscrypto.use_openssl() and
        # use_ctypes() can no longer be called).
        if oscrypto.backend() != "openssl":
            return False
        which = "cffi" if oscrypto.ffi() == "cffi" else "ctypes"
        name = f"oscrypto._openssl._libcrypto_{which}"
        if name in sys.modules:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return False
        source = spec.loader.get_source(name)
        if source is None or _OSCRYPTO_BUGGY_VERSION_RE not in source:
            return False  # a fixed oscrypto
        code = compile(
            source.replace(_OSCRYPTO_BUGGY_VERSION_RE, _OSCRYPTO_FIXED_VERSION_RE),
            spec.origin,
            "exec",
            dont_inherit=True,
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            exec(code, module.__dict__)  # noqa: S102 - oscrypto's own code, one regex changed
        except BaseException:
            sys.modules.pop(name, None)
            raise
        setattr(sys.modules["oscrypto._openssl"], name.rsplit(".", 1)[1], module)
        log.debug("loaded %s with the oscrypto #75 version-regex fix", name)
        return True


ensure_flask_ask_sdk_importable()

from ask_sdk_webservice_support.verifier import (  # noqa: E402  (needs the shim)
    AbstractVerifier,
    VerificationException,
)

__all__ = [
    "ALEXA_CERT_SAN",
    "AbstractVerifier",
    "AlexaRequestVerifier",
    "ApplicationIdVerifier",
    "FLASK_ASK_SDK_CONFIG",
    "TimestampVerifier",
    "VerificationException",
    "default_verifiers",
    "ensure_flask_ask_sdk_importable",
    "fetch_cert_chain",
    "load_default_trust_roots",
    "validate_cert_chain_url",
]

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

ALEXA_CERT_SAN = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_256_HEADER = "Signature-256"
LEGACY_SIGNATURE_HEADER = "Signature"
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

Clock = Callable[[], dt.datetime]
ChainFetcher = Callable[[str], bytes]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _as_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; a naive one is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _header(headers: Any, name: str) -> str | None:
    """Case-insensitive header lookup on a dict, werkzeug Headers or pairs."""
    if headers is None:
        return None
    items: Iterable[Any] = headers.items() if hasattr(headers, "items") else headers
    wanted = name.lower()
    for key, value in items:
        if isinstance(key, str) and key.lower() == wanted:
            return value if isinstance(value, str) else str(value)
    return None


def validate_cert_chain_url(url: str) -> str:
    """Check a ``SignatureCertChainUrl``; return its canonical form.

    Raises VerificationException unless the scheme is https, the host
    s3.amazonaws.com (both case-insensitive), the port absent or 443, there are
    no credentials, and the path — percent-decoded, ``.``/``..`` resolved —
    starts with ``/echo.api/`` (case-sensitive).  The canonical URL (host
    lower-case, no port, resolved path, no fragment) is what gets fetched and
    is the cache key.
    """
    if not isinstance(url, str) or not url.strip():
        raise VerificationException("SignatureCertChainUrl is empty")
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # ValueError for a non-numeric / out-of-range port
    except ValueError as exc:
        raise VerificationException(f"SignatureCertChainUrl is not a valid URL: {url!r}") from exc
    if parts.scheme.lower() != "https":
        raise VerificationException(
            f"SignatureCertChainUrl must use https, not {parts.scheme or 'no scheme'!r}: {url!r}"
        )
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationException(
            f"SignatureCertChainUrl host must be {CERT_URL_HOST}, not {parts.hostname!r}: {url!r}"
        )
    if port is not None and port != 443:
        raise VerificationException(f"SignatureCertChainUrl port must be 443, not {port}: {url!r}")
    if parts.username is not None or parts.password is not None:
        raise VerificationException(f"SignatureCertChainUrl must not carry credentials: {url!r}")
    path = posixpath.normpath(urllib.parse.unquote(parts.path or "/"))
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationException(
            f"SignatureCertChainUrl path must start with {CERT_URL_PATH_PREFIX} "
            f"(case-sensitive, after resolving dot segments), got {path!r}: {url!r}"
        )
    return urllib.parse.urlunsplit(
        ("https", CERT_URL_HOST, urllib.parse.quote(path), parts.query, "")
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None  # a 3xx becomes an HTTPError


def fetch_cert_chain(url: str, timeout: float = 5.0, max_bytes: int = 256 * 1024) -> bytes:
    """Default chain fetcher: GET ``url`` with urllib (TLS verified, no redirects)."""
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(url, headers={"User-Agent": "alexa-skill-request-verifier"})
    with opener.open(request, timeout=timeout) as response:
        status = getattr(response, "status", 200)
        if status != 200:
            raise OSError(f"HTTP {status}")
        data = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"certificate chain larger than {max_bytes} bytes")
    return data


_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def _load_pem_bundle_leniently(data: bytes) -> list[x509.Certificate]:
    """Certificates in a CA bundle; ones cryptography cannot parse are skipped."""
    certs = []
    for block in _PEM_CERT.findall(data):
        with warnings.catch_warnings():
            # e.g. a root with a non-positive serial number (deprecated, still loaded)
            warnings.simplefilter("ignore")
            try:
                certs.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return certs


def load_default_trust_roots() -> list[x509.Certificate]:
    """Trusted roots: certifi's bundle if installed, else the system's CA file."""
    candidates: list[str] = []
    try:
        import certifi

        candidates.append(certifi.where())
    except ImportError:
        pass
    paths = ssl.get_default_verify_paths()
    candidates += [p for p in (paths.cafile, paths.openssl_cafile) if p]
    for path in candidates:
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                roots = _load_pem_bundle_leniently(handle.read())
            if roots:
                return roots
    raise RuntimeError(
        "no trusted root certificates found (install certifi or the system CA bundle, "
        "or pass trust_store=)"
    )


def _ee_extension_policy() -> Any:
    """WebPKI leaf policy with any extendedKeyUsage allowed (cryptography >= 45)."""
    policy_cls = getattr(x509_verification, "ExtensionPolicy", None)
    if policy_cls is None:
        return None
    return policy_cls.webpki_defaults_ee().may_be_present(
        x509.ExtendedKeyUsage, x509_verification.Criticality.AGNOSTIC, None
    )


@dataclass
class _CachedChain:
    leaf: x509.Certificate
    intermediates: list[x509.Certificate]
    expires: dt.datetime
    stored: dt.datetime


# --------------------------------------------------------------------------
# Verifiers
# --------------------------------------------------------------------------


class AlexaRequestVerifier(AbstractVerifier):
    """Checks the signature certificate chain and the body signature (checks 1–3).

    :param trust_store: trusted root certificates (``cryptography`` x509);
        default :func:`load_default_trust_roots` (loaded on first use).
    :param chain_fetcher: ``url -> PEM bytes``; default :func:`fetch_cert_chain`
        (urllib, 5 s timeout).  Its exceptions become VerificationException.
    :param cache_ttl_seconds: how long a fetched chain is reused for its URL
        (0 disables the cache).  Failed fetches and undecodable chains are
        not cached.  The chain is still validated against the clock on every
        request.
    :param clock: ``() -> datetime`` (UTC); default the system clock.
    """

    max_cached_chains = 32

    def __init__(
        self,
        trust_store: Iterable[x509.Certificate] | None = None,
        chain_fetcher: ChainFetcher | None = None,
        cache_ttl_seconds: float = 3600,
        clock: Clock | None = None,
    ) -> None:
        if cache_ttl_seconds < 0:
            raise ValueError("cache_ttl_seconds must be >= 0")
        self._roots = list(trust_store) if trust_store is not None else None
        if self._roots is not None and not self._roots:
            raise ValueError("trust_store is empty")
        self._fetch = chain_fetcher or fetch_cert_chain
        self._ttl = dt.timedelta(seconds=cache_ttl_seconds)
        self._clock = clock or _utc_now
        self._cache: dict[str, _CachedChain] = {}
        self._lock = threading.Lock()
        self._store: x509_verification.Store | None = None
        self._ee_policy = _ee_extension_policy()

    # -- public ----------------------------------------------------------

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        """Raise VerificationException unless the request is signed by Alexa."""
        cert_url = _header(headers, CERT_URL_HEADER)
        if not cert_url:
            raise VerificationException(f"missing {CERT_URL_HEADER} header")
        signature = _header(headers, SIGNATURE_256_HEADER)
        header_name, algorithm = SIGNATURE_256_HEADER, hashes.SHA256()
        if not signature:
            signature = _header(headers, LEGACY_SIGNATURE_HEADER)
            header_name, algorithm = LEGACY_SIGNATURE_HEADER, hashes.SHA1()
        if not signature:
            raise VerificationException(
                f"missing {SIGNATURE_256_HEADER} header (and no legacy {LEGACY_SIGNATURE_HEADER} header)"
            )
        body = self._raw_body(serialized_request_env)
        url = validate_cert_chain_url(cert_url)
        now = _as_utc(self._clock())
        leaf, intermediates = self._chain(url, now)
        self._check_leaf(leaf, now)
        self._check_path(leaf, intermediates, now)
        self._check_signature(leaf, signature, header_name, algorithm, body)

    # -- steps -----------------------------------------------------------

    @staticmethod
    def _raw_body(serialized_request_env: Any) -> bytes:
        if isinstance(serialized_request_env, (bytes, bytearray, memoryview)):
            return bytes(serialized_request_env)
        if isinstance(serialized_request_env, str):
            return serialized_request_env.encode("utf-8")
        raise VerificationException("request body is missing")

    def _chain(self, url: str, now: dt.datetime) -> tuple[x509.Certificate, list[x509.Certificate]]:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and cached.stored <= now < cached.expires:
                return cached.leaf, cached.intermediates
        try:
            data = self._fetch(url)
        except VerificationException:
            raise
        except Exception as exc:  # network, HTTP, timeout, oversize ...
            raise VerificationException(
                f"could not fetch the signature certificate chain from {url}: {exc}"
            ) from exc
        try:
            certs = x509.load_pem_x509_certificates(bytes(data))
        except (TypeError, ValueError) as exc:
            raise VerificationException(
                f"signature certificate chain from {url} is not decodable as PEM certificates: {exc}"
            ) from exc
        leaf, intermediates = certs[0], certs[1:]
        if self._ttl > dt.timedelta(0):
            with self._lock:
                for key in [k for k, v in self._cache.items() if not v.stored <= now < v.expires]:
                    del self._cache[key]
                while len(self._cache) >= self.max_cached_chains:
                    del self._cache[min(self._cache, key=lambda k: self._cache[k].stored)]
                self._cache[url] = _CachedChain(leaf, intermediates, now + self._ttl, now)
        return leaf, intermediates

    @staticmethod
    def _check_leaf(leaf: x509.Certificate, now: dt.datetime) -> None:
        if now < leaf.not_valid_before_utc:
            raise VerificationException(
                f"signing certificate is not yet valid (valid from {leaf.not_valid_before_utc.isoformat()})"
            )
        if now > leaf.not_valid_after_utc:
            raise VerificationException(
                f"signing certificate has expired (valid until {leaf.not_valid_after_utc.isoformat()})"
            )
        try:
            san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound as exc:
            raise VerificationException(
                f"signing certificate has no subject alternative names (needs {ALEXA_CERT_SAN})"
            ) from exc
        names = san.get_values_for_type(x509.DNSName)
        if not any(n.lower() == ALEXA_CERT_SAN for n in names):
            raise VerificationException(
                f"signing certificate's subject alternative names {names} lack {ALEXA_CERT_SAN}"
            )

    def _trust_store(self) -> x509_verification.Store:
        with self._lock:
            if self._store is None:
                roots = self._roots if self._roots is not None else load_default_trust_roots()
                self._store = x509_verification.Store(roots)
            return self._store

    def _check_path(
        self, leaf: x509.Certificate, intermediates: list[x509.Certificate], now: dt.datetime
    ) -> None:
        builder = x509_verification.PolicyBuilder().store(self._trust_store()).time(now)
        if self._ee_policy is not None:
            builder = builder.extension_policies(
                ca_policy=x509_verification.ExtensionPolicy.webpki_defaults_ca(),
                ee_policy=self._ee_policy,
            )
        verifier = builder.build_server_verifier(x509_verification.DNSName(ALEXA_CERT_SAN))
        try:
            verifier.verify(leaf, intermediates)
        except x509_verification.VerificationError as exc:
            raise VerificationException(
                f"signature certificate chain does not lead to a trusted root: {exc}"
            ) from exc

    @staticmethod
    def _check_signature(
        leaf: x509.Certificate,
        signature: str,
        header_name: str,
        algorithm: hashes.HashAlgorithm,
        body: bytes,
    ) -> None:
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationException("signing certificate does not hold an RSA key")
        try:
            raw = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationException(f"{header_name} header is not valid base64") from exc
        try:
            key.verify(raw, body, padding.PKCS1v15(), algorithm)
            return
        except InvalidSignature:
            pass
        # Rejected either way; tell apart "not made with this key" from
        # "made with this key over other bytes" for the logs.
        try:
            key.recover_data_from_signature(raw, padding.PKCS1v15(), algorithm)
        except (InvalidSignature, ValueError) as exc:
            raise VerificationException(
                f"{header_name} is not a valid {algorithm.name.upper()} signature by the signing certificate's key"
            ) from exc
        raise VerificationException(
            f"request body does not match its {header_name} signature (body altered after signing)"
        )


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
        return _as_utc(value)
    if isinstance(value, str):
        try:
            return _as_utc(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
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
        self._clock = clock or _utc_now

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        raw, request_type, _ = _envelope_fields(serialized_request_env, deserialized_request_env)
        stamp = _parse_timestamp(raw)
        if stamp is None:
            raise VerificationException("request has no valid request.timestamp")
        now = _as_utc(self._clock())
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
