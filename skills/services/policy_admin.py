from django.db import transaction
from wagtail.log_actions import log

from frameworks.models import Framework
from skills.enums import AssessmentSource
from skills.models import AssessmentPolicy, PolicySourceRank

from .errors import SkillsError


@transaction.atomic
def assessment_policy_set(
    *, framework: Framework, ranking: list[str], description: str = "", actor=None
) -> AssessmentPolicy:
    """Declare which sources validate levels in `framework`, most authoritative first. Sources left out do
    not validate. Current levels already derived keep their values until the next judgement of each skill
    (the ledger is not replayed), so set the policy before people start assessing."""
    ranking = [AssessmentSource(source) for source in ranking]
    if not ranking:
        raise SkillsError("At least one source must validate levels, or nobody's level could ever be validated.")
    if AssessmentSource.SELF in ranking:
        raise SkillsError("A self-assessment is a claim: it can never validate a level.")
    if len(set(ranking)) != len(ranking):
        raise SkillsError("Give each source one place in the order.")
    policy, _ = AssessmentPolicy.objects.update_or_create(framework=framework, defaults={"description": description})
    policy.ranks.all().delete()
    PolicySourceRank.objects.bulk_create(
        PolicySourceRank(policy=policy, source=source, rank=rank) for rank, source in enumerate(ranking, start=1)
    )
    log(
        instance=policy,
        action="capability.skills.policy_set",
        user=actor,
        data={"framework": framework.slug, "ranking": [source.value for source in ranking]},
    )
    return policy
