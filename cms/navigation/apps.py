from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "cms.navigation"
    label = "navigation"

    def ready(self):
        from . import signals  # noqa: F401  (the receivers that keep the cached frame fresh)
