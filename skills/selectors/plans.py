"""Development plans as the pages show them: a person's plan with its actions and comments, and a manager's
overview of their reporting line's plans with what is overdue."""

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from frameworks.models import Level, Skill
from skills.models import DevelopmentPlan, Person, PlanAction, PlanComment
from skills.selectors.people import person_release, team_people

TEAM_PLANS_PAGE_SIZE = 50
OPEN = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS)


def plan_of(*, person: Person) -> DevelopmentPlan | None:
    """The person's plan with who agreed it, or None when they have none yet. One query."""
    return DevelopmentPlan.objects.select_related("agreed_by").filter(person=person).first()


def plan_actions(*, plan: DevelopmentPlan, person: Person) -> QuerySet[PlanAction]:
    """The plan's actions, open ones first by target date, each with `skill_name` and `target_level_name` (in
    the release the person works in: the names of the day, whatever release the action was planned in) and
    `is_overdue`. One query (none more for the release of a person read by `person_for_user`)."""
    release = person_release(person=person)
    release_id = release.pk if release else None
    today = timezone.localdate()
    return (
        plan.actions.annotate(
            skill_name=Subquery(
                Skill.objects.filter(release_id=release_id, code=OuterRef("skill_code")).values("name")[:1]
            ),
            target_level_name=Subquery(
                Level.objects.filter(release_id=release_id, rank=OuterRef("target_rank")).values("name")[:1]
            ),
            still_open=ExpressionWrapper(Q(status__in=OPEN), output_field=BooleanField()),
            is_overdue=Case(
                When(Q(status__in=OPEN, target_date__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .select_related("evidence__level", "evidence__skill")
        .order_by("-still_open", F("target_date").asc(nulls_last=True), "pk")
    )


_ACTIONS_WAITING_SQL = (
    "SELECT DISTINCT {action}.url FROM {action} INNER JOIN {plan} ON {action}.plan_id = {plan}.id "
    "WHERE {plan}.person_id = %s AND {action}.url <> '' AND {action}.reference = '' AND {action}.status IN (%s, %s)"
)


def plan_action_urls_waiting(*, person: Person) -> set[str]:
    """The URLs of the training (course pages) the person has open plan actions for that no booking or completion
    has taken up yet: what `plan_actions_sync` moves on for a booking just made. Usually none, so that the caller
    need not even work out its course page's URL. One statement, written out: the booking engine asks it of every
    booking, hundreds in the same second, and the ORM took eight times longer to build it than PostgreSQL to run it
    (docs/decisions/0024)."""
    sql = _ACTIONS_WAITING_SQL.format(action=PlanAction._meta.db_table, plan=DevelopmentPlan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person.pk, *(status.value for status in OPEN)])
        return {url for (url,) in cursor.fetchall()}


def plan_comments(*, plan: DevelopmentPlan) -> QuerySet[PlanComment]:
    return plan.comments.select_related("author")


def team_plans(*, manager: Person, page_number=None) -> Page:
    """The manager's reporting line, 50 a page, each person with their plan's state: `plan_id`,
    `plan_agreed_at`, `plan_changed_at`, and counts of `open_actions`, `overdue_actions` and `done_actions`.
    People with overdue actions come first. Two queries (the count and the page), whatever the team's size."""
    today = timezone.localdate()
    actions = "development_plan__actions"
    people = (
        team_people(manager=manager)
        .select_related("user")
        .annotate(
            plan_id=F("development_plan__id"),
            plan_agreed_at=F("development_plan__agreed_at"),
            plan_changed_at=F("development_plan__changed_at"),
            open_actions=Count(actions, filter=Q(**{f"{actions}__status__in": OPEN})),
            overdue_actions=Count(
                actions, filter=Q(**{f"{actions}__status__in": OPEN, f"{actions}__target_date__lt": today})
            ),
            done_actions=Count(actions, filter=Q(**{f"{actions}__status": PlanAction.Status.DONE})),
        )
        .order_by("-overdue_actions", "user__last_name", "user__first_name", "pk")
    )
    return Paginator(people, TEAM_PLANS_PAGE_SIZE).get_page(page_number)
