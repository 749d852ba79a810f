from django.db import transaction
from wagtail.log_actions import log

from frameworks.models import Framework
from skills.enums import AssessmentSource
from skills.models import AssessmentPolicy, CurrentLevel, PolicySourceRank
from skills.services.assessments import current_levels_rebuild
from skills.services.errors import NotAllowed, SkillsError


@transaction.atomic
def assessment_policy_set(
    *,
    framework: Framework,
    ranking: list[str],
    description: str = "",
    validation_earns_certificate: bool = False,
    certificate_validity_months: int | None = None,
    actor=None,
) -> AssessmentPolicy:
    """Declare which sources validate levels in `framework`, most authoritative first. Sources left out do
    not validate. Everyone's current levels in the framework are derived again under the new policy, in the
    same transaction. With `validation_earns_certificate`, each validation of a level from then on issues a
    certificate of the skill at that level, valid for `certificate_validity_months` (empty: for good). `actor`,
    when given, needs the permission to change assessment policies."""
    if actor is not None and not actor.has_perm("skills.change_assessmentpolicy"):
        raise NotAllowed("Only a framework moderator can change an assessment policy.")
    ranking = [AssessmentSource(source) for source in ranking]
    if not ranking:
        raise SkillsError("At least one source must validate levels, or nobody's level could ever be validated.")
    if AssessmentSource.SELF in ranking:
        raise SkillsError("A self-assessment is a claim: it can never validate a level.")
    if len(set(ranking)) != len(ranking):
        raise SkillsError("Give each source one place in the order.")
    if certificate_validity_months is not None and not validation_earns_certificate:
        raise SkillsError("Only a policy whose validations earn a certificate has a validity period.")
    if certificate_validity_months is not None and certificate_validity_months < 1:
        raise SkillsError("A certificate is valid for at least a month, or leave the period empty.")
    policy, _ = AssessmentPolicy.objects.update_or_create(
        framework=framework,
        defaults={
            "description": description,
            "validation_earns_certificate": validation_earns_certificate,
            "certificate_validity_months": certificate_validity_months,
        },
    )
    policy.ranks.all().delete()
    PolicySourceRank.objects.bulk_create(
        PolicySourceRank(policy=policy, source=source, rank=rank) for rank, source in enumerate(ranking, start=1)
    )
    current_levels_rebuild(
        pairs=CurrentLevel.objects.filter(release__framework=framework).values_list("person_id", "skill_id")
    )
    log(
        instance=policy,
        action="capability.skills.policy_set",
        user=actor,
        data={
            "framework": framework.slug,
            "ranking": [source.value for source in ranking],
            "validation_earns_certificate": validation_earns_certificate,
            "certificate_validity_months": certificate_validity_months,
        },
    )
    return policy
