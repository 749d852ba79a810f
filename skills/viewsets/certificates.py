"""Certificates in the admin (for training administrators, who hold add/change/view_certificate): every certificate,
filtered by status, kind and issue date and searched by holder or number; issuing one by hand, with a reason; and
revoking one, with a reason. Both go through the services (`certificate_issue_by_hand`, `certificate_revoke`),
which check the actor again. A certificate is never edited otherwise, nor deleted."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView

from skills.filters import CertificateAdminFilterSet
from skills.models import Certificate, Person
from skills.selectors.certificates import certificate_award_choices, certificate_standing, certificates_matching
from skills.services.certificates import certificate_issue_by_hand, certificate_revoke
from skills.viewsets.base import SkillsModelViewSet, SkillsServiceFormMixin


class CertificateIssueForm(forms.ModelForm):
    """Issue by hand: who (by e-mail address or staff number: the people chooser is HR's), for what (the awards the
    apps above offer, `certificate_award_choices`), from when, and why."""

    holder_reference = forms.CharField(
        label="Holder", help_text="Their e-mail address or staff number.", max_length=254
    )
    award_choice = forms.ChoiceField(label="Certificate for")

    class Meta:
        model = Certificate
        fields = ["issued_on", "issue_reason"]
        labels = {"issued_on": "Issued on", "issue_reason": "Why you are issuing it by hand"}
        help_texts = {
            "issued_on": "The day it was earned; its expiry is counted from this day.",
            "issue_reason": "For example: completed with the previous supplier. Kept in the certificate's record.",
        }

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.awards = {choice.award: choice for choice in certificate_award_choices()}
        self.fields["award_choice"].choices = [("", "Choose what it certifies")] + [
            (choice.award, choice.title) for choice in self.awards.values()
        ]
        self.fields["issued_on"].initial = timezone.localdate()
        self.fields["issue_reason"].required = True
        self.order_fields(["holder_reference", "award_choice", "issued_on", "issue_reason"])

    def clean_holder_reference(self):
        reference = self.cleaned_data["holder_reference"].strip()
        found = list(
            Person.objects.select_related("user").filter(Q(user__email__iexact=reference) | Q(staff_number=reference))[
                :2
            ]
        )
        if not found:
            raise forms.ValidationError("Nobody has that e-mail address or staff number: check it and try again.")
        if len(found) > 1:
            raise forms.ValidationError("More than one person matches: give their e-mail address instead.")
        self.holder = found[0]
        return reference

    def clean_award_choice(self):
        award = self.cleaned_data["award_choice"]
        if award not in self.awards:
            raise forms.ValidationError("Choose what the certificate is for from the list.")
        return award


class CertificateRevokeAdminForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["revoked_reason"]
        labels = {"revoked_reason": "Why are you revoking this certificate?"}
        help_texts = {"revoked_reason": "Anyone who verifies the certificate sees this reason, and so does the holder."}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked_reason"].required = True


class CertificateIssueView(SkillsServiceFormMixin, CreateView):
    page_title = "Issue a certificate by hand"
    success_message = "Certificate %(object)s issued."

    def save_instance(self):
        data, choice = self.form.cleaned_data, self.form.awards[self.form.cleaned_data["award_choice"]]
        return certificate_issue_by_hand(
            holder=self.form.holder,
            award=choice.award,
            title=choice.title,
            url=choice.url,
            validity_months=choice.validity_months,
            issued_on=data["issued_on"],
            reason=data["issue_reason"],
            actor=self.request.user,
        )


class CertificateRevokeView(SkillsServiceFormMixin, EditView):
    """The edit view is revoking: nothing else about a certificate is ever changed. One already revoked is not
    found here (404)."""

    page_title = "Revoke certificate"
    success_message = "Certificate %(object)s revoked."

    def get_queryset(self):
        return Certificate.objects.filter(revoked_at__isnull=True).select_related("holder__user")

    def save_instance(self):
        return certificate_revoke(
            certificate=self.object, reason=self.form.cleaned_data["revoked_reason"], actor=self.request.user
        )


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("holder__user")

    def search_queryset(self, queryset):
        return certificates_matching(queryset, self.search_query) if self.is_searching else queryset


def _standing(certificate) -> str:
    return certificate_standing(certificate).text


class CertificateViewSet(SkillsModelViewSet):
    model = Certificate
    name = "skills_certificate"
    url_prefix = "skills/certificates"
    icon = "success"
    menu_label = "Certificates"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    add_view_class = CertificateIssueView
    edit_view_class = CertificateRevokeView
    filterset_class = CertificateAdminFilterSet
    search_fields = ["number"]  # the search itself is certificates_matching (holder's names, e-mail, number)
    list_per_page = 50
    list_display = [
        Column("number", label="Number", sort_key="number"),
        Column("holder", label="Holder", accessor="holder"),
        Column("title", label="For", accessor="title"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        DateColumn("issued_on", label="Issued", sort_key="issued_on"),
        DateColumn("expires_on", label="Expires", sort_key="expires_on"),
        Column("status", label="Status", accessor=_standing),
    ]
    list_export = ["number", "holder", "title", "kind", "issued_on", "expires_on", "status"]
    export_headings = {"holder": "Holder", "kind": "Kind", "status": "Status"}
    export_filename = "certificates"

    def get_form_class(self, for_update=False):
        return CertificateRevokeAdminForm if for_update else CertificateIssueForm
