from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "Frameworks"

    def ready(self):
        from frameworks import page_cache  # noqa: PLC0415 — AppConfig.ready: it imports models

        page_cache.connect()
