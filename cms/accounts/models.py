import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from cms.accounts.enums import IdentityLinkConfirmation, SessionEndReason


class CapabilityUserManager(UserManager):
    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who signs in. Signs in with their e-mail address; there is no separate username.

    Personal data: name and e-mail address. Roles are Django groups (see `cms.accounts.enums.Role`).
    """

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = CapabilityUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_case_insensitive_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def has_role(self, role) -> bool:
        return self.groups.filter(name=role).exists()


class UserSession(models.Model):
    """One signed-in session of a user, so that they can see where they are signed in and end it.

    Holds a SHA-256 hash of the session key, never the key (the key is a credential), and no IP address:
    only a browser-and-system summary of the user agent, the sign-in time and when it was last used.
    A row whose `ended_at` is set refuses its session on the next request (cms.accounts.middleware).

    Personal data: the account, the device summary and the sign-in and last-use times.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key_hash = models.CharField(max_length=64, unique=True)
    device = models.CharField(max_length=100)
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=SessionEndReason.choices, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"], name="accounts_session_user_ended")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, end_reason="")
                | models.Q(ended_at__isnull=False) & ~models.Q(end_reason=""),
                name="accounts_session_ended_with_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.device}, signed in {self.signed_in_at:%Y-%m-%d %H:%M}"


class IdentityLink(models.Model):
    """An identity at the OpenID Connect provider (issuer and subject, as its ID tokens sign them) that may sign in
    to an account (decision 0215). Created by the first single sign-on of a person the HR feed knows; a link to a
    privileged account (admin roles, staff, superuser) waits unconfirmed — it signs nobody in — until the account's
    own password or, for an account the HR feed does not know, a superuser confirms it.

    Personal data: the provider's subject (an identifier of the person) and when the link was made, confirmed and
    last used."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identity_links")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation = models.CharField(max_length=20, choices=IdentityLinkConfirmation.choices, blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_identity_link_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="accounts_identity_link_one_per_issuer"),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, confirmation="")
                | models.Q(confirmed_at__isnull=False) & ~models.Q(confirmation=""),
                name="accounts_identity_link_confirmed_with_a_way",
            ),
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
