"""A demonstration certificate authority and one certificate per unit, made once.

Everything is named «DEMOSTRACIÓN — sin validez legal». `make demo` writes it under
var/firma-demo/ (gitignored); the tests write the same into a temporary folder. The
PKCS#12 files are encrypted with the passphrase in the environment variable named in
the TOML file, as a real key would be (docs/firma.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_LABEL = "DEMOSTRACIÓN — sin validez legal"
PASSPHRASE_ENV = "AYNI_DEMO_SIGNING_PASSPHRASE"  # noqa: S105 - a variable's name


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    file_suffix: str = ""


def _common(name: str) -> str:
    """«UGEL 07 SAN BORJA (DEMOSTRACIÓN — sin validez legal)», within X.509's 64 characters."""
    while len(f"{name} ({DEMO_LABEL})".encode()) > 64:  # the limit counts UTF-8 bytes
        name = name[:-1]
    return f"{name.rstrip()} ({DEMO_LABEL})"


def _name(common: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_LABEL),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    # RSA: PKCS#1 v1.5 signatures are deterministic, so the same document signed at the
    # same time gives the same bytes (and RSA is what IOFE certificates carry).
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(folder: Path, *, now: dt.datetime) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    name = _name(_common("Autoridad de certificación Ayni"), "Ayni")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    (folder / "raiz.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def issue(
    ca_key: rsa.RSAPrivateKey,
    ca_cert: x509.Certificate,
    *,
    common: str,
    org: str,
    not_before: dt.datetime,
    not_after: dt.datetime,
    timestamping: bool = False,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    usage = ExtendedKeyUsageOID.TIME_STAMPING if timestamping else None
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common, org))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
    return key, builder.sign(ca_key, hashes.SHA256())


def make_demo_pki(
    folder: Path,
    units: Iterable[DemoUnit],
    *,
    passphrase: str,
    now: dt.datetime | None = None,
) -> Path:
    """Write raiz.pem, one PKCS#12 per unit, a TSA key pair and firma.toml; return the TOML.

    The TOML names the passphrase's environment variable, never the passphrase."""
    now = now or dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = make_ca(folder, now=now)
    lines = ['trust_roots = ["raiz.pem"]', ""]
    for unit in units:
        key, cert = issue(
            ca_key,
            ca_cert,
            common=_common(unit.name),
            org=unit.name,
            not_before=unit.not_before or now - dt.timedelta(days=400),
            not_after=unit.not_after or now + dt.timedelta(days=730),
        )
        name = f"{unit.code}{unit.file_suffix}.p12"
        blob = pkcs12.serialize_key_and_certificates(
            unit.name.encode(),
            key,
            cert,
            [ca_cert],
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
        path = folder / name
        path.write_bytes(blob)
        path.chmod(0o600)
        lines += [
            "[[key]]",
            f'unit = "{unit.code}"',
            f'pkcs12 = "{name}"',
            f'passphrase_env = "{PASSPHRASE_ENV}"',
            "",
        ]
    tsa_key, tsa_cert = issue(
        ca_key,
        ca_cert,
        common=_common("Sello de tiempo Ayni"),
        org="Ayni",
        not_before=now - dt.timedelta(days=400),
        not_after=now + dt.timedelta(days=3650),
        timestamping=True,
    )
    (folder / "tsa.pem").write_bytes(tsa_cert.public_bytes(serialization.Encoding.PEM))
    tsa_key_path = folder / "tsa.key"
    tsa_key_path.write_bytes(
        tsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    tsa_key_path.chmod(0o600)
    toml = folder / "firma.toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    return toml
