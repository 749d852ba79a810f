"""Every model of ours that holds personal data says so, and what it holds, in its docstring: the list that a
subject access request or an erasure starts from (UK GDPR articles 15 and 17)."""

from django.apps import apps
from django.conf import settings

OUR_APPS = ("cms", "skills", "frameworks", "courses")


def holds_personal_data(model) -> bool:
    person = apps.get_model("skills", "Person")
    user = apps.get_model(settings.AUTH_USER_MODEL)
    if model in (person, user):
        return True
    return any(
        field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model in (person, user)
        for field in model._meta.get_fields()
        # Fields we declare, not those Wagtail's Page or snippet mixins add (owner, locked_by): Wagtail's own.
        if field.concrete and field.model.__module__.split(".")[0] in OUR_APPS
    )


def our_models():
    return [model for model in apps.get_models() if model.__module__.split(".")[0] in OUR_APPS]


def test_every_model_with_a_person_or_a_user_says_what_personal_data_it_holds():
    missing = [
        f"{model._meta.label} ({model.__module__})"
        for model in our_models()
        if holds_personal_data(model) and "Personal data:" not in (model.__doc__ or "")
    ]
    assert missing == []


def test_the_check_sees_the_models_that_hold_personal_data():
    labels = {model._meta.label for model in our_models() if holds_personal_data(model)}
    assert {"skills.Person", "accounts.User", "skills.Assessment", "accounts.UserSession"} <= labels
    assert "frameworks.Skill" not in labels
