"""Every route of the project, and what each kind of user gets when they request it.

`tests/cms/test_permission_matrix.py` enumerates the project's URL patterns and fails when one is
missing here, so a new route cannot ship without a row. Add a row for each route you add: an example
path (with real-looking ids) and the expected status per user. Routes included from Wagtail's own
URL configurations are covered by sample paths under their prefix (`INCLUDED_PREFIXES`).
"""

from dataclasses import dataclass, field

from cms.accounts.enums import Role

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
USERS = [ANONYMOUS, *[role.value for role in Role], SUPERUSER]
ADMIN_USERS = {
    Role.TRAINING_ADMINISTRATOR.value,
    Role.HR_ANALYST.value,
    Role.CONTENT_EDITOR.value,
    Role.FRAMEWORK_MODERATOR.value,
    Role.DATA_PROTECTION.value,
    SUPERUSER,
}
PAGE_EDITORS = {Role.CONTENT_EDITOR.value, Role.FRAMEWORK_MODERATOR.value, SUPERUSER}
HR_ADMIN = {Role.HR_ANALYST.value: 200, SUPERUSER: 200}
TRAINING_ADMIN = {Role.TRAINING_ADMINISTRATOR.value: 200, SUPERUSER: 200}
DATA_PROTECTION_ADMIN = {Role.DATA_PROTECTION.value: 200, SUPERUSER: 200}


@dataclass(frozen=True)
class Row:
    """What `path` answers with `method`: `anonymous` for a visitor, `signed_in` for any signed-in user,
    and `overrides` for the users (role names, or "superuser") who get something else."""

    path: str
    anonymous: int
    signed_in: int
    overrides: dict[str, int] = field(default_factory=dict)
    method: str = "get"

    def expected(self, user: str) -> int:
        if user in self.overrides:
            return self.overrides[user]
        return self.anonymous if user == ANONYMOUS else self.signed_in


# Route pattern (as Django prints it) -> rows. A pattern may have several example paths.
ROUTES: dict[str, list[Row]] = {
    # Site pages served by Wagtail
    "^((?:[\\w\\-]+/)*)$": [Row("/", 200, 200), Row("/about/", 200, 200), Row("/no-such-page/", 404, 404)],
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": [
        Row("/_util/authenticate_with_password/999/999/", 404, 404)
    ],
    "_util/login/": [Row("/_util/login/", 200, 200)],
    # Accounts
    "accounts/sign-in/": [Row("/accounts/sign-in/", 200, 302)],
    # Single sign-on (decision 0215): off here (no OIDC_ISSUER), so its pages are 404; no link waits for
    # confirmation in these sessions; only superusers see and confirm links (tests/cms/test_single_sign_on_links.py).
    "accounts/sign-in/break-glass/": [Row("/accounts/sign-in/break-glass/", 200, 302)],
    "accounts/sign-in/single-sign-on/": [Row("/accounts/sign-in/single-sign-on/", 404, 404)],
    "accounts/sign-in/single-sign-on/callback/": [Row("/accounts/sign-in/single-sign-on/callback/", 404, 404)],
    "accounts/sign-in/confirm-link/": [Row("/accounts/sign-in/confirm-link/", 404, 404)],
    "accounts/identity-links/": [Row("/accounts/identity-links/", 302, 404, {SUPERUSER: 200})],
    "accounts/identity-links/<int:link_id>/confirm/": [
        Row("/accounts/identity-links/999/confirm/", 405, 405),
        Row("/accounts/identity-links/999/confirm/", 302, 404, method="post"),
    ],
    "accounts/sign-out/": [Row("/accounts/sign-out/", 405, 405), Row("/accounts/sign-out/", 302, 302, method="post")],
    "accounts/signed-out/": [Row("/accounts/signed-out/", 200, 200)],
    "accounts/password-reset/": [Row("/accounts/password-reset/", 200, 200)],
    "accounts/password-reset/sent/": [Row("/accounts/password-reset/sent/", 200, 200)],
    "accounts/password-reset/<uidb64>/<token>/": [Row("/accounts/password-reset/MQ/set-password/", 200, 200)],
    "accounts/password-reset/complete/": [Row("/accounts/password-reset/complete/", 200, 200)],
    "accounts/password/": [Row("/accounts/password/", 302, 200)],
    "accounts/notifications/": [Row("/accounts/notifications/", 302, 200)],
    "dashboard/": [Row("/dashboard/", 302, 200)],
    "accounts/": [Row("/accounts/", 302, 200)],
    # The second factor (decision 0216), with the requirement off (the test settings): a session owes nothing, so
    # the code pages send it on and set-up is open to anyone signed in.
    "accounts/second-factor/": [Row("/accounts/second-factor/", 302, 302)],
    "accounts/second-factor/recovery/": [Row("/accounts/second-factor/recovery/", 302, 302)],
    "accounts/second-factor/set-up/": [Row("/accounts/second-factor/set-up/", 302, 200)],
    "accounts/second-factor/recovery-codes/": [Row("/accounts/second-factor/recovery-codes/", 302, 200)],
    # Passkeys (decision 0216): the pages are the signed-in person's own (someone else's passkey is a 404, as this
    # one that does not exist). The library's ceremony views answer JSON: a session that owes nothing may register
    # (begin: 200; complete without a begun ceremony: 400) but not authenticate (403); a visitor neither (403).
    # tests/cms/test_passkeys.py attacks them with real accounts and sessions.
    "accounts/second-factor/passkeys/": [Row("/accounts/second-factor/passkeys/", 302, 200)],
    "accounts/second-factor/passkeys/<int:passkey_id>/name/": [
        Row("/accounts/second-factor/passkeys/999/name/", 302, 404),
        Row("/accounts/second-factor/passkeys/999/name/", 302, 404, method="post"),
    ],
    "accounts/second-factor/passkeys/<int:passkey_id>/remove/": [
        Row("/accounts/second-factor/passkeys/999/remove/", 302, 404),
        Row("/accounts/second-factor/passkeys/999/remove/", 302, 404, method="post"),
    ],
    "accounts/second-factor/passkeys/registration/begin/": [
        Row("/accounts/second-factor/passkeys/registration/begin/", 403, 405),
        Row("/accounts/second-factor/passkeys/registration/begin/", 403, 200, method="post"),
    ],
    "accounts/second-factor/passkeys/registration/complete/": [
        Row("/accounts/second-factor/passkeys/registration/complete/", 403, 405),
        Row("/accounts/second-factor/passkeys/registration/complete/", 403, 400, method="post"),
    ],
    "accounts/second-factor/passkeys/authentication/begin/": [
        Row("/accounts/second-factor/passkeys/authentication/begin/", 403, 403),
        Row("/accounts/second-factor/passkeys/authentication/begin/", 403, 403, method="post"),
    ],
    "accounts/second-factor/passkeys/authentication/complete/": [
        Row("/accounts/second-factor/passkeys/authentication/complete/", 403, 403),
        Row("/accounts/second-factor/passkeys/authentication/complete/", 403, 403, method="post"),
    ],
    # The library's (English) messages for its scripts, as Django's JavaScript catalog: public, like any script.
    "accounts/second-factor/passkeys/messages.js": [Row("/accounts/second-factor/passkeys/messages.js", 200, 200)],
    "accounts/sessions/": [Row("/accounts/sessions/", 302, 200)],
    "accounts/sessions/end-others/": [
        Row("/accounts/sessions/end-others/", 405, 405),
        Row("/accounts/sessions/end-others/", 302, 302, method="post"),
    ],
    "accounts/sessions/<uuid:public_id>/end/": [
        Row("/accounts/sessions/00000000-0000-4000-8000-000000000000/end/", 405, 405),
        Row("/accounts/sessions/00000000-0000-4000-8000-000000000000/end/", 302, 404, method="post"),
    ],
    # Skills: signed-in only; people without a profile see "not set up" (200); object rules are tested
    # with real people in tests/skills/test_views.py.
    "skills/": [Row("/skills/", 302, 200)],
    "skills/role-levels/": [Row("/skills/role-levels/", 302, 200)],
    "skills/role-levels/<slug:which>/": [Row("/skills/role-levels/target/", 302, 200)],
    "skills/role-levels/<slug:which>/<slug:role_code>/": [Row("/skills/role-levels/target/data-engineer/", 302, 200)],
    "skills/self-assessment/": [Row("/skills/self-assessment/", 302, 200)],
    "skills/self-assessment/add/": [Row("/skills/self-assessment/add/", 405, 405)],
    "skills/self-assessment/check/": [Row("/skills/self-assessment/check/", 302, 200)],
    "skills/self-assessment/<slug:skill_code>/": [Row("/skills/self-assessment/data-modelling/", 302, 200)],
    "skills/self-assessment/<slug:skill_code>/withdraw/": [
        Row("/skills/self-assessment/data-modelling/withdraw/", 405, 405)
    ],
    "skills/gaps/": [Row("/skills/gaps/", 302, 200)],
    "skills/history/<slug:skill_code>/": [Row("/skills/history/data-modelling/", 302, 200)],
    "skills/history/<slug:skill_code>/assessor/": [Row("/skills/history/data-modelling/assessor/", 405, 405)],
    "skills/reviews/": [Row("/skills/reviews/", 302, 200)],
    "skills/reviews/<int:review_id>/": [Row("/skills/reviews/1/", 302, 200)],
    "skills/team/": [Row("/skills/team/", 302, 200)],
    "skills/team/<int:person_id>/": [Row("/skills/team/1/", 302, 200)],
    "skills/team/<int:person_id>/history/<slug:skill_code>/": [Row("/skills/team/1/history/data-modelling/", 302, 200)],
    # Delegation (tests/skills/test_delegation_views.py attacks each object route as the wrong user).
    "skills/delegation/": [Row("/skills/delegation/", 302, 200)],
    # A copy of one's own data (skills/views/personal_data.py): anyone signed in; someone else's export is 404
    # (tests/skills/test_subject_access_pages.py attacks it with real exports).
    "skills/your-data/": [Row("/skills/your-data/", 302, 200)],
    "skills/your-data/<int:export_id>/download/": [Row("/skills/your-data/999/download/", 302, 404)],
    "skills/delegation/<int:delegation_id>/end/": [
        Row("/skills/delegation/1/end/", 405, 405),
        Row("/skills/delegation/1/end/", 302, 200, method="post"),
    ],
    # The link e-mailed to an account's old address: the token is the proof, so no sign-in; a wrong one is 404
    # (tests/skills/test_account_email_change.py follows a real link).
    # Certifications earned elsewhere (skills/views/external_certifications.py); the wrong people are attacked with
    # real people in tests/skills/test_external_certifications.py.
    "skills/certificates/external/": [Row("/skills/certificates/external/", 302, 200)],
    "skills/certificates/external/record/": [Row("/skills/certificates/external/record/", 302, 200)],
    "skills/certificates/external/to-confirm/": [Row("/skills/certificates/external/to-confirm/", 302, 200)],
    "skills/certificates/external/<int:certification_id>/": [Row("/skills/certificates/external/1/", 302, 404)],
    "skills/certificates/external/<int:certification_id>/edit/": [
        Row("/skills/certificates/external/1/edit/", 302, 200)
    ],
    "skills/certificates/external/<int:certification_id>/withdraw/": [
        Row("/skills/certificates/external/1/withdraw/", 405, 405),
        Row("/skills/certificates/external/1/withdraw/", 302, 200, method="post"),
    ],
    "skills/certificates/external/<int:certification_id>/evidence/": [
        Row("/skills/certificates/external/1/evidence/", 302, 404)
    ],
    "skills/certificates/external/<int:certification_id>/decide/": [
        Row("/skills/certificates/external/1/decide/", 302, 404)
    ],
    # Development plans (skills/views/plans.py); the wrong person is attacked with real people in
    # tests/skills/test_plans_views.py.
    "skills/plan/": [Row("/skills/plan/", 302, 200)],
    "skills/plan/actions/add/": [Row("/skills/plan/actions/add/", 405, 405)],
    "skills/plan/actions/<int:action_id>/": [Row("/skills/plan/actions/1/", 302, 200)],
    "skills/plan/actions/<int:action_id>/status/": [Row("/skills/plan/actions/1/status/", 405, 405)],
    "skills/plan/comment/": [Row("/skills/plan/comment/", 405, 405)],
    "skills/team/plans/": [Row("/skills/team/plans/", 302, 200)],
    "skills/team/<int:person_id>/plan/": [Row("/skills/team/1/plan/", 302, 200)],
    "skills/team/<int:person_id>/plan/agree/": [Row("/skills/team/1/plan/agree/", 405, 405)],
    "skills/team/<int:person_id>/plan/comment/": [Row("/skills/team/1/plan/comment/", 405, 405)],
    # Certificates (skills/views/certificates.py); tests/skills/test_certificate_views.py attacks each with real
    # people and certificates. An account without a skills profile is told so; a certificate nobody may see is 404.
    "skills/certificates/": [Row("/skills/certificates/", 302, 200)],
    "skills/certificates/<int:certificate_id>/": [
        Row("/skills/certificates/1/", 302, 404),
        Row("/skills/certificates/1/", 302, 404, method="post"),
    ],
    "skills/team/<int:person_id>/certificates/": [Row("/skills/team/1/certificates/", 302, 200)],
    # The public verification page: no sign-in; an unknown or malformed token is 404.
    "certificates/<str:token>/": [Row("/certificates/not-a-real-token-at-all/", 404, 404)],
    # Interest in training (courses/views/interest.py): a signed-in user without a skills profile is told so;
    # the wrong person is attacked with real people in tests/courses/test_interest_views.py.
    "training/interest/": [
        Row("/training/interest/", 302, 200),
        Row("/training/interest/", 302, 200, method="post"),
    ],
    "training/interest/<int:interest_id>/withdraw/": [
        Row("/training/interest/1/withdraw/", 405, 405),
        Row("/training/interest/1/withdraw/", 302, 200, method="post"),
    ],
    # A certificate's PDF: the holder, their chain and training administrators (tests/skills/test_certificate_pdf*)
    "skills/certificates/<int:certificate_id>/pdf/": [Row("/skills/certificates/999/pdf/", 302, 404)],
    "skills/account/email-change/<int:change_id>/<str:token>/": [
        Row("/skills/account/email-change/1/not-a-token/", 404, 404)
    ],
    # Training evaluations (courses/views/evaluations.py): the learner's own only; a user without a profile sees
    # "not set up" (200). tests/courses/test_evaluations.py attacks them with the wrong user (404).
    "training/bookings/<int:booking_id>/evaluation/": [Row("/training/bookings/1/evaluation/", 302, 200)],
    "training/completions/<int:completion_id>/evaluation/": [Row("/training/completions/1/evaluation/", 302, 200)],
    # A manager's team effectiveness: their reporting line only (tests/courses/test_effectiveness_views.py).
    "training/team/effectiveness/": [Row("/training/team/effectiveness/", 302, 200)],
    # The frameworks' read-only JSON API: public, published content only (tests/frameworks/test_api.py tests it
    # with a published release; here there is none, so a framework's URLs are 404s).
    "api/frameworks/": [Row("/api/frameworks/", 200, 200)],
    "api/frameworks/<slug:framework>/": [Row("/api/frameworks/ddat/", 404, 404)],
    "api/frameworks/<slug:framework>/releases/": [Row("/api/frameworks/ddat/releases/", 404, 404)],
    "api/frameworks/<slug:framework>/releases/<str:label>/": [Row("/api/frameworks/ddat/releases/2025-10/", 404, 404)],
    "api/frameworks/<slug:framework>/skills/": [Row("/api/frameworks/ddat/skills/", 404, 404)],
    "api/frameworks/<slug:framework>/skills/<slug:code>/": [
        Row("/api/frameworks/ddat/skills/accessibility/", 404, 404)
    ],
    "api/frameworks/<slug:framework>/roles/": [Row("/api/frameworks/ddat/roles/", 404, 404)],
    "api/frameworks/<slug:framework>/roles/<slug:code>/": [
        Row("/api/frameworks/ddat/roles/business-analyst/", 404, 404)
    ],
    "api/schema/": [Row("/api/schema/", 200, 200)],
    # Training: calendar invites and the private feed (tests/courses/test_calendar_views.py attacks each with the
    # wrong user). An invite is the person's own booking's only: 404 for everyone else, profile or not.
    "training/bookings/<int:booking_id>/invite.ics": [Row("/training/bookings/999/invite.ics", 302, 404)],
    "training/calendar/": [Row("/training/calendar/", 302, 200)],
    "training/calendar/reset/": [
        Row("/training/calendar/reset/", 405, 405),
        Row("/training/calendar/reset/", 302, 200, method="post"),
    ],
    # The feed: no sign-in, the token is the key; an unknown or malformed one is 404.
    "training/calendar/<str:token>.ics": [Row("/training/calendar/not-a-token.ics", 404, 404)],
    # Training (the learner's bookings): signed-in only; these users have no skills profile, so they get the
    # "not set up" page (200). The object rules (another learner gets 404) are tested with real people in
    # tests/courses/test_booking_pages.py.
    "training/": [Row("/training/", 302, 200)],
    "training/sessions/<int:session_id>/book/": [Row("/training/sessions/1/book/", 302, 200)],
    "training/bookings/<int:booking_id>/": [Row("/training/bookings/1/", 302, 200)],
    "training/bookings/<int:booking_id>/cancel/": [
        Row("/training/bookings/1/cancel/", 302, 200),
        Row("/training/bookings/1/cancel/", 302, 200, method="post"),
    ],
    # Training: a line manager's approvals and team (tests/courses/test_approvals_views.py and
    # test_team_training_views.py test the object rules with real people; without a profile: "not set up").
    "training/approvals/": [Row("/training/approvals/", 302, 200)],
    "training/approvals/<int:booking_id>/": [Row("/training/approvals/1/", 302, 200)],
    "training/team/": [Row("/training/team/", 302, 200)],
    # Self-paced course completions (tests/courses/test_completions.py attacks them with real people): sign-in
    # required; an account without a skills profile is told it has none.
    "training/courses/<int:page_id>/completed/": [Row("/training/courses/1/completed/", 302, 200)],
    "training/completions/<int:completion_id>/": [Row("/training/completions/1/", 302, 200)],
    # Site-wide
    "search/": [Row("/search/?q=skills", 200, 200)],
    "healthz/": [Row("/healthz/", 200, 200)],
    # Open Badges (tests/credentials/test_credentials.py attacks the downloads as the wrong user). Public: the
    # issuer's DID document and the status list, which answers 503 until signing keys are made (none here).
    ".well-known/did.json": [Row("/.well-known/did.json", 200, 200)],
    "credentials/status/revocation": [Row("/credentials/status/revocation", 503, 503)],
    "skills/certificates/<int:certificate_id>/credential.json": [
        Row("/skills/certificates/999999/credential.json", 302, 404)
    ],
    "skills/certificates/<int:certificate_id>/credential.jwt": [
        Row("/skills/certificates/999999/credential.jwt", 302, 404)
    ],
}

NON_ADMIN_TO_SIGN_IN = {user: 302 for user in USERS if user not in ADMIN_USERS}
FRAMEWORK_EDITORS = dict.fromkeys(PAGE_EDITORS, 200)

# Included URL configurations of Wagtail: sample paths stand for the whole prefix.
INCLUDED_PREFIXES: dict[str, list[Row]] = {
    "admin/": [
        Row("/admin/", 302, 200, overrides=NON_ADMIN_TO_SIGN_IN),
        Row("/admin/reports/site-history/", 302, 200, overrides=NON_ADMIN_TO_SIGN_IN),
        Row(
            "/admin/pages/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(PAGE_EDITORS, 200)},
        ),
        Row("/admin/users/", 302, 302, overrides={SUPERUSER: 200}),
        # Resetting a second factor (decision 0216): user administrators only; tests/cms/test_second_factor.py
        # attacks it with real accounts.
        Row("/admin/accounts/999/second-factor/reset/", 302, 302, overrides={SUPERUSER: 404}),
        # The People admin (skills/viewsets/): HR analysts and superusers only, choosers included.
        Row("/admin/skills/people/", 302, 302, overrides=HR_ADMIN),
        Row("/admin/skills/people-imports/new/", 302, 302, overrides=HR_ADMIN),
        Row("/admin/skills/choose-person/", 302, 302, overrides=HR_ADMIN),
        # Certificates (skills/viewsets/certificates.py): training administrators and superusers
        # (tests/skills/test_certificate_admin.py attacks issuing and revoking as the wrong user).
        Row("/admin/skills/certificates/", 302, 302, overrides=TRAINING_ADMIN),
        Row("/admin/skills/certificates/new/", 302, 302, overrides=TRAINING_ADMIN),
        Row("/admin/skills/certificates/edit/999/", 302, 302, overrides=dict.fromkeys(TRAINING_ADMIN, 404)),
        # Which units each HR analyst looks after: superusers only (no role holds the permissions).
        Row("/admin/skills/hr-responsibilities/", 302, 302, overrides={SUPERUSER: 200}),
        # The framework admin (frameworks/viewsets/): Content editors and Framework moderators; other admin
        # roles are sent back to the admin's home page.
        Row("/admin/frameworks/skills/", 302, 302, overrides={**NON_ADMIN_TO_SIGN_IN, **FRAMEWORK_EDITORS}),
        Row("/admin/frameworks/imports/new/", 302, 302, overrides={**NON_ADMIN_TO_SIGN_IN, **FRAMEWORK_EDITORS}),
        Row("/admin/frameworks/publications/", 302, 302, overrides={**NON_ADMIN_TO_SIGN_IN, **FRAMEWORK_EDITORS}),
        # The Training admin (courses/viewsets/): training administrators and superusers; other admin roles are
        # sent back to the admin's home page, everyone else to sign in. A session that does not exist is 404 to
        # those who may see sessions (tests/courses/test_admin_sessions.py attacks each route with a real one).
        Row("/admin/training/sessions/", 302, 302, overrides=TRAINING_ADMIN),
        Row("/admin/training/sessions/?export=csv", 302, 302, overrides=TRAINING_ADMIN),
        Row("/admin/training/sessions/new/", 302, 302, overrides=TRAINING_ADMIN),
        Row("/admin/training/sessions/edit/999/", 302, 302, overrides=dict.fromkeys(TRAINING_ADMIN, 404)),
        Row("/admin/training/sessions/999/roster/", 302, 302, overrides=dict.fromkeys(TRAINING_ADMIN, 404)),
        Row("/admin/training/sessions/999/roster.csv", 302, 302, overrides=dict.fromkeys(TRAINING_ADMIN, 404)),
        Row("/admin/training/sessions/999/cancel/", 302, 302, overrides=dict.fromkeys(TRAINING_ADMIN, 404)),
        Row(
            "/admin/training/sessions/999/close/",
            302,
            302,
            overrides=dict.fromkeys(TRAINING_ADMIN, 404),
            method="post",
        ),
        # Training reports and the history import (courses/admin_views.py): training administrators and
        # superusers; other admin roles get 403 (tests/courses/test_reports.py).
        Row(
            "/admin/training-reports/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **TRAINING_ADMIN},
        ),
        Row(
            "/admin/training-reports/effectiveness/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **TRAINING_ADMIN},
        ),
        Row(
            "/admin/training-reports/history/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **TRAINING_ADMIN},
        ),
        # Capability reports (skills/capability_admin.py): HR analysts and superusers; other admin roles get 403.
        # The people behind the figures need a permission no role has by default: superusers only here
        # (tests/skills/reports/test_capability_access.py attacks each report with another unit's analyst).
        *[
            Row(
                path,
                302,
                302,
                overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **HR_ADMIN},
            )
            for path in (
                "/admin/capability/",
                "/admin/capability/?export=csv",
                "/admin/capability/heatmap/",
                "/admin/capability/heatmap/?by=family&export=xlsx",
                "/admin/capability/trends/",
            )
        ],
        Row(
            "/admin/capability/people/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), SUPERUSER: 200},
        ),
        # Data exports (skills/subject_access_admin.py): the Data protection role and superusers; other admin roles
        # get 403 (tests/skills/test_subject_access_pages.py attacks asking and downloading as the wrong user).
        *[
            Row(
                path,
                302,
                302,
                overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **DATA_PROTECTION_ADMIN},
            )
            for path in ("/admin/data-exports/",)
        ],
        Row(
            "/admin/data-exports/999/download/",
            302,
            302,
            overrides={
                **NON_ADMIN_TO_SIGN_IN,
                **dict.fromkeys(ADMIN_USERS, 403),
                **dict.fromkeys(DATA_PROTECTION_ADMIN, 404),
            },
        ),
        # Erasing leavers' personal data (skills/erasure_admin.py): the Data protection role and superusers; other
        # admin roles get 403; an id that is not a leaver whose data is still held is not found.
        Row(
            "/admin/erasure/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, **dict.fromkeys(ADMIN_USERS, 403), **DATA_PROTECTION_ADMIN},
        ),
        Row(
            "/admin/erasure/999/",
            302,
            302,
            overrides={
                **NON_ADMIN_TO_SIGN_IN,
                **dict.fromkeys(ADMIN_USERS, 403),
                **dict.fromkeys(DATA_PROTECTION_ADMIN, 404),
            },
        ),
        # Training demand (courses/views/demand.py): who asked for training is personal data, so only users with
        # courses.view_courseinterest (training administrators); other admin roles go back to the admin's home.
        Row(
            "/admin/training-demand/",
            302,
            302,
            overrides={Role.TRAINING_ADMINISTRATOR.value: 200, SUPERUSER: 200},
        ),
        Row(
            "/admin/training-demand/course/999/",
            302,
            302,
            overrides={Role.TRAINING_ADMINISTRATOR.value: 404, SUPERUSER: 404},
        ),
        # Assessment policies (skills/viewsets/policy.py): Framework moderators and superusers.
        Row(
            "/admin/skills/assessment-policies/",
            302,
            302,
            overrides={**NON_ADMIN_TO_SIGN_IN, Role.FRAMEWORK_MODERATOR.value: 200, SUPERUSER: 200},
        ),
    ],
    "documents/": [Row("/documents/999/missing.pdf", 404, 404)],
}
