from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills"

    def ready(self):
        # Connects to frameworks' signals (the receivers import models: here, once the registry is ready).
        from skills import receivers  # noqa: F401, PLC0415 — AppConfig.ready
        from skills.selectors import team  # noqa: PLC0415 — AppConfig.ready

        # The team filters' cached choices are replaced by every change to people and accounts (decision 0220).
        team.connect()

        # Open Badges: the deployment check of the signing keys, and the status list made again on revocation.
        from skills.credentials import checks as credential_checks  # noqa: F401, PLC0415 — AppConfig.ready
        from skills.credentials import receivers as credential_receivers  # noqa: F401, PLC0415 — AppConfig.ready
