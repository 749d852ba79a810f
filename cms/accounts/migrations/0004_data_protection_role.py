"""The Data protection role (issue 14): the people who answer subject-access requests and erase leavers' data.

Like the other admin roles it is a group that may open the Wagtail admin; what it may do there is granted by the
migrations of the apps that hold the data (skills' subject-access export and erasure permissions).
"""

from django.db import migrations

DATA_PROTECTION = "Data protection"


def create_role(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DATA_PROTECTION)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DATA_PROTECTION).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_sessions")]

    operations = [migrations.RunPython(create_role, remove_role)]
