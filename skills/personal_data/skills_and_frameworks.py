"""The personal data `skills` holds, and `frameworks`' too: frameworks sits below this register and cannot import
it, and skills may name frameworks' models, as it may import them. Each model's docstring says the same in its
"Personal data:" paragraph (tests/skills/test_personal_data_register.py keeps the two in step)."""

from skills.personal_data.entry import PersonalDataModel, PersonalDataStore, Retention

# Who sees what a person can do: the person, their line-management chain, and HR analysts for the organisation units
# they look after, in the capability reports (decisions 0202 and 0213).
PERSON_AND_CHAIN = (
    "the person; their line-management chain; HR analysts for their units, in the capability reports (one person's "
    "rows only with the individual-level permission)"
)

PERSONAL_DATA = (
    # --- People and accounts --------------------------------------------------------------------------------
    PersonalDataModel(
        model="skills.Person",
        fields=(
            "user",
            "staff_number",
            "org_unit",
            "grade",
            "profession",
            "line_manager",
            "current_role_level",
            "target_role_level",
            "accredited_frameworks",
            "credential_subject_id",
            "updated_at",
            "left_on",
            "erased_at",
        ),
        about=("",),
        names=("user", "line_manager"),
        purpose="Who the person is at work (from the HR feed): the record every page, review and report starts from.",
        seen_by="the person; their line-management chain; HR analysts for their units (the People admin); superusers",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="skills.PersonIdentity",
        fields=("person", "issuer", "subject", "created_at"),
        about=("person",),
        purpose="How the HR feed (and, with single sign-on, an identity provider) names the person, to match them.",
        seen_by="nobody on a page: the HR feed import matches on it",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="skills.AccountEmailChange",
        fields=("user", "old_email", "new_email", "status", "requested_by", "created_at", "resolved_at"),
        about=("user",),
        names=("requested_by",),
        purpose="A change of e-mail address the HR feed asked for, confirmed by the old address (decision 0201).",
        seen_by="the account's holder, through the confirmation link",
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="skills.HRResponsibility",
        fields=("user", "org_unit"),
        about=("user",),
        purpose="Which organisation units an HR analyst looks after (decision 0202).",
        seen_by="superusers (the People admin)",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="skills.Delegation",
        fields=("delegator", "delegate", "starts_on", "ends_on", "created_by", "created_at", "ended_by", "ended_at"),
        about=("delegator",),
        names=("delegate", "created_by", "ended_by"),
        purpose="A line manager's approvals and reviews handed to another manager while they are away.",
        seen_by="the two managers",
        retention=Retention.AUDIT,
    ),
    # --- The ledger and reviews -----------------------------------------------------------------------------
    PersonalDataModel(
        model="skills.Assessment",
        fields=("person", "skill", "level", "source", "author", "evidence", "reason", "is_claim", "created_at"),
        about=("person",),
        names=("author",),
        purpose="The append-only ledger of judgements of the person's levels, with evidence (decision 0010).",
        seen_by=PERSON_AND_CHAIN + "; assessors, for the claims they review",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.CurrentLevel",
        fields=(
            "person",
            "skill",
            "claimed_level",
            "claimed_rank",
            "validated_level",
            "validated_rank",
            "validated_source",
            "needs_revalidation",
            "last_assessed_at",
        ),
        about=("person",),
        purpose="The person's current claimed and validated levels, derived from the ledger by the policy.",
        seen_by=PERSON_AND_CHAIN,
        retention=Retention.DERIVED,
    ),
    PersonalDataModel(
        model="skills.Review",
        fields=("person", "reviewer", "status", "message", "resolved_by", "created_at", "resolved_at"),
        about=("person",),
        names=("reviewer", "resolved_by"),
        purpose="A claim sent to the person's line manager or an assessor, and what came of it.",
        seen_by="the person; the reviewer; the person's line-management chain",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.ClaimWithdrawal",
        fields=("withdrawn_by", "withdrawn_at"),
        about=("claim__person",),
        names=("withdrawn_by",),
        purpose="That the person withdrew a claim while it waited for review (decision 0013).",
        seen_by="the person; the reviewers the claim was sent to",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.SelfAssessmentDraft",
        fields=("person", "skill", "level", "evidence", "updated_at"),
        about=("person",),
        purpose="The person's unsent self-assessment answers; deleted when they send them.",
        seen_by="the person",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.StaleReminder",
        fields=("person", "framework", "period", "stale_count", "sent_at"),
        about=("person",),
        purpose="That the person was reminded their assessments are stale, so the reminder goes once a period.",
        seen_by="nobody on a page: the reminder run reads it",
        retention=Retention.NOTIFICATION,
    ),
    # --- Training, certificates and certifications --------------------------------------------------------
    PersonalDataModel(
        model="skills.Achievement",
        fields=("person", "kind", "reference", "award", "title", "achieved_on", "withdrawn_at", "withdrawn_reason"),
        about=("person",),
        kept_on_erasure=("reference", "award", "title"),
        purpose="A course the person completed, as skills knows it: what certificates and HR figures count.",
        seen_by=PERSON_AND_CHAIN,
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.Certificate",
        fields=(
            "holder",
            "award",
            "title",
            "number",
            "token",
            "issued_on",
            "expires_on",
            "issued_by",
            "issue_reason",
            "revoked_at",
            "revoked_reason",
            "revoked_by",
        ),
        about=("holder",),
        names=("issued_by", "revoked_by"),
        kept_on_erasure=("award", "title"),
        purpose="A certificate issued to the person: the record its PDF, credential and public page are drawn from.",
        seen_by=(
            "the holder; their line-management chain; training administrators; anyone with its verification link "
            "(the holder's name, the award and whether it is valid)"
        ),
        retention=Retention.EVIDENCE,
    ),
    PersonalDataStore(
        name="certificate-pdfs",
        location="default storage (MEDIA_ROOT), certificates/<number>-<digest>.pdf (skills.certificates_pdf)",
        holds="The holder's name, what they achieved, the dates and the verification link.",
        found_by="certificate_pdf_key(certificate) for each of the person's certificates (skills.Certificate, holder)",
        purpose="The certificate's PDF, drawn from the record and drawn again whenever it is missing (decision 0210).",
        seen_by="the holder; their line-management chain; training administrators",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.ExternalCertification",
        fields=(
            "person",
            "name",
            "issuer",
            "credential_number",
            "issued_on",
            "expires_on",
            "evidence",
            "evidence_name",
            "status",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "withdrawn_at",
        ),
        about=("person",),
        names=("decided_by",),
        purpose=(
            "A certification the person earned elsewhere, with its evidence file, kept in the private evidence "
            "storage (PRIVATE_MEDIA_ROOT, decision 0212)."
        ),
        seen_by=PERSON_AND_CHAIN + "; training administrators",
        retention=Retention.EVIDENCE,
    ),
    PersonalDataModel(
        model="skills.CertificationReminder",
        fields=("certificate", "external_certification", "threshold", "expires_on", "sent_at"),
        about=("certificate__holder", "external_certification__person"),
        purpose="That an expiry reminder went to the holder and their manager, so each threshold goes once.",
        seen_by="nobody on a page: the reminder run reads it",
        retention=Retention.NOTIFICATION,
    ),
    # --- Plans --------------------------------------------------------------------------------------------
    PersonalDataModel(
        model="skills.DevelopmentPlan",
        fields=("person", "agreed_by", "agreed_at", "changed_at"),
        about=("person",),
        names=("agreed_by",),
        purpose="The actions the person and their line manager agree against the person's gaps (decision 0208).",
        seen_by="the person; their line-management chain",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="skills.PlanAction",
        fields=("kind", "title", "skill_code", "target_rank", "url", "reference", "target_date", "status", "done_at"),
        about=("plan__person",),
        purpose="One thing the person plans to do to close a gap.",
        seen_by="the person; their line-management chain",
        retention=Retention.PERSON_RECORD,
    ),
    PersonalDataModel(
        model="skills.PlanComment",
        fields=("author", "text", "created_at"),
        about=("plan__person",),
        names=("author",),
        purpose="A comment on the person's plan by them or their line manager.",
        seen_by="the person; their line-management chain",
        retention=Retention.PERSON_RECORD,
    ),
    # --- Messages and imports -------------------------------------------------------------------------------
    PersonalDataModel(
        model="skills.Notification",
        fields=("user", "to_address", "context", "subject", "last_error", "created_at", "sent_at"),
        about=("user",),
        purpose="The outbox: one message to one account, sent after commit and retried until sent (decision 0012).",
        seen_by="the recipient (their list of notifications)",
        retention=Retention.NOTIFICATION,
    ),
    PersonalDataModel(
        model="skills.PeopleImport",
        fields=("file", "original_name", "report", "absent_people", "requested_by", "confirmed_by"),
        names=("requested_by", "confirmed_by"),
        matched_by=(
            "the uploaded file holds every person of the feed until the import has run (a full file: until it is "
            "confirmed, cancelled or expires), when the service deletes it; `report`'s messages may quote a "
            "person's e-mail address or staff number: search them for those; `absent_people` holds the ids of the "
            "people a full file left out, which lead to their (anonymised) records"
        ),
        purpose="An upload of the HR feed and what came of it: the record of what was imported, and by whom.",
        seen_by="the HR analyst who uploaded it (the People admin's imports); superusers",
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="frameworks.FrameworkImport",
        fields=("requested_by",),
        names=("requested_by",),
        purpose="Who uploaded a framework's files for import.",
        seen_by="content editors and framework moderators (the framework admin)",
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="frameworks.ReleasePublication",
        fields=("requested_by",),
        names=("requested_by",),
        purpose="Who asked for a framework release to be published (its approvers are in Wagtail's workflow states).",
        seen_by="content editors and framework moderators (the framework admin)",
        retention=Retention.AUDIT,
    ),
    PersonalDataModel(
        model="skills.SubjectAccessExport",
        fields=("subject", "requested_by", "file", "status", "requested_at", "finished_at", "expires_at"),
        about=("subject",),
        names=("requested_by",),
        purpose=(
            "A copy of everything the service holds about the account and its person, asked for by them or by the "
            "Data protection role (UK GDPR article 15; decision 0218); its zip is in the private storage."
        ),
        seen_by="the account's holder, for the exports they asked for; the Data protection role",
        retention=Retention.EXPORT,
    ),
    # --- HR reports -----------------------------------------------------------------------------------------
    PersonalDataModel(
        model="skills.ReportPerson",
        fields=(
            "person",
            "org_unit",
            "grade",
            "profession",
            "role_level",
            "requirements",
            "met",
            "met_claimed",
            "max_gap",
            "max_gap_claimed",
            "gap_sum",
            "gap_sum_claimed",
            "stale",
            "last_assessed_at",
        ),
        about=("person",),
        purpose="The person's counts against their role level, rebuilt by every report refresh (decision 0213).",
        seen_by="HR analysts, in figures for groups large enough; individually, with the individual-level permission",
        retention=Retention.DERIVED,
    ),
    PersonalDataModel(
        model="skills.ReportRequirement",
        fields=(
            "person",
            "org_unit",
            "grade",
            "profession",
            "role_level",
            "skill",
            "claimed_rank",
            "validated_rank",
            "stale",
            "last_assessed_at",
        ),
        about=("person",),
        purpose="The person's levels against each requirement of their role level, rebuilt by every refresh.",
        seen_by="HR analysts, in figures for groups large enough; individually, with the individual-level permission",
        retention=Retention.DERIVED,
    ),
)

# How erasure finds one person's part of what no field leads to (skills.services.erasure; decision 0217).
ERASERS = {
    "skills.PeopleImport": "skills.services.erasure_stores.people_imports_erase",
    "store:certificate-pdfs": "skills.services.erasure_stores.certificate_pdfs_erase",
    # Deleted, not anonymised: an export is a copy of the person's data (decision 0218).
    "skills.SubjectAccessExport": "skills.services.erasure_stores.subject_access_exports_erase",
}
