# The uploader of an HR feed is `requested_by`, as on frameworks' FrameworkImport, and deleting their account
# empties it (SET_NULL) as it does there (issue 10 item 8).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0017_people_import_framework_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="peopleimport", old_name="created_by", new_name="requested_by"),
        migrations.AlterField(
            model_name="peopleimport",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
