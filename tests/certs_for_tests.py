"""Test PKI for the request-verification tests: a root CA, an intermediate and leaves.

Everything is generated with ``cryptography`` at test time (2048-bit RSA, as
Amazon uses); nothing is read from disk or the network.  The profile follows
what a public WebPKI chain such as Amazon's looks like, because
``cryptography.x509.verification`` enforces the CA/Browser Forum profile:

* root: self-signed, basicConstraints CA (critical), keyUsage keyCertSign/cRLSign
  (critical), subjectKeyIdentifier;
* intermediate: the same plus authorityKeyIdentifier (required on every
  certificate that is not a self-signed root) and pathLen 0;
* leaf: basicConstraints CA=false, keyUsage digitalSignature/keyEncipherment
  (critical), extendedKeyUsage serverAuth + clientAuth (as on Amazon's
  echo-api.amazon.com certificate), subjectAltName (non-critical, the subject is
  not empty) and authorityKeyIdentifier.

Keys are the expensive part (~0.1 s each): callers generate a few once per test
module and reuse them for as many certificates as they like.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_SAN = "echo-api.amazon.com"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI (not Amazon)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ski(key: rsa.RSAPrivateKey) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def _aki(issuer_key: rsa.RSAPrivateKey) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Issuer:
    """A CA certificate with its private key, able to issue certificates."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def make_root(
    key: rsa.RSAPrivateKey,
    common_name: str = "Test Root CA",
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> Issuer:
    """A self-signed root CA."""
    name = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(_ski(key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issuer(cert, key)


def make_intermediate(
    issuer: Issuer,
    key: rsa.RSAPrivateKey,
    common_name: str = "Test Intermediate CA",
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> Issuer:
    """An intermediate CA issued by ``issuer`` (may only issue leaves)."""
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(_ski(key), critical=False)
        .add_extension(_aki(issuer.key), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issuer(cert, key)


def make_leaf(
    issuer: Issuer,
    key: rsa.RSAPrivateKey,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    san: tuple[str, ...] | None = (ALEXA_SAN,),
    common_name: str = ALEXA_SAN,
    eku: tuple[x509.ObjectIdentifier, ...] | None = (
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
    ),
) -> x509.Certificate:
    """An end-entity certificate like Amazon's request-signing certificate.

    ``san=None`` leaves out the subjectAltName extension, ``eku=None`` the
    extendedKeyUsage extension (both for probing the verifier).
    """
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(_aki(issuer.key), critical=False)
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    if san is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False
        )
    return builder.sign(issuer.key, hashes.SHA256())


def chain_pem(*certs: x509.Certificate) -> bytes:
    """PEM bundle, leaf first, as served from s3.amazonaws.com/echo.api/."""
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def sign_body(key: rsa.RSAPrivateKey, body: bytes, algorithm: hashes.HashAlgorithm | None = None) -> str:
    """Base64 RSA PKCS#1 v1.5 signature over ``body`` (SHA-256 unless told)."""
    signature = key.sign(body, padding.PKCS1v15(), algorithm or hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


class AlexaTestPKI:
    """Everything a signed-request test needs: a trusted root, an intermediate, leaves, a fake S3.

    ``chains`` maps certificate-chain URLs on s3.amazonaws.com/echo.api/ to PEM bundles:
    ``good`` (the normal chain) and the broken ones (``expired``, ``not_yet_valid``,
    ``wrong_san``, ``untrusted``).  Give the verifier ``trust_store=pki.trust_store`` and
    ``chain_fetcher=pki.fetch``; sign a body with :meth:`headers`.  Four RSA keys (~0.4 s).
    """

    URL_PREFIX = "https://s3.amazonaws.com/echo.api/"

    def __init__(self, now: dt.datetime | None = None, leaf_days: int = 365) -> None:
        now = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
        day = dt.timedelta(days=1)
        root_key, inter_key, other_root_key, self.leaf_key = (new_key() for _ in range(4))
        self.root = make_root(root_key, not_before=now - 3650 * day, not_after=now + 3650 * day)
        self.intermediate = make_intermediate(
            self.root, inter_key, not_before=now - 3650 * day, not_after=now + 3650 * day
        )
        other_root = make_root(
            other_root_key, "Untrusted Root CA", not_before=now - 3650 * day, not_after=now + 3650 * day
        )
        self.trust_store = [self.root.cert]
        self.other_key = other_root_key  # signs nothing Alexa would sign

        def leaf(issuer: Issuer = self.intermediate, **kw) -> bytes:
            dates = {"not_before": now - 30 * day, "not_after": now + leaf_days * day}
            return chain_pem(make_leaf(issuer, self.leaf_key, **{**dates, **kw}), issuer.cert)

        self.chains = {
            "good": leaf(),
            "expired": leaf(not_before=now - 60 * day, not_after=now - day),
            "not_yet_valid": leaf(not_before=now + day, not_after=now + 60 * day),
            "wrong_san": leaf(san=("example.com",), common_name="example.com"),
            "untrusted": leaf(issuer=other_root),
        }
        self.fetched: list[str] = []

    def url(self, chain: str = "good") -> str:
        return f"{self.URL_PREFIX}{chain}.pem"

    def fetch(self, url: str) -> bytes:
        """The chain fetcher: serves ``chains`` as if from S3; anything else is a 404."""
        self.fetched.append(url)
        name = url.removeprefix(self.URL_PREFIX).removesuffix(".pem")
        if url.startswith(self.URL_PREFIX) and name in self.chains:
            return self.chains[name]
        raise OSError(f"HTTP 404 for {url}")

    def headers(self, body: bytes, chain: str = "good", key: rsa.RSAPrivateKey | None = None) -> dict:
        """The headers Alexa sends with ``body``: chain URL and SHA-256 signature."""
        return {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": self.url(chain),
            "Signature-256": sign_body(key or self.leaf_key, body),
        }
