"""Every write of the skills app. Views, admin, tasks and commands call these."""

from .assessments import assessment_record, current_levels_rebuild
from .carry_forward import release_carry_forward
from .errors import InvalidAssessment, NotAllowed, SkillsError
from .organisation import org_unit_ensure, org_unit_path_split, profession_ensure
from .policy import derive_current, validation_ranking
from .reminders import reassessment_period_number, stale_reminders_send
from .reviews import (
    claim_withdraw,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)

__all__ = [
    "InvalidAssessment",
    "NotAllowed",
    "SkillsError",
    "assessment_record",
    "claim_withdraw",
    "current_levels_rebuild",
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
    "stale_reminders_send",
    "validation_ranking",
]
