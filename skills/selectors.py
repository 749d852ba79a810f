"""Every non-trivial read of the skills app, with its access rule."""

from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Q, QuerySet, RowRange, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone

from frameworks.models import Requirement
from skills.enums import ReviewerKind, ReviewStatus
from skills.models import (
    Assessment,
    CurrentLevel,
    HRResponsibility,
    Notification,
    OrganisationUnit,
    Person,
    ReleaseCarryForward,
    Review,
    SelfAssessmentDraft,
)
from skills.notification_kinds import notification_kind_label

MAX_CHAIN_DEPTH = 20


def person_for_user(*, user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.select_related("user", "org_unit", "grade", "line_manager__user").filter(user=user).first()


# Everyone below a manager (and everyone above a person), in one recursive query (SQLite and PostgreSQL both have
# WITH RECURSIVE, which the ORM cannot write): the pages of a reporting line of hundreds keep the same number of
# queries however deep it is.
# The depth bound keeps a loop (which the services refuse) from recursing forever. docs/decisions/0203.
REPORTING_LINE_SQL = """
    WITH RECURSIVE line (id, depth) AS (
        SELECT id, 1 FROM skills_person WHERE line_manager_id = %s
        UNION ALL
        SELECT person.id, line.depth + 1 FROM skills_person person JOIN line ON person.line_manager_id = line.id
        WHERE line.depth < %s
    )
    SELECT id FROM line WHERE id <> %s
"""


def reporting_line(*, manager_id: int) -> QuerySet[Person]:
    """The people who report to the manager, directly or through others, as a queryset to filter or to use as a
    subquery (`pk__in=reporting_line(...)`): one query, whatever the line's depth or size."""
    # Parameters only: nothing from outside is ever formatted into the SQL.
    line = RawSQL(REPORTING_LINE_SQL, [int(manager_id), MAX_CHAIN_DEPTH, int(manager_id)])  # noqa: S611
    return Person.objects.filter(pk__in=line)


MANAGEMENT_CHAIN_SQL = """
    WITH RECURSIVE chain (id, depth) AS (
        SELECT line_manager_id, 1 FROM skills_person WHERE id = %s AND line_manager_id IS NOT NULL
        UNION ALL
        SELECT person.line_manager_id, chain.depth + 1 FROM skills_person person JOIN chain ON person.id = chain.id
        WHERE person.line_manager_id IS NOT NULL AND chain.depth < %s
    )
    SELECT id FROM chain WHERE id <> %s
"""


def management_chain(*, person_id: int) -> QuerySet[Person]:
    """The person's line manager, their manager and so on up, as a queryset to use as a subquery: one query,
    whatever the chain's length."""
    chain = RawSQL(MANAGEMENT_CHAIN_SQL, [int(person_id), MAX_CHAIN_DEPTH, int(person_id)])  # noqa: S611
    return Person.objects.filter(pk__in=chain)


def reporting_line_ids(*, manager: Person) -> set[int]:
    """The ids of the people who report to `manager`, directly or through others: one query."""
    return set(reporting_line(manager_id=manager.pk).values_list("pk", flat=True))


def management_chain_ids(*, person: Person) -> set[int]:
    """The person's line manager, their manager, and so on up: one query per level."""
    found: set[int] = set()
    manager_id = person.line_manager_id
    for _ in range(MAX_CHAIN_DEPTH):
        if manager_id is None or manager_id in found or manager_id == person.pk:
            break
        found.add(manager_id)
        manager_id = Person.objects.filter(pk=manager_id).values_list("line_manager_id", flat=True).first()
    return found


def person_visible_to(*, viewer: Person | None, person: Person) -> bool:
    """A person's assessments are visible to themselves and to their whole line-management chain above."""
    if viewer is None:
        return False
    if viewer.pk == person.pk:
        return True
    manager_id = person.line_manager_id
    for _ in range(MAX_CHAIN_DEPTH):
        if manager_id is None:
            return False
        if manager_id == viewer.pk:
            return True
        manager_id = Person.objects.filter(pk=manager_id).values_list("line_manager_id", flat=True).first()
    return False


def reviews_for_line_manager(*, manager: Person) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            claim__person__line_manager=manager, reviewer_kind=ReviewerKind.LINE_MANAGER, status=ReviewStatus.OPEN
        )
        .select_related("claim__person__user", "claim__skill", "claim__level", "claim__release__framework")
        .order_by("created_at", "id")
    )


def reviews_for_assessor(*, assessor: Person) -> QuerySet[Review]:
    """Open assessor reviews in the frameworks the assessor is accredited for, never their own claims nor
    those of anyone in their line (an assessor is independent): neither people who report to them nor the
    managers above them."""
    return (
        Review.objects.filter(
            reviewer_kind=ReviewerKind.ASSESSOR,
            status=ReviewStatus.OPEN,
            claim__release__framework__in=assessor.accredited_frameworks.all(),
        )
        .exclude(claim__person=assessor)
        .exclude(claim__person_id__in=reporting_line(manager_id=assessor.pk).values("pk"))
        .exclude(claim__person_id__in=management_chain(person_id=assessor.pk).values("pk"))
        .select_related("claim__person__user", "claim__skill", "claim__level", "claim__release__framework")
        .order_by("created_at", "id")
    )


def review_visible_to(*, viewer: Person | None, review: Review) -> bool:
    if viewer is None or viewer.pk == review.claim.person_id:
        return False
    if review.reviewer_kind == ReviewerKind.LINE_MANAGER:
        return review.claim.person.line_manager_id == viewer.pk
    return (
        viewer.accredited_frameworks.filter(pk=review.claim.release.framework_id).exists()
        and not person_visible_to(viewer=viewer, person=review.claim.person)
        and review.claim.person_id not in management_chain_ids(person=viewer)
    )


def skill_history(*, person: Person, skill_code: str) -> QuerySet[Assessment]:
    """Every ledger row of a person for a skill, across releases, newest first, with who made it."""
    return (
        Assessment.objects.filter(person=person, skill__code=skill_code)
        .select_related("author", "level", "release__framework", "skill", "responds_to__level")
        .order_by("-created_at", "-id")
    )


def current_levels_for(*, person: Person) -> dict[int, CurrentLevel]:
    """The person's current levels keyed by skill id."""
    return {
        current.skill_id: current
        for current in CurrentLevel.objects.filter(person=person).select_related("claimed_level", "validated_level")
    }


def current_level_for_code(*, person: Person, skill_code: str) -> CurrentLevel | None:
    """The person's current level for a skill code in the release they work in now (not a superseded one)."""
    release = person_release(person=person)
    if release is None:
        return None
    return (
        CurrentLevel.objects.filter(person=person, skill_code=skill_code, release=release)
        .select_related("claim", "claimed_level", "validated_level")
        .first()
    )


def role_levels_to_choose(*, release) -> QuerySet:
    """Every role level of `release`, by family, role and seniority, for a learner to choose from."""
    from frameworks.models import RoleLevel

    return (
        RoleLevel.objects.filter(release=release)
        .select_related("role__family")
        .order_by("role__family__name", "role__name", "seniority")
    )


def roles_with_levels(*, release) -> QuerySet:
    """The roles of `release` that have levels to choose, by family and name, family loaded."""
    from frameworks.models import Role

    return (
        Role.objects.filter(release=release, levels__isnull=False)
        .distinct()
        .select_related("family")
        .order_by("family__name", "name")
    )


def role_level_requirements(*, role_level) -> QuerySet[Requirement]:
    return Requirement.objects.filter(role_level=role_level).select_related("skill", "level").order_by("skill__name")


def team_people(*, manager: Person) -> QuerySet[Person]:
    """Everyone in the manager's reporting line, by name: the only people the team pages may show them."""
    return reporting_line(manager_id=manager.pk).order_by("user__last_name", "user__first_name", "pk")


@dataclass(frozen=True)
class GapRow:
    requirement: Requirement
    current: CurrentLevel | None

    @property
    def required_rank(self) -> int:
        return self.requirement.level.rank if self.requirement.level else 0

    @property
    def validated_rank(self) -> int:
        return self.current.validated_rank if self.current else 0

    @property
    def claimed_rank(self) -> int:
        return self.current.claimed_rank if self.current else 0

    @property
    def gap(self) -> int:
        """Steps between the validated level and the required level; 0 when met."""
        return max(0, self.required_rank - self.validated_rank)

    @property
    def claimed_gap(self) -> int:
        return max(0, self.required_rank - self.claimed_rank)

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class GapAnalysis:
    role_level: object
    rows: list[GapRow]

    @property
    def met_count(self) -> int:
        return sum(row.met for row in self.rows)

    @property
    def readiness(self) -> int:
        """Share of requirements met by validated levels, as a whole percentage."""
        return round(100 * self.met_count / len(self.rows)) if self.rows else 100

    @property
    def claimed_readiness(self) -> int:
        return round(100 * sum(row.claimed_gap == 0 for row in self.rows) / len(self.rows)) if self.rows else 100


def gap_analysis(*, person: Person, role_level) -> GapAnalysis | None:
    """Each requirement of `role_level` against the person's validated and claimed levels. Two queries."""
    if role_level is None:
        return None
    requirements = list(role_level_requirements(role_level=role_level))
    by_code: dict[str, CurrentLevel] = {}
    for current in CurrentLevel.objects.filter(
        person=person,
        release__framework_id=role_level.release.framework_id,
        skill_code__in=[requirement.skill.code for requirement in requirements],
    ).select_related("claimed_level", "validated_level"):
        # A level in the role level's own release wins over one in another release of the same skill.
        if current.skill_code not in by_code or current.release_id == role_level.release_id:
            by_code[current.skill_code] = current
    return GapAnalysis(
        role_level=role_level,
        rows=[
            GapRow(requirement=requirement, current=by_code.get(requirement.skill.code)) for requirement in requirements
        ],
    )


@dataclass(frozen=True)
class ItemStatus:
    key: str  # not_started, in_progress, more_evidence, sent, check_again, validated, claimed
    text: str
    colour: str  # a GOV.UK tag modifier


@dataclass(frozen=True)
class SelfAssessmentItem:
    skill: object
    required: list  # (label, Level) pairs: what the person's current/target role levels require
    draft: SelfAssessmentDraft | None
    current: CurrentLevel | None
    open_review: Review | None
    stale: bool = False
    evidence_request: Review | None = None  # the reviewer's request for more evidence on the current claim

    @property
    def status(self) -> ItemStatus:
        """Where this skill stands for the person, in the words the task list shows."""
        current = self.current
        if self.draft and self.evidence_request:
            return ItemStatus("more_evidence", "More evidence needed", "red")
        if self.draft and self.open_review:
            return ItemStatus("in_progress", f"Changed since you sent it to {self.reviewer_name}", "light-blue")
        if self.draft:
            return ItemStatus("in_progress", "In progress", "light-blue")
        if self.open_review:
            return ItemStatus("sent", f"Sent to {self.reviewer_name}", "blue")
        if current and current.needs_revalidation:
            return ItemStatus("check_again", "Check again: the framework changed", "orange")
        if current and current.validation_id:
            level = current.validated_level.name if current.validated_level else "no level yet"
            return ItemStatus("validated", f"Validated at {level}", "green")
        if current and current.claim_id:
            level = current.claimed_level.name if current.claimed_level else "no level yet"
            return ItemStatus("claimed", f"Claimed {level}, not validated", "grey")
        return ItemStatus("not_started", "Not started", "grey")

    @property
    def reviewer_name(self) -> str:
        reviewer = self.open_review.reviewer if self.open_review else None
        return reviewer.user.get_full_name() if reviewer else "an accredited assessor"

    @property
    def claim_differs(self) -> bool:
        """The person claimed another level than the one validated: shown beside it, never hidden."""
        return bool(self.current and self.current.sources_disagree)


def self_assessment_items(*, person: Person, release) -> list[SelfAssessmentItem]:
    """The skills a person should self-assess in `release`: those their current and target role levels
    require, plus any they added (drafts) or already claimed. A constant number of queries."""
    from frameworks.models import Skill

    required: dict[int, list] = {}
    for label, role_level in (("Current role", person.current_role_level), ("Target role", person.target_role_level)):
        if role_level is None or role_level.release_id != release.pk:
            continue
        for requirement in Requirement.objects.filter(role_level=role_level).select_related("level"):
            required.setdefault(requirement.skill_id, []).append((label, requirement.level))
    drafts = {
        draft.skill_id: draft
        for draft in SelfAssessmentDraft.objects.filter(person=person, skill__release=release).select_related("level")
    }
    currents = {
        current.skill_id: current
        for current in CurrentLevel.objects.filter(person=person, release=release).select_related(
            "claimed_level", "validated_level", "claim", "validation"
        )
    }
    reviews = {
        review.claim.skill_id: review
        for review in Review.objects.filter(
            claim__person=person, claim__release=release, status=ReviewStatus.OPEN
        ).select_related("claim__level", "reviewer__user")
    }
    # A request for more evidence was made on the current claim, or on the claim it was carried over from when
    # a new framework release was published since: the request still stands.
    skill_of_claim = {}
    for current in currents.values():
        if current.claim_id:
            skill_of_claim[current.claim_id] = current.skill_id
            if current.claim.carried_from_id:
                skill_of_claim[current.claim.carried_from_id] = current.skill_id
    requests = {
        skill_of_claim[review.claim_id]: review
        for review in Review.objects.filter(claim_id__in=skill_of_claim, status=ReviewStatus.MORE_EVIDENCE)
        .select_related("claim", "resolved_by")
        .order_by("resolved_at", "id")
    }
    skill_ids = set(required) | set(drafts) | set(currents)
    skills = Skill.objects.filter(pk__in=skill_ids).order_by("name")
    stale_before = timezone.now() - relativedelta(months=release.framework.reassessment_period_months)
    return [
        SelfAssessmentItem(
            skill=skill,
            required=required.get(skill.pk, []),
            draft=drafts.get(skill.pk),
            current=currents.get(skill.pk),
            open_review=reviews.get(skill.pk),
            stale=skill.pk in currents and currents[skill.pk].last_assessed_at < stale_before,
            evidence_request=requests.get(skill.pk),
        )
        for skill in skills
    ]


def person_release(*, person: Person):
    """The framework release a person works in: that of their target (or current) role level, else the
    current release of the default framework (slug `ddat`); while a newly published release is still being
    carried forward, its previous release (see `release_for_people`). The same queries as reading the
    framework's current release."""
    from frameworks.models import Framework, FrameworkRelease

    for role_level in (person.target_role_level, person.current_role_level):
        if role_level is not None:
            framework = role_level.release.framework
            if framework.current_release_id is None:
                return role_level.release
            return release_for_people(
                FrameworkRelease.objects.select_related("carry_forward", "previous_release").get(
                    pk=framework.current_release_id
                )
            )
    framework = (
        Framework.objects.select_related(
            "current_release", "current_release__carry_forward", "current_release__previous_release"
        )
        .filter(slug=settings.CAPABILITY_DEFAULT_FRAMEWORK)
        .first()
    )
    return release_for_people(framework.current_release) if framework and framework.current_release else None


def release_for_people(release):
    """The release people work in when `release` is their framework's current one: `release` itself, or, until
    its carry-forward has finished, the release it carries levels from (docs/decisions/0205). Reads
    `release.carry_forward` and `release.previous_release`: select them with it."""
    try:
        run = release.carry_forward
    except ReleaseCarryForward.DoesNotExist:
        return release
    if run.is_finished or release.previous_release is None:
        return release
    return release.previous_release


@dataclass(frozen=True)
class TeamCell:
    """One cell of the team matrix, worked out once here so that the template only prints it: the level the
    person's role level requires (empty when it does not require the skill), the validated level, and the CSS
    modifier that colours the cell."""

    skill_name: str
    required: str = ""  # the required level's name; empty: not required
    validated: str = ""  # the validated level's name; empty: nothing validated
    gap: int = 0  # steps below the required level
    css_class: str = ""


@dataclass(frozen=True)
class TeamRow:
    person_id: int
    name: str
    role_level: str
    cells: list[TeamCell]
    gaps: list[TeamCell]
    required_count: int
    readiness: int | None  # share of required skills met, as a whole percentage; None when nothing is required


@dataclass(frozen=True)
class TeamMatrix:
    page: Page  # the page of people shown, for the pagination component and the counts
    skills: list  # (skill code, skill name), A to Z
    rows: list[TeamRow]


TEAM_PAGE_SIZE = 50
CELL_GAP = " capability-matrix__cell--gap"
CELL_MET = " capability-matrix__cell--met"


def team_matrix(*, people: QuerySet[Person], page_number=None, skill_code: str | None = None) -> TeamMatrix:
    """One page of the team (`people`, already filtered and ordered) against their current role levels: a row
    per person, a column per skill any of their role levels requires (only `skill_code`'s, when given).

    Loads only what the page shows: the page's people (name and role level), the requirements of their role
    levels and their validated levels in those skills, as plain values. Three queries and the count, whatever
    the team's size. A page number out of range shows the last page, as elsewhere on the site."""
    fields = (
        "pk",
        "user__first_name",
        "user__last_name",
        "current_role_level_id",
        "current_role_level__name",
        "current_role_level__release_id",
    )
    page = Paginator(people.values_list(*fields), TEAM_PAGE_SIZE).get_page(page_number)
    members = list(page.object_list)
    role_level_ids = {member[3] for member in members if member[3]}
    required: dict[int, dict[str, tuple[str, int]]] = {}
    names: dict[str, str] = {}
    requirements = Requirement.objects.filter(role_level_id__in=role_level_ids)
    if skill_code:
        requirements = requirements.filter(skill__code=skill_code)
    for role_level_id, code, name, level_name, rank in requirements.values_list(
        "role_level_id", "skill__code", "skill__name", "level__name", "level__rank"
    ):
        required.setdefault(role_level_id, {})[code] = (level_name, rank)
        names[code] = name
    columns = sorted(names.items(), key=lambda item: (item[1].lower(), item[0]))

    # The validated level in each column's skill, in the role level's own release only: while a new release is
    # carried forward, people have levels in both.
    validated: dict[tuple[int, str], tuple[int, str]] = {}
    if names:
        release_of = {member[0]: member[5] for member in members}
        for person_id, code, release_id, rank, level_name in CurrentLevel.objects.filter(
            person_id__in=list(release_of),
            skill_code__in=list(names),
            release_id__in={release_id for release_id in release_of.values() if release_id},
        ).values_list("person_id", "skill_code", "release_id", "validated_rank", "validated_level__name"):
            if release_id == release_of[person_id]:
                validated[(person_id, code)] = (rank, level_name or "")

    not_required = {code: TeamCell(name) for code, name in columns}
    rows = []
    for person_id, first_name, last_name, role_level_id, role_level_name, _ in members:
        needs = required.get(role_level_id, {})
        cells = []
        for code, name in columns:
            if code not in needs:
                cells.append(not_required[code])
                continue
            level_name, rank = needs[code]
            validated_rank, validated_name = validated.get((person_id, code), (0, ""))
            gap = max(0, rank - validated_rank)
            cells.append(TeamCell(name, level_name, validated_name, gap, CELL_GAP if gap else CELL_MET))
        required_cells = [cell for cell in cells if cell.required]
        rows.append(
            TeamRow(
                person_id=person_id,
                name=f"{first_name} {last_name}".strip(),
                role_level=(role_level_name or "").strip(),
                cells=cells,
                gaps=[cell for cell in required_cells if cell.gap],
                required_count=len(required_cells),
                readiness=round(100 * sum(not cell.gap for cell in required_cells) / len(required_cells))
                if required_cells
                else None,
            )
        )
    return TeamMatrix(page=page, skills=columns, rows=rows)


RECENT_NOTIFICATIONS = 50


def notifications_recent(*, user) -> list:
    """The account's most recent messages, newest first, each with a `label` to show while it is not sent yet.
    One query whatever the number."""
    notifications = list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:RECENT_NOTIFICATIONS])
    for notification in notifications:
        notification.label = notification.subject or notification_kind_label(notification.kind)
    return notifications


@dataclass(frozen=True)
class NextActions:
    """What a person has to do next in their skills, as counts (the dashboard and the skills overview)."""

    has_role_levels: bool
    in_progress: int  # answers not sent yet
    evidence_requested: int  # claims sent back for more evidence, not answered yet
    waiting: int  # claims sent and waiting for a decision
    check_again: int  # levels the framework's new text asks to be validated again
    stale: int  # levels older than the framework's reassessment period
    to_review: int  # claims waiting for this person's review (as line manager or assessor)
    has_team: bool

    @property
    def anything(self) -> bool:
        return bool(
            not self.has_role_levels
            or self.in_progress
            or self.evidence_requested
            or self.check_again
            or self.stale
            or self.to_review
        )


def person_next_actions(*, person: Person) -> NextActions:
    """Counts of what the person should do next, from the same statuses as their task list (so the dashboard and
    the task list never disagree). A constant number of queries, whatever the numbers."""
    release = person_release(person=person)
    items = self_assessment_items(person=person, release=release) if release else []
    counts = Counter(item.status.key for item in items)
    return NextActions(
        has_role_levels=bool(person.current_role_level_id or person.target_role_level_id),
        in_progress=counts["in_progress"],
        evidence_requested=counts["more_evidence"],
        waiting=sum(1 for item in items if item.open_review),
        check_again=counts["check_again"],
        stale=sum(1 for item in items if item.stale and not item.draft),
        to_review=reviews_for_line_manager(manager=person).count() + reviews_for_assessor(assessor=person).count(),
        has_team=person.direct_reports.exists(),
    )


# The roles the HR feed itself grants. An account with any other role, staff status or superuser status is
# privileged: the feed never links it to a person nor changes its e-mail address (docs/decisions/0201).
FEED_ROLES = frozenset({"Learner", "Line manager"})


def privileged_user_ids(*, user_ids) -> set[int]:
    """Which of these accounts are privileged: staff, superusers, or holders of any role but Learner and Line
    manager. One query."""
    privileged = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__in=Group.objects.exclude(name__in=FEED_ROLES))
    return set(
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .filter(privileged)
        .values_list("pk", flat=True)
        .distinct()
    )


# --- HR scope: the organisation units an HR analyst looks after -----------------------------------------------


def hr_unit_paths(*, user) -> list[str] | None:
    """The tree paths of the units `user` is responsible for as HR (each with everything below it), or None
    for no limit: the system (`user` None) and superusers. An HR analyst without units has an empty scope."""
    if user is None or user.is_superuser:
        return None
    return list(
        HRResponsibility.objects.filter(user=user).order_by("org_unit__path").values_list("org_unit__path", flat=True)
    )


def hr_unit_names(*, user) -> list[str] | None:
    """The full names ("Department/Directorate") of the units `user` is responsible for, or None for no limit;
    for checking units that do not exist yet, such as those an HR feed would create."""
    if user is None or user.is_superuser:
        return None
    return list(HRResponsibility.objects.filter(user=user).values_list("org_unit__full_name", flat=True))


def unit_name_in_scope(full_name: str, scope_names: list[str] | None) -> bool:
    """Whether the unit with this full name is one of `scope_names` or below one (None: no limit)."""
    if scope_names is None:
        return True
    return any(full_name == name or full_name.startswith(name + "/") for name in scope_names)


def _under(paths: list[str], field: str) -> Q:
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def org_units_for_hr(*, user) -> QuerySet[OrganisationUnit]:
    """The organisation units `user` may see and change in the People admin."""
    paths = hr_unit_paths(user=user)
    units = OrganisationUnit.objects.all()
    return units if paths is None else units.filter(_under(paths, "path"))


def people_for_hr(*, user) -> QuerySet[Person]:
    """The people `user` may see and change in the People admin: those in their units and below."""
    paths = hr_unit_paths(user=user)
    people = Person.objects.all()
    return people if paths is None else people.filter(_under(paths, "org_unit__path"))


def unit_in_hr_scope(*, user, unit: OrganisationUnit) -> bool:
    paths = hr_unit_paths(user=user)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def outbox_health(*, now=None) -> dict:
    """Figures for the health endpoint: messages waiting and how long the oldest has waited, messages being
    retried and those that can never be sent, and seconds since the periodic sweep (run by the beat
    scheduler) last ran (None: never, as with eager Celery). Three queries."""
    from django.db.models import Count, Min, Q

    from skills.enums import NotificationStatus
    from skills.models import TaskHeartbeat

    now = now or timezone.now()
    figures = Notification.objects.aggregate(
        pending=Count("id", filter=Q(status=NotificationStatus.PENDING)),
        retrying=Count("id", filter=Q(status=NotificationStatus.PENDING, attempts__gt=0)),
        failed=Count("id", filter=Q(status=NotificationStatus.FAILED)),
        oldest=Min("created_at", filter=Q(status=NotificationStatus.PENDING)),
    )
    oldest = figures.pop("oldest")
    last_sweep = TaskHeartbeat.objects.filter(name="notifications-sweep").values_list("last_run_at", flat=True).first()
    return {
        **figures,
        "oldest_pending_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "beat_last_ran_seconds_ago": round((now - last_sweep).total_seconds()) if last_sweep else None,
    }


@dataclass(frozen=True)
class ReviewRequirement:
    label: str  # "Current role" or "Working towards"
    role_level: object
    level: object  # the Level the role level requires, or None when it does not require the skill


@dataclass(frozen=True)
class EvidenceAnswer:
    """A claim that came back after a reviewer asked for more evidence: what was asked, and what changed."""

    request: Review  # the closed review, its `message` the reviewer's words
    previous: Assessment  # the claim the request was about

    def evidence_changed_from(self, claim: Assessment) -> bool:
        return self.previous.evidence.strip() != claim.evidence.strip()

    def level_changed_from(self, claim: Assessment) -> bool:
        return self.previous.level_id != claim.level_id


@dataclass(frozen=True)
class ReviewContext:
    """What a reviewer needs beside the claim: what the person's role levels require of the skill, every earlier
    judgement of it, every earlier request for evidence, and (when the claim answers one) what changed."""

    requirements: list[ReviewRequirement]
    history: list[Assessment]  # the ledger for this skill, newest first, without the claim under review
    requests: list[Review]  # earlier requests for more evidence, newest first
    answer: EvidenceAnswer | None
    evidence_changed: bool
    level_changed: bool

    @property
    def other_requests(self) -> list[Review]:
        """The earlier requests besides the one this claim answers (shown with it already)."""
        answered = self.answer.request.pk if self.answer else None
        return [request for request in self.requests if request.pk != answered]


def review_context(*, review: Review) -> ReviewContext:
    """The context of a claim under review. A constant number of queries (four)."""
    claim = review.claim
    person = claim.person
    role_levels = [
        (label, role_level)
        for label, role_level in (
            ("Current role", person.current_role_level),
            ("Working towards", person.target_role_level),
        )
        if role_level is not None
    ]
    required = {
        requirement.role_level_id: requirement.level
        for requirement in Requirement.objects.filter(
            role_level_id__in=[role_level.pk for _, role_level in role_levels], skill__code=claim.skill.code
        ).select_related("level")
    }
    history = [row for row in skill_history(person=person, skill_code=claim.skill.code) if row.pk != claim.pk]
    requests = list(evidence_requests(person=person, skill_code=claim.skill.code))
    earlier = [
        request for request in requests if request.claim.created_at <= claim.created_at and request.claim_id != claim.pk
    ]
    answer = EvidenceAnswer(request=earlier[0], previous=earlier[0].claim) if earlier else None
    return ReviewContext(
        requirements=[
            ReviewRequirement(label, role_level, required.get(role_level.pk)) for label, role_level in role_levels
        ],
        history=history,
        requests=requests,
        answer=answer,
        evidence_changed=bool(answer and answer.evidence_changed_from(claim)),
        level_changed=bool(answer and answer.level_changed_from(claim)),
    )


def evidence_requests(*, person: Person, skill_code: str) -> QuerySet[Review]:
    """Every request for more evidence of a person's skill (across releases), newest first, with who asked."""
    return (
        Review.objects.filter(claim__person=person, claim__skill__code=skill_code, status=ReviewStatus.MORE_EVIDENCE)
        .select_related("claim__level", "resolved_by")
        .order_by("-resolved_at", "-id")
    )


@dataclass(frozen=True)
class QueuedClaim:
    review_id: int
    skill_name: str
    level_name: str  # the level claimed; empty for "no level yet"
    sent_at: object


@dataclass(frozen=True)
class ReviewGroup:
    """A person's claims on one page of a queue. `total` counts all their claims waiting in the queue and
    `first` is the place of the first one shown among them, so a person whose claims run over a page break
    can be shown as such."""

    person_id: int
    name: str
    claims: list[QueuedClaim]
    total: int
    first: int

    @property
    def last(self) -> int:
        return self.first + len(self.claims) - 1

    @property
    def split(self) -> bool:
        return len(self.claims) < self.total


REVIEWS_PAGE_SIZE = 50


def review_queue_page(*, reviews: QuerySet[Review], page_number=None) -> tuple[Page, list[ReviewGroup]]:
    """One page (50 claims) of a queue from `reviews_for_line_manager` or `reviews_for_assessor`, grouped by
    person: the person waiting longest first, each person's claims in the order they were sent. The grouping,
    each person's count and each claim's place are window functions in the database, so a page loads only its
    own claims: three queries (the count, the page's claims, their names) whatever the queue's length. A page
    number out of range shows the last page, as elsewhere on the site."""
    # One window definition for all three figures, so the database sorts the queue once; the running minimum of
    # times in ascending order is the first one. The names, skills and levels are read for the page's claims
    # only, in a second query, rather than joined to every claim in the queue before sorting.
    window = {
        "partition_by": [F("claim__person_id")],
        "order_by": [F("created_at").asc(), F("id").asc()],
        "frame": RowRange(start=None, end=None),
    }
    queue = (
        reviews.annotate(
            waiting_since=Window(Min("created_at"), **window),
            person_total=Window(Count("id"), **window),
            place=Window(RowNumber(), partition_by=window["partition_by"], order_by=window["order_by"]),
        )
        .order_by("waiting_since", "claim__person_id", "created_at", "id")
        .values_list("pk", "person_total", "place")
    )
    page = Paginator(queue, REVIEWS_PAGE_SIZE).get_page(page_number)
    shown = {review_id: (total, place) for review_id, total, place in page}
    details = {
        row[0]: row
        for row in Review.objects.filter(pk__in=list(shown)).values_list(
            "pk",
            "created_at",
            "claim__person_id",
            "claim__person__user__first_name",
            "claim__person__user__last_name",
            "claim__skill__name",
            "claim__level__name",
        )
    }
    groups: list[ReviewGroup] = []
    for review_id, (total, place) in shown.items():
        _, sent_at, person_id, first_name, last_name, skill_name, level_name = details[review_id]
        if not groups or groups[-1].person_id != person_id:
            groups.append(ReviewGroup(person_id, f"{first_name} {last_name}".strip(), [], total, place))
        groups[-1].claims.append(QueuedClaim(review_id, skill_name, level_name or "", sent_at))
    return page, groups


def next_review_for(*, reviewer: Person, person_id: int) -> Review | None:
    """The reviewer's next waiting claim from the same person (as line manager first, then as assessor)."""
    return (
        reviews_for_line_manager(manager=reviewer).filter(claim__person_id=person_id).first()
        or reviews_for_assessor(assessor=reviewer).filter(claim__person_id=person_id).first()
    )


def assessor_request_open(*, claim) -> Review | None:
    """The open request for an accredited assessor to validate `claim`, if one was made."""
    if claim is None:
        return None
    return Review.objects.filter(claim=claim, reviewer_kind=ReviewerKind.ASSESSOR, status=ReviewStatus.OPEN).first()
