from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "cms.navigation"
    label = "navigation"

    def ready(self):
        # The receivers that keep the cached frame fresh (they import models: here, once the registry is ready).
        from cms.navigation import signals  # noqa: F401, PLC0415 — AppConfig.ready
