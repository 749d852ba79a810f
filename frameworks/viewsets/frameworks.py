"""Frameworks › Frameworks: a framework's name and details. Frameworks come into being by importing their first
release, and are never deleted."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from frameworks.forms import FrameworkAdminForm
from frameworks.models import Framework
from frameworks.services import framework_update
from frameworks.viewsets.base import AdminModelViewSet
from frameworks.viewsets.content import FrameworkServiceFormMixin


class FrameworkEditView(FrameworkServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return framework_update(framework=self.form.instance, actor=self.request.user, **data)


class FrameworkIndexView(generic.IndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("current_release")


class FrameworkViewSet(AdminModelViewSet):
    model = Framework
    icon = "folder-open-inverse"
    menu_label = "Frameworks"
    name = "frameworks_framework"
    url_prefix = "frameworks/frameworks"
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["name", "slug", Column("current_release", label="Current release", accessor="current_release")]
    form_fields = FrameworkAdminForm.Meta.fields
    index_view_class = FrameworkIndexView
    edit_view_class = FrameworkEditView
    refused_actions = ("add", "delete")

    def get_form_class(self, for_update=False):
        return FrameworkAdminForm
