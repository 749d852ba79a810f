"""Training demand, in the Wagtail admin: the interest learners registered where no session could be booked, by
course and by skill and level, with who asked. Personal data: only for users with `courses.view_courseinterest`
(training administrators); everyone else is sent back to the admin's home page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CoursePage
from courses.selectors.interest import demand_by_course, demand_by_skill, demand_people, with_names
from frameworks.models import Framework

VIEW_DEMAND = "courses.view_courseinterest"
PEOPLE_PAGE_SIZE = 50


@method_decorator(permission_required(VIEW_DEMAND), name="dispatch")
class TrainingDemandView(WagtailAdminTemplateMixin, TemplateView):
    """How many people want each course and each skill at each level. Two queries."""

    page_title = "Training demand"
    header_icon = "group"
    template_name = "courses/interest_demand.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(by_course=list(demand_by_course()), by_skill=list(demand_by_skill()), **kwargs)


@method_decorator(permission_required(VIEW_DEMAND), name="dispatch")
class TrainingDemandPeopleView(WagtailAdminTemplateMixin, TemplateView):
    """Who asked for one course, or for one skill: 50 a page."""

    header_icon = "group"
    template_name = "courses/interest_demand_people.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("courses_training_demand"), "label": "Training demand"}]

    def get_page_title(self):
        return f"Who asked for {self.what}"

    def get_context_data(self, **kwargs):
        course_id = self.kwargs.get("course_id")
        if course_id is not None:
            course = get_object_or_404(CoursePage, pk=course_id)
            self.what = course.title
            people = demand_people(course_id=course.pk)
        else:
            framework = get_object_or_404(Framework, pk=self.kwargs["framework_id"])
            people = with_names(
                demand_people(framework_id=framework.pk, skill_code=self.kwargs["skill_code"])
            ).order_by("created_at", "pk")
            self.what = self.kwargs["skill_code"]
        page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        if not page.paginator.count:
            raise Http404
        if course_id is None and page.object_list:
            self.what = page.object_list[0].skill_name or self.what
        return super().get_context_data(page_obj=page, people=page.object_list, **kwargs)
