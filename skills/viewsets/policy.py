"""Assessment policies in the admin (Settings → Assessment policies): framework moderators declare, per
framework, which sources validate levels and in which order of authority. Saved through
`assessment_policy_set`; never deleted (a framework without a policy uses the default order)."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, EditView

from skills.models import AssessmentPolicy
from skills.services.policy_admin import assessment_policy_set
from skills.viewsets.base import SkillsModelViewSet, SkillsServiceFormMixin
from skills.viewsets.forms import AssessmentPolicyForm


class _PolicySaveMixin(SkillsServiceFormMixin):
    def save_instance(self):
        data = self.form.cleaned_data
        return assessment_policy_set(
            framework=data["framework"],
            ranking=self.form.ranking,
            description=data["description"],
            validation_earns_certificate=data["validation_earns_certificate"],
            certificate_validity_months=data["certificate_validity_months"],
            actor=self.request.user,
        )


class AssessmentPolicyCreateView(_PolicySaveMixin, CreateView):
    pass


class AssessmentPolicyEditView(_PolicySaveMixin, EditView):
    pass


def _ranking_text(policy: AssessmentPolicy) -> str:
    return " > ".join(rank.get_source_display() for rank in policy.ranks.all()) or "Nothing validates"


class AssessmentPolicyViewSet(SkillsModelViewSet):
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
