"""Leavers: the HR feed says a person has left. They can no longer sign in, and the work waiting on them moves to
their own line manager; apps above `skills` react to `person_left` (courses cancels their open bookings). See
docs/decisions/0217-leavers-erasure-retention.md."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from skills.enums import ReviewerKind, ReviewStatus
from skills.models import Delegation, Person, Review
from skills.selectors.team import team_pages_invalidate
from skills.services.accounts import user_sessions_end
from skills.services.bulk import management_chain_lock
from skills.services.errors import NotAllowed, SkillsError
from skills.signals import person_left

LINE_MANAGER_GROUP = "Line manager"
# Who may mark a leaver: the HR feed's uploaders, and whoever may change people.
LEAVER_PERMISSIONS = ("skills.add_peopleimport", "skills.change_person")


@dataclass(frozen=True)
class Departure:
    """What marking a leaver did: who takes over their work, and how much moved."""

    person_id: int
    successor_id: int | None
    reports_moved: int
    reviews_moved: int
    delegations_ended: int
    sessions_ended: int


def leaver_successor(*, person: Person) -> Person | None:
    """Who takes over a leaver's work: their line manager, or the nearest manager above them who has not left
    (None at the top of the chain)."""
    seen = {person.pk}
    manager = person.line_manager
    while manager is not None and manager.left_on is not None and manager.pk not in seen:
        seen.add(manager.pk)
        manager = manager.line_manager
    return manager if manager is not None and manager.left_on is None else None


def person_leave(*, person: Person, left_on: date, actor, today: date | None = None) -> Departure | None:
    """Mark `person` as having left on `left_on` (not after today). Their account is deactivated and its
    sessions ended, so they cannot sign in; their direct reports, the line-manager reviews sent to them, and the
    delegations to or from them move to their successor (`leaver_successor`): reports and reviews are given to
    the successor, delegations are ended (a delegator's team comes back to the delegator; the leaver's own team
    has moved). One audit entry ("capability.skills.person_leave"); `person_left` is sent after the commit, for
    courses to cancel their open bookings. Someone who has already left is left as they are (None).

    `actor`: None is the system; anyone else needs one of LEAVER_PERMISSIONS (NotAllowed)."""
    if actor is not None and not any(actor.has_perm(permission) for permission in LEAVER_PERMISSIONS):
        raise NotAllowed("Only HR analysts can mark people as having left.")
    today = today or timezone.localdate()
    if left_on > today:
        raise SkillsError("A person can only be marked as having left on or after their last day.")
    with transaction.atomic():
        management_chain_lock()
        person = Person.objects.select_for_update(of=("self",)).select_related("user", "line_manager").get(pk=person.pk)
        if person.left_on is not None:
            return None
        person.left_on = left_on
        person.save(update_fields=["left_on", "updated_at"])
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = user_sessions_end(user_ids={user.pk})

        successor = leaver_successor(person=person)
        successor_id = successor.pk if successor is not None else None
        reports = list(Person.objects.filter(line_manager=person).values_list("pk", flat=True))
        Person.objects.filter(pk__in=reports).update(line_manager=successor, updated_at=timezone.now())
        team_pages_invalidate()  # a bulk update: no model signal tells the team choices
        if reports and successor is not None:
            group = Group.objects.filter(name=LINE_MANAGER_GROUP).first()
            if group is not None:
                successor.user.groups.add(group)
        reviews = Review.objects.filter(
            reviewer=person, status=ReviewStatus.OPEN, reviewer_kind=ReviewerKind.LINE_MANAGER
        ).update(reviewer=successor)
        now = timezone.now()
        delegations = (
            Delegation.objects.filter(ended_at__isnull=True, ends_on__gte=today)
            .filter(Q(delegator=person) | Q(delegate=person))
            .update(ended_at=now, ended_by=actor)
        )
        departure = Departure(
            person_id=person.pk,
            successor_id=successor_id,
            reports_moved=len(reports),
            reviews_moved=reviews,
            delegations_ended=delegations,
            sessions_ended=sessions,
        )
        log(
            instance=person,
            action="capability.skills.person_leave",
            user=actor,
            data={
                "left_on": left_on.isoformat(),
                "successor": successor_id,
                "reports_moved": reports,
                "reviews_moved": reviews,
                "delegations_ended": delegations,
                "sessions_ended": sessions,
            },
        )
        transaction.on_commit(lambda: person_left.send(sender=Person, person=person))
    return departure
