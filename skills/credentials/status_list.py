"""The revocation status list Capability serves: a BitstringStatusListCredential (W3C Bitstring Status List v1.0)
whose bit at a certificate's `status_list_index` is set when the certificate is revoked. STATUS_LIST_SIZE bits,
GZIP-compressed, multibase base64url (`u`), signed with the Data Integrity proof every credential has.

It is made again, and stored, after each revocation (a task queued by the `certificate_revoked` receiver), and
on the first request when none has been made; the route serves the stored one, so a verifier's request costs one
read. A revocation is never undone, so the list only gains bits."""

import base64
import gzip

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skills.credentials.keys import issuer_did
from skills.credentials.loader import CREDENTIALS_V2
from skills.credentials.signing import data_integrity_proof_add, timestamp
from skills.models import STATUS_LIST_SIZE, Certificate, CredentialStatusList
from skills.tasks import status_list_publish as status_list_publish_task

REVOCATION = "revocation"
# Where the status list is served: named in every credential, so it must never change (cms/urls.py routes it).
STATUS_LIST_PATH = "/credentials/status/revocation"


def status_list_url() -> str:
    return settings.CAPABILITY_BASE_URL + STATUS_LIST_PATH


def encoded_list(indices) -> str:
    """The bitstring with the bits at `indices` set (index 0 is the first byte's most significant bit), GZIP-
    compressed and multibase base64url-encoded without padding."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_publish() -> CredentialStatusList:
    """Make, sign and store the status list from the certificates revoked now. One at a time (the row is locked),
    so a list made from an older read never replaces a newer one. Raises CredentialsUnavailable without keys."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = CredentialStatusList.objects.select_for_update().get_or_create(
            purpose=REVOCATION, defaults={"credential": {}, "made_at": now}
        )
        indices = list(
            Certificate.objects.filter(revoked_at__isnull=False).order_by().values_list("status_list_index", flat=True)
        )
        url = status_list_url()
        credential = {
            "@context": [CREDENTIALS_V2],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_did(),
            "validFrom": timestamp(now),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": REVOCATION,
                "encodedList": encoded_list(indices),
            },
        }
        row.credential = data_integrity_proof_add(credential, created=now)
        row.revoked_count = len(indices)
        row.made_at = now
        row.save()
    return row


def status_list_current() -> CredentialStatusList:
    """The stored status list, made now if there is none yet."""
    row = CredentialStatusList.objects.filter(purpose=REVOCATION).first()
    if row is None or not row.credential:
        row = status_list_publish()
    return row


def status_list_queue() -> None:
    """Queue making the status list again, once the current transaction (if any) has committed."""
    transaction.on_commit(status_list_publish_task.delay)
