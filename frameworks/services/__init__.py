"""Every write to the framework goes through these services (keyword-only arguments, atomic, audited).

Releases: framework_release_draft_create_from_current, framework_release_publish, framework_release_discard,
framework_release_changes_compute, skill_mapping_set. Imports: framework_import_ddat, framework_import_sfia
(they return an ImportReport). Draft edits: framework_update, skill_create, skill_update,
skill_level_descriptor_update, skill_delete, requirement_set, requirement_delete, role_level_update,
role_levels_reorder, release_change_note_set. Edits refuse published releases with ReleaseFrozenError, and
drafts waiting for a moderator with ReleaseInModerationError.
Admin imports: framework_import_job_create, framework_import_job_run, framework_import_jobs_sweep_stale.
Moderated publication: release_publication_request (then Wagtail's workflow; approval calls
release_publication_complete, after release_publication_approver_check). Public pages: framework_pages_ensure,
framework_page_ensure. Site search: release_search_index_update.
"""

from frameworks.services.content import release_assert_content_editable, release_assert_editable
from frameworks.services.editing import (
    framework_update,
    release_change_note_set,
    requirement_delete,
    requirement_set,
    role_level_update,
    role_levels_reorder,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_update,
)
from frameworks.services.errors import (
    FrameworkError,
    FrameworkValidationError,
    NotAllowed,
    ReleaseFrozenError,
    ReleaseInModerationError,
    ReleaseStateError,
    SelfApprovalError,
    SkillInUseError,
    StaleDraftError,
)
from frameworks.services.import_jobs import (
    framework_import_job_create,
    framework_import_job_run,
    framework_import_jobs_sweep_stale,
)
from frameworks.services.imports import framework_import_ddat, framework_import_sfia
from frameworks.services.pages import framework_page_ensure, framework_pages_ensure
from frameworks.services.publication import release_publication_complete, release_publication_request
from frameworks.services.releases import (
    framework_release_changes_compute,
    framework_release_discard,
    framework_release_draft_create_from_current,
    framework_release_publish,
    skill_mapping_set,
)
from frameworks.services.search_index import release_search_index_update

__all__ = [
    "NotAllowed",
    "FrameworkError",
    "FrameworkValidationError",
    "ReleaseFrozenError",
    "ReleaseInModerationError",
    "ReleaseStateError",
    "SelfApprovalError",
    "SkillInUseError",
    "StaleDraftError",
    "framework_import_ddat",
    "framework_import_job_create",
    "framework_import_job_run",
    "framework_import_jobs_sweep_stale",
    "framework_import_sfia",
    "framework_page_ensure",
    "framework_pages_ensure",
    "framework_release_changes_compute",
    "framework_release_discard",
    "framework_release_draft_create_from_current",
    "framework_release_publish",
    "framework_update",
    "release_assert_content_editable",
    "release_assert_editable",
    "release_change_note_set",
    "release_publication_complete",
    "release_publication_request",
    "release_search_index_update",
    "requirement_delete",
    "requirement_set",
    "role_level_update",
    "role_levels_reorder",
    "skill_create",
    "skill_delete",
    "skill_level_descriptor_update",
    "skill_mapping_set",
    "skill_update",
]
