from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from cms.accounts.admin_views import SecondFactorResetView
from skills.services.accounts import account_email_change_record


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action("capability.accounts.create", "Create account", "Account created")
    actions.register_action("capability.accounts.roles_set", "Set roles", "Roles set")
    actions.register_action("capability.accounts.sessions_end", "End sessions", "Sessions ended by their owner")
    actions.register_action(
        "capability.accounts.identity_link_create", "Link identity", "Identity at the provider linked"
    )
    actions.register_action(
        "capability.accounts.identity_link_confirm", "Confirm identity link", "Identity link confirmed"
    )


# A change of address in the admin's Users area is a change of address like any other (issue 7, finding 1):
# remember the address the account had, then let the skills service end its sessions, tell the old address and
# audit both addresses.
_OLD_EMAIL = "_capability_old_email"


@hooks.register("before_edit_user")
def remember_the_address(request, user):
    setattr(request, _OLD_EMAIL, user.email)


@hooks.register("after_edit_user")
def treat_a_new_address_as_an_email_change(request, user):
    old_email = getattr(request, _OLD_EMAIL, None)
    if old_email and old_email.lower() != user.email.lower():
        account_email_change_record(user=user, old_email=old_email, actor=request.user)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_identity_links_menu_item():
    """Settings → Identity links: the single sign-on links a superuser confirms (decision 0215)."""
    return SuperuserMenuItem(
        "Identity links", reverse("accounts:identity-links"), icon_name="link", name="identity-links", order=610
    )


@hooks.register("register_log_actions")
def register_second_factor_actions(actions):
    actions.register_action("capability.accounts.second_factor_set_up", "Set up second factor", "Second factor set up")
    actions.register_action(
        "capability.accounts.second_factor_recovery_code_used", "Use recovery code", "Signed in with a recovery code"
    )
    actions.register_action("capability.accounts.second_factor_reset", "Reset second factor", "Second factor reset")
    actions.register_action("capability.accounts.passkey_add", "Add passkey", "Passkey added")
    actions.register_action("capability.accounts.passkey_rename", "Rename passkey", "Passkey renamed")
    actions.register_action("capability.accounts.passkey_remove", "Remove passkey", "Passkey removed")
    actions.register_action("capability.accounts.passkey_use", "Use passkey", "Signed in with a passkey")


@hooks.register("register_admin_urls")
def register_second_factor_urls():
    return [
        path(
            "accounts/<int:pk>/second-factor/reset/",
            SecondFactorResetView.as_view(),
            name="accounts_second_factor_reset",
        )
    ]


@hooks.register("register_user_listing_buttons")
def second_factor_reset_button(user, request_user):
    """In the admin's Users list, for those who may reset the person's second factor (no query per row)."""
    if (
        request_user.has_perm("accounts.change_user")
        and user.pk != request_user.pk
        and (request_user.is_superuser or not user.is_superuser)
    ):
        yield Button(
            "Reset second factor",
            reverse("accounts_second_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
