from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills"

    def ready(self):
        # Connects to frameworks' signals (the receivers import models: here, once the registry is ready).
        from skills import receivers  # noqa: F401, PLC0415 — AppConfig.ready
        from skills.credentials import checks  # noqa: F401, PLC0415 — AppConfig.ready
