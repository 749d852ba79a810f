"""The Data protection role's "Data exports" screen in the Wagtail admin (docs/decisions/0218): ask for a copy of
everything the service holds about anyone, see every export asked for, and download the ready ones. Every view
needs `skills.export_personal_data` (the Data protection role has it; a superuser too); anyone else is refused
(403) and nothing is created. The service checks the same again, and audits each request and download."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from skills.selectors.subject_access import (
    EXPORT_PERMISSION,
    subject_access_export_get_visible_to,
    subject_access_exports_all,
)
from skills.services.errors import NotAllowed
from skills.services.subject_access import subject_access_export_download, subject_access_export_request
from skills.views.personal_data import export_response

PAGE_SIZE = 50


def refused(request):
    """403, not Wagtail's redirect to its home page, which would hide the refusal."""
    return permission_denied(request, PermissionDenied("Only the Data protection role can export personal data."))


class SubjectAccessRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address of the person",
        help_text="The address of their Capability account, as HR's feed gives it.",
        error_messages={
            "required": "Enter the e-mail address of the person whose data to export",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        account = get_user_model().objects.filter(email__iexact=email).first()
        if account is None:
            raise forms.ValidationError("No account has this e-mail address: check it against HR's records")
        self.account = account
        return email


class DataExportsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "skills/admin/data_exports.html"
    page_title = "Data exports"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(EXPORT_PERMISSION):
            return refused(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def post(self, request, *args, **kwargs):
        form = SubjectAccessRequestForm(request.POST)
        if form.is_valid():
            try:
                subject_access_export_request(subject=form.account, actor=request.user)
            except NotAllowed:
                return refused(request)
            messages.success(
                request,
                f"The export of {form.account.get_full_name() or form.account.email}'s data is being put together. "
                "Refresh this page to see when it is ready.",
            )
            return redirect("skills_data_exports")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(subject_access_exports_all(user=self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            form=form or SubjectAccessRequestForm(),
            page=page,
            exports=list(page),
            kept_for_days=settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS,
        )
        return context


def data_export_download(request, export_id: int):
    if not request.user.has_perm(EXPORT_PERMISSION):
        return refused(request)
    export = subject_access_export_get_visible_to(user=request.user, export_id=export_id)
    if export is None:
        raise Http404
    try:
        file = subject_access_export_download(export=export, actor=request.user)
    except NotAllowed as refusal:
        raise Http404 from refusal
    return export_response(export, file)
