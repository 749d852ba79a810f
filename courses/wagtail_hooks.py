from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.views.demand import VIEW_DEMAND, TrainingDemandPeopleView, TrainingDemandView
from courses.views.recommendations import gap_recommendations_html


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in [
        ("booking_request", "Book", "Booking made"),
        ("booking_approve", "Approve booking", "Booking request approved"),
        ("booking_decline", "Decline booking", "Booking request declined"),
        ("booking_cancel", "Cancel booking", "Booking cancelled"),
        ("booking_promote", "Promote from waitlist", "Promoted from the waiting list"),
        ("booking_lapse", "Lapse request", "Booking request lapsed"),
        ("session_capacity", "Change capacity", "Session capacity changed"),
        ("interest_register", "Register interest", "Interest in training registered"),
        ("interest_withdraw", "Withdraw interest", "Interest in training withdrawn"),
    ]:
        actions.register_action(f"capability.courses.{action}", label, message)


@hooks.register("skills_gap_recommendations")
def gap_recommendations(request, person, analyses):
    """Under each gap on skills' gap page: the sessions and self-paced courses that close it, and where none
    can be booked, a way to register interest."""
    return gap_recommendations_html(request, person, analyses)


@hooks.register("register_admin_urls")
def training_demand_urls():
    return [
        path("training-demand/", TrainingDemandView.as_view(), name="courses_training_demand"),
        path(
            "training-demand/course/<int:course_id>/",
            TrainingDemandPeopleView.as_view(),
            name="courses_training_demand_course",
        ),
        path(
            "training-demand/skill/<int:framework_id>/<slug:skill_code>/",
            TrainingDemandPeopleView.as_view(),
            name="courses_training_demand_skill",
        ),
    ]


class TrainingDemandMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_DEMAND)


@hooks.register("register_admin_menu_item")
def training_demand_menu_item():
    return TrainingDemandMenuItem("Training demand", reverse("courses_training_demand"), icon_name="group", order=620)
