"""Framework moderators, who publish releases, follow the carry-forward of levels and may resume a failed one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["change_releasecarryforward", "view_releasecarryforward"]


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
    dependencies = [("skills", "0015_release_carry_forward"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
