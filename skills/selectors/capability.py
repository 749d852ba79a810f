"""HR's capability reports: every figure read from the report summary (docs/decisions/0213), scoped to the units an
HR analyst looks after, suppressed where a small group could identify someone.

Suppression is decided over the whole organisation for the filters in use, never over the viewer's slice of it:
the same filters hide the same cells for every analyst and in every drill-down, so that one view's figures can
never be subtracted from another's (tests/skills/reports/recovery.py tries).
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, When

from frameworks.models import RoleFamily, Skill
from skills.models import (
    CapabilitySnapshot,
    OrganisationUnit,
    ReportPerson,
    ReportRefresh,
    ReportRequirement,
)
from skills.selectors.hr import hr_unit_paths
from skills.selectors.suppression import suppressed_cells

VALIDATED = "validated"
CLAIMED = "claimed"
ALL_SKILLS = ""


# --- The filters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapabilityFilters:
    """What a report counts. `unit` narrows to one unit and everything below it (inside the viewer's scope);
    the others narrow the people (by their record and role level) or, for `skill`, the requirements."""

    unit: OrganisationUnit | None = None
    grade_id: int | None = None
    profession_id: int | None = None
    role_family_id: int | None = None
    role_id: int | None = None
    role_level_id: int | None = None
    release_id: int | None = None
    skill_code: str = ""
    basis: str = VALIDATED
    assessed_since: date | None = None
    # The refresh the figures are counted from (`summary_version`): with it, what is counted from the summary is
    # cached for that refresh, since nothing the summary holds can change before the next one.
    version: str = ""

    @property
    def narrows_people(self) -> bool:
        """Whether anything but the unit and the basis is set: then figures are counted afresh, not read from
        the day's precomputed figures."""
        return any(
            (
                self.grade_id,
                self.profession_id,
                self.role_family_id,
                self.role_id,
                self.role_level_id,
                self.release_id,
                self.skill_code,
                self.assessed_since,
            )
        )

    def people_q(self) -> Q:
        """The person-level filters, for either summary table (both carry the same columns)."""
        condition = Q()
        for name in ("grade_id", "profession_id", "role_family_id", "role_id", "role_level_id", "release_id"):
            value = getattr(self, name)
            if value:
                condition &= Q(**{name: value})
        if self.assessed_since:
            condition &= Q(last_assessed_at__date__gte=self.assessed_since)
        return condition


def report_as_of() -> ReportRefresh | None:
    """The newest finished refresh: what every report's figures are as of."""
    return ReportRefresh.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def summary_version(refresh: ReportRefresh) -> str:
    """A refresh's identity for the cache: its key and when it finished (a key alone may be reused after a rolled-back
    refresh on SQLite)."""
    return f"{refresh.pk}-{refresh.finished_at.timestamp()}"


def summary_cached(name: str, filters: CapabilityFilters, count: Callable[[], object], *, view: tuple = ()):
    """`count()`, a pure function of the summary and the filters other than the unit (figures are counted over
    the whole organisation, never per viewer), cached for the refresh in `filters.version` (without one, counted
    each time). A new refresh has a new version, so nothing cached outlives the figures it was counted from; the
    timeout only frees the space. `view` names whatever else the value depends on (`view_key`: the viewed unit,
    the viewer's scope, the threshold, the day)."""
    if not filters.version:
        return count()
    parts = (
        *view,
        filters.grade_id,
        filters.profession_id,
        filters.role_family_id,
        filters.role_id,
        filters.role_level_id,
        filters.release_id,
        filters.skill_code,
        filters.basis,
        filters.assessed_since,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return refresh_cached(f"capability-report:{filters.version}:{name}:{digest}", count)


def refresh_cached(key: str, read: Callable[[], object]):
    """`read()`, kept in the cache under `key`, which names a refresh's version: a new refresh reads afresh, and
    the timeout (two refresh periods) only frees the space."""
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, timeout=max(60, 2 * 60 * settings.CAPABILITY_REPORTS_REFRESH_MINUTES))
    return value


def view_key(
    *, filters: CapabilityFilters, scope: "Scope", tree: "UnitTree", threshold: int, today: date | None = None
) -> tuple:
    """What a report's suppressed figures depend on besides the summary and the filters: the viewed unit, the
    viewer's scope (its top units; two viewers with the same scope are shown the same figures, since suppression
    is decided for everyone), the threshold, for what counts days the day, and the units' tree as it is now (a
    unit added, moved or renamed since the refresh rolls the same figures up differently)."""
    return (filters.unit.pk if filters.unit is not None else None, tuple(scope.roots), threshold, today, tree.key)


# --- Scope: the units a viewer may see ----------------------------------------------------------------------------


@dataclass
class UnitTree:
    """Every organisation unit (a few thousand at most) with what the reports need to group and roll up."""

    units: dict[int, OrganisationUnit]
    by_path: dict[str, int]
    _children: dict[int, list[int]] | None = None
    _key: str | None = None

    @property
    def step(self) -> int:
        return OrganisationUnit.steplen

    @property
    def key(self) -> str:
        """The tree's identity for the cache: every unit's key, path and names (a few thousand at most)."""
        if self._key is None:
            shape = sorted((unit.pk, unit.path, unit.name, unit.full_name) for unit in self.units.values())
            self._key = hashlib.sha256(repr(shape).encode()).hexdigest()[:32]
        return self._key

    def parent_id(self, unit_id: int) -> int | None:
        return self.by_path.get(self.units[unit_id].path[: -self.step])

    def children(self, unit_id: int) -> list[int]:
        """The units directly below this one, in name order."""
        if self._children is None:
            children: dict[int, list[int]] = defaultdict(list)
            for other in self.units:
                parent = self.parent_id(other)
                if parent is not None:
                    children[parent].append(other)
            for members in children.values():
                members.sort(key=lambda other: self.units[other].name.casefold())
            self._children = dict(children)
        return self._children.get(unit_id, [])

    def groups(self) -> dict:
        """Each unit's figure is its own people's (("direct", id)) plus each child's: the sums a reader could
        subtract from."""
        groups: dict = {unit_id: [("direct", unit_id)] for unit_id in self.units}
        for unit_id in self.units:
            parent = self.parent_id(unit_id)
            if parent is not None:
                groups[parent].append(unit_id)
        return groups

    def ancestors_and_self(self, unit_id: int) -> list[int]:
        path = self.units[unit_id].path
        return [self.by_path[path[:end]] for end in range(self.step, len(path) + 1, self.step)]

    def roll_up(self, direct: dict[int, list[int]]) -> dict:
        """Each unit's figures with everything below it, from each unit's own; ("direct", id) keeps its own."""
        totals: dict = {}
        for unit_id, figures in direct.items():
            if unit_id not in self.units:
                continue
            totals[("direct", unit_id)] = list(figures)
            for ancestor in self.ancestors_and_self(unit_id):
                sums = totals.setdefault(ancestor, [0] * len(figures))
                for index, value in enumerate(figures):
                    sums[index] += value
        return totals


def unit_tree() -> UnitTree:
    units = {unit.pk: unit for unit in OrganisationUnit.objects.only("id", "path", "depth", "name", "full_name")}
    return UnitTree(units=units, by_path={unit.path: unit.pk for unit in units.values()})


@dataclass(frozen=True)
class Scope:
    """The top units a viewer sees (each with everything below it), in name order."""

    roots: list[int]

    def contains(self, tree: UnitTree, unit_id: int) -> bool:
        path = tree.units[unit_id].path
        return any(path.startswith(tree.units[root].path) for root in self.roots)


# `paths` not given: read them (`hr_unit_paths`).
UNREAD = object()


def scope_for(*, user, tree: UnitTree, paths=UNREAD) -> Scope:
    """A superuser sees every department; an HR analyst their units (a unit below another of theirs is covered
    by it); anyone else nothing. `paths`: the viewer's `hr_unit_paths`, when already read."""
    if paths is UNREAD:
        paths = hr_unit_paths(user=user)
    if paths is None:
        roots = [unit_id for unit_id, unit in tree.units.items() if unit.depth == 1]
    else:
        paths = sorted(paths)
        kept = [path for path in paths if not any(path != other and path.startswith(other) for other in paths)]
        roots = [tree.by_path[path] for path in kept if path in tree.by_path]
    return Scope(roots=sorted(roots, key=lambda unit_id: tree.units[unit_id].full_name.casefold()))


def units_in_scope(*, user, paths=UNREAD) -> QuerySet[OrganisationUnit]:
    """The units a viewer may choose in the filters. `paths`: the viewer's `hr_unit_paths`, when already read."""
    if paths is UNREAD:
        paths = hr_unit_paths(user=user)
    units = OrganisationUnit.objects.order_by("path")
    if paths is None:
        return units
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return units.filter(condition)


def unit_options(*, tree: UnitTree, paths) -> list[tuple[int, str]]:
    """`units_in_scope` as the filters' options, (key, full name) in path order, from the tree already read."""
    units = sorted(tree.units.values(), key=lambda unit: unit.path)
    if paths is not None:
        units = [unit for unit in units if any(unit.path.startswith(path) for path in paths)]
    return [(unit.pk, unit.full_name) for unit in units]


# --- People figures (the dashboard) -------------------------------------------------------------------------------

PEOPLE_FIGURES = (
    "headcount",
    "with_role_level",
    "assessed",
    "validated",
    "meeting",
    "below_1",
    "below_2",
    "below_3",
    "gap_sum",
    "requirements",
    "stale",
)


def _count_when(condition: Q):
    return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))


def _people_aggregates(basis: str) -> dict:
    """Each person's counts summed: `ReportPerson` rows."""
    met, max_gap, gap_sum = ("met", "max_gap", "gap_sum")
    if basis == CLAIMED:
        met, max_gap, gap_sum = ("met_claimed", "max_gap_claimed", "gap_sum_claimed")
    has_role = Q(requirements__gt=0)
    return {
        "headcount": Count("pk"),
        "with_role_level": _count_when(has_role),
        "assessed": _count_when(has_role & Q(claimed__gt=0)),
        "validated": _count_when(has_role & Q(validated__gt=0)),
        "meeting": _count_when(has_role & Q(**{met: F("requirements")})),
        "below_1": _count_when(has_role & Q(**{max_gap: 1})),
        "below_2": _count_when(has_role & Q(**{max_gap: 2})),
        "below_3": _count_when(has_role & Q(**{f"{max_gap}__gte": 3})),
        "gap_sum": Sum(gap_sum),
        "requirements": Sum("requirements"),
        "stale": _count_when(has_role & Q(stale__gt=0)),
    }


def _pair_aggregates(basis: str) -> dict:
    """The same figures over one skill's requirements (`ReportRequirement` rows): a person has one requirement a
    skill, so a requirement's gap is the person's gap in it."""
    rank = "validated_rank" if basis == VALIDATED else "claimed_rank"
    return {
        "headcount": Count("pk"),
        "with_role_level": Count("pk"),
        "assessed": _count_when(Q(claimed_rank__gt=0)),
        "validated": _count_when(Q(validated_rank__gt=0)),
        "meeting": _count_when(Q(**{f"{rank}__gte": F("required_rank")})),
        "below_1": _count_when(Q(required_rank=F(rank) + 1)),
        "below_2": _count_when(Q(required_rank=F(rank) + 2)),
        "below_3": _count_when(Q(required_rank__gte=F(rank) + 3)),
        "gap_sum": Sum(
            Case(
                When(Q(**{f"{rank}__lt": F("required_rank")}), then=F("required_rank") - F(rank)),
                default=0,
                output_field=IntegerField(),
            )
        ),
        "requirements": Count("pk"),
        "stale": _count_when(Q(stale=True)),
    }


def _people_direct(filters: CapabilityFilters) -> dict[int, list[int]]:
    """Each unit's own people's figures (PEOPLE_FIGURES, in order). One query, none when cached for the refresh."""
    return summary_cached("people", filters, lambda: _people_direct_count(filters))


def _people_direct_count(filters: CapabilityFilters) -> dict[int, list[int]]:
    if filters.skill_code:
        rows = ReportRequirement.objects.filter(filters.people_q(), skill_code=filters.skill_code)
        aggregates = _pair_aggregates(filters.basis)
    else:
        rows = ReportPerson.objects.filter(filters.people_q())
        aggregates = _people_aggregates(filters.basis)
    # Named apart from the summary's own columns ("stale", "requirements"), which the aggregates read.
    named = {f"figure_{name}": aggregate for name, aggregate in aggregates.items()}
    return {
        row["org_unit_id"]: [row[f"figure_{name}"] or 0 for name in PEOPLE_FIGURES]
        for row in rows.order_by().values("org_unit_id").annotate(**named)
    }


@dataclass(frozen=True)
class PeopleFigures:
    """One row of people figures: counts, or None where suppressed (`hidden`)."""

    values: dict[str, int]
    hidden_headcount: bool
    hidden: bool

    def count(self, name: str) -> int | None:
        if name == "headcount":
            return None if self.hidden_headcount else self.values["headcount"]
        return None if self.hidden else self.values[name]

    def share(self, name: str) -> int | None:
        """`name` as a whole percentage of the people with a role level."""
        if self.hidden or not self.values["with_role_level"]:
            return None
        return round(100 * self.values[name] / self.values["with_role_level"])

    @property
    def average_gap(self) -> float | None:
        """Steps short of the required level, on average over every requirement."""
        if self.hidden or not self.values["requirements"]:
            return None
        return round(self.values["gap_sum"] / self.values["requirements"], 2)


@dataclass(frozen=True)
class UnitRow:
    label: str
    unit_id: int | None
    direct: bool
    figures: PeopleFigures
    has_children: bool = False


@dataclass(frozen=True)
class PeopleReport:
    """The dashboard's figures: the total of what is viewed and one row per unit in it."""

    title: str
    total: PeopleFigures
    rows: list[UnitRow]
    too_few: bool


def _empty_people() -> list[int]:
    return [0] * len(PEOPLE_FIGURES)


def _figures(totals: dict, node, hidden_head: set, hidden: set) -> PeopleFigures:
    values = dict(zip(PEOPLE_FIGURES, totals.get(node, _empty_people()), strict=True))
    return PeopleFigures(values=values, hidden_headcount=node in hidden_head, hidden=node in hidden)


def _scope_total(totals: dict, roots: list[int]) -> list[int]:
    sums = _empty_people()
    for root in roots:
        for index, value in enumerate(totals.get(root, _empty_people())):
            sums[index] += value
    return sums


def people_report(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int) -> PeopleReport:
    """The people figures of the viewed unit (or of the viewer's whole scope) and of each unit in it. One query:
    each unit's own figures, rolled up the tree in Python (a few thousand units at most)."""
    totals = tree.roll_up(_people_direct(filters))
    groups = tree.groups()
    hidden_head = suppressed_cells(
        groups=groups, populations={node: values[0] for node, values in totals.items()}, threshold=threshold
    )
    hidden = suppressed_cells(
        groups=groups, populations={node: values[1] for node, values in totals.items()}, threshold=threshold
    )
    if filters.unit is not None:
        unit_id = filters.unit.pk
        total = _figures(totals, unit_id, hidden_head, hidden)
        title = tree.units[unit_id].full_name
        members = [("direct", unit_id), *tree.children(unit_id)]
    else:
        roots = scope.roots
        values = _scope_total(totals, roots)
        # The scope's total is the sum of its units: shown only where every one of them is.
        total = PeopleFigures(
            values=dict(zip(PEOPLE_FIGURES, values, strict=True)),
            hidden_headcount=any(root in hidden_head for root in roots) or 0 < values[0] < threshold,
            hidden=any(root in hidden for root in roots) or 0 < values[1] < threshold,
        )
        title = "All your organisation units" if len(roots) != 1 else tree.units[roots[0]].full_name
        members = list(roots) if len(roots) != 1 else [("direct", roots[0]), *tree.children(roots[0])]
    rows = []
    for node in members:
        figures = _figures(totals, node, hidden_head, hidden)
        if not figures.values["headcount"]:
            continue
        if isinstance(node, tuple):
            rows.append(
                UnitRow(label=f"Directly in {tree.units[node[1]].name}", unit_id=node[1], direct=True, figures=figures)
            )
        else:
            rows.append(
                UnitRow(label=tree.units[node].name, unit_id=node, direct=False, figures=figures, has_children=True)
            )
    too_few = total.values["headcount"] < threshold
    return PeopleReport(title=title, total=total, rows=rows, too_few=too_few)


# --- Unit × skill figures (the heatmap, single points of failure, trends) -----------------------------------------


@dataclass(frozen=True)
class SkillCell:
    population: int
    met: int
    hidden: bool

    @property
    def share(self) -> int | None:
        if self.hidden or not self.population:
            return None
        return round(100 * self.met / self.population)


@dataclass
class SkillFigures:
    """Per skill code: node (unit id, or ("direct", unit id)) -> SkillCell; and the skills' names."""

    cells: dict[str, dict]
    names: dict[str, str]

    def cell(self, skill_code: str, node) -> SkillCell:
        return self.cells.get(skill_code, {}).get(node, SkillCell(population=0, met=0, hidden=False))


def latest_snapshot_date() -> date | None:
    return CapabilitySnapshot.objects.aggregate(latest=Max("date"))["latest"]


def _snapshot_figures(*, nodes: list, basis: str, skill_code: str = "") -> SkillFigures:
    """The day's precomputed figures for these nodes (no filter but the unit). One query."""
    day = latest_snapshot_date()
    met_field = "met" if basis == VALIDATED else "met_claimed"
    unit_ids = {node for node in nodes if not isinstance(node, tuple)}
    direct_ids = {node[1] for node in nodes if isinstance(node, tuple)}
    rows = CapabilitySnapshot.objects.filter(date=day).filter(
        Q(org_unit_id__in=unit_ids, direct=False) | Q(org_unit_id__in=direct_ids, direct=True)
    )
    rows = rows.filter(skill_code=skill_code) if skill_code else rows.exclude(skill_code=ALL_SKILLS)
    cells: dict[str, dict] = defaultdict(dict)
    names: dict[str, str] = {}
    for org_unit_id, code, name, population, met, is_hidden, direct in rows.values_list(
        "org_unit_id", "skill_code", "skill_name", "population", met_field, "suppressed", "direct"
    ):
        node = ("direct", org_unit_id) if direct else org_unit_id
        cells[code][node] = SkillCell(population=population, met=met, hidden=is_hidden)
        names[code] = name
    return SkillFigures(cells=dict(cells), names=names)


def _counted_figures(*, filters: CapabilityFilters, tree: UnitTree, threshold: int) -> SkillFigures:
    """Figures counted afresh for filters the day's snapshot does not cover, over the whole organisation so that
    suppression is the same for every viewer. One query (two with the skills' names)."""
    direct = summary_cached("skills", filters, lambda: _skills_direct_count(filters))
    groups = tree.groups()
    cells: dict[str, dict] = {}
    for code, figures in direct.items():
        totals = tree.roll_up(figures)
        hidden = suppressed_cells(
            groups=groups, populations={node: values[0] for node, values in totals.items()}, threshold=threshold
        )
        cells[code] = {
            node: SkillCell(population=values[0], met=values[1], hidden=node in hidden)
            for node, values in totals.items()
        }
    return SkillFigures(cells=cells, names=skill_names(codes=list(cells)))


def _skills_direct_count(filters: CapabilityFilters) -> dict[str, dict[int, list[int]]]:
    """Each unit's own people's figures per skill: population and met. One query."""
    rows = ReportRequirement.objects.filter(filters.people_q())
    if filters.skill_code:
        rows = rows.filter(skill_code=filters.skill_code)
    rank = "validated_rank" if filters.basis == VALIDATED else "claimed_rank"
    direct: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for row in (
        rows.order_by()
        .values("org_unit_id", "skill_code")
        .annotate(population=Count("pk"), met=_count_when(Q(**{f"{rank}__gte": F("required_rank")})))
    ):
        direct[row["skill_code"]][row["org_unit_id"]] = [row["population"], row["met"] or 0]
    return dict(direct)


def skill_names(*, codes: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in Skill.objects.filter(code__in=codes).order_by("release_id").values_list("code", "name"):
        names[code] = name
    return names


def skill_figures(*, filters: CapabilityFilters, nodes: list, tree: UnitTree, threshold: int) -> SkillFigures:
    if filters.narrows_people:
        return _counted_figures(filters=filters, tree=tree, threshold=threshold)
    return _snapshot_figures(nodes=nodes, basis=filters.basis)


# --- The heatmaps ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    unit_id: int | None
    direct: bool
    has_children: bool
    cells: list[SkillCell]


@dataclass(frozen=True)
class Heatmap:
    """Units (rows) × skills or role families (columns): the share meeting the requirement and the people it is
    a share of. `total` is the viewed unit (or the viewer's scope), `rows` the unit's own people and each unit
    below it."""

    title: str
    columns: list[tuple[str, str]]  # (key, name)
    total: HeatmapRow
    rows: list[HeatmapRow]
    too_few: bool


def view_nodes(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree) -> tuple[object, list, str]:
    """What is viewed: the total node (a unit id, or "scope" for several units at once), its member nodes in
    order, and its title."""
    roots = scope.roots
    unit_id = filters.unit.pk if filters.unit is not None else (roots[0] if len(roots) == 1 else None)
    if unit_id is None:
        return "scope", list(roots), "All your organisation units"
    return unit_id, [("direct", unit_id), *tree.children(unit_id)], tree.units[unit_id].full_name


def _scope_cell(cells: list[SkillCell], threshold: int) -> SkillCell:
    population = sum(cell.population for cell in cells)
    met = sum(cell.met for cell in cells)
    hidden = any(cell.hidden for cell in cells) or 0 < population < threshold
    return SkillCell(population=population, met=met, hidden=hidden)


def _heatmap(*, figures: SkillFigures, total, members: list, title: str, tree: UnitTree, threshold: int) -> Heatmap:
    def cell(code, node) -> SkillCell:
        if node == "scope":
            return _scope_cell([figures.cell(code, root) for root in members], threshold)
        return figures.cell(code, node)

    codes = [code for code in figures.cells if cell(code, total).population]
    codes.sort(key=lambda code: figures.names.get(code, code).casefold())
    rows = []
    for node in members:
        cells = [cell(code, node) for code in codes]
        if not any(item.population for item in cells):
            continue
        direct = isinstance(node, tuple)
        unit_id = node[1] if direct else node
        label = f"Directly in {tree.units[unit_id].name}" if direct else tree.units[unit_id].name
        rows.append(
            HeatmapRow(
                label=label,
                unit_id=unit_id,
                direct=direct,
                has_children=not direct and bool(tree.children(unit_id)),
                cells=cells,
            )
        )
    total_cells = [cell(code, total) for code in codes]
    total_row = HeatmapRow(
        label=f"All of {title}" if total != "scope" else title,
        unit_id=None if total == "scope" else total,
        direct=False,
        has_children=False,
        cells=total_cells,
    )
    too_few = not any(item.population and not item.hidden for item in total_cells)
    return Heatmap(
        title=title,
        columns=[(code, figures.names.get(code, code)) for code in codes],
        total=total_row,
        rows=rows,
        too_few=too_few,
    )


def skill_heatmap(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int) -> Heatmap:
    """Unit × skill. Unfiltered, it reads the day's snapshot (one query); filtered, it counts afresh over the whole
    organisation (two queries)."""
    total, members, title = view_nodes(filters=filters, scope=scope, tree=tree)
    nodes = [*members, total] if total != "scope" else members
    figures = skill_figures(filters=filters, nodes=nodes, tree=tree, threshold=threshold)
    return _heatmap(figures=figures, total=total, members=members, title=title, tree=tree, threshold=threshold)


def role_family_heatmap(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int) -> Heatmap:
    """Unit × role family: of the people whose role is in the family, the share meeting every requirement of their
    role level. Two queries (the figures, the families' names)."""
    total, members, title = view_nodes(filters=filters, scope=scope, tree=tree)
    direct = summary_cached("families", filters, lambda: _families_direct_count(filters))
    groups = tree.groups()
    cells: dict[str, dict] = {}
    for key, values in direct.items():
        totals = tree.roll_up(values)
        hidden = suppressed_cells(
            groups=groups, populations={node: figures[0] for node, figures in totals.items()}, threshold=threshold
        )
        cells[key] = {
            node: SkillCell(population=figures[0], met=figures[1], hidden=node in hidden)
            for node, figures in totals.items()
        }
    names = {
        str(pk): f"{name} ({label})"
        for pk, name, label in RoleFamily.objects.filter(pk__in=[int(key) for key in cells]).values_list(
            "pk", "name", "release__label"
        )
    }
    figures = SkillFigures(cells=cells, names=names)
    return _heatmap(figures=figures, total=total, members=members, title=title, tree=tree, threshold=threshold)


def _families_direct_count(filters: CapabilityFilters) -> dict[str, dict[int, list[int]]]:
    """Each unit's own people with a role level, per role family: population and meeting every requirement. One
    query."""
    met = "met" if filters.basis == VALIDATED else "met_claimed"
    direct: dict[str, dict[int, list[int]]] = defaultdict(dict)
    rows = ReportPerson.objects.filter(filters.people_q(), requirements__gt=0)
    if filters.skill_code:
        rows = rows.filter(
            person_id__in=ReportRequirement.objects.filter(skill_code=filters.skill_code).values("person_id")
        )
    for row in (
        rows.order_by()
        .values("org_unit_id", "role_family_id")
        .annotate(population=Count("pk"), met=_count_when(Q(**{met: F("requirements")})))
    ):
        direct[str(row["role_family_id"])][row["org_unit_id"]] = [row["population"], row["met"] or 0]
    return dict(direct)


# --- Single points of failure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SinglePoint:
    unit_id: int
    unit_name: str
    skill_code: str
    skill_name: str
    population: int


def single_points_of_failure(
    *, filters: CapabilityFilters, scope: Scope, tree: UnitTree, threshold: int, limit: int = 50
) -> tuple[list[SinglePoint], int]:
    """Skills that fewer than two of the people who need them hold at the required level, per unit (with everything
    below it) within what is viewed; only where the group is large enough to report (at least `threshold`
    people and not suppressed). The first `limit`, smallest share first, and how many there are."""
    total, members, _title = view_nodes(filters=filters, scope=scope, tree=tree)
    roots = members if total == "scope" else [total]
    in_view = {
        unit_id
        for unit_id, unit in tree.units.items()
        if any(unit.path.startswith(tree.units[root].path) for root in roots)
    }
    found = []
    if filters.narrows_people:
        figures = _counted_figures(filters=filters, tree=tree, threshold=threshold)
        for code, cells in figures.cells.items():
            for node, item in cells.items():
                if node in in_view and not item.hidden and item.population >= threshold and item.met < 2:
                    found.append(
                        (item.met / item.population, node, code, figures.names.get(code, code), item.population)
                    )
    else:
        met = "met" if filters.basis == VALIDATED else "met_claimed"
        rows = (
            CapabilitySnapshot.objects.filter(
                date=latest_snapshot_date(),
                direct=False,
                suppressed=False,
                population__gte=threshold,
                org_unit_id__in=in_view,
                **{f"{met}__lt": 2},
            )
            .exclude(skill_code=ALL_SKILLS)
            .values_list("org_unit_id", "skill_code", "skill_name", "population", met)
        )
        for unit_id, code, name, population, held in rows:
            found.append((held / population, unit_id, code, name, population))
    found.sort(key=lambda item: (item[0], tree.units[item[1]].full_name, item[3]))
    points = [
        SinglePoint(
            unit_id=unit_id,
            unit_name=tree.units[unit_id].full_name,
            skill_code=code,
            skill_name=name,
            population=population,
        )
        for _share, unit_id, code, name, population in found[:limit]
    ]
    return points, len(found)


# --- The individuals behind the figures -----------------------------------------------------------------------------


def individuals(*, filters: CapabilityFilters, scope: Scope, tree: UnitTree) -> QuerySet:
    """The people behind what is viewed, for a viewer with the permission to see them: their summary rows (or,
    with a skill chosen, their requirement in it), with name, unit, grade and role level. Three queries a page
    whatever its length: the count, the rows, nothing else (joined)."""
    total, members, _title = view_nodes(filters=filters, scope=scope, tree=tree)
    roots = members if total == "scope" else [total]
    within = Q(pk__in=[])
    for root in roots:
        within |= Q(org_unit__path__startswith=tree.units[root].path)
    if filters.skill_code:
        rows = ReportRequirement.objects.filter(filters.people_q(), within, skill_code=filters.skill_code)
    else:
        rows = ReportPerson.objects.filter(filters.people_q(), within)
    return rows.select_related("person__user", "org_unit", "grade", "role_level__role", "role_level__release").order_by(
        "person__user__last_name", "person__user__first_name", "person_id"
    )


# --- Trends -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendFigure:
    date: date
    population: int
    met: int
    hidden: bool

    @property
    def share(self) -> float | None:
        if self.hidden or not self.population:
            return None
        return round(100 * self.met / self.population, 1)


def trend(*, unit_ids: list[int], skill_code: str, basis: str, today: date, threshold: int) -> list[TrendFigure]:
    """The last 12 months of daily snapshots for these units together (each with everything below it) and a skill
    ("" for every requirement). A day's figure is hidden where that day's snapshot hid any of its units. One
    query."""
    met_field = "met" if basis == VALIDATED else "met_claimed"
    by_day: dict[date, list] = {}
    for day, population, met, is_hidden in (
        CapabilitySnapshot.objects.filter(
            org_unit_id__in=unit_ids,
            direct=False,
            skill_code=skill_code,
            date__gt=today - relativedelta(months=12),
            date__lte=today,
        )
        .order_by("date")
        .values_list("date", "population", met_field, "suppressed")
    ):
        sums = by_day.setdefault(day, [0, 0, False])
        sums[0] += population
        sums[1] += met
        sums[2] = sums[2] or is_hidden
    return [
        TrendFigure(date=day, population=population, met=met, hidden=hidden or 0 < population < threshold)
        for day, (population, met, hidden) in by_day.items()
    ]
