from django.db import transaction
from wagtail.log_actions import log

from frameworks.models import RoleLevel
from skills.models import Person
from skills.selectors import (
    ROLE_LEVEL_NOT_CURRENT,
    person_for_user,
    person_visible_to,
    role_level_in_current_release,
)
from skills.services.errors import InvalidAssessment, NotAllowed


@transaction.atomic
def person_role_levels_set(*, person: Person, current: RoleLevel | None, target: RoleLevel | None, actor) -> Person:
    """A learner picks (or confirms) their current and target role levels. Both must come from a published,
    current framework release; the person themselves or someone in their management chain may set them."""
    if not person_visible_to(viewer=person_for_user(user=actor), person=person):
        raise NotAllowed("Only the person or their line management can change their role levels.")
    for role_level in (current, target):
        if role_level is not None and not role_level_in_current_release(role_level=role_level):
            raise InvalidAssessment(ROLE_LEVEL_NOT_CURRENT.format(role_level=role_level))
    person.current_role_level = current
    person.target_role_level = target
    person.save(update_fields=["current_role_level", "target_role_level", "updated_at"])
    log(
        instance=person,
        action="capability.skills.person_update",
        user=actor,
        data={
            "current_role_level": current.pk if current else None,
            "target_role_level": target.pk if target else None,
        },
    )
    return person
