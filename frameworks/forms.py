"""Forms of the public framework site (GET filters, GOV.UK markup through crispy-forms-gds) and of the admin."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminModelForm

from frameworks.enums import ReleaseStatus
from frameworks.importers.sfia import MAX_WORKBOOK_BYTES
from frameworks.models import (
    Framework,
    FrameworkImport,
    FrameworkRelease,
    Level,
    ReleaseChange,
    ReleasePublication,
    Requirement,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.models.releases import release_label_validator

MAX_SEARCH_LENGTH = 200


def _get_form_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class SkillFilterForm(forms.Form):
    """Skills A to Z: words to look for, and a role family whose roles need the skill. A GET form: the
    filtered list can be bookmarked, and it works without JavaScript."""

    q = forms.CharField(
        label="Search skills",
        help_text="Words in the skill’s name or description",
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    role_family = forms.ChoiceField(label="Needed in role family", required=False)

    def __init__(self, *args, role_families=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_family"].choices = [("", "All role families")] + [
            (family.code, family.name) for family in role_families
        ]
        fields = [Field.text("q", label_size=Size.SMALL)]
        if role_families:
            fields.append(Field.select("role_family", label_size=Size.SMALL))
        else:
            del self.fields["role_family"]
        self.helper = _get_form_helper(*fields)

    def filters(self) -> dict[str, str]:
        """The valid filters ({} when the form is unbound or invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "search": self.cleaned_data["q"].strip(),
            "role_family_code": self.cleaned_data.get("role_family") or "",
        }


class ReleaseComparisonForm(forms.Form):
    """Compare any two releases of a framework (GET)."""

    from_release = forms.ChoiceField(label="From release")
    to_release = forms.ChoiceField(label="To release")

    def __init__(self, *args, labels=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(label, label) for label in labels]
        self.fields["from_release"].choices = choices
        self.fields["to_release"].choices = choices
        self.helper = _get_form_helper(
            Field.select("from_release", label_size=Size.SMALL), Field.select("to_release", label_size=Size.SMALL)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_release") and cleaned.get("from_release") == cleaned.get("to_release"):
            self.add_error("to_release", "Choose a different release to compare with")
        return cleaned


# --- the Wagtail admin -----------------------------------------------------------------------------------
# Admin forms validate input; the viewsets' views pass the cleaned data to the services, which write.

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LEVEL_TEXT_PREFIX = "level_text_"


class ExactTextMixin:
    """Framework text is kept exactly as published (docs/decisions/0103): text fields are not stripped, so that
    an unchanged field stays byte for byte the same, and browsers' "\r\n" line endings become "\n"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.strip = False

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned


def _draft_releases():
    return FrameworkRelease.objects.filter(status=ReleaseStatus.DRAFT).select_related("framework")


def _clean_release_label(label: str) -> str:
    label = label.strip()
    release_label_validator(label)
    return label


class FrameworkAdminForm(ExactTextMixin, WagtailAdminModelForm):
    licence_url = forms.URLField(label="Licence URL", required=False, assume_scheme="https")

    class Meta:
        model = Framework
        fields = ["name", "short_name", "description", "licence", "licence_url", "reassessment_period_months"]


class NewDraftForm(WagtailAdminModelForm):
    """A new draft release cloned from a framework's current release."""

    class Meta:
        model = FrameworkRelease
        fields = ["framework", "label"]
        help_texts = {
            "label": "For example 2026-04. Letters, digits and hyphens only: it is part of the release's web address."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.filter(current_release__isnull=False)
        self.fields["framework"].help_text = "The new draft starts as a copy of this framework's current release."
        if self.fields["framework"].queryset.count() == 1:
            self.fields["framework"].initial = self.fields["framework"].queryset.get()

    def clean_label(self):
        return _clean_release_label(self.cleaned_data["label"])


class SkillCreateForm(ExactTextMixin, WagtailAdminModelForm):
    class Meta:
        model = Skill
        fields = ["release", "name", "code", "description", "guidance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = _draft_releases()
        self.fields["release"].help_text = "Only draft releases can be changed."
        self.fields["code"].required = False
        self.fields["code"].help_text = "Leave blank to make one from the name. It never changes afterwards."

    def clean_code(self):
        return self.cleaned_data["code"].strip() or slugify(self.data.get("name", ""))

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class SkillEditForm(ExactTextMixin, WagtailAdminModelForm):
    """A draft skill's name and texts, and its text at each level of the release's scale."""

    class Meta:
        model = Skill
        fields = ["name", "description", "guidance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.descriptors = list(self.instance.descriptors.select_related("level").order_by("level__rank"))
        for descriptor in self.descriptors:
            self.fields[LEVEL_TEXT_PREFIX + descriptor.level.code] = forms.CharField(
                label=f"{descriptor.level.name} level",
                required=False,
                strip=False,
                initial=descriptor.text,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text="What someone at this level can do: “You can:”, then each statement on a line of its own "
                "starting with “- ”. Leave it empty if the skill has no such level.",
            )

    def changed_level_texts(self) -> list[tuple[SkillLevelDescriptor, str]]:
        """The descriptors whose text the editor changed, with the new text."""
        return [
            (descriptor, self.cleaned_data[LEVEL_TEXT_PREFIX + descriptor.level.code])
            for descriptor in self.descriptors
            if self.cleaned_data[LEVEL_TEXT_PREFIX + descriptor.level.code] != descriptor.text
        ]


class RoleLevelForm(ExactTextMixin, WagtailAdminModelForm):
    class Meta:
        model = RoleLevel
        fields = ["name", "description", "indicative_grade"]


class RequirementCreateForm(WagtailAdminModelForm):
    class Meta:
        model = Requirement
        fields = ["role_level", "skill", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        drafts = {"release__status": ReleaseStatus.DRAFT}
        role_levels = RoleLevel.objects.filter(**drafts).select_related("role", "release")
        self.fields["role_level"].queryset = role_levels.order_by("release", "role__name", "seniority")
        self.fields["role_level"].label_from_instance = lambda level: (
            f"{level.role.name}: {level} ({level.release.label})"
        )
        self.fields["role_level"].required = True
        self.fields["skill"].queryset = (
            Skill.objects.filter(**drafts).select_related("release").order_by("release", "name")
        )
        self.fields["skill"].label_from_instance = lambda skill: f"{skill.name} ({skill.release.label})"
        self.fields["level"].queryset = (
            Level.objects.filter(**drafts).select_related("release").order_by("release", "rank")
        )
        self.fields["level"].label_from_instance = lambda level: f"{level.name} ({level.release.label})"
        self.fields["level"].required = True

    def _post_clean(self):
        # The service checks that the three belong to one release and sets role and release itself.
        pass


class RequirementEditForm(WagtailAdminModelForm):
    class Meta:
        model = Requirement
        fields = ["level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(release_id=self.instance.release_id).order_by("rank")
        self.fields["level"].required = True


class ReleaseChangeForm(ExactTextMixin, WagtailAdminModelForm):
    class Meta:
        model = ReleaseChange
        fields = ["note"]


class FrameworkImportForm(WagtailAdminModelForm):
    """Files to import. DDaT: the official roles.csv and skills.csv; SFIA: the SFIA 9 workbook (.xlsx)."""

    kind = forms.ChoiceField(
        label="Format",
        choices=[
            ("ddat", "DDaT: the official roles.csv and skills.csv"),
            ("sfia", "SFIA: the SFIA 9 workbook (.xlsx)"),
        ],
        initial="ddat",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = FrameworkImport
        fields = ["kind", "framework_slug", "release_label", "roles_file", "skills_file", "workbook"]
        labels = {
            "framework_slug": "Framework",
            "release_label": "Release label",
            "roles_file": "DDaT roles file (roles.csv)",
            "skills_file": "DDaT skills file (skills.csv)",
            "workbook": "SFIA workbook (.xlsx)",
        }
        help_texts = {
            "framework_slug": "Which framework the files belong to, as its web address names it: enter ddat for the "
            "DDaT framework or sfia for SFIA. Any other name starts a new framework.",
            "release_label": "For example 2025-10. The import makes a draft release with this label, or replaces the "
            "content of the draft that has it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_slug"].initial = settings.CAPABILITY_DEFAULT_FRAMEWORK

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        needed = {"ddat": ("roles_file", "skills_file"), "sfia": ("workbook",)}.get(kind, ())
        suffix = {"roles_file": ".csv", "skills_file": ".csv", "workbook": ".xlsx"}
        for name in needed:
            upload = cleaned.get(name)
            if not upload:
                self.add_error(name, f"Choose the {self.fields[name].label} to import")
            elif not upload.name.lower().endswith(suffix[name]):
                self.add_error(name, f"The {self.fields[name].label} must be a {suffix[name]} file")
            elif upload.size > (limit := MAX_WORKBOOK_BYTES if name == "workbook" else MAX_UPLOAD_BYTES):
                self.add_error(name, f"The {self.fields[name].label} must be smaller than {limit // (1024 * 1024)} MB")
        for name in set(suffix) - set(needed):
            cleaned[name] = None
        return cleaned

    def clean_release_label(self):
        return _clean_release_label(self.cleaned_data["release_label"])

    def _post_clean(self):
        # The service records the upload; nothing here is saved from the form itself.
        pass


class ReleasePublicationForm(WagtailAdminModelForm):
    """The snippet form of a release publication: the release (a draft without a publication, fixed once
    chosen) and the summary for the moderator."""

    class Meta:
        model = ReleasePublication
        fields = ["release", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["release"].disabled = True
            self.fields["release"].queryset = FrameworkRelease.objects.filter(pk=self.instance.release_id)
        else:
            self.fields["release"].queryset = _draft_releases().filter(publication__isnull=True)
