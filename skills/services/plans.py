"""Development plans: the learner proposes actions against their gaps, their line manager agrees the plan, and
training the person books or completes moves the actions on by itself (`plan_actions_sync`, called by the courses
app through its adapter `courses.services.plans`).

Who may do what: the person adds, edits and moves on their own actions and comments; their line manager agrees
the plan and comments; `actor=None` is the system (the sync). Anyone else is refused with `NotAllowed`. A change
to what is planned (adding, editing or dropping an action) asks for agreement again; progress does not.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from skills.models import Assessment, DevelopmentPlan, Person, PlanAction, PlanComment
from skills.services.errors import NotAllowed, SkillsError

Status = PlanAction.Status


class PlanError(SkillsError):
    """The plan or action cannot be changed as asked; the message says why."""


def _is_person(actor, person: Person) -> bool:
    return actor is not None and actor.pk == person.user_id


def _is_line_manager(actor, person: Person) -> bool:
    return (
        actor is not None
        and person.line_manager_id is not None
        and Person.objects.filter(pk=person.line_manager_id, user_id=actor.pk).exists()
    )


def _check_owner(actor, person: Person) -> None:
    if actor is not None and not _is_person(actor, person):
        raise NotAllowed("Only the person themselves can change the actions in their development plan.")


def _audit(instance, action: str, actor, **data) -> None:
    log(instance=instance, action=f"capability.skills.{action}", user=actor, data=data)


def plan_ensure(*, person: Person) -> DevelopmentPlan:
    """The person's plan, created empty the first time it is needed."""
    plan, _ = DevelopmentPlan.objects.get_or_create(person=person)
    return plan


def _changed(plan: DevelopmentPlan, now) -> None:
    plan.changed_at = now
    plan.save(update_fields=["changed_at"])


def _clean(*, title: str, skill_code: str, target_rank: int | None, url: str) -> tuple[str, str, str]:
    title = title.strip()
    if not title:
        raise PlanError("Say what the action is, e.g. the course's name or what you will do.")
    if target_rank is not None and not skill_code:
        raise PlanError("Choose the skill that the target level is for.")
    url = url.strip()
    if url and not url.startswith("/"):
        raise PlanError("Link only to a page of this service, such as a course page or a booking.")
    return title, skill_code.strip(), url


@transaction.atomic
def plan_action_add(
    *,
    person: Person,
    actor,
    kind: str,
    title: str,
    skill_code: str = "",
    target_rank: int | None = None,
    url: str = "",
    reference: str = "",
    target_date: date | None = None,
) -> PlanAction:
    """Add an action to the person's plan (the plan then asks for agreement again). Adding the same course or
    session again (the same URL, still open) returns the action already planned."""
    _check_owner(actor, person)
    title, skill_code, url = _clean(title=title, skill_code=skill_code, target_rank=target_rank, url=url)
    if kind not in PlanAction.Kind.values:
        raise PlanError("Choose what kind of action it is.")
    plan = DevelopmentPlan.objects.select_for_update().filter(pk=plan_ensure(person=person).pk).get()
    if url:
        existing = plan.actions.filter(url=url, status__in=[Status.PLANNED, Status.IN_PROGRESS]).first()
        if existing is not None:
            return existing
    now = timezone.now()
    action = PlanAction.objects.create(
        plan=plan,
        kind=kind,
        title=title,
        skill_code=skill_code,
        target_rank=target_rank,
        url=url,
        reference=reference,
        target_date=target_date,
    )
    _changed(plan, now)
    _audit(action, "plan_action_add", actor, person=person.pk, title=title)
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    actor,
    kind: str,
    title: str,
    skill_code: str = "",
    target_rank: int | None = None,
    target_date: date | None = None,
) -> PlanAction:
    """Change what an open action is; the plan asks for agreement again."""
    action = PlanAction.objects.select_for_update().select_related("plan__person").get(pk=action.pk)
    _check_owner(actor, action.plan.person)
    if not action.is_open:
        raise PlanError("This action is finished: add a new one instead.")
    title, skill_code, _ = _clean(title=title, skill_code=skill_code, target_rank=target_rank, url="")
    if kind not in PlanAction.Kind.values:
        raise PlanError("Choose what kind of action it is.")
    action.kind, action.title, action.skill_code = kind, title, skill_code
    action.target_rank, action.target_date = target_rank, target_date
    action.save()
    _changed(action.plan, timezone.now())
    _audit(action, "plan_action_update", actor, title=title)
    return action


@transaction.atomic
def plan_action_status_set(*, action: PlanAction, actor, status: str) -> PlanAction:
    """The person moves an action on: started, done, or dropped (dropping changes the plan, which then asks for
    agreement again). A done or dropped action is final."""
    action = PlanAction.objects.select_for_update().select_related("plan__person").get(pk=action.pk)
    _check_owner(actor, action.plan.person)
    if status not in Status.values or status == Status.PLANNED:
        raise PlanError("Choose whether the action has started, is done, or is dropped.")
    if not action.is_open:
        raise PlanError("This action is already finished.")
    now = timezone.now()
    action.status = status
    action.done_at = now if status == Status.DONE else None
    action.save(update_fields=["status", "done_at", "updated_at"])
    if status == Status.DROPPED:
        _changed(action.plan, now)
    _audit(action, "plan_action_status", actor, status=status)
    return action


@transaction.atomic
def plan_agree(*, plan: DevelopmentPlan, actor) -> DevelopmentPlan:
    """The person's line manager agrees the plan as it stands now."""
    plan = DevelopmentPlan.objects.select_for_update().select_related("person").get(pk=plan.pk)
    if actor is not None and not _is_line_manager(actor, plan.person):
        raise NotAllowed("Only the person's line manager can agree their development plan.")
    if not plan.actions.exists():
        raise PlanError("There is nothing to agree yet: the plan has no actions.")
    plan.agreed_by, plan.agreed_at = actor, timezone.now()
    plan.save(update_fields=["agreed_by", "agreed_at"])
    _audit(plan, "plan_agree", actor, person=plan.person_id)
    return plan


@transaction.atomic
def plan_comment_add(*, plan: DevelopmentPlan, actor, text: str) -> PlanComment:
    """The person or their line manager comments on the plan."""
    person = plan.person
    if not (_is_person(actor, person) or _is_line_manager(actor, person)):
        raise NotAllowed("Only the person and their line manager can comment on a development plan.")
    text = text.strip()
    if not text:
        raise PlanError("Write your comment.")
    comment = PlanComment.objects.create(plan=plan, author=actor, text=text)
    _audit(plan, "plan_comment", actor, person=person.pk)
    return comment


# What a sync may do to an action in each status: training never reopens a finished action.
SYNC_FROM = {
    Status.IN_PROGRESS: (Status.PLANNED, Status.IN_PROGRESS),
    Status.DONE: (Status.PLANNED, Status.IN_PROGRESS),
    Status.PLANNED: (Status.IN_PROGRESS,),
}


@transaction.atomic
def plan_actions_sync(
    *,
    person: Person,
    reference: str,
    status: str,
    evidence: Iterable[Assessment] = (),
    url: str = "",
) -> list[PlanAction]:
    """Move on the person's actions for a piece of training, as the system (the courses app calls this when a
    booking is confirmed, completed or cancelled, and when a self-paced completion is confirmed).

    The actions are those already carrying `reference`, or else the open ones whose `url` is the training's
    (the course page the learner added to their plan), which then take the reference. `status`:
    in progress (booked), done (completed: the action links to the evidence row for its skill, or the first),
    or planned (the booking was cancelled: the action goes back to planned and lets go of the reference, so that
    booking another session of the course picks it up again; the person still needs the skill, so the action is
    not dropped). Done and dropped actions are never changed. Returns the actions changed."""
    if status not in SYNC_FROM:
        raise PlanError(f"A plan action cannot be synced to {status!r}.")
    # Both kinds of action in one read; those carrying the reference win.
    matches = Q(reference=reference)
    if url and status != Status.PLANNED:
        matches |= Q(url=url, reference="")
    candidates = list(
        PlanAction.objects.select_for_update()
        .filter(matches, plan__person=person, status__in=SYNC_FROM[status])
        .order_by("pk")
    )
    actions = [action for action in candidates if action.reference == reference] or candidates
    rows = list(evidence)
    codes = {row.skill.code: row for row in rows} if rows else {}
    now = timezone.now()
    for action in actions:
        action.status = status
        action.reference = "" if status == Status.PLANNED else reference
        action.done_at = now if status == Status.DONE else None
        action.evidence = (codes.get(action.skill_code) or rows[0]) if status == Status.DONE and rows else None
        action.save(update_fields=["status", "reference", "done_at", "evidence", "updated_at"])
        _audit(action, "plan_action_sync", None, reference=reference, status=status)
    return actions
