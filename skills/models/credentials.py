from django.db import models
from django.db.models import Q


class CredentialKey(models.Model):
    """A public key Capability signs Open Badges credentials with, as its DID document lists it.

    Kept for as long as any credential it signed may be shown, so a retired key (`retired_at`) stays in the DID
    document and old credentials still verify; it signs nothing more. The private key is not here: it is a file
    named after `key_id` in the directory CAPABILITY_CREDENTIAL_KEYS_DIR names, outside the repository and the
    database, so a database dump never holds it. At most one key of each algorithm is in use (a constraint).

    Holds no personal data.
    """

    class Algorithm(models.TextChoices):
        ED25519 = "ed25519", "Ed25519 (Data Integrity proof, eddsa-rdfc-2022)"
        RSA = "rsa", "RSA (VC-JWT, RS256)"

    key_id = models.CharField(max_length=60, unique=True, help_text="The DID URL fragment, e.g. ed25519-2026-12-05.")
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices)
    public_key = models.JSONField(help_text="The public JWK (RFC 7517): what the DID document publishes.")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True, help_text="When a newer key replaced it.")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm"], condition=Q(retired_at__isnull=True), name="skills_credentialkey_one_in_use"
            ),
        ]

    def __str__(self):
        return self.key_id


class CredentialStatusList(models.Model):
    """The signed revocation status list (a BitstringStatusListCredential) as last made: served as stored, so the
    public route costs one read, and made again after each revocation.

    Holds no personal data by itself (which places are set says nothing without the certificates' indices).
    """

    purpose = models.CharField(max_length=20, unique=True, default="revocation")
    credential = models.JSONField()
    revoked_count = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField()

    def __str__(self):
        return f"{self.purpose} status list ({self.made_at:%Y-%m-%d %H:%M})"
