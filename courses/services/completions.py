"""Self-paced completions: a learner records that they completed a self-paced course, with the date and their
evidence. It is a claim until their line manager confirms it; only then does it become course evidence in the
skills ledger (one row per outcome, at the outcome's level), and it asks for no certificate by itself.

Each service checks its actor (None is the system), writes the audit log and notifies through the outbox.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.enums import CompletionStatus
from courses.errors import CoursesError, NotAllowed
from courses.models import CourseCompletion, CoursePage
from courses.services.evaluations import evaluation_request
from courses.services.plans import plan_sync_for_completion
from skills.models import Person
from skills.selectors import approver_may_decide
from skills.services import Outcome, course_evidence_record
from skills.services.errors import InvalidAssessment
from skills.services.notifications import notify


class CompletionError(CoursesError):
    """This completion cannot be recorded or changed now; the message says why and what to do."""


def _audit(completion: CourseCompletion, action: str, actor, **data) -> None:
    """Write the change to the audit log, and move the person's development plan action for this course on with it
    (recorded: in progress; confirmed: done, with its evidence; rejected or withdrawn: planned again)."""
    plan_sync_for_completion(completion)
    log(
        instance=completion,
        action=f"capability.courses.{action}",
        user=actor,
        data={"course": completion.course_id, "person": completion.person_id, "status": completion.status, **data},
    )


def _locked(completion: CourseCompletion) -> CourseCompletion:
    return (
        CourseCompletion.objects.select_for_update(of=("self",))
        .select_related("person__user", "course")
        .get(pk=completion.pk)
    )


@transaction.atomic
def completion_record(
    *, person: Person, course: CoursePage, completed_on: date, evidence: str, actor, today: date | None = None
) -> CourseCompletion:
    """The learner records that they completed the self-paced `course` on `completed_on`. Their line manager is
    asked to confirm it (a learner without a line manager is told to ask the training team)."""
    if actor is not None and actor != person.user:
        raise NotAllowed("You can only record your own course completions.")
    today = today or timezone.localdate()
    if not course.is_self_paced:
        raise CompletionError("Only a self-paced course is recorded this way: book a session of this course instead.")
    if completed_on > today:
        raise CompletionError("The date you completed the course must be today or in the past.")
    if not evidence.strip():
        raise CompletionError("Say what shows you completed it: a certificate number, a link, or what you learned.")
    if person.line_manager_id is None:
        raise CompletionError(
            "You have no line manager in Capability to confirm it: ask your training team to add them first."
        )
    completion = CourseCompletion(person=person, course=course, completed_on=completed_on, evidence=evidence.strip())
    try:
        with transaction.atomic():
            completion.save()
    except IntegrityError:
        raise CompletionError("You have already recorded this course: your line manager has it to confirm.")
    _audit(completion, "completion_record", actor)
    notify(
        "completion_to_confirm",
        recipient=person.line_manager,
        event=f"completion:{completion.pk}",
        completion_id=completion.pk,
    )
    return completion


@transaction.atomic
def completion_withdraw(*, completion: CourseCompletion, actor) -> CourseCompletion:
    """The learner withdraws their claim before it is decided."""
    completion = _locked(completion)
    if actor is not None and actor != completion.person.user:
        raise NotAllowed("You can only withdraw your own course completions.")
    if completion.status != CompletionStatus.CLAIMED:
        raise CompletionError(
            f"This record has already been dealt with: it is {completion.get_status_display().lower()}."
        )
    completion.status = CompletionStatus.WITHDRAWN
    completion.save(update_fields=["status"])
    _audit(completion, "completion_withdraw", actor)
    return completion


def _decide(completion: CourseCompletion, actor, now) -> CourseCompletion:
    completion = _locked(completion)
    if actor is not None and not approver_may_decide(approver=actor, person=completion.person):
        raise NotAllowed("Only the person's line manager can confirm their course completions.")
    if completion.status != CompletionStatus.CLAIMED:
        raise CompletionError(
            f"This record has already been dealt with: it is {completion.get_status_display().lower()}."
        )
    completion.decided_by = actor
    completion.decided_at = now or timezone.now()
    return completion


@transaction.atomic
def completion_confirm(*, completion: CourseCompletion, actor, url: str = "", now=None) -> CourseCompletion:
    """The line manager confirms the completion: it becomes course evidence in the skills ledger for each of the
    course's outcomes, and, where the course leads to a certificate, the certificate (issue 12: a course completed,
    by a session or self-paced, earns it; the learner's own record of it earns nothing until it is confirmed)."""
    completion = _decide(completion, actor, now)
    completion.status = CompletionStatus.CONFIRMED
    completion.save(update_fields=["status", "decided_by", "decided_at"])
    course = completion.course
    try:
        course_evidence_record(
            person=completion.person,
            outcomes=[
                Outcome(framework_id=outcome.framework_id, skill_code=outcome.skill_code, rank=outcome.to_rank)
                for outcome in course.outcomes.all()
            ],
            reference=f"courses.completion:{completion.pk}",
            title=course.title,
            url=url,
            award=course.award,
            achieved_on=completion.completed_on,
            author=actor,
            evidence=completion.evidence,
            certificate_requested=course.leads_to_certificate,
            certificate_validity_months=course.certificate_validity_months,
        )
    except InvalidAssessment as error:
        raise CompletionError(str(error)) from error
    _audit(completion, "completion_confirm", actor)
    evaluation_request(completion=completion)
    notify(
        "completion_decided",
        recipient=completion.person,
        event=f"completion:{completion.pk}:decided",
        completion_id=completion.pk,
    )
    return completion


@transaction.atomic
def completion_reject(*, completion: CourseCompletion, actor, reason: str, now=None) -> CourseCompletion:
    """The line manager does not confirm the completion, saying why; the learner is told the reason."""
    if not reason.strip():
        raise CompletionError("Say why you are not confirming it: the learner will see your reason.")
    completion = _decide(completion, actor, now)
    completion.status = CompletionStatus.REJECTED
    completion.decision_reason = reason.strip()
    completion.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _audit(completion, "completion_reject", actor)
    notify(
        "completion_decided",
        recipient=completion.person,
        event=f"completion:{completion.pk}:decided",
        completion_id=completion.pk,
    )
    return completion
