from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cms.search"
    label = "search"
