"""Create the service's roles as groups, and give the admin roles what they need in Wagtail.

Permissions are normally created after all migrations run; this migration creates them first so that
it can grant them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
    "Learner",
    "Line manager",
    "Assessor",
    "Training administrator",
    "HR analyst",
    "Content editor",
    "Framework moderator",
]
ADMIN_ROLES = ["Training administrator", "HR analyst", "Content editor", "Framework moderator"]
# Editors write drafts and submit them for moderation; moderators also publish.
PAGE_PERMISSIONS = {
    "Content editor": ["add_page", "change_page"],
    "Framework moderator": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    "Content editor": ["add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"],
    "Framework moderator": [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    # Wagtail's own starter groups would sit beside these roles and confuse whoever assigns them.
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()

    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)
        for codename in PAGE_PERMISSIONS.get(name, []):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
        for codename in COLLECTION_PERMISSIONS.get(name, []):
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
