from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (`manage.py load_demo`): accounts for every role, the site's pages, the real DDaT release
    and demo people. Kept out of `cms.core` so that the base of the project imports no app above it."""

    name = "cms.demo"
    label = "demo"
