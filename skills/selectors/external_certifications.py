"""Certifications earned elsewhere: who may see and decide one, the person's list, the decider's queue, and the
expiring and expired certifications (Capability's own and confirmed external ones) the gap page and the team view
show.

Who may see one: the person, their line-management chain above them, the manager their line manager has delegated
to today (who may decide it), and training administrators (`skills.view_externalcertification`); everyone else is
answered as if it did not exist (404). Who may decide: the line manager or their delegate today, or a training
administrator (`skills.decide_externalcertification`); never the person themselves."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet

from skills.enums import ExternalCertificationStatus
from skills.models import ExternalCertification, Person
from skills.models.delegation import london_today
from skills.selectors.delegation import delegator_ids_for
from skills.selectors.people import approver_may_decide, person_visible_to

VIEW_ANY_EXTERNAL_CERTIFICATION = "skills.view_externalcertification"
DECIDE_ANY_EXTERNAL_CERTIFICATION = "skills.decide_externalcertification"
QUEUE_PAGE_SIZE = 50
# How long before its expiry a certification shows as expiring (the first reminder goes out then too).
EXPIRING_WITHIN_DAYS = 90
CAPABILITY_ISSUER = "Capability"


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def external_certifications_administered_by(user) -> bool:
    """Whether the account decides anyone's external certification (a training administrator)."""
    return _active(user) and user.has_perm(DECIDE_ANY_EXTERNAL_CERTIFICATION)


def external_certification_may_decide(*, user, certification: ExternalCertification, on: date | None = None) -> bool:
    """Whether `user` may confirm or reject `certification` (whatever its status): its person's line manager,
    that manager's delegate today, or a training administrator; never the person themselves. Reads
    `certification.person`; one query at most."""
    if not _active(user) or certification.person.user_id == user.pk:
        return False
    if user.has_perm(DECIDE_ANY_EXTERNAL_CERTIFICATION):
        return True
    return approver_may_decide(approver=user, person=certification.person, on=on)


def external_certification_visible_to(*, user, viewer: Person | None, certification: ExternalCertification) -> bool:
    """The person, their management chain, whoever may decide it, or a training administrator."""
    if not _active(user):
        return False
    if user.has_perm(VIEW_ANY_EXTERNAL_CERTIFICATION):
        return True
    if person_visible_to(viewer=viewer, person=certification.person):
        return True
    return external_certification_may_decide(user=user, certification=certification)


def external_certification_get_visible_to(
    *, user, viewer: Person | None, certification_id
) -> ExternalCertification | None:
    """The certification with its person's account and who decided it, or None when there is none or `user` may
    not see it (the page answers both with 404)."""
    certification = (
        ExternalCertification.objects.select_related("person__user", "decided_by")
        .filter(pk=certification_id)
        .order_by()
        .first()
    )
    if certification is None or not external_certification_visible_to(
        user=user, viewer=viewer, certification=certification
    ):
        return None
    return certification


def external_certifications_of(*, person: Person) -> QuerySet[ExternalCertification]:
    """The person's own external certifications, latest sent first (withdrawn ones included, marked so)."""
    return ExternalCertification.objects.filter(person=person).order_by("-submitted_at", "-pk")


def external_certifications_waiting_for(*, user, viewer: Person | None, on: date | None = None) -> QuerySet:
    """The certifications waiting for `user` to decide, oldest first: every one for a training administrator;
    otherwise those of the viewer's direct reports and of the direct reports of managers who have delegated to
    them today. Never their own."""
    waiting = ExternalCertification.objects.filter(status=ExternalCertificationStatus.WAITING)
    if not external_certifications_administered_by(user):
        if viewer is None:
            return waiting.none()
        waiting = waiting.filter(
            Q(person__line_manager=viewer)
            | Q(person__line_manager_id__in=delegator_ids_for(delegate=viewer, on=on or london_today()))
        )
    return waiting.exclude(person__user=user).order_by("submitted_at", "pk")


def external_certifications_queue_page(*, user, viewer: Person | None, page_number=None) -> Page:
    """One page (50) of `external_certifications_waiting_for`, each with its person's account: two queries
    (the count and the page), whatever the queue's length."""
    queue = external_certifications_waiting_for(user=user, viewer=viewer).select_related(
        "person__user", "person__line_manager__user"
    )
    return Paginator(queue, QUEUE_PAGE_SIZE).get_page(page_number)


# --- Expiring and expired, for the gap page and the team view ----------------------------------------------------


@dataclass(frozen=True)
class CertificationDue:
    """A certification that has expired or expires within EXPIRING_WITHIN_DAYS, as the pages show it."""

    person_id: int
    person_name: str
    title: str
    issuer: str  # "Capability" for one of Capability's own certificates
    expires_on: date
    days_left: int  # 0 or less: expired
    is_external: bool

    @property
    def is_expired(self) -> bool:
        return self.days_left <= 0

    @property
    def days_left_text(self) -> str:
        return f"{self.days_left} day{'' if self.days_left == 1 else 's'}"


def certifications_due(*, person_ids, today: date | None = None) -> list[CertificationDue]:
    """The expired and expiring certifications of `person_ids`, derived from the dates (no nightly job): Capability's
    certificates that are neither revoked nor superseded by a renewal, and confirmed external certifications
    not followed by a later confirmed one of the same name and issuer (its renewal). By person, soonest expiry
    first. One query (a UNION of the two), whatever the number of people, written in SQL: the gap page and the
    team view ask it on every request, and the ORM took ten times longer to build it than the database to answer
    (docs/decisions/0208, amendment of 7 December)."""
    today = today or london_today()
    horizon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    person_ids = [int(person_id) for person_id in person_ids]
    if not person_ids:
        return []
    people = ", ".join(["%s"] * len(person_ids))
    # Only placeholders are formatted into the SQL; every value is a parameter.
    sql = CERTIFICATIONS_DUE_SQL.format(people=people)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                CAPABILITY_ISSUER,
                *person_ids,
                horizon,
                *person_ids,
                ExternalCertificationStatus.CONFIRMED,
                horizon,
                ExternalCertificationStatus.CONFIRMED,
            ],
        )
        rows = cursor.fetchall()
    found = [
        CertificationDue(
            person_id,
            f"{first_name} {last_name}".strip(),
            title,
            issuer,
            expires_on,
            (expires_on - today).days,
            bool(is_external),
        )
        for person_id, first_name, last_name, title, issuer, expires_on, is_external in (
            (*row[:5], _as_date(row[5]), row[6]) for row in rows
        )
    ]
    return sorted(found, key=lambda due: (due.person_id, due.expires_on, due.title.lower()))


def _as_date(value) -> date:
    """A DATE column as the database driver gives it: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


# Capability's own certificates, then confirmed external ones without a later confirmed renewal (same name and
# issuer, compared without case as `iexact` does).
CERTIFICATIONS_DUE_SQL = """
    SELECT cert.holder_id, account.first_name, account.last_name, cert.title, %s AS issuer,
           cert.expires_on, 0 AS is_external
    FROM skills_certificate cert
    LEFT JOIN skills_person person ON person.id = cert.holder_id
    LEFT JOIN accounts_user account ON account.id = person.user_id
    WHERE cert.holder_id IN ({people})
      AND cert.revoked_at IS NULL AND cert.superseded_at IS NULL
      AND cert.expires_on IS NOT NULL AND cert.expires_on <= %s
    UNION ALL
    SELECT ext.person_id, account.first_name, account.last_name, ext.name, ext.issuer,
           ext.expires_on, 1 AS is_external
    FROM skills_externalcertification ext
    LEFT JOIN skills_person person ON person.id = ext.person_id
    LEFT JOIN accounts_user account ON account.id = person.user_id
    WHERE ext.person_id IN ({people}) AND ext.status = %s
      AND ext.expires_on IS NOT NULL AND ext.expires_on <= %s
      AND NOT EXISTS (
          SELECT 1 FROM skills_externalcertification renewal
          WHERE renewal.person_id = ext.person_id AND renewal.status = %s
            AND UPPER(renewal.name) = UPPER(ext.name) AND UPPER(renewal.issuer) = UPPER(ext.issuer)
            AND renewal.issued_on > ext.issued_on
      )
"""
