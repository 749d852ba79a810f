from django.db import models


class AssessmentSource(models.TextChoices):
    """Who or what made a judgement in the ledger. A self-assessment is a claim and never validates itself."""

    SELF = "self", "Self-assessment"
    LINE_MANAGER = "line_manager", "Line manager"
    ASSESSOR = "assessor", "Assessor"
    COURSE = "course", "Course completion"
    CERTIFICATE = "certificate", "Certificate"
    IMPORT = "import", "Imported"
    CARRIED_FORWARD = "carried_forward", "Carried forward"


# The sources that can validate a level, in the default order of authority (first outranks the rest).
DEFAULT_VALIDATION_RANKING = [
    AssessmentSource.ASSESSOR,
    AssessmentSource.LINE_MANAGER,
    AssessmentSource.COURSE,
    AssessmentSource.CERTIFICATE,
    AssessmentSource.IMPORT,
    AssessmentSource.CARRIED_FORWARD,
]


class ReviewerKind(models.TextChoices):
    LINE_MANAGER = "line_manager", "Line manager"
    ASSESSOR = "assessor", "Assessor"


class ReviewStatus(models.TextChoices):
    """Where a claim sent for validation stands."""

    OPEN = "open", "Waiting for review"
    CONFIRMED = "confirmed", "Confirmed"
    ADJUSTED = "adjusted", "Adjusted"
    MORE_EVIDENCE = "more_evidence", "More evidence requested"
    SUPERSEDED = "superseded", "Replaced by a newer claim"
    WITHDRAWN = "withdrawn", "Withdrawn by the person"


class NotificationStatus(models.TextChoices):
    """Where a message in the outbox stands. A message that could not be sent yet stays pending and is retried;
    failed means it can never be sent (its subject or recipient no longer exists)."""

    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class PeopleImportStatus(models.TextChoices):
    """Where an HR feed uploaded in the admin has got to. Queued, running and to-confirm imports are not finished;
    the others are, and say how it ended (nothing is written unless it SUCCEEDED and was not a dry run).
    The words are the framework imports' (`frameworks.enums.ImportJobStatus`): CRASHED is an unexpected error,
    as there; a file with problems is REJECTED (a framework import's outcome FAILED)."""

    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    # A full file checked and kept, waiting for HR to confirm who leaves (docs/decisions/0217): not finished.
    TO_CONFIRM = "to_confirm", "Checked: waiting for you to confirm the leavers"
    SUCCEEDED = "succeeded", "Done"
    REJECTED = "rejected", "Rejected: nothing was written"
    CRASHED = "crashed", "Stopped by an unexpected error: nothing was written"
    CANCELLED = "cancelled", "Cancelled: nothing was written"
    EXPIRED = "expired", "Not confirmed in time: nothing was written"


class ExternalCertificationStatus(models.TextChoices):
    """Where a certification earned elsewhere stands. Only a confirmed one counts (reminders, the gap page, the
    team view); a rejected one can be edited and sent again, a waiting one withdrawn by the person."""

    WAITING = "waiting", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Not confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReminderThreshold(models.IntegerChoices):
    """How many days before a certification expires its holder and their line manager are reminded."""

    DAYS_90 = 90, "90 days"
    DAYS_30 = 30, "30 days"
    DAYS_7 = 7, "7 days"


class SubjectAccessExportStatus(models.TextChoices):
    """Where a subject-access export stands (docs/decisions/0218). Queued and running ones are not finished; a
    ready one has its file until it expires, when the file and the row are deleted; a failed one has none."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being put together"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be put together"
