from django.db import models


class FrameworkKind(models.TextChoices):
    """How a framework is organised, which decides the importer, the exporters and the public pages."""

    DDAT = "ddat", "DDaT-like: role families, roles and role levels that require skills"
    SFIA = "sfia", "SFIA-like: categories of skills and generic levels of responsibility"


class ReleaseStatus(models.TextChoices):
    """A release is edited as a draft, published as a whole, then frozen; the next publication supersedes it."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class RoleType(models.TextChoices):
    """The kind of role. The DDaT roles file's `Role Type` column is empty for profession roles."""

    PROFESSION = "profession", "Profession role"
    SENIOR_CIVIL_SERVICE = "senior_civil_service", "Senior Civil Service"


class ChangeSubject(models.TextChoices):
    SKILL = "skill", "Skill"
    ROLE = "role", "Role"
    ROLE_LEVEL = "role_level", "Role level"
    REQUIREMENT = "requirement", "Required skill level"


class ChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"
    RENAMED = "renamed", "Renamed"
    DESCRIPTION_CHANGED = "description_changed", "Description changed"
    LEVEL_TEXT_CHANGED = "level_text_changed", "Level text changed"
    REQUIRED_LEVEL_CHANGED = "required_level_changed", "Required level changed"


class ImportOutcome(models.TextChoices):
    CREATED = "created", "Created a new draft release"
    UPDATED = "updated", "Replaced the content of the draft release"
    UNCHANGED = "unchanged", "Nothing changed: the release already holds exactly this content"
    FAILED = "failed", "Nothing was written: the files have errors"


class QuirkKind(models.TextChoices):
    """Known problems of real framework files that an import handles and reports rather than hides."""

    BYTE_ORDER_MARK = "byte_order_mark", "File starts with a UTF-8 byte-order mark"
    DUPLICATE_ROW = "duplicate_row", "Exact duplicate row skipped"
    EMPTY_SKILL_DESCRIPTION = "empty_skill_description", "Skill has an empty description"
    DESCRIPTION_PLACEHOLDER = "description_placeholder", "Roles file shows a placeholder for an empty description"
    NOT_IN_USE = "not_in_use", "Role without levels (NOT IN USE): its skills are kept without a level"
    LEVEL_NOT_DEFINED = "level_not_defined", "Level text says the level is not defined"
    EMPTY_LEVEL_TEXT = "empty_level_text", "Level text is empty, so the level is not defined"
    ROLE_LEVELS_REORDERED = "role_levels_reordered", "Role levels re-ordered by seniority"
    SENIORITY_FROM_REQUIREMENTS = "seniority_from_requirements", "Seniority decided by the skill levels required"
    SURROUNDING_WHITESPACE = "surrounding_whitespace", "Name has leading or trailing spaces (kept for the export)"
    LISTED_ROLES_DISAGREE = "listed_roles_disagree", "'Roles that require Skill' disagrees with the roles file"


class ImportJobStatus(models.TextChoices):
    """Where an import uploaded in the admin has got to. FINISHED says nothing about success: read the outcome."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    CRASHED = "crashed", "Stopped by an unexpected error"
