"""The link that confirms or refuses an e-mail address change the HR feed made."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from skills.services.accounts import (
    EmailChangeLinkInvalid,
    account_email_change_cancel,
    account_email_change_confirm,
    email_change_for_link,
)


@never_cache
@require_http_methods(["GET", "POST"])
def email_change(request, change_id, token):
    """The link e-mailed to the old address of an account whose address the HR feed changed: whoever holds
    that address confirms or refuses the change. No sign-in: the link is the proof (it is long, secret and
    valid for a few days); a GET changes nothing, so a mail scanner that follows links does no harm."""
    try:
        change = email_change_for_link(change_id=change_id, token=token)
    except EmailChangeLinkInvalid as error:
        return render(request, "skills/email_change.html", {"invalid": str(error)}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "confirm":
                change = account_email_change_confirm(change_id=change.pk, token=token)
            elif decision == "cancel":
                change = account_email_change_cancel(change_id=change.pk, token=token)
        except EmailChangeLinkInvalid as error:
            return render(request, "skills/email_change.html", {"invalid": str(error)}, status=404)
        if decision in ("confirm", "cancel"):
            return render(request, "skills/email_change.html", {"change": change, "done": True})
    return render(request, "skills/email_change.html", {"change": change})
