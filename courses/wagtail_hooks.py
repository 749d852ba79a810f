from wagtail import hooks


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
