"""Training reports and the import of training history, in the Wagtail admin (Training reports menu).

Reports need `courses.view_booking` (training administrators); importing history needs `courses.add_booking` as
well (the training administrators' right to record training on someone's behalf). Anyone else in the admin gets
403. Each report table pages by 50 and exports as CSV, formula-safe, with the same figures as the page.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from courses.importers.history import HISTORY_COLUMNS, MAX_BYTES
from courses.models import CoursePage
from courses.selectors.effectiveness import effectiveness_report
from courses.selectors.reports import (
    LONDON,
    SUPPRESSED,
    demand_by_skill,
    demand_without_sessions,
    small_group_threshold,
    training_report,
)
from courses.services.history import HistoryImportError, history_import
from frameworks.spreadsheets import FormulaSafeCsvWriter

VIEW_REPORTS = "courses.view_booking"
IMPORT_HISTORY = ("courses.view_booking", "courses.add_booking")
PAGE_SIZE = 50


class ReportFilterSet(django_filters.FilterSet):
    """The period (sessions starting in it, UK dates) and, optionally, one course. Plain GET: no JavaScript."""

    date_from = django_filters.DateFilter(
        label="From", method="keep", widget=forms.DateInput(attrs={"type": "date"}), help_text="e.g. 2026-04-01"
    )
    date_to = django_filters.DateFilter(
        label="To", method="keep", widget=forms.DateInput(attrs={"type": "date"}), help_text="e.g. 2027-03-31"
    )
    course = django_filters.ModelChoiceFilter(
        label="Course", method="keep", queryset=CoursePage.objects.order_by("title"), empty_label="All courses"
    )

    class Meta:
        model = CoursePage
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset

    def clean_period(self):
        data = self.form.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.form.add_error("date_to", "The end of the period must be on or after its start.")


def refused(request):
    """403 for an admin user without the permission (Wagtail's admin would turn a raised PermissionDenied into a
    redirect to its home page, which hides the refusal)."""
    return permission_denied(request, PermissionDenied("Only training administrators can see training reports."))


def _pct(value) -> str:
    if value is None:
        return ""
    return value if value == SUPPRESSED else f"{value}"


def _csv_response(name: str, headings: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.now():%Y-%m-%d}.csv"'
    writer = FormulaSafeCsvWriter(response)
    writer.writerow(headings)
    writer.writerows(rows)
    return response


def _score_cells(scores) -> list:
    return [scores.answers, _pct(scores.satisfaction), _pct(scores.relevance_to_work), _pct(scores.relevance_to_gap)]


FIGURE_HEADINGS = [
    "Sessions",
    "Capacity",
    "Places taken",
    "Fill rate %",
    "Waiting list",
    "Awaiting approval",
    "Attended",
    "No-show",
    "Attendance rate %",
    "No-show rate %",
    "Self-paced completions",
    "Evaluation answers",
    "Satisfaction (1-5)",
    "Relevance to work (1-5)",
    "Relevance to gap (1-5)",
]


def _figure_cells(figures) -> list:
    return [
        figures.sessions,
        figures.capacity,
        figures.places_taken,
        _pct(figures.fill_rate),
        figures.waitlisted,
        figures.awaiting_approval,
        figures.attended,
        figures.no_show,
        _pct(figures.attendance_rate),
        _pct(figures.no_show_rate),
        figures.completions,
        *_score_cells(figures.scores),
    ]


def _export(which: str, report, demand, skills):
    if which == "courses":
        rows = [[row.course_title, row.provider, *_figure_cells(row.figures)] for row in report.courses]
        return _csv_response("training-by-course", ["Course", "Provider", *FIGURE_HEADINGS], rows)
    if which == "sessions":
        rows = [
            [
                row.course_title,
                row.provider,
                row.starts_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M %Z"),
                row.town or "Online",
                row.status,
                *_figure_cells(row.figures)[1:],
            ]
            for row in report.sessions
        ]
        return _csv_response(
            "training-by-session", ["Course", "Provider", "Starts", "Town", "Status", *FIGURE_HEADINGS[1:]], rows
        )
    if which == "providers":
        rows = [[row.provider, row.courses, *_figure_cells(row.figures)] for row in report.providers]
        return _csv_response("training-by-provider", ["Provider", "Courses", *FIGURE_HEADINGS], rows)
    if which == "demand-courses":
        rows = [[row.course_title, row.provider, row.people] for row in demand]
        return _csv_response("training-demand-by-course", ["Course", "Provider", "People interested"], rows)
    if which == "demand-skills":
        rows = [[row.framework, row.skill_name, row.skill_code, row.level_name, row.people] for row in skills]
        return _csv_response(
            "training-demand-by-skill", ["Framework", "Skill", "Skill code", "Level needed", "People interested"], rows
        )
    return None


class TrainingAdminView(WagtailAdminTemplateMixin, TemplateView):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _page(request, items, name: str):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(name))


class ReportsView(TrainingAdminView):
    """Fill, demand, attendance and evaluations by course, session and provider over a period; demand where no
    session is scheduled. Six queries whatever the number of courses and sessions."""

    template_name = "courses/admin/reports.html"
    page_title = "Training reports"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        filters = ReportFilterSet(request.GET or None, queryset=CoursePage.objects.none())
        valid = filters.is_valid()
        if valid:
            filters.clean_period()
            valid = not filters.form.errors
        data = filters.form.cleaned_data if valid else {}
        report = training_report(
            date_from=data.get("date_from"), date_to=data.get("date_to"), course=data.get("course")
        )
        demand = demand_without_sessions()
        skills = demand_by_skill()
        export = request.GET.get("export")
        if export:
            response = _export(export, report, demand, skills)
            if response is not None:
                return response
        context = self.get_context_data(
            filters=filters,
            report=report,
            course_page=_page(request, report.courses, "course_page"),
            session_page=_page(request, report.sessions, "session_page"),
            provider_page=_page(request, report.providers, "provider_page"),
            demand_page=_page(request, demand, "demand_page"),
            skill_page=_page(request, skills, "skill_page"),
            threshold=small_group_threshold(),
            query=_query_without(request, "export"),
        )
        return self.render_to_response(context)


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


EFFECT_HEADINGS = [
    "Course",
    "Provider",
    "Completers",
    "Completers counted at 3 months",
    "Rose within 3 months",
    "Share within 3 months %",
    "Completers counted at 6 months",
    "Rose within 6 months",
    "Share within 6 months %",
    "Booked, did not attend",
    "Counted at 3 months",
    "Rose within 3 months",
    "Share within 3 months %",
    "Counted at 6 months",
    "Rose within 6 months",
    "Share within 6 months %",
]


def effectiveness_cells(row) -> list:
    cells = [row.course_title, row.provider]
    for group in (row.completers, row.comparison):
        cells.append(group.people)
        for window in (group.within_3, group.within_6):
            cells += [window.people, window.rose_shown, _pct(window.share)]
    return cells


class EffectivenessView(TrainingAdminView):
    """Whether each course closed gaps, beside those who were booked and did not attend. Four queries."""

    template_name = "courses/admin/reports_effectiveness.html"
    page_title = "Training effectiveness"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORTS):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        rows = effectiveness_report()
        if request.GET.get("export") == "csv":
            return _csv_response("training-effectiveness", EFFECT_HEADINGS, [effectiveness_cells(row) for row in rows])
        return self.render_to_response(
            self.get_context_data(
                page=_page(request, rows, "page"),
                threshold=small_group_threshold(),
                query=_query_without(request, "page"),
            )
        )


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label="Training history (CSV)",
        help_text=f"Columns: {', '.join(HISTORY_COLUMNS)}. At most {MAX_BYTES // 1_000_000} MB.",
    )


class HistoryConfirmForm(forms.Form):
    """The checked file, carried back to be imported for real (checked again then: nothing is trusted)."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)


class HistoryImportView(TrainingAdminView):
    """Upload a CSV of past training: first a check that writes nothing and shows what would be written (or every
    bad row), then the import itself, all or nothing."""

    template_name = "courses/admin/history.html"
    page_title = "Import training history"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(IMPORT_HISTORY):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=HistoryUploadForm()))

    def post(self, request, *args, **kwargs):
        if "content" in request.POST:
            confirm = HistoryConfirmForm(request.POST)
            if not confirm.is_valid():
                messages.error(request, "Upload the file again: the checked copy did not come back whole.")
                return redirect("courses_history_import")
            try:
                result = history_import(
                    text=confirm.cleaned_data["content"],
                    file_name=confirm.cleaned_data["file_name"],
                    actor=request.user,
                    dry_run=False,
                )
            except HistoryImportError as refusal:
                return self.render_to_response(self.get_context_data(form=HistoryUploadForm(), result=refusal.result))
            messages.success(request, result.summary)
            return redirect("courses_history_import")
        form = HistoryUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"The file must be {MAX_BYTES // 1_000_000} MB or smaller: split it into parts.")
            return self.render_to_response(self.get_context_data(form=form))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", "The file must be a CSV saved as UTF-8: in Excel choose “CSV UTF-8”.")
            return self.render_to_response(self.get_context_data(form=form))
        try:
            result = history_import(text=text, file_name=upload.name, actor=request.user, dry_run=True)
        except HistoryImportError as refusal:
            result = refusal.result
        confirm = (
            HistoryConfirmForm(initial={"content": text, "file_name": upload.name})
            if result.ok and result.to_write
            else None
        )
        return self.render_to_response(
            self.get_context_data(form=HistoryUploadForm(), result=result, confirm=confirm, checked_name=upload.name)
        )
