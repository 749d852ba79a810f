"""Expiry reminders: 90, 30 and 7 days before a certification expires, its holder and their line manager are told,
through the outbox, once per threshold (docs/decisions/0212).

What is reminded: Capability's own certificates in force (neither revoked nor superseded by a renewal) and
confirmed external certifications, of people whose account is active. The threshold due on a day is the nearest
one not yet passed (7 within a week of the expiry, 30 within a month, else 90), so a run that was missed for days
sends that one only, never the ones it skipped, and never a threshold larger than one already sent. A
`CertificationReminder` row per certification and threshold (unique) makes a second run, or two at once, send
nothing new.

The daily beat task (`skills.tasks.certificate_reminders_send`) walks the candidates in chunks by id, one query a
chunk to read them and a fixed few to write, so 100,000 people cost the same per chunk as 100.

A reminder about a Capability course certificate lists the upcoming sessions of the course that renews it, which
only `courses` knows: it answers CERTIFICATE_RENEWAL_SESSIONS_HOOK (decision 0020), asked when the message is
rendered, so the sessions are those open when it is sent.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone
from wagtail import hooks

from skills.enums import ExternalCertificationStatus, ReminderThreshold
from skills.models import Certificate, CertificationReminder, ExternalCertification, Notification, Person
from skills.notification_kinds import notification_kind_register
from skills.services.notifications import heartbeat_record, notify_many

# Apps above skills list what renews a certificate through this Wagtail hook (courses: the upcoming sessions of
# the course). Each hook takes (award,) — a certificate's `award`, e.g. ``courses.course:42`` — and returns a list
# of RenewalSession (bookable now, with a seat), or None when the award is not theirs.
CERTIFICATE_RENEWAL_SESSIONS_HOOK = "skills_certificate_renewal_sessions"
REMINDER_CHUNK = 1000
REMINDERS_HEARTBEAT = "certificate-reminders"
THRESHOLDS = sorted(ReminderThreshold.values)  # nearest first: 7, 30, 90


@dataclass(frozen=True)
class RenewalSession:
    """An upcoming session that renews a certificate, as a reminder lists it."""

    starts_at: datetime
    place: str  # the town, or "Online"
    seats_left: int
    path: str  # where to book it, on this site


def threshold_due(*, expires_on: date, today: date) -> int | None:
    """The reminder due on `today` for a certification expiring on `expires_on`: the nearest threshold not yet
    passed, or None when it has expired or is further off than the largest."""
    days_left = (expires_on - today).days
    if days_left <= 0:
        return None
    return next((threshold for threshold in THRESHOLDS if days_left <= threshold), None)


def _threshold_annotation(today: date) -> Case:
    return Case(
        *[When(expires_on__lte=today + timedelta(days=threshold), then=Value(threshold)) for threshold in THRESHOLDS],
        output_field=IntegerField(),
    )


def _due(queryset: QuerySet, today: date, subject_field: str) -> QuerySet:
    """Of `queryset`, those expiring within the largest threshold whose due threshold (or a nearer one) has not
    been sent, with `threshold` annotated."""
    already = CertificationReminder.objects.filter(
        **{subject_field: OuterRef("pk")}, threshold__lte=OuterRef("threshold")
    )
    return (
        queryset.filter(expires_on__gt=today, expires_on__lte=today + timedelta(days=max(THRESHOLDS)))
        .annotate(threshold=_threshold_annotation(today))
        .exclude(Exists(already))
    )


def certificates_due_reminder(*, today: date) -> QuerySet[Certificate]:
    return _due(
        Certificate.objects.filter(revoked_at__isnull=True, superseded_at__isnull=True, holder__user__is_active=True),
        today,
        "certificate",
    ).values_list("pk", "expires_on", "threshold", "holder__user_id", "holder__line_manager__user_id")


def external_certifications_due_reminder(*, today: date) -> QuerySet[ExternalCertification]:
    return _due(
        ExternalCertification.objects.filter(
            status=ExternalCertificationStatus.CONFIRMED, person__user__is_active=True
        ),
        today,
        "external_certification",
    ).values_list("pk", "expires_on", "threshold", "person__user_id", "person__line_manager__user_id")


def _remind_chunk(rows: list[tuple], subject_field: str, now: datetime) -> int:
    """Record a reminder for each row (certification id, expiry, threshold, holder's and manager's account) and
    queue its messages, in one transaction. A row another run has just recorded is skipped by the unique
    constraint, and its messages are that run's to send."""
    with transaction.atomic():
        CertificationReminder.objects.bulk_create(
            [
                CertificationReminder(
                    **{f"{subject_field}_id": pk}, threshold=threshold, expires_on=expires_on, sent_at=now
                )
                for pk, expires_on, threshold, _, _ in rows
            ],
            ignore_conflicts=True,
        )
        recorded = dict(
            CertificationReminder.objects.filter(
                **{f"{subject_field}_id__in": [row[0] for row in rows]}, sent_at=now
            ).values_list(f"{subject_field}_id", "pk")
        )
        messages = []
        for pk, _, _, holder_user_id, manager_user_id in rows:
            if pk not in recorded:
                continue
            reminder_id = recorded[pk]
            event = f"reminder:{reminder_id}"
            messages.append(("certification_expiring", event, holder_user_id, {"reminder_id": reminder_id}))
            if manager_user_id is not None:
                messages.append(("team_certification_expiring", event, manager_user_id, {"reminder_id": reminder_id}))
        if messages:
            notify_many(messages)
    return len(recorded)


def certificate_reminders_send(*, now: datetime | None = None, chunk: int = REMINDER_CHUNK) -> int:
    """Send the expiry reminders due today (Europe/London): see the module. Safe to run again, or twice at once:
    nothing is sent twice. Returns how many certifications were reminded about."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = 0
    for candidates, subject_field in (
        (certificates_due_reminder(today=today), "certificate"),
        (external_certifications_due_reminder(today=today), "external_certification"),
    ):
        after = 0
        while True:
            rows = list(candidates.filter(pk__gt=after).order_by("pk")[:chunk])
            if not rows:
                break
            after = rows[-1][0]
            reminded += _remind_chunk(rows, subject_field, now)
    heartbeat_record(name=REMINDERS_HEARTBEAT, at=now)
    return reminded


def renewal_sessions(*, award: str) -> list[RenewalSession]:
    """What the apps above skills offer to renew `award` (CERTIFICATE_RENEWAL_SESSIONS_HOOK), soonest first."""
    found: list[RenewalSession] = []
    for hook in hooks.get_hooks(CERTIFICATE_RENEWAL_SESSIONS_HOOK):
        found.extend(hook(award) or [])
    return sorted(found, key=lambda session: session.starts_at)


def _reminder_context(notification: Notification) -> dict:
    reminder = CertificationReminder.objects.select_related(
        "certificate__holder__user", "external_certification__person__user"
    ).get(pk=notification.context["reminder_id"])
    certificate, external = reminder.certificate, reminder.external_certification
    holder = certificate.holder if certificate else external.person
    return {
        "recipient": Person.objects.select_related("user").get(user_id=notification.user_id),
        "holder_name": holder.user.get_full_name(),
        "title": certificate.title if certificate else external.name,
        "issuer": "Capability" if certificate else external.issuer,
        "expires_on": reminder.expires_on,
        # Counted from the day of the run: a message the sweep sends late still says what the run found.
        "days_left": (reminder.expires_on - timezone.localdate(reminder.sent_at)).days,
        "is_external": external is not None,
        "sessions": renewal_sessions(award=certificate.award) if certificate and certificate.award else [],
    }


for _name, _label, _subject in [
    (
        "certification_expiring",
        "A certification of yours is expiring",
        "Your {{ title }} certification expires on {{ expires_on|date:'j F Y' }}",
    ),
    (
        "team_certification_expiring",
        "A certification in your team is expiring",
        "{{ holder_name }}'s {{ title }} certification expires on {{ expires_on|date:'j F Y' }}",
    ),
]:
    notification_kind_register(
        name=_name,
        label=_label,
        subject=_subject,
        template=f"skills/email/{_name}.txt",
        build_context=_reminder_context,
    )
