"""The two proofs of a credential, made with well-kept libraries only: pyld canonicalises (URDNA2015, written out
as RDFC-1.0 N-Quads, see `rdfc_escape`), hashlib hashes, cryptography signs with Ed25519, joserfc makes the
RS256 JWT. Nothing here is cryptography of our own."""

import copy
import hashlib
import re
from datetime import UTC, datetime

import pyld.nquads
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey
from pyld import jsonld

from skills.credentials.keys import base58btc, signing_key, verification_method_id
from skills.credentials.loader import document_loader
from skills.models import CredentialKey

CRYPTOSUITE = "eddsa-rdfc-2022"

# How RDFC-1.0 (its canonical N-Quads, as RDF 1.2 N-Triples defines them) writes a string literal: BS, TAB, LF,
# FF, CR, quote and backslash as \b \t \n \f \r \" \\, every other control character as \uXXXX (upper-case hex),
# everything else as itself (UTF-8). pyld implements URDNA2015, whose writer escapes only \\ \t \n \r \" and
# leaves other control characters raw: the two differ for a title or criteria holding a backspace, form feed or
# another control character, and a signature made over pyld's form would fail every RDFC-1.0 verifier. The
# labelling algorithm is the same in both, so replacing the writer's escape makes pyld's output RDFC-1.0.
_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_TO_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def rdfc_escape(value: str) -> str:
    return _TO_ESCAPE.sub(lambda match: _ECHAR.get(match[0], f"\\u{ord(match[0]):04X}"), value)


pyld.nquads.escape = rdfc_escape


def canonicalize(document: dict) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, with the bundled contexts only."""
    return jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader}
    )


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def data_integrity_proof_add(document: dict, *, created: datetime | None = None) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof for assertions, by the Ed25519 key in use
    (W3C vc-di-eddsa §3.2.4-3.2.6: the hash of the canonical proof options, then of the canonical document)."""
    key, private_key = signing_key(CredentialKey.Algorithm.ED25519)
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created or timezone.now()),
        "verificationMethod": verification_method_id(key),
        "proofPurpose": "assertionMethod",
    }
    proof_config = {"@context": document["@context"], **proof}
    hash_data = (
        hashlib.sha256(canonicalize(proof_config).encode()).digest()
        + hashlib.sha256(canonicalize(unsecured).encode()).digest()
    )
    proof["proofValue"] = "z" + base58btc(private_key.sign(hash_data))
    return {**copy.deepcopy(unsecured), "proof": proof}


def vc_jwt(credential: dict, *, issuer: str, subject: str, valid_from: datetime, valid_until: datetime | None) -> str:
    """The VC-JWT of Open Badges 3.0 §8.2: the credential itself (with its Data Integrity proof) as the claims,
    beside iss, jti, nbf, exp and sub; no `vc` claim. Header: RS256, typ JWT, kid = the RSA key's DID URL."""
    key, private_key = signing_key(CredentialKey.Algorithm.RSA)
    claims = {
        **credential,
        "iss": issuer,
        "jti": credential["id"],
        "sub": subject,
        "nbf": int(valid_from.timestamp()),
    }
    if valid_until is not None:
        claims["exp"] = int(valid_until.timestamp())
    header = {"alg": "RS256", "typ": "JWT", "kid": verification_method_id(key)}
    return jwt.encode(header, claims, RSAKey.import_key(private_key))
