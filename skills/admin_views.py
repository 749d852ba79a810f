"""Skills pages of the Wagtail admin that are not viewsets: the carry-forward panel on a framework release's
page, and resuming a failed carry-forward."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from skills.models import ReleaseCarryForward
from skills.services.carry_forward import carry_forward_is_resumable, carry_forward_resume
from skills.services.errors import NotAllowed, SkillsError


def carry_forward_panel(request, release) -> str | None:
    """The progress of carrying people's levels into `release`, for its admin page (the frameworks app's
    `frameworks_release_panels` hook); None when the release has no carry-forward. One query."""
    run = ReleaseCarryForward.objects.filter(release=release).select_related("release__previous_release").first()
    if run is None:
        return None
    resumable = carry_forward_is_resumable(run=run)
    return render_to_string(
        "skills/admin/carry_forward_panel.html",
        {
            "run": run,
            "people_done": min(run.people_done, run.people_total),
            "previous": run.release.previous_release,
            "resumable": resumable,
            "can_resume": resumable and request.user.has_perm("skills.change_releasecarryforward"),
            "resume_url": reverse("skills_carry_forward_resume", args=[run.pk]),
        },
        request=request,
    )


@require_POST
def carry_forward_resume_view(request, pk: int):
    """Resume a failed (or stalled) carry-forward from its last committed chunk. Needs the permission to
    change carry-forwards (the service checks it too)."""
    run = get_object_or_404(ReleaseCarryForward, pk=pk)
    if not request.user.has_perm("skills.change_releasecarryforward"):
        raise PermissionDenied
    try:
        carry_forward_resume(run=run, actor=request.user)
    except NotAllowed as refusal:
        raise PermissionDenied(str(refusal))
    except SkillsError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Carrying levels forward again, from where it stopped.")
    return redirect("frameworks_release:inspect", run.release_id)
