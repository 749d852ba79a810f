"""Leavers and erasure (issue 14): the day a person left, as the HR feed says, and when their personal data was
anonymised; the permission to erase it, given to the Data protection role (docs/decisions/0217)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

DATA_PROTECTION = "Data protection"
CODENAME = "erase_personal_data"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("skills")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DATA_PROTECTION)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="skills", codename=CODENAME))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=DATA_PROTECTION).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="skills", codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0031_subject_access_export"),
        ("accounts", "0004_data_protection_role"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["user__last_name", "user__first_name"],
                "permissions": [("erase_personal_data", "Can erase the personal data of a person who has left")],
                "verbose_name_plural": "people",
            },
        ),
        migrations.AddField(
            model_name="person",
            name="erased_at",
            field=models.DateTimeField(
                blank=True, help_text="When the person's personal data was anonymised (erasure).", null=True
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="left_on",
            field=models.DateField(
                blank=True,
                help_text="The day the person left, as the HR feed says: they can no longer sign in.",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(("erased_at__isnull", True), ("left_on__isnull", False), _connector="OR"),
                name="skills_person_erased_only_after_leaving",
                violation_error_message="Only a person who has left can be erased.",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
