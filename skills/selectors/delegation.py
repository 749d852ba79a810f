"""Delegation: who decides for an away manager's team today. A day is a Europe/London day (the site's zone),
so a delegation ending on Friday covers all of Friday in London and none of Saturday."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from frameworks.prepared import PreparedRead
from skills.models import Delegation, Person
from skills.models.delegation import london_today
from skills.selectors.people import reporting_line

# The delegations the manage page lists beside the current and coming ones: enough to see what was set lately.
DELEGATIONS_PAST_SHOWN = 10


def delegations_active_to(*, delegate: Person, on: date | None = None) -> list[Delegation]:
    """The delegations in force to `delegate`, with each delegator's account, by delegator's name: one query."""
    return list(
        Delegation.objects.active_on(on)
        .filter(delegate=delegate)
        .select_related("delegator__user")
        .order_by("delegator__user__last_name", "delegator__user__first_name", "pk")
    )


def delegation_active_from(*, delegator: Person, on: date | None = None) -> Delegation | None:
    """The delegation `delegator` has in force (at most one on any day), with the delegate's account."""
    return (
        Delegation.objects.active_on(on).filter(delegator=delegator).select_related("delegate__user").order_by().first()
    )


def _around(*, person_id: int, on: date):
    return (
        Delegation.objects.active_on(on)
        .filter(Q(delegator_id=person_id) | Q(delegate_id=person_id))
        .select_related("delegator__user", "delegate__user")
        .order_by("delegator__user__last_name", "delegator__user__first_name", "pk")
    )


# Read by the reviews and approvals pages of every manager: compiled once per process (decision 0025).
_AROUND = PreparedRead(_around)


def delegations_around(*, person: Person, on: date | None = None) -> tuple[Delegation | None, list[Delegation]]:
    """In one query: the delegation `person` has in force (or None), and those in force to them (by
    delegator's name), each with both people's accounts."""
    rows = _AROUND.list(person_id=person.pk, on=on or london_today())
    away, covering = None, []
    for row in rows:
        if row.delegator_id == person.pk:
            away = row
        else:
            covering.append(row)
    return away, covering


def delegator_ids_for(*, delegate: Person, on: date | None = None) -> QuerySet:
    """The ids of the managers who have delegated to `delegate` now, as a subquery."""
    return Delegation.objects.active_on(on).filter(delegate=delegate).values("delegator_id")


def delegation_covers(*, delegate: Person, delegator_id: int | None, on: date | None = None) -> bool:
    """Whether `delegate` decides for `delegator_id`'s team today: one query."""
    if delegator_id is None or delegator_id == delegate.pk:
        return False
    return Delegation.objects.active_on(on).filter(delegate=delegate, delegator_id=delegator_id).exists()


def delegations_of(*, delegator: Person, on: date | None = None) -> tuple[list[Delegation], list[Delegation]]:
    """The manager's delegations for the manage page: those in force or to come (soonest first), and the last
    few that have finished or were ended early (latest first). Two queries."""
    day = on or london_today()
    current = list(
        Delegation.objects.filter(delegator=delegator, ended_at__isnull=True, ends_on__gte=day)
        .select_related("delegate__user")
        .order_by("starts_on", "pk")
    )
    past = list(
        Delegation.objects.filter(delegator=delegator)
        .filter(Q(ended_at__isnull=False) | Q(ends_on__lt=day))
        .select_related("delegate__user", "ended_by")
        .order_by("-starts_on", "-pk")[:DELEGATIONS_PAST_SHOWN]
    )
    return current, past


def delegation_get_for_delegator(*, delegator: Person, delegation_id) -> Delegation | None:
    """The delegation `delegation_id` if `delegator` made it, else None (the page answers 404)."""
    return (
        Delegation.objects.select_related("delegate__user")
        .filter(pk=delegation_id, delegator=delegator)
        .order_by()
        .first()
    )


def delegates_to_choose(*, delegator: Person) -> QuerySet[Person]:
    """The managers `delegator` may delegate to: people with an active account and someone reporting to them,
    not the delegator, and not in the delegator's own reporting line (skills.services.delegation says why), by
    name. A queryset for a choice field."""
    return (
        Person.objects.filter(user__is_active=True)
        .filter(Exists(Person.objects.filter(line_manager_id=OuterRef("pk"))))
        .exclude(pk=delegator.pk)
        .exclude(pk__in=reporting_line(manager_id=delegator.pk).values("pk"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
