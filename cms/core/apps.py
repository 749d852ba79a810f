from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the house-rule system checks)
            govuk_components,
        )

        govuk_components.install()
