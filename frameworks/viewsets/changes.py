"""Frameworks › Change log: what changed in a release against the previous one. The log is computed; editors
explain its lines."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from frameworks.filters import ReleaseChangeFilterSet
from frameworks.forms import ReleaseChangeForm
from frameworks.models import ReleaseChange
from frameworks.selectors import release_change_details
from frameworks.services import release_change_note_set
from frameworks.viewsets.content import (
    DraftOnlyMixin,
    FrameworkServiceFormMixin,
    ReleaseColumn,
    ReleaseContentIndexView,
    ReleaseContentViewSet,
)


class ReleaseChangeIndexView(ReleaseContentIndexView):
    def get_queryset(self):
        return super().get_queryset().select_related("release__framework", "release__previous_release")

    def get_table(self, object_list):
        # Each line says what changed in words ("Text for the Practitioner level changed"), not as codes.
        object_list = list(object_list)
        by_release = {}
        for change in object_list:
            by_release.setdefault(change.release_id, []).append(change)
        for changes in by_release.values():
            release = changes[0].release
            details = release_change_details(changes=changes, from_release=release.previous_release, to_release=release)
            for change, detail in zip(changes, details, strict=True):
                change.summary = detail.summary
        return super().get_table(object_list)


class ReleaseChangeEditView(DraftOnlyMixin, FrameworkServiceFormMixin, generic.EditView):
    def save_instance(self):
        change = ReleaseChange.objects.select_related("release").get(pk=self.object.pk)
        return release_change_note_set(change=change, note=self.form.cleaned_data["note"], actor=self.request.user)


class ReleaseChangeViewSet(ReleaseContentViewSet):
    model = ReleaseChange
    icon = "doc-full"
    menu_label = "Change log"
    name = "frameworks_change"
    url_prefix = "frameworks/changes"
    list_display = [
        Column("name", label="Name", accessor=lambda change: change.name or change.code),
        "subject",
        Column("summary", label="Change"),
        "note",
        ReleaseColumn("release", label="Release"),
    ]
    filterset_class = ReleaseChangeFilterSet
    search_fields = ["name", "code", "note"]
    ordering = ["release", "position"]
    form_fields = ReleaseChangeForm.Meta.fields
    index_view_class = ReleaseChangeIndexView
    edit_view_class = ReleaseChangeEditView
    refused_actions = ("add", "delete")

    def get_form_class(self, for_update=False):
        return ReleaseChangeForm
