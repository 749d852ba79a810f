"""Give the training administrator role the administration of certificates: see everyone's (view), issue by hand
(add) and revoke (change). Nothing is deleted: a certificate is revoked, never removed.

Permissions are normally created after all migrations run; this migration creates the skills app's first so that
it can grant them on a fresh database. The role's group is found or made by its name, as the courses app's
migration does."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINING_ADMINISTRATOR = "Training administrator"
CODENAMES = ["add_certificate", "change_certificate", "view_certificate"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=TRAINING_ADMINISTRATOR)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="skills", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=TRAINING_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="skills", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0022_certificates"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
