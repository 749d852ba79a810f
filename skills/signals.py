"""Signals the skills app sends, for the apps above it (which skills must not import)."""

from django.dispatch import Signal

# Sent after the commit of a change of an account's e-mail address that ended its sessions; `user` is the
# account. cms.accounts ends its own records of those sessions (the list people see of where they are signed in).
account_email_changed = Signal()
