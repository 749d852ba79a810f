from django.urls import path
from wagtail import hooks

from courses import admin_views
from courses.selectors.catalogue import courses_published, renewal_sessions, session_book_path
from courses.selectors.reports import (
    interest_in_skill,
    interest_people,
    waiting_list_for_skill,
    waiting_list_people,
)
from courses.views.demand import VIEW_DEMAND, TrainingDemandPeopleView, TrainingDemandView
from courses.views.recommendations import gap_recommendations_html
from courses.views.skill_courses import skill_courses_html
from courses.viewsets import TrainingViewSetGroup
from skills.selectors.capability_demand import CAPABILITY_TRAINING_DEMAND_HOOK, DemandSource
from skills.selectors.certificates import CERTIFICATE_AWARDS_HOOK, AwardChoice
from skills.services.certificate_reminders import CERTIFICATE_RENEWAL_SESSIONS_HOOK, RenewalSession


@hooks.register("register_admin_viewset")
def register_training_admin():
    """One "Training" menu: sessions (the viewsets), then the reports, the history import and the demand."""
    return TrainingViewSetGroup(
        extra_items=[
            ("Training reports", "courses_reports", "table", (admin_views.VIEW_REPORTS,)),
            ("Training effectiveness", "courses_reports_effectiveness", "table", (admin_views.VIEW_REPORTS,)),
            ("Import training history", "courses_history_import", "upload", tuple(admin_views.IMPORT_HISTORY)),
            ("Training demand", "courses_training_demand", "group", (VIEW_DEMAND,)),
        ]
    )


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
        ("calendar_feed_reset", "Reset calendar feed", "Calendar feed address reset"),
        ("session_schedule", "Schedule session", "Session scheduled"),
        ("session_update", "Change session", "Session changed"),
        ("session_cancel", "Cancel session", "Session cancelled"),
        ("session_close", "Close session", "Session closed"),
        ("attendance_mark", "Mark attendance", "Attendance marked"),
        ("evaluation_submit", "Evaluate training", "Training evaluation given"),
        ("history_import", "Import training history", "Training history imported"),
        ("interest_register", "Register interest", "Interest in training registered"),
        ("interest_withdraw", "Withdraw interest", "Interest in training withdrawn"),
        ("completion_record", "Record completion", "Self-paced course completion recorded"),
        ("completion_withdraw", "Withdraw completion", "Self-paced course completion withdrawn"),
        ("completion_confirm", "Confirm completion", "Self-paced course completion confirmed"),
        ("completion_reject", "Reject completion", "Self-paced course completion not confirmed"),
    ]:
        actions.register_action(f"capability.courses.{action}", label, message)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("training-reports/", admin_views.ReportsView.as_view(), name="courses_reports"),
        path(
            "training-reports/effectiveness/",
            admin_views.EffectivenessView.as_view(),
            name="courses_reports_effectiveness",
        ),
        path("training-reports/history/", admin_views.HistoryImportView.as_view(), name="courses_history_import"),
    ]


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


@hooks.register("frameworks_skill_related")
def skill_courses(request, skill):
    """On a framework skill's public page: the published courses that develop the skill, with their level steps,
    from the cache until the catalogue's structure changes (courses.views.skill_courses)."""
    return skill_courses_html(request, skill)


@hooks.register(CERTIFICATE_AWARDS_HOOK)
def course_certificate_awards():
    """The live courses that lead to a certificate, for a training administrator issuing one by hand."""
    return [
        AwardChoice(
            award=course.award,
            title=course.title,
            url=course.url or "",
            validity_months=course.certificate_validity_months,
        )
        for course in courses_published().filter(leads_to_certificate=True).order_by("title")
    ]


@hooks.register(CAPABILITY_TRAINING_DEMAND_HOOK)
def capability_training_demand():
    """On HR's capability dashboard: who, below the level a skill needs, is waiting for training in it."""
    return [
        DemandSource(
            label="On a waiting list for a course in it", rows=waiting_list_for_skill, people=waiting_list_people
        ),
        DemandSource(label="Registered interest in it", rows=interest_in_skill, people=interest_people),
    ]


@hooks.register(CERTIFICATE_RENEWAL_SESSIONS_HOOK)
def certificate_renewal_sessions(award):
    """In a certificate's expiry reminder: the sessions of the course that renews it, open for booking with a
    seat left. None for an award that is not a course's."""
    return [
        RenewalSession(
            starts_at=session.starts_at,
            place=session.town or "Online",
            seats_left=session.seats_left,
            path=session_book_path(session),
        )
        for session in renewal_sessions(award=award)
    ] or None
