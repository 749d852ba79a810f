"""Every review has its claim's person and release (0036 filled them): required from now on (decision 0222)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0036_review_person_and_release"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="person",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="skills.person"
            ),
        ),
        migrations.AlterField(
            model_name="review",
            name="release",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="frameworks.frameworkrelease",
            ),
        ),
    ]
