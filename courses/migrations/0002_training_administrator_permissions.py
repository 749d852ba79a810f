"""Give the training administrator role the admin of sessions, bookings and what learners record: sessions
(add, change, view), bookings (add: on someone's behalf; change: cancel, attendance; view: rosters), self-paced
completions and interest in training (view), evaluations (view). Nothing is deleted through the admin.

Permissions are normally created after all migrations run; this migration creates the courses app's first so
that it can grant them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINING_ADMINISTRATOR = "Training administrator"
PERMISSIONS = {
    "session": ["add", "change", "view"],
    "booking": ["add", "change", "view"],
    "coursecompletion": ["view"],
    "courseinterest": ["view"],
    "evaluation": ["view"],
}


def codenames():
    return [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=TRAINING_ADMINISTRATOR)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="courses", codename__in=codenames()))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=TRAINING_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=codenames())
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial"), ("accounts", "0002_roles"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(grant, revoke)]
