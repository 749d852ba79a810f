from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def send_account_email(self, *, to: str, subject: str, body: str) -> int:
    """Send one account e-mail (password reset). Takes the rendered message: its link holds a one-off token
    that must not be stored anywhere else. Returns the number of messages sent."""
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
