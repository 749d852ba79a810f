"""Framework moderators declare each framework's assessment policy (add, change, view; never delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_assessmentpolicy", "change_assessmentpolicy", "view_assessmentpolicy"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Framework moderator")
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(content_type__app_label="skills", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Framework moderator").first()
    if group:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="skills", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("skills", "0006_person_own_manager_message"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
