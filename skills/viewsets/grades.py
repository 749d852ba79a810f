"""People › Grades and Professions: plain reference rows, saved by Wagtail's views (which validate their unique
constraints and log the change), never deleted."""

from django.db.models import Count
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView

from skills.models import Grade, Profession
from skills.viewsets.base import SkillsModelViewSet


class GradeViewSet(SkillsModelViewSet):
    model = Grade
    name = "skills_grade"
    url_prefix = "skills/grades"
    icon = "list-ol"
    form_fields = ["code", "name", "rank"]
    list_display = ["name", "code", "rank"]
    ordering = ["rank"]


class ProfessionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(people_count=Count("people"))


class ProfessionViewSet(SkillsModelViewSet):
    model = Profession
    name = "skills_profession"
    url_prefix = "skills/professions"
    icon = "tag"
    index_view_class = ProfessionIndexView
    form_fields = ["name"]
    list_display = ["name", Column("people_count", label="People", sort_key="people_count")]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
