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


class IdentityLinkConfirmation(models.TextChoices):
    """How an identity at the provider came to be trusted to sign in to an account (decision 0215)."""

    HR_FEED = "hr_feed", "Matched to a person in the HR feed"
    OWN_PASSWORD = "own_password", "Confirmed by the account's own password"
    SUPERUSER = "superuser", "Confirmed by a superuser"


class SingleSignOnRefusal(models.TextChoices):
    """Why a sign-in through the identity provider signed nobody in; each has its own page (decision 0215)."""

    UNKNOWN_PERSON = "unknown_person", "Not a person the HR feed knows"
    UNVERIFIED_EMAIL = "unverified_email", "The provider has not verified the e-mail address"
    ACCOUNT_SWITCHED_OFF = "switched_off", "The account is switched off"
    LINKED_TO_ANOTHER_IDENTITY = "linked_elsewhere", "The account is linked to another identity at the provider"
    FAILED_CHECKS = "failed_checks", "The provider's answer failed the service's checks"
    CANCELLED = "cancelled", "The provider did not sign the person in"
    PROVIDER_UNAVAILABLE = "unavailable", "The provider did not answer"


class SecondFactorMethod(models.TextChoices):
    """How a session passed its second factor (the value kept under SECOND_FACTOR_SESSION_KEY)."""

    AUTHENTICATOR_APP = "authenticator_app", "Authenticator app"
    RECOVERY_CODE = "recovery_code", "Recovery code"
    PASSKEY = "passkey", "Passkey"
    # Single sign-on: an identity provider's ID token whose `amr` asserts a second factor (decision 0216).
    IDENTITY_PROVIDER = "identity_provider", "Identity provider"


class SecondFactorOwed(models.TextChoices):
    """What a signed-in session still owes before it may reach anything but the second factor's own pages."""

    CODE = "owed_code", "A code from the person's authenticator app, their passkey, or a recovery code"
    SET_UP = "owed_set_up", "Setting up an authenticator app or a passkey (required of their account)"
    NOTHING = "not_needed", "Nothing: not required of the account, and none set up"


class SecondFactorCheck(models.TextChoices):
    """The outcome of a code typed in."""

    ACCEPTED = "accepted", "Accepted"
    WRONG = "wrong", "Wrong code"
    THROTTLED = "throttled", "Too many wrong codes: wait before trying again"
