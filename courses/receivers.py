"""How courses reacts to skills' events (decision 0020): receivers call one service each."""

from django.dispatch import receiver

from courses.services.bookings import leaver_bookings_cancel
from skills.signals import person_left


@receiver(person_left, dispatch_uid="courses.leaver_bookings_cancel")
def cancel_leaver_bookings(sender, person, **kwargs):
    """A leaver's open bookings are cancelled, so that their seats go to the waitlist."""
    leaver_bookings_cancel(person=person)
