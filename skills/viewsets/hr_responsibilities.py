"""People › HR analysts' units: which organisation units each HR analyst looks after. No role is given these
permissions, so only superusers see this; Wagtail's views log each assignment added or removed."""

from wagtail.admin.ui.tables import Column

from skills.models import HRResponsibility
from skills.viewsets.base import SkillsModelViewSet
from skills.viewsets.forms import HRResponsibilityForm


class HRResponsibilityViewSet(SkillsModelViewSet):
    model = HRResponsibility
    name = "skills_hr_responsibility"
    url_prefix = "skills/hr-responsibilities"
    icon = "key"
    menu_label = "HR analysts' units"
    refused_actions = ()
    form_class = HRResponsibilityForm
    list_display = [
        Column("user", label="HR analyst", accessor="user"),
        Column("org_unit", label="Organisation unit (and below)", accessor="org_unit.full_name"),
    ]
    ordering = ["user__email", "org_unit__full_name"]

    def get_form_class(self, for_update=False):
        return HRResponsibilityForm

    def get_queryset(self, request):
        return HRResponsibility.objects.select_related("user", "org_unit")
