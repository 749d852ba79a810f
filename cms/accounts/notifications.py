from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def password_reset_context(notification) -> dict:
    """A fresh one-off link each time the message is rendered: the token is never stored in the outbox."""
    user = notification.user
    return {"uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
