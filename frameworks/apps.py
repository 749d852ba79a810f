from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "Frameworks"

    def ready(self):
        from . import page_cache

        page_cache.connect()
