"""The register of personal data (skills.personal_data) stays true: every key to a person or an account, in our
models and in every installed library's, is in it; every model that can name any object (a GenericForeignKey, or a
content type beside an `object_id`) is in it or was found to hold none; what it names exists; our models'
docstrings say what it says; and the stores issue 14 names are there."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.module_loading import module_has_submodule
from taggit.managers import TaggableManager
from wagtail.contrib.forms.models import FormMixin
from wagtail.models import ReferenceIndex
from wagtail.search.index import Indexed

from skills.personal_data import (
    NoPersonalData,
    PersonalDataModel,
    PersonalDataStore,
    Retention,
    personal_data_collect,
    personal_data_register,
)

OUR_APPS = ("cms", "courses", "skills", "frameworks")
HOLDS = "Personal data:"
HOLDS_NONE = "Holds no personal data"


def person_and_user():
    return apps.get_model("skills", "Person"), apps.get_model(settings.AUTH_USER_MODEL)


def concrete_models():
    """Every installed model with a table of its own: not abstract, proxy or swapped out, and not the through
    table Django makes for a ManyToManyField (the field itself is checked, on the model that declares it)."""
    return [model for model in apps.get_models() if not model._meta.proxy and not model._meta.auto_created]


def is_ours(model) -> bool:
    return model.__module__.split(".")[0] in OUR_APPS


def where_to_register(model) -> str:
    """The module that should list `model`, for the failure messages."""
    app = model._meta.app_config.name
    if app in ("skills", "frameworks"):
        return "skills/personal_data/skills_and_frameworks.py"
    if is_ours(model):
        module = f"{app.replace('.', '/')}/personal_data.py"
        if module_has_submodule(model._meta.app_config.module, "personal_data"):
            return module
        return f"a new {module}, whose PERSONAL_DATA lists the app's entries"
    if app in (
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.admin",
        "axes",
        "django_otp.plugins.otp_totp",
        "django_otp.plugins.otp_static",
        "django_otp_webauthn",
    ):
        return "cms/accounts/personal_data.py"
    return "cms/core/personal_data.py"


def keys_to_people(model):
    """The fields `model` itself declares (with its abstract parents) that are a ForeignKey, OneToOneField or
    ManyToManyField to skills.Person or the user model. A multi-table child's inherited keys (a page's `owner`)
    belong to its parent, which is checked on its own."""
    people = person_and_user()
    return [
        field
        for field in model._meta.local_fields + model._meta.local_many_to_many
        if field.is_relation and field.related_model in people
    ]


def generic_references(model) -> set[tuple[str, str]]:
    """The (content type field, object id field) pairs through which `model` can name any object: its
    GenericForeignKeys, and a key to ContentType beside a field named `object_id` (Wagtail's log entries and Django's
    admin log name their object so without a GenericForeignKey)."""
    pairs = {
        (field.ct_field, field.fk_field) for field in model._meta.private_fields if isinstance(field, GenericForeignKey)
    }
    if any(field.name == "object_id" for field in model._meta.local_fields):
        pairs |= {
            (field.name, "object_id")
            for field in model._meta.local_fields
            if field.is_relation and field.related_model is ContentType
        }
    return pairs


def follow(model, path: str):
    """The model a lookup path of forward relations leads to from `model`, or None if it leads nowhere."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None or not field.concrete:
            return None
        model = field.related_model
    return model


def fail_with(problems: list[str], advice: str) -> None:
    if problems:
        pytest.fail(advice + "\n\n" + "\n".join(f"- {problem}" for problem in problems), pytrace=False)


# --- (a) every key to a person or an account is in the register ---------------------------------------------------


def test_every_key_to_a_person_or_an_account_in_every_installed_app_is_in_the_register():
    register = personal_data_register()
    problems = []
    for model in concrete_models():
        label = model._meta.label
        entry = register.models.get(label)
        for field in keys_to_people(model):
            target = field.related_model._meta.label
            if entry is None:
                problems.append(
                    f"{label}.{field.name} refers to {target}, and {label} is not in the register: add a "
                    f"PersonalDataModel(model={label!r}, ...) to {where_to_register(model)}"
                )
            elif field.name not in entry.names and field.name not in {path.split("__")[0] for path in entry.about}:
                problems.append(
                    f"{label}.{field.name} refers to {target}: add {field.name!r} to `about` (the row is theirs) or "
                    f"`names` (it names who acted) of {label}'s entry in {register.declared_in[label]}"
                )
    fail_with(problems, "The personal data register (skills.personal_data) lacks these keys to a person or account:")


def test_every_model_that_can_name_any_object_is_registered_with_that_reference_or_found_to_hold_none():
    """GenericForeignKeys are followed: a log entry or a revision about a person is personal data about them, so a
    model that can name any object says through which fields, or is recorded as holding no personal data."""
    register = personal_data_register()
    problems = []
    for model in concrete_models():
        label, pairs = model._meta.label, generic_references(model)
        if not pairs or label in register.no_personal_data:
            continue
        entry = register.models.get(label)
        if entry is None:
            problems.append(
                f"{label} can name any object through {sorted(pairs)}: register it with `generic` in "
                f"{where_to_register(model)}, or add NoPersonalData(model={label!r}, reason=...) saying why it "
                "never names a person's record"
            )
        elif entry.generic not in pairs:
            problems.append(
                f"{label} can name any object through {sorted(pairs)}: set `generic` to one of them in its entry "
                f"in {register.declared_in[label]} (it is {entry.generic!r})"
            )
    fail_with(problems, "These models can name a person's record without the register saying how:")


# --- (b) what the register names exists -----------------------------------------------------------------------


def model_entry_problems(entry: PersonalDataModel) -> list[str]:
    try:
        model = apps.get_model(entry.model)
    except (LookupError, ValueError):
        return [f"{entry.model} is not an installed model: correct the label or remove the entry"]
    people = person_and_user()
    problems = []
    for name in entry.fields:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{entry.model} has no field {name!r} (in `fields`)")
    for path in entry.about:
        if path == "" and model not in people:
            problems.append(f"{entry.model}: `about` is '' (the row is the person) but it is not Person or the user")
        elif path and follow(model, path) not in people:
            problems.append(f"{entry.model}: `about` {path!r} does not lead to skills.Person or the user model")
    for name in entry.names:
        if follow(model, name) not in people or "__" in name:
            problems.append(f"{entry.model}: `names` {name!r} is not a key to skills.Person or the user model")
    direct_links = {path for path in entry.about if path and "__" not in path} | set(entry.names)
    problems += [
        f"{entry.model}: {name!r} links to a person, so it belongs in `fields` too"
        for name in sorted(direct_links - set(entry.fields))
    ]
    if entry.generic is not None and entry.generic not in generic_references(model):
        problems.append(f"{entry.model}: `generic` {entry.generic!r} is not a content type and object id it has")
    if not (entry.about or entry.names or entry.generic or entry.matched_by):
        problems.append(f"{entry.model}: say how its rows lead to a person (`about`, `names`, `generic`, `matched_by`)")
    if not (entry.fields and entry.purpose and entry.seen_by) or entry.retention not in Retention.values:
        problems.append(f"{entry.model}: give its fields, purpose, who sees it and a Retention")
    return problems


def test_every_registered_model_and_field_exists_and_every_link_leads_to_a_person_or_an_account():
    register = personal_data_register()
    problems = [problem for entry in register.models.values() for problem in model_entry_problems(entry)]
    for entry in register.stores.values():
        if not all((entry.location, entry.holds, entry.found_by, entry.purpose, entry.seen_by)):
            problems.append(f"store {entry.name}: say where it is, what it holds, how to find a person's part, why")
        if entry.retention not in Retention.values:
            problems.append(f"store {entry.name}: give it a Retention")
    for entry in register.no_personal_data.values():
        try:
            model = apps.get_model(entry.model)
        except (LookupError, ValueError):
            problems.append(f"{entry.model} is not an installed model: remove its NoPersonalData entry")
            continue
        if not entry.reason:
            problems.append(f"{entry.model}: say why it holds no personal data")
        if keys_to_people(model):
            problems.append(f"{entry.model} has a key to a person or an account: register it instead")
    fail_with(problems, "The personal data register names what does not exist or does not lead to a person:")


# --- (c) our docstrings say what the register says ----------------------------------------------------------------


def test_every_model_of_ours_says_in_its_docstring_whether_it_holds_personal_data_as_the_register_does():
    register = personal_data_register()
    problems = []
    for model in concrete_models():
        if not is_ours(model):
            continue
        label, doc = model._meta.label, " ".join((model.__doc__ or "").split())  # wrapped lines as one
        holds, holds_none, registered = HOLDS in doc, HOLDS_NONE in doc, label in register.models
        if holds and holds_none:
            problems.append(f"{label} ({model.__module__}): its docstring says both {HOLDS!r} and {HOLDS_NONE!r}")
        elif registered and not holds:
            problems.append(
                f"{label} ({model.__module__}) is in the register: add a '{HOLDS} …' paragraph to its docstring "
                "saying what it holds"
            )
        elif holds and not registered:
            problems.append(
                f"{label} ({model.__module__}) says '{HOLDS}' in its docstring: add its PersonalDataModel to "
                f"{where_to_register(model)}"
            )
        elif not holds and not holds_none:
            problems.append(
                f"{label} ({model.__module__}): say in its docstring what personal data it holds ('{HOLDS} …', and "
                f"register it in {where_to_register(model)}) or that it holds none ('{HOLDS_NONE}.')"
            )
    fail_with(problems, "Our models' docstrings and the personal data register disagree:")


# --- (d) the stores issue 14 names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "what"),
    [
        ("wagtailcore.ModelLogEntry", "Wagtail's log entries (every service's audit log)"),
        ("wagtailcore.PageLogEntry", "Wagtail's log entries for pages"),
        ("wagtailcore.Revision", "Wagtail's revisions"),
        ("wagtailcore.WorkflowState", "Wagtail's workflow states"),
        ("wagtailusers.UserProfile", "Wagtail's user profiles"),
        ("axes.AccessAttempt", "django-axes' attempts"),
        ("axes.AccessLog", "django-axes' sign-in log"),
        ("axes.AccessFailureLog", "django-axes' failure log"),
        ("sessions.Session", "sessions"),
        ("skills.Notification", "the outbox"),
        ("skills.PeopleImport", "uploaded HR feed files"),
        ("skills.ExternalCertification", "evidence files"),
    ],
)
def test_the_stores_issue_14_names_are_registered(label, what):
    assert label in personal_data_register().models, f"{what} ({label}) must be in the personal data register"


def test_the_files_people_upload_are_registered_with_their_file_fields():
    models = personal_data_register().models
    assert "file" in models["skills.PeopleImport"].fields
    assert "evidence" in models["skills.ExternalCertification"].fields


def test_the_files_drawn_from_records_and_the_copies_outside_the_tables_are_registered():
    stores = personal_data_register().stores
    assert {"certificate-pdfs", "session-cache"} <= set(stores)


def test_celery_results_are_registered_where_they_are_kept():
    register = personal_data_register()
    if apps.is_installed("django_celery_results"):
        assert "django_celery_results.TaskResult" in register.models
    else:
        assert "celery-results" in register.stores


# --- what NoPersonalData says stays true ------------------------------------------------------------------------


def test_no_model_about_a_person_is_searched_referenced_or_tagged_and_there_is_no_form_page():
    """Why the register says Wagtail's search index, reference index, taggit and form submissions hold no personal
    data: nothing about a person goes into them. Registering such a model there needs its entry changed."""
    register = personal_data_register()
    about_people = [apps.get_model(label) for label, entry in register.models.items() if entry.about]
    assert [model for model in about_people if issubclass(model, Indexed)] == []
    assert [model for model in about_people if ReferenceIndex.is_indexed(model)] == []
    assert [
        model for model in about_people if any(isinstance(field, TaggableManager) for field in model._meta.get_fields())
    ] == []
    assert [model for model in apps.get_models() if issubclass(model, FormMixin)] == []
    assert {"wagtailsearch.IndexEntry", "wagtailcore.ReferenceIndex", "taggit.TaggedItem"} <= set(
        register.no_personal_data
    )


# --- the register itself ---------------------------------------------------------------------------------------


def test_the_register_refuses_a_model_registered_twice():
    entry = NoPersonalData(model="taggit.TaggedItem", reason="Tags images.")
    first, second = (
        SimpleNamespace(__name__="first", PERSONAL_DATA=[entry]),
        SimpleNamespace(__name__="second", PERSONAL_DATA=[entry]),
    )
    with pytest.raises(ImproperlyConfigured, match="twice: in first and in second"):
        personal_data_collect(modules=[first, second])


def test_the_register_refuses_a_module_without_personal_data():
    with pytest.raises(ImproperlyConfigured, match="must list its entries in PERSONAL_DATA"):
        personal_data_collect(modules=[SimpleNamespace(__name__="empty")])


def test_the_register_keeps_models_stores_and_what_holds_none_apart_and_says_where_each_came_from():
    store = PersonalDataStore(
        name="files",
        location="here",
        holds="names",
        found_by="the name",
        purpose="a test",
        seen_by="nobody",
        retention=Retention.TRANSIENT,
    )
    model = PersonalDataModel(
        model="skills.Person",
        fields=("user",),
        about=("",),
        purpose="a test",
        seen_by="nobody",
        retention=Retention.AUDIT,
    )
    register = personal_data_collect(modules=[SimpleNamespace(__name__="one", PERSONAL_DATA=[store, model])])
    assert register.stores == {"files": store}
    assert register.models == {"skills.Person": model}
    assert register.declared_in == {"store:files": "one", "skills.Person": "one"}
