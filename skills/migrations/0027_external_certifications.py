"""Certifications earned elsewhere and the record of expiry reminders (docs/decisions/0212). Training
administrators may see and decide anyone's external certification: the permissions are created here (as 0023
does) so that they can be granted on a fresh database."""

import django.db.models.deletion
import skills.models.external_certifications
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRAINING_ADMINISTRATOR = "Training administrator"
CODENAMES = ["view_externalcertification", "decide_externalcertification"]


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
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="skills", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0026_credentials"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExternalCertification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("issuer", models.CharField(max_length=200)),
                ("credential_number", models.CharField(blank=True, max_length=100)),
                ("issued_on", models.DateField()),
                ("expires_on", models.DateField(blank=True, help_text="Empty: it does not expire.", null=True)),
                (
                    "evidence",
                    models.FileField(
                        max_length=200,
                        storage=skills.models.external_certifications.evidence_storage,
                        upload_to=skills.models.external_certifications.evidence_path,
                    ),
                ),
                (
                    "evidence_name",
                    models.CharField(help_text="The uploaded file's name, for the download.", max_length=200),
                ),
                (
                    "evidence_type",
                    models.CharField(help_text="The file's type, checked from its content.", max_length=50),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Waiting for confirmation"),
                            ("confirmed", "Confirmed"),
                            ("rejected", "Not confirmed"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="waiting",
                        max_length=20,
                    ),
                ),
                ("submitted_at", models.DateTimeField(help_text="When it was last sent for confirmation.")),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="external_certifications",
                        to="skills.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
                "permissions": [
                    ("decide_externalcertification", "Can confirm or reject anyone's external certification")
                ],
            },
        ),
        migrations.CreateModel(
            name="CertificationReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "threshold",
                    models.PositiveSmallIntegerField(choices=[(90, "90 days"), (30, "30 days"), (7, "7 days")]),
                ),
                ("expires_on", models.DateField(help_text="The expiry date the reminder was about.")),
                ("sent_at", models.DateTimeField()),
                (
                    "certificate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="skills.certificate",
                    ),
                ),
                (
                    "external_certification",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="skills.externalcertification",
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at", "-id"],
            },
        ),
        migrations.AddIndex(
            model_name="externalcertification",
            index=models.Index(fields=["status", "submitted_at"], name="skills_extcert_queue_idx"),
        ),
        migrations.AddIndex(
            model_name="externalcertification",
            index=models.Index(fields=["person", "status"], name="skills_extcert_person_idx"),
        ),
        migrations.AddIndex(
            model_name="externalcertification",
            index=models.Index(fields=["expires_on"], name="skills_extcert_expires_idx"),
        ),
        migrations.AddConstraint(
            model_name="externalcertification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("expires_on__isnull", True), ("expires_on__gt", models.F("issued_on")), _connector="OR"
                ),
                name="skills_extcert_expires_after_issue",
                violation_error_message="The expiry date must be after the date it was issued.",
            ),
        ),
        migrations.AddConstraint(
            model_name="externalcertification",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["waiting", "confirmed", "rejected", "withdrawn"])),
                name="skills_extcert_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="externalcertification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decided_at__isnull", False), ("status__in", ["confirmed", "rejected"])),
                    models.Q(
                        models.Q(("status__in", ["confirmed", "rejected"]), _negated=True), ("decided_at__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="skills_extcert_decided_iff_decision",
            ),
        ),
        migrations.AddConstraint(
            model_name="externalcertification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "rejected"), _negated=True),
                    models.Q(("decision_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="skills_extcert_rejected_with_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="externalcertification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "withdrawn"), ("withdrawn_at__isnull", False)),
                    models.Q(models.Q(("status", "withdrawn"), _negated=True), ("withdrawn_at__isnull", True)),
                    _connector="OR",
                ),
                name="skills_extcert_withdrawn_iff_withdrawal",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificationreminder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("certificate__isnull", False), ("external_certification__isnull", True)),
                    models.Q(("certificate__isnull", True), ("external_certification__isnull", False)),
                    _connector="OR",
                ),
                name="skills_certreminder_one_subject",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificationreminder",
            constraint=models.CheckConstraint(
                condition=models.Q(("threshold__in", [90, 30, 7])), name="skills_certreminder_threshold_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="certificationreminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("certificate__isnull", False)),
                fields=("certificate", "threshold"),
                name="skills_certreminder_once_per_certificate",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificationreminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_certification__isnull", False)),
                fields=("external_certification", "threshold"),
                name="skills_certreminder_once_per_external",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
