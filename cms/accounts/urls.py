from django.urls import path
from django.views.i18n import JavaScriptCatalog

from cms.accounts import views, views_passkeys, views_single_sign_on

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/break-glass/", views.SignInView.as_view(break_glass=True), name="sign-in-break-glass"),
    path("sign-in/single-sign-on/", views_single_sign_on.single_sign_on_start, name="single-sign-on"),
    path(
        "sign-in/single-sign-on/callback/",
        views_single_sign_on.single_sign_on_callback,
        name="single-sign-on-callback",
    ),
    path("sign-in/confirm-link/", views_single_sign_on.identity_link_confirm_own, name="identity-link-confirm"),
    path("identity-links/", views_single_sign_on.identity_links, name="identity-links"),
    path(
        "identity-links/<int:link_id>/confirm/",
        views_single_sign_on.identity_link_confirm_by_superuser,
        name="identity-link-confirm-by-superuser",
    ),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.SignedOutView.as_view(), name="signed-out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("second-factor/", views.second_factor_verify, name="second-factor"),
    path("second-factor/recovery/", views.second_factor_recovery, name="second-factor-recovery"),
    path("second-factor/set-up/", views.second_factor_set_up, name="second-factor-set-up"),
    path("second-factor/recovery-codes/", views.second_factor_recovery_codes, name="second-factor-recovery-codes"),
    # Passkeys sit under second-factor/, which SecondFactorMiddleware lets a session that owes a factor reach; each
    # view decides for itself (cms.accounts.views_passkeys).
    path("second-factor/passkeys/", views_passkeys.passkeys, name="passkeys"),
    path("second-factor/passkeys/<int:passkey_id>/name/", views_passkeys.passkey_name, name="passkey-name"),
    path(
        "second-factor/passkeys/<int:passkey_id>/remove/",
        views_passkeys.passkey_remove_confirm,
        name="passkey-remove",
    ),
    path(
        "second-factor/passkeys/registration/begin/",
        views_passkeys.PasskeyRegistrationBeginView.as_view(),
        name="passkey-registration-begin",
    ),
    path(
        "second-factor/passkeys/registration/complete/",
        views_passkeys.PasskeyRegistrationCompleteView.as_view(),
        name="passkey-registration-complete",
    ),
    path(
        "second-factor/passkeys/authentication/begin/",
        views_passkeys.PasskeyAuthenticationBeginView.as_view(),
        name="passkey-authentication-begin",
    ),
    path(
        "second-factor/passkeys/authentication/complete/",
        views_passkeys.PasskeyAuthenticationCompleteView.as_view(),
        name="passkey-authentication-complete",
    ),
    # The library's scripts call gettext() for their messages: Django's catalog of its (English) strings.
    path(
        "second-factor/passkeys/messages.js",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="passkey-messages",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/end-others/", views.sessions_end_others, name="sessions-end-others"),
    path("sessions/<uuid:public_id>/end/", views.session_end, name="session-end"),
    path("", views.account, name="account"),
]
