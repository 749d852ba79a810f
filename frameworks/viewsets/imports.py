"""Frameworks › Imports: uploading a framework's files, and each import's progress and report. An import is a
record of what happened: it is neither edited nor deleted."""

from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic

from frameworks import admin_views
from frameworks.forms import FrameworkImportForm
from frameworks.models import FrameworkImport
from frameworks.services import framework_import_job_create
from frameworks.viewsets.base import AdminModelViewSet, InspectAfterwardsMixin
from frameworks.viewsets.content import FrameworkServiceFormMixin


class ImportCreateView(FrameworkServiceFormMixin, generic.CreateView):
    page_title = "Import framework files"
    submit_button_label = "Import"
    success_message = None

    def get_page_subtitle(self):
        return ""

    def save_instance(self):
        data = self.form.cleaned_data
        return framework_import_job_create(
            kind=data["kind"],
            framework_slug=data["framework_slug"],
            release_label=data["release_label"],
            roles_file=data.get("roles_file"),
            skills_file=data.get("skills_file"),
            workbook=data.get("workbook"),
            actor=self.request.user,
        )

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class ImportInspectView(generic.InspectView):
    template_name = "frameworks/admin/import_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin_views.import_report_context(self.object))
        return context


class ImportIndexView(generic.IndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("requested_by")


class FrameworkImportViewSet(InspectAfterwardsMixin, AdminModelViewSet):
    model = FrameworkImport
    icon = "upload"
    menu_label = "Imports"
    name = "frameworks_import"
    url_prefix = "frameworks/imports"
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = [
        Column("release_label", label="Release", accessor=lambda job: f"{job.framework_slug} {job.release_label}"),
        StatusTagColumn("status", label="Status", accessor="get_status_display"),
        Column("outcome", label="Outcome", accessor="get_outcome_display"),
        "requested_by",
        DateColumn("created_at", label="Uploaded"),
    ]
    list_export = [
        "framework_slug",
        "release_label",
        "get_status_display",
        "get_outcome_display",
        "requested_by",
        "created_at",
    ]
    export_headings = {"get_status_display": "Status", "get_outcome_display": "Outcome", "created_at": "Uploaded"}
    export_filename = "framework-imports"
    list_filter = ["status", "framework_slug"]
    ordering = ["-created_at"]
    form_fields = FrameworkImportForm.Meta.fields
    index_view_class = ImportIndexView
    add_view_class = ImportCreateView
    inspect_view_class = ImportInspectView
    refused_actions = ("change", "delete")

    def get_form_class(self, for_update=False):
        return FrameworkImportForm
