from django.apps import AppConfig


class StandardPagesConfig(AppConfig):
    name = "cms.standard_pages"
    label = "standard_pages"
