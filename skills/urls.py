from django.urls import path

from skills.views import (
    accounts,
    delegation,
    external_certifications,
    overview,
    plans,
    profile,
    reviews,
    role_levels,
    self_assessment,
    team,
)

app_name = "skills"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("role-levels/", role_levels.role_levels, name="role-levels"),
    path("role-levels/<slug:which>/", role_levels.role_choose, name="role-choose"),
    path("role-levels/<slug:which>/<slug:role_code>/", role_levels.role_level_choose, name="role-level-choose"),
    path("self-assessment/", self_assessment.self_assessment, name="self-assessment"),
    path("self-assessment/add/", self_assessment.self_assessment_add, name="self-assessment-add"),
    path("self-assessment/check/", self_assessment.self_assessment_check, name="self-assessment-check"),
    path("self-assessment/<slug:skill_code>/", self_assessment.self_assessment_skill, name="self-assessment-skill"),
    path(
        "self-assessment/<slug:skill_code>/withdraw/",
        self_assessment.self_assessment_withdraw,
        name="self-assessment-withdraw",
    ),
    path("gaps/", profile.gaps, name="gaps"),
    path("history/<slug:skill_code>/", profile.history, name="history"),
    path("history/<slug:skill_code>/assessor/", profile.ask_assessor, name="ask-assessor"),
    path("reviews/", reviews.reviews, name="reviews"),
    path("reviews/<int:review_id>/", reviews.review, name="review"),
    path("team/", team.team, name="team"),
    path("team/<int:person_id>/", profile.gaps, name="team-member"),
    path("team/<int:person_id>/history/<slug:skill_code>/", profile.history, name="team-member-history"),
    path("plan/", plans.plan, name="plan"),
    path("plan/actions/add/", plans.plan_action_add_view, name="plan-action-add"),
    path("plan/actions/<int:action_id>/", plans.plan_action_edit, name="plan-action-edit"),
    path("plan/actions/<int:action_id>/status/", plans.plan_action_status, name="plan-action-status"),
    path("plan/comment/", plans.plan_comment, name="plan-comment"),
    path("team/plans/", plans.team_plans_view, name="team-plans"),
    path("team/<int:person_id>/plan/", plans.team_member_plan, name="team-member-plan"),
    path("team/<int:person_id>/plan/agree/", plans.team_member_plan_agree, name="team-member-plan-agree"),
    path("team/<int:person_id>/plan/comment/", plans.plan_comment, name="team-member-plan-comment"),
    path("delegation/", delegation.delegation, name="delegation"),
    path("delegation/<int:delegation_id>/end/", delegation.delegation_end_view, name="delegation-end"),
    # Certifications earned elsewhere (docs/decisions/0212).
    path("certificates/external/", external_certifications.external_certifications, name="external-certifications"),
    path(
        "certificates/external/record/",
        external_certifications.external_certification_record_view,
        name="external-certification-record",
    ),
    path(
        "certificates/external/to-confirm/",
        external_certifications.external_certifications_queue,
        name="external-certifications-queue",
    ),
    path(
        "certificates/external/<int:certification_id>/",
        external_certifications.external_certification,
        name="external-certification",
    ),
    path(
        "certificates/external/<int:certification_id>/edit/",
        external_certifications.external_certification_edit,
        name="external-certification-edit",
    ),
    path(
        "certificates/external/<int:certification_id>/withdraw/",
        external_certifications.external_certification_withdraw_view,
        name="external-certification-withdraw",
    ),
    path(
        "certificates/external/<int:certification_id>/evidence/",
        external_certifications.external_certification_evidence,
        name="external-certification-evidence",
    ),
    path(
        "certificates/external/<int:certification_id>/decide/",
        external_certifications.external_certification_decide_view,
        name="external-certification-decide",
    ),
    path("account/email-change/<int:change_id>/<str:token>/", accounts.email_change, name="email-change"),
]
