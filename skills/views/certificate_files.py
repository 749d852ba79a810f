"""A certificate's files for the people who may see it: the PDF. Anyone else is answered as if the certificate did
not exist (404), and signing in comes first."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from skills.certificates_pdf import certificate_pdf_filename
from skills.selectors.certificates import certificate_get_visible_to
from skills.selectors.people import person_for_user
from skills.services.certificate_pdf import certificate_pdf_download
from skills.services.errors import NotAllowed


@login_required
def certificate_pdf(request, certificate_id: int):
    """The PDF, as an attachment named after the certificate's number, for the holder, their line-management
    chain and training administrators. A training administrator without a skills profile may download it too."""
    certificate = certificate_get_visible_to(
        user=request.user, viewer=person_for_user(user=request.user), certificate_id=certificate_id
    )
    if certificate is None:
        raise Http404
    try:
        _key, file = certificate_pdf_download(certificate=certificate, actor=request.user)
    except NotAllowed as refusal:
        raise Http404 from refusal
    response = FileResponse(
        file, as_attachment=True, filename=certificate_pdf_filename(certificate), content_type="application/pdf"
    )
    # The PDF names a person: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
