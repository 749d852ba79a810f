"""What HR's dashboard shows beside the competency figures, now that certificates and training exist: certifications
expiring soon, and the demand for training against the gaps it would close (docs/decisions/0213).

skills knows no courses: the apps above answer CAPABILITY_TRAINING_DEMAND_HOOK (decision 0020) with how to find,
for a person and a skill, whether they are waiting for training in it (on a waiting list, or registered interest).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from wagtail import hooks

from skills.enums import ExternalCertificationStatus
from skills.models import Certificate, ExternalCertification, ReportPerson, ReportRequirement
from skills.selectors.capability import (
    VALIDATED,
    CapabilityFilters,
    Scope,
    UnitTree,
    skill_heatmap,
    summary_cached,
    view_key,
    view_nodes,
)

CAPABILITY_TRAINING_DEMAND_HOOK = "skills_capability_training_demand"
EXPIRY_WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class DemandSource:
    """One kind of training demand an app above offers: its name as a column heading ("On a waiting list"), and
    `rows(person, skill_code)`, a queryset that is not empty when that person (an OuterRef to a person id) is
    waiting for training in that skill (an OuterRef to a skill code)."""

    label: str
    rows: Callable[[OuterRef, OuterRef], QuerySet]
    # Optionally, the ids of everyone with any demand of this kind (a queryset of `person_id`): the count then
    # starts from those few people rather than testing `rows` against every requirement row in view, which the
    # database cannot turn into a join when `rows` is a disjunction (interest in the skill, or in a course in it).
    people: Callable[[], QuerySet] | None = None


def demand_sources() -> list[DemandSource]:
    return [source for hook in hooks.get_hooks(CAPABILITY_TRAINING_DEMAND_HOOK) for source in hook() or []]


def _within(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree) -> Q:
    """The viewed unit (or the viewer's units) and everything below, as a condition on a summary table: the units'
    ids, from the tree already in memory (a few thousand at most), so the database joins nothing to narrow."""
    total, members, _title = view_nodes(filters=filters, scope=scope, tree=tree)
    roots = members if total == "scope" else [total]
    paths = [tree.units[root].path for root in roots]
    return Q(org_unit_id__in=[unit_id for unit_id, unit in tree.units.items() if unit.path.startswith(tuple(paths))])


@dataclass(frozen=True)
class Expiring:
    days: int
    capability: int  # certificates Capability issued
    external: int  # confirmed certifications earned elsewhere


def expiring_certifications(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, today: date) -> list[Expiring]:
    """How many certifications of the people viewed (their unit, record and role level filters) expire within 30,
    60 and 90 days: Capability's own (valid, not superseded) and those earned elsewhere (confirmed). Two
    queries."""
    # Driven by the few certificates expiring soon, each looked up by its holder's key in the summary: never a
    # pass over everyone viewed.
    people = ReportPerson.objects.filter(filters.people_q(), _within(filters=filters, scope=scope, tree=tree))
    windows = {
        f"within_{days}": Count("pk", filter=Q(expires_on__lte=today + timedelta(days=days))) for days in EXPIRY_WINDOWS
    }
    soon = Q(expires_on__gt=today, expires_on__lte=today + timedelta(days=max(EXPIRY_WINDOWS)))
    own = Certificate.objects.filter(
        soon,
        Exists(people.filter(pk=OuterRef("holder_id"))),
        revoked_at__isnull=True,
        superseded_at__isnull=True,
    ).aggregate(**windows)
    external = ExternalCertification.objects.filter(
        soon, Exists(people.filter(pk=OuterRef("person_id"))), status=ExternalCertificationStatus.CONFIRMED
    ).aggregate(**windows)
    return [
        Expiring(days=days, capability=own[f"within_{days}"], external=external[f"within_{days}"])
        for days in EXPIRY_WINDOWS
    ]


def _heatmap_totals(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int) -> tuple[dict, dict]:
    """The heatmap's total for each skill of what is viewed, and the skills' names: counted from the summary (or
    read from the day's snapshot), so cached for the refresh."""
    heatmap = skill_heatmap(filters=filters, scope=scope, tree=tree, threshold=threshold)
    return dict(zip([code for code, _name in heatmap.columns], heatmap.total.cells, strict=True)), dict(heatmap.columns)


@dataclass(frozen=True)
class DemandRow:
    skill_code: str
    skill_name: str
    population: int  # people whose role level needs the skill
    below: int  # of them, below the level it needs
    waiting: list[int]  # of those below, waiting for training in it, per demand source
    hidden: bool


def training_demand(
    *, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int, limit: int = 25
) -> tuple[list[str], list[DemandRow]]:
    """For each skill the people viewed need, how many are below the level it needs and, of those, how many are
    waiting for training in it (each demand source: a waiting list, registered interest): the demand against the
    gap. The skills with the most people below first, at most `limit`. A skill's figures are hidden where the
    heatmap hides that skill for what is viewed.

    The people who need each skill and those below it are the heatmap's total (read from the day's snapshot when
    nothing but the unit is chosen); the waiting are counted from the few people waiting, each joined to their
    requirement rows by the summary's person index (one query for every source: a UNION of semi-joins), never by
    a test per requirement row. Three queries unfiltered (the snapshot's date, its figures, the waiting); one, the
    waiting, once the heatmap's totals are cached for the refresh."""
    sources = demand_sources()
    totals, names = summary_cached(
        "demand-totals",
        filters,
        lambda: _heatmap_totals(filters=filters, scope=scope, tree=tree, threshold=threshold),
        view=view_key(filters=filters, scope=scope, tree=tree, threshold=threshold),
    )
    waiting: dict[tuple[int, str], int] = {}
    if sources:
        rank = "validated_rank" if filters.basis == VALIDATED else "claimed_rank"
        rows = ReportRequirement.objects.filter(
            filters.people_q(), _within(filters=filters, scope=scope, tree=tree), **{f"{rank}__lt": F("required_rank")}
        )
        if filters.skill_code:
            rows = rows.filter(skill_code=filters.skill_code)
        counts = [
            (rows.filter(person_id__in=source.people()) if source.people is not None else rows)
            .filter(Exists(source.rows(OuterRef("person_id"), OuterRef("skill_code"))))
            .order_by()
            .values("skill_code")
            .annotate(source=Value(index), waiting=Count("pk"))
            .values_list("source", "skill_code", "waiting")
            for index, source in enumerate(sources)
        ]
        union = counts[0].union(*counts[1:], all=True) if len(counts) > 1 else counts[0]
        waiting = {(index, code): count for index, code, count in union}
    result = []
    for code, cell in totals.items():
        below = cell.population - cell.met
        if below <= 0 or cell.hidden or cell.population < threshold:
            continue
        result.append(
            DemandRow(
                skill_code=code,
                skill_name=names.get(code, code),
                population=cell.population,
                below=below,
                waiting=[waiting.get((index, code), 0) for index in range(len(sources))],
                hidden=False,
            )
        )
    result.sort(key=lambda row: (-row.below, row.skill_code))
    return [source.label for source in sources], result[:limit]
