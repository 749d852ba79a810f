"""Delegation: a line manager who is away hands their training approvals and line-manager claim reviews to
another manager for a period (skills.models.Delegation).

The rules, and why:
- Only the manager themselves sets up or ends their delegation (actor None is the system).
- Not to themselves, and only to someone who manages people (has someone reporting to them) with an active
  account: the decisions are line-manager judgements, so they go to another line manager.
- Not to anyone in the delegator's own reporting line. Someone who reports to the delegator would be deciding
  their own colleagues' training and validating their skill levels (a peer's judgement recorded as a line
  manager's) and, where they report directly, the requests of the team they sit in. Delegating up (to one's own
  manager) or across (to a peer manager) is allowed.
- Days are whole London days, first to last inclusive; the first day is today or later (a decision cannot be
  handed over in the past); the last is on or after the first.
- One delegation per manager on any day: a second that overlaps an open one is refused (end that one first).
- No chains: someone who has delegated their own decisions for part of the period cannot be the delegate (their
  delegators' requests would sit with an absent manager), and a manager covering for someone cannot delegate
  over those days (the cover would silently pass on). Each side is told whom to talk to.
- The delegate never decides their own request or claim (the rules in `approver_may_decide` and the review
  service); ending early keeps the row, with who ended it, so decisions made under it stay explained.

Both managers are told (outbox), and every change is in the audit log.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from skills.errors import SkillsError
from skills.models import Delegation, Notification, Person
from skills.models.delegation import london_today
from skills.notification_kinds import notification_kind_register
from skills.selectors.people import reporting_line
from skills.services.errors import NotAllowed
from skills.services.notifications import notify


class DelegationError(SkillsError):
    """The delegation cannot be made or ended as asked; the message says what to do instead."""


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _check_actor(actor, delegator: Person) -> None:
    if actor is not None and actor.pk != delegator.user_id:
        raise NotAllowed("Only the manager themselves can delegate their approvals or end a delegation.")


def _overlapping(queryset, starts_on: date, ends_on: date):
    return queryset.filter(ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)


@transaction.atomic
def delegation_create(
    *, delegator: Person, delegate: Person, starts_on: date, ends_on: date, actor, today: date | None = None
) -> Delegation:
    """Delegate `delegator`'s approvals and claim reviews to `delegate` from `starts_on` to `ends_on` (London
    days, inclusive). Refuses, with what to do instead, anything the module's rules forbid."""
    _check_actor(actor, delegator)
    today = today or london_today()
    if delegate.pk == delegator.pk:
        raise DelegationError("You cannot delegate to yourself: choose another manager.")
    if starts_on < today:
        raise DelegationError("The first day must be today or later.")
    if ends_on < starts_on:
        raise DelegationError("The last day must be the same as or after the first day.")
    # Both people's rows, in a fixed order: two delegations set up at once for either of them queue here, so the
    # overlap and chain checks below see each other.
    locked = {
        person.pk: person
        for person in Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk__in=[delegator.pk, delegate.pk])
        .order_by("pk")
    }
    delegator, delegate = locked[delegator.pk], locked[delegate.pk]
    name = delegate.user.get_full_name()
    if not delegate.user.is_active:
        raise DelegationError(f"{name} cannot sign in at the moment: choose another manager.")
    if not Person.objects.filter(line_manager=delegator).exists():
        raise DelegationError("Nobody reports to you, so you have no approvals or reviews to delegate.")
    if not Person.objects.filter(line_manager=delegate).exists():
        raise DelegationError(f"{name} does not manage anyone: choose another line manager.")
    if reporting_line(manager_id=delegator.pk).filter(pk=delegate.pk).exists():
        raise DelegationError(
            f"{name} is in your own reporting line: choose your manager or a manager outside your team."
        )
    clash = _overlapping(Delegation.objects.filter(delegator=delegator), starts_on, ends_on).first()
    if clash is not None:
        raise DelegationError(
            f"You have already delegated to {clash.delegate.user.get_full_name()} from {_day(clash.starts_on)} "
            f"to {_day(clash.ends_on)}: end that delegation first, or choose days outside it."
        )
    away = _overlapping(Delegation.objects.filter(delegator=delegate), starts_on, ends_on).first()
    if away is not None:
        raise DelegationError(
            f"{name} has delegated their own approvals from {_day(away.starts_on)} to {_day(away.ends_on)}: "
            "choose another manager, or days outside that."
        )
    covering = (
        _overlapping(Delegation.objects.filter(delegate=delegator), starts_on, ends_on)
        .select_related("delegator__user")
        .first()
    )
    if covering is not None:
        raise DelegationError(
            f"You are covering {covering.delegator.user.get_full_name()}'s approvals from "
            f"{_day(covering.starts_on)} to {_day(covering.ends_on)}: ask them to choose someone else for those "
            "days first."
        )
    delegation = Delegation.objects.create(
        delegator=delegator, delegate=delegate, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    log(
        instance=delegation,
        action="capability.skills.delegation_create",
        user=actor,
        data={
            "delegator": delegator.pk,
            "delegate": delegate.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    event = f"delegation:{delegation.pk}:created"
    notify("delegation_made", recipient=delegator, event=event, delegation_id=delegation.pk)
    notify("delegation_received", recipient=delegate, event=event, delegation_id=delegation.pk)
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, actor, today: date | None = None) -> Delegation:
    """End a delegation now, before its last day (or withdraw one that has not started): from now on the
    delegate no longer decides for the delegator's team. The row stays, with who ended it."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("delegator__user", "delegate__user")
        .get(pk=delegation.pk)
    )
    _check_actor(actor, delegation.delegator)
    today = today or london_today()
    if delegation.ended_at is not None or delegation.ends_on < today:
        raise DelegationError("This delegation has already ended.")
    delegation.ended_at = timezone.now()
    delegation.ended_by = actor
    delegation.save(update_fields=["ended_at", "ended_by"])
    log(
        instance=delegation,
        action="capability.skills.delegation_end",
        user=actor,
        data={"delegator": delegation.delegator_id, "delegate": delegation.delegate_id},
    )
    event = f"delegation:{delegation.pk}:ended"
    for recipient in (delegation.delegator, delegation.delegate):
        notify("delegation_ended", recipient=recipient, event=event, delegation_id=delegation.pk)
    return delegation


def _delegation_context(notification: Notification) -> dict:
    delegation = Delegation.objects.select_related("delegator__user", "delegate__user").get(
        pk=notification.context["delegation_id"]
    )
    return {
        "recipient": Person.objects.select_related("user").get(user_id=notification.user_id),
        "delegation": delegation,
        "delegator_name": delegation.delegator.user.get_full_name(),
        "delegate_name": delegation.delegate.user.get_full_name(),
        "starts_on": _day(delegation.starts_on),
        "ends_on": _day(delegation.ends_on),
        "is_delegator": delegation.delegator.user_id == notification.user_id,
    }


for _name, _label, _subject in [
    (
        "delegation_made",
        "You delegated your approvals",
        "Your approvals and reviews go to {{ delegate_name }} from {{ starts_on }} to {{ ends_on }}",
    ),
    (
        "delegation_received",
        "Approvals delegated to you",
        "{{ delegator_name }} has delegated their approvals and reviews to you from {{ starts_on }}",
    ),
    ("delegation_ended", "A delegation has ended", "The delegation from {{ delegator_name }} has ended"),
]:
    notification_kind_register(
        name=_name,
        label=_label,
        subject=_subject,
        template=f"skills/email/{_name}.txt",
        build_context=_delegation_context,
    )
