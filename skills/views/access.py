"""Who a skills page is for: the signed-in person, and the people they may see."""

from functools import partial, wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from skills.models import Person
from skills.selectors.people import person_for_user, person_get_visible_to


def person_required(view=None, *, find=person_for_user):
    """Sign-in required; the signed-in person's profile is `request.person`. Someone signed in without a
    profile (an editor, a new starter HR has not loaded yet) gets a page saying so. `find` reads the person:
    `person_for_user` (with their role levels) unless the view says it needs less
    (`@person_required(find=person_essentials_for_user)`)."""
    if view is None:
        return partial(person_required, find=find)

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.person = find(user=request.user)
        if request.person is None:
            return render(request, "skills/no_profile.html")
        return view(request, *args, **kwargs)

    return wrapped


def visible_person(viewer: Person, person_id: int) -> Person:
    """The person `viewer` asked for, or 404 when there is none or they may not see them."""
    person = person_get_visible_to(viewer=viewer, person_id=person_id)
    if person is None:
        raise Http404
    return person
