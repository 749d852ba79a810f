"""House rules that the project enforces as Django system checks, so `manage.py check` fails early."""

from django.conf import settings
from django.core import checks
from wagtail.models import Page, get_page_models

from cms.core.models import BasePage


@checks.register(checks.Tags.models)
def page_models_extend_base_page(app_configs, **kwargs):
    errors = []
    for model in get_page_models():
        if model is Page or model._meta.app_label in {"wagtailcore"}:
            continue
        module = model.__module__
        if not module.startswith(("cms.", "frameworks.", "skills.", "courses.")):
            continue
        # Framework and course pages live below cms in the layering, so they cannot extend BasePage.
        if module.startswith("cms.") and not issubclass(model, BasePage):
            errors.append(
                checks.Error(
                    f"{model.__name__} must subclass cms.core.models.BasePage.",
                    obj=model,
                    id="capability.E001",
                )
            )
        if "parent_page_types" not in model.__dict__:
            errors.append(
                checks.Error(
                    f"{model.__name__} must declare parent_page_types so editors can only place it where it belongs.",
                    obj=model,
                    id="capability.E002",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def celery_is_not_eager_in_production(app_configs, **kwargs):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return [
            checks.Warning(
                "CELERY_TASK_ALWAYS_EAGER is on: tasks would run inside web requests.",
                hint="Set REDIS_URL (or CELERY_TASK_ALWAYS_EAGER=false) in production.",
                id="capability.W001",
            )
        ]
    return []
