"""Certifications earned elsewhere (skills.models.ExternalCertification): a person records one with its evidence,
someone who may decide confirms or rejects it, the person withdraws it while it waits or corrects and sends again
one that was not confirmed.

The rules, and why:
- Only the person records, withdraws or resends their own (actor None is the system); only someone who may decide
  (`external_certification_may_decide`: the line manager, their delegate today, a training administrator) decides,
  and never on their own. Anyone else is refused with NotAllowed, and nothing changes.
- A decision is final for that submission: a confirmed certification is not changed (a renewal is a new record);
  a rejected one carries its reason, and the person may edit it and send it again.
- The evidence is a PDF, PNG or JPEG of at most EVIDENCE_MAX_BYTES, recognised from its first bytes (not from the
  name or the browser's word), stored under a random name in the private evidence storage.
- Dates are London days: issued today or earlier; the expiry after the issue (a constraint holds it too).
Every change is in the audit log; whoever must act or hear is told through the outbox.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from skills.enums import ExternalCertificationStatus
from skills.errors import SkillsError
from skills.models import ExternalCertification, Notification, Person
from skills.models.delegation import london_today
from skills.notification_kinds import notification_kind_register
from skills.selectors.delegation import delegation_active_from
from skills.selectors.external_certifications import external_certification_may_decide
from skills.services.errors import NotAllowed
from skills.services.notifications import notify
from skills.validators import control_character, control_character_message

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
REASON_LIMIT = 2000
# What an evidence file may be: its first bytes, the names it may have, and the type it is served as.
EVIDENCE_KINDS = [
    (b"%PDF-", {".pdf"}, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", {".png"}, "image/png"),
    (b"\xff\xd8\xff", {".jpg", ".jpeg"}, "image/jpeg"),
]


class ExternalCertificationError(SkillsError):
    """The certification cannot be recorded or decided as asked; the message says what to do instead."""


@dataclass(frozen=True)
class CertificationDetails:
    """What a person types about a certification (the form's cleaned values)."""

    name: str
    issuer: str
    credential_number: str
    issued_on: date
    expires_on: date | None


def evidence_type(upload) -> str:
    """The content type of an uploaded evidence file, from its first bytes, or ExternalCertificationError saying
    what is wrong with it. Reads at most a few bytes and leaves the file at its start."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ExternalCertificationError(f"The file must be smaller than {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB")
    if upload.size == 0:
        raise ExternalCertificationError("The selected file is empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    for magic, suffixes, content_type in EVIDENCE_KINDS:
        if head.startswith(magic):
            if suffix not in suffixes:
                kind = content_type.split("/")[1].upper()
                raise ExternalCertificationError(
                    f"The file's name ends {suffix or 'with no extension'} but it is a {kind}: rename it or choose "
                    "another file"
                )
            return content_type
    raise ExternalCertificationError("The selected file must be a PDF, PNG or JPEG")


def _details_check(details: CertificationDetails, today: date) -> None:
    for label, value in (
        ("name", details.name),
        ("issuer", details.issuer),
        ("credential number", details.credential_number),
    ):
        char = control_character(value)
        if char is not None:
            raise ExternalCertificationError(f"The {label}: {control_character_message(char)}")
    if not details.name.strip() or not details.issuer.strip():
        raise ExternalCertificationError("Enter the certification's name and who issued it")
    if details.issued_on > today:
        raise ExternalCertificationError("The date it was issued must be today or in the past")
    if details.expires_on is not None and details.expires_on <= details.issued_on:
        raise ExternalCertificationError("The expiry date must be after the date it was issued")


def _check_person(actor, person: Person) -> None:
    if actor is not None and actor.pk != person.user_id:
        raise NotAllowed("Only the person themselves records, withdraws or resends their certification.")


def _tell_deciders(certification: ExternalCertification) -> None:
    """Tell the line manager, and the manager covering for them today, that a certification waits for them.
    Training administrators see every one in their queue and are not mailed about each."""
    manager_id = certification.person.line_manager_id
    if manager_id is None:
        return
    event = f"extcert:{certification.pk}:{certification.submitted_at.isoformat()}"
    manager = Person.objects.select_related("user").get(pk=manager_id)
    notify("external_certification_waiting", recipient=manager, event=event, certification_id=certification.pk)
    cover = delegation_active_from(delegator=manager)
    if cover is not None and cover.delegate_id != certification.person_id:
        notify(
            "external_certification_waiting", recipient=cover.delegate, event=event, certification_id=certification.pk
        )


def _save_evidence(certification: ExternalCertification, upload, content_type: str) -> None:
    certification.evidence.save(upload.name, upload, save=False)
    certification.evidence_name = PurePosixPath(upload.name).name[:200]
    certification.evidence_type = content_type


@transaction.atomic
def external_certification_record(
    *, person: Person, details: CertificationDetails, evidence, actor, today: date | None = None
) -> ExternalCertification:
    """Record a certification `person` earned elsewhere, waiting for confirmation, with its evidence file; the
    line manager (and their delegate today) is told. Only the person (or the system)."""
    _check_person(actor, person)
    _details_check(details, today or london_today())
    content_type = evidence_type(evidence)
    certification = ExternalCertification(
        person=person,
        name=details.name.strip(),
        issuer=details.issuer.strip(),
        credential_number=details.credential_number.strip(),
        issued_on=details.issued_on,
        expires_on=details.expires_on,
        submitted_at=timezone.now(),
    )
    _save_evidence(certification, evidence, content_type)
    certification.save()
    log(
        instance=certification,
        action="capability.skills.external_certification_record",
        user=actor,
        data={"person": person.pk, "name": certification.name, "issuer": certification.issuer},
    )
    _tell_deciders(certification)
    return certification


def _locked(certification: ExternalCertification) -> ExternalCertification:
    return (
        ExternalCertification.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=certification.pk)
    )


@transaction.atomic
def external_certification_resubmit(
    *,
    certification: ExternalCertification,
    details: CertificationDetails,
    evidence=None,
    actor,
    today: date | None = None,
) -> ExternalCertification:
    """Correct a certification that was not confirmed and send it again: it waits for a decision once more (the
    earlier decision stays in the audit log). `evidence` None keeps the file already sent. Only the person."""
    certification = _locked(certification)
    _check_person(actor, certification.person)
    if certification.status != ExternalCertificationStatus.REJECTED:
        raise ExternalCertificationError("Only a certification that was not confirmed can be changed and sent again")
    _details_check(details, today or london_today())
    content_type = evidence_type(evidence) if evidence is not None else None
    certification.name = details.name.strip()
    certification.issuer = details.issuer.strip()
    certification.credential_number = details.credential_number.strip()
    certification.issued_on = details.issued_on
    certification.expires_on = details.expires_on
    if evidence is not None:
        _save_evidence(certification, evidence, content_type)
    certification.status = ExternalCertificationStatus.WAITING
    certification.submitted_at = timezone.now()
    certification.decided_at = None
    certification.decided_by = None
    certification.decision_reason = ""
    certification.save()
    log(
        instance=certification,
        action="capability.skills.external_certification_resubmit",
        user=actor,
        data={"name": certification.name, "issuer": certification.issuer, "new_evidence": evidence is not None},
    )
    _tell_deciders(certification)
    return certification


@transaction.atomic
def external_certification_withdraw(*, certification: ExternalCertification, actor) -> ExternalCertification:
    """Withdraw a certification while it waits for a decision. Only the person; the row stays, withdrawn."""
    certification = _locked(certification)
    _check_person(actor, certification.person)
    if certification.status != ExternalCertificationStatus.WAITING:
        raise ExternalCertificationError("Only a certification waiting for confirmation can be withdrawn")
    certification.status = ExternalCertificationStatus.WITHDRAWN
    certification.withdrawn_at = timezone.now()
    certification.save(update_fields=["status", "withdrawn_at"])
    log(instance=certification, action="capability.skills.external_certification_withdraw", user=actor, data={})
    return certification


@transaction.atomic
def external_certification_decide(
    *, certification: ExternalCertification, confirm: bool, reason: str = "", actor
) -> ExternalCertification:
    """Confirm a waiting certification, or reject it with a reason the person reads. Only its person's line
    manager, that manager's delegate today, or a training administrator, never the person (NotAllowed, nothing
    changes); the person is told."""
    certification = _locked(certification)
    if actor is not None and not external_certification_may_decide(user=actor, certification=certification):
        raise NotAllowed("Only the person's line manager, their delegate or a training administrator decides this.")
    if certification.status != ExternalCertificationStatus.WAITING:
        raise ExternalCertificationError(
            "This certification is no longer waiting for a decision: it is "
            f"{certification.get_status_display().lower()}"
        )
    reason = reason.strip()
    if not confirm and not reason:
        raise ExternalCertificationError("Enter why it is not confirmed: the person reads this")
    if len(reason) > REASON_LIMIT:
        raise ExternalCertificationError(f"The reason must be {REASON_LIMIT:,} characters or fewer")
    certification.status = ExternalCertificationStatus.CONFIRMED if confirm else ExternalCertificationStatus.REJECTED
    certification.decided_at = timezone.now()
    certification.decided_by = actor
    certification.decision_reason = reason
    certification.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    log(
        instance=certification,
        action="capability.skills.external_certification_decide",
        user=actor,
        data={"status": certification.status, "reason": reason},
    )
    notify(
        "external_certification_decided",
        recipient=certification.person,
        event=f"extcert:{certification.pk}:decided:{certification.decided_at.isoformat()}",
        certification_id=certification.pk,
        confirmed=confirm,  # the decision as made, even if the person has sent it again before the message goes
    )
    return certification


def _certification_context(notification: Notification) -> dict:
    certification = ExternalCertification.objects.select_related("person__user", "decided_by").get(
        pk=notification.context["certification_id"]
    )
    return {
        "recipient": Person.objects.select_related("user").get(user_id=notification.user_id),
        "certification": certification,
        "person_name": certification.person.user.get_full_name(),
    }


for _name, _label, _subject in [
    (
        "external_certification_waiting",
        "A certification to confirm",
        "{{ person_name }} asks you to confirm their {{ certification.name }} certification",
    ),
    (
        "external_certification_decided",
        "Your certification was decided",
        "Your {{ certification.name }} certification "
        "{% if confirmed %}is confirmed{% else %}was not confirmed{% endif %}",
    ),
]:
    notification_kind_register(
        name=_name,
        label=_label,
        subject=_subject,
        template=f"skills/email/{_name}.txt",
        build_context=_certification_context,
    )
