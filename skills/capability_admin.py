"""HR's capability reports in the Wagtail admin (Capability reports menu; docs/decisions/0213).

Every view needs `skills.view_capability_reports` (the HR analyst role has it); the people behind the figures need
`skills.view_capability_individuals` as well, and each look at them is audited. A viewer sees only the units they
look after (a superuser, every unit). Each view builds `ReportTable`s once and renders the page, the CSV, the XLSX
and the PDF from them, so that no output shows what another hides.
"""

from dataclasses import replace
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease
from skills import capability_exports
from skills.charts import TrendPoint, day_label, monthly_points, percent_label, trend_chart_svg
from skills.filters import CapabilityFilterSet
from skills.selectors.capability import (
    ALL_SKILLS,
    CLAIMED,
    VALIDATED,
    CapabilityFilters,
    Heatmap,
    HeatmapRow,
    PeopleFigures,
    PeopleReport,
    individuals,
    people_report,
    report_as_of,
    role_family_heatmap,
    scope_for,
    single_points_of_failure,
    skill_heatmap,
    summary_cached,
    summary_version,
    trend,
    unit_options,
    unit_tree,
    units_in_scope,
    view_key,
    view_nodes,
)
from skills.selectors.capability_demand import expiring_certifications, training_demand
from skills.selectors.hr import hr_unit_paths
from skills.selectors.report_tables import SUPPRESSED_NOTE, Cell, ReportTable
from skills.tasks import capability_summary_refresh

VIEW_REPORTS = "skills.view_capability_reports"
VIEW_INDIVIDUALS = "skills.view_capability_individuals"
PAGE_SIZE = 50
EXPORTS = ("csv", "xlsx", "pdf")
# WeasyPrint lays out about a hundred table cells a second: past this many, a PDF would take minutes (a whole
# department's heatmap by skill), so the page offers the spreadsheet instead and says how to narrow it.
PDF_MAX_CELLS = 3000


def cell_count(tables) -> int:
    return sum(len(table.rows) * len(table.columns) for table in tables)


def threshold() -> int:
    return settings.CAPABILITY_SMALL_GROUP_THRESHOLD


def refused(request, message: str = "Only HR analysts can see capability reports."):
    """403 for an admin user without the permission (Wagtail's admin would turn a raised PermissionDenied into a
    redirect to its home page, which hides the refusal)."""
    return permission_denied(request, PermissionDenied(message))


def _pct(value) -> object:
    return None if value is None else f"{value}%"


class CapabilityView(WagtailAdminTemplateMixin, TemplateView):
    """The frame every report shares: the permission, the viewer's scope, the filters, and the exports."""

    header_icon = "table"
    permission = VIEW_REPORTS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS) or not request.user.has_perm(self.permission):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        self.tree = unit_tree()
        paths = hr_unit_paths(user=request.user)  # read once, for the scope and the unit choices
        self.scope = scope_for(user=request.user, tree=self.tree, paths=paths)
        releases = FrameworkRelease.objects.exclude(status=ReleaseStatus.DRAFT).values("pk")
        self.as_of = report_as_of()
        if self.as_of is None:
            # Nothing counted yet (a new installation): count now, in the worker (inline where Celery is eager).
            capability_summary_refresh.delay()
            self.as_of = report_as_of()
        self.filterset = CapabilityFilterSet(
            request.GET or None,
            units=units_in_scope(user=request.user, paths=paths),
            releases=releases,
            queryset=None,
            options_version=summary_version(self.as_of) if self.as_of is not None else None,
            unit_options=unit_options(tree=self.tree, paths=paths),
        )
        self.filters = self._filters()
        if self.filters is not None and self.as_of is not None:
            self.filters = replace(self.filters, version=summary_version(self.as_of))
        context = {
            "refresh_minutes": settings.CAPABILITY_REPORTS_REFRESH_MINUTES,
            "filters_form": self.filterset.form,
            "as_of": self.as_of,
            "threshold": threshold(),
            "suppressed_note": SUPPRESSED_NOTE.format(threshold=threshold()),
            "no_scope": not self.scope.roots,
            "query": self._query_without("export", "page"),
            "can_see_individuals": request.user.has_perm(VIEW_INDIVIDUALS),
            "filters_in_use": self.filters_in_use(),
            "unit_trail": self.unit_trail(),
        }
        if self.filters is not None and self.scope.roots and self.as_of is not None:
            context.update(self.report())
        context["pdf_too_big"] = cell_count(context.get("tables", ())) > PDF_MAX_CELLS
        export = request.GET.get("export")
        if export in EXPORTS and "tables" in context and not (export == "pdf" and context["pdf_too_big"]):
            return self.export(export, context)
        return self.render_to_response(self.get_context_data(**context))

    def _filters(self) -> CapabilityFilters | None:
        """The filters chosen, or None when the form has errors (then nothing is counted)."""
        if not self.filterset.is_bound:
            return CapabilityFilters()
        if not self.filterset.is_valid():
            return None
        data = self.filterset.form.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return CapabilityFilters(
            unit=data.get("unit"),
            grade_id=pk("grade"),
            profession_id=pk("profession"),
            role_family_id=pk("role_family"),
            role_id=pk("role"),
            role_level_id=pk("role_level"),
            release_id=pk("release"),
            skill_code=data.get("skill") or "",
            basis=CLAIMED if data.get("basis") == CLAIMED else VALIDATED,
            assessed_since=data.get("assessed_since"),
        )

    def _query_without(self, *names) -> str:
        query = self.request.GET.copy()
        for name in names:
            query.pop(name, None)
        return query.urlencode()

    def url_with(self, name: str, **params) -> str:
        query = self.request.GET.copy()
        for key in ("export", "page"):
            query.pop(key, None)
        for key, value in params.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = value
        return f"{reverse(name)}?{query.urlencode()}"

    def unit_trail(self) -> list[tuple[str, str]]:
        """The way back up from a unit drilled down to: (name, link) for each unit above it that the viewer looks
        after, and for all of their units when they have several; then the unit itself, with no link. Empty when
        no unit is chosen. Drawn from the tree already read, so it costs no query."""
        unit = self.filters.unit if self.filters is not None else None
        if unit is None or unit.pk not in self.tree.units or not self.scope.contains(self.tree, unit.pk):
            return []
        name = self.request.resolver_match.url_name
        trail = []
        if len(self.scope.roots) > 1:
            trail.append(("All your organisation units", self.url_with(name, unit=None)))
        for unit_id in self.tree.ancestors_and_self(unit.pk)[:-1]:
            if self.scope.contains(self.tree, unit_id):
                trail.append((self.tree.units[unit_id].name, self.url_with(name, unit=unit_id)))
        return [*trail, (self.tree.units[unit.pk].name, "")]

    def filters_in_use(self) -> list[tuple[str, str]]:
        """The filters set to something other than their default, for the summary above the filter form."""
        if not self.filterset.is_bound or self.filters is None:
            return []
        defaults = {"All yours", "Any", "Validated"}
        return [(label, value) for label, value in self.filters_used() if value not in defaults]

    def filters_used(self) -> list[tuple[str, str]]:
        """Each filter as the form shows it, for the files: label and chosen value."""
        used = []
        form = self.filterset.form
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name) if self.filterset.is_bound and hasattr(form, "cleaned_data") else None
            if value in (None, ""):
                shown = "All yours" if name == "unit" else "Validated" if name == "basis" else "Any"
            elif hasattr(field, "label_from_instance") and not isinstance(value, str | date):
                shown = field.label_from_instance(value)
            elif name == "skill":
                shown = dict(field.choices).get(value, value)
            elif name == "basis":
                shown = "Claimed" if value == CLAIMED else "Validated"
            else:
                shown = str(value)
            used.append((str(field.label), shown))
        return used

    def export(self, which: str, context: dict):
        tables = context["tables"]
        title = f"{self.get_page_title()}: {context.get('report_title', '')}".rstrip(": ")
        as_of = self.as_of.finished_at
        name = self.export_name
        if which == "csv":
            return capability_exports.csv_response(
                name=name, tables=tables, title=title, filters_used=self.filters_used(), as_of=as_of
            )
        if which == "xlsx":
            return capability_exports.xlsx_response(
                name=name, tables=tables, title=title, filters_used=self.filters_used(), as_of=as_of
            )
        return capability_exports.pdf_response(
            name=name,
            tables=tables,
            title=title,
            filters_used=self.filters_used(),
            as_of=as_of,
            charts=context.get("charts", ()),
        )

    def report(self) -> dict:
        """The report's context, with its `tables` for the exports: each view says what it shows."""
        return {}


# --- The dashboard -------------------------------------------------------------------------------------------------

PEOPLE_COLUMNS = [
    "Unit",
    "People",
    "With a role level",
    "Assessed (claimed)",
    "Validated",
    "Meeting their role level",
    "1 level below",
    "2 levels below",
    "3 or more below",
    "Average gap (levels)",
    "Stale assessments",
]


def _people_cells(label: Cell, figures: PeopleFigures) -> list[Cell]:
    hidden = figures.hidden

    def count(name):
        return Cell(value=figures.count(name), suppressed=hidden)

    return [
        label,
        Cell(value=figures.count("headcount"), suppressed=figures.hidden_headcount),
        count("with_role_level"),
        Cell(value=_pct(figures.share("assessed")), suppressed=hidden),
        Cell(value=_pct(figures.share("validated")), suppressed=hidden),
        Cell(value=_pct(figures.share("meeting")), suppressed=hidden),
        count("below_1"),
        count("below_2"),
        count("below_3"),
        Cell(value=figures.average_gap, suppressed=hidden),
        count("stale"),
    ]


def total_label(title: str) -> str:
    """The heading of a table's total row: the viewed unit, or all of the viewer's units."""
    return "All your organisation units" if title.startswith("All your") else f"All of {title}"


def headline_table(report: PeopleReport, single_points: int) -> ReportTable:
    total = report.total
    hidden = total.hidden
    rows = [
        ("People", total.count("headcount"), total.hidden_headcount),
        ("People with a role level", total.count("with_role_level"), hidden),
        ("Assessed: claimed at least one skill their role level needs", _pct(total.share("assessed")), hidden),
        ("Validated in at least one skill their role level needs", _pct(total.share("validated")), hidden),
        ("Meeting every requirement of their role level", _pct(total.share("meeting")), hidden),
        ("1 level below in their largest gap", total.count("below_1"), hidden),
        ("2 levels below in their largest gap", total.count("below_2"), hidden),
        ("3 or more levels below in their largest gap", total.count("below_3"), hidden),
        ("Average gap, in levels per requirement", total.average_gap, hidden),
        ("People with stale assessments", total.count("stale"), hidden),
        ("Single points of failure (unit and skill)", single_points, False),
    ]
    return ReportTable(
        title=f"Capability of {report.title}",
        columns=["Figure", "Value"],
        rows=[[Cell(value=label), Cell(value=value, suppressed=is_hidden)] for label, value, is_hidden in rows],
        name="summary",
    )


def expiring_table(expiring, *, hidden: bool) -> ReportTable:
    return ReportTable(
        title="Certifications expiring",
        columns=["Expiring within", "Certificates issued by Capability", "Certifications earned elsewhere"],
        rows=[
            [
                Cell(value=f"{row.days} days"),
                Cell(value=row.capability, suppressed=hidden),
                Cell(value=row.external, suppressed=hidden),
            ]
            for row in expiring
        ],
        notes=[
            "Valid certificates (not renewed yet) and confirmed certifications from other bodies held by the people "
            "counted here, expiring after today and within each period; each period includes the shorter ones."
        ],
        name="expiring",
    )


def demand_table(labels: list[str], rows) -> ReportTable:
    return ReportTable(
        title="Training demand against gaps",
        columns=[
            "Skill",
            "People who need it",
            "Below the level they need",
            *[f"Of them: {label}" for label in labels],
        ],
        rows=[
            [
                Cell(value=row.skill_name),
                Cell(value=row.population),
                Cell(value=row.below),
                *[Cell(value=count) for count in row.waiting],
            ]
            for row in rows
        ],
        notes=[
            "The skills with the most people below the level their role level needs, and how many of those are "
            "waiting for training in the skill. Skills needed by too few people to report are left out."
        ],
        name="demand",
    )


class DashboardView(CapabilityView):
    """The figures of the viewer's units (or one unit), a row per unit in it, the single points of failure, and
    the trend of the share meeting the requirements."""

    template_name = "skills/capability/dashboard.html"
    page_title = "Capability dashboard"
    export_name = "dashboard"

    def report(self) -> dict:
        # What is counted from the summary and the day's snapshot, suppressed, is cached for the refresh (and the
        # viewed unit, the scope and the tree: `view_key`); the certifications expiring and the people waiting for
        # training are read afresh on every request.
        view = view_key(filters=self.filters, scope=self.scope, tree=self.tree, threshold=threshold())
        report = summary_cached(
            "people-report",
            self.filters,
            lambda: people_report(filters=self.filters, scope=self.scope, tree=self.tree, threshold=threshold()),
            view=view,
        )
        points, point_count = summary_cached(
            "single-points",
            self.filters,
            lambda: single_points_of_failure(
                filters=self.filters, scope=self.scope, tree=self.tree, threshold=threshold()
            ),
            view=view,
        )
        rows = []
        for row in report.rows:
            url = "" if row.direct else self.url_with("skills_capability_dashboard", unit=row.unit_id)
            rows.append(_people_cells(Cell(value=row.label, url=url), row.figures))
        units = ReportTable(
            title=f"By unit in {report.title}",
            columns=PEOPLE_COLUMNS,
            rows=[*rows, _people_cells(Cell(value=total_label(report.title)), report.total)],
            notes=["Percentages are of the people with a role level."],
            name="units",
        )
        spof = ReportTable(
            title="Single points of failure",
            columns=["Unit", "Skill", "People who need it"],
            rows=[
                [Cell(value=point.unit_name), Cell(value=point.skill_name), Cell(value=point.population)]
                for point in points
            ],
            notes=[
                "Skills that fewer than two of the people who need them hold at the required level, in units of at "
                f"least {threshold()} such people. Smaller groups are not listed, to protect their privacy."
            ],
            name="single-points",
        )
        expiring = expiring_table(
            expiring_certifications(filters=self.filters, scope=self.scope, tree=self.tree, today=timezone.localdate()),
            hidden=report.total.hidden_headcount,
        )
        demand = demand_table(
            *training_demand(filters=self.filters, scope=self.scope, tree=self.tree, threshold=threshold())
        )
        trend_context = trend_for(view=self, skill_code=self.filters.skill_code)
        tables = [headline_table(report, point_count), units, spof, expiring, demand, trend_context["trend_table"]]
        total = report.total
        cards = [
            ("People", "[c]" if total.hidden_headcount else f"{total.values['headcount']:,}"),
            ("Meeting their role level", "[c]" if total.hidden else _pct(total.share("meeting")) or "–"),
            (
                "Average gap, in levels",
                "[c]" if total.hidden else total.average_gap if total.average_gap is not None else "–",
            ),
            ("Single points of failure", f"{point_count:,}"),
        ]
        return {
            "cards": cards,
            "report": report,
            "report_title": report.title,
            "too_few": report.too_few,
            "headline": tables[0],
            "units_table": units,
            "single_points": spof,
            "single_point_count": point_count,
            "expiring": expiring,
            "demand": demand,
            "tables": [] if report.too_few else tables,
            **trend_context,
        }


# --- Trends ----------------------------------------------------------------------------------------------------------


def trend_for(*, view: CapabilityView, skill_code: str) -> dict:
    """The trend of what is viewed (its units, one skill or all of them), as a chart and as a table: drawn from
    the snapshots, which only a refresh writes, so cached for the refresh, the view and the day."""
    today = timezone.localdate()
    return summary_cached(
        f"trend:{skill_code}",
        view.filters,
        lambda: _trend_for(view=view, skill_code=skill_code, today=today),
        view=view_key(filters=view.filters, scope=view.scope, tree=view.tree, threshold=threshold(), today=today),
    )


def _trend_for(*, view: CapabilityView, skill_code: str, today: date) -> dict:
    total, members, title = view_nodes(filters=view.filters, scope=view.scope, tree=view.tree)
    unit_ids = members if total == "scope" else [total]
    figures = trend(
        unit_ids=unit_ids,
        skill_code=skill_code or ALL_SKILLS,
        basis=view.filters.basis,
        today=today,
        threshold=threshold(),
    )
    if skill_code:
        choices = dict(view.filterset.form.fields["skill"].choices)
        what = f"people who need {choices.get(skill_code, skill_code)} meeting the level their role level needs"
        columns = ["Date", "Share", "Meeting it", "People who need it"]
    else:
        what = "people meeting every requirement of their role level"
        columns = ["Date", "Share", "Meeting every requirement", "People with a role level"]
    chart_title = f"Share of {what}, in {title}, over 12 months"
    points = monthly_points(
        [TrendPoint(date=figure.date, value=figure.share, suppressed=figure.hidden) for figure in figures]
    )
    chart = trend_chart_svg(
        title=chart_title,
        description=(
            f"A line chart of the share of {what}, by {view.filters.basis} levels, at the end of each month; "
            "the same figures are in the table that follows."
        ),
        points=points,
        id_prefix="trend",
    )
    by_date = {figure.date: figure for figure in figures}
    rows = []
    # The share next to the date, as the chart pairs them, so that on a phone it is in view without scrolling;
    # dates written as the chart writes them, and shares to the same precision.
    for point in points:
        figure = by_date.get(point.date)
        if figure is None:
            rows.append([Cell(value=day_label(point.date)), Cell(value="No figures"), Cell(), Cell()])
            continue
        share = percent_label(figure.share) if figure.share is not None else None
        rows.append(
            [
                Cell(value=day_label(point.date)),
                Cell(value=share, suppressed=figure.hidden),
                Cell(value=figure.met, suppressed=figure.hidden),
                Cell(value=figure.population, suppressed=figure.hidden),
            ]
        )
    table = ReportTable(
        title=chart_title,
        columns=columns,
        rows=rows,
        notes=["Trends follow only the unit and skill filters. Each month shows its last day's figures."],
        name="trend",
    )
    return {"chart": chart, "charts": [chart], "trend_table": table, "trend_points": len(points)}


class TrendsView(CapabilityView):
    template_name = "skills/capability/trends.html"
    page_title = "Capability trends"
    export_name = "trends"

    def report(self) -> dict:
        trend_context = trend_for(view=self, skill_code=self.filters.skill_code)
        _total, _members, title = view_nodes(filters=self.filters, scope=self.scope, tree=self.tree)
        return {"report_title": title, "tables": [trend_context["trend_table"]], "too_few": False, **trend_context}


# --- The heatmaps ----------------------------------------------------------------------------------------------------


def most_needed_first(heatmap: Heatmap) -> Heatmap:
    """The heatmap with its columns in order of how many people in what is viewed need them, the most first (then
    by name): with a column for each of a hundred skills, the ones that matter to most people come first, rather
    than wherever their name falls in the alphabet. Only a shown total orders a column: those whose total is
    suppressed come last, in name order, so the order gives away nothing about a hidden population."""

    def key(index: int):
        total = heatmap.total.cells[index]
        name = heatmap.columns[index][1].casefold()
        return (1, 0, name) if total.hidden else (0, -total.population, name)

    order = sorted(range(len(heatmap.columns)), key=key)

    def reordered(row: HeatmapRow) -> HeatmapRow:
        return replace(row, cells=[row.cells[index] for index in order])

    return replace(
        heatmap,
        columns=[heatmap.columns[index] for index in order],
        total=reordered(heatmap.total),
        rows=[reordered(row) for row in heatmap.rows],
    )


def heatmap_tables(heatmap: Heatmap, *, by: str, drill) -> list[ReportTable]:
    """The heatmap as two tables: the share meeting the requirement (the page's grid), and the people each share
    is of."""
    what = "skill" if by == "skill" else "role family"
    columns = ["Unit", *[name for _key, name in heatmap.columns]]

    def label(row) -> Cell:
        return Cell(value=row.label, url=drill(row))

    shares = [
        [label(row), *[Cell(value=_pct(cell.share), suppressed=cell.hidden, share=cell.share) for cell in row.cells]]
        for row in [*heatmap.rows, heatmap.total]
    ]
    people = [
        [Cell(value=row.label), *[Cell(value=cell.population, suppressed=cell.hidden) for cell in row.cells]]
        for row in [*heatmap.rows, heatmap.total]
    ]
    return [
        ReportTable(
            title=f"Share meeting the requirement, by unit and {what}, in {heatmap.title}",
            columns=columns,
            rows=shares,
            notes=[
                "Each figure is the share of the people whose role level needs the "
                + ("skill" if by == "skill" else "role family's skills")
                + " who meet the level it needs."
            ],
            name=f"heatmap-{by.replace(' ', '-')}",
        ),
        ReportTable(
            title=f"People behind each share, by unit and {what}, in {heatmap.title}",
            columns=columns,
            rows=people,
            name=f"people-{by.replace(' ', '-')}",
        ),
    ]


class HeatmapView(CapabilityView):
    """Unit × skill (or × role family): the share meeting the requirement; a unit's row drills down to the units
    below it, and a team's row to its people for viewers who may see them."""

    template_name = "skills/capability/heatmap.html"
    page_title = "Capability heatmap"

    @property
    def by(self) -> str:
        return "family" if self.request.GET.get("by") == "family" else "skill"

    @property
    def export_name(self) -> str:
        return f"heatmap-{self.by}"

    def report(self) -> dict:
        build = role_family_heatmap if self.by == "family" else skill_heatmap
        heatmap = most_needed_first(
            build(filters=self.filters, scope=self.scope, tree=self.tree, threshold=threshold())
        )
        can_see = self.request.user.has_perm(VIEW_INDIVIDUALS)

        def drill(row) -> str:
            if row.unit_id is None or row.label.startswith("All of"):
                return ""
            if row.has_children:
                return self.url_with("skills_capability_heatmap", unit=row.unit_id)
            if can_see:
                return self.url_with("skills_capability_people", unit=row.unit_id)
            return ""

        tables = heatmap_tables(heatmap, by=self.by, drill=drill)
        grid = [
            (shares[0], list(zip(shares[1:], people[1:], strict=True)))
            for shares, people in zip(tables[0].rows, tables[1].rows, strict=True)
        ]
        return {
            "grid": grid,
            "heatmap": heatmap,
            "report_title": heatmap.title,
            "too_few": heatmap.too_few,
            "shares": tables[0],
            "people_table": tables[1],
            "tables": [] if heatmap.too_few else tables,
            "by": self.by,
            "skill_url": self.url_with("skills_capability_heatmap", by=None),
            "family_url": self.url_with("skills_capability_heatmap", by="family"),
        }


# --- The people behind the figures --------------------------------------------------------------------------------


class PeopleView(CapabilityView):
    """The individuals in what is viewed, for analysts with the permission, within their units; each look is
    audited (who, which unit, which filters)."""

    template_name = "skills/capability/people.html"
    page_title = "People behind the figures"
    export_name = "people"
    permission = VIEW_INDIVIDUALS

    def report(self) -> dict:
        rows = individuals(filters=self.filters, scope=self.scope, tree=self.tree)
        _total, _members, title = view_nodes(filters=self.filters, scope=self.scope, tree=self.tree)
        exporting = self.request.GET.get("export") in EXPORTS
        page = None if exporting else Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        shown = list(rows) if exporting else list(page)
        skill = self.filters.skill_code
        columns = ["Name", "Unit", "Grade", "Role level"]
        columns += (
            ["Required level (rank)", "Claimed (rank)", "Validated (rank)", "Stale"]
            if skill
            else ["Requirements", "Met (validated)", "Met (claimed)", "Largest gap", "Stale assessments"]
        )
        table_rows = []
        for row in shown:
            person = row.person
            role_level = f"{row.role_level.role.name}: {row.role_level.name}" if row.role_level_id else "None chosen"
            cells = [
                Cell(value=f"{person.user.first_name} {person.user.last_name}"),
                Cell(value=row.org_unit.full_name),
                Cell(value=row.grade.name),
                Cell(value=role_level),
            ]
            if skill:
                values = [row.required_rank, row.claimed_rank, row.validated_rank, "Yes" if row.stale else "No"]
            else:
                values = [row.requirements, row.met, row.met_claimed, row.max_gap, row.stale]
            table_rows.append(cells + [Cell(value=value) for value in values])
        unit = self.filters.unit or self.tree.units[self.scope.roots[0]]
        log(
            instance=unit,
            action="capability.skills.capability_individuals_view",
            user=self.request.user,
            data={"filters": dict(self.filters_used()), "people": len(table_rows), "export": exporting},
        )
        table = ReportTable(title=f"People in {title}", columns=columns, rows=table_rows, name="people")
        return {"report_title": title, "page": page, "people_table": table, "tables": [table], "too_few": False}
