"""The signature check of an Alexa request: its certificate chain, then the body's RSA signature (checks 1-3).

:class:`AlexaRequestVerifier` is built on ``cryptography``'s own X.509 path
validation (``PolicyBuilder``/``Store``, cryptography >= 42), with an expiring
chain cache and an injectable trust store, fetcher and clock, instead of
flask-ask-sdk's certvalidator-based ``RequestVerifier`` (see
:mod:`skill_tools.web.oscrypto_patch` for why not that one). Where the chain
comes from and which roots it must reach: :mod:`skill_tools.web.cert_chain`.

Request bodies: flask-ask-sdk hands verifiers the body decoded as UTF-8;
re-encoding a strictly decoded UTF-8 string gives back the exact bytes, so the
signature is checked over the raw body.  ``bytes`` are accepted as well.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import verification as x509_verification

from skill_tools.web.cert_chain import (
    ALEXA_CERT_SAN,
    fetch_cert_chain,
    leaf_extension_policy,
    load_default_trust_roots,
    validate_cert_chain_url,
)
from skill_tools.web.oscrypto_patch import ensure_flask_ask_sdk_importable

ensure_flask_ask_sdk_importable()  # before ask_sdk_webservice_support's certvalidator loads oscrypto
from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException  # noqa: E402

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_256_HEADER = "Signature-256"
LEGACY_SIGNATURE_HEADER = "Signature"

Clock = Callable[[], dt.datetime]
ChainFetcher = Callable[[str], bytes]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; a naive one is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


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


@dataclass
class _CachedChain:
    leaf: x509.Certificate
    intermediates: list[x509.Certificate]
    expires: dt.datetime
    stored: dt.datetime


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
        self._clock = clock or utc_now
        self._cache: dict[str, _CachedChain] = {}
        self._lock = threading.Lock()
        self._store: x509_verification.Store | None = None
        self._ee_policy = leaf_extension_policy()

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
        now = as_utc(self._clock())
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
