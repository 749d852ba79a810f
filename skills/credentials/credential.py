"""A certificate as an Open Badges 3.0 OpenBadgeCredential (VC Data Model 2.0), made from the record each time it
is downloaded: nothing is stored, so a credential always says what the record says now, and is signed by the key
in use now."""

import json
import uuid
from datetime import UTC, date, datetime

from django.conf import settings
from wagtail.log_actions import log

from frameworks.models import Framework
from skills.credentials.keys import issuer_did
from skills.credentials.loader import CREDENTIALS_V2, OPEN_BADGES_V3
from skills.credentials.signing import data_integrity_proof_add, vc_jwt
from skills.credentials.status_list import REVOCATION, status_list_url
from skills.models import Certificate
from skills.selectors.certificates import certificate_verification_url, certificate_visible_to
from skills.selectors.people import person_for_user
from skills.services.errors import NotAllowed

JSON_LD = "json"
JWT = "jwt"
DOWNLOAD_ACTION = "capability.skills.certificate_credential_download"


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _iso(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def achievement_id(award: str) -> str:
    """The achievement's identifier, the same for every holder and renewal of an award: a name-based UUID of the
    service and the award, since the award has no public page of its own (the course or skill page may move)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, settings.CAPABILITY_BASE_URL + '/awards/' + award)}"


def _achievement(certificate: Certificate) -> dict:
    if certificate.kind == Certificate.Kind.SKILL:
        # skills.skill:<framework slug>:<skill code>:<level rank>
        _, framework_slug, skill_code, level = (certificate.award.split(":") + ["", "", ""])[:4]
        framework = Framework.objects.filter(slug=framework_slug).values_list("name", flat=True).first()
        description = f"Validated by an assessor at level {level} in the skill {certificate.title}."
        criteria = (
            f"An accredited assessor validated the holder's evidence of {certificate.title} at level {level}"
            f"{f' of the {framework}' if framework else ''} framework."
        )
        achievement_type = "Competency"
        alignment = {
            "type": ["Alignment"],
            "targetName": certificate.title,
            "targetUrl": certificate.url,
            "targetCode": skill_code,
            "targetFramework": framework or framework_slug,
            "targetType": "ceasn:Competency",
        }
    else:
        description = f"Completed the course {certificate.title}."
        criteria = f"Completed the course {certificate.title}, as its training team recorded."
        achievement_type = "Course"
        alignment = {"type": ["Alignment"], "targetName": certificate.title, "targetUrl": certificate.url}
    achievement = {
        "id": achievement_id(certificate.award),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": certificate.title,
        "description": description,
        "criteria": {"narrative": criteria},
    }
    if certificate.url:
        achievement["alignment"] = [alignment]
    return achievement


def credential_build(certificate: Certificate) -> dict:
    """The unsigned OpenBadgeCredential of a certificate (with its holder loaded)."""
    status_url = status_list_url()
    credential = {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": certificate_verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title,
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": settings.CAPABILITY_ISSUER_NAME,
            "url": settings.CAPABILITY_ISSUER_URL,
        },
        "validFrom": _iso(certificate.issued_on),
        "credentialSubject": {
            "id": f"urn:uuid:{certificate.holder.credential_subject_id}",
            "type": ["AchievementSubject"],
            "name": certificate.holder.user.get_full_name(),
            "achievement": _achievement(certificate),
        },
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": REVOCATION,
            "statusListIndex": str(certificate.status_list_index),
            "statusListCredential": status_url,
        },
    }
    if certificate.expires_on is not None:
        credential["validUntil"] = _iso(certificate.expires_on)
    return credential


def credential_signed(certificate: Certificate) -> dict:
    """The credential with its eddsa-rdfc-2022 Data Integrity proof."""
    return data_integrity_proof_add(credential_build(certificate))


def credential_jwt(certificate: Certificate) -> str:
    """The VC-JWT of the credential: its Data Integrity proof made first, then the RS256 JWT around it."""
    credential = credential_signed(certificate)
    return vc_jwt(
        credential,
        issuer=issuer_did(),
        subject=credential["credentialSubject"]["id"],
        valid_from=_midnight(certificate.issued_on),
        valid_until=_midnight(certificate.expires_on) if certificate.expires_on else None,
    )


def credential_download(*, actor, certificate: Certificate, form: str) -> str:
    """The credential of a certificate as `form` (JSON_LD or JWT) for `actor`, who must be allowed to see the
    certificate (the holder, their management chain, a training administrator); audited. Raises NotAllowed, or
    CredentialsUnavailable when the keys are missing."""
    if actor is None or not certificate_visible_to(
        user=actor, viewer=person_for_user(user=actor), certificate=certificate
    ):
        raise NotAllowed("Only the holder, their managers and training administrators can download this.")
    if form == JWT:
        body = credential_jwt(certificate)
    else:
        body = json.dumps(credential_signed(certificate), ensure_ascii=False, indent=2)
    log(instance=certificate, action=DOWNLOAD_ACTION, user=actor, data={"format": form})
    return body
