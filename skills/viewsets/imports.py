"""People › Import people: uploading the HR feed (`people_import_upload`) and each import's results. An import
is a record of what happened: neither changed nor deleted. An HR analyst sees the imports they uploaded (their
reports quote the files); superusers see all. A full file waits on its results page for its uploader (or a
superuser) to confirm who leaves, or to cancel it (docs/decisions/0217); anyone else is not found."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import View
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import CreateView, IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from skills.enums import PeopleImportStatus
from skills.importers import PeopleImportReport
from skills.models import PeopleImport
from skills.selectors import people_import_absent_people, people_imports_for
from skills.services.people_import import people_import_cancel, people_import_confirm, people_import_upload
from skills.viewsets.base import SkillsModelViewSet, SkillsServiceFormMixin
from skills.viewsets.forms import PeopleImportForm


class PeopleImportCreateView(SkillsServiceFormMixin, CreateView):
    page_title = "Import people"
    submit_button_label = "Upload and import"

    def save_instance(self):
        data = self.form.cleaned_data
        return people_import_upload(
            file=data["file"],
            actor=self.request.user,
            framework_slug=data["framework_slug"],
            dry_run=data["dry_run"],
            full_file=data["full_file"],
            left_on=data["left_on"],
        )

    def get_page_subtitle(self):
        return "Upload the HR feed"

    def get_success_message(self, instance):
        return None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


LEAVERS_PAGE_SIZE = 50


def visible_import(user, pk) -> PeopleImport:
    """The import `user` may see, or 404: another analyst's import is not found."""
    record = people_imports_for(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if record is None:
        raise Http404
    return record


class PeopleImportResultsView(InspectView):
    template_name = "skills/admin/people_import_results.html"
    page_title = "Import results"
    confirm_url_name = None
    cancel_url_name = None

    def get_object(self, queryset=None):
        if not self.request.user.has_perm("skills.view_peopleimport"):
            return super().get_object(queryset)  # the permission check that follows turns them away
        return visible_import(self.request.user, self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context["record"] = record
        context["report"] = PeopleImportReport.from_dict(record.report) if record.report else None
        context["index_url"] = reverse(self.index_url_name)
        context["to_confirm"] = record.status == PeopleImportStatus.TO_CONFIRM
        context["would"] = record.dry_run or context["to_confirm"]
        context["confirm_days"] = settings.CAPABILITY_FULL_FILE_CONFIRM_DAYS
        if record.absent_people:
            leavers = people_import_absent_people(people_import=record)
            context["leavers_count"] = len(record.absent_people)
            context["leavers_page"] = Paginator(leavers, LEAVERS_PAGE_SIZE).get_page(self.request.GET.get("p"))
        if context["to_confirm"]:
            context["confirm_url"] = reverse(self.confirm_url_name, args=[record.pk])
            context["cancel_url"] = reverse(self.cancel_url_name, args=[record.pk])
        return context


class PeopleImportDecisionView(PermissionCheckedMixin, View):
    """POST only: confirm or cancel a checked full file, then back to its results page. Needs the permission to
    import people; an import the user may not see (another analyst's) is not found."""

    permission_policy = None
    permission_required = "add"
    inspect_url_name = None
    http_method_names = ["post"]
    service = None

    def post(self, request, pk):
        record = visible_import(request.user, pk)
        type(self).service(import_id=record.pk, actor=request.user)
        return redirect(reverse(self.inspect_url_name, args=[record.pk]))


class PeopleImportConfirmView(PeopleImportDecisionView):
    service = staticmethod(people_import_confirm)


class PeopleImportCancelView(PeopleImportDecisionView):
    service = staticmethod(people_import_cancel)


def import_result(record: PeopleImport) -> str:
    """What an import did, in a few words: "2 created, 1 updated, 5 unchanged" or "3 problem(s)"."""
    if not record.report:
        return ""
    report = PeopleImportReport.from_dict(record.report)
    if not report.ok:
        return f"{report.error_count} problem(s)"
    if record.status == PeopleImportStatus.TO_CONFIRM:
        return f"to confirm: {report.leavers_by_absence} would leave"
    if record.status in (PeopleImportStatus.CANCELLED, PeopleImportStatus.EXPIRED):
        return ""
    return f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"


class PeopleImportIndexView(IndexView):
    add_item_label = "Upload an HR feed"

    def get_base_queryset(self):
        scoped = people_imports_for(user=self.request.user).values("pk")
        return super().get_base_queryset().filter(pk__in=scoped).select_related("requested_by")

    def to_row_dict(self, item):
        item.result = import_result(item)  # the export's "Result" column, as the listing shows it
        return super().to_row_dict(item)


class PeopleImportViewSet(SkillsModelViewSet):
    model = PeopleImport
    name = "skills_people_import"
    url_prefix = "skills/people-imports"
    icon = "upload"
    menu_label = "Import people"
    refused_actions = ("change", "delete")
    index_view_class = PeopleImportIndexView
    add_view_class = PeopleImportCreateView
    inspect_view_class = PeopleImportResultsView
    inspect_view_enabled = True
    form_class = PeopleImportForm
    list_display = [
        "original_name",
        Column("status", label="Status", accessor="get_status_display"),
        BooleanColumn("dry_run", label="Check only"),
        Column("result", label="Result", accessor=import_result),
        Column("requested_by", label="By", accessor="requested_by"),
        DateColumn("created_at", label="Uploaded", sort_key="created_at"),
    ]
    list_export = ["original_name", "get_status_display", "dry_run", "result", "requested_by", "created_at"]
    export_headings = {
        "original_name": "File",
        "get_status_display": "Status",
        "dry_run": "Check only",
        "result": "Result",
        "requested_by": "By",
        "created_at": "Uploaded",
    }
    export_filename = "people-imports"
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        return PeopleImportForm

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            confirm_url_name=self.get_url_name("confirm"), cancel_url_name=self.get_url_name("cancel"), **kwargs
        )

    @cached_property
    def confirm_view(self):
        return self.construct_view(PeopleImportConfirmView, inspect_url_name=self.get_url_name("inspect"))

    @cached_property
    def cancel_view(self):
        return self.construct_view(PeopleImportCancelView, inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("confirm/<int:pk>/", self.confirm_view, name="confirm"),
            path("cancel/<int:pk>/", self.cancel_view, name="cancel"),
        ]
