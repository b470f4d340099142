"""Where Alexa's signature certificate chain may come from, how it is fetched, and the roots it must lead to.

Checks 1 and the trust half of check 2 of :mod:`skill_tools.web.verification`:
the ``SignatureCertChainUrl`` is Amazon's (``https://s3.amazonaws.com/echo.api/...``),
the chain is fetched with TLS verified and no redirects, and validated against
certifi's or the system's roots under the WebPKI profile, loosened where
signing Alexa requests is not TLS server authentication.

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
The SAN check is the verifier's own (:mod:`skill_tools.web.signature`), exact (no
wildcards), done before the chain for a clear message.
"""
from __future__ import annotations

import os
import posixpath
import re
import ssl
import urllib.parse
import urllib.request
import warnings
from typing import Any

from cryptography import x509
from cryptography.x509 import verification as x509_verification

from skill_tools.web.oscrypto_patch import ensure_flask_ask_sdk_importable

ensure_flask_ask_sdk_importable()  # before ask_sdk_webservice_support's certvalidator loads oscrypto
from ask_sdk_webservice_support.verifier import VerificationException  # noqa: E402

ALEXA_CERT_SAN = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"


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


def leaf_extension_policy() -> Any:
    """WebPKI leaf policy with any extendedKeyUsage allowed (cryptography >= 45)."""
    policy_cls = getattr(x509_verification, "ExtensionPolicy", None)
    if policy_cls is None:
        return None
    return policy_cls.webpki_defaults_ee().may_be_present(
        x509.ExtendedKeyUsage, x509_verification.Criticality.AGNOSTIC, None
    )
