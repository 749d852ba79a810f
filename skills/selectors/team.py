"""The team matrix: one page of a reporting line against their role levels' requirements."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from frameworks.models import Requirement
from skills.models import (
    CurrentLevel,
    Person,
)
from skills.selectors.external_certifications import CertificationDue, certifications_due


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
    certifications: list[CertificationDue]  # the page's people's expired and expiring certifications


def person_for_team_pages(*, user) -> Person | None:
    """The signed-in account's person as the team matrix and the reviews queues read them: their own row, and
    whether anyone reports to them (`has_direct_reports`) and whether they are accredited (`is_accredited`), in
    one query without the joins `person_for_user` makes for pages that read the person's role levels (planning
    those joins cost more than the rest of the query). None for an anonymous visitor or an account without a
    skills profile."""
    if not user.is_authenticated:
        return None
    people = (
        Person.objects.annotate(
            has_direct_reports=Exists(Person.objects.filter(line_manager_id=OuterRef("pk"))),
            is_accredited=Exists(Person.accredited_frameworks.through.objects.filter(person_id=OuterRef("pk"))),
        )
        .filter(user=user)
        .order_by()
    )
    person = next(iter(people[:1]), None)
    if person is not None:
        person.user = user
    return person


TEAM_PAGE_SIZE = 50
CELL_GAP = " capability-matrix__cell--gap"
CELL_MET = " capability-matrix__cell--met"


def team_matrix(*, people: QuerySet[Person], page_number=None, skill_code: str | None = None) -> TeamMatrix:
    """One page of the team (`people`, already filtered and ordered) against their current role levels: a row
    per person, a column per skill any of their role levels requires (only `skill_code`'s, when given).

    Loads only what the page shows: the page's people (name and role level), the requirements of their role
    levels and their validated levels in those skills, as plain values, and the page's people's expired and
    expiring certifications. Four queries and the count, whatever the team's size. A page number out of range
    shows the last page, as elsewhere on the site."""
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
    return TeamMatrix(
        page=page,
        skills=columns,
        rows=rows,
        certifications=certifications_due(person_ids=[member[0] for member in members]),
    )
