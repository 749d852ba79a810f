"""The signed-in person's "Your data" page: ask for a copy of everything the service holds about them, see how
it is getting on, and download it while it is kept (docs/decisions/0218). Anyone signed in, with or without a
skills profile: editors' accounts hold personal data too."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from skills.selectors.subject_access import subject_access_export_get_visible_to, subject_access_exports_own
from skills.services.errors import NotAllowed
from skills.services.subject_access import subject_access_export_download, subject_access_export_request

SHOWN = 10


@login_required
@require_http_methods(["GET", "POST"])
def your_data(request):
    if request.method == "POST":
        try:
            subject_access_export_request(subject=request.user, actor=request.user)
        except NotAllowed as refusal:
            raise Http404 from refusal
        messages.success(
            request,
            "We are putting a copy of your data together. It usually takes a minute: refresh this page to see "
            "when it is ready.",
        )
        return redirect("skills:your-data")
    return render(
        request,
        "skills/your_data.html",
        {
            "exports": list(subject_access_exports_own(user=request.user)[:SHOWN]),
            "kept_for_days": settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS,
        },
    )


def export_response(export, file) -> FileResponse:
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"capability-personal-data-{export.requested_at:%Y-%m-%d}-{export.pk}.zip",
        content_type="application/zip",
    )
    # Everything about a person: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def your_data_download(request, export_id: int):
    """The zip, for the person who asked for their own data; anyone else's is 404, as is one not ready or
    expired."""
    export = subject_access_export_get_visible_to(user=request.user, export_id=export_id)
    if export is None or export.subject_id != request.user.pk:
        raise Http404
    try:
        file = subject_access_export_download(export=export, actor=request.user)
    except NotAllowed as refusal:
        raise Http404 from refusal
    return export_response(export, file)
