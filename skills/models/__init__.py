"""People and what they can do. See each module's docstrings for the personal data a model holds."""

from .accounts import HR_FEED_ISSUER, AccountEmailChange, HRResponsibility, PersonIdentity
from .assessments import (
    Assessment,
    AssessmentPolicy,
    ClaimWithdrawal,
    CurrentLevel,
    PolicySourceRank,
    Review,
    SelfAssessmentDraft,
    StaleReminder,
)
from .carry_forward import ReleaseCarryForward
from .imports import PeopleImport
from .notifications import Notification, TaskHeartbeat
from .organisation import Grade, OrganisationUnit, Profession
from .people import Person

__all__ = [
    "HR_FEED_ISSUER",
    "AccountEmailChange",
    "HRResponsibility",
    "PersonIdentity",
    "Assessment",
    "AssessmentPolicy",
    "ClaimWithdrawal",
    "CurrentLevel",
    "Grade",
    "Notification",
    "OrganisationUnit",
    "PeopleImport",
    "Person",
    "PolicySourceRank",
    "Profession",
    "ReleaseCarryForward",
    "Review",
    "SelfAssessmentDraft",
    "StaleReminder",
    "TaskHeartbeat",
]
