from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from frameworks.models import Framework
from skills.models import CurrentLevel, Person, StaleReminder
from skills.services.notifications import notify


def reassessment_period_number(*, framework: Framework, at=None) -> int:
    """Which reassessment period `at` falls in, counting whole periods of the framework's length from 2000."""
    at = at or timezone.now()
    months = (at.year - 2000) * 12 + at.month - 1
    return months // framework.reassessment_period_months


def stale_reminders_send(*, framework: Framework, now=None) -> int:
    """Remind each person whose current levels in `framework`'s current release include some older than its
    reassessment period, at most once per period. Returns how many people were reminded."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=framework.reassessment_period_months)
    period = reassessment_period_number(framework=framework, at=now)
    # Reminded within the last period (whatever its calendar number), or already in this period: not again.
    reminded = StaleReminder.objects.filter(person=OuterRef("person_id"), framework=framework).filter(
        Q(sent_at__gte=cutoff) | Q(period=period)
    )
    stale = (
        CurrentLevel.objects.filter(release_id=framework.current_release_id, last_assessed_at__lt=cutoff)
        .exclude(Exists(reminded))
        .values("person_id", "person__user_id")
        .annotate(count=Count("id"))
    )
    reminded = 0
    for row in stale:
        try:
            with transaction.atomic():
                StaleReminder.objects.create(
                    person_id=row["person_id"],
                    framework=framework,
                    period=period,
                    stale_count=row["count"],
                    sent_at=now,
                )
                notify(
                    "stale_reminder",
                    recipient=Person(pk=row["person_id"], user_id=row["person__user_id"]),
                    event=f"stale:{framework.pk}:{period}",
                    framework_id=framework.pk,
                )
        except IntegrityError:  # another run reminded them first
            continue
        reminded += 1
    return reminded
