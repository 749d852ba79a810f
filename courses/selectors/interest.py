"""Interest registered in training that has no session to book: the person's own, and the demand that training
administrators see (personal data: only with `courses.view_courseinterest`)."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from courses.models import CourseInterest
from frameworks.models import Level, Skill
from skills.models import Person


def with_names(interests: QuerySet) -> QuerySet:
    """Each interest with `skill_name` and `level_name`: the skill and level in its framework's current release."""
    release = OuterRef("framework__current_release_id")
    return interests.annotate(
        skill_name=Subquery(Skill.objects.filter(release_id=release, code=OuterRef("skill_code")).values("name")[:1]),
        level_name=Subquery(Level.objects.filter(release_id=release, rank=OuterRef("level_rank")).values("name")[:1]),
    )


def interests_of(*, person: Person) -> QuerySet[CourseInterest]:
    """The person's registered interest, newest first, with the course and framework loaded."""
    return with_names(CourseInterest.objects.filter(person=person).select_related("course"))


def demand_by_course() -> QuerySet:
    """For each course with registered interest: its id, title and how many people, most wanted first."""
    return (
        CourseInterest.objects.filter(course__isnull=False)
        .values("course_id", "course__title")
        .annotate(people=Count("id"))
        .order_by("-people", "course__title")
    )


def demand_by_skill() -> QuerySet:
    """For each framework, skill and level with registered interest (no course named): how many people."""
    return (
        with_names(CourseInterest.objects.filter(course__isnull=True))
        .values("framework_id", "framework__name", "skill_code", "skill_name", "level_rank", "level_name")
        .annotate(people=Count("id"))
        .order_by("-people", "skill_code", "level_rank")
    )


def demand_people(*, course_id: int | None = None, framework_id: int | None = None, skill_code: str = ""):
    """Who registered interest in one course, or in one skill (at any level): name, e-mail, grade and when."""
    interests = CourseInterest.objects.select_related("person__user", "person__grade").order_by("created_at", "pk")
    if course_id is not None:
        return interests.filter(course_id=course_id)
    return interests.filter(course__isnull=True, framework_id=framework_id, skill_code=skill_code)
