# One vocabulary for background imports (issue 10 item 8): the uploader of an HR feed is `requested_by`, as on
# frameworks' FrameworkImport, and deleting their account empties it (SET_NULL) as it does there; an import
# stopped by an unexpected error is "crashed", as a framework import is, rather than "failed" (which a framework
# import's outcome uses for a file with problems).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def failed_to_crashed(apps, schema_editor):
    apps.get_model("skills", "PeopleImport").objects.filter(status="failed").update(status="crashed")


def crashed_to_failed(apps, schema_editor):
    apps.get_model("skills", "PeopleImport").objects.filter(status="crashed").update(status="failed")


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
        migrations.AlterField(
            model_name="peopleimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to run"),
                    ("running", "Running"),
                    ("succeeded", "Done"),
                    ("rejected", "Rejected: nothing was written"),
                    ("crashed", "Stopped by an unexpected error: nothing was written"),
                ],
                default="queued",
                max_length=20,
            ),
        ),
        migrations.RunPython(failed_to_crashed, crashed_to_failed, elidable=True),
    ]
