"""The issuer's identity and keys: a did:web for the service's public domain, an Ed25519 key for the Data
Integrity proof (listed as a Multikey) and an RSA key for the VC-JWT (listed as a JsonWebKey).

Public keys and their retirement are rows (`CredentialKey`), so the DID document keeps listing a retired key and
the credentials it signed stay verifiable. Private keys are PEM files named after the key in
CAPABILITY_CREDENTIAL_KEYS_DIR, readable by the service only, never in the repository or the database. A key is
generated (and rotated) by `manage.py credential_keys`, never on a web request."""

import os
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from joserfc.jwk import OKPKey, RSAKey

from skills.credentials.errors import CredentialsUnavailable
from skills.credentials.loader import DID_V1, MULTIKEY_V1
from skills.models import CredentialKey

ALGORITHMS = (CredentialKey.Algorithm.ED25519, CredentialKey.Algorithm.RSA)
RSA_KEY_BITS = 3072
# The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint) in a Multikey.
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# JsonWebKey and publicKeyJwk as the W3C Controlled Identifiers context defines them. No published npm package
# carries that context, and the DID document is never signed, so its two terms are written inline rather than
# loaded from a URL.
JSON_WEB_KEY_TERMS = {
    "JsonWebKey": "https://w3id.org/security#JsonWebKey",
    "publicKeyJwk": {"@id": "https://w3id.org/security#publicKeyJwk", "@type": "@json"},
}


def base58btc(data: bytes) -> str:
    """Base58 (Bitcoin alphabet), the encoding multibase `z` names: an encoding, not cryptography."""
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def issuer_did() -> str:
    """did:web for the host (and port, as %3A) of CAPABILITY_BASE_URL: its DID document is at
    /.well-known/did.json there."""
    parts = urlsplit(settings.CAPABILITY_BASE_URL)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    return "did:web:" + quote(host, safe="")


def verification_method_id(key: CredentialKey) -> str:
    return f"{issuer_did()}#{key.key_id}"


def _key_path(key_id: str) -> Path:
    return Path(settings.CAPABILITY_CREDENTIAL_KEYS_DIR) / f"{key_id}.pem"


def key_in_use(algorithm: str) -> CredentialKey | None:
    return CredentialKey.objects.filter(algorithm=algorithm, retired_at__isnull=True).first()


def signing_key(algorithm: str):
    """The key in use for `algorithm` and its private key, or CredentialsUnavailable saying what is missing."""
    key = key_in_use(algorithm)
    if key is None:
        raise CredentialsUnavailable(
            f"No {CredentialKey.Algorithm(algorithm).label} signing key is set up: "
            "run `python manage.py credential_keys --ensure`."
        )
    path = _key_path(key.key_id)
    try:
        private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise CredentialsUnavailable(
            f"The private key {key.key_id} cannot be read from CAPABILITY_CREDENTIAL_KEYS_DIR "
            f"({error.__class__.__name__})."
        ) from error
    return key, private_key


def _generate(algorithm: str) -> CredentialKey:
    if algorithm == CredentialKey.Algorithm.ED25519:
        private_key = ed25519.Ed25519PrivateKey.generate()
        public_jwk = OKPKey.import_key(private_key.public_key()).as_dict(private=False)
    else:
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
        public_jwk = RSAKey.import_key(private_key.public_key()).as_dict(private=False)
    key_id = f"{algorithm}-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
    public_jwk = {name: value for name, value in public_jwk.items() if name in {"kty", "crv", "x", "n", "e"}}
    directory = Path(settings.CAPABILITY_CREDENTIAL_KEYS_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(_key_path(key_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return CredentialKey.objects.create(key_id=key_id, algorithm=algorithm, public_key=public_jwk)


def credential_keys_ensure() -> list[CredentialKey]:
    """Make a key for each algorithm that has none in use, or whose private key file is missing (the old one is
    then retired: what it signed still verifies). Returns the keys made; nothing when all are in place."""
    made = []
    for algorithm in ALGORITHMS:
        key = key_in_use(algorithm)
        if key is not None and _key_path(key.key_id).exists():
            continue
        with transaction.atomic():
            if key is not None:
                CredentialKey.objects.filter(pk=key.pk).update(retired_at=timezone.now())
            made.append(_generate(algorithm))
    return made


def credential_keys_rotate() -> list[CredentialKey]:
    """Retire the keys in use and make new ones: the retired ones stay in the DID document, sign nothing more."""
    made = []
    for algorithm in ALGORITHMS:
        with transaction.atomic():
            CredentialKey.objects.filter(algorithm=algorithm, retired_at__isnull=True).update(retired_at=timezone.now())
            made.append(_generate(algorithm))
    return made


def multikey_public(key: CredentialKey) -> str:
    """An Ed25519 public key as publicKeyMultibase: base58btc of the multicodec prefix and the raw key."""
    raw = OKPKey.import_key(key.public_key).public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return "z" + base58btc(ED25519_MULTICODEC + raw)


def did_document() -> dict:
    """The issuer's DID document: every key, in use or retired, as a verification method for assertions."""
    did = issuer_did()
    methods = []
    for key in CredentialKey.objects.order_by("created_at", "id"):
        method = {"id": verification_method_id(key), "controller": did}
        if key.algorithm == CredentialKey.Algorithm.ED25519:
            method |= {"type": "Multikey", "publicKeyMultibase": multikey_public(key)}
        else:
            method |= {"type": "JsonWebKey", "publicKeyJwk": key.public_key}
        methods.append(method)
    return {
        "@context": [DID_V1, MULTIKEY_V1, JSON_WEB_KEY_TERMS],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
