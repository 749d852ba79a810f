"""What every viewset of the skills admin shares, on the plumbing of frameworks.viewsets.base (one refused-actions
permission policy, one way of showing a service's refusal on the form: docs/decisions/0019)."""

from frameworks.viewsets.base import AdminModelViewSet, ServiceErrorFormMixin
from skills.services.errors import NotAllowed, SkillsError
from skills.services.people import OwnRightsChange


class SkillsModelViewSet(AdminModelViewSet):
    """No copies, no deletes, not in the reference index (the HR feed writes these rows in bulk, past the
    signals that keep the index)."""

    add_to_reference_index = False
    refused_actions = ("delete",)


class SkillsServiceFormMixin(ServiceErrorFormMixin):
    """A SkillsError the service raises is shown on the form; a NotAllowed (the actor may not do this) is refused
    as Wagtail refuses any admin action, except a change of the actor's own rights, which is shown beside the
    field they tried to change (docs/decisions/0202)."""

    service_errors = (SkillsError,)
    refusals = (NotAllowed,)

    def is_refusal(self, error) -> bool:
        return super().is_refusal(error) and not isinstance(error, OwnRightsChange)

    def error_field_for(self, error) -> str | None:
        if isinstance(error, OwnRightsChange):
            return error.field
        return super().error_field_for(error)
