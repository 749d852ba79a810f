from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"

    def ready(self):
        from cms.core import (  # noqa: PLC0415 — AppConfig.ready: the app registry is ready only now
            checks,  # noqa: F401 — registers the house-rule system checks
            govuk_components,
        )

        govuk_components.install()
