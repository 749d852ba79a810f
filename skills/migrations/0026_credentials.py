"""Open Badges credentials (issue 12): each person's random credential subject identifier, backfilled with a new
UUID for everyone already there (never derived from their e-mail or staff number); the signing keys' public
halves, kept after retirement; the stored, signed revocation status list."""

import uuid

from django.db import migrations, models


def backfill_subject_ids(apps, schema_editor):
    Person = apps.get_model("skills", "Person")
    people = list(Person.objects.filter(credential_subject_id__isnull=True).only("id"))
    for person in people:
        person.credential_subject_id = uuid.uuid4()
    Person.objects.bulk_update(people, ["credential_subject_id"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("skills", "0024_policy_certificates")]

    operations = [
        migrations.AddField(
            model_name="person", name="credential_subject_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(backfill_subject_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="person",
            name="credential_subject_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.CreateModel(
            name="CredentialStatusList",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("purpose", models.CharField(default="revocation", max_length=20, unique=True)),
                ("credential", models.JSONField()),
                ("revoked_count", models.PositiveIntegerField(default=0)),
                ("made_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="CredentialKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "key_id",
                    models.CharField(
                        help_text="The DID URL fragment, e.g. ed25519-2026-12-05.", max_length=60, unique=True
                    ),
                ),
                (
                    "algorithm",
                    models.CharField(
                        choices=[
                            ("ed25519", "Ed25519 (Data Integrity proof, eddsa-rdfc-2022)"),
                            ("rsa", "RSA (VC-JWT, RS256)"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "public_key",
                    models.JSONField(help_text="The public JWK (RFC 7517): what the DID document publishes."),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("retired_at", models.DateTimeField(blank=True, help_text="When a newer key replaced it.", null=True)),
            ],
            options={
                "ordering": ["created_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("retired_at__isnull", True)),
                        fields=("algorithm",),
                        name="skills_credentialkey_one_in_use",
                    )
                ],
            },
        ),
    ]
