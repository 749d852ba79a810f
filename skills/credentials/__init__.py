"""Open Badges 3.0 credentials made from Capability's certificates (issue 12; docs/decisions/0211).

- `contexts/` and `loader`: the JSON-LD contexts, bundled with checksums; the only documents JSON-LD may load.
- `keys`: the issuer's did:web, its signing keys (public halves in the database, private ones in files outside
  the repository) and its DID document.
- `signing`: the eddsa-rdfc-2022 Data Integrity proof and the VC-JWT (RS256), with pyld, cryptography and joserfc.
- `credential`: a certificate as an OpenBadgeCredential, and its audited download.
- `status_list`: the signed BitstringStatusListCredential of revoked certificates.
"""
