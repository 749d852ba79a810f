"""Every write of the skills app. Views, admin, tasks and commands call these."""

from skills.services.assessments import assessment_record, current_levels_rebuild
from skills.services.carry_forward import release_carry_forward
from skills.services.certificate_reminders import certificate_reminders_send
from skills.services.certificates import (
    CertificateConflict,
    CertificateError,
    certificate_issue_by_hand,
    certificate_issue_for_achievement,
    certificate_issue_for_validation,
    certificate_revoke,
    skill_award,
)
from skills.services.course_evidence import Outcome, course_evidence_record, course_evidence_retract
from skills.services.delegation import DelegationError, delegation_create, delegation_end
from skills.services.errors import InvalidAssessment, NotAllowed, SkillsError
from skills.services.external_certifications import (
    CertificationDetails,
    ExternalCertificationError,
    external_certification_decide,
    external_certification_record,
    external_certification_resubmit,
    external_certification_withdraw,
)
from skills.services.organisation import org_unit_ensure, org_unit_path_split, profession_ensure
from skills.services.policy import derive_current, validation_ranking
from skills.services.reminders import reassessment_period_number, stale_reminders_send
from skills.services.reviews import (
    claim_withdraw,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)

__all__ = [
    "CertificateConflict",
    "CertificateError",
    "CertificationDetails",
    "ExternalCertificationError",
    "certificate_reminders_send",
    "external_certification_decide",
    "external_certification_record",
    "external_certification_resubmit",
    "external_certification_withdraw",
    "DelegationError",
    "InvalidAssessment",
    "NotAllowed",
    "Outcome",
    "SkillsError",
    "assessment_record",
    "certificate_issue_by_hand",
    "certificate_issue_for_achievement",
    "certificate_issue_for_validation",
    "certificate_revoke",
    "claim_withdraw",
    "course_evidence_record",
    "course_evidence_retract",
    "current_levels_rebuild",
    "delegation_create",
    "delegation_end",
    "derive_current",
    "org_unit_ensure",
    "org_unit_path_split",
    "profession_ensure",
    "reassessment_period_number",
    "release_carry_forward",
    "review_decide",
    "review_request_assessor",
    "review_request_evidence",
    "self_assessment_draft_save",
    "self_assessment_submit",
    "skill_award",
    "stale_reminders_send",
    "validation_ranking",
]
