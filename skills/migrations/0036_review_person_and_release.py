"""A review keeps its claim's person and release (decision 0222): the reviewers' queues group and filter open
reviews by them without joining the ledger. Filled for every existing review in one statement from its claim;
0037 then requires them (in a transaction of its own: on PostgreSQL a table with the deferred foreign-key checks of
this one's update still pending cannot be altered)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_from_claims(apps, schema_editor):
    Review = apps.get_model("skills", "Review")
    Assessment = apps.get_model("skills", "Assessment")
    claim = Assessment.objects.filter(pk=OuterRef("claim_id"))
    Review.objects.update(
        person_id=Subquery(claim.values("person_id")[:1]),
        release_id=Subquery(claim.values("release_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0008_restore_sqlite_frozen_guards"),
        ("skills", "0035_people_import_full_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="person",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="skills.person",
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="release",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="frameworks.frameworkrelease",
            ),
        ),
        migrations.RunPython(fill_from_claims, migrations.RunPython.noop, elidable=False),
    ]
