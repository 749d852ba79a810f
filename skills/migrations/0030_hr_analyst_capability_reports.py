"""Give the HR analyst role capability reports for their units. Seeing the individuals behind the figures is a
separate permission (`view_capability_individuals`) that no role has by default: a superuser grants it to the
analysts who need it, one by one, in the Users admin (docs/decisions/0213)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_ANALYST = "HR analyst"
CODENAME = "view_capability_reports"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR_ANALYST)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="skills", codename=CODENAME))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HR_ANALYST).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="skills", codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [("skills", "0029_capability_reports")]

    operations = [migrations.RunPython(grant, revoke)]
