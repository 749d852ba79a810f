"""The team matrix: one page of a reporting line against their role levels' requirements, and the choices of its
filters, kept in the cache per manager (decision 0220)."""

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Window
from django.db.models.signals import post_delete, post_save
from django.utils.choices import BaseChoiceIterator

from frameworks import page_cache
from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease, Requirement, RoleLevel
from frameworks.process_cache import LayeredCache
from skills.models import (
    Person,
)
from skills.selectors.external_certifications import CertificationDue, certifications_due
from skills.selectors.pagination import CountedPaginator, page_number_asked
from skills.selectors.people import person_read


class TeamCell(NamedTuple):
    """One cell of the team matrix, worked out once here so that the template only prints it: the level the
    person's role level requires (empty when it does not require the skill), the validated level, and the CSS
    modifier that colours the cell. A named tuple: a page makes hundreds of them."""

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
    cells: list[TeamCell]  # a cell per column of the matrix
    required_at: tuple[int, ...]  # the columns (indexes into `cells`) the person's role level requires, in order
    gaps: list[TeamCell]
    required_count: int
    readiness: int | None  # share of required skills met, as a whole percentage; None when nothing is required


@dataclass(frozen=True)
class TeamMatrix:
    page: Page  # the page of people shown, for the pagination component and the counts
    skills: list  # (skill code, skill name), A to Z
    rows: list[TeamRow]
    certifications: list[CertificationDue]  # the page's people's expired and expiring certifications


def person_for_team_pages(*, user) -> Person | None:
    """The signed-in account's person as the team matrix and the reviews queues read them: their own row, and
    whether anyone reports to them (`has_direct_reports`) and whether they are accredited (`is_accredited`), in
    one query without the joins `person_for_user` makes for pages that read the person's role levels (planning
    those joins cost more than the rest of the query). None for an anonymous visitor or an account without a
    skills profile."""
    return person_read(user=user, related=(), flags=True)


TEAM_PAGE_SIZE = 50
CELL_GAP = " capability-matrix__cell--gap"
CELL_MET = " capability-matrix__cell--met"


# The requirements of published (and superseded) releases, per role level, kept in this process under the framework
# pages' version (replaced by every release saved, so by a publication): such a release is frozen (decision 0104).
# A draft's are read each time.
_requirements = LayeredCache(entries=16, timeout=60 * 60)


def release_requirements(*, release_ids, framework_version: str | None) -> tuple[dict[int, tuple], bool]:
    """What each role level of the releases `release_ids` requires: {role level id: ((skill code, skill name,
    level name, level rank), ...)}, and whether every release's are kept (none a draft: they cannot change under
    this version). A frozen release's are read once per process and `framework_version` (one query for the
    release's requirements, one for its status); without a version, or for a draft, they are read (one query for
    them all)."""
    found: dict[int, tuple] = {}
    unread = set()
    for release_id in release_ids:
        cached = (
            _requirements.get(f"skills:team:requirements:{framework_version}:{release_id}")
            if framework_version
            else None
        )
        if cached is None:
            unread.add(release_id)
        else:
            found.update(cached)
    if not unread:
        return found, True
    read: dict[int, dict[int, list]] = {release_id: {} for release_id in unread}
    for release_id, role_level_id, *requirement in (
        Requirement.objects.filter(role_level__release_id__in=unread)
        .order_by("role_level_id", "skill__code")
        .values_list(
            "role_level__release_id", "role_level_id", "skill__code", "skill__name", "level__name", "level__rank"
        )
    ):
        read[release_id].setdefault(role_level_id, []).append(tuple(requirement))
    published = (
        set(
            FrameworkRelease.objects.filter(pk__in=unread)
            .exclude(status=ReleaseStatus.DRAFT)
            .values_list("pk", flat=True)
        )
        if framework_version
        else set()
    )
    for release_id, by_role_level in read.items():
        requirements = {role_level_id: tuple(rows) for role_level_id, rows in by_role_level.items()}
        found.update(requirements)
        if release_id in published:
            _requirements.set(f"skills:team:requirements:{framework_version}:{release_id}", requirements, shared=False)
    return found, published == unread


@dataclass(frozen=True)
class _Layout:
    """A matrix page's columns, worked out from its people's role levels: the columns, A to Z, a blank (not
    required) cell for each, and for each role level the columns it requires (index, code, level name and rank,
    in column order) and their indexes."""

    columns: list  # (skill code, skill name)
    blank: list[TeamCell]
    needs_of: dict[int, tuple[tuple, tuple[int, ...]]]


# Layouts of pages whose releases are all published, kept in this process by the framework pages' version, the
# page's role levels and the skill filter: the same page asked for again lays out its columns once.
_layouts: OrderedDict[tuple, _Layout] = OrderedDict()
_layouts_lock = threading.Lock()
LAYOUTS_KEPT = 256


def _layout(requirements: dict[int, tuple], role_level_ids: set, skill_code: str | None) -> _Layout:
    required: dict[int, dict[str, tuple[str, int]]] = {}
    names: dict[str, str] = {}
    for role_level_id in role_level_ids:
        for code, name, level_name, rank in requirements.get(role_level_id, ()):
            if skill_code is None or code == skill_code:
                required.setdefault(role_level_id, {})[code] = (level_name, rank)
                names[code] = name
    columns = sorted(names.items(), key=lambda item: (item[1].lower(), item[0]))
    column_of = {code: index for index, (code, _name) in enumerate(columns)}
    needs_of = {}
    for role_level_id, needs in required.items():
        ordered = tuple(sorted((column_of[code], code, level_name, rank) for code, (level_name, rank) in needs.items()))
        needs_of[role_level_id] = (ordered, tuple(index for index, *_ in ordered))
    return _Layout(columns, [TeamCell(name) for _code, name in columns], needs_of)


def _layout_kept(key: tuple | None, make) -> _Layout:
    if key is None:
        return make()
    with _layouts_lock:
        layout = _layouts.get(key)
        if layout is not None:
            _layouts.move_to_end(key)
            return layout
    layout = make()
    with _layouts_lock:
        _layouts[key] = layout
        while len(_layouts) > LAYOUTS_KEPT:
            _layouts.popitem(last=False)
    return layout


# The fields of a member row of the matrix, in the order the selector reads them.
MEMBER_FIELDS = (
    "pk",
    "user__first_name",
    "user__last_name",
    "current_role_level_id",
    "current_role_level__name",
    "current_role_level__release_id",
)


# The validated levels of a page's people in their releases, in SQL: the ORM took longer to build and iterate the
# read of a page's five hundred levels than the database to answer it.
VALIDATED_LEVELS_SQL = """
    SELECT current.person_id, current.skill_code, current.release_id, current.validated_rank, level.name
    FROM skills_currentlevel current
    LEFT JOIN frameworks_level level ON level.id = current.validated_level_id
    WHERE current.person_id IN ({people}) AND current.release_id IN ({releases}){skill}
"""


def _validated_levels(*, person_ids: list[int], release_ids: list[int], skill_code: str | None) -> list[tuple]:
    """(person id, skill code, release id, validated rank, validated level's name or None) for every current level
    of `person_ids` in `release_ids` (only `skill_code`'s, when given). One query; none without people or
    releases."""
    if not person_ids or not release_ids:
        return []
    # Only placeholders are formatted into the SQL; every value is a parameter.
    sql = VALIDATED_LEVELS_SQL.format(
        people=", ".join(["%s"] * len(person_ids)),
        releases=", ".join(["%s"] * len(release_ids)),
        skill=" AND current.skill_code = %s" if skill_code else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*map(int, person_ids), *map(int, release_ids), *([skill_code] if skill_code else [])])
        return cursor.fetchall()


def _counted_page(people: QuerySet[Person], page_number) -> Page:
    """A page of `people` (`MEMBER_FIELDS` of each) read with their number, in one query: the count is a window
    over every row, as the reviews queues read theirs. A page past the end (or below 1) is the last page, as
    `Paginator.get_page` shows it, in two queries more (the count, and the last page)."""
    size = TEAM_PAGE_SIZE
    counted = people.annotate(people_total=Window(Count("pk"))).values_list(*MEMBER_FIELDS, "people_total")

    def rows(number: int) -> list:
        return list(counted[(number - 1) * size : number * size])

    number = page_number_asked(page_number)
    read = rows(number) if number >= 1 else []
    if read:
        total = read[0][-1]
    elif number == 1:
        total = 0
    else:
        total = people.order_by().count()
        number = max(1, -(-total // size))
        read = rows(number) if total else []
    return Page([row[:-1] for row in read], number, CountedPaginator(people, size, count=total))


def team_matrix(
    *,
    people: QuerySet[Person],
    page_number=None,
    skill_code: str | None = None,
    count: int | None = None,
    line: tuple | None = None,
    framework_version: str | None = None,
) -> TeamMatrix:
    """One page of the team (`people`, already filtered and ordered) against their current role levels: a row
    per person, a column per skill any of their role levels requires (only `skill_code`'s, when given).

    Loads only what the page shows: the page's people (name and role level) with their number, the requirements of
    their role levels, their validated levels in those skills, as plain values, and the page's people's expired and
    expiring certifications: at most four queries whatever the team's size (decision 0222). The people are not
    read when the caller has them (`line`: every row of `people`, `MEMBER_FIELDS` in order, as
    `TeamFilterChoices.line` keeps them) and not counted when it knows their number (`count`); the requirements
    are not read when this process has read their published release under `framework_version` before (two
    queries the first time). A page number out of range shows the last page, as elsewhere on the site (two
    queries more for a page read with its count)."""
    if line is not None:
        page = Paginator(line, TEAM_PAGE_SIZE).get_page(page_number)
    elif count is not None:
        page = CountedPaginator(people.values_list(*MEMBER_FIELDS), TEAM_PAGE_SIZE, count=count).get_page(page_number)
    else:
        page = _counted_page(people, page_number)
    members = list(page.object_list)
    role_level_ids = {member[3] for member in members if member[3]}
    requirements, kept = release_requirements(
        release_ids={member[5] for member in members if member[3]}, framework_version=framework_version
    )
    layout = _layout_kept(
        (framework_version, frozenset(role_level_ids), skill_code) if kept and framework_version else None,
        lambda: _layout(requirements, role_level_ids, skill_code),
    )
    columns = layout.columns
    names = dict(columns)

    # The validated level in each column's skill, in the role level's own release only: while a new release is
    # carried forward, people have levels in both. Every level of the page's people in their releases is read and
    # narrowed to the columns here: a person holds levels in a few dozen skills at most, and a list of a hundred
    # skill codes in the query cost more to plan than the rows it left out.
    validated: dict[tuple[int, str], tuple[int, str]] = {}
    if names:
        release_of = {member[0]: member[5] for member in members}
        for person_id, code, release_id, rank, level_name in _validated_levels(
            person_ids=list(release_of),
            release_ids=sorted({release_id for release_id in release_of.values() if release_id}),
            skill_code=skill_code,
        ):
            if release_id == release_of[person_id] and code in names:
                validated[(person_id, code)] = (rank, level_name or "")

    # A row starts as every column not required and has its role level's columns filled in: a person's role level
    # requires a dozen or so of the page's hundred or more columns.
    blank, needs_of = layout.blank, layout.needs_of
    no_needs = ((), ())
    rows = []
    for person_id, first_name, last_name, role_level_id, role_level_name, _ in members:
        needs, required_at = needs_of.get(role_level_id, no_needs)
        cells = blank.copy()
        gaps = []
        for index, code, level_name, rank in needs:
            validated_rank, validated_name = validated.get((person_id, code), (0, ""))
            gap = rank - validated_rank if rank > validated_rank else 0
            cell = cells[index] = TeamCell(
                blank[index].skill_name, level_name, validated_name, gap, CELL_GAP if gap else CELL_MET
            )
            if gap:
                gaps.append(cell)
        rows.append(
            TeamRow(
                person_id=person_id,
                name=f"{first_name} {last_name}".strip(),
                role_level=(role_level_name or "").strip(),
                cells=cells,
                required_at=required_at,
                gaps=gaps,
                required_count=len(needs),
                readiness=round(100 * (len(needs) - len(gaps)) / len(needs)) if needs else None,
            )
        )
    return TeamMatrix(
        page=page,
        skills=columns,
        rows=rows,
        certifications=certifications_due(person_ids=[member[0] for member in members]),
    )


class FrozenChoices(BaseChoiceIterator):
    """A select's options, worked out once and shared by every request that reads them from the cache: the
    (value, label) pairs, and each option's markup (`<option value="…">label</option>`, both escaped), so that a
    page writes hundreds of options by joining strings. Never changed once made, so a form's deep copy of its
    fields keeps the same object, and Django's choice normalisation leaves it as it is (it is a choice
    iterator)."""

    def __init__(self, pairs):
        self.pairs = tuple((str(value), str(label)) for value, label in pairs)
        self.markup = "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in self.pairs
        )

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)

    def __deepcopy__(self, memo):
        return self

    def options_html(self, current: str) -> str:
        """The options' markup with the option whose value is `current` selected (none when none is)."""
        option = f'<option value="{escape(current)}">'
        return self.markup.replace(option, f'<option value="{escape(current)}" selected>', 1)


@dataclass(frozen=True)
class TeamFilterChoices:
    """What the team matrix's filters offer a manager, all found in their own reporting line: the role families,
    roles and role levels people in it hold, the skills those role levels require, and the teams (the people in
    it who manage someone)."""

    role_family: FrozenChoices
    role: FrozenChoices
    role_level: FrozenChoices
    skill: FrozenChoices
    team: FrozenChoices
    line_size: int  # how many people the line holds: the unfiltered matrix's count
    # The unfiltered matrix's people, in its order (`MEMBER_FIELDS` of each): kept for a line of up to LINE_KEPT
    # people, so that its pages read nobody; None for a longer line, whose pages read their own 50.
    line: tuple | None = None


# The longest line whose people are kept with its choices (a few hundred bytes a person).
LINE_KEPT = 2000


def team_filter_choices_read(*, people: QuerySet[Person]) -> TeamFilterChoices:
    """The filters' choices for `people` (a manager's reporting line, from `team_people`, in its order), the
    line's size and, for a line of up to LINE_KEPT people, its people as the matrix shows them: four queries,
    five for a longer line, whatever the line's size."""
    line = tuple(people.values_list(*MEMBER_FIELDS)[: LINE_KEPT + 1])
    if len(line) > LINE_KEPT:
        line, line_size = None, people.order_by().count()
    else:
        line_size = len(line)
    role_level_ids = people.filter(current_role_level__isnull=False).values("current_role_level_id")
    role_levels = list(
        RoleLevel.objects.filter(pk__in=role_level_ids)
        .order_by("role__family__name", "role__name", "seniority", "pk")
        .values_list("pk", "name", "role_id", "role__name", "role__family_id", "role__family__name")
    )
    families = {family_id: family_name for *_, family_id, family_name in role_levels}
    roles = {role_id: role_name for _, _, role_id, role_name, _, _ in role_levels}
    skills = (
        Requirement.objects.filter(role_level_id__in=[pk for pk, *_ in role_levels])
        .order_by("skill__name", "skill__code")
        .values_list("skill__code", "skill__name")
        .distinct()
    )
    teams = (
        people.filter(Exists(Person.objects.filter(line_manager_id=OuterRef("pk"))))
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("pk", "user__first_name", "user__last_name")
    )
    return TeamFilterChoices(
        role_family=FrozenChoices(families.items()),
        role=FrozenChoices(sorted(roles.items(), key=lambda item: (item[1].lower(), item[0]))),
        role_level=FrozenChoices(
            (pk, name.strip()) for pk, name, *_ in sorted(role_levels, key=lambda level: level[3].lower())
        ),
        skill=FrozenChoices(skills),
        team=FrozenChoices((pk, f"{first} {last}’s team".strip()) for pk, first, last in teams),
        line_size=line_size,
        line=line,
    )


# The team filters' choices are kept per manager under two versions: the team pages' own (TEAM_VERSION_KEY,
# replaced by every change to people or their accounts: `team_pages_invalidate`) and the framework pages'
# (replaced by every release saved, so by a publication). Entries expire after an hour in any case.
TEAM_VERSION_KEY = "skills:team:version"
CHOICES_TIMEOUT = 60 * 60
_choices = LayeredCache(entries=200, timeout=CHOICES_TIMEOUT)


def team_filter_choices(request, *, manager: Person, people: QuerySet[Person]) -> TeamFilterChoices:
    """The filters' choices for `manager`'s reporting line `people`, from the cache while nothing they are made of
    has changed (no query; the versions are read with the frame's, in one round trip), else read (four queries)
    and kept."""
    versions = page_cache.cache_versions(request, TEAM_VERSION_KEY, page_cache.VERSION_KEY)
    key = f"skills:team:choices:{versions[TEAM_VERSION_KEY]}:{versions[page_cache.VERSION_KEY]}:{manager.pk}"
    choices = _choices.get(key)
    if choices is None:
        choices = team_filter_choices_read(people=people)
        _choices.set(key, choices)
    return choices


def _replace() -> None:
    cache.set(TEAM_VERSION_KEY, uuid.uuid4().hex, None)


def team_pages_invalidate() -> None:
    """Make every manager's cached team choices stale, at once and again when the transaction commits (a request
    that read the old rows while the transaction was open cannot leave them cached under the current version).
    Called for every change to a person (a line manager, a role level) or to an account's name: by the signals
    below for a model save or delete, and by the services that change people with a bulk write (the HR feed,
    leavers, erasure, carry-forward)."""
    _replace()
    transaction.on_commit(_replace)


# An account's save that changes nothing the team pages show (signing in stamps the last login).
_ACCOUNT_FIELDS_NOT_SHOWN = frozenset({"last_login", "password", "is_active"})


def _person_changed(sender, **kwargs) -> None:
    team_pages_invalidate()


def _account_saved(sender, update_fields=None, **kwargs) -> None:
    if not (update_fields and frozenset(update_fields) <= _ACCOUNT_FIELDS_NOT_SHOWN):
        team_pages_invalidate()


def connect() -> None:
    """Invalidate on every model change the team choices show (called once, from the app's ready())."""
    User = get_user_model()
    post_save.connect(_person_changed, sender=Person, dispatch_uid="team_choices_person_saved")
    post_delete.connect(_person_changed, sender=Person, dispatch_uid="team_choices_person_deleted")
    post_save.connect(_account_saved, sender=User, dispatch_uid="team_choices_account_saved")
    post_delete.connect(_person_changed, sender=User, dispatch_uid="team_choices_account_deleted")
