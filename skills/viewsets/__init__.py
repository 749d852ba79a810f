"""The "People" admin (organisation units, grades, professions, people, the HR feed import, HR analysts' units),
its choosers, assessment policies under Settings, and certificates (for training administrators); one module per
admin area, on the plumbing every app's admin shares (frameworks.viewsets.base, docs/decisions/0019-one-admin-
plumbing.md). Registered in wagtail_hooks.

Only superusers and HR analysts (the skills model permissions granted by migration 0005) see or use the People
admin; choosers of people and units are refused to everyone else too. Writes that carry rules go through services
(`person_update`, `org_unit_create`, `org_unit_rename`, `people_import_upload`, `assessment_policy_set`); grades
and professions are plain reference rows. Nothing is deleted here: people and units are superseded or renamed.
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from skills.viewsets.certificates import CertificateViewSet
from skills.viewsets.choosers import org_unit_chooser_viewset, person_chooser_viewset
from skills.viewsets.grades import GradeViewSet, ProfessionViewSet
from skills.viewsets.hr_responsibilities import HRResponsibilityViewSet
from skills.viewsets.imports import PeopleImportViewSet
from skills.viewsets.org_units import OrganisationUnitViewSet
from skills.viewsets.people import PersonViewSet
from skills.viewsets.policy import AssessmentPolicyViewSet


class PeopleViewSetGroup(ViewSetGroup):
    """The "People" menu: organisation and people reference data, and the HR feed import."""

    menu_label = "People"
    menu_icon = "group"
    menu_order = 250
    items = (
        PersonViewSet,
        OrganisationUnitViewSet,
        GradeViewSet,
        ProfessionViewSet,
        PeopleImportViewSet,
        HRResponsibilityViewSet,
    )


__all__ = [
    "AssessmentPolicyViewSet",
    "CertificateViewSet",
    "GradeViewSet",
    "HRResponsibilityViewSet",
    "OrganisationUnitViewSet",
    "PeopleImportViewSet",
    "PeopleViewSetGroup",
    "PersonViewSet",
    "ProfessionViewSet",
    "org_unit_chooser_viewset",
    "person_chooser_viewset",
]
