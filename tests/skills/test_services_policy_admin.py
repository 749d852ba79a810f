import pytest

from skills.enums import AssessmentSource
from skills.models import CurrentLevel
from skills.services import NotAllowed, SkillsError, validation_ranking
from skills.services.policy_admin import assessment_policy_set
from tests.cms.factories import UserFactory
from tests.skills.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = AssessmentSource


def test_a_framework_policy_replaces_the_default_ranking(release):
    assessment_policy_set(framework=release.framework, ranking=[S.LINE_MANAGER, S.ASSESSOR])

    assert validation_ranking(framework_id=release.framework_id) == {S.LINE_MANAGER: 1, S.ASSESSOR: 2}


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ([], "At least one source"),
        ([S.SELF, S.ASSESSOR], "can never validate"),
        ([S.ASSESSOR, S.ASSESSOR], "one place"),
    ],
)
def test_a_policy_that_could_not_work_is_refused_with_the_reason(release, ranking, message):
    with pytest.raises(SkillsError, match=message):
        assessment_policy_set(framework=release.framework, ranking=ranking)


def test_a_new_policy_derives_everyones_current_levels_again(release, skill, levels):

    person = PersonFactory()
    AssessmentFactory(person=person, skill=skill, level=levels["working"], source=S.ASSESSOR)
    AssessmentFactory(person=person, skill=skill, level=levels["expert"], source=S.LINE_MANAGER)
    assert CurrentLevel.objects.get(person=person).validated_level == levels["working"]

    assessment_policy_set(framework=release.framework, ranking=[S.LINE_MANAGER, S.ASSESSOR])

    assert CurrentLevel.objects.get(person=person).validated_level == levels["expert"]


def test_only_someone_allowed_to_may_change_a_policy(release):

    with pytest.raises(NotAllowed):
        assessment_policy_set(framework=release.framework, ranking=[S.ASSESSOR], actor=UserFactory())
