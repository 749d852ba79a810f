"""The only documents JSON-LD processing may load: the contexts bundled in `contexts/`, each checked against the
SHA-256 digest in `contexts/manifest.json` when first read. Any other URL is refused, so canonicalising a
credential never reaches the network (a context fetched at run time could be changed under us, and would change
what a signature covers)."""

import copy
import functools
import hashlib
import json
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from pyld import jsonld

from skills.credentials.errors import DocumentRefused

CONTEXTS_DIR = Path(__file__).with_name("contexts")
MANIFEST = CONTEXTS_DIR / "manifest.json"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"


@functools.cache
def bundled_contexts() -> dict[str, dict]:
    """Every bundled context by its URL, read once and checked against its digest."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    contexts = {}
    for url, entry in manifest["contexts"].items():
        raw = (CONTEXTS_DIR / entry["file"]).read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise ImproperlyConfigured(f"The bundled JSON-LD context {entry['file']} does not match its digest.")
        contexts[url] = json.loads(raw)
    return contexts


def document_loader(url: str, options=None) -> dict:
    """pyld's document loader: a bundled context, or DocumentRefused."""
    contexts = bundled_contexts()
    if url not in contexts:
        raise DocumentRefused(f"JSON-LD may only load the bundled contexts, not {url!r}.")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(contexts[url])}


# pyld's default loader fetches over HTTP: a call that forgot its documentLoader option must not do that either.
jsonld.set_document_loader(document_loader)
