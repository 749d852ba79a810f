from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cms.accounts"
    label = "accounts"

    def ready(self):
        from skills.notification_kinds import notification_kind_register

        from . import signals  # noqa: F401 — connects the sign-in and sign-out receivers
        from .notifications import password_reset_context

        notification_kind_register(
            name="password_reset",
            label="Password reset link",
            subject="Reset your Capability password",
            template="accounts/email/password_reset.txt",
            build_context=password_reset_context,
        )
