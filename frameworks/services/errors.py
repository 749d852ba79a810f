from django.core.exceptions import PermissionDenied


class FrameworkError(Exception):
    """A framework write was refused. The message says why and what to do instead; show it to the user."""


class ReleaseFrozenError(FrameworkError):
    def __init__(self, release):
        self.release = release
        super().__init__(
            f"{release.framework} {release.label} is {release.get_status_display().lower()}, and published releases "
            "are frozen. Start a new draft from the current release and edit that instead."
        )


class ReleaseInModerationError(FrameworkError):
    """The draft's publication waits for a moderator: its content is locked (docs/decisions/0114)."""

    def __init__(self, release):
        self.release = release
        super().__init__(
            f"{release.framework} {release.label} is waiting for a Framework moderator to approve its publication, "
            "so its content cannot be changed: the moderator approves exactly what they reviewed. To change it, "
            "cancel the publication request (or ask the moderator to request changes), make the change, then submit "
            "it for publication again."
        )


class SelfApprovalError(FrameworkError):
    """The approver asked for this publication themselves: another moderator must approve it (0115)."""

    def __init__(self, release):
        self.release = release
        super().__init__(
            f"You asked for {release.framework} {release.label} to be published, so another Framework moderator "
            "must approve it: nobody approves their own request."
        )


class ReleaseStateError(FrameworkError):
    """The release is not in the state this action needs (e.g. publishing a release that is not a draft)."""


class StaleDraftError(ReleaseStateError):
    """The draft was made from a release that is no longer current: publishing it would silently undo what
    the newer current release changed (docs/decisions/0117-stale-drafts.md)."""

    def __init__(self, release, current):
        self.release = release
        self.current = current
        based_on = release.previous_release.label if release.previous_release_id else "no published release"
        super().__init__(
            f"{release.framework} {release.label} was drafted from {based_on}, but {current.label} has been "
            f"published since. Publishing {release.label} would undo what {current.label} changed, so it cannot be "
            f"published. Start a new draft from the current release ({current.label}) and make your changes there "
            f"(or import your files again as {release.label}, which compares them with {current.label}), then "
            "discard this draft."
        )


class FrameworkValidationError(FrameworkError):
    """The edit would break an invariant of the release (a duplicate code, a level from another release…)."""


class SkillInUseError(FrameworkError):
    """A skill cannot be deleted while role levels require it. `requirements` lists them."""

    def __init__(self, skill, requirements):
        self.skill = skill
        self.requirements = list(requirements)
        names = [
            f"{requirement.role.name} – {requirement.role_level.name.strip()}"
            if requirement.role_level_id
            else f"{requirement.role.name} (no levels)"
            for requirement in self.requirements
        ]
        self.role_levels = names
        super().__init__(
            f"Skill '{skill.name}' cannot be deleted: {len(names)} role level(s) require it: {'; '.join(names)}. "
            "Remove those requirements first."
        )


class NotAllowed(PermissionDenied):
    """The acting user may not do this. Raised by every service that takes an `actor`, before anything is read for
    writing or written (docs/decisions/0015-one-permission-rule.md). A PermissionDenied, not a FrameworkError:
    Django answers 403 wherever it is raised, and the handlers that show a FrameworkError on a form never catch it."""
