"""Subject-access exports (issue 14, docs/decisions/0218), and the permission to export anyone's personal data,
given to the Data protection role (made by accounts 0004)."""

import django.db.models.deletion
import skills.models.subject_access
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

DATA_PROTECTION = "Data protection"
CODENAME = "export_personal_data"


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
        ("skills", "0030_hr_analyst_capability_reports"),
        ("accounts", "0004_data_protection_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SubjectAccessExport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("running", "Being put together"),
                            ("ready", "Ready to download"),
                            ("failed", "Could not be put together"),
                        ],
                        default="queued",
                        max_length=20,
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        storage=skills.models.subject_access.export_storage,
                        upload_to=skills.models.subject_access.export_path,
                    ),
                ),
                ("file_size", models.PositiveBigIntegerField(blank=True, null=True)),
                ("requested_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "expires_at",
                    models.DateTimeField(blank=True, help_text="When the file and this record are deleted.", null=True),
                ),
                ("error", models.CharField(blank=True, max_length=500)),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subject_access_exports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-id"],
                "permissions": [("export_personal_data", "Can export anyone's personal data (subject access)")],
                "indexes": [
                    models.Index(fields=["subject", "requested_at"], name="skills_sar_export_subject_idx"),
                    models.Index(fields=["expires_at"], name="skills_sar_export_expires_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["queued", "running", "ready", "failed"])),
                        name="skills_sar_export_status_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("finished_at__isnull", True), ("status__in", ["queued", "running"])),
                            models.Q(
                                models.Q(("status__in", ["queued", "running"]), _negated=True),
                                ("finished_at__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="skills_sar_export_finished_iff_done",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("status", "ready"),
                                models.Q(("file", ""), _negated=True),
                                ("expires_at__isnull", False),
                            ),
                            models.Q(models.Q(("status", "ready"), _negated=True), ("file", "")),
                            _connector="OR",
                        ),
                        name="skills_sar_export_file_iff_ready",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
