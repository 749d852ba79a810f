"""The framework admin: Wagtail viewsets grouped under one "Frameworks" menu (registered in wagtail_hooks), one
module per admin area, on the plumbing every app's admin shares (`base`) and what release content shares
(`content`). docs/decisions/0113-framework-admin.md and 0019-one-admin-plumbing.md.

Every write goes through `frameworks.services`: the views validate with the forms in `frameworks.forms` and call a
service instead of saving the form, so the admin, the commands and the API keep the same rules and the same audit
log (which each object's History page shows). Listings filter with the filtersets in `frameworks.filters`.
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from frameworks.viewsets.base import RefusedActionsPermissionPolicy, ServiceErrorFormMixin
from frameworks.viewsets.changes import ReleaseChangeViewSet
from frameworks.viewsets.frameworks import FrameworkViewSet
from frameworks.viewsets.imports import FrameworkImportViewSet
from frameworks.viewsets.publication import ReleasePublicationViewSet
from frameworks.viewsets.releases import RELEASE_PANELS_HOOK, FrameworkReleaseViewSet
from frameworks.viewsets.requirements import RequirementViewSet
from frameworks.viewsets.roles import RoleLevelViewSet, RoleViewSet
from frameworks.viewsets.skills import SkillViewSet


class FrameworksViewSetGroup(ViewSetGroup):
    menu_label = "Frameworks"
    menu_icon = "table"
    menu_order = 150
    items = (
        FrameworkReleaseViewSet,
        SkillViewSet,
        RoleViewSet,
        RoleLevelViewSet,
        RequirementViewSet,
        ReleaseChangeViewSet,
        ReleasePublicationViewSet,
        FrameworkImportViewSet,
        FrameworkViewSet,
    )


__all__ = [
    "RELEASE_PANELS_HOOK",
    "FrameworkImportViewSet",
    "FrameworkReleaseViewSet",
    "FrameworkViewSet",
    "FrameworksViewSetGroup",
    "RefusedActionsPermissionPolicy",
    "ReleaseChangeViewSet",
    "ReleasePublicationViewSet",
    "RequirementViewSet",
    "RoleLevelViewSet",
    "RoleViewSet",
    "ServiceErrorFormMixin",
    "SkillViewSet",
]
