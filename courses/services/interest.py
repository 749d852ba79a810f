"""Registering interest in training that has no session to book, and withdrawing it.

Interest is the person's own: only they (or the system, `actor=None`) register or withdraw it. Registering
twice changes nothing (a constraint keeps one row per person and course, and per person and skill); registering
a skill again at another level records the level now needed. Withdrawing deletes the row: it is the person's
wish, personal data with no history anyone needs, and keeping it would count demand that no longer exists.
"""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from courses.errors import CoursesError, NotAllowed
from courses.models import CourseInterest, CoursePage
from frameworks.models import Framework
from skills.models import Person


class InterestError(CoursesError):
    """The interest cannot be registered as asked; the message says why."""


def _check_actor(person: Person, actor) -> None:
    if actor is not None and actor.pk != person.user_id:
        raise NotAllowed("Only the person themselves can register or withdraw their interest in training.")


def _audit(interest: CourseInterest, action: str, actor) -> None:
    log(
        instance=interest,
        action=f"capability.courses.{action}",
        user=actor,
        data={"person": interest.person_id, "course": interest.course_id, "skill_code": interest.skill_code},
    )


@transaction.atomic
def interest_register(
    *,
    person: Person,
    actor,
    course: CoursePage | None = None,
    framework: Framework | None = None,
    skill_code: str = "",
    level_rank: int | None = None,
) -> tuple[CourseInterest, bool]:
    """Record that the person wants `course`, or the skill `skill_code` of `framework` at `level_rank`.
    Returns the interest and whether it is new."""
    _check_actor(person, actor)
    if (course is None) == (not skill_code or framework is None):
        raise InterestError("Choose either a course or a skill to register your interest in.")
    if course is not None:
        lookup, defaults = {"person": person, "course": course}, {}
    else:
        lookup = {"person": person, "course": None, "framework": framework, "skill_code": skill_code}
        defaults = {"level_rank": level_rank}
    interest = CourseInterest.objects.select_for_update().filter(**lookup).first()
    if interest is not None:
        if course is None and interest.level_rank != level_rank:
            interest.level_rank = level_rank
            interest.save(update_fields=["level_rank"])
        return interest, False
    try:
        with transaction.atomic():
            interest = CourseInterest.objects.create(**lookup, **defaults)
    except IntegrityError:  # a second click won the race: theirs is the same wish
        return CourseInterest.objects.get(**lookup), False
    _audit(interest, "interest_register", actor)
    return interest, True


@transaction.atomic
def interest_withdraw(*, interest: CourseInterest, actor) -> None:
    """The person no longer wants this training: the interest goes, and with it from the demand figures."""
    _check_actor(interest.person, actor)
    _audit(interest, "interest_withdraw", actor)
    interest.delete()
