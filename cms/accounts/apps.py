from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cms.accounts"
    label = "accounts"

    def ready(self):
        # Imported here, not at the top: they import models, which load only once the app registry is ready.
        from cms.accounts import signals  # noqa: F401, PLC0415 — AppConfig.ready; connects the sign-in receivers
        from cms.accounts.notifications import password_reset_context  # noqa: PLC0415 — AppConfig.ready
        from skills.notification_kinds import notification_kind_register  # noqa: PLC0415 — AppConfig.ready

        notification_kind_register(
            name="password_reset",
            label="Password reset link",
            subject="Reset your Capability password",
            template="accounts/email/password_reset.txt",
            build_context=password_reset_context,
        )
