"""Give the editorial roles what they need in the framework admin, and create the release publication workflow.

Content editors maintain draft releases (skills, role levels, required skills, change notes, framework details),
import files and request a release's publication; Framework moderators can do the same and also publish, which
is what approving the "Framework release publication" workflow does (docs/decisions/0110). Published releases
are frozen by the services and the database whatever the permissions say.

Permissions are normally created after all migrations run; this migration creates the frameworks app's
content types and permissions first (and the snippet "publish" permission, which Wagtail would add after
migrating) so that it can grant them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_EDITOR = "Content editor"
FRAMEWORK_MODERATOR = "Framework moderator"
EDITOR_PERMISSIONS = {
    "framework": ["change", "view"],
    "frameworkrelease": ["add", "view"],
    "skill": ["add", "change", "delete", "view"],
    "role": ["view"],
    "rolelevel": ["change", "view"],
    "requirement": ["add", "change", "delete", "view"],
    "releasechange": ["change", "view"],
    "frameworkimport": ["add", "view"],
    "releasepublication": ["add", "change", "view"],
}
MODERATOR_EXTRA_PERMISSIONS = {"releasepublication": ["publish"]}
WORKFLOW_NAME = "Framework release publication"
TASK_NAME = "Framework moderator approval"


def codenames(permissions):
    return [f"{action}_{model}" for model, actions in permissions.items() for action in actions]


def grant(apps, schema_editor):
    for label in ("frameworks", "wagtailcore"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publication_type = ContentType.objects.get(app_label="frameworks", model="releasepublication")
    Permission.objects.get_or_create(
        content_type=publication_type,
        codename="publish_releasepublication",
        defaults={"name": "Can publish release publication"},
    )

    editor, _ = Group.objects.get_or_create(name=CONTENT_EDITOR)
    moderator, _ = Group.objects.get_or_create(name=FRAMEWORK_MODERATOR)
    editor_permissions = Permission.objects.filter(
        content_type__app_label="frameworks", codename__in=codenames(EDITOR_PERMISSIONS)
    )
    editor.permissions.add(*editor_permissions)
    moderator.permissions.add(*editor_permissions)
    moderator.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="frameworks", codename__in=codenames(MODERATOR_EXTRA_PERMISSIONS)
        )
    )

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task_type = ContentType.objects.get(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(moderator)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=publication_type, defaults={"workflow": workflow})


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="frameworks",
        codename__in=codenames(EDITOR_PERMISSIONS) + codenames(MODERATOR_EXTRA_PERMISSIONS),
    )
    for group in Group.objects.filter(name__in=[CONTENT_EDITOR, FRAMEWORK_MODERATOR]):
        group.permissions.remove(*permissions)
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0003_pages_imports_publication"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
