"""The personal data `courses` holds, for the register in `skills.personal_data` (docs/decisions/0214). Each model's
docstring says the same in its "Personal data:" paragraph."""

from skills.personal_data import PersonalDataModel, Retention

PERSONAL_DATA = (
    PersonalDataModel(
        model="courses.Booking",
        fields=(
            "person",
            "session",
            "status",
            "adjustments",
            "reason",
            "decided_by",
            "decided_at",
            "decline_reason",
            "cancelled_by",
            "cancelled_at",
            "cancel_reason",
            "attendance_marked_by",
            "attendance_marked_at",
            "created_at",
        ),
        about=("person",),
        names=("decided_by", "cancelled_by", "attendance_marked_by"),
        purpose="The person's place, or request for one, on a session: approval, waitlist, attendance.",
        seen_by=(
            "the person; their line manager (why they want it); training administrators (reasonable adjustments "
            "and attendance)"
        ),
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="courses.CalendarFeed",
        fields=("person", "token", "created_at"),
        about=("person",),
        purpose="The person's private calendar feed of their confirmed sessions, reached by its secret token.",
        seen_by="the person; any calendar they gave the feed's address to",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="courses.CourseCompletion",
        fields=(
            "person",
            "course",
            "completed_on",
            "evidence",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
        ),
        about=("person",),
        names=("decided_by",),
        purpose="The person's claim to have completed a self-paced course, until their line manager confirms it.",
        seen_by="the person; their line-management chain",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="courses.CourseInterest",
        fields=("person", "course", "framework", "skill_code", "level_rank", "created_at"),
        about=("person",),
        kept_on_erasure=("skill_code",),
        purpose="That the person wants training where none is scheduled: the demand training administrators see.",
        seen_by="the person; training administrators; HR analysts, in figures for groups large enough",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="courses.Evaluation",
        fields=("person", "booking", "completion", "comment", "submitted_at"),
        about=("person",),
        purpose="The person's answer to 'how did it go?' after training; the scores are reported only in aggregate.",
        seen_by="the person; training administrators (the comments, and the scores in aggregate)",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="courses.Session",
        fields=("created_by",),
        names=("created_by",),
        purpose="Who scheduled a session.",
        seen_by="training administrators",
        retention=Retention.AUDIT,
    ),
)
