from wagtail import hooks


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action("capability.accounts.create", "Create account", "Account created")
    actions.register_action("capability.accounts.roles_set", "Set roles", "Roles set")
    actions.register_action("capability.accounts.sessions_end", "End sessions", "Sessions ended by their owner")
