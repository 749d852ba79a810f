"""People and who may see them: the signed-in person, reporting lines and management chains (one recursive
query each), the release a person works in, and the access rules the pages and services share."""

import functools

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from frameworks.models import Framework, FrameworkRelease, RoleLevel
from frameworks.prepared import PreparedRead
from skills.models import (
    Delegation,
    Person,
    ReleaseCarryForward,
)

MAX_CHAIN_DEPTH = 20


# What every signed-in skills page reads of the person, in the same query: their role levels with the release
# and framework each belongs to, which `person_release` and the pages need (docs/decisions/0207). The account and
# the frameworks of the current and previous releases are not joined again: `person_for_user` attaches the ones
# it already has (docs/decisions/0023: each join is planning time on every signed-in request).
PERSON_ESSENTIALS = ("org_unit", "grade", "line_manager__user")


# The role levels' releases with their frameworks' current and previous releases (`person_release`).
ROLE_LEVEL_RELEASES = tuple(
    f"{role_level}__release__framework__current_release__{related}"
    for role_level in ("current_role_level", "target_role_level")
    for related in ("carry_forward", "previous_release")
)


PERSON_RELATED = (*PERSON_ESSENTIALS, *ROLE_LEVEL_RELEASES)

# The long texts of the role levels, releases and frameworks a person read joins, which no page shows of the
# person's own (the framework's pages read them afresh). PostgreSQL writing them out, and psycopg and the ORM
# reading them back, were two thirds of the read's time on the demo (decision 0226); they are left unread, and a
# page that did use one would pay a query for it, which its pinned query count would show.
LONG_TEXTS = {
    RoleLevel: ("description", "description_blocks"),
    FrameworkRelease: ("notes", "source_files"),
    Framework: ("description", "licence", "licence_url"),
}


def long_texts_of(model, related) -> list[str]:
    """The `defer()` paths of `LONG_TEXTS` for a queryset of `model` joining `related` (`select_related` paths)."""
    deferred = set()
    for path in related:
        joined, names = model, []
        for name in path.split("__"):
            joined = joined._meta.get_field(name).related_model
            names.append(name)
            deferred.update("__".join((*names, field)) for field in LONG_TEXTS.get(joined, ()))
    return sorted(deferred)


def person_for_user(*, user) -> Person | None:
    """The signed-in account's person, with their manager and role levels (release and framework) loaded, and
    whether anyone reports to them (`has_direct_reports`) and whether they are accredited to assess any framework
    (`is_accredited`), which decide what the dashboard and the reviews page show: one query. None for an
    anonymous visitor or an account without a skills profile."""
    return person_read(user=user, related=PERSON_RELATED, flags=True)


def person_read(*, user, related, flags: bool = False) -> Person | None:
    """The signed-in account's person with `related` joined (each join is planning and building time on every
    request: a page asks for what it shows), and with `flags` whether anyone reports to them
    (`has_direct_reports`) and whether they are accredited (`is_accredited`). One query; None for an anonymous
    visitor or an account without a skills profile. Where the role levels' frameworks are joined, their current
    and previous releases are given the framework already loaded rather than joining it again."""
    if not user.is_authenticated:
        return None
    person = _person_read_prepared(tuple(related), flags).first(user_id=user.pk)
    if person is None:
        return None
    person.user = user
    if any(name in related for name in ROLE_LEVEL_RELEASES):
        for role_level in (person.current_role_level, person.target_role_level):
            if role_level is not None:
                _frameworks_attach(role_level.release.framework)
    return person


@functools.cache
def _person_read_prepared(related: tuple[str, ...], flags: bool) -> PreparedRead:
    """The read of `person_read` for one set of joins, compiled once per process (decision 0025): building and
    compiling its joins cost the ORM five times what running it does, on every signed-in request."""

    def build(*, user_id):
        people = Person.objects.select_related(*related).defer(*long_texts_of(Person, related))
        if flags:
            people = people.annotate(
                has_direct_reports=Exists(Person.objects.filter(line_manager_id=OuterRef("pk"))),
                is_accredited=Exists(Person.accredited_frameworks.through.objects.filter(person_id=OuterRef("pk"))),
            )
        # One person per account: no ordering to compile or sort.
        return people.filter(user_id=user_id).order_by()[:1]

    return PreparedRead(build)


# What the self-assessment pages read of the person: their role levels' releases (`person_release`) and their line
# manager, whom the pages name; not the unit, grade or the flags the dashboard asks (decision 0225).
PERSON_SELF_ASSESSMENT = ("line_manager__user", *ROLE_LEVEL_RELEASES)


def person_for_self_assessment(*, user) -> Person | None:
    """The signed-in account's person as the self-assessment task list reads them: their role levels with their
    releases and frameworks, and their line manager. One query of fourteen joins, two fewer than `person_for_user`
    and without its two subqueries."""
    return person_read(user=user, related=PERSON_SELF_ASSESSMENT)


def person_essentials_for_user(*, user) -> Person | None:
    """The signed-in account's person with only their unit, grade and line manager: for a page that reads nothing
    of their role levels, such as booking a session, which hundreds of people may do in the same second (each of
    the joins `person_for_user` makes is planning and building time: docs/decisions/0024). One query."""
    return person_read(user=user, related=PERSON_ESSENTIALS)


# What the pages about a person's own levels read of them (their gaps): each role level with its release and role,
# without the unit, grade and line manager they do not show or the carry-forward and previous-release joins of
# `person_for_user` (docs/decisions/0208, amendment of 7 December).
PERSON_ROLE_LEVELS = tuple(
    f"{role_level}__{related}"
    for role_level in ("current_role_level", "target_role_level")
    for related in ("release", "role")
)


def person_role_levels_for_user(*, user) -> Person | None:
    """The signed-in account's person with their role levels (each with its release and role): for a page that
    compares their levels with their role levels and asks nothing of a carry-forward. One query of four joins,
    where `person_for_user` makes sixteen."""
    return person_read(user=user, related=PERSON_ROLE_LEVELS)


def _frameworks_attach(framework) -> None:
    """Give the framework's current release (and the release before it) the framework already loaded, which
    they belong to, instead of joining it again."""
    release = framework.current_release
    if release is None:
        return
    release.framework = framework
    previous = release.previous_release
    if previous is not None and previous.framework_id == framework.pk:
        previous.framework = framework


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
    """A person's assessments are visible to themselves and to their whole line-management chain above: no
    query for the person themselves or their line manager, one (the chain above the manager) otherwise."""
    if viewer is None:
        return False
    if viewer.pk == person.pk or person.line_manager_id == viewer.pk:
        return True
    if person.line_manager_id is None:
        return False
    return _IN_CHAIN.first(person_id=person.line_manager_id, viewer_id=viewer.pk) is not None


def _in_chain(*, person_id, viewer_id):
    return management_chain(person_id=person_id).filter(pk=viewer_id).values_list("pk", flat=True)


# Whether the viewer is in a person's chain, asked on every page a manager opens about someone below them: compiled
# once per process (decision 0025).
_IN_CHAIN = PreparedRead(_in_chain)


def _visible_person(*, person_id):
    return (
        Person.objects.select_related(
            "user",
            "line_manager",
            *(
                f"{role_level}__{related}"
                for role_level in ("current_role_level", "target_role_level")
                for related in ("release", "role")
            ),
        )
        .filter(pk=person_id)
        .order_by()
    )


# The person a manager's page is about, with the joins the pages read: compiled once per process (decision 0025).
_VISIBLE_PERSON = PreparedRead(_visible_person)


def person_get_visible_to(*, viewer: Person | None, person_id: int) -> Person | None:
    """The person with id `person_id` as the pages show them (account, role levels and their roles, line
    manager), or None when there is no such person or `viewer` may not see them (`person_visible_to`): a page
    answers both with 404, never a hint that the person exists."""
    person = _VISIBLE_PERSON.first(person_id=int(person_id))
    if person is None or not person_visible_to(viewer=viewer, person=person):
        return None
    return person


ROLE_LEVEL_NOT_CURRENT = "{role_level} is not in its framework's current release: choose again."


def role_level_in_current_release(*, role_level) -> bool:
    """Whether someone may be given `role_level` now: it belongs to its framework's current release, or, while
    that release's carry-forward is running, to the previous release people still work in (decision 0205).
    The one rule for every service that sets a role level; refuse with ROLE_LEVEL_NOT_CURRENT. One query."""
    current = (
        FrameworkRelease.objects.select_related("carry_forward", "previous_release")
        .filter(framework__releases=role_level.release_id, framework__current_release=F("pk"))
        .first()
    )
    if current is None:
        return False
    return role_level.release_id in (current.pk, release_for_people(current).pk)


def role_levels_assignable() -> QuerySet:
    """Every role level `role_level_in_current_release` allows, as one query: those of each framework's current
    release and, while its carry-forward runs, those of the previous release people still work in; with their
    role and framework, by framework, role and seniority (HR's choices for a person)."""
    carrying = FrameworkRelease.objects.filter(
        framework__current_release=F("pk"), carry_forward__isnull=False, previous_release__isnull=False
    ).exclude(carry_forward__status=ReleaseCarryForward.Status.FINISHED)
    return (
        RoleLevel.objects.filter(
            Q(release__framework__current_release=F("release")) | Q(release__in=carrying.values("previous_release"))
        )
        .select_related("role", "release__framework")
        .order_by("release__framework__name", "role__name", "seniority")
    )


def team_people(*, manager: Person) -> QuerySet[Person]:
    """Everyone in the manager's reporting line, by name: the only people the team pages may show them."""
    return reporting_line(manager_id=manager.pk).order_by("user__last_name", "user__first_name", "pk")


def person_release(*, person: Person):
    """The framework release a person works in: that of their target (or current) role level, else the
    current release of the default framework (slug `ddat`); while a newly published release is still being
    carried forward, its previous release (see `release_for_people`). No query for a person from
    `person_for_user` with a role level (their role levels' frameworks come with the current release, its
    carry-forward run and previous release), one otherwise; the release comes with its framework."""
    for role_level in (person.target_role_level, person.current_role_level):
        if role_level is not None:
            framework = role_level.release.framework
            if framework.current_release_id is None:
                return role_level.release
            if Framework.current_release.is_cached(framework):  # read with the person by `person_for_user`
                return release_for_people(framework.current_release)
            return release_for_people(
                FrameworkRelease.objects.select_related(
                    "framework", "carry_forward", "previous_release__framework"
                ).get(pk=framework.current_release_id)
            )
    framework = (
        Framework.objects.select_related(
            "current_release__framework",
            "current_release__carry_forward",
            "current_release__previous_release__framework",
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


def approver_may_decide(*, approver, person: Person, on=None) -> bool:
    """Whether this account may decide the person's training requests: their current line manager, or the
    manager that line manager has delegated to for today (`on`, a London day), never the person themselves.
    One query (none when the answer is plainly no)."""
    if approver is None or not approver.is_active or person.line_manager_id is None:
        return False
    if person.user_id == approver.pk:
        return False
    delegated = Delegation.objects.active_on(on).filter(delegator_id=OuterRef("pk"), delegate__user=approver)
    return Person.objects.filter(pk=person.line_manager_id).filter(Q(user=approver) | Exists(delegated)).exists()
