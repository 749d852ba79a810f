"""What HR's dashboard shows beside the competency figures, now that certificates and training exist: certifications
expiring soon, and the demand for training against the gaps it would close (docs/decisions/0213).

skills knows no courses: the apps above answer CAPABILITY_TRAINING_DEMAND_HOOK (decision 0020) with how to find,
for a person and a skill, whether they are waiting for training in it (on a waiting list, or registered interest).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from wagtail import hooks

from skills.enums import ExternalCertificationStatus
from skills.models import Certificate, ExternalCertification, ReportPerson, ReportRequirement
from skills.selectors.capability import (
    VALIDATED,
    CapabilityFilters,
    Scope,
    UnitTree,
    skill_heatmap,
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


def demand_sources() -> list[DemandSource]:
    return [source for hook in hooks.get_hooks(CAPABILITY_TRAINING_DEMAND_HOOK) for source in hook() or []]


def _within(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree) -> Q:
    """The viewed unit (or the viewer's units) and everything below, as a condition on a summary table."""
    total, members, _title = view_nodes(filters=filters, scope=scope, tree=tree)
    roots = members if total == "scope" else [total]
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(org_unit__path__startswith=tree.units[root].path)
    return condition


@dataclass(frozen=True)
class Expiring:
    days: int
    capability: int  # certificates Capability issued
    external: int  # confirmed certifications earned elsewhere


def expiring_certifications(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, today: date) -> list[Expiring]:
    """How many certifications of the people viewed (their unit, record and role level filters) expire within 30,
    60 and 90 days: Capability's own (valid, not superseded) and those earned elsewhere (confirmed). Two
    queries."""
    people = ReportPerson.objects.filter(filters.people_q(), _within(filters=filters, scope=scope, tree=tree))
    people = people.values("person_id")
    windows = {
        f"within_{days}": Count("pk", filter=Q(expires_on__lte=today + timedelta(days=days))) for days in EXPIRY_WINDOWS
    }
    soon = Q(expires_on__gt=today, expires_on__lte=today + timedelta(days=max(EXPIRY_WINDOWS)))
    own = Certificate.objects.filter(
        soon, holder_id__in=people, revoked_at__isnull=True, superseded_at__isnull=True
    ).aggregate(**windows)
    external = ExternalCertification.objects.filter(
        soon, person_id__in=people, status=ExternalCertificationStatus.CONFIRMED
    ).aggregate(**windows)
    return [
        Expiring(days=days, capability=own[f"within_{days}"], external=external[f"within_{days}"])
        for days in EXPIRY_WINDOWS
    ]


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
    heatmap hides that skill for what is viewed. Three queries (the demand, the heatmap's total, its names)."""
    sources = demand_sources()
    rank = "validated_rank" if filters.basis == VALIDATED else "claimed_rank"
    rows = ReportRequirement.objects.filter(filters.people_q(), _within(filters=filters, scope=scope, tree=tree))
    if filters.skill_code:
        rows = rows.filter(skill_code=filters.skill_code)
    below = Q(**{f"{rank}__lt": F("required_rank")})
    annotations = {"population": Count("pk"), "below": Count("pk", filter=below)}
    for index, source in enumerate(sources):
        waiting = Exists(source.rows(OuterRef("person_id"), OuterRef("skill_code")))
        annotations[f"waiting_{index}"] = Count("pk", filter=below & Q(waiting))
    figures = list(
        rows.order_by()
        .values("skill_code")
        .annotate(**annotations)
        .filter(below__gt=0)
        .order_by("-below", "skill_code")
    )
    heatmap = skill_heatmap(filters=filters, scope=scope, tree=tree, threshold=threshold)
    totals = dict(zip([code for code, _name in heatmap.columns], heatmap.total.cells, strict=True))
    names = dict(heatmap.columns)
    result = []
    for row in figures:
        cell = totals.get(row["skill_code"])
        hidden = cell is None or cell.hidden or row["population"] < threshold
        result.append(
            DemandRow(
                skill_code=row["skill_code"],
                skill_name=names.get(row["skill_code"], row["skill_code"]),
                population=row["population"],
                below=row["below"],
                waiting=[row[f"waiting_{index}"] for index in range(len(sources))],
                hidden=hidden,
            )
        )
    shown = [row for row in result if not row.hidden][:limit]
    return [source.label for source in sources], shown
