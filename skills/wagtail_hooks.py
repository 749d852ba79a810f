from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from frameworks.viewsets.base import PermissionMenuItem
from skills import capability_admin, erasure_admin, subject_access_admin
from skills.admin_views import carry_forward_panel, carry_forward_resume_view
from skills.selectors import person_for_user, role_level_in_current_release
from skills.viewsets import (
    AssessmentPolicyViewSet,
    CertificateViewSet,
    PeopleViewSetGroup,
    org_unit_chooser_viewset,
    person_chooser_viewset,
)


@hooks.register("register_log_actions")
def register_skills_actions(actions):
    actions.register_action("capability.skills.assessment_record", "Record assessment", "Assessment recorded")
    actions.register_action("capability.skills.policy_set", "Set assessment policy", "Assessment policy set")
    actions.register_action("capability.skills.draft_save", "Save draft", "Self-assessment draft saved")
    actions.register_action("capability.skills.assessor_requested", "Ask an assessor", "Assessor review requested")
    actions.register_action("capability.skills.evidence_requested", "Ask for evidence", "More evidence requested")
    actions.register_action("capability.skills.claim_withdraw", "Withdraw claim", "Claim withdrawn")
    actions.register_action("capability.skills.carried_forward", "Carry forward", "Levels carried forward")
    actions.register_action(
        "capability.skills.carry_forward_resume", "Resume carry-forward", "Carrying levels forward resumed"
    )
    actions.register_action("capability.skills.people_import", "Import people", "People imported")
    actions.register_action(
        "capability.skills.people_import_confirm", "Confirm full file", "Full file confirmed: its leavers queued"
    )
    actions.register_action("capability.skills.people_import_cancel", "Cancel full file", "Full file cancelled")
    actions.register_action(
        "capability.skills.people_import_expire", "Expire full file", "Full file not confirmed in time: deleted"
    )
    actions.register_action(
        "capability.skills.course_evidence", "Record course completion", "Course completion recorded"
    )
    actions.register_action(
        "capability.skills.course_evidence_retract", "Withdraw course completion", "Course completion withdrawn"
    )
    actions.register_action(
        "capability.skills.delegation_create", "Delegate approvals", "Approvals and reviews delegated"
    )
    actions.register_action("capability.skills.delegation_end", "End delegation", "Delegation ended early")
    for action, label, message in [
        ("external_certification_record", "Record certification", "External certification recorded"),
        ("external_certification_resubmit", "Resend certification", "External certification changed and resent"),
        ("external_certification_withdraw", "Withdraw certification", "External certification withdrawn"),
        ("external_certification_decide", "Decide certification", "External certification confirmed or rejected"),
    ]:
        actions.register_action(f"capability.skills.{action}", label, message)
    actions.register_action("capability.skills.person_update", "Update person", "Person updated")
    actions.register_action("capability.skills.person_leave", "Mark as left", "Person left; their work moved")
    actions.register_action("capability.skills.person_erase", "Erase personal data", "Personal data erased")
    actions.register_action("capability.skills.certificate_issue", "Issue certificate", "Certificate issued")
    actions.register_action("capability.skills.certificate_renew", "Renew certificate", "Certificate renewed")
    actions.register_action("capability.skills.certificate_revoke", "Revoke certificate", "Certificate revoked")
    actions.register_action(
        "capability.skills.certificate_download", "Download certificate", "Certificate PDF downloaded"
    )
    actions.register_action(
        "capability.skills.certificate_credential_download", "Download credential", "Open Badges credential downloaded"
    )
    for action, label, message in [
        ("plan_action_add", "Add plan action", "Development plan action added"),
        ("plan_action_update", "Change plan action", "Development plan action changed"),
        ("plan_action_status", "Move plan action on", "Development plan action moved on"),
        ("plan_action_sync", "Update plan action from training", "Development plan action updated by training"),
        ("plan_agree", "Agree development plan", "Development plan agreed"),
        ("plan_comment", "Comment on development plan", "Development plan comment added"),
    ]:
        actions.register_action(f"capability.skills.{action}", label, message)
    actions.register_action("capability.skills.email_change", "Change e-mail address", "E-mail address changed")
    actions.register_action(
        "capability.skills.capability_individuals_view",
        "See the people behind capability figures",
        "People behind capability figures seen",
    )
    actions.register_action(
        "capability.skills.email_change_requested", "Ask to change e-mail address", "E-mail change waiting"
    )
    actions.register_action("capability.skills.email_change_closed", "Close e-mail change", "E-mail change closed")
    for action, label, message in [
        ("subject_access_request", "Ask for a personal data export", "Personal data export asked for"),
        ("subject_access_download", "Download a personal data export", "Personal data export downloaded"),
        ("subject_access_expire", "Delete an expired personal data export", "Personal data export deleted"),
    ]:
        actions.register_action(f"capability.skills.{action}", label, message)
    actions.register_action("capability.skills.org_unit_create", "Add organisation unit", "Organisation unit added")
    actions.register_action(
        "capability.skills.org_unit_rename", "Rename organisation unit", "Organisation unit renamed"
    )


@hooks.register("register_admin_viewset")
def register_people_admin():
    return [
        PeopleViewSetGroup(),
        person_chooser_viewset,
        org_unit_chooser_viewset,
        AssessmentPolicyViewSet(),
        CertificateViewSet(),
    ]


@hooks.register("register_admin_urls")
def register_capability_report_urls():
    return [
        path("capability/", capability_admin.DashboardView.as_view(), name="skills_capability_dashboard"),
        path("capability/heatmap/", capability_admin.HeatmapView.as_view(), name="skills_capability_heatmap"),
        path("capability/trends/", capability_admin.TrendsView.as_view(), name="skills_capability_trends"),
        path("capability/people/", capability_admin.PeopleView.as_view(), name="skills_capability_people"),
        path("data-exports/", subject_access_admin.DataExportsView.as_view(), name="skills_data_exports"),
        path(
            "data-exports/<int:export_id>/download/",
            subject_access_admin.data_export_download,
            name="skills_data_export_download",
        ),
    ]


@hooks.register("register_admin_urls")
def register_erasure_urls():
    return [
        path("erasure/", erasure_admin.LeaversView.as_view(), name="skills_erasure_leavers"),
        path("erasure/<int:pk>/", erasure_admin.EraseView.as_view(), name="skills_erasure_confirm"),
    ]


@hooks.register("register_admin_menu_item")
def register_erasure_menu():
    """For the Data protection role: the leavers whose personal data is still held."""
    return PermissionMenuItem(
        "Erase leavers' data",
        reverse("skills_erasure_leavers"),
        icon_name="bin",
        order=280,
        permissions=(erasure_admin.ERASE_PERMISSION,),
    )


@hooks.register("register_admin_menu_item")
def register_data_exports_menu():
    """ "Data exports", for the Data protection role (and superusers): subject-access exports (decision 0218)."""
    return PermissionMenuItem(
        "Data exports",
        reverse("skills_data_exports"),
        icon_name="download",
        name="data-exports",
        order=280,
        permissions=(subject_access_admin.EXPORT_PERMISSION,),
    )


@hooks.register("register_admin_menu_item")
def register_capability_reports_menu():
    """One "Capability reports" menu for HR analysts (and superusers): the dashboard, the heatmap and the trends."""
    permissions = (capability_admin.VIEW_REPORTS,)
    items = [
        PermissionMenuItem(label, reverse(name), icon_name=icon, order=order, permissions=permissions)
        for order, (label, name, icon) in enumerate(
            [
                ("Dashboard", "skills_capability_dashboard", "table"),
                ("Heatmap", "skills_capability_heatmap", "table"),
                ("Trends", "skills_capability_trends", "history"),
            ]
        )
    ]
    return CapabilityReportsMenuItem(
        "Capability reports", Menu(items=items), icon_name="table", name="capability-reports", order=270
    )


class CapabilityReportsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(capability_admin.VIEW_REPORTS)


@hooks.register("register_admin_urls")
def register_carry_forward_urls():

    return [
        path("skills/carry-forward/<int:pk>/resume/", carry_forward_resume_view, name="skills_carry_forward_resume")
    ]


@hooks.register("frameworks_release_panels")
def carry_forward_progress(request, release):
    """On a framework release's admin page: how far carrying people's levels into it has got, and a way to
    resume it if it failed."""
    return carry_forward_panel(request, release)


@hooks.register("frameworks_role_level_actions")
def role_level_as_target(request, role_level):
    """On a role level's page in the framework, a signed-in person can make it their target."""

    shown_current = role_level.release.framework.current_release_id == role_level.release_id  # loaded: no query
    if not shown_current and not role_level_in_current_release(role_level=role_level):
        return None
    person = person_for_user(user=request.user)
    if person is None or person.target_role_level_id == role_level.pk:
        return None
    url = reverse("skills:role-level-choose", kwargs={"which": "target", "role_code": role_level.role.code})
    return ("Set as the role level you are working towards", f"{url}?level={role_level.pk}")
