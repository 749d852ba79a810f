"""Signals the skills app sends, for the apps above it (which skills must not import)."""

from django.dispatch import Signal

# Sent after the commit of a change of an account's e-mail address that ended its sessions; `user` is the
# account. cms.accounts ends its own records of those sessions (the list people see of where they are signed in).
account_email_changed = Signal()

# Sent after the commit that issued a certificate (`certificate`), automatically or by hand: its PDF is rendered
# and its credential can be made from then on.
certificate_issued = Signal()

# Sent after the commit that revoked a certificate (`certificate`): the signed revocation status list is made again.
certificate_revoked = Signal()

# Sent after the commit that marked a person as having left (`person`): their account is deactivated and the work
# waiting on them has moved to their line manager; courses cancels their open bookings.
person_left = Signal()
