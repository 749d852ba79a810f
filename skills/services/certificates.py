"""Issuing, renewing and revoking certificates (docs/decisions/0209-certificates-issued-renewed-revoked.md).

A certificate is issued three ways: for a course completion that asks for one (`course_evidence_record` calls
`certificate_issue_for_achievement`), for a validated skill where the framework's assessment policy says a
validation earns one (`review_decide` calls `certificate_issue_for_validation`), and by a training administrator by
hand, with a reason (`certificate_issue_by_hand`). Whichever way, when the holder already holds a certificate of the
same award that is neither revoked nor superseded, the new one renews it: the old one is superseded and the new one
links to it, in the same transaction. The database allows one certificate in force per holder and award
(`skills_certificate_one_in_force_per_award`), so of two issues racing for the same holder and award one fails,
with `CertificateConflict`, and nothing of it is written.

Certificates write no ledger row of their own: the completion or the validation that earned one already did.
Each issue, renewal and revocation is audited, and `certificate_issued` / `certificate_revoked` are sent after the
commit (the PDF, the credential and the status list react to them in the apps and modules that own them).
"""

import secrets
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models.pages import subpage_path
from frameworks.selectors.pages import framework_page_for
from skills.models import STATUS_LIST_SIZE, Achievement, Assessment, AssessmentPolicy, Certificate, Person
from skills.services.errors import NotAllowed, SkillsError
from skills.signals import certificate_issued, certificate_revoked

ISSUE_PERMISSION = "skills.add_certificate"
REVOKE_PERMISSION = "skills.change_certificate"
# How many times a fresh number and status list place are drawn when another certificate took them meanwhile:
# with a million numbers a year and 131,072 places, a second collision in a row is already very unlikely.
ATTEMPTS = 5
ONE_IN_FORCE = "skills_certificate_one_in_force_per_award"


class CertificateError(SkillsError):
    """The certificate cannot be issued or revoked as asked (a missing reason, nothing to certify)."""


class CertificateConflict(CertificateError):
    """Another certificate of the same award was issued to the holder at the same moment: that one stands."""


def skill_award(*, framework, skill_code: str, rank: int) -> str:
    """What a validated skill certifies, the same across renewals and releases: framework, stable code, level."""
    return f"skills.skill:{framework.slug or framework.pk}:{skill_code.upper()}:{rank}"


def _check_actor(actor, permission: str, message: str) -> None:
    """`actor=None` is the system (a completion, a validation, the demo loader); anyone else needs `permission`."""
    if actor is not None and not (actor.is_active and actor.has_perm(permission)):
        raise NotAllowed(message)


def _expiry(issued_on: date, validity_months: int | None) -> date | None:
    return issued_on + relativedelta(months=validity_months) if validity_months else None


def _number(issued_on: date) -> str:
    """`CAP-2026-004211`: for people to read out and quote, unique; random, so it says nothing about how many were
    issued and cannot be used to find one (the verification token does that)."""
    return f"CAP-{issued_on:%Y}-{secrets.randbelow(1_000_000):06d}"


def _free_place() -> int:
    """A random place in the revocation status list that no certificate holds yet."""
    candidates = {secrets.randbelow(STATUS_LIST_SIZE) for _ in range(8)}
    taken = set(
        Certificate.objects.filter(status_list_index__in=candidates).values_list("status_list_index", flat=True)
    )
    free = sorted(candidates - taken)
    return secrets.choice(free) if free else secrets.randbelow(STATUS_LIST_SIZE)


def _is_conflict(error: IntegrityError) -> bool:
    """Whether the insert broke the one-in-force rule (and not the number's or the place's uniqueness). PostgreSQL
    names the constraint; SQLite names the columns of the partial unique index."""
    text = str(error)
    return ONE_IN_FORCE in text or "skills_certificate.award" in text


def _issue(
    *,
    holder: Person,
    kind: str,
    award: str,
    title: str,
    url: str,
    issued_on: date,
    validity_months: int | None,
    achievement: Achievement | None = None,
    assessment: Assessment | None = None,
    issued_by=None,
    reason: str = "",
) -> Certificate:
    """Issue, renewing the certificate of the same award in force, if any; audited and announced on commit."""
    if not award:
        raise CertificateError("Say what the certificate is for.")
    if not title.strip():
        raise CertificateError("Say what was achieved, as the certificate should say it.")
    renews = (
        Certificate.objects.select_for_update()
        .filter(holder=holder, award=award, revoked_at__isnull=True, superseded_at__isnull=True)
        .order_by()
        .first()
    )
    now = timezone.now()
    if renews is not None:
        renews.superseded_at = now
        renews.save(update_fields=["superseded_at"])
    expires_on = _expiry(issued_on, validity_months)
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    holder=holder,
                    kind=kind,
                    award=award,
                    title=title.strip(),
                    url=url,
                    achievement=achievement,
                    assessment=assessment,
                    number=_number(issued_on),
                    issued_on=issued_on,
                    expires_on=expires_on,
                    issued_by=issued_by,
                    issue_reason=reason.strip(),
                    renews=renews,
                    status_list_index=_free_place(),
                )
            break
        except IntegrityError as error:
            if _is_conflict(error):
                raise CertificateConflict(
                    f"{holder.user.get_full_name() or holder}: a certificate for {title} was issued at the same "
                    "moment; that one stands."
                ) from error
            if attempt == ATTEMPTS - 1:
                raise
    log(
        instance=certificate,
        action="capability.skills.certificate_renew" if renews else "capability.skills.certificate_issue",
        user=issued_by,
        data={"number": certificate.number, "award": award, "renews": renews.number if renews else None},
    )
    transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=certificate))
    return certificate


@transaction.atomic
def certificate_issue_for_achievement(*, achievement: Achievement) -> Certificate | None:
    """The certificate a course completion earns, when it asks for one (`certificate_requested`) and has not got
    one yet; None otherwise. Issued on the day of the completion, valid for the course's validity in months.
    Called by `course_evidence_record`, as the system: the caller checked who recorded the completion."""
    if not achievement.certificate_requested or achievement.withdrawn_at is not None:
        return None
    if achievement.certificates.exists():
        return None
    return _issue(
        holder=achievement.person,
        kind=Certificate.Kind.COURSE,
        award=achievement.award or f"skills.achievement:{achievement.reference}",
        title=achievement.title,
        url=achievement.url,
        issued_on=achievement.achieved_on,
        validity_months=achievement.certificate_validity_months,
        achievement=achievement,
    )


def _skill_url(framework, skill_code: str) -> str:
    page = framework_page_for(framework=framework)
    home = page.url if page is not None else None
    return home + subpage_path("skill", skill_code) if home else ""


@transaction.atomic
def certificate_issue_for_validation(*, validation: Assessment) -> Certificate | None:
    """The certificate of a skill at a level that a validation earns where the framework's assessment policy says
    so (`validation_earns_certificate`); None where it does not, or the validation set no level. Called by
    `review_decide` as the system, in the same transaction: the caller checked the reviewer."""
    if validation.level_id is None:
        return None
    framework = validation.release.framework
    policy = AssessmentPolicy.objects.filter(framework=framework, validation_earns_certificate=True).first()
    if policy is None:
        return None
    skill, level = validation.skill, validation.level
    return _issue(
        holder=validation.person,
        kind=Certificate.Kind.SKILL,
        award=skill_award(framework=framework, skill_code=skill.code, rank=level.rank),
        title=f"{skill.name} at {level.name} level",
        url=_skill_url(framework, skill.code),
        issued_on=timezone.localdate(validation.created_at) if validation.created_at else timezone.localdate(),
        validity_months=policy.certificate_validity_months,
        assessment=validation,
    )


@transaction.atomic
def certificate_issue_by_hand(
    *,
    holder: Person,
    award: str,
    title: str,
    url: str = "",
    validity_months: int | None = None,
    issued_on: date | None = None,
    reason: str,
    actor,
) -> Certificate:
    """A training administrator issues a certificate for an award they choose (a course, from the choices the
    apps above offer), saying why: for training taken before Capability, or a completion recorded elsewhere. Renews
    the certificate of that award in force, like any other issue."""
    _check_actor(actor, ISSUE_PERMISSION, "Only a training administrator can issue a certificate by hand.")
    if actor is None:
        raise NotAllowed("A certificate issued by hand names who issued it.")
    if not reason.strip():
        raise CertificateError("Say why you are issuing this certificate by hand.")
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise CertificateError("A certificate cannot be issued for a day that has not come yet.")
    holder = Person.objects.select_related("user").get(pk=holder.pk)
    return _issue(
        holder=holder,
        kind=Certificate.Kind.COURSE,
        award=award,
        title=title,
        url=url,
        issued_on=issued_on,
        validity_months=validity_months,
        issued_by=actor,
        reason=reason,
    )


def _revoke(certificate: Certificate, *, reason: str, by) -> Certificate:
    if not reason.strip():
        raise CertificateError("Say why the certificate is revoked: whoever verifies it will see the reason.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    log(
        instance=certificate,
        action="capability.skills.certificate_revoke",
        user=by,
        data={"number": certificate.number, "reason": certificate.revoked_reason},
    )
    transaction.on_commit(lambda: certificate_revoked.send(sender=Certificate, certificate=certificate))
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke a certificate, saying why (a verifier sees the reason). The completion or validation behind it stays
    in the ledger: correcting that is its own service. Revoking one already revoked changes nothing."""
    _check_actor(actor, REVOKE_PERMISSION, "Only a training administrator can revoke a certificate.")
    return _revoke(certificate, reason=reason, by=actor)


@transaction.atomic
def certificates_revoke_for_achievement(*, achievement: Achievement, reason: str, author) -> list[Certificate]:
    """Revoke what a withdrawn completion earned, with the withdrawal's reason, recording `author` as who revoked
    it. Called by `course_evidence_retract`, whose caller checked `author` (who may correct the completion may
    take back what it earned)."""
    return [
        _revoke(certificate, reason=reason, by=author)
        for certificate in achievement.certificates.filter(revoked_at__isnull=True)
    ]
