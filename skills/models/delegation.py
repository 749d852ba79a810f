from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


def london_today():
    """Today in Europe/London (the site's zone): the days a delegation counts are London days."""
    return timezone.localdate()


class DelegationQuerySet(models.QuerySet):
    def active_on(self, day=None):
        """The delegations in force on `day` (today in London by default): started, not past their last day,
        not ended early."""
        day = day or london_today()
        return self.filter(ended_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


class Delegation(models.Model):
    """A line manager who is away hands their approvals (training requests) and line-manager claim reviews to
    another manager for a period of whole days, Europe/London, `starts_on` to `ends_on` inclusive.

    While it is active the delegate decides for the delegator's direct reports exactly as the delegator could,
    never for their own request or claim; nothing passes on (a delegate's own delegation does not carry their
    delegators' teams). A delegation ended early keeps its row, with who ended it and when (`ended_at`): the
    audit log and the decisions made under it stay explainable. Changed only by `skills.services.delegation`,
    which allows one delegation per manager over any day (overlapping periods are refused).

    Personal data: the two people, the period (which says when the delegator is away), who set it up and who
    ended it.
    """

    delegator = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="delegations_given")
    delegate = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="delegations_received")
    starts_on = models.DateField(help_text="The first day the delegate decides, Europe/London.")
    ends_on = models.DateField(help_text="The last day the delegate decides, Europe/London.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it was ended before its last day.")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["delegate", "starts_on", "ends_on"], name="skills_deleg_delegate_idx"),
            models.Index(fields=["delegator", "starts_on", "ends_on"], name="skills_deleg_delegator_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(delegate=F("delegator")),
                name="skills_delegation_not_to_self",
                violation_error_message="You cannot delegate to yourself: choose another manager.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="skills_delegation_ends_after_start",
                violation_error_message="The last day must be on or after the first day.",
            ),
        ]

    def __str__(self):
        return f"{self.delegator} to {self.delegate}, {self.starts_on:%-d %b %Y} to {self.ends_on:%-d %b %Y}"

    def is_active_on(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on
