"""People and what they can do. See each module's docstrings for the personal data a model holds."""

from skills.models.accounts import HR_FEED_ISSUER, AccountEmailChange, HRResponsibility, PersonIdentity
from skills.models.assessments import (
    Assessment,
    AssessmentPolicy,
    ClaimWithdrawal,
    CurrentLevel,
    PolicySourceRank,
    Review,
    SelfAssessmentDraft,
    StaleReminder,
)
from skills.models.carry_forward import ReleaseCarryForward
from skills.models.certificates import STATUS_LIST_SIZE, Certificate, CertificateStatus
from skills.models.credentials import CredentialKey, CredentialStatusList
from skills.models.delegation import Delegation
from skills.models.external_certifications import CertificationReminder, ExternalCertification
from skills.models.imports import PeopleImport
from skills.models.notifications import Notification, TaskHeartbeat
from skills.models.organisation import Grade, OrganisationUnit, Profession
from skills.models.people import Person
from skills.models.plans import DevelopmentPlan, PlanAction, PlanComment
from skills.models.reports import CapabilitySnapshot, ReportPerson, ReportRefresh, ReportRequirement
from skills.models.subject_access import SubjectAccessExport
from skills.models.training import Achievement

__all__ = [
    "Achievement",
    "HR_FEED_ISSUER",
    "AccountEmailChange",
    "HRResponsibility",
    "PersonIdentity",
    "Assessment",
    "CapabilitySnapshot",
    "ReportPerson",
    "ReportRefresh",
    "ReportRequirement",
    "Certificate",
    "CertificationReminder",
    "CertificateStatus",
    "CredentialKey",
    "CredentialStatusList",
    "STATUS_LIST_SIZE",
    "AssessmentPolicy",
    "ClaimWithdrawal",
    "DevelopmentPlan",
    "PlanAction",
    "PlanComment",
    "CurrentLevel",
    "Delegation",
    "ExternalCertification",
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
    "SubjectAccessExport",
    "TaskHeartbeat",
]
