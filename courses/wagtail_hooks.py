from django.template.loader import render_to_string
from wagtail import hooks

from courses.selectors.catalogue import courses_for_skill


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
        ("completion_record", "Record completion", "Self-paced course completion recorded"),
        ("completion_withdraw", "Withdraw completion", "Self-paced course completion withdrawn"),
        ("completion_confirm", "Confirm completion", "Self-paced course completion confirmed"),
        ("completion_reject", "Reject completion", "Self-paced course completion not confirmed"),
    ]:
        actions.register_action(f"capability.courses.{action}", label, message)


@hooks.register("frameworks_skill_related")
def skill_courses(request, skill):
    """On a framework skill's public page: the published courses that develop the skill, with their level steps
    (one query)."""
    outcomes = courses_for_skill(framework_id=skill.release.framework_id, skill_code=skill.code)
    return render_to_string(
        "courses/includes/catalogue_skill_courses.html", {"skill": skill, "outcomes": outcomes}, request=request
    )
