from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills"

    def ready(self):
        from . import receivers  # noqa: F401  (connects to frameworks' signals)
