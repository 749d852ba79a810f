"""Give the HR analyst role the admin of organisation and people: units, grades and professions (add, change,
view), people (change, view: people come from the HR feed) and the HR feed import (add, view). Nothing here is
deleted through the admin, so no delete permission is granted.

Permissions are normally created after all migrations run; this migration creates the skills app's first so
that it can grant them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_ANALYST = "HR analyst"
PERMISSIONS = {
    "organisationunit": ["add", "change", "view"],
    "grade": ["add", "change", "view"],
    "profession": ["add", "change", "view"],
    "person": ["change", "view"],
    "peopleimport": ["add", "view"],
}


def codenames():
    return [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR_ANALYST)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="skills", codename__in=codenames()))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HR_ANALYST).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="skills", codename__in=codenames()))


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0004_people_import"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
