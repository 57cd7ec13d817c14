"""The key store: which certificate each issuing unit signs with, loaded once per process.

The store is described by a TOML file (settings.SIGNING_CONFIG, docs/firma.md); it names
files and tokens, never secrets: each passphrase or PIN is read from the environment
variable the entry names. Keys are never in the repository or the database.

    trust_roots = ["raiz.pem"]            # certificates the verification page trusts
    tsa_url = "https://tsa.example/"      # optional; AYNI_SIGNING_TSA_URL overrides it

    [[key]]                               # a PKCS#12 file
    unit = "150108"                       # the org unit's code
    pkcs12 = "ugel07-2026.p12"            # relative paths: from the TOML file's folder
    passphrase_env = "AYNI_SIGNING_PASSPHRASE_150108"

    [[key]]                               # a PKCS#11 token or HSM
    unit = "000000"
    pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so"
    token_label = "minedu"
    key_label = "firma"
    pin_env = "AYNI_SIGNING_PIN_000000"

A unit may hold several keys (a certificate and its successor): the one valid at the
signing time is used, the newest first. A unit without a key valid then signs with its
nearest ancestor's (the org path lists the ancestors' codes).
"""

from __future__ import annotations

import logging
import os
import threading
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign.signers import Signer, SimpleSigner

logger = logging.getLogger(__name__)


class SigningConfigError(ImproperlyConfigured):
    """The key store cannot be loaded; the message says which entry and why."""


@dataclass(frozen=True)
class KeyEntry:
    unit_code: str
    source: str  # the file or token, for messages (never a secret)
    signer: Signer
    not_before: datetime
    not_after: datetime
    subject: str  # the certificate's common name
    organisation: str
    reserve: int  # hex characters reserved for the signature container (B-B)

    def valid_at(self, at: datetime) -> bool:
        return self.not_before <= at <= self.not_after


@dataclass
class KeyStore:
    keys: dict[str, list[KeyEntry]] = field(default_factory=dict)  # unit code → newest first
    trust_roots: list[Any] = field(default_factory=list)  # asn1crypto certificates
    trust_root_files: list[str] = field(default_factory=list)
    tsa_url: str = ""

    def choose(self, unit_codes: list[str], at: datetime) -> tuple[str, KeyEntry] | None:
        """The key of the first unit in `unit_codes` (self, parent, ...) valid at `at`."""
        for code in unit_codes:
            for entry in self.keys.get(code, ()):
                if entry.valid_at(at):
                    return code, entry
        return None

    def entries(self) -> list[KeyEntry]:
        return [entry for group in self.keys.values() for entry in group]


class ParsedKeySigner(SimpleSigner):
    """pyHanko's SimpleSigner parses the private key on every signature (about 50 ms for
    RSA-2048: the key is checked each time); this one parses it once per process."""

    _pyca_key: Any = None
    _cert_attribute: Any = None

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Any:
        """The signing-certificate-v2 attribute is the same for every signature: built
        once and reused from its DER form (asn1crypto re-serialises a built one each time)."""
        from asn1crypto import cms
        from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
        from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute

        signer = self

        class Cached(CMSAttributeProvider):
            attribute_type = "signing_certificate_v2"

            async def get_attribute(self, dry_run: bool = False) -> Any:
                return signer._cert_attribute

        for provider in super()._signed_attr_providers(*args, **kwargs):
            if isinstance(provider, SigningCertificateV2Provider):
                if self._cert_attribute is None:
                    built = simple_cms_attribute(
                        "signing_certificate_v2", as_signing_certificate_v2(self.signing_cert)
                    )
                    self._cert_attribute = cms.CMSAttribute.load(built.dump())
                yield Cached()
            else:
                yield provider

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
        from cryptography.hazmat.primitives.serialization import load_der_private_key
        from pyhanko.sign.general import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism["algorithm"].native not in ("rsassa_pkcs1v15", "sha256_rsa"):
            return super().sign_raw(data, digest_algorithm)  # other algorithms: as is
        if self._pyca_key is None:
            self._pyca_key = load_der_private_key(self.signing_key.dump(), password=None)
        assert isinstance(self._pyca_key, RSAPrivateKey)
        return self._pyca_key.sign(  # type: ignore[no-any-return]
            data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


def _resolve(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path


def _secret(entry: dict[str, Any], key: str, where: str) -> str:
    name = str(entry.get(key) or "")
    if not name:
        raise SigningConfigError(f"{where}: falta «{key}» (la variable con la clave).")
    value = os.environ.get(name)
    if value is None:
        raise SigningConfigError(f"{where}: la variable de entorno {name} no está definida.")
    return value


def _load_pkcs12(entry: dict[str, Any], base: Path, where: str) -> tuple[Signer, str]:
    path = _resolve(base, str(entry["pkcs12"]))
    passphrase = _secret(entry, "passphrase_env", where)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningConfigError(f"{where}: no se puede leer {path}: {exc.strerror}.") from exc
    try:
        loaded = SimpleSigner.load_pkcs12_data(data, (), passphrase=passphrase.encode())
    except ValueError as exc:
        raise SigningConfigError(
            f"{where}: no se pudo abrir {path} (¿clave incorrecta o archivo dañado?)."
        ) from exc
    signer = ParsedKeySigner(
        signing_key=loaded.signing_key,
        signing_cert=loaded.signing_cert,
        cert_registry=loaded.cert_registry,
        embed_roots=False,  # validators hold the root; saves a kilobyte per document
    )
    signer.sign_raw(b"ayni", "sha256")  # parse the key now, once
    return signer, str(path)


def _load_pkcs11(entry: dict[str, Any], base: Path, where: str) -> tuple[Signer, str]:
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError as exc:  # python-pkcs11 missing
        raise SigningConfigError(f"{where}: falta el soporte PKCS#11 ({exc}).") from exc
    module = str(_resolve(base, str(entry["pkcs11_module"])))
    pin = _secret(entry, "pin_env", where)
    label = str(entry.get("token_label") or "")
    try:
        session = open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=label or None), user_pin=pin
        )
        signer = PKCS11Signer(
            session,
            key_label=str(entry.get("key_label") or "") or None,
            cert_label=str(entry.get("cert_label") or entry.get("key_label") or "") or None,
            embed_roots=False,
        )
        signer.signing_cert  # noqa: B018 - fetch the certificate now, fail now
    except Exception as exc:  # the token's errors are many and vendor-specific
        raise SigningConfigError(
            f"{where}: no se pudo abrir el token «{label}» con {module}: {exc}."
        ) from exc
    return signer, f"pkcs11:{label}"


def _entry(raw: dict[str, Any], base: Path, index: int) -> KeyEntry:
    code = str(raw.get("unit") or "")
    where = f"firma, clave {index + 1} (unidad {code or '?'})"
    if not code:
        raise SigningConfigError(f"{where}: falta «unit», el código de la unidad.")
    if "pkcs12" in raw:
        signer, source = _load_pkcs12(raw, base, where)
    elif "pkcs11_module" in raw:
        signer, source = _load_pkcs11(raw, base, where)
    else:
        raise SigningConfigError(f"{where}: indique «pkcs12» o «pkcs11_module».")
    cert = signer.signing_cert
    assert cert is not None
    subject = cert.subject.native
    # The container holds the signer's certificate and the intermediates (not the root),
    # the signed attributes and the signature value; hex doubles it. Rounded up.
    chain = [c for c in signer.cert_registry or () if c.subject != c.issuer]
    der = len(cert.dump()) + sum(len(c.dump()) for c in chain if c.dump() != cert.dump())
    reserve = -(-2 * (der + 1536) // 256) * 256
    return KeyEntry(
        unit_code=code,
        source=source,
        signer=signer,
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        subject=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        reserve=reserve,
    )


def load_store(path: Path, tsa_url: str = "") -> KeyStore:
    """Parse the TOML file, open every key (each passphrase from the environment)."""
    from asn1crypto import pem, x509

    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SigningConfigError(f"No se puede leer {path}: {exc.strerror}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SigningConfigError(f"{path} no es TOML válido: {exc}.") from exc
    base = path.parent
    store = KeyStore(tsa_url=tsa_url or str(config.get("tsa_url") or ""))
    for index, raw in enumerate(config.get("key", [])):
        entry = _entry(raw, base, index)
        store.keys.setdefault(entry.unit_code, []).append(entry)
    for group in store.keys.values():
        group.sort(key=lambda e: e.not_before, reverse=True)
    for name in config.get("trust_roots", []):
        root = _resolve(base, str(name))
        try:
            data = root.read_bytes()
        except OSError as exc:
            raise SigningConfigError(f"No se puede leer la raíz {root}.") from exc
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        store.trust_roots.append(x509.Certificate.load(data))
        store.trust_root_files.append(str(root))
    return store


_store: KeyStore | None = None
_store_key: tuple[str, str] | None = None
_lock = threading.Lock()


def get_store() -> KeyStore | None:
    """The process's key store (None when signing is not configured); loaded once."""
    global _store, _store_key
    config = str(getattr(settings, "SIGNING_CONFIG", "") or "")
    if not config:
        return None
    if getattr(settings, "DEMO_MODE", False) and not Path(config).exists():
        return None  # the demo's CA is made after migrating (`signing_demo`); unsigned till then
    key = (config, str(getattr(settings, "SIGNING_TSA_URL", "") or ""))
    with _lock:
        if _store is None or _store_key != key:
            _store = load_store(Path(config), tsa_url=key[1])
            _store_key = key
            logger.info("Firma: %d claves cargadas de %s", len(_store.entries()), config)
        return _store


def reset_store() -> None:
    """Forget the loaded store (tests; a rotated key file)."""
    global _store, _store_key
    with _lock:
        _store, _store_key = None, None


def unit_chain(path: str) -> list[str]:
    """The codes of a unit and its ancestors, nearest first, from its materialised path."""
    return [code for code in reversed(path.strip("/").split("/")) if code]


def utcnow() -> datetime:
    return datetime.now(UTC)
