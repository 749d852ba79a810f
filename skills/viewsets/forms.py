"""The People admin's forms. They validate input; the views pass the cleaned data to the services, which write.

They live beside the viewsets rather than in skills/forms.py (the learner's and manager's forms): they use the
admin's choosers as widgets, and skills.views, which imports skills.forms, sits below the viewsets in the
import contracts (docs/decisions/0019-one-admin-plumbing.md)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from frameworks.models import Framework, RoleLevel
from skills.enums import DEFAULT_VALIDATION_RANKING, AssessmentSource
from skills.importers import COLUMNS
from skills.models import AssessmentPolicy, HRResponsibility, OrganisationUnit, PeopleImport, Person
from skills.selectors import role_levels_assignable
from skills.viewsets.choosers import org_unit_chooser_viewset, person_chooser_viewset

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
HR_ANALYST_GROUP = "HR analyst"
NOT_VALIDATING = ""
VALIDATING_SOURCES = [source for source in AssessmentSource if source != AssessmentSource.SELF]


class OrganisationUnitCreateForm(forms.ModelForm):
    unit_path = forms.CharField(
        label="Full name",
        max_length=1000,
        help_text="The unit's path from the department down, names separated by '/', e.g. "
        "'Department for Education/Digital and Data/Platform team'. Missing units above it are created too.",
    )

    class Meta:
        model = OrganisationUnit
        fields = []


class OrganisationUnitRenameForm(forms.ModelForm):
    class Meta:
        model = OrganisationUnit
        fields = ["name"]
        help_texts = {"name": "Renaming a unit changes the full names of every unit below it."}


class RoleLevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.name}: {obj} ({obj.release.framework.name})"


class PersonAdminForm(forms.ModelForm):
    """What HR may change about a person. Names, e-mail and staff number come from the HR feed."""

    current_role_level = RoleLevelChoiceField(queryset=RoleLevel.objects.none(), required=False)
    target_role_level = RoleLevelChoiceField(queryset=RoleLevel.objects.none(), required=False)
    accredited_frameworks = forms.ModelMultipleChoiceField(
        queryset=Framework.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Frameworks this person may validate others' claims for, as an assessor.",
    )

    class Meta:
        model = Person
        fields = [
            "org_unit",
            "grade",
            "profession",
            "line_manager",
            "current_role_level",
            "target_role_level",
            "accredited_frameworks",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].widget = org_unit_chooser_viewset.widget_class()
        self.fields["line_manager"].widget = person_chooser_viewset.widget_class()
        self.fields["line_manager"].help_text = "Refused if this person manages them, directly or through others."
        for name in ("current_role_level", "target_role_level"):
            self.fields[name].queryset = role_levels_assignable()
        self.fields["current_role_level"].help_text = "From the current release of a framework."


def _framework_choices():
    published = Framework.objects.filter(current_release__isnull=False).values_list("slug", "name")
    return sorted(published, key=lambda choice: (choice[0] != settings.CAPABILITY_DEFAULT_FRAMEWORK, choice[1]))


class PeopleImportForm(forms.ModelForm):
    framework_slug = forms.ChoiceField(
        label="Framework",
        choices=_framework_choices,
        help_text="The role and role_level columns name roles in this framework's current release.",
    )

    class Meta:
        model = PeopleImport
        fields = ["file", "framework_slug", "dry_run", "full_file", "left_on"]
        labels = {
            "file": "HR feed (CSV)",
            "dry_run": "Check only: write nothing",
            "full_file": "This file lists everyone (full file): people missing from it have left",
            "left_on": "The day the people missing from the file left",
        }
        help_texts = {
            "file": "A UTF-8 CSV file with the columns " + ", ".join(COLUMNS) + ". Every value is required but "
            "profession and line_manager_staff_number. Nothing is written unless every row is right.",
            "full_file": "Everyone in your organisation units who is not in the file will be marked as having left. "
            "The file is checked first: you see who they are and confirm before anything is written.",
            "left_on": "For a full file. For example, 2026-03-31. Not in the future.",
        }
        widgets = {"left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = True
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.fields["left_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("full_file"):
            cleaned["left_on"] = None
            return cleaned
        left_on = cleaned.get("left_on")
        if left_on is None and "left_on" not in self.errors:
            self.add_error("left_on", "Give the day the people missing from the file left.")
        elif left_on is not None and left_on > timezone.localdate():
            self.add_error("left_on", "The day they left cannot be in the future.")
        if cleaned.get("dry_run"):
            self.add_error("dry_run", "A full file is always checked before anything is written: untick 'Check only'.")
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("Upload the feed as a .csv file (in Excel: Save as 'CSV UTF-8').")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
        return upload


class HRResponsibilityForm(forms.ModelForm):
    class Meta:
        model = HRResponsibility
        fields = ["user", "org_unit"]
        labels = {"user": "HR analyst", "org_unit": "Organisation unit"}
        help_texts = {"org_unit": "The analyst sees and changes the people of this unit and every unit below it."}

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        analysts = Group.objects.filter(name=HR_ANALYST_GROUP).values("user")
        self.fields["user"].queryset = get_user_model().objects.filter(pk__in=analysts).order_by("email")
        self.fields["org_unit"].widget = org_unit_chooser_viewset.widget_class()


class AssessmentPolicyForm(forms.ModelForm):
    """A framework's order of authority among the sources that validate a level (a self-assessment never does)."""

    class Meta:
        model = AssessmentPolicy
        fields = ["framework", "description", "validation_earns_certificate", "certificate_validity_months"]
        help_texts = {"description": "Why this order: shown to editors and in the audit history."}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = [(NOT_VALIDATING, "Does not validate")] + [
            (str(place), f"{place}") for place in range(1, len(VALIDATING_SOURCES) + 1)
        ]
        current = (
            {rank.source: rank.rank for rank in self.instance.ranks.all()}
            if self.instance.pk
            else {source.value: place for place, source in enumerate(DEFAULT_VALIDATION_RANKING, start=1)}
        )
        for source in VALIDATING_SOURCES:
            self.fields[f"place_{source.value}"] = forms.ChoiceField(
                label=f"{source.label}: rank",
                choices=places,
                required=False,
                initial=str(current.get(source.value, NOT_VALIDATING)),
                help_text="When two judgements of a level disagree, rank 1 counts most, then 2, and so on. A "
                "self-assessment is always a claim and never validates a level.",
            )
        if self.instance.pk:
            self.fields["framework"].disabled = True
        else:
            self.fields["framework"].queryset = Framework.objects.filter(assessment_policy__isnull=True)

    def clean(self):
        cleaned = super().clean()
        places = {
            source: int(cleaned[f"place_{source.value}"])
            for source in VALIDATING_SOURCES
            if cleaned.get(f"place_{source.value}")
        }
        taken: dict[int, AssessmentSource] = {}
        for source, place in places.items():
            if place in taken:
                self.add_error(f"place_{source.value}", f"Place {place} is already {taken[place].label}.")
            taken[place] = source
        self.ranking = [source for source, _ in sorted(places.items(), key=lambda item: item[1])]
        if cleaned.get("certificate_validity_months") and not cleaned.get("validation_earns_certificate"):
            self.add_error(
                "certificate_validity_months",
                "Only a policy whose validations earn a certificate has a validity period: tick the box above, or "
                "leave the period empty.",
            )
        return cleaned
