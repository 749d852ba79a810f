from django.db import models


class Role(models.TextChoices):
    """The roles of the service. Each is a Django group, created by a data migration."""

    LEARNER = "Learner", "Learner"
    LINE_MANAGER = "Line manager", "Line manager"
    ASSESSOR = "Assessor", "Assessor"
    TRAINING_ADMINISTRATOR = "Training administrator", "Training administrator"
    HR_ANALYST = "HR analyst", "HR analyst"
    CONTENT_EDITOR = "Content editor", "Content editor"
    FRAMEWORK_MODERATOR = "Framework moderator", "Framework moderator"
    DATA_PROTECTION = "Data protection", "Data protection"


# Roles whose work happens in the Wagtail admin. The others use the public site only.
ADMIN_ROLES = frozenset(
    {
        Role.TRAINING_ADMINISTRATOR,
        Role.HR_ANALYST,
        Role.CONTENT_EDITOR,
        Role.FRAMEWORK_MODERATOR,
        Role.DATA_PROTECTION,
    }
)


class SessionEndReason(models.TextChoices):
    """Why a signed-in session ended."""

    SIGNED_OUT = "signed_out", "Signed out"
    ENDED_BY_USER = "ended_by_user", "Ended from another device"
    CREDENTIALS_CHANGED = "credentials_changed", "Password or e-mail address changed"
    LIFETIME_REACHED = "lifetime", "Reached its maximum lifetime"


# Endings someone chose or caused, which go in the audit log; signing out and expiry are routine.
AUDITED_SESSION_END_REASONS = frozenset({SessionEndReason.ENDED_BY_USER, SessionEndReason.CREDENTIALS_CHANGED})
