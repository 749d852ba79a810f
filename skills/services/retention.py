"""Retention: each kind of record is kept for its class's period (CAPABILITY_RETENTION_DAYS, by the personal data
register's Retention classes) and then erased or deleted, by a nightly task and `manage.py apply_retention`.
Idempotent: what is past its period goes once, and a second run finds nothing. See
docs/decisions/0217-leavers-erasure-retention.md."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from wagtail.models import ModelLogEntry

from skills.enums import NotificationStatus
from skills.models import Notification, Person, SelfAssessmentDraft
from skills.personal_data import Retention
from skills.services.erasure import person_erase, retention_days
from skills.services.errors import SkillsError
from skills.services.people_import import people_imports_expire

logger = logging.getLogger(__name__)

RETENTION_REASON = "Retention: the leavers' retention period has passed."


@dataclass
class RetentionReport:
    """What a run removed (or, in a dry run, would remove), by kind of record."""

    dry_run: bool = False
    leavers_erased: list[int] = field(default_factory=list)
    notifications_deleted: int = 0
    audit_entries_deleted: int = 0
    drafts_deleted: int = 0
    unconfirmed_imports_expired: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"Leavers whose personal data {verb} erased: {len(self.leavers_erased)}.",
            f"Sent notifications that {verb} deleted: {self.notifications_deleted}.",
            f"Audit log entries that {verb} deleted: {self.audit_entries_deleted}.",
            f"Untouched self-assessment drafts that {verb} deleted: {self.drafts_deleted}.",
            f"Unconfirmed full HR files whose uploads {verb} deleted: {self.unconfirmed_imports_expired}.",
        ]
        lines += [f"Person {pk} could not be erased: {reason}" for pk, reason in self.failed]
        return lines

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "leavers_erased": self.leavers_erased,
            "notifications_deleted": self.notifications_deleted,
            "audit_entries_deleted": self.audit_entries_deleted,
            "drafts_deleted": self.drafts_deleted,
            "unconfirmed_imports_expired": self.unconfirmed_imports_expired,
            "failed": self.failed,
        }


def _cutoff(retention: Retention, today: date):
    """The start of the first day still kept (Europe/London): anything older is past the period."""
    return timezone.make_aware(datetime.combine(today - timedelta(days=retention_days(retention)), time.min))


def retention_apply(*, dry_run: bool = False, today: date | None = None) -> RetentionReport:
    """Apply every retention period, as the system: erase the leavers whose leavers' period has passed (each in
    its own transaction, through `person_erase`, audited there), delete sent notifications, audit log entries of
    records (not pages') and untouched self-assessment drafts older than their periods, and close the full HR
    files nobody confirmed in time, deleting their uploads (`people_imports_expire`). `dry_run` counts what
    would go and changes nothing. A leaver who cannot be erased is reported and the run goes on."""
    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run)
    leaver_cutoff = today - timedelta(days=retention_days(Retention.PERSON_RECORD))
    leavers = Person.objects.filter(erased_at__isnull=True, left_on__lte=leaver_cutoff).order_by("pk")
    for person in leavers:
        if dry_run:
            report.leavers_erased.append(person.pk)
            continue
        try:
            person_erase(person=person, actor=None, reason=RETENTION_REASON, today=today)
        except SkillsError as refusal:
            report.failed.append((person.pk, str(refusal)))
        else:
            report.leavers_erased.append(person.pk)

    kinds = [
        (
            "notifications_deleted",
            Notification.objects.filter(
                status=NotificationStatus.SENT, sent_at__lt=_cutoff(Retention.NOTIFICATION, today)
            ),
        ),
        ("audit_entries_deleted", ModelLogEntry.objects.filter(timestamp__lt=_cutoff(Retention.AUDIT, today))),
        ("drafts_deleted", SelfAssessmentDraft.objects.filter(updated_at__lt=_cutoff(Retention.EVIDENCE, today))),
    ]
    for name, queryset in kinds:
        setattr(report, name, queryset.count() if dry_run else queryset.delete()[0])
    report.unconfirmed_imports_expired = people_imports_expire(today=today, dry_run=dry_run)
    if not dry_run:
        logger.info("Retention applied: %s", report.as_dict())
    return report
