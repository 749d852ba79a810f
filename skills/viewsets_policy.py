"""Assessment policies in the admin (Settings → Assessment policies): framework moderators declare, per
framework, which sources validate levels and in which order of authority. Saved through
`assessment_policy_set`; never deleted (a framework without a policy uses the default order)."""

from django import forms
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, EditView

from frameworks.models import Framework
from skills.enums import DEFAULT_VALIDATION_RANKING, AssessmentSource
from skills.models import AssessmentPolicy
from skills.services.policy_admin import assessment_policy_set
from skills.viewsets import _ReferenceViewSet, _ServiceErrorsMixin

NOT_VALIDATING = ""
VALIDATING_SOURCES = [source for source in AssessmentSource if source != AssessmentSource.SELF]


class AssessmentPolicyForm(forms.ModelForm):
    class Meta:
        model = AssessmentPolicy
        fields = ["framework", "description"]
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
        return cleaned


class _PolicySaveMixin(_ServiceErrorsMixin):
    def save_instance(self):
        data = self.form.cleaned_data
        return assessment_policy_set(
            framework=data["framework"],
            ranking=self.form.ranking,
            description=data["description"],
            actor=self.request.user,
        )


class AssessmentPolicyCreateView(_PolicySaveMixin, CreateView):
    pass


class AssessmentPolicyEditView(_PolicySaveMixin, EditView):
    pass


def _ranking_text(policy: AssessmentPolicy) -> str:
    return " > ".join(rank.get_source_display() for rank in policy.ranks.all()) or "Nothing validates"


class AssessmentPolicyViewSet(_ReferenceViewSet):
    model = AssessmentPolicy
    name = "skills_assessment_policy"
    url_prefix = "skills/assessment-policies"
    icon = "list-ol"
    menu_label = "Assessment policies"
    add_to_settings_menu = True
    add_view_class = AssessmentPolicyCreateView
    edit_view_class = AssessmentPolicyEditView
    list_display = ["framework", Column("ranking", label="Validates, in order", accessor=_ranking_text)]

    def get_form_class(self, for_update=False):
        return AssessmentPolicyForm

    def get_queryset(self, request):
        return AssessmentPolicy.objects.select_related("framework").prefetch_related("ranks")
