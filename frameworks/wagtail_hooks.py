"""The frameworks app in the Wagtail admin: its audit log actions, and the "Frameworks" menu of viewsets
(frameworks.viewsets), registered as snippets so that release publications get Wagtail's workflow."""

from wagtail import hooks
from wagtail.snippets.action_menu import PublishMenuItem, WorkflowMenuItem
from wagtail.snippets.models import register_snippet

from frameworks.models import ReleasePublication
from frameworks.selectors import release_publication_requester_ids
from frameworks.viewsets import FrameworksViewSetGroup

FRAMEWORK_LOG_ACTIONS = [
    ("capability.frameworks.import", "Import framework release", "Framework release imported"),
    ("capability.frameworks.release_draft_create", "Create draft release", "Draft release created from current"),
    ("capability.frameworks.release_publish", "Publish framework release", "Framework release published"),
    ("capability.frameworks.release_discard", "Discard draft release", "Draft release discarded"),
    ("capability.frameworks.release_supersede", "Supersede framework release", "Framework release superseded"),
    ("capability.frameworks.changes_compute", "Compute change log", "Change log recomputed"),
    ("capability.frameworks.change_note_set", "Edit change note", "Change log note edited"),
    ("capability.frameworks.skill_mapping_set", "Map skill", "Skill mapped to the previous release"),
    ("capability.frameworks.framework_update", "Edit framework", "Framework details edited"),
    ("capability.frameworks.skill_create", "Create skill", "Skill created"),
    ("capability.frameworks.skill_update", "Edit skill", "Skill edited"),
    ("capability.frameworks.skill_level_update", "Edit skill level text", "Skill level text edited"),
    ("capability.frameworks.skill_delete", "Delete skill", "Skill deleted"),
    ("capability.frameworks.requirement_set", "Set required skill level", "Required skill level set"),
    ("capability.frameworks.requirement_delete", "Remove required skill", "Required skill removed"),
    ("capability.frameworks.role_level_update", "Edit role level", "Role level edited"),
    ("capability.frameworks.role_levels_reorder", "Reorder role levels", "Role levels reordered"),
    ("capability.frameworks.import_upload", "Upload framework files", "Framework files uploaded for import"),
    ("capability.frameworks.import_stale", "Stop a dead import", "Import marked as stopped: its worker had died"),
    ("capability.frameworks.publication_request", "Request publication", "Publication of the release requested"),
]


@hooks.register("register_log_actions")
def register_framework_actions(actions):
    for action, label, message in FRAMEWORK_LOG_ACTIONS:
        actions.register_action(action, label, message)


register_snippet(FrameworksViewSetGroup)


@hooks.register("construct_snippet_action_menu")
def hide_approval_from_the_requester(menu_items, request, context):
    """Whoever asked for a release to be published is not offered Approve or Publish on it: another moderator
    must approve (docs/decisions/0115; ReleasePublication.publish refuses it anyway)."""
    publication = context.get("instance")
    if not isinstance(publication, ReleasePublication) or publication.pk is None:
        return
    if request.user.pk not in release_publication_requester_ids(publication=publication):
        return
    menu_items[:] = [
        item
        for item in menu_items
        if not isinstance(item, PublishMenuItem) and not (isinstance(item, WorkflowMenuItem) and item.name == "approve")
    ]
