"""`frameworks.audit.audit_log` writes the entry Wagtail's `log` writes (the admin's reports and history show it
the same way), with one INSERT and no validation queries, and refuses what Wagtail's would refuse."""

import pytest
from wagtail.log_actions import LogContext, log
from wagtail.models import ModelLogEntry

from frameworks.audit import audit_log
from tests.cms.factories import UserFactory
from tests.frameworks.factories import SkillFactory

pytestmark = pytest.mark.django_db

FIELDS = ("content_type_id", "object_id", "label", "action", "data", "user_id", "revision_id", "deleted")


def entry_fields(entry) -> dict:
    entry = ModelLogEntry.objects.get(pk=entry.pk)
    return {field: getattr(entry, field) for field in FIELDS}


def test_the_entry_is_the_one_wagtail_writes_in_one_insert(django_assert_num_queries):
    skill, editor = SkillFactory(), UserFactory()
    theirs = log(instance=skill, action="wagtail.edit", user=editor, data={"why": "typo"})
    with django_assert_num_queries(1):
        ours = audit_log(skill, "wagtail.edit", user=editor, data={"why": "typo"})
    assert entry_fields(ours) == entry_fields(theirs)
    assert ours.timestamp is not None
    assert ours.uuid is None  # outside a LogContext, as Wagtail's


def test_the_system_as_actor_and_the_active_context_user_and_uuid():
    skill, editor = SkillFactory(), UserFactory()
    assert audit_log(skill, "wagtail.edit").user_id is None
    with LogContext(user=editor) as context:
        entry = audit_log(skill, "wagtail.edit")
    assert (entry.user_id, entry.uuid) == (editor.pk, context.uuid)


def test_an_unregistered_action_or_an_unsaved_object_is_refused_and_nothing_written():
    skill = SkillFactory()
    with pytest.raises(ValueError, match="has not been registered"):
        audit_log(skill, "capability.nothing.like_this")
    with pytest.raises(ValueError, match="saved object"):
        audit_log(SkillFactory.build(), "wagtail.edit")
    assert not ModelLogEntry.objects.exists()
